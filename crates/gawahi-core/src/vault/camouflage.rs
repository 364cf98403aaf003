//! Camouflage's file names: switching the vault's files between their own names and neutral
//! ones (`crate::files` has both sets and the crash-safe order of the renames).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::Vault;
use crate::db;
use crate::error::{Error, Result};
use crate::files::{self, NameSet};
use crate::header::{KeyHeader, SlotRole};
use crate::keys::KeyPurpose;

impl Vault {
    /// The names the files of the vault in `dir` carry (whether it is camouflaged).
    pub fn file_names(dir: &Path) -> NameSet {
        NameSet::of(dir)
    }

    /// Gives the files of the vault in `dir`, which nobody may have open ([`Error::Busy`]
    /// otherwise), the names of `to`. No passphrase is needed: names hide nothing and reveal
    /// nothing of what the files hold. Crash-safe: killed part-way, the vault still opens, and
    /// the next open finishes the names the key header has. A full disk or read-only folder is
    /// refused up front ([`Error::DiskFull`], [`Error::ReadOnly`]) with nothing renamed.
    pub fn set_file_names(dir: &Path, to: NameSet) -> Result<()> {
        Self::set_file_names_steps(dir, to, |_| Ok(()))
    }

    /// [`Vault::set_file_names`] with a hook called after each rename (with how many are
    /// done); an error from it stops there, as a crash would. Only for tests.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn set_file_names_interrupted(
        dir: &Path,
        to: NameSet,
        after: impl FnMut(usize) -> std::io::Result<()>,
    ) -> Result<()> {
        Self::set_file_names_steps(dir, to, after)
    }

    fn set_file_names_steps(dir: &Path, to: NameSet, after: impl FnMut(usize) -> std::io::Result<()>) -> Result<()> {
        Self::finish_interrupted_wipe(dir)?;
        // There must be a vault here: the folder's other files are not ours to rename.
        KeyHeader::read(dir)?;
        if let Some(why) = super::open::diagnose_unwritable(dir) {
            return Err(why.error());
        }
        files::switch_closed(dir, to, after)
    }

    /// Gives this vault's files the names of `to`, keeping it open: the database is closed for
    /// the renames and opened again under its new name. Other programs must have closed the vault
    /// ([`Error::Busy`] otherwise, nothing renamed), as for a key rotation. Crash-safe as
    /// [`Vault::set_file_names`] is.
    pub fn change_file_names(&mut self, to: NameSet) -> Result<()> {
        self.change_file_names_steps(to, |_| Ok(()))
    }

    /// [`Vault::change_file_names`] with a hook called after each rename; an error from it
    /// stops there, as a crash would. Only for tests.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn change_file_names_interrupted(
        &mut self,
        to: NameSet,
        after: impl FnMut(usize) -> std::io::Result<()>,
    ) -> Result<()> {
        self.change_file_names_steps(to, after)
    }

    fn change_file_names_steps(&mut self, to: NameSet, after: impl FnMut(usize) -> std::io::Result<()>) -> Result<()> {
        self.writable()?;
        if NameSet::of(&self.dir) == to {
            return Ok(());
        }
        if let Some(why) = super::open::diagnose_unwritable(&self.dir) {
            return Err(why.error());
        }
        let lock = self.lock.as_ref().ok_or(Error::ReadOnly)?;
        if lock.try_lock().is_err() {
            // As for a rotation: the failed conversion dropped the shared lock; take it again.
            self.relock_shared();
            return Err(Error::Busy);
        }
        // Closing the only connection folds the write-ahead log into the database and removes
        // it, so the renames move a database that is whole on its own.
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        drop(old);
        let switched = files::switch(&self.dir, to, after);
        // Whatever happened, the files carry one set's names now: the database is opened again
        // under the name it has.
        let reopened =
            db::open(&self.database_path(), &self.master.derive(KeyPurpose::Database), db::Access::ReadWrite);
        // What is kept was read through the old connection (see `VocabLabels`).
        self.labels.forget();
        match reopened {
            Ok(conn) => self.conn = conn,
            // A vault that cannot be reached again refuses every change; it must be unlocked anew.
            Err(e) => {
                self.stale = true;
                self.relock_shared();
                return Err(switched.err().unwrap_or(e));
            }
        }
        self.relock_shared();
        switched
    }

    /// The database this vault has open, by the name it carries now: the decoy's for a vault
    /// opened with a decoy duress passphrase.
    pub(super) fn database_path(&self) -> PathBuf {
        let names = files::names(&self.dir);
        self.dir.join(if self.role == SlotRole::DuressDecoy { names.aux } else { names.database })
    }
}
