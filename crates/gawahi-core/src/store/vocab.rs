//! Vocabularies: the shipped lists (statutes and sections, courts, bodies, provinces and
//! districts, incident and perpetrator types, case kinds and statuses…), each entry labelled in
//! English and Urdu.
//!
//! The lists ship as JSON in `assets/vocab/`, are compiled into the binary, and are copied into
//! the vault when it is created; from then on they live in the encrypted database and the user can
//! extend them. Record fields store an entry's `code`, never its label, so a renamed label changes
//! every record's display at once.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::db::Migration;
use crate::error::{Error, Invalid, Reason, Result};

/// Schema changes of the vocabulary tables.
pub const MIGRATIONS: &[Migration] = &[Migration {
    order: 4,
    key: "vocab/0001_create",
    sql: "CREATE TABLE vocabularies (
              name TEXT PRIMARY KEY NOT NULL,
              parent TEXT,
              description TEXT NOT NULL
          ) STRICT;
          CREATE TABLE vocab (
              vocab TEXT NOT NULL REFERENCES vocabularies(name),
              code TEXT NOT NULL,
              parent TEXT,
              en TEXT NOT NULL,
              ur TEXT NOT NULL,
              extra TEXT,
              builtin INTEGER NOT NULL,
              PRIMARY KEY (vocab, code)
          ) STRICT, WITHOUT ROWID;",
}];

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        /// The vocabularies that ship with Gawahi, as `(name, JSON)`.
        pub const SHIPPED: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../../assets/vocab/", $name, ".json")))),*
        ];
    };
}

shipped!(
    "provinces",
    "districts",
    "statutes",
    "sections",
    "courts",
    "bodies",
    "incident_types",
    "perpetrator_types",
    "case_kinds",
    "case_statuses",
    "link_roles",
    "threat_channels",
    "referral_targets",
    "organisation_types",
    "countries",
    "documentation_types",
    "deadline_rules",
);

/// A vocabulary file as shipped.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct VocabFile {
    /// The vocabulary's name.
    pub name: String,
    /// What the list is.
    pub description: String,
    /// The vocabulary whose codes this one's `parent` fields name (districts → provinces).
    #[serde(default)]
    pub parent: Option<String>,
    /// The entries.
    pub entries: Vec<Entry>,
}

/// One entry of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The stable code that records store.
    pub code: String,
    /// The code of the parent entry (a district's province), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// English label.
    pub en: String,
    /// Urdu label.
    pub ur: String,
    /// Further attributes (a section's number and forum, a status's case kinds).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

impl Entry {
    /// The label in `lang` (`en` or `ur`).
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ur => &self.ur,
        }
    }
}

/// A language labels come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Urdu.
    Ur,
}

/// Parses every shipped vocabulary. The shipped files are checked by this crate's tests, so a
/// failure here is a build defect.
pub fn shipped_files() -> Result<Vec<VocabFile>> {
    SHIPPED
        .iter()
        .map(|(_, json)| {
            serde_json::from_str::<VocabFile>(json).map_err(|_| Error::Bug("a shipped vocabulary does not parse"))
        })
        .collect()
}

/// Copies the shipped vocabularies into a new vault.
pub(crate) fn load_shipped(conn: &Connection) -> Result<()> {
    for file in shipped_files()? {
        conn.execute(
            "INSERT OR IGNORE INTO vocabularies (name, parent, description) VALUES (?1, ?2, ?3)",
            (&file.name, &file.parent, &file.description),
        )?;
        let mut stmt = conn.prepare(
            "INSERT OR IGNORE INTO vocab (vocab, code, parent, en, ur, extra, builtin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
        )?;
        for e in &file.entries {
            let extra = (!e.extra.is_empty()).then(|| Value::Object(e.extra.clone()).to_string());
            stmt.execute((&file.name, &e.code, &e.parent, &e.en, &e.ur, extra))?;
        }
    }
    Ok(())
}

