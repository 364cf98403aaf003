//! The key header: `vault.header`, a small fixed-size file beside `vault.db`.
//!
//! Format 3 (written by this build), and format 2, which has the same layout:
//!
//! ```text
//! offset  size  field
//!      0     8  magic "GAWAHI\0K"
//!      8     4  format version, u32 little-endian (3, or 2)
//!     12    12  Argon2id memory KiB, iterations, parallelism (u32 LE each)
//!     24    32  salt
//!     56    16  database salt: the first 16 bytes of the `vault.db` this header belongs to
//!     72   240  4 key slots × (12-byte nonce ‖ 32-byte wrapped master key ‖ 16-byte GCM tag)
//!    312    32  SHA-256 of bytes 0..312
//! ```
//!
//! Format 3 says that the vault's databases may carry HMAC-SHA256 page MACs ([`crate::db::PageMac`]),
//! which a build that knows only format 2 cannot read: such a build calls the vault "made by a
//! newer Gawahi" rather than damaged. In a format-2 vault every database carries SHA-512 MACs, and
//! a database this build makes in one (its decoy) does too ([`KeyHeader::new_database_mac`]). A
//! format-2 header is not upgraded at unlock: its slots' authenticated data includes the version,
//! so a duress passphrase's slot could not be carried over. It becomes format 3 at the vault's
//! next key rotation, which writes a new header and a new database anyway.
//!
//! Format 1 (read, and upgraded to format 3 at the first unlock on writable storage) is the same
//! without the database salt: slots at 56, checksum at 296, 328 bytes in all.
//!
//! A slot wraps the master key with AES-256-GCM under the key that Argon2id derives from one
//! passphrase; the authenticated data is the header's prefix (everything before the slots) and
//! the slot's index, so changing the parameters, the database salt or moving a slot makes it
//! fail to open. Unused slots hold random bytes of exactly the same shape, so the file looks the
//! same whether one or four passphrases open it: a duress passphrase can later take a spare slot
//! without changing the file's size. All slots share one salt and one set of parameters, so
//! unlocking costs one Argon2id run; every slot is then tried, whether or not an earlier one
//! opened.
//!
//! The database salt binds the header to one database file. SQLCipher writes a random salt as
//! the first 16 bytes of every database it creates, in the clear, so before anything is
//! decrypted the vault can tell its own database from another vault's, from an older copy made
//! before a key rotation, or from any other file put in its place (see [`crate::db::inspect`]).
//! A key rotation writes a new database beside the old one, and the header that names the new
//! database's salt is the single atomic switch between them.
//!
//! **Slot roles (duress).** A slot's authenticated data also says what its passphrase does, so the
//! role is as hidden as the key: the owner's slot has the prefix and index alone (as every
//! header written before duress existed), a duress slot has the prefix, the index and one more
//! byte, `D` (open the decoy database, `vault.aux`) or `W` (wipe the vault silently and open a
//! fresh empty one). Unlocking tries every slot under every role, twelve AES-GCM openings of a
//! few microseconds after the one Argon2id run, always all of them, so neither the time taken
//! nor the file says whether a duress passphrase is set or which slot holds it. Setting or
//! clearing a duress passphrase refills every slot but the owner's with fresh random bytes, so
//! the file keeps its size and shape.
//!
//! The trailing checksum tells a damaged header (exit code 6) from a wrong passphrase (exit 3).
//! It is not a MAC: whoever can write the file can recompute it, but they still cannot open a slot.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::digest::{SHA256, digest};
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::kdf::KdfParams;
use crate::keys::{MasterKey, random_bytes};

/// The header's file name inside a vault directory.
pub const FILE_NAME: &str = crate::files::OWN.header;
/// The name a new header is written under before it replaces the old one.
pub const TEMP_FILE_NAME: &str = crate::files::OWN.header_temp;
/// The number of key slots.
pub const SLOTS: usize = 4;
/// The format version this build writes.
pub const FORMAT_VERSION: u32 = 3;
/// The oldest format version this build reads (and upgrades).
pub const OLDEST_FORMAT_VERSION: u32 = 1;
/// The length of the database salt (SQLCipher's file salt).
pub const DB_SALT_LEN: usize = 16;

