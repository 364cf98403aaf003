//! The one rule for characters that disguise text: which invisible and bidirectional characters of
//! a stored title, file name or note are shown as a visible marker (in the window,
//! `[hidden U+202E]`) or escaped (on the command line, `\u{202e}`) rather than left to act.
//!
//! A right-to-left override turns `invoice<U+202E>fdp.exe` into what reads as "invoiceexe.pdf"; a
//! zero-width space makes two different names look the same. The command line
//! (`gawahi-cli`'s `output.rs`) asks [`disguising`] of every character it prints; the window gets
//! the same sets as generated TypeScript (`ui/src/bindings/disguising.ts`, written by the desktop
//! shell's bindings test from [`rules`]) together with [`SAMPLES`] and this module's answer for
//! each, which the UI's unit tests hold its own reading of the rule to. There is one list.
//!
//! Three groups of characters, each decided differently:
//!
//! - [`ALWAYS`]: bidi embeddings, overrides and isolates, the zero-width space, the word joiner and
//!   invisible operators, the byte order mark. They are always marked: an override or an
//!   isolate reorders everything up to its end, and the others exist to be unseen.
//! - [`JOINERS`] (ZWNJ, ZWJ): ordinary writing between two letters of the Arabic script (Urdu
//!   typing shapes words with them) and, for ZWJ, inside an emoji sequence; marked anywhere else
//!   (`pay<ZWJ>pal`), where they only hide themselves.
//! - [`MARKS`] (LRM, RLM and the Arabic letter mark ALM): an Urdu typist uses them to keep a Latin
//!   word's punctuation on the right side of a sentence, so marking each of them in Urdu text is
//!   noise. Unlike an override, a mark has no reach: it is one invisible letter of its direction,
//!   and it reorders letters only where it is the one thing of its direction between two letters
//!   of the other: `pdf<RLM>.exe` in a right-to-left line reads "exe.pdf", because the invisible
//!   RLM splits the Latin run in two and the line lays the halves out right to left. A mark also
//!   reorders the groups of a number beside it (`<RLM>12 34` reads "34 12" in a left-to-right
//!   line), and one before the first letter of a text decides that text's direction where the
//!   window lets the text choose it (`dir="auto"`). So a mark is marked when (`mark_disguises`)
//!   the nearest visible letter or digit on either side is a digit, or the nearest visible letters
//!   on both sides are of the other direction, or there is no visible letter before it and the
//!   first one after it is of the other direction; anywhere else it passes. What an unmarked mark
//!   still changes is which side of a script boundary the punctuation and spaces there sit on,
//!   which is what the typist meant by it; the order of letters and digits is the same with it and
//!   without it (tested over every string of up to five letters of both directions, digits,
//!   punctuation, spaces and marks, in both directions and in the text's own, with
//!   `unicode-bidi`). The price: a mark typed beside a number (an LRM to keep `2024-03-05` whole
//!   in an Urdu sentence) is marked too, as it is what could reorder a date or an amount.

use serde::Serialize;
use unicode_bidi::BidiClass;

/// Always marked, wherever they are: the bidi embeddings and overrides (U+202A–U+202E), the
/// isolates (U+2066–U+2069), the zero-width space (U+200B), the word joiner and the invisible
/// operators (U+2060–U+2064) and the byte order mark (U+FEFF). Inclusive ranges.
pub const ALWAYS: &[(char, char)] = &[
    ('\u{200b}', '\u{200b}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{2069}'),
    ('\u{feff}', '\u{feff}'),
];

/// The zero-width non-joiner (U+200C) and joiner (U+200D): ordinary between two Arabic-script
/// letters, ZWJ also inside an emoji sequence; marked anywhere else.
pub const JOINERS: &[char] = &['\u{200c}', '\u{200d}'];

/// The directional marks: the left-to-right mark (U+200E), the right-to-left mark (U+200F) and the
/// Arabic letter mark (U+061C). Marked only where they could reorder what is read (see the module
/// documentation and [`mark_disguises`]).
pub const MARKS: &[char] = &['\u{200e}', '\u{200f}', '\u{061c}'];

