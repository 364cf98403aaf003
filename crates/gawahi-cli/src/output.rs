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

use gawahi_core::{Error, text};
use serde_json::Value;

use crate::Failure;

/// Whether `c` must not reach a terminal as it is, wherever it is: C0 controls (tab, CR and LF
/// included), DEL, C1 controls and the line and paragraph separators, which drive or break the
/// terminal's lines. The backslash is escaped too, so that an escape in the output is unambiguous.
///
/// The invisible and bidirectional characters that disguise text (overrides, isolates, zero-width
/// characters, and the joiners and directional marks where they could mislead) are decided by
/// [`gawahi_core::text::disguising`], the one rule the window follows too.
fn terminal_control(c: char) -> bool {
    matches!(c, '\\' | '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}')
}

/// `text` made safe for a terminal: characters that could control it or disguise the text become
/// visible escapes (`\t`, `\r`, `\n`, `\x1b`, `\u{202e}`; a backslash becomes `\\`), everything
/// else is left as it is. Borrows when there is nothing to escape, which is nearly always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(|c| terminal_control(c) || text::may_disguise(c)) {
        return Cow::Borrowed(text);
    }
    // A joiner's or a directional mark's fate depends on its neighbours, so the text is looked
    // at as characters.
    let chars: Vec<char> = text.chars().collect();
    let escaped = |i: usize| terminal_control(chars[i]) || text::disguising(&chars, i);
    if !(0..chars.len()).any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, &chars, 0..chars.len());
    Cow::Owned(out)
}

/// Appends `chars[range]` to `out`, escaped as [`escape`] does, each character judged in the
/// whole of `chars`: a search hit's snippet comes in pieces, and a joiner or a mark at the edge of
/// a piece is judged by its real neighbours, not by the piece's edge.
fn escape_into(out: &mut String, chars: &[char], range: std::ops::Range<usize>) {
    for i in range {
        let c = chars[i];
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            _ if terminal_control(c) || text::disguising(chars, i) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
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
    // The snippet is judged as one text (see `escape_into`) and written piece by piece.
    let chars: Vec<char> = snippet.iter().flat_map(|s| s.text.chars()).collect();
    let mut text = String::new();
    let mut at = 0;
    for s in snippet {
        let end = at + s.text.chars().count();
        if s.highlighted {
            // A disguising character at either end of the word found (the index counts an
            // override before a word as part of it) is escaped outside the mark, beside the word.
            let (mut from, mut to) = (at, end);
            while from < to && text::disguising(&chars, from) {
                from += 1;
            }
            while to > from && text::disguising(&chars, to - 1) {
                to -= 1;
            }
            if from == to {
                (from, to) = (at, end);
            }
            escape_into(&mut text, &chars, at..from);
            text.push_str(open);
            escape_into(&mut text, &chars, from..to);
            text.push_str(close);
            escape_into(&mut text, &chars, to..end);
        } else {
            escape_into(&mut text, &chars, at..end);
        }
        at = end;
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
    use super::{escape, print_fields, print_hit};

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
            // Directional marks where they could reorder what is read (see gawahi_core::text).
            ("b\u{200f}c\u{61c}d", "b\\u{200f}c\\u{61c}d"),
            ("\u{628}\u{200e}.\u{62a}", "\u{628}\\u{200e}.\u{62a}"),
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
            // Directional marks as an Urdu typist puts them (see gawahi_core::text).
            "مقدمہ PECA\u{200f} کے تحت",
            "ایف آئی آر (FIR)\u{200f}",
            "مقدمہ\u{61c} درج",
            "",
        ] {
            assert_eq!(escape(text), text);
            assert!(matches!(escape(text), std::borrow::Cow::Borrowed(_)), "no copy when nothing changes");
        }
    }

    /// The command line escapes exactly the characters the core's one rule marks in each of its
    /// samples (the same samples the window's tests hold the window to).
    #[test]
    fn the_escaped_characters_are_those_the_core_rule_marks() {
        for sample in gawahi_core::text::SAMPLES {
            let chars: Vec<char> = sample.chars().collect();
            let marked = gawahi_core::text::disguising_in(sample);
            let expected: String = chars
                .iter()
                .enumerate()
                .map(|(i, c)| if marked.contains(&i) { format!("\\u{{{:x}}}", u32::from(*c)) } else { c.to_string() })
                .collect();
            assert_eq!(escape(sample), expected, "{sample:?}");
        }
    }

    /// A snippet comes in pieces; a joiner between two Urdu letters at a piece's edge is still
    /// ordinary writing, and an override inside the highlighted piece is still escaped.
    #[test]
    fn a_snippet_is_judged_as_one_text_across_its_pieces() {
        use gawahi_core::search::Segment;
        let seg = |text: &str, highlighted| Segment { text: text.to_owned(), highlighted };
        let mut out = Vec::new();
        let snippet = [seg("می\u{200c}", false), seg("خواہم", true), seg(" pdf\u{202e}exe", true)];
        print_hit(&mut out, "id-1", "t", &snippet, false).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "id-1\tt\tمی\u{200c}[خواہم][ pdf\\u{202e}exe]\n");
        let mut out = Vec::new();
        let snippet = [seg("Raid ", false), seg("\u{202e}cod", true), seg(".exe\u{202c}", false)];
        print_hit(&mut out, "id-3", "t", &snippet, false).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "id-3\tt\tRaid \\u{202e}[cod].exe\\u{202c}\n");
        let mut out = Vec::new();
        let snippet = [seg("pay\u{200d}", false), seg("pal", true)];
        print_hit(&mut out, "id-2", "t", &snippet, false).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "id-2\tt\tpay\\u{200d}[pal]\n");
    }

    #[test]
    fn fields_are_escaped_one_by_one_and_joined_by_a_real_tab() {
        let mut out = Vec::new();
        print_fields(&mut out, &["id-1", "title\twith a tab\u{1b}[2J"]).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "id-1\ttitle\\twith a tab\\x1b[2J\n");
    }
}
