//! Text for the PDF reports: made inert, broken into lines, split into bidirectional runs
//! (`unicode-bidi`), each run into pieces of one script, and each piece shaped (`rustybuzz`,
//! which joins Urdu letters) in the font for its script: Noto Naskh Arabic for Arabic script,
//! Noto Sans for everything else. The glyphs keep the ranges of text they stand for, so the PDF's
//! ToUnicode map gives the same words back to a reader that copies or extracts them.
//!
//! Why Naskh and not Nastaliq, the hand Urdu readers expect: Noto Nastaliq Urdu shapes and
//! renders well here, but its letters step down along each word, and text extraction (poppler's
//! `pdftotext`, and so search and copy in most viewers) then splits words into letters and moves
//! some to other lines. Naskh keeps a word on its baseline and comes back whole. Wrapping each
//! word in an `/ActualText` span (tagged PDF) might let Nastaliq come back whole too; not tried.

use std::ops::Range;
use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{Level, ParagraphBidiInfo};

const LATIN: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const LATIN_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");
const URDU: &[u8] = include_bytes!("../../../../assets/fonts/NotoNaskhArabic-Regular.ttf");
const URDU_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoNaskhArabic-Bold.ttf");

/// The longest text drawn from one value, in characters. A record's field may hold 100 KB; a
/// report shows the start of it and says it is cut, rather than shaping pages of one cell.
pub(crate) const MAX_CHARS: usize = 2_000;

/// One of the report's four fonts, for krilla (drawing, subsetting) and rustybuzz (shaping).
pub(crate) struct Face {
    pub(crate) pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

/// The report's fonts.
pub(crate) struct Fonts {
    latin: [Face; 2],
    urdu: [Face; 2],
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts { .. }")
    }
}

fn face(data: &'static [u8]) -> Option<Face> {
    let shaper = rustybuzz::Face::from_slice(data, 0)?;
    let units_per_em = shaper.units_per_em() as f32;
    Some(Face { pdf: Font::new(data.into(), 0)?, shaper, units_per_em })
}

impl Fonts {
    /// The fonts, parsed once per process. `None` only if a font compiled into the binary
    /// cannot be parsed, which the tests rule out.
    pub(crate) fn get() -> Option<&'static Self> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Self { latin: [face(LATIN)?, face(LATIN_BOLD)?], urdu: [face(URDU)?, face(URDU_BOLD)?] })
            })
            .as_ref()
    }

    fn pick(&self, arabic: bool, bold: bool) -> &Face {
        let set = if arabic { &self.urdu } else { &self.latin };
        &set[usize::from(bold)]
    }
}

/// Whether `c` is written in the Arabic script (Urdu included).
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Whether `c` belongs to no script of its own (spaces, punctuation, digits), so it takes the
/// font of the text around it.
fn is_neutral(c: char) -> bool {
    !c.is_alphabetic() && !is_arabic(c)
}

/// The text made inert: the characters that disguise text taken out, by the one rule the window
/// and the command line mark them by ([`crate::text::disguising`]: bidi embeddings, overrides and
/// isolates, zero-width characters, joiners outside Urdu words and emoji, directional marks where
/// they could reorder what is read), so stored text cannot reorder the report around it or make
/// one name look like another; control characters and line or paragraph separators turned into
/// spaces; and the whole cut to [`MAX_CHARS`] with an ellipsis. What the rule lets pass stays:
/// Urdu spelling needs its joiners, and an Urdu typist's RLM after a Latin word places its
/// punctuation in the report as in the window.
pub(crate) fn inert(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut n = 0;
    for (i, &c) in chars.iter().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        if crate::text::disguising(&chars, i) {
            continue;
        }
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
        } else {
            out.push(c);
        }
        n += 1;
    }
    out
}

/// A piece of one line: glyphs of one font, placed at `x` from the line's left end.
pub(crate) struct Piece {
    pub(crate) font: Font,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) text: String,
    pub(crate) x: f32,
}

/// One line, shaped and in visual order.
pub(crate) struct Line {
    pub(crate) pieces: Vec<Piece>,
    pub(crate) width: f32,
}

