//! Looking for plaintext left on disk: the files under a folder that hold given bytes.

use std::path::Path;
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

/// The files under `dir` (changed since `since`, when given; outside the folders in `skip`) that
/// hold any needle, one line for each file and needle found.
pub fn files_holding(dir: &Path, needles: &[Needle], since: Option<SystemTime>, skip: &[&Path]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        if skip.iter().any(|s| d.starts_with(s)) {
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
            // A cache entry is small; a huge file in /tmp is someone else's test data.
            if !meta.is_file() || meta.len() > 256 << 20 || since.is_some_and(|t| meta.modified().is_ok_and(|m| m < t))
            {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else { continue };
            for (name, needle) in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    found.push(format!("{} holds {name}", path.display()));
                }
            }
        }
    }
    found
}

/// The files anywhere under `dir` that hold any of `texts` in UTF-8 or UTF-16.
pub fn scan_for(dir: &Path, texts: &[&str]) -> Vec<String> {
    files_holding(dir, &as_text(texts), None, &[])
}
