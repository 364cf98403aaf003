//! Everything the command line prints: human-readable lines, escaped so that stored or typed
//! text cannot drive the terminal, and JSON, exact.
//!
//! A record's title is whatever someone typed or imported. Printed raw, an ESC sequence in it
//! could retitle the terminal, clear the screen or hide a line; a carriage return or a
//! right-to-left override could make one line read as another. Every human-readable line that
//! can carry such text goes through [`escape`]; `--json` output is serde's, which escapes the C0
//! controls and leaves every other character exact.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use gawahi_core::Error;
use serde_json::Value;

use crate::Failure;

/// Whether `c` must not reach a terminal as it is: C0 controls (tab, CR and LF included), DEL,
/// C1 controls, the bidirectional embeddings, overrides and isolates, the directional marks
/// (LRM U+200E, RLM U+200F, the Arabic letter mark U+061C), the invisible characters that can
/// make two names look alike (the zero-width space U+200B, the word joiner and invisible
/// operators U+2060–U+2064, the byte order mark U+FEFF), and the line and paragraph separators.
/// The backslash is escaped too, so that an escape in the output is unambiguous.
///
/// The joiners (ZWNJ U+200C, ZWJ U+200D) are decided by [`ordinary_joiner`], since Urdu and emoji
/// need them; combining marks pass, as they cannot reorder or hide other text.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\\'
        | '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}'
        | '\u{2028}' | '\u{2029}')
}

/// Whether `c` is a letter of the Arabic script (the blocks Urdu is written in).
fn arabic_letter(c: char) -> bool {
    matches!(c, '\u{620}'..='\u{64a}' | '\u{66e}'..='\u{6d3}' | '\u{6d5}' | '\u{6ee}'..='\u{6ff}'
        | '\u{750}'..='\u{77f}' | '\u{8a0}'..='\u{8ff}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{fefc}')
}

/// Whether `c` is part of an emoji sequence a zero-width joiner may glue (pictographs, symbols
/// and skin tone modifiers), approximated by their blocks.
fn emoji_part(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}' | '\u{1f000}'..='\u{1faff}' | '\u{fe0f}')
}

/// Whether a joiner `c` between `before` and `after` is ordinary writing that passes as it is:
/// ZWNJ or ZWJ between two Arabic-script letters (Urdu typing shapes words with them), or ZWJ
/// inside an emoji sequence. Anywhere else a joiner only hides itself (`pay\u{200d}pal`), so it is
/// escaped.
fn ordinary_joiner(c: char, before: Option<char>, after: Option<char>) -> bool {
    let (Some(b), Some(a)) = (before, after) else { return false };
    match c {
        '\u{200c}' => arabic_letter(b) && arabic_letter(a),
        '\u{200d}' => (arabic_letter(b) && arabic_letter(a)) || (emoji_part(b) && emoji_part(a)),
        _ => false,
    }
}

/// `text` made safe for a terminal: characters that could control it become visible escapes
/// (`\t`, `\r`, `\n`, `\x1b`, `\u{202e}`; a backslash becomes `\\`), everything else is left as
/// it is. Borrows when there is nothing to escape, which is nearly always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(needs_escape) {
        return Cow::Borrowed(text);
    }
    // A joiner's fate depends on its neighbours, so the text is looked at as characters.
    let chars: Vec<char> = text.chars().collect();
    let escaped = |i: usize| {
        let c = chars[i];
        needs_escape(c) && !ordinary_joiner(c, i.checked_sub(1).map(|j| chars[j]), chars.get(i + 1).copied())
    };
    if !(0..chars.len()).any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            _ if escaped(i) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Prints one human-readable line to `out`: each field escaped, the fields separated by tabs.
pub fn print_fields(out: &mut impl Write, fields: &[&str]) -> Result<(), Failure> {
    let line: Vec<Cow<'_, str>> = fields.iter().map(|f| escape(f)).collect();
    write_line(out, &line.join("\t"))
}

/// Prints one search hit: its id, title and snippet, each escaped, separated by tabs. The
/// matched words are marked after escaping (so stored text cannot forge a mark): bold on a
/// terminal, `[` `]` elsewhere.
pub fn print_hit(
    out: &mut impl Write,
    id: &str,
    title: &str,
    snippet: &[gawahi_core::search::Segment],
    tty: bool,
) -> Result<(), Failure> {
    let (open, close) = if tty { ("\u{1b}[1m", "\u{1b}[22m") } else { ("[", "]") };
    let mut text = String::new();
    for s in snippet {
        if s.highlighted {
            text.push_str(open);
            text.push_str(&escape(&s.text));
            text.push_str(close);
        } else {
            text.push_str(&escape(&s.text));
        }
    }
    write_line(out, &format!("{}\t{}\t{text}", escape(id), escape(title)))
}

