//! The vault: a directory with a key header, an encrypted database and (later) evidence blobs.
//!
//! [`Vault`] is an unlocked vault. It exists only while unlocked: [`Vault::lock`] (or dropping
//! it) closes the database connection and zeroizes the master key, so "locked" is simply the
//! absence of a `Vault`. Every change is written in one transaction together with its audit
//! entry, so a crash can lose the change but never leave it unaudited.

use std::fs::File;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit::{self, Action};
use crate::date::now_utc;
use crate::db;
use crate::error::{Error, Invalid, Reason, Result};
use crate::export::{self, ExportOptions, ExportSummary};
use crate::header::{self, KeyHeader, WriteStep};
use crate::kdf::KdfParams;
use crate::keys::{KeyPurpose, MasterKey};
use crate::links::{self, Link};
use crate::model::normalise_id;
use crate::model::{Check, Kind, RecordData};
use crate::records::{self, ENVELOPE, Record};
use crate::vocab;

/// The directory reserved for encrypted evidence blobs.
pub const BLOBS_DIR: &str = "blobs";
/// The lock file every process that has the vault open holds a shared lock on, and a key
/// rotation an exclusive one: nobody may be writing to the old database while it is replaced.
pub const LOCK_FILE_NAME: &str = "vault.lock";
/// The new database a key rotation writes before the header switches to it.
pub const ROTATING_FILE_NAME: &str = "vault.db.rotating";
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
    /// Why the vault cannot be written where it is (a full disk, read-only media), if it cannot.
    /// Such a vault is opened immutable: reading works, every change is refused up front.
    unwritable: Option<Unwritable>,
    /// The shared lock on [`LOCK_FILE_NAME`], held while the vault is open. `None` on media
    /// where it cannot be made (read-only media, where nothing can change the vault anyway).
    lock: Option<File>,
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

/// Where a key rotation has got to, for tests that stop it part way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RotationStep {
    /// The database has been copied under the new key into [`ROTATING_FILE_NAME`] and synced;
    /// the old header and database are still the vault.
    Copied,
    /// The new header, naming the new database, has replaced the old one: from here on only the
    /// new passphrase opens the vault, and the rotation finishes at the next unlock if stopped.
    HeaderSwitched,
    /// The new database has replaced the old one.
    DatabaseSwitched,
}

