//! Recovery shares of the vault's master key: splitting it (on an unlocked vault) and setting a
//! new passphrase from enough shares (on a locked one, its passphrase lost). The share format is
//! `crypto/shares.rs` and `docs/recovery-shares.md`.

use std::path::Path;

use rusqlite::TransactionBehavior;
use secrecy::SecretString;

use super::{Vault, check_new_passphrase};
use crate::audit::{self, Action};
use crate::db;
use crate::error::{Error, Result};
use crate::header::KeyHeader;
use crate::kdf::{DEFAULT_TARGET, KdfParams};
use crate::keys::KeyPurpose;
use crate::shares::{self, RecoveryShare, ShareProblem};

impl Vault {
    /// Splits the vault's master key into `count` shares, any `threshold` of which set a new
    /// passphrase with [`Vault::restore_from_shares`] (1 ≤ threshold ≤ count ≤ 255; with a
    /// threshold of 1 every share alone is the key). The split is recorded in the audit log;
    /// the shares are not kept anywhere: the caller writes them where the user asks.
    ///
    /// A key rotation makes every earlier share useless (they hold the old key).
    pub fn recovery_split(&mut self, threshold: usize, count: usize) -> Result<Vec<RecoveryShare>> {
        self.writable()?;
        shares::check_counts(threshold, count)?;
        let salt = db::salt(&self.conn, "main")?;
        let made = shares::split(&self.master, &salt, threshold, count)?;
        audit::append(&self.conn, Action::RecoverySplit, None, None, None)?;
        Ok(made)
    }

    /// Sets `new` as the passphrase of the vault in `dir` with recovery shares, when the
    /// passphrase is lost (or its owner cannot give it). The shares must be of this vault (and
    /// of its current key), of one split, and at least its threshold; the key they give must
    /// open the database. Then a new key header wraps the key under `new` (the old header's KDF
    /// parameters kept, or calibrated afresh if it is damaged or missing) and every other slot
    /// is random: any other passphrase set on the vault stops working. The change and its audit
    /// entry are one step, as for a passphrase change. Nothing is changed on any failure.
    pub fn restore_from_shares(dir: &Path, given: &[RecoveryShare], new: &SecretString) -> Result<()> {
        Self::finish_interrupted_wipe(dir)?;
        check_new_passphrase(new)?;
        if !dir.is_dir() {
            return Err(Error::VaultNotFound(dir.to_owned()));
        }
        // A change of the files' names cut off part-way is finished first (camouflage).
        crate::files::settle(dir)?;
        let _lock = super::open::open_lock(dir)?;
        let db_path = dir.join(crate::files::names(dir).database);
        let salt = db::inspect(&db_path)?;
        let master = shares::combine(given, &salt)?;
        let mut conn = match db::open(&db_path, &master.derive(KeyPurpose::Database), db::Access::ReadWrite) {
            Ok(conn) => conn,
            Err(Error::CorruptDatabase) => return Err(ShareProblem::WrongKey.into()),
            Err(e) => return Err(e),
        };
        let kdf = match KeyHeader::read(dir) {
            Ok(old) => old.kdf,
            Err(Error::VaultNotFound(_) | Error::CorruptHeader(_)) => KdfParams::calibrate(DEFAULT_TARGET)?,
            Err(e) => return Err(e),
        };
        let header = KeyHeader::new(kdf, salt, new, &master)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(&tx, Action::RecoveryRestore, None, None, Some(&header.sha256_hex()))?;
        header.write_atomic(dir, |_| Ok(()))?;
        // The header is replaced: the new passphrase works whatever happens next; should the
        // commit fail, the next unlock records the change.
        let _ = tx.commit();
        Ok(())
    }
}

/// The most bytes a share file may have: a share file is under 1 KiB; anything much larger is
/// not one, and is not read into memory.
pub const MAX_SHARE_FILE: u64 = 64 * 1024;

/// Writes each share into `out` (made `0700` if it is not there) as `share-X-of-N.txt` (its
/// words) and `share-X-of-N.svg` (its QR code), each `0600`, and returns the files' names.
/// Nothing is overwritten: if any of the names is taken, nothing is written
/// ([`Error::OutputExists`]).
pub fn write_recovery_shares(out: &Path, made: &[RecoveryShare]) -> Result<Vec<String>> {
    use std::io::Write;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(out).map_err(Error::io("create directory", out))?;
    let mut names = Vec::new();
    for s in made {
        for ext in ["txt", "svg"] {
            names.push(format!("share-{}-of-{}.{ext}", s.number(), s.count()));
        }
    }
    if names.iter().any(|n| std::fs::symlink_metadata(out.join(n)).is_ok()) {
        return Err(Error::OutputExists);
    }
    for s in made {
        let files = [("txt", s.to_text()), ("svg", s.qr_svg()?)];
        for (ext, content) in files {
            let path = out.join(format!("share-{}-of-{}.{ext}", s.number(), s.count()));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&path).map_err(Error::io("create", &path))?;
            file.write_all(content.as_bytes()).map_err(Error::io("write", &path))?;
            file.sync_all().map_err(Error::io("sync", &path))?;
        }
    }
    Ok(names)
}

/// Reads a share file (the text [`RecoveryShare::to_text`] writes, or a QR code's text);
/// `place` is its place in the list given, for errors.
pub fn read_recovery_share(path: &Path, place: usize) -> Result<RecoveryShare> {
    use std::io::Read;
    let unreadable = || {
        crate::error::Invalid::field(
            "share_files",
            crate::error::Reason::UnreadableFile,
            format!("share file {place} cannot be read as text"),
        )
    };
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let mut text = zeroize::Zeroizing::new(String::new());
    file.take(MAX_SHARE_FILE + 1).read_to_string(&mut text).map_err(|_| unreadable())?;
    if text.len() as u64 > MAX_SHARE_FILE {
        return Err(ShareProblem::WrongLength { share: place }.into());
    }
    RecoveryShare::from_text(&text, place)
}
