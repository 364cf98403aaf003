//! The panic wipe: destroying a vault so that the right passphrase opens nothing, fast enough to
//! use when the door is being knocked on.
//!
//! A wipe is crypto-shredding. Every key of the vault derives from the master key, and the master
//! key exists on disk only wrapped in the key header's slots: the database key, the key that
//! wraps each evidence blob's own key and the key that wraps the identity seed are all HKDF
//! outputs of it, and the wrapped blob keys and the wrapped seed live inside the encrypted
//! database. So once the header (and the temporary header a passphrase change may have left) is
//! gone, the database and every blob are ciphertext nobody can open, even with the passphrase.
//! That is why the header goes first and is overwritten before it is unlinked, and why blobs are
//! only unlinked: overwriting gigabytes would take minutes and add nothing once their keys are
//! gone.
//!
//! Overwriting is not a guarantee on every storage. An SSD's flash translation layer writes the
//! new bytes to fresh cells and keeps the old ones until it erases them (wear-levelling), and a
//! journaling or copy-on-write filesystem (ext4 with `data=journal`, btrfs, ZFS) or a snapshot
//! may keep an older copy of the header's block. Someone who imaged the disk before the wipe, or
//! who reads the flash chips directly, may find an old header; with it, the passphrase still
//! opens the rest. The overwrite makes recovery harder where the storage writes in place; only a
//! strong passphrase protects against an old copy (docs/threat-model.md says so to the user).
//!
//! The steps are independent: a failure of one (a read-only folder, a file that cannot be
//! removed) is noted and the rest still run; the failures are reported together at the end. The
//! first step writes a marker file, synced, so that a wipe cut off by a crash or `kill -9` is
//! finished by the next attempt to open the vault ([`Vault::unlock`], and the CLI before it asks
//! for a passphrase), which then reports [`Error::VaultNotFound`]: after a wipe there is no vault
//! there, and the error says no more than that (nothing that tells an onlooker a wipe happened).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use serde::Serialize;

use super::Vault;
use crate::error::{Error, Result};
use crate::files::NameSet;
use crate::header;
use crate::keys::random_bytes;

/// The marker a wipe writes first and removes last: while it exists, the folder holds a vault
/// being wiped, and any attempt to open it finishes the wipe.
pub const WIPE_MARKER: &str = crate::files::OWN.wipe_marker;

/// The steps of a wipe, in the order they run. A failed step is named in
/// [`Error::WipeIncomplete`]; a test hook may stop a wipe after any of them, as a crash would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WipeStep {
    /// The marker file written and synced.
    Marker,
    /// The key header (and a temporary header) overwritten with random bytes, synced and removed.
    Keys,
    /// The database and its journal files (and a key rotation's copy) removed.
    Database,
    /// The evidence files and their folder removed.
    Blobs,
    /// Everything else in the vault's folder removed (the lock file, temporaries).
    OtherFiles,
    /// The marker and then the vault's folder itself removed.
    Folder,
}

impl WipeStep {
    /// What the step destroys, by the vault's own file names (never a name the user gave).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marker => "the wipe marker (vault.wiping)",
            Self::Keys => "the key header (vault.header)",
            Self::Database => "the database (vault.db)",
            Self::Blobs => "the evidence files (blobs)",
            Self::OtherFiles => "other files in the vault's folder",
            Self::Folder => "the vault's folder",
        }
    }
}

/// What a wipe could not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipeFailures {
    /// Whether the key header is destroyed all the same. While it is, the vault's contents are
    /// unreadable even with the passphrase, whatever else is left.
    pub keys_destroyed: bool,
    /// The steps that failed, in order.
    pub steps: Vec<WipeStep>,
}

impl std::fmt::Display for WipeFailures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.steps.iter().map(|s| s.as_str()).collect();
        write!(f, "could not remove {}", names.join(", "))?;
        if self.keys_destroyed {
            f.write_str("; the key header is destroyed, so what is left cannot be opened even with the passphrase")
        } else {
            f.write_str("; THE KEY HEADER IS STILL THERE and the passphrase may still open the vault")
        }
    }
}

impl Vault {
    /// Wipes the vault in `dir`, locked, unlocked (in another program, or this one: see
    /// [`Vault::wipe_and_close`]) or damaged. Refuses ([`Error::VaultNotFound`], nothing touched)
    /// a folder that does not hold a Gawahi vault: one with neither a key header that starts
    /// with the header's magic bytes nor a wipe marker.
    ///
    /// Every step runs even if an earlier one failed; the failures come back together as
    /// [`Error::WipeIncomplete`], which says whether the keys were destroyed.
    pub fn wipe(dir: &Path) -> Result<()> {
        wipe_steps(dir, |_| Ok(()))
    }

