//! Looking for plaintext left on disk: the files under a folder that hold given bytes.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What to look for: a name for the report, and the bytes.
pub type Needle = (String, Vec<u8>);

/// Each text as UTF-8 and as UTF-16LE (which WebKit's caches and storage use).
pub fn as_text(texts: &[&str]) -> Vec<Needle> {
    texts
        .iter()
        .flat_map(|text| {
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            [(format!("{text:?} as utf-8"), text.as_bytes().to_vec()), (format!("{text:?} as utf-16le"), utf16)]
        })
        .collect()
}

/// Which files under a folder a scan reads.
#[derive(Debug, Clone, Copy)]
pub struct Walk<'a> {
    /// Only files changed since then, when given: in a folder other programs share, a file older
    /// than the run cannot hold what the run wrote.
    pub since: Option<SystemTime>,
    /// Files larger than this are passed over (other programs' data in a shared folder).
    pub max_len: u64,
    /// Folders and files left out (what the person chose to write, say), with everything under
    /// them.
    pub skip: &'a [&'a Path],
}

impl Walk<'_> {
    /// Every file, however large.
    pub const ALL: Walk<'static> = Walk { since: None, max_len: u64::MAX, skip: &[] };
}

/// The regular files under `dir` that `walk` lets through, found by walking it without
/// following links. Folders that cannot be read are passed over (a scan of /tmp meets other
/// users' folders).
pub fn files_under(dir: &Path, walk: &Walk<'_>) -> Vec<PathBuf> {
    let skipped = |path: &Path| walk.skip.iter().any(|s| path.starts_with(s));
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        if skipped(&d) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            if !meta.is_file()
                || meta.len() > walk.max_len
                || skipped(&path)
                || walk.since.is_some_and(|t| meta.modified().is_ok_and(|m| m < t))
            {
                continue;
            }
            files.push(path);
        }
    }
    files
}

/// Each needle that occurs in `bytes`, with the offset of its first occurrence.
pub fn needles_in<'a>(bytes: &[u8], needles: &'a [Needle]) -> Vec<(&'a str, usize)> {
    needles
        .iter()
        .filter_map(|(name, needle)| {
            let at = bytes.windows(needle.len()).position(|w| w == needle.as_slice())?;
            Some((name.as_str(), at))
        })
        .collect()
}

/// The files under `dir` (changed since `since`, when given; outside the folders in `skip`) that
/// hold any needle, one line for each file and needle found.
pub fn files_holding(dir: &Path, needles: &[Needle], since: Option<SystemTime>, skip: &[&Path]) -> Vec<String> {
    // A cache entry is small; a huge file in /tmp is someone else's test data.
    let walk = Walk { since, max_len: 256 << 20, skip };
    let mut found = Vec::new();
    for path in files_under(dir, &walk) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        for (name, _) in needles_in(&bytes, needles) {
            found.push(format!("{} holds {name}", path.display()));
        }
    }
    found
}

/// The files anywhere under `dir` that hold any of `texts` in UTF-8 or UTF-16.
pub fn scan_for(dir: &Path, texts: &[&str]) -> Vec<String> {
    files_holding(dir, &as_text(texts), None, &[])
}