const MAGIC: &[u8; 8] = b"GAWAHI\0K";
const V1_PREFIX_LEN: usize = 56;
const PREFIX_LEN: usize = V1_PREFIX_LEN + DB_SALT_LEN;
const TAG_LEN: usize = 16;
const SLOT_LEN: usize = NONCE_LEN + 32 + TAG_LEN;
const BODY_LEN: usize = PREFIX_LEN + SLOTS * SLOT_LEN;
const V1_BODY_LEN: usize = V1_PREFIX_LEN + SLOTS * SLOT_LEN;
/// The header's size in bytes.
pub const LEN: usize = BODY_LEN + 32;
/// The size of a format-1 header in bytes.
pub const V1_LEN: usize = V1_BODY_LEN + 32;

/// What the passphrase of a key slot does when it is entered where the vault's passphrase goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SlotRole {
    /// The owner's passphrase: opens the vault.
    Owner,
    /// A duress passphrase that opens the decoy database the owner prepared.
    DuressDecoy,
    /// A duress passphrase that wipes the vault silently and opens a fresh, empty one.
    DuressWipe,
}

impl SlotRole {
    const ALL: [Self; 3] = [Self::Owner, Self::DuressDecoy, Self::DuressWipe];

    /// The byte a duress slot's authenticated data ends with; the owner's slot has none, so
    /// headers written before duress existed open unchanged.
    fn aad_byte(self) -> Option<u8> {
        match self {
            Self::Owner => None,
            Self::DuressDecoy => Some(b'D'),
            Self::DuressWipe => Some(b'W'),
        }
    }
}

/// A parsed key header. Holds no secret: the slots are ciphertext.
#[derive(Clone)]
pub struct KeyHeader {
    /// The Argon2id parameters every slot was wrapped with.
    pub kdf: KdfParams,
    version: u32,
    salt: [u8; 32],
    db_salt: [u8; DB_SALT_LEN],
    slots: [[u8; SLOT_LEN]; SLOTS],
}

impl std::fmt::Debug for KeyHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyHeader").field("kdf", &self.kdf).finish_non_exhaustive()
    }
}

/// The steps of an atomic header replacement, named so tests can inject a crash between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStep {
    /// The new header is written to the temporary file but not yet synced.
    TempWritten,
    /// The temporary file is synced but has not replaced the header.
    TempSynced,
    /// The temporary file has replaced the header; the directory is not yet synced.
    Renamed,
}

impl KeyHeader {
    /// A header for a vault whose database has the salt `db_salt`: `master` wrapped in slot 0
    /// under `passphrase`, random bytes in the other slots.
    pub(crate) fn new(
        kdf: KdfParams,
        db_salt: [u8; DB_SALT_LEN],
        passphrase: &SecretString,
        master: &MasterKey,
    ) -> Result<Self> {
        let salt = *random_bytes::<32>()?;
        let mut slots = [[0u8; SLOT_LEN]; SLOTS];
        for slot in &mut slots {
            *slot = *random_bytes::<SLOT_LEN>()?;
        }
        let mut header = Self { kdf, version: FORMAT_VERSION, salt, db_salt, slots };
        header.wrap_into(0, passphrase, master)?;
        Ok(header)
    }

    /// The salt of the database this header belongs to, or `None` for a format-1 header, which
    /// did not record it.
    pub fn db_salt(&self) -> Option<[u8; DB_SALT_LEN]> {
        (self.version >= 2).then_some(self.db_salt)
    }

    /// The format version the header was read in.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The page MAC of a database made for this vault: SHA-256 from format 3 on; SHA-512 in a
    /// vault whose header an older build can read, so that build never finds one of the vault's
    /// databases unreadable (see the module's notes on format 3).
    pub fn new_database_mac(&self) -> crate::db::PageMac {
        if self.version >= 3 { crate::db::PageMac::NEWEST } else { crate::db::PageMac::Sha512 }
    }