    /// Closes this vault (zeroizing its keys) and wipes it.
    pub fn wipe_and_close(self) -> Result<()> {
        let dir = self.dir.clone();
        drop(self);
        Self::wipe(&dir)
    }

    /// [`Vault::wipe`] with a hook called after each step; an error from the hook stops the wipe
    /// there, as a crash would. Only for tests: built with the `test-hooks` feature.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn wipe_interrupted(dir: &Path, after: impl FnMut(WipeStep) -> std::io::Result<()>) -> Result<()> {
        wipe_steps(dir, after)
    }

    /// Finishes a wipe that was cut off (a crash, `kill -9`, a power cut) if `dir` holds its
    /// marker, and then reports [`Error::VaultNotFound`] (or [`Error::WipeIncomplete`] if it still
    /// cannot be finished). Without a marker it does nothing. Every way of opening a vault calls
    /// this first.
    pub fn finish_interrupted_wipe(dir: &Path) -> Result<()> {
        if !Self::has_unfinished_wipe(dir) {
            return Ok(());
        }
        Self::wipe(dir)?;
        Err(Error::VaultNotFound(dir.to_owned()))
    }

    /// Whether `dir` holds the marker of a wipe that was cut off, under either set of names.
    pub fn has_unfinished_wipe(dir: &Path) -> bool {
        marker_of(dir).is_some()
    }
}

/// Whether `dir` holds a Gawahi vault (or what is left of one being wiped): a wipe marker, or a
/// key header file (or a temporary one) that starts with the header's magic bytes. A damaged
/// header still has them; a folder of the user's own never does.
fn is_vault(dir: &Path) -> bool {
    if marker_of(dir).is_some() {
        return true;
    }
    header_names().any(|name| {
        let mut start = [0u8; 8];
        File::open(dir.join(name)).and_then(|mut f| f.read_exact(&mut start)).is_ok() && header::has_magic(&start)
    })
}

/// The wipe marker in `dir`, under either set of names, if there is one.
fn marker_of(dir: &Path) -> Option<&'static str> {
    NameSet::ALL.into_iter().map(|set| set.names().wipe_marker).find(|name| dir.join(name).is_file())
}

/// The key header's names, and its temporary file's, in both sets.
fn header_names() -> impl Iterator<Item = &'static str> {
    NameSet::ALL.into_iter().flat_map(|set| [set.names().header, set.names().header_temp])
}