/// Brings the shipped vocabularies of an existing vault up to this build's: lists and entries
/// added since the vault was made are added, and shipped entries take this build's labels and
/// attributes (corrections, keywords). A user's own entries are never touched, and a user's entry
/// whose code a later build ships keeps the user's labels. Returns whether any label or entry
/// changed (the search index holds labels, and is then built again).
pub(crate) fn refresh_shipped(conn: &Connection) -> Result<bool> {
    let mut changed = 0;
    for file in shipped_files()? {
        conn.execute(
            "INSERT OR IGNORE INTO vocabularies (name, parent, description) VALUES (?1, ?2, ?3)",
            (&file.name, &file.parent, &file.description),
        )?;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO vocab (vocab, code, parent, en, ur, extra, builtin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
             ON CONFLICT (vocab, code) DO UPDATE SET parent = excluded.parent, en = excluded.en, ur = excluded.ur,
                 extra = excluded.extra
             WHERE vocab.builtin = 1 AND (vocab.parent IS NOT excluded.parent OR vocab.en <> excluded.en
                 OR vocab.ur <> excluded.ur OR vocab.extra IS NOT excluded.extra)",
        )?;
        for e in &file.entries {
            let extra = (!e.extra.is_empty()).then(|| Value::Object(e.extra.clone()).to_string());
            changed += stmt.execute((&file.name, &e.code, &e.parent, &e.en, &e.ur, extra))?;
        }
    }
    Ok(changed > 0)
}

/// The names of the vault's vocabularies.
pub(crate) fn names(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT name FROM vocabularies ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The entries of vocabulary `name`, in code order.
pub(crate) fn entries(conn: &Connection, name: &str) -> Result<Vec<Entry>> {
    let exists: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM vocabularies WHERE name = ?1)", [name], |r| r.get(0))?;
    if !exists {
        let known = names(conn)?.join(", ");
        return Err(Invalid::field(
            "name",
            Reason::NotInVocabulary,
            format!("there is no vocabulary of that name; the vocabularies are: {known}"),
        )
        .into());
    }
    let rows = conn
        .prepare("SELECT code, parent, en, ur, extra FROM vocab WHERE vocab = ?1 ORDER BY code")?
        .query_map([name], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(code, parent, en, ur, extra)| Entry {
            code,
            parent,
            en,
            ur,
            extra: extra.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
        })
        .collect())
}

