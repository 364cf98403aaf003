//! One normalisation for indexing and for querying, so that what a user types finds what was
//! written however either was spelled.
//!
//! A text is cut into words; a word is a run of letters and digits together with the marks and
//! invisible format characters inside it (so a zero-width non-joiner or an aerab never splits a
//! word). Each word is then folded:
//!
//! 1. Compatibility decomposition (NFKD): presentation forms and ligatures become their letters,
//!    full-width Latin becomes ASCII, and a letter carrying a mark is split into the letter and
//!    the mark.
//! 2. Marks are removed: Latin accents (U+0300–U+036F and the other combining blocks), and the
//!    Urdu and Arabic aerab (U+064B–U+065F, U+0670, U+06D6–U+06ED), which include hamza and madda
//!    above and below. Hence **آ, أ and إ read as ا**, ئ as ی, ؤ as و, ۂ and ۀ as ہ, ۓ as ے: a
//!    user who types the bare letter finds the word written with its hamza or madda and the
//!    other way round.
//! 3. Format characters (ZWNJ, ZWJ, bidi marks and isolates, soft hyphen, zero-width space) and
//!    the tatweel are removed.
//! 4. Lower case (Unicode's full mapping).
//! 5. Arabic letter variants fold to the Urdu letter: ي and ى to ی, ك to ک, ه, ة, ۃ and ە to ہ.
//!    (ھ, the do-chashmi he of aspirates, stays a letter of its own.)
//! 6. Urdu (Extended Arabic-Indic) and Arabic-Indic digits become ASCII digits.
//!
//! A **compound** of words joined by one or two of `- . / ( )` with nothing else between them,
//! of which one has a digit, is also one word of its own, its pieces' folded forms put together
//! after them: a section written `295-C` is the words `295`, `c` and `295c`, so it is found by
//! `295C`, `295-C` or `295 C`, and `295-C` asked finds the case charged under it, not every text
//! with a `295` and a word beginning with `c` (a Penal Code case charged under 295-A). A CNIC or a
//! phone number written with dashes is found without them too.
//!
//! A query is cut and folded the same way, and every word is put in double quotes in the FTS5
//! expression, so nothing a user types is read as FTS5 syntax (`"`, `*`, `AND`, `NEAR(`, `-`,
//! `:`). The **last word is a prefix** (`word*`): results follow the typing, and earlier words,
//! already finished, stay whole words, which keeps a several-word query precise.

use unicode_normalization::UnicodeNormalization;

/// The most words a query may have; more are refused rather than silently dropped.
pub const MAX_QUERY_WORDS: usize = 32;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Whether `c` is a combining mark this normalisation removes.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Whether `c` is an invisible format character (Unicode category Cf, the ones text carries) or
/// the tatweel, which only stretches a joined letter.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061C}'
        | '\u{0640}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Whether `c` belongs to a word (rather than separating words).
fn in_word(c: char) -> bool {
    // ASCII is most of what is indexed; its answer needs no lookup in Unicode's tables.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Nor do the Urdu and Arabic letters and digits, the rest of what is indexed: Unicode's
    // alphabetic table is a slow search for anything outside Latin-1 (12% of insert time).
    if is_arabic_letter_or_digit(c) {
        return true;
    }
    in_word_by_tables(c)
}

/// What `in_word` answers, from Unicode's tables alone.
fn in_word_by_tables(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c) || is_format(c)
}

/// Whether `c` is one of the Arabic block's letters (category Lo) or digits (Nd), by its ranges.
pub(crate) fn is_arabic_letter_or_digit(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' | '\u{06F0}'..='\u{06F9}')
}

/// The folded form of one character after decomposition, if it stays.
fn fold_char(c: char, out: &mut String) {
    // The Arabic block has no letter case, and its digits and variants are all `fold_arabic`
    // does to it: Unicode's lower-case table is skipped for it, and its marks and format
    // characters are looked for in its own ranges alone.
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        if !matches!(c, '\u{0600}'..='\u{0605}' | '\u{0610}'..='\u{061A}' | '\u{061C}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
        {
            out.push(fold_arabic(c));
        }
        return;
    }
    if is_mark(c) || is_format(c) {
        return;
    }
    for l in c.to_lowercase() {
        out.push(fold_arabic(l));
    }
}

