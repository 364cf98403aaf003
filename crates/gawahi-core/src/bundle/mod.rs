//! Sealed bundles: one file that carries a case (or chosen records) with its evidence to a lawyer
//! or a partner, signed by the vault and encrypted with age, checkable with stock tools.
//!
//! A bundle is an age file (to X25519 recipients, or to a passphrase through age's scrypt
//! recipient) whose plaintext is a ustar archive. The archive's entries, in order:
//!
//! 1. `manifest.json`: what the bundle holds ([`Manifest`]), with the SHA-256 and size of every
//!    other file except the two signatures and `SHA256SUMS`;
//! 2. `manifest.json.sig`: an SSH signature (SSHSIG, namespace `gawahi-bundle`) over it;
//! 3. `manifest.json.ed25519`: the raw 64-byte Ed25519 signature over it;
//! 4. `signer.pem`, `allowed_signers`, `README.txt`, `records.csv`, `custody.csv`;
//! 5. `evidence/<item id>-<safe name>`, one per evidence item;
//! 6. `SHA256SUMS`, in `sha256sum -c` format, covering every file before it.
//!
//! `docs/bundle-format.md` is the precise description; this module holds the format's types and
//! the pieces both sides share. [`writer`] writes a bundle in one pass, streaming each evidence
//! file from its blob; [`reader`] checks one in one pass, streaming, and hands the evidence files
//! to whoever imports them. Neither ever holds an evidence file in memory.

pub mod reader;
pub(crate) mod readme;
pub mod writer;

use ring::digest::{SHA256, digest};
use serde::{Deserialize, Serialize};

use crate::evidence::CustodyEntry;

/// The format's name, the first field of every manifest.
pub const FORMAT: &str = "gawahi-bundle";
/// The newest format version this build reads and writes. Version 2 added an evidence item's
/// `capture`; nothing else changed. A reader refuses unknown fields, so a field added to the
/// manifest is a new version, which an older reader refuses as "made by a newer Gawahi" rather
/// than as malformed.
pub const VERSION: u32 = 2;
/// The first version whose evidence items may carry `capture`.
pub const VERSION_WITH_CAPTURE: u32 = 2;

/// The version a manifest of these items is written as: the oldest that holds everything in it,
/// so that a bundle without `capture` stays readable by a reader of version 1.
pub fn version_for(items: &[ManifestItem]) -> u32 {
    if items.iter().any(|i| i.capture.is_some()) { VERSION_WITH_CAPTURE } else { 1 }
}
/// The SSH signature namespace (`ssh-keygen -Y verify -n gawahi-bundle`).
pub const SSH_NAMESPACE: &str = "gawahi-bundle";
/// The principal named in `allowed_signers` (`ssh-keygen -Y verify -I gawahi`).
pub const SSH_PRINCIPAL: &str = "gawahi";
/// The name by which `manifest.json` is written and read.
pub const MANIFEST: &str = "manifest.json";
/// The SSH signature of the manifest.
pub const MANIFEST_SSH_SIG: &str = "manifest.json.sig";
/// The raw Ed25519 signature of the manifest.
pub const MANIFEST_ED25519_SIG: &str = "manifest.json.ed25519";
/// The signer's public key as PEM (SubjectPublicKeyInfo), for `openssl pkeyutl`.
pub const SIGNER_PEM: &str = "signer.pem";
/// The signer's key in `ssh-keygen`'s allowed-signers format.
pub const ALLOWED_SIGNERS: &str = "allowed_signers";
/// Instructions in English and Urdu.
pub const README: &str = "README.txt";
/// The records, one line each.
pub const RECORDS_CSV: &str = "records.csv";
/// Every evidence item's custody log, one line per entry.
pub const CUSTODY_CSV: &str = "custody.csv";
/// The checksums of every file but itself.
pub const SHA256SUMS: &str = "SHA256SUMS";
/// The folder of the evidence files inside the archive.
pub const EVIDENCE_DIR: &str = "evidence";
/// The largest manifest a reader accepts (a case with tens of thousands of records fits).
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;
/// The largest of the small generated files (signatures, PEM, CSV, README, SHA256SUMS) a reader
/// accepts; they are hashed as they stream, but `SHA256SUMS` and the signatures are read whole.
pub const MAX_SMALL_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The longest part of an original file name kept in an evidence file's name in the archive.
pub const MAX_SAFE_NAME_CHARS: usize = 48;