/// Shapes `text` (one script, one direction) in `face`, returning its glyphs and advance.
fn shape(face: &Face, text: &str, rtl: bool, size: f32) -> (Vec<KrillaGlyph>, f32) {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    if rtl && let Ok(urdu) = "ur".parse() {
        buffer.set_language(urdu);
    }
    let output = rustybuzz::shape(&face.shaper, &[], buffer);
    let mut clusters: Vec<usize> = output.glyph_infos().iter().map(|i| i.cluster as usize).collect();
    clusters.sort_unstable();
    clusters.dedup();
    let end_of = |start: usize| clusters.iter().copied().find(|&c| c > start).unwrap_or(text.len());
    let upem = face.units_per_em;
    let mut width = 0.0;
    let glyphs = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let range: Range<usize> = start..end_of(start);
            width += pos.x_advance as f32 / upem * size;
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / upem,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                range,
                None,
            )
        })
        .collect();
    (glyphs, width)
}

/// Splits `text` into pieces of one font: Arabic script in the Urdu font, other letters in the
/// Latin one; a character of no script (a space, a digit, a bracket) goes with the piece before
/// it when that piece's font has a glyph for it, and otherwise with whichever font has one.
fn by_font(fonts: &Fonts, text: &str) -> Vec<(Range<usize>, bool)> {
    let has = |arabic: bool, c: char| fonts.pick(arabic, false).shaper.glyph_index(c).is_some();
    let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
    let mut current: Option<bool> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let arabic = if is_neutral(c) {
            match current {
                Some(a) if has(a, c) || !has(!a, c) => a,
                Some(a) => !a,
                None => !has(false, c) && has(true, c),
            }
        } else {
            is_arabic(c)
        };
        match current {
            None => current = Some(arabic),
            Some(a) if a != arabic => {
                pieces.push((start..i, a));
                start = i;
                current = Some(arabic);
            }
            _ => {}
        }
    }
    if start < text.len() {
        pieces.push((start..text.len(), current.unwrap_or(false)));
    }
    pieces
}

/// Whether `text` has a letter of a script written in either direction.
fn has_strong(text: &str) -> bool {
    use unicode_bidi::BidiClass::{AL, L, R};
    text.chars().any(|c| matches!(unicode_bidi::bidi_class(c), L | R | AL))
}

/// Lays out one line of `text` (already inert, no line breaks) as a paragraph of its own: its
/// direction is that of its first letter (as `dir="auto"` does: an Urdu title in an English
/// report reads right to left), or the report's when it has no letter (a date, a number).
pub(crate) fn line(fonts: &Fonts, text: &str, size: f32, bold: bool, rtl_base: bool) -> Line {
    // unicode-bidi indexes the first character of a line: an empty one has none.
    if text.is_empty() {
        return Line { pieces: Vec::new(), width: 0.0 };
    }
    let base = if has_strong(text) {
        None
    } else if rtl_base {
        Some(Level::rtl())
    } else {
        Some(Level::ltr())
    };
    let info = ParagraphBidiInfo::new(text, base);
    let (levels, runs) = info.visual_runs(0..text.len());
    let mut pieces = Vec::new();
    let mut x = 0.0;
    for run in runs {
        let rtl = levels[run.start].is_rtl();
        let run_text = &text[run.clone()];
        let mut parts = by_font(fonts, run_text);
        // Within a right-to-left run the pieces stand right to left too.
        if rtl {
            parts.reverse();
        }
        for (range, arabic) in parts {
            // The report's own isolates (around a date) have done their work in the bidi
            // algorithm; they are neither drawn nor given to a reader that extracts the text.
            let piece_text: String =
                run_text[range].chars().filter(|c| !('\u{2066}'..='\u{2069}').contains(c)).collect();
            if piece_text.is_empty() {
                continue;
            }
            let piece_text = piece_text.as_str();
            let face = fonts.pick(arabic, bold);
            let (glyphs, width) = shape(face, piece_text, rtl, size);
            pieces.push(Piece { font: face.pdf.clone(), glyphs, text: piece_text.to_owned(), x });
            x += width;
        }
    }
    Line { pieces, width: x }
}

/// The width of `text` on one line.
pub(crate) fn width(fonts: &Fonts, text: &str, size: f32, bold: bool, rtl_base: bool) -> f32 {
    line(fonts, text, size, bold, rtl_base).width
}

