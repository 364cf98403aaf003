//! Passphrase changes and key rotation, each crash-safe and each in the audit log.

use std::fs::File;
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};
use secrecy::SecretString;

use super::{MIN_PASSPHRASE_CHARS, Vault};
use crate::audit::{self, Action};
use crate::db;
use crate::error::{Error, Invalid, Reason, Result};
use crate::header::{self, KeyHeader, WriteStep};
use crate::keys::{KeyPurpose, MasterKey};

impl Vault {
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
        self.change_passphrase_steps(current, new, |_| Ok(()))
    }

    /// [`Vault::change_passphrase`] with a hook called after each step of the header's
    /// replacement; an error from the hook stops there, as a crash would. Only for tests: built
    /// with the `test-hooks` feature, which no release build enables.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn change_passphrase_interrupted(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        after: impl FnMut(WriteStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.change_passphrase_steps(current, new, after)
    }

    fn change_passphrase_steps(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        after: impl FnMut(WriteStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.writable()?;
        check_new_passphrase(new)?;
        let mut header = KeyHeader::read(&self.dir)?;
        // A vault opened with a decoy duress passphrase changes that passphrase, in its own slot
        // and role, as the owner's would change: the decoy behaves like a vault in this too.
        let (master, slot, role) = header.unwrap_any(current)?;
        if slot != self.slot || role != self.role || master.as_bytes() != self.master.as_bytes() {
            return Err(Error::WrongPassphrase);
        }
        header.wrap_role_into(slot, role, new, &master)?;
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
        self.rotate_key_steps(current, new, progress, |_| Ok(()))
    }

    /// [`Vault::rotate_key`] with a hook called after each step; an error from the hook stops
    /// there, as a crash would. Only for tests (the `test-hooks` feature).
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn rotate_key_interrupted(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
        after: impl FnMut(RotationStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.rotate_key_steps(current, new, progress, after)
    }

    fn rotate_key_steps(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
        mut after: impl FnMut(RotationStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        self.writable()?;
        // A rotation writes a header with only the caller's slot: from the decoy it would
        // destroy the owner's. It is refused as a vault open elsewhere refuses it.
        if self.role != header::SlotRole::Owner {
            return Err(Error::Busy);
        }
        check_new_passphrase(new)?;
        let header = KeyHeader::read(&self.dir)?;
        let (master, slot) = header.unwrap(current)?;
        if slot != self.slot || master.as_bytes() != self.master.as_bytes() {
            return Err(Error::WrongPassphrase);
        }
        // Nobody else may have the vault open: their connection would go on writing into the
        // old database after it is replaced.
        let lock = self.lock.as_ref().ok_or(Error::ReadOnly)?;
        if lock.try_lock().is_err() {
            // Linux converts a flock by dropping the old lock first: a failed attempt leaves
            // none, so the shared lock is taken again before saying the vault is busy.
            self.relock_shared();
            return Err(Error::Busy);
        }
        let result = self.rotate_locked(&header, new, progress, &mut after);
        self.relock_shared();
        result
    }

    /// Takes the shared lock again after an exclusive attempt. Converting a flock is not atomic
    /// (the old lock goes first), so another program may have rotated the key in between: then
    /// this vault's connection is to a database that has been replaced, and every change made
    /// through it would be lost. Such a vault refuses all changes from then on (`Locked`: lock it
    /// and unlock it again).
    pub(super) fn relock_shared(&mut self) {
        let Some(lock) = &self.lock else { return };
        let _ = lock.lock_shared();
        let ours = db::salt(&self.conn, "main").ok();
        let on_disk = db::inspect(&self.database_path()).ok();
        if ours.is_none() || ours != on_disk {
            self.stale = true;
        }
    }

    fn rotate_locked(
        &mut self,
        old_header: &KeyHeader,
        new: &SecretString,
        progress: impl FnMut(f64) + Send + 'static,
        after: &mut impl FnMut(RotationStep) -> std::io::Result<()>,
    ) -> Result<PassphraseChanged> {
        let names = crate::files::names(&self.dir);
        let db_path = self.dir.join(names.database);
        let rotating = self.dir.join(names.rotating);
        db::checkpoint(&self.conn)?;
        remove_rotation_files(&self.dir);
        if rotating.symlink_metadata().is_ok() {
            return Err(Error::Io {
                action: "remove",
                path: rotating,
                source: std::io::Error::other(
                    "something that is not a file is in the way: move it out of the vault's folder",
                ),
            });
        }
        let new_master = MasterKey::generate()?;
        let new_key = new_master.derive(KeyPurpose::Database);
        // The new database's log records the rotation, with the new header's hash, before the
        // switch: if the switch never happens, the entry goes with the discarded copy.
        let (old_kwk, new_kwk) = (self.master.derive(KeyPurpose::Blobs), new_master.derive(KeyPurpose::Blobs));
        let copied = db::export_rekeyed(&mut self.conn, &db_path, &rotating, &new_key, progress, |conn, salt| {
            // Evidence files keep their own keys: only those keys are re-wrapped, in the copy,
            // while both master keys are known. blobs/ is not touched.
            crate::store::evidence::rewrap(conn, "rekeyed", &old_kwk, &new_kwk)?;
            // The identity seed likewise, so the vault's public keys survive the rotation.
            crate::store::identity::rewrap(
                conn,
                "rekeyed",
                &self.master.derive(KeyPurpose::IdentitySeed),
                &new_master.derive(KeyPurpose::IdentitySeed),
            )?;
            let header = KeyHeader::new(old_header.kdf, salt, new, &new_master)?;
            audit::append_in(conn, "rekeyed", Action::KeyRotation, None, None, Some(&header.sha256_hex()))?;
            Ok(header)
        });
        let new_header = match copied {
            Ok(header) => header,
            Err(e) => {
                // SQLCipher's export reports a full disk as a generic error: say what it was,
                // finding out before the partial copy is removed (which frees the space again).
                let why = super::open::diagnose_unwritable(&self.dir);
                remove_rotation_files(&self.dir);
                return Err(why.map_or(e, super::Unwritable::error));
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
        // What is kept was read through the old connection, whose data versions mean nothing to
        // the new one.
        self.labels.forget();
        self.master = new_master;
        self.slot = 0;
        Ok(PassphraseChanged { rotated: true })
    }
}

pub(super) fn check_new_passphrase(p: &SecretString) -> Result<()> {
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

/// Finishes a key rotation that stopped after its new header was written: the new header names
/// the new database (`vault.db.rotating`), which then replaces the old one. Leftovers of a
/// rotation that stopped before its switch are removed. (The rotation's audit entry is already in
/// the new database: it was written there before the switch.)
pub(super) fn finish_interrupted_rotation(dir: &Path, header: &KeyHeader, lock: Option<&File>) -> Result<()> {
    let names = crate::files::names(dir);
    let rotating = dir.join(names.rotating);
    if !rotating.exists() {
        return Ok(());
    }
    let Some(expected) = header.db_salt() else { return Ok(()) };
    if db::inspect(&dir.join(names.database)).is_ok_and(|salt| salt == expected) {
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
pub(super) fn switch_database(dir: &Path) -> Result<()> {
    let names = crate::files::names(dir);
    for suffix in ["-wal", "-shm"] {
        let path = dir.join(format!("{}{suffix}", names.database));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &path)(e)),
        }
    }
    let rotating = dir.join(names.rotating);
    std::fs::rename(&rotating, dir.join(names.database)).map_err(Error::io("replace", &rotating))?;
    header::sync_dir(dir)
}

/// Removes what a rotation that did not switch left behind.
pub(super) fn remove_rotation_files(dir: &Path) {
    let rotating = crate::files::names(dir).rotating;
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{rotating}{suffix}")));
    }
}

/// Where a key rotation has got to, for tests that stop it part way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RotationStep {
    /// The database has been copied under the new key into [`super::ROTATING_FILE_NAME`] (or its neutral name) and synced;
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

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

    /// With SQLCipher's memory security on, each SQLite allocation is wiped when freed (and was
    /// an mlock/munlock pair until SQLCipher was built without locking): a
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

    /// What ARCHITECTURE.md says of memory is what the process does: SQLCipher wipes what SQLite
    /// frees, and nothing is locked against swap. SQLCipher's own locking (an `mlock` per
    /// allocation, an `munlock` per free) could not keep that promise: Linux does not count locks,
    /// so freeing any small allocation unlocked the whole pages it shared with live ones (the
    /// page cache's included), and a normal user may lock only 8 MiB. It is compiled out
    /// (`OMIT_MEMLOCK`, `.cargo/config.toml`); before that, SQLCipher's key heap alone kept
    /// 48 KiB locked for the life of the process.
    #[cfg(target_os = "linux")]
    #[test]
    fn fail_no_page_is_claimed_locked_that_is_not() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(&tmp.path().join("v"), &pass("a passphrase"), Duration::ZERO).expect("create");
        assert!(v.memory_security().expect("pragma"), "the wipe on free stays on");
        let records: i64 = v
            .connection()
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .expect("a read through the cache");
        assert_eq!(records, 0);
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let locked = status.lines().find_map(|l| l.strip_prefix("VmLck:")).expect("VmLck line").trim().to_owned();
        assert_eq!(locked, "0 kB", "with the vault open, this process locks no memory");
    }
}
