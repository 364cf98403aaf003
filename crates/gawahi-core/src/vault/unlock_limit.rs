//! The wipe after failed unlocks: an opt-in limit (5, 10 or 20) of wrong passphrases in a row,
//! after which the vault is wiped.
//!
//! The count must be read before the vault is unlocked, so it lives outside the encrypted
//! database, in `vault.tries`: 64 bytes that every vault has, rewritten in place at every
//! attempt (a failed one counts before Argon2id runs; a successful one resets it) whether or
//! not a limit is set. The limit and the count are sealed with AES-256-GCM under a key derived
//! (HKDF-SHA256) from a random salt stored in the file itself, fresh at every write: that is no
//! secret from anyone who reads Gawahi's source, but the file's bytes look random and change at
//! every unlock either way, so a glance at them does not say whether the feature is on.
//!
//! What it does not do: stop someone who copies the vault's folder, or puts back an older copy
//! of this file, from guessing on. It only stops guessing through Gawahi on this machine
//! (docs/threat-model.md says so). A file that is missing or damaged counts as no limit.
//!
//! The file is overwritten in place with one write of its fixed length, then synced: no new
//! block is needed, so a full disk does not stop the count, and a `kill -9` cannot cut one
//! `write` in half. On storage that cannot be written, a vault with a limit set refuses to
//! unlock ([`Error::ReadOnly`] or [`Error::DiskFull`]) rather than let guesses go uncounted.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::Path;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;
use serde::Serialize;
use zeroize::Zeroizing;

use super::Vault;
use crate::error::{Error, Invalid, Reason, Result};
use crate::keys::random_bytes;

/// The counter's file name inside a vault directory.
pub const FILE_NAME: &str = crate::files::OWN.tries;
/// The limits a user may choose; no limit is the default.
pub const UNLOCK_LIMITS: [u32; 3] = [5, 10, 20];

const SALT_LEN: usize = 16;
const PLAIN_LEN: usize = 8;
const TAG_LEN: usize = 16;
const SEALED_LEN: usize = SALT_LEN + NONCE_LEN + PLAIN_LEN + TAG_LEN;
/// The file's length: the sealed counter and random padding to a round size.
const LEN: usize = 64;
const INFO: &[u8] = b"gawahi/v1/unlock-attempts";

/// The failed-unlock limit and how many attempts have failed in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnlockAttempts {
    /// The limit set, if any: the vault is wiped when this many attempts in a row have failed.
    pub limit: Option<u32>,
    /// Wrong passphrases entered since the last successful unlock (an attempt under way counts).
    pub failed: u32,
}

impl UnlockAttempts {
    /// How many more wrong passphrases the vault takes before it is wiped: 1 means the next
    /// wrong one wipes it (the moment to warn). `None` without a limit.
    pub fn left(&self) -> Option<u32> {
        self.limit.map(|limit| limit.saturating_sub(self.failed))
    }

    /// Whether the attempt just counted, if it fails, is the one that wipes the vault.
    pub(super) fn limit_reached(&self) -> bool {
        self.limit.is_some_and(|limit| self.failed >= limit)
    }
}

impl Vault {
    /// The failed-unlock limit of the vault in `dir` and the count so far, readable before
    /// unlocking (for the warning before the last try).
    pub fn unlock_attempts(dir: &Path) -> Result<UnlockAttempts> {
        Ok(read(dir))
    }

    /// The failed-unlock limit set on this vault, if any.
    pub fn unlock_limit(&self) -> Option<u32> {
        read(&self.dir).limit
    }

    /// Sets (one of [`UNLOCK_LIMITS`]) or removes (`None`) the limit of wrong passphrases in a
    /// row after which the vault is wiped, and starts the count again.
    pub fn set_unlock_limit(&mut self, limit: Option<u32>) -> Result<()> {
        self.writable()?;
        if let Some(n) = limit
            && !UNLOCK_LIMITS.contains(&n)
        {
            return Err(Invalid::field("unlock_limit", Reason::OutOfRange, "choose 5, 10 or 20, or none").into());
        }
        write(&self.dir, UnlockAttempts { limit, failed: 0 })
    }
}