/// Breaks `text` (inert) into lines no wider than `max_width`, at spaces, keeping at most
/// `max_lines` (the last ending in an ellipsis when text is left over). A word wider than a line
/// is cut between characters.
pub(crate) fn wrap(
    fonts: &Fonts,
    text: &str,
    size: f32,
    bold: bool,
    rtl_base: bool,
    max_width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let fits = |s: &str| width(fonts, s, size, bold, rtl_base) <= max_width;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if fits(word) {
            word.clone_into(&mut current);
        } else {
            // A word longer than the line: as many characters as fit, then the rest.
            for c in word.chars() {
                let mut next = current.clone();
                next.push(c);
                if !current.is_empty() && !fits(&next) {
                    lines.push(std::mem::take(&mut current));
                    if lines.len() > max_lines {
                        break;
                    }
                    current.push(c);
                } else {
                    current = next;
                }
            }
        }
        if lines.len() > max_lines {
            break;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && !fits(&format!("{last} …")) {
                last.pop();
            }
            last.push_str(" …");
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inert_text_loses_its_direction_controls_and_keeps_urdu_joiners() {
        assert_eq!(inert("a\u{202E}b\u{2066}c\u{2069}"), "abc");
        assert_eq!(inert("a\u{1b}[31mb\r\nc"), "a [31mb  c");
        assert_eq!(inert("می\u{200C}ں"), "می\u{200C}ں");
        // The same rule as the window's and the command line's: zero-width characters out, an
        // Urdu typist's RLM kept, an RLM that would make "pdf.exe" read "exe.pdf" out.
        assert_eq!(inert("pay\u{200B}slip\u{FEFF}\u{2060}"), "payslip");
        assert_eq!(inert("مقدمہ PECA\u{200F} کے تحت"), "مقدمہ PECA\u{200F} کے تحت");
        assert_eq!(inert("رپورٹ pdf\u{200F}.exe"), "رپورٹ pdf.exe");
        let long = "x".repeat(100_000);
        assert_eq!(inert(&long).chars().count(), MAX_CHARS + 1);
    }

    #[test]
    fn a_latin_name_inside_urdu_keeps_its_place_and_direction() {
        let fonts = Fonts::get().expect("fonts");
        // Logical order: Urdu word, Latin name, Urdu word. Right to left, the first Urdu word
        // stands rightmost, the name in the middle reading left to right, the last word leftmost.
        let l = line(fonts, "مقدمہ PECA ختم", 12.0, false, true);
        let texts: Vec<&str> = l.pieces.iter().map(|p| p.text.trim()).filter(|t| !t.is_empty()).collect();
        assert_eq!(texts, vec!["ختم", "PECA", "مقدمہ"]);
        assert!(l.pieces.windows(2).all(|w| w[0].x <= w[1].x));
    }

    #[test]
    fn urdu_letters_are_joined_by_the_shaper() {
        let fonts = Fonts::get().expect("fonts");
        // Joined, "بہت" takes other glyphs than its three letters alone.
        let joined = line(fonts, "بہت", 12.0, false, true);
        let apart = line(fonts, "ب ہ ت", 12.0, false, true);
        let ids = |l: &Line| -> Vec<u32> {
            l.pieces.iter().flat_map(|p| p.glyphs.iter().map(|g| g.glyph_id.to_u32())).collect()
        };
        let apart_ids: Vec<u32> = ids(&apart);
        assert!(ids(&joined).iter().any(|g| !apart_ids.contains(g)), "no contextual form was chosen");
    }

    #[test]
    fn wrapping_keeps_every_line_inside_the_width_and_caps_the_lines() {
        let fonts = Fonts::get().expect("fonts");
        let text = "word ".repeat(200);
        let lines = wrap(fonts, text.trim(), 10.0, false, false, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| width(fonts, l, 10.0, false, false) <= 100.0 + 0.01));
        assert!(lines[2].ends_with('…'));
        let unbroken = "x".repeat(500);
        let lines = wrap(fonts, &unbroken, 10.0, false, false, 100.0, 100);
        assert!(lines.len() > 1 && lines.iter().all(|l| width(fonts, l, 10.0, false, false) <= 100.0 + 0.01));
    }
}