/// What a passphrase change did, so that the caller says exactly what is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PassphraseChanged {
    /// Whether the vault's master key was replaced too (a key rotation): then copies of the
    /// old key header, and old copies of the database, no longer open anything with this vault.
    pub rotated: bool,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// What an integrity check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Records in the vault.
    pub records: u64,
    /// Links in the vault.
    pub links: u64,
    /// Entries in the audit log.
    pub audit_entries: u64,
    /// Every problem found, each naming what is wrong and where. Empty when all is well.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Records created.
    pub records: u64,
    /// Links created.
    pub links: u64,
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
    /// Creates a vault in `dir` (which must not exist, or be empty), with KDF parameters
    /// calibrated to take about `kdf_target` on this machine. The directory is made readable
    /// only by its owner (0700), and every file in it 0600.
    pub fn create(dir: &Path, passphrase: &SecretString, kdf_target: Duration) -> Result<Self> {
        check_new_passphrase(passphrase)?;
        prepare_dir(dir)?;
        let kdf = KdfParams::calibrate(kdf_target)?;
        Self::create_in(dir, passphrase, kdf).inspect_err(|_| {
            // Leave no half-made vault behind: it could not be opened, and would block a retry.
            let _ = std::fs::remove_file(dir.join(header::FILE_NAME));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("{}{suffix}", db::FILE_NAME)));
            }
            let _ = std::fs::remove_file(dir.join(LOCK_FILE_NAME));
            let _ = std::fs::remove_dir(dir.join(BLOBS_DIR));
        })
    }

    fn create_in(dir: &Path, passphrase: &SecretString, kdf: KdfParams) -> Result<Self> {
        let master = MasterKey::generate()?;
        let db_path = dir.join(db::FILE_NAME);
        let mut conn = db::open(&db_path, &master.derive(KeyPurpose::Database), db::Access::Create)?;
        db::migrate(&mut conn)?;
        let salt = db::salt(&conn, "main")?;
        let header = KeyHeader::new(kdf, salt, passphrase, &master)?;
        let tx = conn.transaction()?;
        vocab::load_shipped(&tx)?;
        // The creation entry heads the chain and records the header the vault was made with.
        audit::append(&tx, Action::VaultCreate, None, None, Some(&header.sha256_hex()))?;
        tx.commit()?;
        // Page 1, with the salt the header records, goes into the file itself before the header
        // exists, so that a vault is never a header beside an empty database file.
        db::checkpoint(&conn)?;
        if db::inspect(&db_path)? != salt {
            return Err(Error::CorruptDatabase);
        }
        mkdir(&dir.join(BLOBS_DIR))?;
        let lock = open_lock(dir)?;
        // The header goes last: until it exists there is no vault, so a crash during creation
        // leaves nothing that looks openable.
        header.write_atomic(dir, |_| Ok(()))?;
        Ok(Self { dir: dir.to_owned(), conn, master, slot: 0, unwritable: None, lock })
    }

    /// Unlocks the vault in `dir` with `passphrase`.
    ///
    /// Before anything is decrypted, the database file is matched to the key header: a missing,
    /// emptied, truncated or swapped database is refused with its own error, so that nothing is
    /// ever written into the wrong file. A vault on read-only media, or on a full disk, opens for
    /// reading. A key rotation that was stopped after its switch is finished here, and a change
    /// of the key header that the audit log does not hold yet (a passphrase change cut off by a
    /// crash) is recorded.
    pub fn unlock(dir: &Path, passphrase: &SecretString) -> Result<Self> {
        let mut header = KeyHeader::read(dir)?;
        let (master, slot) = header.unwrap(passphrase)?;
        let lock = open_lock(dir)?;
        let db_path = dir.join(db::FILE_NAME);
        finish_interrupted_rotation(dir, &header, lock.as_ref())?;
        let salt = db::inspect(&db_path)?;
        if header.db_salt().is_some_and(|expected| expected != salt) {
            return Err(Error::DatabaseForeign);
        }
        let key = master.derive(KeyPurpose::Database);
        let (mut conn, unwritable) = open_database(dir, &db_path, &key)?;
        // A database that decrypts but holds no schema at all was never a vault's.
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables == 0 {
            return Err(Error::DatabaseEmpty);
        }
        if let Some(why) = unwritable {
            if db::pending_migrations(&conn)? {
                return Err(why.error());
            }
        } else {
            db::migrate(&mut conn)?;
            if header.version() < header::FORMAT_VERSION {
                header = header.upgraded(salt, slot, passphrase, &master)?;
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                audit::append(&tx, Action::HeaderUpgrade, None, None, Some(&header.sha256_hex()))?;
                header.write_atomic(dir, |_| Ok(()))?;
                tx.commit()?;
            }
            // Best effort: a vault busy in another program still opens, and the entry is
            // written at a later unlock.
            match record_header_if_changed(&conn, &header, Action::HeaderChange) {
                Ok(()) | Err(Error::Busy | Error::DiskFull | Error::ReadOnly) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self { dir: dir.to_owned(), conn, master, slot, unwritable, lock })
    }

    /// Why this vault cannot be written where it is, if it cannot.
    pub fn unwritable(&self) -> Option<Unwritable> {
        self.unwritable
    }

    /// Refuses a change up front on a vault that cannot be written, with the reason.
    fn writable(&self) -> Result<()> {
        self.unwritable.map_or(Ok(()), |why| Err(why.error()))
    }

    /// A "vault" whose database is not encrypted at all, with the same schema, vocabularies and
    /// code paths: the baseline benchmarks measure SQLCipher's cost against. It has no key header
    /// and [`Vault::unlock`] cannot open it. Only built with the `bench-baseline` feature.
    #[cfg(feature = "bench-baseline")]
    pub fn create_unencrypted_baseline(dir: &Path) -> Result<Self> {
        prepare_dir(dir)?;
        let mut conn = db::open_unencrypted_baseline(&dir.join(db::FILE_NAME))?;
        db::migrate(&mut conn)?;
        let tx = conn.transaction()?;
        vocab::load_shipped(&tx)?;
        audit::append(&tx, Action::VaultCreate, None, None, None)?;
        tx.commit()?;
        Ok(Self { dir: dir.to_owned(), conn, master: MasterKey::generate()?, slot: 0, unwritable: None, lock: None })
    }

    /// Locks the vault: closes the database and zeroizes every key held.
    pub fn lock(self) {
        drop(self);
    }

    /// The open database, for the read models in [`crate::views`].
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Whether SQLCipher's memory security is active (`PRAGMA cipher_memory_security`): every
    /// SQLite allocation locked out of swap and wiped when freed. Always false for the unencrypted
    /// baseline until an encrypted vault has been opened in the process (the setting is global).
    pub fn memory_security(&self) -> Result<bool> {
        let on: String = self.conn.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))?;
        Ok(on == "1")
    }

    /// The vault's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Changes the passphrase. Only the master key is re-wrapped; the database is untouched, so
    /// a copy of the old key header (a backup, say) still opens the vault with the old
    /// passphrase: [`Vault::rotate_key`] is what makes old copies useless. `current` must open the
    /// same key slot this vault was unlocked with.
    ///
    /// The change and its audit entry are one step: the entry is written in a transaction that
    /// holds the database's write lock, the header is replaced, then the transaction commits. If
    /// another program is writing (an import), this waits for it a few seconds and then fails
    /// with [`Error::Busy`] having changed nothing. A crash between the header's replacement and
    /// the commit is recorded at the next unlock (see [`Vault::unlock`]).
    pub fn change_passphrase(&mut self, current: &SecretString, new: &SecretString) -> Result<PassphraseChanged> {
        self.change_passphrase_interrupted(current, new, |_| Ok(()))
    }

    /// [`Vault::change_passphrase`] with a hook called after each step of the header's
    /// replacement; an error from the hook stops there, as a crash would. For tests.
    #[doc(hidden)]
    pub fn change_passphrase_interrupted(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        after: impl FnMut(WriteStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.writable()?;
        check_new_passphrase(new)?;
        let mut header = KeyHeader::read(&self.dir)?;
        let (master, slot) = header.unwrap(current)?;
        if slot != self.slot || master.as_bytes() != self.master.as_bytes() {
            return Err(Error::WrongPassphrase);
        }
        header.wrap_into(slot, new, &master)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(&tx, Action::PassphraseChange, None, None, Some(&header.sha256_hex()))?;
        header.write_atomic(&self.dir, after)?;
        // The header is replaced: the passphrase has changed whatever happens next. Should the
        // commit fail (a disk filling up this instant), the next unlock records the change.
        let _ = tx.commit();
        Ok(PassphraseChanged { rotated: false })
    }

    /// Replaces the vault's master key and sets a new passphrase: the database is copied under a
    /// key derived from a fresh master key, and a new key header (fresh KDF salt, every other slot
    /// random) names the new database. Afterwards neither a copy of the old key header nor an old
    /// copy of the database opens anything of this vault's, whatever passphrase is known.
    ///
    /// Crash-safe at every step: until the new header is in place the old passphrase opens the
    /// old database; from then on the new passphrase opens the new one, and an interrupted switch
    /// of the database files is finished at the next unlock. Never neither. Other programs must
    /// have closed the vault first ([`Error::Busy`] otherwise, with nothing changed).
    ///
    /// `progress` is told how far the copy, the bulk of the work, has got (0 to 1).
    pub fn rotate_key(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
    ) -> Result<PassphraseChanged> {
        self.rotate_key_interrupted(current, new, progress, |_| Ok(()))
    }

    /// [`Vault::rotate_key`] with a hook called after each step; an error from the hook stops
    /// there, as a crash would. For tests.
    #[doc(hidden)]
    pub fn rotate_key_interrupted(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
        mut after: impl FnMut(RotationStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.writable()?;
        check_new_passphrase(new)?;
        let header = KeyHeader::read(&self.dir)?;
        let (master, slot) = header.unwrap(current)?;
        if slot != self.slot || master.as_bytes() != self.master.as_bytes() {
            return Err(Error::WrongPassphrase);
        }
        // Nobody else may have the vault open: their connection would go on writing into the
        // old database after it is replaced.
        let lock = self.lock.as_ref().ok_or(Error::ReadOnly)?;
        lock.try_lock().map_err(|_| Error::Busy)?;
        let result = self.rotate_locked(&header, new, progress, &mut after);
        if let Some(lock) = &self.lock {
            let _ = lock.lock_shared();
        }
        result
    }

    fn rotate_locked(
        &mut self,
        old_header: &KeyHeader,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
        after: &mut impl FnMut(RotationStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        let db_path = self.dir.join(db::FILE_NAME);
        let rotating = self.dir.join(ROTATING_FILE_NAME);
        db::checkpoint(&self.conn)?;
        remove_rotation_files(&self.dir);
        let new_master = MasterKey::generate()?;
        let new_key = new_master.derive(KeyPurpose::Database);
        // The new database's log records the rotation, with the new header's hash, before the
        // switch: if the switch never happens, the entry goes with the discarded copy.
        let copied = db::export_rekeyed(&mut self.conn, &db_path, &rotating, &new_key, progress, |conn, salt| {
            let header = KeyHeader::new(old_header.kdf, salt, new, &new_master)?;
            audit::append_in(conn, "rekeyed", Action::KeyRotation, None, None, Some(&header.sha256_hex()))?;
            Ok(header)
        });
        let new_header = match copied {
            Ok(header) => header,
            Err(e) => {
                remove_rotation_files(&self.dir);
                return Err(e);
            }
        };
        header::sync_dir(&self.dir)?;
        after(RotationStep::Copied).map_err(Error::io("copy", &rotating))?;
        if let Err(e) = new_header.write_atomic(&self.dir, |_| Ok(())) {
            remove_rotation_files(&self.dir);
            return Err(e);
        }
        // The switch has happened: the new header names the new database. What follows is the
        // same finishing step an unlock performs if this process stops here.
        after(RotationStep::HeaderSwitched).map_err(Error::io("replace", &db_path))?;
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        drop(old);
        switch_database(&self.dir)?;
        after(RotationStep::DatabaseSwitched).map_err(Error::io("replace", &db_path))?;
        let mut conn = db::open(&db_path, &new_key, db::Access::ReadWrite)?;
        db::migrate(&mut conn)?;
        self.conn = conn;
        self.master = new_master;
        self.slot = 0;
        Ok(PassphraseChanged { rotated: true })
    }

    /// Adds a record of `kind`. `body` holds the kind's fields; `id`, `created_at` and
    /// `updated_at` are assigned by the vault.
    pub fn add(&mut self, kind: Kind, body: Map<String, Value>) -> Result<Record> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let record = add_in(&tx, kind, body, Origin::New)?;
        tx.commit()?;
        Ok(record)
    }

    /// The record with `id`.
    pub fn get(&self, id: &str) -> Result<Record> {
        let id = normalise_id(id);
        records::get(&self.conn, &id)?.ok_or(Error::RecordNotFound(id))
    }

    /// Changes the fields named in `patch` (a JSON merge patch: `null` clears a field), keeping
    /// the others, and validates the result as a whole.
    pub fn update(&mut self, id: &str, patch: Map<String, Value>) -> Result<Record> {
        self.writable()?;
        let id = &normalise_id(id);
        let tx = self.conn.transaction()?;
        let current = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.clone()))?;
        let mut body = current.data.to_json();
        for (key, value) in patch {
            if ENVELOPE.contains(&key.as_str()) {
                let same = value.as_str() == Some(current.to_json()[&key].as_str().unwrap_or_default());
                if same && (key == "id" || key == "kind") {
                    continue;
                }
                return Err(
                    Invalid::field(key, Reason::KeptByVault, "is kept by the vault and cannot be changed").into()
                );
            }
            body.insert(key, value);
        }
        let mut data = RecordData::parse(current.kind(), body)?;
        data.validate(&Check::new(&tx))?;
        let record = Record { updated_at: now_utc(), data, ..current };
        let hash = records::update(&tx, &record)?;
        audit::append(&tx, Action::RecordUpdate, Some(record.kind().as_str()), Some(id), Some(&hash))?;
        tx.commit()?;
        Ok(record)
    }

    /// Deletes a record and its links. A case with hearings (or a person with risk
    /// assessments) is not deleted: those must be deleted first, so nothing goes by accident.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        self.writable()?;
        let id = &normalise_id(id);
        let tx = self.conn.transaction()?;
        let record = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.clone()))?;
        let children = records::children(&tx, id)?;
        if let Some((_, kind)) = children.first() {
            return Err(Invalid::whole(
                Reason::HasDependents,
                format!("this {} still has {} {kind} record(s); delete them first", record.kind(), children.len()),
            )
            .into());
        }
        for link in links::of(&tx, id)? {
            links::delete(&tx, &link.id)?;
            audit::append(&tx, Action::LinkDelete, Some("link"), Some(&link.id), None)?;
        }
        records::delete(&tx, id)?;
        audit::append(&tx, Action::RecordDelete, Some(record.kind().as_str()), Some(id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// Links `from_id` to `to_id` with `role` (from the `link_roles` vocabulary).
    pub fn link(&mut self, from_id: &str, to_id: &str, role: &str) -> Result<Link> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let link = link_in(&tx, None, from_id, to_id, role, None)?;
        tx.commit()?;
        Ok(link)
    }

    /// Removes the link with `link_id`.
    pub fn unlink(&mut self, link_id: &str) -> Result<()> {
        self.writable()?;
        let link_id = &normalise_id(link_id);
        let tx = self.conn.transaction()?;
        links::get(&tx, link_id)?.ok_or_else(|| Error::RecordNotFound(link_id.clone()))?;
        links::delete(&tx, link_id)?;
        audit::append(&tx, Action::LinkDelete, Some("link"), Some(link_id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// Every link touching the record `id`, in either direction.
    pub fn links_of(&self, id: &str) -> Result<Vec<Link>> {
        let record = self.get(id)?;
        links::of(&self.conn, &record.id)
    }

    /// A page of records of `kind`, newest first, after the record `after` if given.
    pub fn list(&self, kind: Kind, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
        let after = after.map(normalise_id);
        records::list(&self.conn, kind, after.as_deref(), limit.min(MAX_PAGE))
    }

    /// How many records of `kind` the vault holds.
    pub fn count(&self, kind: Kind) -> Result<u64> {
        records::count(&self.conn, kind)
    }

    /// Imports records and links from JSON Lines: one object per line with a `kind` (a record
    /// kind, or `link` with `from_id`, `to_id` and `role`). All or nothing: the first bad line
    /// stops the import, its error names the line and field, and nothing from the file is kept.
    pub fn import_jsonl(&mut self, input: impl BufRead) -> Result<ImportSummary> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary::default();
        for (i, line) in input.lines().enumerate() {
            let n = i + 1;
            let line = line.map_err(|e| {
                let why =
                    if e.kind() == std::io::ErrorKind::InvalidData { "it is not UTF-8 text" } else { "a read error" };
                Invalid::whole(Reason::BadImportLine, format!("cannot read the file: {why}")).at_line(n)
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let at_line = |e: Error| match e {
                Error::Invalid(inv) => Error::Invalid(inv.at_line(n)),
                other => other,
            };
            let mut obj = match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(Invalid::whole(Reason::BadImportLine, "expected one JSON object per line")
                        .at_line(n)
                        .into());
                }
                Err(e) => {
                    return Err(Invalid::whole(
                        Reason::BadImportLine,
                        format!("not valid JSON (a syntax error at column {})", e.column()),
                    )
                    .at_line(n)
                    .into());
                }
            };
            let Some(Value::String(kind)) = obj.remove("kind") else {
                return Err(Invalid::field("kind", Reason::BadImportLine, "every line needs a `kind`")
                    .at_line(n)
                    .into());
            };
            if kind == "vocab" {
                let given: ImportedVocab = crate::model::strict(Value::Object(obj)).map_err(|e| e.at_line(n))?;
                vocab_add_in(&tx, &given.vocab, &given.entry, true).map_err(at_line)?;
            } else if kind == "link" {
                let given: ImportedLink = crate::model::strict(Value::Object(obj)).map_err(|e| e.at_line(n))?;
                link_in(
                    &tx,
                    given.id.as_deref(),
                    &given.from_id,
                    &given.to_id,
                    &given.role,
                    given.created_at.as_deref(),
                )
                .map_err(at_line)?;
                summary.links += 1;
            } else {
                let kind = Kind::parse(&kind).ok_or_else(|| {
                    Invalid::field("kind", Reason::BadImportLine, "is not a kind of record, `link` or `vocab`")
                        .at_line(n)
                })?;
                add_in(&tx, kind, obj, Origin::Import).map_err(at_line)?;
                summary.records += 1;
            }
        }
        audit::append(&tx, Action::Import, None, None, None)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Writes every record and link as JSON Lines (the format [`Vault::import_jsonl`] reads),
    /// in plaintext, honouring consent and anonymity flags (see [`crate::export`]).
    ///
    /// The export is recorded in the audit log before anything is written, so a vault that
    /// cannot record it (a full disk, read-only media) refuses to export.
    pub fn export_jsonl(&mut self, options: ExportOptions, out: impl Write) -> Result<ExportSummary> {
        self.writable()?;
        let what = if options.anonymise { "anonymised" } else { "full" };
        audit::append(&self.conn, Action::Export, Some(what), None, None)?;
        export::write(&self.conn, options, out)
    }

    /// Checks the vault: every page's MAC, SQLite's own integrity check, foreign keys, the audit
    /// chain, and that every record and link matches its last audit entry.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let page_errors: Vec<String> = self
            .conn
            .prepare("PRAGMA cipher_integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !page_errors.is_empty() {
            report.problems.push(format!(
                "{} database page(s) fail their MAC: the file was damaged or tampered with",
                page_errors.len()
            ));
            // Nothing else can be trusted to read; stop here.
            return Ok(report);
        }
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if integrity != ["ok"] {
            report.problems.push(format!("SQLite integrity check: {}", integrity.join("; ")));
        }
        let miscounted: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT kind, count(*) AS n FROM records GROUP BY kind) c
             FULL OUTER JOIN record_counts k USING (kind) WHERE coalesce(c.n, 0) <> coalesce(k.n, 0)",
            [],
            |r| r.get(0),
        )?;
        if miscounted > 0 {
            report.problems.push(format!("the record counts of {miscounted} kind(s) do not match the records"));
        }
        let fk: i64 = self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if fk > 0 {
            report.problems.push(format!("{fk} reference(s) point at records that do not exist"));
        }
        report.problems.extend(audit::verify_chain(&self.conn)?);
        let head: Option<String> =
            self.conn.query_row("SELECT action FROM audit_log WHERE seq = 1", [], |r| r.get(0)).optional()?;
        if head.as_deref() != Some(Action::VaultCreate.as_str()) {
            report.problems.push(
                "the audit log does not begin with the vault's creation: its head was removed, or this database was not made by this vault".to_owned(),
            );
        }
        report.audit_entries =
            self.conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))?.unsigned_abs();

        let latest = audit::latest_by_target(&self.conn)?;
        let mut matches = |id: &str, what: &str, hash: String| match latest.get(id) {
            Some((action, Some(h))) if *h == hash && !action.ends_with(".delete") => {}
            Some(_) => report.problems.push(format!("{what} {id} was changed without an audit entry")),
            None => report.problems.push(format!("{what} {id} has no audit entry: it was added behind the app's back")),
        };
        let mut record_count = 0;
        records::for_each(&self.conn, |r| {
            record_count += 1;
            matches(&r.id, r.kind().as_str(), r.content_hash());
            Ok(())
        })?;
        let all_links = links::all(&self.conn)?;
        for l in &all_links {
            matches(&l.id, "link", l.content_hash());
        }
        report.records = record_count;
        report.links = all_links.len() as u64;
        Ok(report)
    }

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
        Ok(())
    }

    /// The newest `limit` audit entries.
    pub fn audit_tail(&self, limit: usize) -> Result<Vec<audit::Entry>> {
        audit::tail(&self.conn, limit)
    }

    /// Runs raw SQL on the open database, behind the vault's back. Only for tests that must
    /// tamper with a vault the way an attacker with the key could.
    #[doc(hidden)]
    pub fn tamper_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// Adds many records in one transaction (benchmarks and generated data).
    pub fn add_batch(&mut self, items: impl IntoIterator<Item = (Kind, Map<String, Value>)>) -> Result<Vec<String>> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let mut ids = Vec::new();
        for (kind, body) in items {
            ids.push(add_in(&tx, kind, body, Origin::New)?.id);
        }
        tx.commit()?;
        Ok(ids)
    }
}