/// The letters of the Arabic script (the blocks Urdu is written in, diacritics and digits left
/// out), between which a joiner is ordinary writing. Inclusive ranges.
pub const ARABIC_LETTERS: &[(char, char)] = &[
    ('\u{620}', '\u{64a}'),
    ('\u{66e}', '\u{6d3}'),
    ('\u{6d5}', '\u{6d5}'),
    ('\u{6ee}', '\u{6ff}'),
    ('\u{750}', '\u{77f}'),
    ('\u{8a0}', '\u{8ff}'),
    ('\u{fb50}', '\u{fdff}'),
    ('\u{fe70}', '\u{fefc}'),
];

/// The parts of an emoji sequence a zero-width joiner may glue (pictographs, symbols, skin tone
/// modifiers and the emoji variation selector), approximated by their blocks. Inclusive ranges.
pub const EMOJI_PARTS: &[(char, char)] =
    &[('\u{2600}', '\u{27bf}'), ('\u{2b00}', '\u{2bff}'), ('\u{1f000}', '\u{1faff}'), ('\u{fe0f}', '\u{fe0f}')];

/// Texts whose marking both sides are held to: the window's unit tests check that its reading of
/// the rule marks exactly the characters [`disguising`] marks in each.
pub const SAMPLES: &[&str] = &[
    "invoice\u{202e}fdp.exe",
    "Invoice \u{202e}fdp.exe\u{202c} from the SHO",
    "Zero\u{200b}width\u{200c}non\u{200d}joiner\u{feff}mark \u{2066}unclosed isolate",
    "a\u{202a}b\u{202b}c\u{202d}d\u{2067}e\u{2068}f\u{2069}\u{2060}\u{2064}",
    "pay\u{200d}pal\u{200c}x",
    "\u{200c}\u{645}\u{6cc}\u{200d}",
    "می\u{200c}خواہم ن\u{200d}ہ",
    "گواہی\u{200c}نامہ.txt",
    "emoji 👩\u{200d}⚖\u{fe0f} and 👩🏽\u{200d}⚖\u{fe0f}",
    // Directional marks as an Urdu typist uses them: beside a Latin word, after a closing
    // parenthesis at the end, before Urdu text, the Arabic letter mark in Urdu.
    "مقدمہ PECA\u{200f} کے تحت",
    "ایف آئی آر (FIR)\u{200f}",
    "\u{200f}مقدمہ",
    "مقدمہ\u{61c} درج",
    "State v. Ahmed\u{200e} — ریاست",
    // Directional marks that could reorder what is read.
    "رپورٹ pdf\u{200f}.exe",
    "pdf\u{61c}.exe",
    "ب\u{200e}.ت",
    "\u{200f}abc ب def",
    "Hearing \u{200f}05 03 2024",
    "مقدمہ \u{200e}12 34",
    "pdf\u{200f}\u{200f}.exe",
    "x\u{200f}\u{202e}y",
    "",
];

/// Whether the character at `i` of `chars` disguises the text and is to be marked or escaped.
pub fn disguising(chars: &[char], i: usize) -> bool {
    let Some(&c) = chars.get(i) else { return false };
    if in_ranges(c, ALWAYS) {
        return true;
    }
    if JOINERS.contains(&c) {
        return !ordinary_joiner(c, i.checked_sub(1).map(|j| chars[j]), chars.get(i + 1).copied());
    }
    if MARKS.contains(&c) {
        return mark_disguises(chars, i);
    }
    false
}

/// The indices (in characters) of `text`'s disguising characters, in order.
pub fn disguising_in(text: &str) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).filter(|&i| disguising(&chars, i)).collect()
}

/// Whether `c` is one of the characters [`disguising`] may mark, depending on where it is; a
/// quick test before looking at the text as characters.
pub fn may_disguise(c: char) -> bool {
    in_ranges(c, ALWAYS) || JOINERS.contains(&c) || MARKS.contains(&c)
}

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|&(from, to)| (from..=to).contains(&c))
}