/// Arabic letter variants folded to the Urdu letter, and Urdu and Arabic-Indic digits to ASCII.
fn fold_arabic(l: char) -> char {
    match l {
        '\u{064A}' | '\u{0649}' => '\u{06CC}',
        '\u{0643}' => '\u{06A9}',
        '\u{0647}' | '\u{0629}' | '\u{06C3}' | '\u{06D5}' => '\u{06C1}',
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (u32::from(l) - 0x06F0) as u8),
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (u32::from(l) - 0x0660) as u8),
        other => other,
    }
}

/// The folded form of one word (see the module documentation); empty if nothing of it stays.
pub fn normalise_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_word_into(word, &mut out);
    out
}

/// Appends the folded form of `word` to `out`.
fn fold_word_into(word: &str, out: &mut String) {
    // An ASCII word decomposes to itself and has no marks or format characters: lower case is
    // all its folding does. Profiling the insert path found NFKD and Unicode's case tables the
    // largest cost of indexing a mostly English record.
    if word.is_ascii() {
        out.extend(word.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    // Nor does an Urdu word whose every character NFKD leaves as it is (most of them: only the
    // letters carrying a hamza or madda decompose): folded character by character, it skips
    // NFKD's table lookups and buffer, most of an Urdu word's folding (callgrind of a bulk
    // insert: folding 9% of its instructions). NFKD would also put marks in canonical order,
    // which changes nothing here: folding removes every mark of the block.
    if word.chars().all(|c| c.is_ascii() || arabic_keeps_its_form(c)) {
        for c in word.chars() {
            if in_word(c) {
                fold_char(c, out);
            }
        }
        return;
    }
    fold_word_decomposed(word, out);
}

/// Whether `c` is a character of the Arabic block (U+0600–U+06FF) that NFKD leaves as it is,
/// by a table made once from `unicode_normalization` itself.
fn arabic_keeps_its_form(c: char) -> bool {
    static KEEPS: std::sync::OnceLock<[bool; 256]> = std::sync::OnceLock::new();
    let Some(i) = u32::from(c).checked_sub(0x0600).and_then(|i| usize::try_from(i).ok()).filter(|i| *i < 256) else {
        return false;
    };
    KEEPS.get_or_init(|| {
        std::array::from_fn(|i| {
            let c = char::from_u32(0x0600 + u32::try_from(i).unwrap_or(0)).unwrap_or('\0');
            let mut d = std::iter::once(c).nfkd();
            d.next() == Some(c) && d.next().is_none()
        })
    })[i]
}

/// [`fold_word_into`] for any word: decomposed (NFKD), then folded character by character.
fn fold_word_decomposed(word: &str, out: &mut String) {
    for c in word.nfkd() {
        // NFKD can turn one character into several words' worth (`½` into `1⁄2`); what is not
        // a word character any more is dropped so a folded word is always one token.
        if in_word(c) {
            fold_char(c, out);
        }
    }
}

/// Whether `c` may join the words of a compound (see the module documentation).
fn joins(c: u8) -> bool {
    matches!(c, b'-' | b'.' | b'/' | b'(' | b')')
}

/// Whether the word ending at byte `end` of `text` goes on into a compound: one or two joining
/// characters, then a word.
fn compound_goes_on(text: &str, end: usize) -> bool {
    let rest = &text.as_bytes()[end..];
    let joiners = rest.iter().take(2).take_while(|b| joins(**b)).count();
    joiners > 0 && text[end + joiners..].chars().next().is_some_and(in_word)
}

/// The compound word of a run of words (their folded forms, in order), when it makes one: two
/// words or more, one of them with a digit.
fn compound_of<'a>(pieces: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    let mut n = 0;
    let mut digit = false;
    for p in pieces.clone() {
        n += 1;
        digit |= p.bytes().any(|b| b.is_ascii_digit());
    }
    (n > 1 && digit).then(|| pieces.collect())
}

/// The words of `text` as byte ranges into it, each with its folded form (words that fold to
/// nothing are left out). A compound follows its pieces, its range covering theirs.
pub fn words(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut start = None;
    // Where the compound being read began: its first byte and its first piece in `out`.
    let mut compound: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, in_word(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let folded = normalise_word(&text[s..i]);
                let first = *compound.get_or_insert((s, out.len()));
                if !folded.is_empty() {
                    out.push((s..i, folded));
                }
                if !compound_goes_on(text, i) {
                    compound = None;
                    if let Some(joined) = compound_of(out[first.1..].iter().map(|(_, w)| w.as_str())) {
                        out.push((first.0..i, joined));
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// `text` folded word by word, the words joined by single spaces: what the index holds.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

/// Appends [`normalise`]'s form of `text` to `out`, after a space when `out` is not empty and
/// `text` has a word: how a record's texts are joined into the index's body without a string
/// for each text.
pub(crate) fn normalise_into(text: &str, out: &mut String) {
    // Folds each word straight into the result rather than through `words`, which allocates a
    // string per word: this runs on every text of every record indexed.
    let mut start = None;
    // Where in `out` the compound being read began (see `words`).
    let mut compound: Option<usize> = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, in_word(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let before = out.len();
                let first = *compound.get_or_insert(before);
                if before > 0 {
                    out.push(' ');
                }
                fold_word_into(&text[s..i], out);
                // A word that folds to nothing leaves no separator behind.
                if out.len() == before + usize::from(before > 0) {
                    out.truncate(before);
                }
                // Most words end at a space: only a joining character looks further.
                if !text.as_bytes().get(i).copied().is_some_and(joins) || !compound_goes_on(text, i) {
                    compound = None;
                    let pieces = out[first..].split(' ').filter(|w| !w.is_empty());
                    if let Some(joined) = compound_of(pieces) {
                        out.push(' ');
                        out.push_str(&joined);
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
}

/// A query, cut into folded words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The folded words, in order; the last is matched as a prefix.
    pub words: Vec<String>,
}

/// Why a query cannot be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryProblem {
    /// Longer than [`MAX_QUERY_CHARS`] characters or [`MAX_QUERY_WORDS`] words.
    TooLong,
}

impl Query {
    /// Cuts and folds what the user typed. An empty result (nothing but spaces and punctuation)
    /// is a query with no words, which matches nothing by text.
    pub fn parse(typed: &str) -> Result<Self, QueryProblem> {
        if typed.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryProblem::TooLong);
        }
        let words: Vec<String> = words(typed).into_iter().map(|(_, w)| w).collect();
        if words.len() > MAX_QUERY_WORDS {
            return Err(QueryProblem::TooLong);
        }
        Ok(Self { words })
    }

    /// Whether it has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The FTS5 expression: every word quoted (a folded word holds only letters and digits, so it
    /// never contains a quote), all of them required, the last one as a prefix.
    pub fn fts_expression(&self) -> String {
        self.expression(true)
    }

    /// The FTS5 expression with every word whole, the last one too: FTS5 seeks straight to a
    /// kind's range in a whole word's list of documents, where a prefix first gathers the
    /// documents of every word it begins, in every kind.
    pub fn fts_expression_whole(&self) -> String {
        self.expression(false)
    }

    fn expression(&self, last_is_prefix: bool) -> String {
        let mut out = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push('"');
            out.push_str(w);
            out.push('"');
            if last_is_prefix && i + 1 == self.words.len() {
                out.push('*');
            }
        }
        out
    }

    /// Whether the folded word `w` of a text matches the query's word `i`.
    pub fn matches(&self, i: usize, w: &str) -> bool {
        let q = &self.words[i];
        if i + 1 == self.words.len() { w.starts_with(q.as_str()) } else { w == q }
    }

    /// Whether the folded word `w` matches any of the query's words.
    pub fn matches_any(&self, w: &str) -> bool {
        (0..self.words.len()).any(|i| self.matches(i, w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of one or two characters of the Arabic block, alone or beside ASCII and a
    /// zero-width non-joiner, folds the same by the character-by-character path as through NFKD;
    /// and every character NFKD would reorder is a mark folding removes.
    #[test]
    fn an_urdu_word_folds_the_same_without_nfkd_as_with_it() {
        let block: Vec<char> = (0x0600..=0x06FF).filter_map(char::from_u32).collect();
        for c in &block {
            if unicode_normalization::char::canonical_combining_class(*c) != 0 {
                assert!(is_mark(*c), "U+{:04X} is reordered by NFKD but not removed", u32::from(*c));
            }
        }
        // Folding drops a character of the block exactly when it is a mark or a format character.
        for c in &block {
            let mut folded = String::new();
            fold_char(*c, &mut folded);
            assert_eq!(folded.is_empty(), is_mark(*c) || is_format(*c), "U+{:04X}", u32::from(*c));
        }
        let others = ['a', 'Q', '7', '\u{200C}', 'ی', 'ك'];
        let mut fast = String::new();
        let mut slow = String::new();
        for a in block.iter().chain(&others) {
            for b in block.iter().chain(&others) {
                let word: String = [*a, *b].iter().collect();
                fast.clear();
                slow.clear();
                fold_word_into(&word, &mut fast);
                fold_word_decomposed(&word, &mut slow);
                assert_eq!(fast, slow, "{word:?}");
            }
        }
    }

    #[test]
    fn texts_appended_are_joined_by_one_space_as_if_folded_alone() {
        // The index's body is each text's `normalise` joined by single spaces, texts that fold to
        // nothing (punctuation, a lone mark) leaving no separator, whatever came before.
        let texts = ["", "  —  ", "Police  raided", "َ", "زَیْنَب\u{200C}، FIR-12", "…", "½ two"];
        let mut appended = String::new();
        for t in texts {
            normalise_into(t, &mut appended);
        }
        let joined: Vec<String> = texts.iter().map(|t| normalise(t)).filter(|f| !f.is_empty()).collect();
        assert_eq!(appended, joined.join(" "));
        assert_eq!(appended, "police raided زینب fir 12 fir12 12 two");
    }

    #[test]
    fn aerab_are_removed() {
        // زَیْنَب with fatha and sukun, عِلْم with kasra and sukun, and a superscript alef.
        assert_eq!(normalise("زَیْنَب"), "زینب");
        assert_eq!(normalise("عِلْم"), "علم");
        assert_eq!(normalise("رحمٰن"), "رحمن");
        assert_eq!(normalise("مُلزِم"), normalise("ملزم"));
    }

    #[test]
    fn format_characters_are_removed_without_splitting_the_word() {
        assert_eq!(normalise("زیادہ\u{200C}تر"), "زیادہتر");
        assert_eq!(normalise("پو\u{200D}لیس"), "پولیس");
        assert_eq!(normalise("\u{2067}کراچی\u{2069}"), "کراچی");
        assert_eq!(normalise("سـلام"), "سلام", "tatweel");
        assert_eq!(normalise("soft\u{00AD}ware"), "software");
    }

    #[test]
    fn arabic_letter_variants_fold_to_urdu() {
        assert_eq!(normalise("علي"), normalise("علی"));
        assert_eq!(normalise("مصطفى"), normalise("مصطفی"));
        assert_eq!(normalise("كراچی"), normalise("کراچی"));
        assert_eq!(normalise("مدرسه"), normalise("مدرسہ"));
        assert_eq!(normalise("مدرسة"), normalise("مدرسہ"));
        assert_eq!(normalise("مدرسۃ"), normalise("مدرسہ"));
        assert_eq!(normalise("زوجۂ"), normalise("زوجہ"));
        assert_eq!(normalise("زوجۀ"), normalise("زوجہ"));
        // The do-chashmi he of an aspirate is a letter of its own.
        assert_ne!(normalise("بھائی"), normalise("بہائی"));
    }

    #[test]
    fn hamza_and_madda_forms_read_as_the_bare_letter() {
        assert_eq!(normalise("آج"), normalise("اج"));
        assert_eq!(normalise("أحمد"), normalise("احمد"));
        assert_eq!(normalise("إسلام"), normalise("اسلام"));
        assert_eq!(normalise("گئی"), normalise("گیی"));
    }

    #[test]
    fn digits_fold_to_ascii() {
        assert_eq!(normalise("دفعہ ۲۹۵"), normalise("دفعہ 295"));
        assert_eq!(normalise("٢٠٢٤"), "2024");
        assert_eq!(normalise("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
    }

    #[test]
    fn latin_case_accents_and_width_fold() {
        assert_eq!(normalise("Café QUETTA"), "cafe quetta");
        assert_eq!(normalise("ＰＥＣＡ"), "peca");
        assert_eq!(normalise("ﬁle"), "file");
    }

    #[test]
    fn words_split_on_punctuation_and_keep_their_ranges() {
        let text = "s.295-C, «Quetta»";
        let w = words(text);
        let got: Vec<(&str, &str)> = w.iter().map(|(r, f)| (&text[r.clone()], f.as_str())).collect();
        assert_eq!(got, [("s", "s"), ("295", "295"), ("C", "c"), ("s.295-C", "s295c"), ("Quetta", "quetta")]);
    }

    #[test]
    fn a_compound_with_a_digit_is_a_word_of_its_own_after_its_pieces() {
        for (text, folded) in [
            ("295-C", "295 c 295c"),
            ("PPC s.295-C.", "ppc s 295 c s295c"),
            ("2(1)(D)", "2 1 d 21d"),
            ("CNIC 35202-1234567-1", "cnic 35202 1234567 1 3520212345671"),
            ("0300-1234567", "0300 1234567 03001234567"),
            ("۲۹۵-سی", "295 سی 295سی"),
            // No digit, a space, or three joining characters: no compound.
            ("Lahore-High-Court", "lahore high court"),
            ("295 - C", "295 c"),
            ("295---C", "295 c"),
            ("No. 12", "no 12"),
        ] {
            assert_eq!(normalise(text), folded, "{text:?}");
            let joined: Vec<String> = words(text).into_iter().map(|(_, w)| w).collect();
            assert_eq!(joined.join(" "), folded, "{text:?}: `words` agrees");
        }
        // A query for the section as it is usually typed, or as written, ends with the compound,
        // which is its prefix word.
        assert_eq!(Query::parse("295C").expect("parse").words, ["295c"]);
        assert_eq!(Query::parse("295-C").expect("parse").fts_expression(), "\"295\" \"c\" \"295c\"*");
    }

    #[test]
    fn presentation_forms_fold_to_letters() {
        // ﻙ (U+FED9, kaf isolated form) is ك, which folds to ک.
        assert_eq!(normalise("\u{FED9}"), "\u{06A9}");
    }

    #[test]
    fn queries_quote_every_word_and_prefix_the_last() {
        let q = Query::parse("bail \"granted\" AND NEAR( x* -y").expect("parse");
        assert_eq!(q.words, ["bail", "granted", "and", "near", "x", "y"]);
        assert_eq!(q.fts_expression(), "\"bail\" \"granted\" \"and\" \"near\" \"x\" \"y\"*");
        assert!(Query::parse("\"*-:^()").expect("parse").is_empty());
    }

    #[test]
    fn fail_queries_too_long_are_refused() {
        assert_eq!(Query::parse(&"a".repeat(MAX_QUERY_CHARS + 1)), Err(QueryProblem::TooLong));
        let many = vec!["w"; MAX_QUERY_WORDS + 1].join(" ");
        assert_eq!(Query::parse(&many), Err(QueryProblem::TooLong));
    }

    #[test]
    fn query_words_match_whole_words_and_the_last_as_a_prefix() {
        let q = Query::parse("high cou").expect("parse");
        assert!(q.matches(0, "high"));
        assert!(!q.matches(0, "higher"));
        assert!(q.matches(1, "court"));
        assert!(q.matches_any("court"));
        assert!(!q.matches_any("low"));
    }

    #[test]
    fn normalise_is_the_folded_words_joined_by_spaces() {
        // `normalise` folds in place rather than through `words`; both must agree, on ASCII,
        // Urdu, mixed words, and words that fold to nothing (a lone mark, a lone ZWNJ).
        for text in [
            "FIR No. 123/2024 — Police Station Saddar, KARACHI",
            "  \u{0651} first \u{200C} ½ last \u{0651}",
            "زَیْنَب  café ＡＢＣ ﻻ 12٣۴ Ärzte\u{0301}",
            "\u{200C}\u{200C}",
            "",
        ] {
            let joined: Vec<String> = words(text).into_iter().map(|(_, w)| w).collect();
            assert_eq!(normalise(text), joined.join(" "), "{text:?}");
        }
        assert_eq!(normalise("Bail GRANTED, Lahore-High-Court"), "bail granted lahore high court");
    }

    #[test]
    fn the_shortcuts_agree_with_unicodes_tables() {
        // `in_word` and `fold_char` answer ASCII and the Arabic block without Unicode's tables;
        // every character they shortcut must get the tables' answer.
        for c in ('\0'..='\u{07FF}').filter(|c| c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(c)) {
            assert_eq!(in_word(c), in_word_by_tables(c), "{:04X}", u32::from(c));
            if ('\u{0600}'..='\u{06FF}').contains(&c) {
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{:04X}", u32::from(c));
            }
        }
    }
}
