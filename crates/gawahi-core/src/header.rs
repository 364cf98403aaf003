//! The key header: `vault.header`, a small fixed-size file beside `vault.db`.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "GAWAHI\0K"
//!      8     4  format version, u32 little-endian (1)
//!     12    12  Argon2id memory KiB, iterations, parallelism (u32 LE each)
//!     24    32  salt
//!     56   240  4 key slots × (12-byte nonce ‖ 32-byte wrapped master key ‖ 16-byte GCM tag)
//!    296    32  SHA-256 of bytes 0..296
//! ```
//!
//! A slot wraps the master key with AES-256-GCM under the key that Argon2id derives from one
//! passphrase; the authenticated data is the header's prefix (bytes 0..56) and the slot's index,
//! so changing the parameters or moving a slot makes it fail to open. Unused slots hold random
//! bytes of exactly the same shape, so the file looks the same whether one or four passphrases
//! open it: a duress passphrase can later take a spare slot without changing the file's size.
//! All slots share one salt and one set of parameters, so unlocking costs one Argon2id run; every
//! slot is then tried, whether or not an earlier one opened.
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
pub const FILE_NAME: &str = "vault.header";
/// The name a new header is written under before it replaces the old one.
pub const TEMP_FILE_NAME: &str = "vault.header.new";
/// The number of key slots.
pub const SLOTS: usize = 4;
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"GAWAHI\0K";
const PREFIX_LEN: usize = 56;
const TAG_LEN: usize = 16;
const SLOT_LEN: usize = NONCE_LEN + 32 + TAG_LEN;
const BODY_LEN: usize = PREFIX_LEN + SLOTS * SLOT_LEN;
/// The header's size in bytes.
pub const LEN: usize = BODY_LEN + 32;

/// A parsed key header. Holds no secret: the slots are ciphertext.
#[derive(Clone)]
pub struct KeyHeader {
    /// The Argon2id parameters every slot was wrapped with.
    pub kdf: KdfParams,
    salt: [u8; 32],
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
    /// A header for a new vault: `master` wrapped in slot 0 under `passphrase`, random bytes in
    /// the other slots.
    pub(crate) fn new(kdf: KdfParams, passphrase: &SecretString, master: &MasterKey) -> Result<Self> {
        let salt = *random_bytes::<32>()?;
        let mut slots = [[0u8; SLOT_LEN]; SLOTS];
        for slot in &mut slots {
            *slot = *random_bytes::<SLOT_LEN>()?;
        }
        let mut header = Self { kdf, salt, slots };
        header.wrap_into(0, passphrase, master)?;
        Ok(header)
    }