    /// This header in the current format, bound to the database with `db_salt`, with `master`
    /// wrapped under `passphrase` in `slot` and every other slot random. Used to upgrade a
    /// format-1 header (its slots' authenticated data changes with the format, so they cannot be
    /// carried over; format 1 had no duress slots to lose).
    pub(crate) fn upgraded(
        &self,
        db_salt: [u8; DB_SALT_LEN],
        slot: usize,
        passphrase: &SecretString,
        master: &MasterKey,
    ) -> Result<Self> {
        let mut slots = [[0u8; SLOT_LEN]; SLOTS];
        for s in &mut slots {
            *s = *random_bytes::<SLOT_LEN>()?;
        }
        let mut header = Self { kdf: self.kdf, version: FORMAT_VERSION, salt: self.salt, db_salt, slots };
        header.wrap_into(slot, passphrase, master)?;
        Ok(header)
    }

    /// SHA-256 (hex) of the header's bytes, which the audit log records for every change of the
    /// header so that a change made without an entry is noticed at the next unlock.
    pub fn sha256_hex(&self) -> String {
        crate::audit::sha256_hex(&self.to_bytes())
    }

    /// Wraps `master` under `passphrase` into slot `index` as the owner's slot, replacing what
    /// was there.
    pub(crate) fn wrap_into(&mut self, index: usize, passphrase: &SecretString, master: &MasterKey) -> Result<()> {
        self.wrap_role_into(index, SlotRole::Owner, passphrase, master)
    }