/// An attempt counted before its passphrase was tried: the count including it, and the file's
/// bytes before, to put back if the passphrase turns out right but the vault cannot be opened
/// (that was no guess, and a vault refused untouched must stay byte for byte as it was).
pub(super) struct Attempt {
    pub(super) counted: UnlockAttempts,
    before: Option<Vec<u8>>,
}

/// Counts an attempt about to be made, before its passphrase is tried, and returns the count
/// including it. With a limit set, an attempt that cannot be counted is refused.
pub(super) fn count_attempt(dir: &Path) -> Result<Attempt> {
    // Unlocks at the same moment (two programs, or a script starting many) each read, add one and
    // write back: without a lock held across the three, two guesses could be counted as one.
    // The lock is the file's own (flock), released when `_held` closes; a file that cannot be
    // opened for writing is left to the write below, which says why.
    let _held = lock_counter(dir);
    let before_bytes = std::fs::read(dir.join(crate::files::names(dir).tries)).ok();
    let before = read(dir);
    let now = UnlockAttempts { limit: before.limit, failed: before.failed.saturating_add(1) };
    match write(dir, now) {
        // Without a limit, a count that cannot be written (read-only media) stops nothing.
        Err(e) if before.limit.is_some() => Err(e),
        _ => Ok(Attempt { counted: now, before: before_bytes }),
    }
}