    /// Wraps `master` under `passphrase` into slot `index`, replacing what was there.
    pub(crate) fn wrap_into(&mut self, index: usize, passphrase: &SecretString, master: &MasterKey) -> Result<()> {
        let kek = self.kdf.derive(passphrase, &self.salt)?;
        let key = aead_key(&kek);
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let mut sealed = Zeroizing::new(master.as_bytes().to_vec());
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce_bytes),
                Aad::from(self.aad(index)),
                sealed.as_mut_slice(),
            )
            .map_err(|_| Error::Database("could not seal the master key".to_owned()))?;
        let slot = &mut self.slots[index];
        slot[..NONCE_LEN].copy_from_slice(nonce_bytes.as_ref());
        slot[NONCE_LEN..NONCE_LEN + 32].copy_from_slice(&sealed);
        slot[NONCE_LEN + 32..].copy_from_slice(tag.as_ref());
        Ok(())
    }

    /// Derives the passphrase's key once and tries every slot with it. Returns the master key
    /// and the index of the slot that opened.
    pub(crate) fn unwrap(&self, passphrase: &SecretString) -> Result<(MasterKey, usize)> {
        let kek = self.kdf.derive(passphrase, &self.salt)?;
        let key = aead_key(&kek);
        let mut opened: Option<(MasterKey, usize)> = None;
        // Every slot is tried even after one opens, so the time taken does not say which slot
        // (and so whether a duress passphrase) was used.
        for index in 0..SLOTS {
            let slot = &self.slots[index];
            let mut buf = Zeroizing::new(slot[NONCE_LEN..].to_vec());
            let nonce = Nonce::try_assume_unique_for_key(&slot[..NONCE_LEN]).expect("nonce slice has NONCE_LEN bytes");
            if let Ok(plain) = key.open_in_place(nonce, Aad::from(self.aad(index)), buf.as_mut_slice())
                && opened.is_none()
                && plain.len() == 32
            {
                let mut mk = Zeroizing::new([0u8; 32]);
                mk.copy_from_slice(plain);
                opened = Some((MasterKey::from_bytes(mk), index));
            }
        }
        opened.ok_or(Error::WrongPassphrase)
    }

    fn prefix(&self) -> [u8; PREFIX_LEN] {
        let mut p = [0u8; PREFIX_LEN];
        p[..8].copy_from_slice(MAGIC);
        p[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        p[12..16].copy_from_slice(&self.kdf.memory_kib.to_le_bytes());
        p[16..20].copy_from_slice(&self.kdf.iterations.to_le_bytes());
        p[20..24].copy_from_slice(&self.kdf.parallelism.to_le_bytes());
        p[24..56].copy_from_slice(&self.salt);
        p
    }

    fn aad(&self, index: usize) -> [u8; PREFIX_LEN + 1] {
        let mut a = [0u8; PREFIX_LEN + 1];
        a[..PREFIX_LEN].copy_from_slice(&self.prefix());
        a[PREFIX_LEN] = index as u8;
        a
    }

    /// The header as bytes.
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut out = [0u8; LEN];
        out[..PREFIX_LEN].copy_from_slice(&self.prefix());
        for (i, slot) in self.slots.iter().enumerate() {
            out[PREFIX_LEN + i * SLOT_LEN..PREFIX_LEN + (i + 1) * SLOT_LEN].copy_from_slice(slot);
        }
        let sum = digest(&SHA256, &out[..BODY_LEN]);
        out[BODY_LEN..].copy_from_slice(sum.as_ref());
        out
    }

    /// Parses a header, telling damage from a newer format.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(Error::CorruptHeader("not a Gawahi key header"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version > FORMAT_VERSION {
            return Err(Error::UnsupportedVersion(version));
        }
        if version != FORMAT_VERSION {
            return Err(Error::CorruptHeader("unknown format version"));
        }
        if bytes.len() != LEN {
            return Err(Error::CorruptHeader("wrong length"));
        }
        if digest(&SHA256, &bytes[..BODY_LEN]).as_ref() != &bytes[BODY_LEN..] {
            return Err(Error::CorruptHeader("checksum mismatch"));
        }
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let kdf = KdfParams { memory_kib: u32_at(12), iterations: u32_at(16), parallelism: u32_at(20) };
        if !kdf.is_sane() {
            return Err(Error::CorruptHeader("KDF parameters out of range"));
        }
        let mut salt = [0u8; 32];
        salt.copy_from_slice(&bytes[24..56]);
        let mut slots = [[0u8; SLOT_LEN]; SLOTS];
        for (i, slot) in slots.iter_mut().enumerate() {
            slot.copy_from_slice(&bytes[PREFIX_LEN + i * SLOT_LEN..PREFIX_LEN + (i + 1) * SLOT_LEN]);
        }
        Ok(Self { kdf, salt, slots })
    }

    /// Reads the header of the vault in `dir`.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        let bytes = fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::VaultNotFound(dir.to_owned()),
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
        let tmp = dir.join(TEMP_FILE_NAME);
        let target = dir.join(FILE_NAME);
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
        sync_dir(dir)
    }
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
        let h = KeyHeader::new(KdfParams::FLOOR, &SecretString::from("correct horse"), &mk).expect("header");
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
    fn fail_any_flipped_byte_is_reported_as_damage() {
        let (h, _) = header();
        let bytes = h.to_bytes();
        for i in (8..LEN).step_by(7) {
            let mut b = bytes;
            b[i] ^= 0x40;
            let err = KeyHeader::from_bytes(&b).expect_err("damaged header must not parse");
            assert!(matches!(err, Error::CorruptHeader(_) | Error::UnsupportedVersion(_)), "byte {i}: {err:?}");
        }
    }

    #[test]
    fn fail_truncated_and_foreign_files() {
        let (h, _) = header();
        let bytes = h.to_bytes();
        assert!(matches!(KeyHeader::from_bytes(&bytes[..100]), Err(Error::CorruptHeader(_))));
        assert!(matches!(KeyHeader::from_bytes(b"SQLite format 3\0"), Err(Error::CorruptHeader(_))));
        let mut newer = bytes;
        newer[8..12].copy_from_slice(&2u32.to_le_bytes());
        assert!(matches!(KeyHeader::from_bytes(&newer), Err(Error::UnsupportedVersion(2))));
    }
}