/// Prints `value` as pretty JSON, exactly (serde escapes what JSON requires and nothing else).
pub fn print_json(out: &mut impl Write, value: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    write_line(out, &text)
}

/// Prints a human-readable note (or error) on standard error, `gawahi: ` first, escaped.
pub fn note(text: &str) {
    eprintln!("gawahi: {}", escape(text));
}

fn write_line(out: &mut impl Write, line: &str) -> Result<(), Failure> {
    writeln!(out, "{line}")
        .map_err(|e| Failure::Vault(Error::Io { action: "write", path: "standard output".into(), source: e }))
}

#[cfg(test)]
mod tests {
    use super::{escape, print_fields};

    #[test]
    fn controls_and_bidi_overrides_become_visible_escapes() {
        let cases = [
            ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
            ("\u{1b}[2J\u{1b}[H", "\\x1b[2J\\x1b[H"),
            ("overwritten\rforged", "overwritten\\rforged"),
            ("a\nb\tc", "a\\nb\\tc"),
            ("nul\0del\u{7f}", "nul\\x00del\\x7f"),
            ("c1 \u{80}\u{9b}31m\u{9f}", "c1 \\u{80}\\u{9b}31m\\u{9f}"),
            ("user \u{202e}fdp.exe", "user \\u{202e}fdp.exe"),
            ("\u{202a}\u{202b}\u{202c}\u{202d}", "\\u{202a}\\u{202b}\\u{202c}\\u{202d}"),
            ("\u{2066}\u{2067}\u{2068}\u{2069}", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"),
            ("line\u{2028}para\u{2029}", "line\\u{2028}para\\u{2029}"),
            // The invisible characters that make a name look like another.
            ("in\u{200b}voice.pdf", "in\\u{200b}voice.pdf"),
            ("a\u{200e}b\u{200f}c\u{61c}d", "a\\u{200e}b\\u{200f}c\\u{61c}d"),
            ("\u{feff}bom\u{2060}wj\u{2064}", "\\u{feff}bom\\u{2060}wj\\u{2064}"),
            // Joiners outside Urdu words or emoji, and at either end.
            ("pay\u{200d}pal\u{200c}x", "pay\\u{200d}pal\\u{200c}x"),
            ("\u{200c}\u{645}\u{6cc}\u{200d}", "\\u{200c}\u{645}\u{6cc}\\u{200d}"),
            ("invoice\u{202e}fdp.exe", "invoice\\u{202e}fdp.exe"),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape(raw), shown, "{raw:?}");
            assert!(!escape(raw).chars().any(|c| c.is_control()
                || ('\u{202a}'..='\u{2069}').contains(&c)
                || ('\u{200b}'..='\u{200f}').contains(&c)
                || c == '\u{61c}'
                || c == '\u{feff}'));
        }
    }

    #[test]
    fn a_backslash_is_escaped_so_the_output_is_unambiguous() {
        // The text `\x1b` (four characters) and the ESC character must not print the same.
        assert_eq!(escape("\\x1b"), "\\\\x1b");
        assert_eq!(escape("\u{1b}"), "\\x1b");
        assert_ne!(escape("\\x1b"), escape("\u{1b}"));
        assert_eq!(escape("C:\\cases\\"), "C:\\\\cases\\\\");
    }

    #[test]
    fn urdu_and_plain_text_pass_untouched() {
        for text in [
            "Lahore High Court",
            "لاہور ہائی کورٹ",
            // ZWNJ and ZWJ inside Urdu words, and diacritics (zer, pesh, shadda).
            "می\u{200c}خواہم ن\u{200d}ہ ب\u{650}ن\u{64f}ت\u{651}",
            "emoji 👩🏽‍⚖️ and accents: café",
            "",
        ] {
            assert_eq!(escape(text), text);
            assert!(matches!(escape(text), std::borrow::Cow::Borrowed(_)), "no copy when nothing changes");
        }
    }

    #[test]
    fn fields_are_escaped_one_by_one_and_joined_by_a_real_tab() {
        let mut out = Vec::new();
        print_fields(&mut out, &["id-1", "title\twith a tab\u{1b}[2J"]).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "id-1\ttitle\\twith a tab\\x1b[2J\n");
    }
}