    /// Fills every slot but `keep` with fresh random bytes: whatever other passphrase opened
    /// them (a duress passphrase) no longer does, and the file keeps its size and shape.
    pub(crate) fn randomise_slots_except(&mut self, keep: usize) -> Result<()> {
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if index != keep {
                *slot = *random_bytes::<SLOT_LEN>()?;
            }
        }
        Ok(())
    }

    /// Wraps `master` under `passphrase` into slot `index` with `role`, replacing what was there.
    pub(crate) fn wrap_role_into(
        &mut self,
        index: usize,
        role: SlotRole,
        passphrase: &SecretString,
        master: &MasterKey,
    ) -> Result<()> {
        let kek = self.kdf.derive(passphrase, &self.salt)?;
        let key = aead_key(&kek);
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let mut sealed = Zeroizing::new(master.as_bytes().to_vec());
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce_bytes),
                Aad::from(self.aad(index, role)),
                sealed.as_mut_slice(),
            )
            .map_err(|_| Error::Crypto("sealing the master key failed"))?;
        let slot = &mut self.slots[index];
        slot[..NONCE_LEN].copy_from_slice(nonce_bytes.as_ref());
        slot[NONCE_LEN..NONCE_LEN + 32].copy_from_slice(&sealed);
        slot[NONCE_LEN + 32..].copy_from_slice(tag.as_ref());
        Ok(())
    }

    /// Derives the passphrase's key once and tries every slot with it. Returns the master key
    /// and the index of the slot that opened, for the owner's slot only: duress slots are
    /// [`KeyHeader::unwrap_any`]'s.
    pub(crate) fn unwrap(&self, passphrase: &SecretString) -> Result<(MasterKey, usize)> {
        match self.unwrap_any(passphrase)? {
            (master, index, SlotRole::Owner) => Ok((master, index)),
            _ => Err(Error::WrongPassphrase),
        }
    }

    /// Derives the passphrase's key once and tries every slot under every role with it. Returns
    /// the key the slot holds, its index and its role.
    pub(crate) fn unwrap_any(&self, passphrase: &SecretString) -> Result<(MasterKey, usize, SlotRole)> {
        let kek = self.kdf.derive(passphrase, &self.salt)?;
        let key = aead_key(&kek);
        let mut opened: Option<(MasterKey, usize, SlotRole)> = None;
        // Every slot is tried under every role even after one opens, so the time taken does not
        // say which slot (and so whether a duress passphrase) was used.
        for index in 0..SLOTS {
            for role in SlotRole::ALL {
                let slot = &self.slots[index];
                let mut buf = Zeroizing::new(slot[NONCE_LEN..].to_vec());
                let nonce =
                    Nonce::try_assume_unique_for_key(&slot[..NONCE_LEN]).expect("nonce slice has NONCE_LEN bytes");
                if let Ok(plain) = key.open_in_place(nonce, Aad::from(self.aad(index, role)), buf.as_mut_slice())
                    && opened.is_none()
                    && plain.len() == 32
                {
                    let mut mk = Zeroizing::new([0u8; 32]);
                    mk.copy_from_slice(plain);
                    opened = Some((MasterKey::from_bytes(mk), index, role));
                }
            }
        }
        opened.ok_or(Error::WrongPassphrase)
    }

    /// The bytes before the slots, in the header's own format version.
    fn prefix(&self) -> Vec<u8> {
        let mut p = Vec::with_capacity(PREFIX_LEN);
        p.extend_from_slice(MAGIC);
        p.extend_from_slice(&self.version.to_le_bytes());
        p.extend_from_slice(&self.kdf.memory_kib.to_le_bytes());
        p.extend_from_slice(&self.kdf.iterations.to_le_bytes());
        p.extend_from_slice(&self.kdf.parallelism.to_le_bytes());
        p.extend_from_slice(&self.salt);
        if self.version >= 2 {
            p.extend_from_slice(&self.db_salt);
        }
        p
    }

    fn aad(&self, index: usize, role: SlotRole) -> Vec<u8> {
        let mut a = self.prefix();
        a.push(index as u8);
        if let Some(byte) = role.aad_byte() {
            a.push(byte);
        }
        a
    }

    /// The header as bytes, in the format it was read in (a new header: the current format).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.prefix();
        for slot in &self.slots {
            out.extend_from_slice(slot);
        }
        let sum = digest(&SHA256, &out);
        out.extend_from_slice(sum.as_ref());
        out
    }

    /// Whether `bytes`, with a format version this build knows written over its own, would be
    /// a header whose checksum matches.
    fn known_version_matches_checksum(bytes: &[u8]) -> bool {
        [(1u32, V1_BODY_LEN), (2, BODY_LEN), (FORMAT_VERSION, BODY_LEN)].into_iter().any(|(known, body_len)| {
            if bytes.len() != body_len + 32 {
                return false;
            }
            let mut body = bytes[..body_len].to_vec();
            body[8..12].copy_from_slice(&known.to_le_bytes());
            digest(&SHA256, &body).as_ref() == &bytes[body_len..]
        })
    }

    /// Parses a header, telling damage from a newer format.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(Error::CorruptHeader("not a Gawahi key header"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version > FORMAT_VERSION {
            // A newer Gawahi's header carries its own checksum. If the checksum instead matches
            // this header with a version this build knows, the version field itself was damaged
            // (a flipped bit), and saying "made by a newer Gawahi" would send the user after the
            // wrong cause.
            if Self::known_version_matches_checksum(bytes) {
                return Err(Error::CorruptHeader("format version damaged"));
            }
            return Err(Error::UnsupportedVersion(version));
        }
        let (prefix_len, body_len) = match version {
            1 => (V1_PREFIX_LEN, V1_BODY_LEN),
            2 | FORMAT_VERSION => (PREFIX_LEN, BODY_LEN),
            _ => return Err(Error::CorruptHeader("unknown format version")),
        };
        if bytes.len() != body_len + 32 {
            return Err(Error::CorruptHeader("wrong length"));
        }
        if digest(&SHA256, &bytes[..body_len]).as_ref() != &bytes[body_len..] {
            return Err(Error::CorruptHeader("checksum mismatch"));
        }
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let kdf = KdfParams { memory_kib: u32_at(12), iterations: u32_at(16), parallelism: u32_at(20) };
        if !kdf.is_sane() {
            return Err(Error::CorruptHeader("KDF parameters out of range"));
        }
        let mut salt = [0u8; 32];
        salt.copy_from_slice(&bytes[24..56]);
        let mut db_salt = [0u8; DB_SALT_LEN];
        if version >= 2 {
            db_salt.copy_from_slice(&bytes[V1_PREFIX_LEN..PREFIX_LEN]);
        }
        let mut slots = [[0u8; SLOT_LEN]; SLOTS];
        for (i, slot) in slots.iter_mut().enumerate() {
            slot.copy_from_slice(&bytes[prefix_len + i * SLOT_LEN..prefix_len + (i + 1) * SLOT_LEN]);
        }
        Ok(Self { kdf, version, salt, db_salt, slots })
    }

    /// Reads the header of the vault in `dir`.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(crate::files::names(dir).header);
        let bytes = fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => Error::VaultNotFound(dir.to_owned()),
            _ => Error::io("read", &path)(e),
        })?;
        Self::from_bytes(&bytes)
    }

    /// Replaces the header of the vault in `dir` atomically: the new header goes to a temporary
    /// file in the same directory, which is synced, renamed over the old one, and the directory
    /// is synced. A crash at any point leaves either the old or the new header in place, whole.
    ///
    /// `after` is called after each step; an error from it stops the write there, as a crash
    /// would. Production callers pass a closure that returns `Ok(())`.
    pub(crate) fn write_atomic(
        &self,
        dir: &Path,
        mut after: impl FnMut(WriteStep) -> std::io::Result<()>,
    ) -> Result<()> {
        // The header keeps the names its folder's files have (camouflage's or the vault's own).
        let names = crate::files::names(dir);
        let tmp = dir.join(names.header_temp);
        let target = dir.join(names.header);
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(Error::io("create", &tmp))?;
        file.write_all(&self.to_bytes()).map_err(Error::io("write", &tmp))?;
        after(WriteStep::TempWritten).map_err(Error::io("write", &tmp))?;
        file.sync_all().map_err(Error::io("sync", &tmp))?;
        drop(file);
        after(WriteStep::TempSynced).map_err(Error::io("sync", &tmp))?;
        fs::rename(&tmp, &target).map_err(Error::io("replace", &target))?;
        after(WriteStep::Renamed).map_err(Error::io("replace", &target))?;
        // The new header is now the one every reader sees, and the change cannot be taken back:
        // a failed sync of the folder only weakens it against a power cut, so it is not
        // reported as a failure (which would tell the user the change did not happen).
        let _ = sync_dir(dir);
        Ok(())
    }
}