/// Every entry a user added (not shipped), as `(vocabulary, entry)`, parents before children.
pub(crate) fn user_entries(conn: &Connection) -> Result<Vec<(String, Entry)>> {
    let rows = conn
        .prepare(
            "SELECT vocab, code, parent, en, ur, extra FROM vocab WHERE builtin = 0
             ORDER BY (SELECT v.parent IS NOT NULL FROM vocabularies v WHERE v.name = vocab.vocab), vocab, code",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Entry {
                    code: r.get(1)?,
                    parent: r.get(2)?,
                    en: r.get(3)?,
                    ur: r.get(4)?,
                    extra: r
                        .get::<_, Option<String>>(5)?
                        .and_then(|e| serde_json::from_str(&e).ok())
                        .unwrap_or_default(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds a user's entry to vocabulary `name`.
pub(crate) fn add(conn: &Connection, name: &str, entry: &Entry) -> Result<()> {
    let parent_vocab: Option<Option<String>> =
        conn.query_row("SELECT parent FROM vocabularies WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    let Some(parent_vocab) = parent_vocab else {
        return Err(Invalid::field("name", Reason::NotInVocabulary, "there is no vocabulary of that name").into());
    };
    if entry.code.is_empty()
        || !entry.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
    {
        return Err(Invalid::field(
            "code",
            Reason::BadVocabularyEntry,
            "use lowercase letters, digits, `_`, `.` and `-` only",
        )
        .into());
    }
    if entry.en.contains('\0') || entry.ur.contains('\0') {
        return Err(Invalid::field(
            if entry.en.contains('\0') { "en" } else { "ur" },
            Reason::NulCharacter,
            "contains a NUL character, which no text may hold",
        )
        .into());
    }
    // `extra` is ours in shipped entries and free-form in a user's (an imported vocabulary line):
    // kept small and without NUL, like every text.
    let extra_json = Value::Object(entry.extra.clone()).to_string();
    if extra_json.contains("\\u0000") {
        return Err(
            Invalid::field("extra", Reason::NulCharacter, "contains a NUL character, which no text may hold").into()
        );
    }
    if extra_json.len() > 10_000 {
        return Err(Invalid::field("extra", Reason::TooLong, "is longer than 10000 bytes").into());
    }
    if entry.en.chars().count() > 1_000 || entry.ur.chars().count() > 1_000 {
        return Err(Invalid::field("en", Reason::TooLong, "a label is longer than 1000 characters").into());
    }
    if entry.en.trim().is_empty() || entry.ur.trim().is_empty() {
        return Err(Invalid::field(
            if entry.en.trim().is_empty() { "en" } else { "ur" },
            Reason::BadVocabularyEntry,
            "every entry needs an English and an Urdu label",
        )
        .into());
    }
    if let Some(parent) = &entry.parent {
        let in_vocab = parent_vocab.as_deref().unwrap_or(name);
        let found: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM vocab WHERE vocab = ?1 AND code = ?2)",
            (in_vocab, parent),
            |r| r.get(0),
        )?;
        if !found {
            return Err(Invalid::field(
                "parent",
                Reason::NotInVocabulary,
                format!("is not in the {in_vocab} vocabulary"),
            )
            .into());
        }
    }
    let taken: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM vocab WHERE vocab = ?1 AND code = ?2)",
        (name, &entry.code),
        |r| r.get(0),
    )?;
    if taken {
        return Err(Invalid::field(
            "code",
            Reason::BadVocabularyEntry,
            format!("this code is already in the {name} vocabulary"),
        )
        .into());
    }
    let extra = (!entry.extra.is_empty()).then(|| Value::Object(entry.extra.clone()).to_string());
    conn.execute(
        "INSERT INTO vocab (vocab, code, parent, en, ur, extra, builtin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
        (name, &entry.code, &entry.parent, &entry.en, &entry.ur, extra),
    )?;
    Ok(())
}

/// A section found for what a lawyer typed (see [`find_sections`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SectionMatch {
    /// The statute's code (`peca_2016`): a charge's `statute`.
    pub statute: String,
    /// The section as the statute writes it (`26A`, `295-C`): a charge's `section`.
    pub section: String,
    /// The entry's code in the `sections` vocabulary.
    pub code: String,
    /// English label.
    pub en: String,
    /// Urdu label.
    pub ur: String,
}

/// The longest query [`find_sections`] reads, in characters: a charge line, not a document.
pub const MAX_SECTION_QUERY: usize = 200;