/// A vocabulary entry on an import line (`{"kind": "vocab", "vocab": …, "entry": {…}}`), as a
/// full export writes the entries the user added, so that records using them import again.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedVocab {
    vocab: String,
    entry: vocab::Entry,
}

/// Adds a vocabulary entry with its audit entry. On import, an entry that is already there with
/// the same labels is left alone, so a full export imports into a vault that has it.
fn vocab_add_in(conn: &Connection, name: &str, entry: &vocab::Entry, on_import: bool) -> Result<()> {
    if on_import && vocab::entries(conn, name)?.iter().any(|e| e == entry) {
        return Ok(());
    }
    vocab::add(conn, name, entry)?;
    let target = format!("{name}/{}", entry.code);
    let hash = audit::sha256_hex(serde_json::to_string(entry).unwrap_or_default().as_bytes());
    audit::append(conn, Action::VocabAdd, Some("vocab"), Some(&target), Some(&hash))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedLink {
    #[serde(default)]
    id: Option<String>,
    from_id: String,
    to_id: String,
    role: String,
    #[serde(default)]
    created_at: Option<String>,
}

fn add_in(conn: &Connection, kind: Kind, mut body: Map<String, Value>, origin: Origin) -> Result<Record> {
    let mut envelope = |key: &str| -> Result<Option<String>> {
        match body.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) if origin == Origin::New => {
                Err(Invalid::field(key, Reason::KeptByVault, "is assigned by the vault; leave it out").into())
            }
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Invalid::field(key, Reason::WrongType, "expected a string").into()),
        }
    };
    let given_id = envelope("id")?;
    let created_at = envelope("created_at")?;
    let updated_at = envelope("updated_at")?;
    if body.contains_key("kind") {
        return Err(Invalid::field("kind", Reason::KeptByVault, "is given by the command, not in the body").into());
    }
    let id = match given_id {
        Some(id) => {
            // Ids are stored in one form, so an upper-case copy of an existing id is the same id.
            let id = uuid::Uuid::parse_str(&id)
                .map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?
                .hyphenated()
                .to_string();
            if records::get(conn, &id)?.is_some() || links::get(conn, &id)?.is_some() {
                return Err(Invalid::field("id", Reason::IdTaken, "another record already has this id").into());
            }
            id
        }
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    for (field, ts) in [("created_at", &created_at), ("updated_at", &updated_at)] {
        if let Some(ts) = ts
            && chrono::DateTime::parse_from_rfc3339(ts).is_err()
        {
            return Err(Invalid::field(field, Reason::WrongType, "expected an RFC 3339 timestamp").into());
        }
    }
    let mut data = RecordData::parse(kind, body)?;
    data.validate(&Check::new(conn))?;
    let now = now_utc();
    let created_at = created_at.unwrap_or_else(|| now.clone());
    let record = Record { id, updated_at: updated_at.unwrap_or_else(|| created_at.clone()), created_at, data };
    let hash = records::insert(conn, &record)?;
    audit::append(conn, Action::RecordCreate, Some(kind.as_str()), Some(&record.id), Some(&hash))?;
    Ok(record)
}

