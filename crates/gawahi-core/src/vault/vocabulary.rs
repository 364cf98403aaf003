//! The vault's vocabularies and the user's own entries.

use rusqlite::Connection;

use super::Vault;
use crate::audit::{self, Action};
use crate::error::Result;
use crate::vocab;

impl Vault {
    /// The names of the vault's vocabularies.
    pub fn vocab_names(&self) -> Result<Vec<String>> {
        vocab::names(&self.conn)
    }

    /// The entries of vocabulary `name`.
    pub fn vocab(&self, name: &str) -> Result<Vec<vocab::Entry>> {
        vocab::entries(&self.conn, name)
    }

    /// Adds an entry to vocabulary `name`.
    pub fn vocab_add(&mut self, name: &str, entry: &vocab::Entry) -> Result<()> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        vocab_add_in(&tx, name, entry, false)?;
        tx.commit()?;
        self.labels.forget();
        Ok(())
    }
}

/// Adds a vocabulary entry with its audit entry. On import, an entry that is already there with
/// the same labels is left alone, so a full export imports into a vault that has it.
pub(super) fn vocab_add_in(conn: &Connection, name: &str, entry: &vocab::Entry, on_import: bool) -> Result<()> {
    if on_import && vocab::entries(conn, name)?.iter().any(|e| e == entry) {
        return Ok(());
    }
    vocab::add(conn, name, entry)?;
    let target = format!("{name}/{}", entry.code);
    let hash = audit::sha256_hex(serde_json::to_string(entry).unwrap_or_default().as_bytes());
    audit::append(conn, Action::VocabAdd, Some("vocab"), Some(&target), Some(&hash))
}
