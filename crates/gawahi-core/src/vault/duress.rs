//! The duress passphrase: a second passphrase that, entered where the vault's own goes, either
//! opens a decoy database the owner prepared or wipes the vault silently and opens a fresh,
//! empty one in its place.
//!
//! Nothing on disk says whether one is set. It takes a spare slot of the key header, which
//! already holds random bytes of a used slot's shape, and the slot's role is part of the slot's
//! authenticated data (`crypto/header.rs`), so it is as hidden as the key. The decoy's records
//! live in `vault.aux`, a second SQLCipher database that **every** vault carries from its
//! creation (made the same way as a decoy's, under a random key that is then forgotten): a
//! SQLCipher file is a random salt followed by encrypted pages, so a database nobody can open
//! and a decoy look alike. Vaults made before duress existed get theirs at their next unlock.
//!
//! Setting or clearing a duress passphrase refills every header slot but the owner's with fresh
//! random bytes (so at most one duress passphrase exists, and the file keeps its size); a decoy
//! gets a new, empty `vault.aux` the owner then fills by unlocking with the duress passphrase.
//! A key rotation and a restore from recovery shares write a header with only the owner's slot,
//! so they clear it too.

use std::path::Path;

use rusqlite::TransactionBehavior;
use secrecy::SecretString;
use serde::Serialize;

use super::open::{open_database, record_header_if_changed, refresh_vocabularies};
use super::{Vault, check_new_passphrase};
use crate::audit::{self, Action};
use crate::db;
use crate::error::{Error, Invalid, Reason, Result};
use crate::header::{self, KeyHeader, SLOTS, SlotRole};
use crate::keys::{KeyPurpose, MasterKey, random_bytes};
use crate::vocab;

/// The decoy database every vault carries, whether or not a duress passphrase opens it.
pub const AUX_FILE_NAME: &str = crate::files::OWN.aux;
/// The name a new decoy database is made under before it replaces [`AUX_FILE_NAME`].
pub const AUX_TEMP_FILE_NAME: &str = crate::files::OWN.aux_temp;

/// What a duress passphrase does when it is entered at the unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DuressMode {
    /// Opens a decoy vault (empty when set; the owner fills it by unlocking with the duress
    /// passphrase) and never the real records.
    Decoy,
    /// Wipes the vault silently and opens a fresh, empty vault with the duress passphrase.
    Wipe,
}

impl Vault {
    /// Sets `duress` as the vault's duress passphrase, doing what `mode` says, in place of any
    /// duress passphrase set before. The key header keeps its size and shape.
    ///
    /// Refused ([`Reason::SameAsPassphrase`]) when `duress` is the vault's own passphrase, and,
    /// in a vault opened with a duress passphrase, answered [`Error::Busy`] with nothing changed
    /// (the answer a vault open in another program gives), so that the decoy does not give
    /// itself away by a message of its own.
    pub fn set_duress(&mut self, duress: &SecretString, mode: DuressMode) -> Result<()> {
        self.duress_allowed()?;
        check_new_passphrase(duress).map_err(|_| {
            Error::Invalid(Invalid::field(
                "duress_passphrase",
                Reason::PassphraseTooShort,
                format!("use at least {} characters; a few unrelated words are best", super::MIN_PASSPHRASE_CHARS),
            ))
        })?;
        let mut header = KeyHeader::read(&self.dir)?;
        if matches!(header.unwrap_any(duress), Ok((_, slot, SlotRole::Owner)) if slot == self.slot) {
            return Err(Invalid::field(
                "duress_passphrase",
                Reason::SameAsPassphrase,
                "the duress passphrase must differ from the vault's passphrase",
            )
            .into());
        }
        header.randomise_slots_except(self.slot)?;
        let others: Vec<usize> = (0..SLOTS).filter(|&s| s != self.slot).collect();
        // The duress slot is any spare one, chosen at random, so its place says nothing either.
        let pick = others[usize::from(random_bytes::<1>()?[0]) % others.len()];
        match mode {
            DuressMode::Decoy => {
                let decoy = MasterKey::generate()?;
                header.wrap_role_into(pick, SlotRole::DuressDecoy, duress, &decoy)?;
                write_aux_database(&self.dir, &decoy, &header)?;
            }
            DuressMode::Wipe => {
                // A wipe slot's key opens nothing: only its role matters.
                header.wrap_role_into(pick, SlotRole::DuressWipe, duress, &MasterKey::generate()?)?;
            }
        }
        self.replace_header_for_duress(&header)
    }

    /// Removes the duress passphrase, if one is set (whether one was is not said): every slot but
    /// the owner's gets fresh random bytes, and the header keeps its size. A decoy's database
    /// stays in place, unreadable without the key that went with the slot.
    pub fn clear_duress(&mut self) -> Result<()> {
        self.duress_allowed()?;
        let mut header = KeyHeader::read(&self.dir)?;
        header.randomise_slots_except(self.slot)?;
        self.replace_header_for_duress(&header)
    }

