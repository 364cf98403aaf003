//! Making and opening a vault: creating the directory, matching the database to the key header
//! before anything is decrypted, opening for reading only where the storage cannot be written,
//! and the lock file every process holds while the vault is open.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};
use secrecy::SecretString;

use super::{BLOBS_DIR, LOCK_FILE_NAME, Unwritable, Vault, check_new_passphrase, finish_interrupted_rotation};
use crate::audit::{self, Action};
use crate::db;
use crate::error::{Error, Result};
use crate::files::NameSet;
use crate::header::{self, KeyHeader, SlotRole};
use crate::kdf::KdfParams;
use crate::keys::{KeyPurpose, MasterKey};
use crate::vocab;

impl Vault {
    /// Creates a vault in `dir` (which must not exist, or be empty), with KDF parameters
    /// calibrated to take about `kdf_target` on this machine. The directory is made readable
    /// only by its owner (0700), and every file in it 0600.
    pub fn create(dir: &Path, passphrase: &SecretString, kdf_target: Duration) -> Result<Self> {
        check_new_passphrase(passphrase)?;
        prepare_dir(dir)?;
        let kdf = KdfParams::calibrate(kdf_target)?;
        Self::create_in(dir, passphrase, kdf, NameSet::Own).inspect_err(|_| {
            // Leave no half-made vault behind: it could not be opened, and would block a retry.
            let _ = std::fs::remove_file(dir.join(header::FILE_NAME));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("{}{suffix}", db::FILE_NAME)));
            }
            for name in [super::duress::AUX_FILE_NAME, super::duress::AUX_TEMP_FILE_NAME] {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(dir.join(format!("{name}{suffix}")));
                }
            }
            let _ = std::fs::remove_file(dir.join(super::unlock_limit::FILE_NAME));
            let _ = std::fs::remove_file(dir.join(LOCK_FILE_NAME));
            let _ = std::fs::remove_dir(dir.join(BLOBS_DIR));
        })
    }

    /// Makes the vault in the empty folder `dir`, its files named in `set` (a vault made afresh
    /// after a duress wipe keeps the names the wiped one had).
    pub(super) fn create_in(dir: &Path, passphrase: &SecretString, kdf: KdfParams, set: NameSet) -> Result<Self> {
        let master = MasterKey::generate()?;
        // The database is made first: until the header exists, the folder's names are told by it.
        let db_path = dir.join(set.names().database);
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
        // Every vault carries a second database of the same making, whether or not a duress
        // passphrase opens it, so that a decoy's database is no tell (see `vault/duress.rs`).
        super::duress::write_aux_database(dir, &MasterKey::generate()?, &header)?;
        super::unlock_limit::write_fresh(dir)?;
        mkdir(&dir.join(set.names().blobs))?;
        let lock = open_lock(dir)?;
        // The header goes last: until it exists there is no vault, so a crash during creation
        // leaves nothing that looks openable.
        header.write_atomic(dir, |_| Ok(()))?;
        Ok(Self::opened(dir, conn, master, 0, SlotRole::Owner, None, lock))
    }

    /// Unlocks the vault in `dir` with `passphrase`.
    ///
    /// Before anything is decrypted, the database file is matched to the key header: a missing,
    /// emptied, truncated or swapped database is refused with its own error, so that nothing is
    /// ever written into the wrong file. A vault on read-only media, or on a full disk, opens for
    /// reading. A key rotation that was stopped after its switch is finished here, and a change
    /// of the key header that the audit log does not hold yet (a passphrase change cut off by a
    /// crash) is recorded.
    ///
    /// A duress passphrase (see [`Vault::set_duress`]) opens the decoy database, or wipes the
    /// vault and opens a fresh, empty one in its place, saying nothing of either. Every attempt
    /// is counted before the passphrase is tried (see [`Vault::unlock_attempts`]); with a limit
    /// set, the attempt that reaches it wipes the vault and still reports
    /// [`Error::WrongPassphrase`].
    pub fn unlock(dir: &Path, passphrase: &SecretString) -> Result<Self> {
        // A wipe cut off half-way is finished before anything else, and there is then no vault.
        Self::finish_interrupted_wipe(dir)?;
        // A change of the files' names (camouflage) cut off part-way is finished first, so that
        // every path below names a file that is there; a file under both names is refused.
        crate::files::settle(dir)?;
        // The vault must be there before anything is made in its folder (the lock file).
        KeyHeader::read(dir)?;
        // The attempt is counted before the passphrase is tried, so that killing the process
        // during Argon2id does not make a guess free.
        let attempt = super::unlock_limit::count_attempt(dir)?;
        // The header is read under the shared lock: a key rotation in another process holds the
        // lock exclusively from before it copies the database until both files are switched, so
        // the header read here belongs with the database read below.
        let lock = open_lock(dir)?;
        let header = KeyHeader::read(dir)?;
        let (master, slot, role) = match header.unwrap_any(passphrase) {
            Ok(opened) => opened,
            Err(Error::WrongPassphrase) => {
                if attempt.counted.limit_reached() {
                    drop(lock);
                    // The error is the same as for any wrong passphrase: whoever is guessing
                    // learns nothing until the next attempt finds no vault.
                    let _ = Self::wipe(dir);
                }
                return Err(Error::WrongPassphrase);
            }
            Err(e) => return Err(e),
        };
        let opened = match role {
            SlotRole::Owner => Self::open_owner(dir, lock, header, master, slot, passphrase),
            SlotRole::DuressDecoy => Self::open_decoy(dir, lock, &header, master, slot),
            SlotRole::DuressWipe => {
                drop(lock);
                return Self::wipe_under_duress(dir, &header, passphrase);
            }
        };
        // The passphrase was right: a vault that then cannot be opened (damaged, newer) was no
        // guess, and is left exactly as it was.
        let vault = opened.inspect_err(|_| super::unlock_limit::undo(dir, &attempt))?;
        // Best effort: a vault on read-only media opens without the count being reset.
        let _ = super::unlock_limit::reset(dir, vault.unwritable.is_none());
        Ok(vault)
    }

    /// Opens the vault with the owner's key: the body of [`Vault::unlock`].
    fn open_owner(
        dir: &Path,
        lock: Option<File>,
        mut header: KeyHeader,
        master: MasterKey,
        slot: usize,
        passphrase: &SecretString,
    ) -> Result<Self> {
        let read_as = header.to_bytes();
        let db_path = dir.join(crate::files::names(dir).database);
        finish_interrupted_rotation(dir, &header, lock.as_ref())?;
        let salt = db::inspect(&db_path)?;
        if header.db_salt().is_some_and(|expected| expected != salt) {
            return Err(Error::DatabaseForeign);
        }
        let key = master.derive(KeyPurpose::Database);
        let (mut conn, unwritable) = open_database(dir, &db_path, &key)?;
        // A file cut at a page boundary still starts with the right salt, and SQLite reads the
        // missing pages as zeros: the size page 1 records tells it apart, as long as the
        // write-ahead log holds nothing (its pages may legitimately lie past the file's end).
        let wal = dir.join(format!("{}-wal", crate::files::names(dir).database));
        if !std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let len = std::fs::metadata(&db_path).map_err(Error::io("read", &db_path))?.len();
            if pages.unsigned_abs() * db::PAGE_SIZE as u64 > len {
                return Err(Error::DatabaseTruncated);
            }
        }
        if bring_schema_up_to_date(&mut conn, unwritable.as_ref())? {
            // Only a format-1 header, which does not name its database, is upgraded here; a
            // format-2 one waits for a key rotation (see `header`: its duress slot would be lost).
            if header.db_salt().is_none() {
                let upgraded = header.upgraded(salt, slot, passphrase, &master)?;
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // Under the write lock, the header must still be the one this passphrase opened:
                // another program may have changed the passphrase (or upgraded it) meanwhile, and
                // writing ours back would undo that.
                if KeyHeader::read(dir)?.to_bytes() == read_as {
                    audit::append(&tx, Action::HeaderUpgrade, None, None, Some(&upgraded.sha256_hex()))?;
                    upgraded.write_atomic(dir, |_| Ok(()))?;
                    tx.commit()?;
                    header = upgraded;
                } else {
                    drop(tx);
                    header = KeyHeader::read(dir)?;
                }
            }
            // What intakes cut off by a crash left: a temporary file a committed row names gets
            // its final name, any other temporary file no running intake holds goes. Whole blobs
            // no row names are kept, never deleted: restoring an older copy of the database
            // would otherwise cost every file added since; `check` notes them. Best effort: a
            // healthy vault opens even if this cannot be done now (its readers find a committed
            // file under its temporary name meanwhile).
            if lock.is_some() {
                let _ = super::evidence::finish_interrupted_intakes(dir, &conn);
            }
            // A vault made before duress existed gets the second database every vault now
            // carries (best effort, like the steps below).
            let _ = super::duress::ensure_aux_database(dir, &header);
            // The shipped vocabularies as this build ships them (sections added since, a new
            // list): best effort, like the entry below, so a busy vault still opens.
            match refresh_vocabularies(&mut conn) {
                Ok(()) | Err(Error::Busy | Error::DiskFull | Error::ReadOnly) => {}
                Err(e) => return Err(e),
            }
            // Best effort: a vault busy in another program still opens, and the entry is
            // written at a later unlock.
            match record_header_if_changed(&conn, &header, Action::HeaderChange) {
                Ok(()) | Err(Error::Busy | Error::DiskFull | Error::ReadOnly) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self::opened(dir, conn, master, slot, SlotRole::Owner, unwritable, lock))
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
        Ok(Self::opened(dir, conn, MasterKey::generate()?, 0, SlotRole::Owner, None, None))
    }
}