fn link_in(
    conn: &Connection,
    id: Option<&str>,
    from_id: &str,
    to_id: &str,
    role: &str,
    created_at: Option<&str>,
) -> Result<Link> {
    let (from_id, to_id) = (&normalise_id(from_id), &normalise_id(to_id));
    if records::get(conn, from_id)?.is_none() {
        return Err(Invalid::field("from_id", Reason::NoSuchRecord, "no record has this id").into());
    }
    if records::get(conn, to_id)?.is_none() {
        return Err(Invalid::field("to_id", Reason::NoSuchRecord, "no record has this id").into());
    }
    if from_id == to_id {
        return Err(Invalid::field("to_id", Reason::LinkToItself, "a record cannot be linked to itself").into());
    }
    Check::new(conn).vocab("role", "link_roles", Some(role))?;
    if links::find(conn, from_id, to_id, role)?.is_some() {
        return Err(Invalid::whole(Reason::AlreadyLinked, "these records are already linked in this role").into());
    }
    let id = match id {
        Some(id) => {
            let id = uuid::Uuid::parse_str(id)
                .map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?
                .hyphenated()
                .to_string();
            if links::get(conn, &id)?.is_some() || records::get(conn, &id)?.is_some() {
                return Err(Invalid::field("id", Reason::IdTaken, "another link or record already has this id").into());
            }
            id
        }
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    let link = Link {
        id,
        from_id: from_id.to_owned(),
        to_id: to_id.to_owned(),
        role: role.to_owned(),
        created_at: created_at.map_or_else(now_utc, str::to_owned),
    };
    links::insert(conn, &link)?;
    audit::append(conn, Action::LinkCreate, Some("link"), Some(&link.id), Some(&link.content_hash()))?;
    Ok(link)
}

fn check_new_passphrase(p: &SecretString) -> Result<()> {
    use secrecy::ExposeSecret;
    if p.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Invalid::field(
            "passphrase",
            Reason::PassphraseTooShort,
            format!("use at least {MIN_PASSPHRASE_CHARS} characters; a few unrelated words are best"),
        )
        .into());
    }
    Ok(())
}

fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::VaultExists(dir.to_owned()));
            }
            // An empty folder the user made is usually 0755: the vault's must be the owner's only.
            #[cfg(unix)]
            std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))
                .map_err(Error::io("set the permissions of", dir))?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => mkdir(dir),
        Err(e) => Err(Error::io("read", dir)(e)),
    }
}

/// Creates a directory readable only by its owner.
fn mkdir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(Error::io("create directory", dir))
}

/// Opens (creating it if it is not there) the vault's lock file and takes a shared lock on it.
/// On media where it cannot be made (read-only, full), there is none: nothing can change such a
/// vault, so nothing needs keeping out.
fn open_lock(dir: &Path) -> Result<Option<File>> {
    let path = dir.join(LOCK_FILE_NAME);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = match options.open(&path) {
        Ok(f) => f,
        Err(e) => match File::open(&path) {
            Ok(f) => f,
            Err(_) if is_unwritable_io(&e) => return Ok(None),
            Err(_) => return Err(Error::io("open", &path)(e)),
        },
    };
    // A process holding it exclusively is rotating the vault's key right now.
    file.try_lock_shared().map_err(|_| Error::RotationInProgress)?;
    Ok(Some(file))
}

fn is_unwritable_io(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(e.kind(), K::ReadOnlyFilesystem | K::PermissionDenied | K::StorageFull | K::QuotaExceeded)
}