/// The sections that match `query` as lawyers type charges: a section number in any spelling
/// (`26A`, `26-A`, `26 A`, `s.26A`, `s. 26-A`, `۲۶`), optionally after a statute's short name or
/// code (`PECA 26A`, `PPC 34`), an entry's own code (`ppc_1860.34`), and words of the title in
/// English or Urdu (`fake`, `dignity`,
/// `blasphemy` through the labels' own words, `توہین`). Every word must match. An exact section
/// number ranks before a section that only starts with it (`295` finds 295-A, 295-B and 295-C).
/// `sections` and `statutes` are the vault's vocabularies (user entries included), so a charge
/// the user added is found like a shipped one. This is the one matching the CLI and the app's
/// charge picker use.
pub fn find_sections(sections: &[Entry], statutes: &[Entry], query: &str) -> Vec<SectionMatch> {
    let query: String = query.chars().take(MAX_SECTION_QUERY).map(ascii_digit).collect::<String>().to_lowercase();
    let mut statute_filter: Option<&str> = None;
    let mut numbers: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    // A slash separates sections charged together ("506/34 PPC") and the parts of "u/s", "r/w".
    let tokens: Vec<&str> = query
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '/')
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        let mut token = tokens[i];
        i += 1;
        // "s.26A", "sec.26", "art.19", "§26": the marker says a number follows; alone it is noise.
        for marker in ["section", "sec.", "sec", "s.", "art.", "article", "§", "دفعہ", "آرٹیکل"] {
            if let Some(rest) = token.strip_prefix(marker)
                && (rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ' '))
            {
                token = rest.trim_start_matches('.');
                break;
            }
        }
        if token.is_empty() || STOP_WORDS.contains(&token) {
            continue;
        }
        if let Some(code) = statute_code(statutes, token) {
            statute_filter = Some(code);
            continue;
        }
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            let mut number = normalise_section(token);
            // "26 A", "11 EE", "295 -C": letters typed apart from their number belong to it, but
            // not a word of the sentence ("20 of PECA", "506 r/w 34").
            while i < tokens.len() {
                if let Some(letters) = section_letters(tokens[i]) {
                    number.push_str(letters);
                    i += 1;
                } else {
                    break;
                }
            }
            numbers.push(number);
        } else if token.chars().count() >= 2 {
            words.push(token.trim_matches(|c: char| c.is_ascii_punctuation()).to_owned());
        }
    }
    if numbers.is_empty() && words.iter().all(String::is_empty) && statute_filter.is_none() {
        return Vec::new();
    }
    let shipped_order = shipped_statute_order();
    let mut found: Vec<(SortKey, SectionMatch)> = Vec::new();
    for (order, e) in sections.iter().enumerate() {
        let Some(statute) = e.parent.as_deref() else { continue };
        if statute_filter.is_some_and(|s| s != statute) {
            continue;
        }
        let section = e
            .extra
            .get("section")
            .and_then(Value::as_str)
            .map_or_else(|| e.code.rsplit_once('.').map_or(e.code.as_str(), |(_, s)| s).to_owned(), str::to_owned);
        let normalised = normalise_section(&section);
        // Several numbers ("PECA 20, 26A") are alternatives: the best match ranks the entry.
        let rank = if numbers.is_empty() {
            0
        } else {
            let best = numbers
                .iter()
                .filter_map(|n| {
                    if normalised == *n {
                        Some(0)
                    } else {
                        let rest = normalised.strip_prefix(n.as_str())?;
                        // "29" is not a start of "295": a prefix must end where the number does.
                        (!rest.starts_with(|c: char| c.is_ascii_digit())).then_some(1)
                    }
                })
                .min();
            let Some(best) = best else { continue };
            best
        };
        let en = e.en.to_lowercase();
        let short =
            statutes.iter().find(|s| s.code == statute).and_then(|s| s.extra.get("short")).and_then(Value::as_str);
        // The label, the note and the entry's keywords (the words lawyers use that the statute's
        // title does not: "blasphemy" for 295-C), in English and Urdu.
        let in_text = |w: &str| {
            e.code == w
                || en.contains(w)
                || e.ur.contains(w)
                || ["note", "keywords"]
                    .iter()
                    .any(|k| e.extra.get(*k).and_then(Value::as_str).is_some_and(|n| n.to_lowercase().contains(w)))
        };
        if !words.iter().filter(|w| !w.is_empty()).all(|w| in_text(w) || short.is_some_and(|s| s.to_lowercase() == *w))
        {
            continue;
        }
        let key = SortKey {
            rank,
            statute: shipped_order.iter().position(|c| *c == statute).unwrap_or(usize::MAX),
            number: normalised
                .bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))),
            section: normalised,
            order,
        };
        found.push((
            key,
            SectionMatch {
                statute: statute.to_owned(),
                section,
                code: e.code.clone(),
                en: e.en.clone(),
                ur: e.ur.clone(),
            },
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, m)| m).collect()
}

/// Words of a charge line that say nothing of which section: "u/s", "r/w" (read with) and the
/// little words of "section 20 of PECA".
const STOP_WORDS: &[&str] = &["s", "u", "r", "w", "of", "in", "the", "and", "with", "read", "under"];