pub(super) fn prepare_dir(dir: &Path) -> Result<()> {
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
pub(super) fn open_lock(dir: &Path) -> Result<Option<File>> {
    let path = dir.join(crate::files::names(dir).lock);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = match options.open(&path) {
        Ok(f) => f,
        Err(e) => match File::open(&path) {
            Ok(f) => f,
            // No lock file, and none can be made here: storage that nothing can change.
            Err(missing) if missing.kind() == std::io::ErrorKind::NotFound && is_unwritable_io(&e) => {
                return Ok(None);
            }
            // A lock file that is there but cannot be opened is never silently skipped.
            Err(other) => return Err(Error::io("open", &path)(other)),
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
/// Refuses a database that decrypts but holds no schema (it was never a vault's) or one a newer
/// Gawahi migrated (this build would misread it), then migrates it to this build's schema.
/// Returns whether it could be written: on read-only media or a full disk nothing is migrated,
/// and a database that would need it is refused with the reason it cannot be written.
pub(super) fn bring_schema_up_to_date(conn: &mut Connection, unwritable: Option<&Unwritable>) -> Result<bool> {
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if tables == 0 {
        return Err(Error::DatabaseEmpty);
    }
    if db::has_unknown_migrations(conn)? {
        return Err(Error::NewerSchema);
    }
    match unwritable {
        Some(why) if db::pending_migrations(conn)? => Err(why.error()),
        Some(_) => Ok(false),
        None => {
            db::migrate(conn)?;
            Ok(true)
        }
    }
}

pub(super) fn open_database(
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
    let mut wal = db_path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(Error::UnsavedJournal);
    }
    Ok((db::open(db_path, key, db::Access::ReadOnly)?, Some(why)))
}

/// Finds out whether files in `dir` can be written: a small file is written, synced and removed.
pub(super) fn diagnose_unwritable(dir: &Path) -> Option<Unwritable> {
    use std::io::ErrorKind as K;
    let probe = dir.join(crate::files::names(dir).write_probe);
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

/// Brings the shipped vocabularies up to the ones this build ships (new entries, corrected
/// labels), in one transaction, so an older vault reads with the current lists.
pub(super) fn refresh_vocabularies(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // The index holds every label: changed labels are indexed again with the change.
    if vocab::refresh_shipped(&tx)? {
        crate::store::search::rebuild(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

/// Appends an entry for the key header if it is not the one the log last recorded: a change cut
/// off by a crash before its entry, or a header put back from a copy.
pub(super) fn record_header_if_changed(conn: &Connection, header: &KeyHeader, action: Action) -> Result<()> {
    let hash = header.sha256_hex();
    if audit::latest_header_hash(conn)?.as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    audit::append(conn, action, None, None, Some(&hash))
}