/// Opens the database for writing if the storage allows, else immutable for reading, saying why.
fn open_database(
    dir: &Path,
    db_path: &Path,
    key: &zeroize::Zeroizing<[u8; 32]>,
) -> Result<(Connection, Option<Unwritable>)> {
    let first = match std::fs::OpenOptions::new().append(true).open(db_path) {
        Ok(_) => match db::open(db_path, key, db::Access::ReadWrite) {
            Ok(conn) => return Ok((conn, None)),
            Err(e @ (Error::CorruptDatabase | Error::Busy)) => return Err(e),
            Err(e) => e,
        },
        Err(e) if is_unwritable_io(&e) => Error::io("open", db_path)(e),
        Err(e) => return Err(Error::io("open", db_path)(e)),
    };
    let Some(why) = diagnose_unwritable(dir) else { return Err(first) };
    // Opened immutable, SQLite reads the database file alone. Changes still in the write-ahead
    // log (left by a program that did not close the vault) would be missed, so such a vault is
    // not read here rather than read out of date.
    let wal = dir.join(format!("{}-wal", db::FILE_NAME));
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(why.error());
    }
    Ok((db::open(db_path, key, db::Access::ReadOnly)?, Some(why)))
}

/// Finds out whether files in `dir` can be written: a small file is written, synced and removed.
fn diagnose_unwritable(dir: &Path) -> Option<Unwritable> {
    use std::io::ErrorKind as K;
    let probe = dir.join(".gawahi-write-probe");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&probe).and_then(|mut f| {
        f.write_all(&vec![0u8; 64 * 1024])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match result {
        Ok(()) => None,
        Err(e) => match e.kind() {
            K::StorageFull | K::QuotaExceeded => Some(Unwritable::DiskFull),
            K::ReadOnlyFilesystem | K::PermissionDenied => Some(Unwritable::ReadOnly),
            _ => None,
        },
    }
}

/// Finishes a key rotation that stopped after its new header was written: the new header names
/// the new database (`vault.db.rotating`), which then replaces the old one. Leftovers of a
/// rotation that stopped before its switch are removed. (The rotation's audit entry is already in
/// the new database: it was written there before the switch.)
fn finish_interrupted_rotation(dir: &Path, header: &KeyHeader, lock: Option<&File>) -> Result<()> {
    let rotating = dir.join(ROTATING_FILE_NAME);
    if !rotating.exists() {
        return Ok(());
    }
    let Some(expected) = header.db_salt() else { return Ok(()) };
    if db::inspect(&dir.join(db::FILE_NAME)).is_ok_and(|salt| salt == expected) {
        // The header still names the old database: the rotation never switched.
        if lock.is_some() {
            remove_rotation_files(dir);
        }
        return Ok(());
    }
    if !db::inspect(&rotating).is_ok_and(|salt| salt == expected) {
        return Ok(());
    }
    let lock = lock.ok_or(Error::ReadOnly)?;
    lock.try_lock().map_err(|_| Error::Busy)?;
    let switched = switch_database(dir);
    let _ = lock.lock_shared();
    switched
}

/// The last step of a rotation: the old database's journal files are removed (they must never
/// be read back into the new database) and the new database takes the old one's name.
fn switch_database(dir: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let path = dir.join(format!("{}{suffix}", db::FILE_NAME));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &path)(e)),
        }
    }
    let rotating = dir.join(ROTATING_FILE_NAME);
    std::fs::rename(&rotating, dir.join(db::FILE_NAME)).map_err(Error::io("replace", &rotating))?;
    header::sync_dir(dir)
}