/// What a bundle holds: written as `manifest.json` and signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version: at most [`VERSION`], and the one [`version_for`] its evidence needs.
    pub version: u32,
    /// The bundle's own id (a UUID), named by the audit and custody entries of its export and
    /// import.
    pub bundle_id: String,
    /// When it was sealed (RFC 3339, UTC).
    pub created_at: String,
    /// Who sealed it: the exporting vault's public keys.
    pub exporter: Exporter,
    /// Whether the evidence files are the originals or redacted working copies.
    pub carries: Carries,
    /// What was asked for: a case and everything linked to it, or chosen records.
    pub selection: Selection,
    /// The records, each as the vault's JSON (`id`, `kind`, `created_at`, `updated_at` and the
    /// kind's fields), in an order in which they import (a hearing after its case).
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
    /// The links between the records above.
    pub links: Vec<ManifestLink>,
    /// The evidence items, with the path of each one's file in the archive.
    pub evidence: Vec<ManifestItem>,
    /// Every generated file of the archive besides the manifest, its signatures and
    /// `SHA256SUMS` (the evidence files are in [`Manifest::evidence`]).
    pub files: Vec<ManifestFile>,
}

/// The exporting vault's public keys (see [`crate::vault::Identity`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exporter {
    /// The Ed25519 signing key as an OpenSSH public key line (`ssh-ed25519 AAAA… gawahi`).
    pub signing_key: String,
    /// The vault's age recipient (`age1…`), to answer it.
    pub age_recipient: String,
    /// The fingerprint of both keys, in groups of digits to read out over the phone.
    pub fingerprint: String,
}

/// What a bundle's evidence files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Carries {
    /// The files as they were taken in.
    Originals,
    /// Working copies (redacted, metadata stripped) instead of the originals.
    WorkingCopies,
}

/// What an export was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Selection {
    /// A case: the case, its hearings, the records linked to it, and their evidence.
    Case(String),
    /// The records named, and their evidence.
    Records(Vec<String>),
}

/// A link between two records of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestLink {
    /// The link's id.
    pub id: String,
    /// From this record.
    pub from_id: String,
    /// To this record.
    pub to_id: String,
    /// Its role (a `link_roles` code).
    pub role: String,
    /// When it was made.
    pub created_at: String,
}

/// One evidence item in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestItem {
    /// The item's id in the exporting vault.
    pub id: String,
    /// The record it belongs to (one of the bundle's records).
    pub record_id: String,
    /// Its file's path in the archive: `evidence/<id>-<safe name>`.
    pub path: String,
    /// SHA-256 (hex) of the file: the evidentiary hash taken at intake.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The media type detected from its content at intake.
    pub media_type: String,
    /// Whether it carries GPS or device identifiers.
    pub has_location: bool,
    /// What its own metadata says of the camera, the time and the place (absent when nothing;
    /// from format version 2 on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<crate::evidence::Capture>,
    /// Its original file name, as given at intake (never used as a path).
    pub original_name: Option<String>,
    /// When it was acquired.
    pub acquired_at: Option<String>,
    /// The precision of `acquired_at` (`exact`, `day`, `month`, `year`, `unknown`).
    pub acquired_at_precision: String,
    /// Who acquired it.
    pub acquired_by: Option<String>,
    /// Where it came from.
    pub source: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was added to the exporting vault.
    pub added_at: String,
    /// Its custody log in the exporting vault up to the export, oldest first (the export's own
    /// entry is the last).
    pub custody: Vec<CustodyEntry>,
}

/// One generated file of the archive and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Its path in the archive.
    pub path: String,
    /// SHA-256 (hex).
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// How often progress is reported: at least every this many bytes of evidence.
pub const PROGRESS_STEP: u64 = 1024 * 1024;

/// How far an export, a check or an import of a bundle has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Bytes of evidence written or read so far.
    pub done: u64,
    /// Bytes of evidence in all (known once the manifest has been read; 0 before).
    pub total: u64,
}

/// The decision of a progress callback: go on, or stop (the operation then fails with
/// [`crate::Error::Cancelled`] and leaves nothing behind).
pub type Flow = std::ops::ControlFlow<()>;

