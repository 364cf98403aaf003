//! The names of the vault's own files, in two sets: the vault's own names (`vault.header`,
//! `vault.db`, `blobs/`…), which say what the folder is, and neutral names an ordinary notes
//! program might use (`settings.bin`, `notes.db`, `attachments/`…), which camouflage gives it.
//!
//! A folder holds one set at rest. Which one is read from the folder itself every time a path is
//! needed ([`names`]): the key header's name decides. Switching sets ([`switch`]) renames every
//! other file first and the key header last, so the header's rename is the one switch: a process
//! killed part-way leaves the header under one set's name and some files under the other's, and
//! the next open ([`settle`]) moves every file to the header's set. Nothing is copied, so nothing
//! can be lost; a folder holding one file under both names is refused ([`Error::FileNamesClash`])
//! rather than either copy being used silently.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// Which names the vault's files carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NameSet {
    /// The vault's own names, which say what the files are (every vault made so far).
    Own,
    /// Neutral names, given by camouflage: none says "vault", "gawahi" or "evidence".
    Neutral,
}

/// The name of each of the vault's files in one set.
#[derive(Debug)]
pub struct Names {
    /// The key header.
    pub header: &'static str,
    /// A new key header before it replaces the old one.
    pub header_temp: &'static str,
    /// The database (SQLite adds `-wal`, `-shm` and `-journal` to its name).
    pub database: &'static str,
    /// The new database of a key rotation, before it replaces the old one.
    pub rotating: &'static str,
    /// The second database every vault carries (the decoy of a duress passphrase).
    pub aux: &'static str,
    /// A new second database before it replaces the old one.
    pub aux_temp: &'static str,
    /// The failed-unlock counter.
    pub tries: &'static str,
    /// The lock file every process with the vault open holds a lock on.
    pub lock: &'static str,
    /// The folder of encrypted evidence files.
    pub blobs: &'static str,
    /// The marker of a panic wipe under way.
    pub wipe_marker: &'static str,
    /// The small file written and removed to find out whether the folder can be written.
    pub write_probe: &'static str,
}

/// The vault's own names.
pub const OWN: Names = Names {
    header: "vault.header",
    header_temp: "vault.header.new",
    database: "vault.db",
    rotating: "vault.db.rotating",
    aux: "vault.aux",
    aux_temp: "vault.aux.new",
    tries: "vault.tries",
    lock: "vault.lock",
    blobs: "blobs",
    wipe_marker: "vault.wiping",
    write_probe: ".gawahi-write-probe",
};

/// The neutral names camouflage gives the vault's files: those of a notes program, with its
/// settings, its notes database, a cache and attachments.
pub const NEUTRAL: Names = Names {
    header: "settings.bin",
    header_temp: "settings.bin.new",
    database: "notes.db",
    rotating: "notes.db.tmp",
    aux: "cache.db",
    aux_temp: "cache.db.new",
    tries: "session.bin",
    lock: "notes.lock",
    blobs: "attachments",
    wipe_marker: "cleanup.tmp",
    write_probe: ".write-probe",
};

/// What SQLite adds to a database's name for its journal files.
const SQLITE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

impl NameSet {
    /// The names of this set.
    pub fn names(self) -> &'static Names {
        match self {
            Self::Own => &OWN,
            Self::Neutral => &NEUTRAL,
        }
    }

    /// The other set.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Own => Self::Neutral,
            Self::Neutral => Self::Own,
        }
    }

    /// Both sets.
    pub const ALL: [Self; 2] = [Self::Own, Self::Neutral];

    /// The set the files in `dir` carry: the key header's. A folder without a header (being
    /// wiped, or a header lost) goes by its database; with neither, the vault's own names.
    pub fn of(dir: &Path) -> Self {
        let has = |name: &str| dir.join(name).symlink_metadata().is_ok();
        if !has(OWN.header) && (has(NEUTRAL.header) || (!has(OWN.database) && has(NEUTRAL.database))) {
            Self::Neutral
        } else {
            Self::Own
        }
    }
}

/// The names the files in `dir` carry now.
pub fn names(dir: &Path) -> &'static Names {
    NameSet::of(dir).names()
}

/// Every name of `set` that a switch renames, in the order it renames them: the files first,
/// the key header after them (the switch), the lock file last.
fn members(set: NameSet) -> Vec<String> {
    let n = set.names();
    let mut all = vec![n.blobs.to_owned(), n.tries.to_owned()];
    for database in [n.aux, n.aux_temp, n.rotating, n.database] {
        all.extend(SQLITE_SUFFIXES.iter().map(|suffix| format!("{database}{suffix}")));
        all.push(database.to_owned());
    }
    all.extend([n.header_temp.to_owned(), n.header.to_owned(), n.lock.to_owned()]);
    all
}

fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// The renames that would bring every file in `dir` to `to`'s names, in order, refusing a file
/// present under both names. The lock file is the exception: it is empty, so a stray one under
/// the other name (made by a process that looked while the names changed) is removed instead.
fn pending(dir: &Path, to: NameSet) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut renames = Vec::new();
    for (from, target) in members(to.other()).into_iter().zip(members(to)) {
        let (from, target) = (dir.join(from), dir.join(target));
        if !exists(&from) {
            continue;
        }
        if exists(&target) {
            if target.file_name().is_some_and(|n| n == to.names().lock) {
                let _ = std::fs::remove_file(&from);
                continue;
            }
            return Err(Error::FileNamesClash);
        }
        renames.push((from, target));
    }
    Ok(renames)
}

/// Renames `renames` in order, syncing the folder before the key header's rename (so every
/// file before it is durable under its new name first) and after the last. `after` is told how
/// many renames are done after each; an error from it stops there, as a crash would.
fn rename_all(
    dir: &Path,
    renames: &[(PathBuf, PathBuf)],
    header: &str,
    after: &mut impl FnMut(usize) -> std::io::Result<()>,
) -> Result<()> {
    for (done, (from, to)) in renames.iter().enumerate() {
        if to.file_name().is_some_and(|n| n == header) {
            crate::header::sync_dir(dir)?;
        }
        std::fs::rename(from, to).map_err(Error::io("rename", to))?;
        after(done + 1).map_err(Error::io("rename", to))?;
    }
    crate::header::sync_dir(dir)
}

/// Opens the lock file of the vault in `dir` under whichever name it has (made under `set`'s
/// name if there is none) and takes it exclusively: nobody else may have the vault open while
/// its files change names. [`Error::Busy`] if someone has.
fn lock_exclusively(dir: &Path, set: NameSet) -> Result<File> {
    let existing = [set, set.other()].into_iter().map(|s| dir.join(s.names().lock)).find(|p| exists(p));
    let path = existing.unwrap_or_else(|| dir.join(set.names().lock));
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(Error::io("open", &path))?;
    file.try_lock().map_err(|_| Error::Busy)?;
    Ok(file)
}

/// Finishes a switch of names cut off part-way: every file of the vault in `dir` is given the
/// name of the key header's set. Does nothing (and takes no lock) when they already have it.
/// Refuses a folder with both key headers, or with any file under both names
/// ([`Error::FileNamesClash`]), and a vault open elsewhere while a switch was cut off
/// ([`Error::Busy`]).
pub(crate) fn settle(dir: &Path) -> Result<()> {
    let own = exists(&dir.join(OWN.header));
    let neutral = exists(&dir.join(NEUTRAL.header));
    if own && neutral {
        return Err(Error::FileNamesClash);
    }
    if !own && !neutral {
        // No vault here (or one being wiped, which handles both sets itself).
        return Ok(());
    }
    let set = NameSet::of(dir);
    if pending(dir, set)?.is_empty() {
        return Ok(());
    }
    let _lock = lock_exclusively(dir, set)?;
    settle_locked(dir, set)
}

/// [`settle`] for a caller that holds the lock file exclusively.
fn settle_locked(dir: &Path, set: NameSet) -> Result<()> {
    let renames = pending(dir, set)?;
    rename_all(dir, &renames, set.names().header, &mut |_| Ok(()))
}

/// Gives every file of the vault in `dir` the names of `to`, for a caller that holds the lock
/// file exclusively and has no database of the vault open. Renames the files first and the key
/// header last; on a failure part-way, the files are brought back to the header's set (best
/// effort: a crash instead is finished by the next open). `after` is told how many renames are
/// done after each; an error from it stops there, as a crash would.
pub(crate) fn switch(dir: &Path, to: NameSet, mut after: impl FnMut(usize) -> std::io::Result<()>) -> Result<()> {
    let renames = pending(dir, to)?;
    let result = rename_all(dir, &renames, to.names().header, &mut after);
    if result.is_err() {
        let _ = settle_locked(dir, NameSet::of(dir));
    }
    result
}

/// [`switch`] for a vault nobody has open: takes the lock file exclusively first.
pub(crate) fn switch_closed(dir: &Path, to: NameSet, after: impl FnMut(usize) -> std::io::Result<()>) -> Result<()> {
    let set = NameSet::of(dir);
    let _lock = lock_exclusively(dir, set)?;
    settle_locked(dir, set)?;
    if set == to {
        return Ok(());
    }
    switch(dir, to, after)
}

/// How many renames a switch of the vault in `dir` to `to` would make now: for tests that stop
/// it after each.
#[cfg(any(test, feature = "test-hooks"))]
pub fn renames_to(dir: &Path, to: NameSet) -> Result<usize> {
    Ok(pending(dir, to)?.len())
}