    /// Whether this vault was opened with a duress passphrase that opened the decoy. Only for
    /// tests: nothing the vault shows depends on it.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn is_decoy_for_tests(&self) -> bool {
        self.role == SlotRole::DuressDecoy
    }

    fn duress_allowed(&self) -> Result<()> {
        self.writable()?;
        if self.role != SlotRole::Owner {
            return Err(Error::Busy);
        }
        Ok(())
    }

    /// Writes `header` with its audit entry in one step, as a passphrase change does.
    fn replace_header_for_duress(&mut self, header: &KeyHeader) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(&tx, Action::DuressChange, None, None, Some(&header.sha256_hex()))?;
        header.write_atomic(&self.dir, |_| Ok(()))?;
        // The header is replaced: should the commit fail, the next unlock records the change.
        let _ = tx.commit();
        Ok(())
    }

    /// Opens the decoy database with the key a duress slot held: what [`Vault::unlock`] does for
    /// a decoy duress passphrase. The checks are the owner's database's, but for the header's
    /// database salt, which names `vault.db` (the decoy's key authenticates its file instead).
    pub(super) fn open_decoy(
        dir: &Path,
        lock: Option<std::fs::File>,
        header: &KeyHeader,
        master: MasterKey,
        slot: usize,
    ) -> Result<Self> {
        let db_path = dir.join(crate::files::names(dir).aux);
        db::inspect(&db_path)?;
        let key = master.derive(KeyPurpose::Database);
        let (mut conn, unwritable) = open_database(dir, &db_path, &key)?;
        if super::open::bring_schema_up_to_date(&mut conn, unwritable.as_ref())? {
            match refresh_vocabularies(&mut conn) {
                Ok(()) | Err(Error::Busy | Error::DiskFull | Error::ReadOnly) => {}
                Err(e) => return Err(e),
            }
            match record_header_if_changed(&conn, header, Action::HeaderChange) {
                Ok(()) | Err(Error::Busy | Error::DiskFull | Error::ReadOnly) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self::opened(dir, conn, master, slot, SlotRole::DuressDecoy, unwritable, lock))
    }

    /// What [`Vault::unlock`] does for a wiping duress passphrase: the panic wipe, then a fresh
    /// vault in the same folder with the same Argon2id parameters, opened with `passphrase`.
    /// Failures of the wipe are not reported (the person watching must see an ordinary unlock);
    /// if the folder cannot be made into a fresh vault, the wipe's error is what comes back.
    pub(super) fn wipe_under_duress(dir: &Path, header: &KeyHeader, passphrase: &SecretString) -> Result<Self> {
        // The fresh vault keeps the wiped one's names: a camouflaged folder that came back under
        // the vault's own names would say what happened.
        let set = crate::files::NameSet::of(dir);
        let wiped = Self::wipe(dir);
        match super::open::prepare_dir(dir) {
            Ok(()) => Self::create_in(dir, passphrase, header.kdf, set),
            Err(e) => Err(wiped.err().unwrap_or(e)),
        }
    }
}

/// Makes a vault database under `master` as [`AUX_FILE_NAME`]: schema, shipped vocabularies and
/// a creation entry naming `header`, written first under a temporary name, synced and renamed
/// over any earlier one. With a key nobody keeps, it is the decoy-shaped file every vault has.
pub(super) fn write_aux_database(dir: &Path, master: &MasterKey, header: &KeyHeader) -> Result<()> {
    let names = crate::files::names(dir);
    let tmp = dir.join(names.aux_temp);
    remove_aux_files(dir, names.aux_temp);
    let made = (|| {
        let mut conn = db::create(&tmp, &master.derive(KeyPurpose::Database), header.new_database_mac())?;
        db::migrate(&mut conn)?;
        let tx = conn.transaction()?;
        vocab::load_shipped(&tx)?;
        audit::append(&tx, Action::VaultCreate, None, None, Some(&header.sha256_hex()))?;
        tx.commit()?;
        db::checkpoint(&conn)?;
        conn.close().map_err(|(_, e)| Error::from(e))?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(Error::io("sync", &tmp))
    })();
    if let Err(e) = made {
        remove_aux_files(dir, names.aux_temp);
        return Err(e);
    }
    // The old decoy's journal files must not be replayed into the new database.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{}{suffix}", names.aux)));
    }
    let target = dir.join(names.aux);
    std::fs::rename(&tmp, &target).map_err(Error::io("replace", &target))?;
    remove_aux_files(dir, names.aux_temp);
    header::sync_dir(dir)
}

/// Gives a vault made before duress existed the decoy-shaped database every vault carries.
pub(super) fn ensure_aux_database(dir: &Path, header: &KeyHeader) -> Result<()> {
    if dir.join(crate::files::names(dir).aux).symlink_metadata().is_ok() {
        return Ok(());
    }
    write_aux_database(dir, &MasterKey::generate()?, header)
}

fn remove_aux_files(dir: &Path, name: &str) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(dir.join(format!("{name}{suffix}")));
    }
}