fn wipe_steps(dir: &Path, mut after: impl FnMut(WipeStep) -> std::io::Result<()>) -> Result<()> {
    // A symbolic link given as the vault is followed once, here, like any path; inside the vault
    // nothing is followed (`remove_dir_all` removes links, never what they point to).
    if !dir.is_dir() || !is_vault(dir) {
        return Err(Error::VaultNotFound(dir.to_owned()));
    }
    let mut failed = Vec::new();
    let stop = |e: std::io::Error| Error::io("wipe", dir)(e);

    // The marker carries the names the folder's files carry (a camouflaged vault's is neutral),
    // or keeps the one an interrupted wipe left.
    let marker = marker_of(dir).unwrap_or_else(|| crate::files::names(dir).wipe_marker);
    if write_marker(dir, marker).is_err() {
        failed.push(WipeStep::Marker);
    }
    after(WipeStep::Marker).map_err(stop)?;

    let keys_destroyed = destroy_keys(dir);
    if !keys_destroyed {
        failed.push(WipeStep::Keys);
    }
    let _ = header::sync_dir(dir);
    after(WipeStep::Keys).map_err(stop)?;

    // Both sets of names: a switch of names cut off part-way leaves some files under each.
    let database_files: Vec<String> = NameSet::ALL
        .into_iter()
        .flat_map(|set| {
            let n = set.names();
            [n.database, n.rotating, n.aux, n.aux_temp]
        })
        .flat_map(|name| ["", "-wal", "-shm", "-journal"].map(|suffix| format!("{name}{suffix}")))
        .collect();
    // Every file is tried, even after one could not be removed.
    let removed: Vec<bool> = database_files.iter().map(|name| remove_if_present(&dir.join(name))).collect();
    if removed.contains(&false) {
        failed.push(WipeStep::Database);
    }
    after(WipeStep::Database).map_err(stop)?;

    for set in NameSet::ALL {
        let blobs = dir.join(set.names().blobs);
        match fs::symlink_metadata(&blobs) {
            Ok(meta) => {
                if meta.is_dir() {
                    unlink_in_parallel(&blobs);
                }
                if fs::remove_dir_all(&blobs).is_err() && fs::symlink_metadata(&blobs).is_ok() {
                    failed.push(WipeStep::Blobs);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => failed.push(WipeStep::Blobs),
        }
    }
    after(WipeStep::Blobs).map_err(stop)?;

    if !remove_others(dir, marker) {
        failed.push(WipeStep::OtherFiles);
    }
    after(WipeStep::OtherFiles).map_err(stop)?;

    // The marker goes only once everything else has: while anything is left, the next attempt
    // to open the vault must try again.
    if failed.is_empty() {
        let removed = fs::remove_file(dir.join(marker)).is_ok() && fs::remove_dir(dir).is_ok();
        if removed {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = header::sync_dir(parent);
            }
        } else {
            failed.push(WipeStep::Folder);
        }
    }
    after(WipeStep::Folder).map_err(stop)?;

    if failed.is_empty() { Ok(()) } else { Err(Error::WipeIncomplete(WipeFailures { keys_destroyed, steps: failed })) }
}

/// How many threads unlink evidence files at once. Unlinking a large file waits on the
/// filesystem freeing its blocks (a journal commit on ext4), not on the CPU, so several at once
/// overlap those waits: on the development machine's virtual disk, 1,000 files of 700 KB went in
/// 0.9–1.4 s with 8 threads against 3.7–5.1 s one by one.
const UNLINK_THREADS: usize = 8;

/// Unlinks the plain files directly in `blobs` (the evidence files: their keys are already gone)
/// on [`UNLINK_THREADS`] threads, without syncing anything: the caller removes what is left, and
/// a crash before the folder is gone is finished by the next open (the marker is still there).
fn unlink_in_parallel(blobs: &Path) {
    let Ok(entries) = fs::read_dir(blobs) else { return };
    let files: Vec<std::path::PathBuf> =
        entries.filter_map(Result::ok).filter(|e| e.file_type().is_ok_and(|t| !t.is_dir())).map(|e| e.path()).collect();
    let per_thread = files.len().div_ceil(UNLINK_THREADS).max(1);
    std::thread::scope(|scope| {
        let unlink = |share: &[std::path::PathBuf]| {
            for path in share {
                let _ = fs::remove_file(path);
            }
        };
        for share in files.chunks(per_thread) {
            // A thread that cannot be started (no memory left) is not a reason to stop: its share
            // is unlinked here instead.
            if std::thread::Builder::new().spawn_scoped(scope, move || unlink(share)).is_err() {
                unlink(share);
            }
        }
    });
}

/// Writes the marker file and syncs it and the folder, so that it survives a power cut.
fn write_marker(dir: &Path, marker: &str) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(dir.join(marker))?.sync_all()?;
    File::open(dir)?.sync_all()
}

/// Overwrites the key header and any temporary header with random bytes, syncs and removes
/// them. Returns whether no header that could open the vault is left: each file is either gone
/// or holds only random bytes.
fn destroy_keys(dir: &Path) -> bool {
    let mut destroyed = true;
    for name in header_names() {
        let path = dir.join(name);
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        // A link is only removed: what it points to is not the vault's.
        let overwritten = meta.is_file() && overwrite(&path, meta.len()).is_ok();
        let removed = remove_if_present(&path);
        destroyed &= overwritten || removed;
    }
    destroyed
}

/// Overwrites a file in place with random bytes of its length and syncs it.
fn overwrite(path: &Path, len: u64) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    // The header is a few hundred bytes; anything larger was put there by someone else, and is
    // overwritten in blocks of the same random bytes (its secrets, if any, are not ours).
    let block = random_bytes::<512>().map_err(|_| std::io::Error::other("random number generator failed"))?;
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

/// Removes a file (or link); true if it is gone (or was never there).
fn remove_if_present(path: &Path) -> bool {
    match fs::remove_file(path) {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// Removes every entry of the vault's folder but the marker; true if all went.
fn remove_others(dir: &Path, marker: &str) -> bool {
    let Ok(entries) = fs::read_dir(dir) else { return false };
    let mut all = true;
    for entry in entries {
        let Ok(entry) = entry else {
            all = false;
            continue;
        };
        if entry.file_name() == marker {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let gone = if is_dir { fs::remove_dir_all(&path).is_ok() } else { remove_if_present(&path) };
        all &= gone || fs::symlink_metadata(&path).is_err();
    }
    all
}