/// Whether a joiner `c` between `before` and `after` is ordinary writing: ZWNJ or ZWJ between two
/// Arabic-script letters, or ZWJ inside an emoji sequence.
fn ordinary_joiner(c: char, before: Option<char>, after: Option<char>) -> bool {
    let (Some(b), Some(a)) = (before, after) else { return false };
    let arabic = |c| in_ranges(c, ARABIC_LETTERS);
    let emoji = |c| in_ranges(c, EMOJI_PARTS);
    match c {
        '\u{200c}' => arabic(b) && arabic(a),
        '\u{200d}' => (arabic(b) && arabic(a)) || (emoji(b) && emoji(a)),
        _ => false,
    }
}

/// What a directional mark meets on one side, looking past everything that is neither a visible
/// letter nor a digit (spaces, punctuation, other invisible characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Neighbour {
    /// The text's edge.
    Edge,
    /// A digit (European or Arabic-Indic, bidi classes EN and AN).
    Digit,
    /// A letter written left to right.
    LeftToRight,
    /// A letter written right to left (Arabic script, Hebrew…).
    RightToLeft,
}

/// The direction a visible character has for the bidi algorithm, or `None` if it takes its
/// direction from its neighbours. The characters of [`ALWAYS`], [`JOINERS`] and [`MARKS`] are
/// invisible and looked past.
fn neighbour(c: char) -> Option<Neighbour> {
    if may_disguise(c) {
        return None;
    }
    match unicode_bidi::bidi_class(c) {
        BidiClass::L => Some(Neighbour::LeftToRight),
        BidiClass::R | BidiClass::AL => Some(Neighbour::RightToLeft),
        BidiClass::EN | BidiClass::AN => Some(Neighbour::Digit),
        _ => None,
    }
}

/// Whether the directional mark at `i` could reorder what is read, and so is marked: the nearest
/// visible letter or digit on either side is a digit (a mark decides how a number's groups are
/// ordered), or the nearest visible letters on both sides are of the other direction (the mark
/// would split their run: `pdf<RLM>.exe` reading "exe.pdf"), or there is no visible letter before
/// it and the one after is of the other direction (the mark would decide the direction of a text
/// shown with `dir="auto"`).
fn mark_disguises(chars: &[char], i: usize) -> bool {
    let own = if chars[i] == '\u{200e}' { Neighbour::LeftToRight } else { Neighbour::RightToLeft };
    let before = chars[..i].iter().rev().find_map(|&c| neighbour(c)).unwrap_or(Neighbour::Edge);
    let after = chars[i + 1..].iter().find_map(|&c| neighbour(c)).unwrap_or(Neighbour::Edge);
    let other = |n: Neighbour| n != own && matches!(n, Neighbour::LeftToRight | Neighbour::RightToLeft);
    before == Neighbour::Digit
        || after == Neighbour::Digit
        || (other(before) && other(after))
        || (before == Neighbour::Edge && other(after))
}

/// One of [`SAMPLES`] with the indices (in Unicode code points) [`disguising`] marks in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextSample {
    /// The text.
    pub text: String,
    /// The code point indices of its disguising characters, in order.
    pub marked: Vec<u32>,
}

/// The rule as data, for the window's generated TypeScript: every set as inclusive ranges of code
/// points, and the samples with this module's answer for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextRules {
    /// [`ALWAYS`].
    pub always: Vec<[u32; 2]>,
    /// [`JOINERS`].
    pub joiners: Vec<u32>,
    /// [`MARKS`], the left-to-right mark first.
    pub marks: Vec<u32>,
    /// [`ARABIC_LETTERS`].
    pub arabic_letters: Vec<[u32; 2]>,
    /// [`EMOJI_PARTS`].
    pub emoji_parts: Vec<[u32; 2]>,
    /// The characters of bidi class L (letters written left to right), from `unicode-bidi`'s tables.
    pub left_to_right: Vec<[u32; 2]>,
    /// The characters of bidi class R or AL (written right to left).
    pub right_to_left: Vec<[u32; 2]>,
    /// The characters of bidi class EN or AN (digits).
    pub digits: Vec<[u32; 2]>,
    /// [`SAMPLES`] with the marked indices of each.
    pub samples: Vec<TextSample>,
}