/// Whether `start` (a file's first bytes) begins with the key header's magic bytes: how the
/// panic wipe tells a vault's folder from any other before it removes anything.
pub fn has_magic(start: &[u8]) -> bool {
    start.starts_with(MAGIC)
}

/// Syncs a directory so that a rename or a new file in it survives a power cut.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io("sync", dir))
}

fn aead_key(kek: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, kek).expect("AES-256 takes a 32-byte key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> (KeyHeader, MasterKey) {
        let mk = MasterKey::generate().expect("mk");
        let h = KeyHeader::new(KdfParams::FLOOR, [9; DB_SALT_LEN], &SecretString::from("correct horse"), &mk)
            .expect("header");
        (h, mk)
    }

    #[test]
    fn round_trips_and_opens_slot_zero() {
        let (h, mk) = header();
        let parsed = KeyHeader::from_bytes(&h.to_bytes()).expect("parse");
        let (opened, slot) = parsed.unwrap(&SecretString::from("correct horse")).expect("unwrap");
        assert_eq!(slot, 0);
        assert_eq!(opened.as_bytes(), mk.as_bytes());
        assert!(matches!(parsed.unwrap(&SecretString::from("wrong horse")), Err(Error::WrongPassphrase)));
    }

    #[test]
    fn a_second_slot_opens_with_its_own_passphrase() {
        let (mut h, mk) = header();
        h.wrap_into(2, &SecretString::from("second"), &mk).expect("wrap");
        let (_, slot) = h.unwrap(&SecretString::from("second")).expect("unwrap");
        assert_eq!(slot, 2);
        assert_eq!(h.to_bytes().len(), LEN);
    }

    #[test]
    fn a_duress_slot_opens_with_its_role_and_never_as_the_owner() {
        let (mut h, mk) = header();
        let decoy = MasterKey::generate().expect("mk");
        h.wrap_role_into(3, SlotRole::DuressDecoy, &SecretString::from("duress"), &decoy).expect("wrap");
        let (opened, slot, role) = h.unwrap_any(&SecretString::from("duress")).expect("unwrap");
        assert_eq!((slot, role), (3, SlotRole::DuressDecoy));
        assert_eq!(opened.as_bytes(), decoy.as_bytes());
        // The owner's unwrap (a passphrase change, a rotation) never accepts a duress slot.
        assert!(matches!(h.unwrap(&SecretString::from("duress")), Err(Error::WrongPassphrase)));
        let (owner, slot, role) = h.unwrap_any(&SecretString::from("correct horse")).expect("owner");
        assert_eq!((slot, role), (0, SlotRole::Owner));
        assert_eq!(owner.as_bytes(), mk.as_bytes());
        h.randomise_slots_except(0).expect("clear");
        assert!(matches!(h.unwrap_any(&SecretString::from("duress")), Err(Error::WrongPassphrase)));
        assert_eq!(h.to_bytes().len(), LEN);
    }

    #[test]
    fn fail_any_flipped_byte_is_reported_as_damage() {
        let (h, _) = header();
        let bytes = h.to_bytes();
        for i in (8..LEN).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x40;
            let err = KeyHeader::from_bytes(&b).expect_err("damaged header must not parse");
            assert!(matches!(err, Error::CorruptHeader(_) | Error::UnsupportedVersion(_)), "byte {i}: {err:?}");
        }
    }

    #[test]
    fn fail_a_flipped_bit_in_the_format_version_is_damage_not_a_newer_gawahi() {
        let (h, _) = header();
        let bytes = h.to_bytes();
        for bit in 0..32 {
            let mut b = bytes.clone();
            b[8 + bit / 8] ^= 1 << (bit % 8);
            let err = KeyHeader::from_bytes(&b).expect_err("a damaged version must not parse");
            assert!(matches!(err, Error::CorruptHeader(_)), "bit {bit}: {err:?}");
        }
    }

    #[test]
    fn a_format_2_header_is_read_and_written_as_format_2_and_promises_sha512_databases() {
        let (h, _) = header();
        assert_eq!((h.version(), h.new_database_mac()), (FORMAT_VERSION, crate::db::PageMac::Sha256));
        let mut v2 = h.to_bytes()[..BODY_LEN].to_vec();
        v2[8..12].copy_from_slice(&2u32.to_le_bytes());
        let sum = digest(&SHA256, &v2);
        v2.extend_from_slice(sum.as_ref());
        let read = KeyHeader::from_bytes(&v2).expect("format 2 parses");
        assert_eq!((read.version(), read.new_database_mac()), (2, crate::db::PageMac::Sha512));
        assert_eq!(read.to_bytes(), v2, "written back in its own format");
    }

    #[test]
    fn fail_truncated_and_foreign_files() {
        let (h, _) = header();
        let bytes = h.to_bytes();
        assert!(matches!(KeyHeader::from_bytes(&bytes[..100]), Err(Error::CorruptHeader(_))));
        assert!(matches!(KeyHeader::from_bytes(b"SQLite format 3\0"), Err(Error::CorruptHeader(_))));
        // A newer Gawahi's header, checksummed as it would write it.
        let mut newer = bytes[..BODY_LEN].to_vec();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let sum = digest(&SHA256, &newer);
        newer.extend_from_slice(sum.as_ref());
        assert!(matches!(KeyHeader::from_bytes(&newer), Err(Error::UnsupportedVersion(v)) if v == FORMAT_VERSION + 1));
    }

    #[test]
    fn the_database_salt_is_authenticated_by_every_slot() {
        let (h, _) = header();
        let mut bytes = h.to_bytes();
        bytes[V1_PREFIX_LEN] ^= 1;
        let sum = digest(&SHA256, &bytes[..BODY_LEN]);
        bytes[BODY_LEN..].copy_from_slice(sum.as_ref());
        let forged = KeyHeader::from_bytes(&bytes).expect("the checksum was recomputed");
        assert!(matches!(forged.unwrap(&SecretString::from("correct horse")), Err(Error::WrongPassphrase)));
    }
}
