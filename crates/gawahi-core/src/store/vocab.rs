//! Vocabularies: the shipped lists (statutes and sections, courts, bodies, provinces and
//! districts, incident and perpetrator types, case kinds and statuses…), each entry labelled in
//! English and Urdu.
//!
//! The lists ship as JSON in `assets/vocab/`, are compiled into the binary, and are copied into
//! the vault when it is created; from then on they live in the encrypted database and the user can
//! extend them. Record fields store an entry's `code`, never its label, so a renamed label changes
//! every record's display at once.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