/// Removes what a rotation that did not switch left behind.
fn remove_rotation_files(dir: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{ROTATING_FILE_NAME}{suffix}")));
    }
}

/// Appends an entry for the key header if it is not the one the log last recorded: a change cut
/// off by a crash before its entry, or a header put back from a copy.
fn record_header_if_changed(conn: &Connection, header: &KeyHeader, action: Action) -> Result<()> {
    let hash = header.sha256_hex();
    if audit::latest_header_hash(conn)?.as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    audit::append(conn, action, None, None, Some(&hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> SecretString {
        SecretString::from(s)
    }

    #[test]
    fn fail_crash_during_passphrase_change_leaves_exactly_one_passphrase_working() {
        for (crash_after, new_works) in
            [(WriteStep::TempWritten, false), (WriteStep::TempSynced, false), (WriteStep::Renamed, true)]
        {
            let tmp = tempfile::tempdir().expect("tempdir");
            let dir = tmp.path().join("v");
            let mut v = Vault::create(&dir, &pass("old passphrase"), Duration::ZERO).expect("create");
            let err = v
                .change_passphrase_interrupted(&pass("old passphrase"), &pass("new passphrase"), |step| {
                    if step == crash_after { Err(std::io::Error::other("simulated crash")) } else { Ok(()) }
                })
                .expect_err("the injected crash must stop the change");
            assert!(matches!(err, Error::Io { .. }), "{err:?}");
            drop(v);
            let old = Vault::unlock(&dir, &pass("old passphrase"));
            let new = Vault::unlock(&dir, &pass("new passphrase"));
            assert_eq!(new.is_ok(), new_works, "crash after {crash_after:?}");
            assert_eq!(old.is_ok(), !new_works, "crash after {crash_after:?}");
            let failed = if new_works { old } else { new };
            assert!(matches!(failed, Err(Error::WrongPassphrase)));
        }
    }

    #[test]
    fn fail_leftover_temp_header_does_not_stop_a_later_change() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("v");
        let mut v = Vault::create(&dir, &pass("old passphrase"), Duration::ZERO).expect("create");
        let _ = v.change_passphrase_interrupted(&pass("old passphrase"), &pass("never used"), |s| {
            if s == WriteStep::TempSynced { Err(std::io::Error::other("crash")) } else { Ok(()) }
        });
        assert!(dir.join(header::TEMP_FILE_NAME).exists());
        v.change_passphrase(&pass("old passphrase"), &pass("second passphrase")).expect("change");
        drop(v);
        Vault::unlock(&dir, &pass("second passphrase")).expect("new works");
        assert!(matches!(Vault::unlock(&dir, &pass("never used")), Err(Error::WrongPassphrase)));
    }

    /// With SQLCipher's memory security on, each SQLite allocation is an mlock/munlock pair: a
    /// trigger on inserts into `records` made every insert allocate about 70 statement-journal
    /// chunks (1.1k inserts/s), and a list statement was re-prepared on every page. These pin the
    /// two causes; `make bench` measures the speed.
    #[test]
    fn fail_hot_paths_do_not_allocate_per_row_under_memory_security() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(&tmp.path().join("v"), &pass("a passphrase"), Duration::ZERO).expect("create");
        assert!(v.memory_security().expect("pragma"), "memory security is on as shipped");
        let conn = v.connection();
        let insert_triggers: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records'
                 AND sql LIKE '%INSERT ON records%'",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(insert_triggers, 0, "an insert trigger on records forces a statement journal per insert");
        let qpsg: bool = conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG')",
                [],
                |r| r.get(0),
            )
            .expect("options");
        assert!(qpsg, "SQLITE_ENABLE_QPSG is built in (.cargo/config.toml), so list statements keep their plan");
    }
}
