//! The vault: a directory with a key header, an encrypted database and (later) evidence blobs.
//!
//! [`Vault`] is an unlocked vault. It exists only while unlocked: [`Vault::lock`] (or dropping
//! it) closes the database connection and zeroizes the master key, so "locked" is simply the
//! absence of a `Vault`. Every change is written in one transaction together with its audit
//! entry, so a crash can lose the change but never leave it unaudited.
//!
//! One `impl Vault` file per concern: `open` (create, unlock, read-only opening, the lock file),
//! `passphrase` (changes and key rotation), `edit` (records), `linking`, `transfer` (import and
//! export), `check`, `vocabulary`, `views` (the app's read models), `search` (search, facets,
//! statistics, saved searches), `evidence`, `identity` (the vault's keys and contacts), `bundle`
//! (sealed bundles), `wipe` (the panic wipe), `duress` (the duress passphrase and its decoy),
//! `unlock_limit` (the wipe after failed unlocks), `recovery` (recovery shares) and `camouflage`
//! (the files' neutral names).

mod bundle;
mod camouflage;
mod check;
mod court;
mod duress;
mod edit;
mod evidence;
pub(crate) mod identity;
mod linking;
mod open;
mod passphrase;
mod recovery;
mod report;
mod search;
mod transfer;
mod unlock_limit;
pub mod views;
mod vocabulary;
mod wipe;

pub use bundle::{BundleExported, BundleImported, BundleRequest, Recipients};
pub use check::CheckReport;
pub use court::{Draft, HearingOutcome, MAX_DEADLINE_DAYS, MAX_DRAFT_BYTES, MAX_DRAFT_KEY, MAX_DRAFTS};
pub use duress::{AUX_FILE_NAME, DuressMode};
pub use identity::{Contact, Identity, MAX_CONTACT_NAME_CHARS, parse_age_recipient, parse_signing_key};
pub use passphrase::{PassphraseChanged, RotationStep};
pub use recovery::{MAX_SHARE_FILE, read_recovery_share, write_recovery_shares};
pub use report::{ReportKind, ReportRequest, write_new_file};
pub use search::{
    MAX_FILTER_VALUE_CHARS, MAX_FILTER_VALUES, MAX_HITS_PER_KIND, MAX_SAVED_NAME_CHARS, MAX_SAVED_SEARCHES,
};
pub use transfer::ImportSummary;
pub use unlock_limit::{UNLOCK_LIMITS, UnlockAttempts};
pub use wipe::{WIPE_MARKER, WipeFailures, WipeStep};

use edit::add_in;
use linking::link_in;
use passphrase::{check_new_passphrase, finish_interrupted_rotation};
use vocabulary::vocab_add_in;

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::audit::{self};
use crate::error::{Error, Result};
use crate::keys::MasterKey;

/// The directory of the encrypted evidence files (one per item, named at random).
pub const BLOBS_DIR: &str = crate::files::OWN.blobs;
/// The lock file every process that has the vault open holds a shared lock on, and a key
/// rotation an exclusive one: nobody may be writing to the old database while it is replaced.
pub const LOCK_FILE_NAME: &str = crate::files::OWN.lock;
/// The new database a key rotation writes before the header switches to it.
pub const ROTATING_FILE_NAME: &str = crate::files::OWN.rotating;
/// The shortest passphrase a new vault or a passphrase change accepts, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The most records one page of a list returns.
pub const MAX_PAGE: usize = 1_000;

/// An unlocked vault.
pub struct Vault {
    dir: PathBuf,
    conn: Connection,
    master: MasterKey,
    slot: usize,
    /// What the passphrase that opened this vault does: the owner's, or a duress passphrase
    /// that opened the decoy database (`vault.aux`) rather than `vault.db`.
    role: crate::header::SlotRole,
    /// Why the vault cannot be written where it is (a full disk, read-only media), if it cannot.
    /// Such a vault is opened immutable: reading works, every change is refused up front.
    unwritable: Option<Unwritable>,
    /// The shared lock on [`LOCK_FILE_NAME`], held while the vault is open. `None` on media
    /// where it cannot be made (read-only media, where nothing can change the vault anyway).
    lock: Option<File>,
    /// Set when another program replaced the database while this one held it (see
    /// `relock_shared`): every change is then refused.
    stale: bool,
    /// The vocabulary's labels, for statistics (see [`VocabLabels`]).
    labels: crate::store::vocab::VocabLabels,
}

/// Why a vault cannot be written where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unwritable {
    /// The disk is full.
    DiskFull,
    /// The vault is on read-only media, or its files cannot be written.
    ReadOnly,
}

impl Unwritable {
    fn error(self) -> Error {
        match self {
            Self::DiskFull => Error::DiskFull,
            Self::ReadOnly => Error::ReadOnly,
        }
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// Where a new record's envelope comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Typed in or added by a script: the vault assigns id and timestamps.
    New,
    /// From an import file: id and timestamps may be given (an export read back in).
    Import,
}

impl Vault {
    /// Why this vault cannot be written where it is, if it cannot.
    pub fn unwritable(&self) -> Option<Unwritable> {
        self.unwritable
    }

    /// Refuses a change up front on a vault that cannot be written, with the reason.
    fn writable(&self) -> Result<()> {
        if self.stale {
            return Err(Error::Locked);
        }
        self.unwritable.map_or(Ok(()), |why| Err(why.error()))
    }

    /// Locks the vault: closes the database and zeroizes every key held.
    pub fn lock(self) {
        drop(self);
    }

    /// A vault just opened on `conn`: nothing stale, the vocabulary's labels read.
    fn opened(
        dir: &Path,
        conn: Connection,
        master: MasterKey,
        slot: usize,
        role: crate::header::SlotRole,
        unwritable: Option<Unwritable>,
        lock: Option<File>,
    ) -> Self {
        let labels = crate::store::vocab::VocabLabels::read_from(&conn);
        Self { dir: dir.to_owned(), conn, master, slot, role, unwritable, lock, stale: false, labels }
    }

    /// The open database, for the read models in [`crate::views`].
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Whether SQLCipher's memory security is active (`PRAGMA cipher_memory_security`): every
    /// SQLite allocation wiped when freed (built without locking: see `.cargo/config.toml`). Always false for the unencrypted
    /// baseline until an encrypted vault has been opened in the process (the setting is global).
    pub fn memory_security(&self) -> Result<bool> {
        let on: String = self.conn.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))?;
        Ok(on == "1")
    }

    /// The MAC that authenticates each page of the open database (see [`crate::db::PageMac`]).
    pub fn page_mac(&self) -> Result<crate::db::PageMac> {
        crate::db::page_mac(&self.conn)
    }

    /// The vault's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The newest `limit` audit entries.
    pub fn audit_tail(&self, limit: usize) -> Result<Vec<audit::Entry>> {
        audit::tail(&self.conn, limit)
    }

    /// Runs raw SQL on the open database, behind the vault's back. Only for tests that must
    /// tamper with a vault the way an attacker with the key could.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn tamper_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }
}