/// The letters of a section typed apart from its number, if `token` is that: one letter, two
/// after a dash ("-EE"), or one letter twice ("EE"); never a stop word.
fn section_letters(token: &str) -> Option<&str> {
    let dashed = token.starts_with('-');
    let letters = token.trim_start_matches('-');
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) || STOP_WORDS.contains(&letters) {
        return None;
    }
    let bytes = letters.as_bytes();
    match bytes.len() {
        1 => Some(letters),
        2 if dashed || bytes[0] == bytes[1] => Some(letters),
        _ => None,
    }
}

/// How found sections are ordered: an exact number before a number it starts; then statutes in
/// the shipped list's order (the criminal laws first, the user's own statutes last); then by
/// section number as a number (3 before 10), then as written (295-A before 295-B).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    rank: u8,
    statute: usize,
    number: u64,
    section: String,
    order: usize,
}

/// The statutes' codes in the order the shipped list gives them.
fn shipped_statute_order() -> Vec<String> {
    SHIPPED
        .iter()
        .find(|(name, _)| *name == "statutes")
        .and_then(|(_, json)| serde_json::from_str::<VocabFile>(json).ok())
        .map(|f| f.entries.into_iter().map(|e| e.code).collect())
        .unwrap_or_default()
}

/// A section number in one form: lower case, letters and digits only (`26-A`, `26A` and `26 a`
/// are all `26a`; `2(1)(d)` is `21d`).
pub(crate) fn normalise_section(s: &str) -> String {
    s.chars().map(ascii_digit).filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Urdu (Extended Arabic-Indic) and Arabic-Indic digits as ASCII digits; anything else as it is.
fn ascii_digit(c: char) -> char {
    match c {
        '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10).unwrap_or(c),
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10).unwrap_or(c),
        _ => c,
    }
}

/// The statute a token names by its short name (`peca`, `crpc`) or its code (`peca_2016`).
fn statute_code<'s>(statutes: &'s [Entry], token: &str) -> Option<&'s str> {
    let token = token.trim_matches(|c: char| c.is_ascii_punctuation() && c != '_');
    statutes
        .iter()
        .find(|s| {
            s.code == token
                || s.extra.get("short").and_then(Value::as_str).is_some_and(|short| short.to_lowercase() == token)
        })
        .map(|s| s.code.as_str())
}