/// The counter file opened and locked exclusively (waiting for another unlock's count), or
/// `None` where it is missing (then no limit is set, and nothing is made here: a refused vault
/// must be left as it was), cannot be opened for writing, or cannot be locked.
fn lock_counter(dir: &Path) -> Option<std::fs::File> {
    let file = OpenOptions::new().read(true).write(true).open(dir.join(crate::files::names(dir).tries)).ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Puts the counter back as it was before `attempt` (removes it if there was none): the
/// passphrase was right, but the vault could not be opened. Best effort.
pub(super) fn undo(dir: &Path, attempt: &Attempt) {
    let path = dir.join(crate::files::names(dir).tries);
    match &attempt.before {
        Some(bytes) => {
            let put_back = OpenOptions::new().write(true).open(&path).and_then(|mut f| {
                f.write_all(bytes)?;
                f.set_len(bytes.len() as u64)?;
                f.sync_data()
            });
            let _ = put_back;
        }
        None => {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Starts the count again after a successful unlock (`writable`: whether the vault can be
/// written where it is; a read-only vault's count is left alone).
pub(super) fn reset(dir: &Path, writable: bool) -> Result<()> {
    if !writable {
        return Ok(());
    }
    let now = read(dir);
    write(dir, UnlockAttempts { limit: now.limit, failed: 0 })
}

/// Writes a new vault's counter: no limit, no failures.
pub(super) fn write_fresh(dir: &Path) -> Result<()> {
    write(dir, UnlockAttempts { limit: None, failed: 0 })
}

/// Reads the counter; a missing or damaged file reads as no limit and no failures.
fn read(dir: &Path) -> UnlockAttempts {
    let unset = UnlockAttempts { limit: None, failed: 0 };
    let mut bytes = [0u8; LEN];
    let read = std::fs::File::open(dir.join(crate::files::names(dir).tries)).and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        return unset;
    }
    let key = key_for(&bytes[..SALT_LEN]);
    let nonce = Nonce::try_assume_unique_for_key(&bytes[SALT_LEN..SALT_LEN + NONCE_LEN]).expect("NONCE_LEN bytes");
    let mut sealed = Zeroizing::new(bytes[SALT_LEN + NONCE_LEN..SEALED_LEN].to_vec());
    let Ok(plain) = key.open_in_place(nonce, Aad::from(INFO), sealed.as_mut_slice()) else { return unset };
    let limit = u32::from_le_bytes(plain[..4].try_into().expect("4 bytes"));
    let failed = u32::from_le_bytes(plain[4..8].try_into().expect("4 bytes"));
    UnlockAttempts { limit: UNLOCK_LIMITS.contains(&limit).then_some(limit), failed }
}

/// Overwrites the counter in place (created `0600` if missing) with one write, and syncs it.
fn write(dir: &Path, attempts: UnlockAttempts) -> Result<()> {
    let path = dir.join(crate::files::names(dir).tries);
    let mut bytes = *random_bytes::<LEN>()?;
    let key = key_for(&bytes[..SALT_LEN]);
    let nonce = *random_bytes::<NONCE_LEN>()?;
    bytes[SALT_LEN..SALT_LEN + NONCE_LEN].copy_from_slice(&nonce);
    let mut plain = [0u8; PLAIN_LEN];
    plain[..4].copy_from_slice(&attempts.limit.unwrap_or(0).to_le_bytes());
    plain[4..].copy_from_slice(&attempts.failed.to_le_bytes());
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(INFO), &mut plain)
        .map_err(|_| Error::Crypto("sealing the unlock counter failed"))?;
    bytes[SALT_LEN + NONCE_LEN..SALT_LEN + NONCE_LEN + PLAIN_LEN].copy_from_slice(&plain);
    bytes[SALT_LEN + NONCE_LEN + PLAIN_LEN..SEALED_LEN].copy_from_slice(tag.as_ref());
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let unwritable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => Error::DiskFull,
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => Error::ReadOnly,
        _ => Error::io("write", &path)(e),
    };
    let mut file = options.open(&path).map_err(unwritable)?;
    // One write of the whole file at its start: the same blocks are overwritten every time.
    file.write_all(&bytes).map_err(unwritable)?;
    file.sync_data().map_err(unwritable)
}

fn key_for(salt: &[u8]) -> LessSafeKey {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(b"gawahi unlock attempts");
    let mut key = Zeroizing::new([0u8; 32]);
    prk.expand(&[INFO], &AES_256_GCM)
        .and_then(|okm| okm.fill(key.as_mut_slice()))
        .expect("HKDF gives 32 bytes for AES-256");
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.as_slice()).expect("AES-256 takes a 32-byte key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_round_trips_and_the_file_changes_every_write() {
        let dir = tempfile::tempdir().expect("tmp");
        write(dir.path(), UnlockAttempts { limit: Some(5), failed: 3 }).expect("write");
        let first = std::fs::read(dir.path().join(FILE_NAME)).expect("read");
        assert_eq!(read(dir.path()), UnlockAttempts { limit: Some(5), failed: 3 });
        write(dir.path(), UnlockAttempts { limit: Some(5), failed: 3 }).expect("write");
        let second = std::fs::read(dir.path().join(FILE_NAME)).expect("read");
        assert_eq!(first.len(), LEN);
        assert_eq!(second.len(), LEN);
        assert_ne!(first, second, "the same count must not give the same bytes");
    }

    #[test]
    fn fail_unlocks_at_the_same_moment_each_count_a_guess() {
        let dir = tempfile::tempdir().expect("tmp");
        write(dir.path(), UnlockAttempts { limit: Some(20), failed: 0 }).expect("write");
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..10 {
                        count_attempt(dir.path()).expect("count");
                    }
                });
            }
        });
        assert_eq!(read(dir.path()).failed, 40, "no guess may go uncounted");
    }

    #[test]
    fn fail_a_damaged_or_missing_counter_reads_as_no_limit() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(read(dir.path()), UnlockAttempts { limit: None, failed: 0 });
        write(dir.path(), UnlockAttempts { limit: Some(10), failed: 1 }).expect("write");
        let path = dir.path().join(FILE_NAME);
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[30] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(read(dir.path()), UnlockAttempts { limit: None, failed: 0 });
    }
}