/// The rule as data (see [`TextRules`]).
pub fn rules() -> TextRules {
    let ranges = |r: &[(char, char)]| r.iter().map(|&(a, b)| [u32::from(a), u32::from(b)]).collect();
    let by_class = |want: &dyn Fn(BidiClass) -> bool| {
        let mut out: Vec<[u32; 2]> = Vec::new();
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            if !want(unicode_bidi::bidi_class(c)) {
                continue;
            }
            let cp = u32::from(c);
            match out.last_mut() {
                Some(last) if last[1] + 1 == cp => last[1] = cp,
                _ => out.push([cp, cp]),
            }
        }
        out
    };
    TextRules {
        always: ranges(ALWAYS),
        joiners: JOINERS.iter().map(|&c| u32::from(c)).collect(),
        marks: MARKS.iter().map(|&c| u32::from(c)).collect(),
        arabic_letters: ranges(ARABIC_LETTERS),
        emoji_parts: ranges(EMOJI_PARTS),
        left_to_right: by_class(&|b| b == BidiClass::L),
        right_to_left: by_class(&|b| matches!(b, BidiClass::R | BidiClass::AL)),
        digits: by_class(&|b| matches!(b, BidiClass::EN | BidiClass::AN)),
        samples: SAMPLES
            .iter()
            .map(|s| TextSample {
                text: (*s).to_owned(),
                marked: disguising_in(s).into_iter().map(|i| i as u32).collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use unicode_bidi::{BidiInfo, Level};

    use super::{disguising_in, rules};

    fn marked(text: &str) -> Vec<char> {
        let chars: Vec<char> = text.chars().collect();
        disguising_in(text).into_iter().map(|i| chars[i]).collect()
    }

    #[test]
    fn overrides_isolates_and_zero_width_characters_are_always_marked() {
        assert_eq!(marked("invoice\u{202e}fdp.exe"), ['\u{202e}']);
        assert_eq!(
            marked("a\u{202a}b\u{202b}c\u{202c}d\u{202d}e\u{2066}f\u{2067}g\u{2068}h\u{2069}"),
            ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        );
        assert_eq!(marked("in\u{200b}voice\u{feff}\u{2060}\u{2064}"), ['\u{200b}', '\u{feff}', '\u{2060}', '\u{2064}']);
        // Even inside Urdu, where nothing needs them.
        assert_eq!(marked("مقدمہ\u{202e}درج"), ['\u{202e}']);
    }

    #[test]
    fn joiners_pass_between_urdu_letters_and_in_emoji_and_are_marked_elsewhere() {
        assert_eq!(marked("می\u{200c}خواہم ن\u{200d}ہ"), []);
        assert_eq!(marked("emoji 👩\u{200d}⚖\u{fe0f}"), []);
        assert_eq!(marked("pay\u{200d}pal\u{200c}x"), ['\u{200d}', '\u{200c}']);
        assert_eq!(marked("\u{200c}\u{645}\u{6cc}\u{200d}"), ['\u{200c}', '\u{200d}']);
    }

    #[test]
    fn directional_marks_pass_where_an_urdu_typist_puts_them() {
        for text in [
            "مقدمہ PECA\u{200f} کے تحت",
            "ایف آئی آر (FIR)\u{200f}",
            "\u{200f}مقدمہ",
            "مقدمہ\u{61c} درج",
            "State v. Ahmed\u{200e} — ریاست",
            "\u{200e}State",
            "Lahore\u{200e}",
        ] {
            assert_eq!(marked(text), [], "{text:?}");
        }
    }

    #[test]
    fn fail_directional_marks_that_could_reorder_what_is_read_are_marked() {
        for (text, mark) in [
            // The invisible RLM splits the Latin run: in a right-to-left line "exe.pdf".
            ("رپورٹ pdf\u{200f}.exe", '\u{200f}'),
            ("pdf\u{61c}.exe", '\u{61c}'),
            // The LRM splits an Urdu run the same way in a left-to-right line.
            ("ب\u{200e}.ت", '\u{200e}'),
            // Before the first letter, it decides a `dir="auto"` text's direction.
            ("\u{200f}abc ب def", '\u{200f}'),
            // Beside a number, it orders the number's groups.
            ("Hearing \u{200f}05 03 2024", '\u{200f}'),
            ("مقدمہ \u{200e}12 34", '\u{200e}'),
        ] {
            assert_eq!(marked(text), [mark], "{text:?}");
        }
        // Two marks together are no less an island than one.
        assert_eq!(marked("pdf\u{200f}\u{200f}.exe"), ['\u{200f}', '\u{200f}']);
    }

    /// The order in which the letters and digits of `text` are laid out on screen, in a line of
    /// the given direction (`None`: the text's own, as `dir="auto"`).
    fn visual_letters(text: &str, direction: Option<Level>) -> String {
        let info = BidiInfo::new(text, direction);
        let Some(para) = info.paragraphs.first() else { return String::new() };
        info.reorder_line(para, para.range.clone()).chars().filter(|c| c.is_alphanumeric()).collect()
    }

    /// The claim the rule rests on, tried on every string of up to five characters drawn from
    /// letters of both directions, digits, punctuation, a space and the three marks (each letter
    /// and digit distinct, so that a reordering shows): with the marks the rule lets pass kept and the
    /// others taken out (as the markers replace them), the letters and digits are laid out in the
    /// same order as with no mark at all, in a left-to-right line, a right-to-left line and a line
    /// that takes the text's own direction.
    #[test]
    fn an_unmarked_directional_mark_never_changes_the_order_of_letters_or_digits() {
        const PARTS: [char; 8] = ['L', 'R', 'D', '.', ' ', '\u{200e}', '\u{200f}', '\u{61c}'];
        let latin: Vec<char> = "abcdef".chars().collect();
        let urdu: Vec<char> = "بتثجحخ".chars().collect();
        let digits: Vec<char> = "123456".chars().collect();
        let mut tried = 0;
        for len in 1..=5u32 {
            for mut n in 0..PARTS.len().pow(len) {
                let (mut l, mut r, mut d) = (0, 0, 0);
                let mut text = String::new();
                for _ in 0..len {
                    let part = PARTS[n % PARTS.len()];
                    n /= PARTS.len();
                    match part {
                        'L' => {
                            text.push(latin[l]);
                            l += 1;
                        }
                        'R' => {
                            text.push(urdu[r]);
                            r += 1;
                        }
                        'D' => {
                            text.push(digits[d]);
                            d += 1;
                        }
                        c => text.push(c),
                    }
                }
                let chars: Vec<char> = text.chars().collect();
                let marked = disguising_in(&text);
                let kept: String =
                    chars.iter().enumerate().filter(|(i, _)| !marked.contains(i)).map(|(_, c)| c).collect();
                let bare: String = chars.iter().filter(|c| !super::MARKS.contains(c)).collect();
                for direction in [Some(Level::ltr()), Some(Level::rtl()), None] {
                    assert_eq!(
                        visual_letters(&kept, direction),
                        visual_letters(&bare, direction),
                        "{text:?} ({direction:?}): an unmarked mark reordered it"
                    );
                }
                tried += 1;
            }
        }
        assert!(tried > 37_000, "{tried}");
    }

    #[test]
    fn the_rules_exported_to_the_window_carry_every_sample_with_its_marks() {
        let r = rules();
        assert_eq!(r.samples.len(), super::SAMPLES.len());
        let rlo = r.samples.iter().find(|s| s.text == "invoice\u{202e}fdp.exe").expect("sample");
        assert_eq!(rlo.marked, [7]);
        // The marks the Urdu typist uses are not marked; the spoofing one is.
        let urdu = r.samples.iter().find(|s| s.text.starts_with("مقدمہ PECA")).expect("sample");
        assert!(urdu.marked.is_empty());
        let spoof = r.samples.iter().find(|s| s.text.starts_with("رپورٹ pdf")).expect("sample");
        assert_eq!(spoof.marked, [9]);
        // The classes come from the bidi tables: Latin left to right, Urdu right to left.
        let within = |ranges: &[[u32; 2]], c: char| ranges.iter().any(|r| (r[0]..=r[1]).contains(&u32::from(c)));
        assert!(within(&r.left_to_right, 'a') && !within(&r.left_to_right, 'ب'));
        assert!(within(&r.right_to_left, 'ب') && within(&r.right_to_left, 'ہ') && !within(&r.right_to_left, 'a'));
        assert!(within(&r.digits, '1') && within(&r.digits, '۱') && !within(&r.digits, 'a'));
    }
}