/// What the model's validation asks of the vault, answered from the vocabulary and record tables.
impl crate::model::Lookup for Connection {
    fn vocab_entry(&self, vocab: &str, code: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        Ok(self
            .prepare_cached("SELECT parent, extra FROM vocab WHERE vocab = ?1 AND code = ?2")?
            .query_row((vocab, code), |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn section_as_written(&self, statute: &str, section: &str) -> Result<bool> {
        Ok(self
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM vocab WHERE vocab = 'sections' AND parent = ?1
                 AND lower(json_extract(extra, '$.section')) = lower(?2))",
            )?
            .query_row((statute, section), |r| r.get(0))?)
    }

    fn record_kind(&self, id: &str) -> Result<Option<String>> {
        Ok(self.prepare_cached("SELECT kind FROM records WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?)
    }
}

/// A vocabulary entry as validation reads it: its parent code and its `extra` JSON.
type EntryFields = Option<(Option<String>, Option<String>)>;

/// Vocabulary entries as validation asks for them, each read once for many records: a batch's
/// records share most of their entries (`Vault::add_batch`; a query per entry per record was a
/// twentieth of its time). It lives for one transaction's writes; one that adds an entry (an
/// import's `vocab` line) starts a new memo (`IndexWriter::forget_vocabulary`). Whether a record
/// exists is never remembered, since a batch adds records.
#[derive(Debug, Default)]
pub(crate) struct VocabMemo {
    entries: RefCell<HashMap<(String, String), EntryFields>>,
}

impl VocabMemo {
    /// What validation asks of `conn`, entries remembered here.
    pub(crate) fn lookup<'a>(&'a self, conn: &'a Connection) -> MemoLookup<'a> {
        MemoLookup { conn, memo: self }
    }
}

/// [`crate::model::Lookup`] of a connection through a [`VocabMemo`].
#[derive(Debug)]
pub(crate) struct MemoLookup<'a> {
    conn: &'a Connection,
    memo: &'a VocabMemo,
}

impl crate::model::Lookup for MemoLookup<'_> {
    fn vocab_entry(&self, vocab: &str, code: &str) -> Result<EntryFields> {
        let key = (vocab.to_owned(), code.to_owned());
        if let Some(found) = self.memo.entries.borrow().get(&key) {
            return Ok(found.clone());
        }
        let found = crate::model::Lookup::vocab_entry(self.conn, vocab, code)?;
        self.memo.entries.borrow_mut().insert(key, found.clone());
        Ok(found)
    }

    fn section_as_written(&self, statute: &str, section: &str) -> Result<bool> {
        crate::model::Lookup::section_as_written(self.conn, statute, section)
    }

    fn record_kind(&self, id: &str) -> Result<Option<String>> {
        crate::model::Lookup::record_kind(self.conn, id)
    }
}

/// Every vocabulary entry's labels, English and Urdu, by vocabulary and then code: what statistics
/// and facet counts show beside each value they count.
pub(crate) type Labels = HashMap<String, HashMap<String, (String, String)>>;

/// The vocabulary's labels, read once when the vault opens and kept while the vocabulary stays as
/// it was: a statistic labels every value it counts, and the vocabulary's pages leave SQLite's
/// cache like any others, so the dashboard's first pass after a while spent in lists read seven
/// of its ten pages (each decrypted and authenticated) for labels alone.
///
/// Read again when this vault adds an entry ([`VocabLabels::forget`]) or another connection
/// has committed anything since (`PRAGMA data_version`). Wiped when forgotten or dropped: a
/// user's own entries are text they typed.
#[derive(Debug, Default)]
pub(crate) struct VocabLabels {
    kept: RefCell<Option<(i64, Labels)>>,
}

impl VocabLabels {
    /// The labels of `conn`'s vocabulary, read now; nothing kept if they cannot be read (the
    /// first use reads them again and reports why not).
    pub(crate) fn read_from(conn: &Connection) -> Self {
        let labels = Self::default();
        let _ = labels.with(conn, |_| ());
        labels
    }

    /// `f` of the labels, read again first if the vocabulary may have changed.
    pub(crate) fn with<R>(&self, conn: &Connection, f: impl FnOnce(&Labels) -> R) -> Result<R> {
        let version: i64 = conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?;
        if self.kept.borrow().as_ref().is_none_or(|(v, _)| *v != version) {
            self.forget();
            let mut labels = Labels::new();
            let mut rows = conn.prepare_cached("SELECT vocab, code, en, ur FROM vocab")?;
            let mut rows = rows.query([])?;
            while let Some(row) = rows.next()? {
                labels.entry(row.get(0)?).or_default().insert(row.get(1)?, (row.get(2)?, row.get(3)?));
            }
            *self.kept.borrow_mut() = Some((version, labels));
        }
        let kept = self.kept.borrow();
        let (_, labels) = kept.as_ref().ok_or(Error::Bug("labels just read"))?;
        Ok(f(labels))
    }

    /// Drops (and wipes) what is kept, after this vault changed its vocabulary.
    pub(crate) fn forget(&self) {
        if let Some((_, mut labels)) = self.kept.borrow_mut().take() {
            for (mut vocab, mut entries) in labels.drain() {
                vocab.zeroize();
                for (mut code, (mut en, mut ur)) in entries.drain() {
                    for text in [&mut code, &mut en, &mut ur] {
                        text.zeroize();
                    }
                }
            }
        }
    }
}

impl Drop for VocabLabels {
    fn drop(&mut self) {
        self.forget();
    }
}