/// The short fingerprint of a Gawahi identity, to read out over the phone: SHA-256 over
/// `"gawahi-fingerprint-v1\0" ‖ Ed25519 public key (32 bytes) ‖ X25519 public key (32 bytes)`;
/// its first 30 bytes as six groups of five bytes, each group a big-endian number modulo 100000
/// written as five digits: `12345 67890 13579 24680 11223 34455`.
pub fn fingerprint(signing_key: &[u8; 32], age_key: &[u8; 32]) -> String {
    let hash = digest(&SHA256, &[b"gawahi-fingerprint-v1\0".as_slice(), signing_key, age_key].concat());
    hash.as_ref()[..30]
        .chunks(5)
        .map(|group| {
            let n = group.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b));
            format!("{:05}", n % 100_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fingerprint as given by a person (spaces, dashes or none between the groups) in the one
/// form [`fingerprint`] writes, or `None` if it is not 30 digits.
pub fn normalise_fingerprint(given: &str) -> Option<String> {
    let digits: String = given.chars().filter(|c| !matches!(c, ' ' | '-' | '\t')).collect();
    if digits.len() != 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.as_bytes().chunks(5).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" "))
}

/// The path of an evidence file inside the archive: `evidence/<item id>-<safe name>`, where the
/// safe name keeps ASCII letters, digits, `.`, `_` and `-` of the original name (others become
/// `_`), at most [`MAX_SAFE_NAME_CHARS`] of them, never starting with `.` or `-`. An item without a
/// name is `evidence/<item id>`. The original name stays in the manifest.
pub fn evidence_path(item_id: &str, original_name: Option<&str>) -> String {
    let safe: String = original_name
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .collect::<String>()
        .trim_start_matches(['.', '-'])
        .chars()
        .take(MAX_SAFE_NAME_CHARS)
        .collect();
    if safe.is_empty() { format!("{EVIDENCE_DIR}/{item_id}") } else { format!("{EVIDENCE_DIR}/{item_id}-{safe}") }
}

/// Whether `path` is an evidence path [`evidence_path`] could have written for `item_id`.
pub fn is_evidence_path(item_id: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(EVIDENCE_DIR).and_then(|r| r.strip_prefix('/')) else { return false };
    let Some(tail) = rest.strip_prefix(item_id) else { return false };
    if tail.is_empty() {
        return true;
    }
    let Some(safe) = tail.strip_prefix('-') else { return false };
    !safe.is_empty()
        && safe.chars().count() <= MAX_SAFE_NAME_CHARS
        && !safe.starts_with(['.', '-'])
        && safe.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_six_groups_of_five_digits_and_depend_on_both_keys() {
        let f = fingerprint(&[1; 32], &[2; 32]);
        assert_eq!(f.len(), 35);
        assert!(f.split(' ').all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
        assert_ne!(f, fingerprint(&[1; 32], &[3; 32]));
        assert_ne!(f, fingerprint(&[3; 32], &[2; 32]));
        assert_eq!(normalise_fingerprint(&f.replace(' ', "")).as_deref(), Some(f.as_str()));
        assert_eq!(normalise_fingerprint(&f.replace(' ', "-")).as_deref(), Some(f.as_str()));
        assert_eq!(normalise_fingerprint("1234"), None);
        assert_eq!(normalise_fingerprint(&"١".repeat(30)), None);
    }

    #[test]
    fn fail_hostile_names_never_reach_an_evidence_path() {
        let id = "01900000-0000-7000-8000-000000000000";
        for (name, want) in [
            ("../../etc/passwd", "evidence/01900000-0000-7000-8000-000000000000-_.._etc_passwd"),
            ("/abs", "evidence/01900000-0000-7000-8000-000000000000-_abs"),
            (".hidden", "evidence/01900000-0000-7000-8000-000000000000-hidden"),
            ("-rf", "evidence/01900000-0000-7000-8000-000000000000-rf"),
            ("تصویر.jpg", "evidence/01900000-0000-7000-8000-000000000000-_____.jpg"),
            ("a\u{202e}b\n.png", "evidence/01900000-0000-7000-8000-000000000000-a_b_.png"),
            ("", "evidence/01900000-0000-7000-8000-000000000000"),
            ("...", "evidence/01900000-0000-7000-8000-000000000000"),
        ] {
            let path = evidence_path(id, Some(name));
            assert_eq!(path, want, "{name:?}");
            assert!(is_evidence_path(id, &path));
        }
        let long = evidence_path(id, Some(&"x".repeat(1000)));
        assert!(long.len() <= 100, "fits a ustar name field");
        assert!(!is_evidence_path(id, "evidence/../x"));
        assert!(!is_evidence_path(id, &format!("evidence/{id}-../x")));
        assert!(!is_evidence_path(id, &format!("evidence/{id}x")));
        assert!(!is_evidence_path(id, &format!("/evidence/{id}")));
    }
}
