//! What leaves the vault for other people to read: the anonymised advocacy tables (CSV for
//! Uwazi, JSON), the counts behind a summary report, and PDF reports (a summary, a case dossier,
//! the cause list). Everything here is made in memory from the vault's records and handed to a
//! writer or returned as bytes; nothing in this module touches the disk.
//!
//! The counts live in [`counts`] and are small on purpose: when the search module's statistics
//! exist, a summary report can take its counts from there instead.

pub mod anonymise;
pub mod counts;
pub mod pdf;
mod pseudonym;
mod text;

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::vocab::{self, Lang};

pub(crate) use pseudonym::Pseudonyms;

/// The labels of every vocabulary entry in both languages, loaded once per report.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    by_code: HashMap<(String, String), (String, String)>,
}

impl Labels {
    pub(crate) fn load(conn: &Connection) -> Result<Self> {
        let mut by_code = HashMap::new();
        for name in vocab::names(conn)? {
            for e in vocab::entries(conn, &name)? {
                by_code.insert((name.clone(), e.code), (e.en, e.ur));
            }
        }
        Ok(Self { by_code })
    }

    /// The label of `code` in the vocabulary `vocab`, or the code itself if the vocabulary has
    /// no such entry (a record imported before its entry was removed).
    pub(crate) fn get(&self, vocab: &str, code: &str, lang: Lang) -> String {
        match self.by_code.get(&(vocab.to_owned(), code.to_owned())) {
            Some((en, ur)) => match lang {
                Lang::En => en.clone(),
                Lang::Ur => ur.clone(),
            },
            None => code.to_owned(),
        }
    }

    /// A charge as Uwazi's grouped thesaurus writes it: `statute::section`.
    pub(crate) fn charge(&self, statute: &str, section: &str, lang: Lang) -> String {
        let code = format!("{statute}.{}", section.to_lowercase());
        let section_label = if self.by_code.contains_key(&("sections".to_owned(), code.clone())) {
            self.get("sections", &code, lang)
        } else {
            section.to_owned()
        };
        format!("{}::{section_label}", self.get("statutes", statute, lang))
    }
}
