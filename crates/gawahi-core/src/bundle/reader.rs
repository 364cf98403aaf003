//! Checking a bundle in one streaming pass: decryption (age authenticates every 64 KiB chunk, and
//! the end), the manifest's two signatures, the signer, every entry's name, kind, size and SHA-256
//! against the manifest, nothing missing, nothing extra, `SHA256SUMS`, and nothing after the
//! archive. Evidence files pass through fixed buffers and may be handed, as they stream, to an
//! importer; the importer keeps nothing unless the whole pass succeeds.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

use ring::digest::{Context, SHA256};
use ring::signature::{ED25519, UnparsedPublicKey};
use secrecy::SecretString;
use serde::Serialize;

use super::writer::{Prefetched, QUEUE, prefetch};
use super::{
    ALLOWED_SIGNERS, CUSTODY_CSV, Carries, FORMAT, Flow, MANIFEST, MANIFEST_ED25519_SIG, MANIFEST_SSH_SIG,
    MAX_MANIFEST_BYTES, MAX_SMALL_FILE_BYTES, Manifest, ManifestItem, PROGRESS_STEP, Progress, README, RECORDS_CSV,
    SHA256SUMS, SIGNER_PEM, SSH_NAMESPACE, Selection, VERSION, fingerprint, hex, is_evidence_path,
    normalise_fingerprint,
};
use crate::error::{Error, Invalid, Reason, Result};

/// The generated files a manifest lists in `files`, each exactly once.
pub const LISTED_FILES: [&str; 5] = [SIGNER_PEM, ALLOWED_SIGNERS, README, RECORDS_CSV, CUSTODY_CSV];

/// How a bundle is opened.
#[non_exhaustive]
pub enum BundleOpener {
    /// With age identities: the text of an identity file (`AGE-SECRET-KEY-1…` lines, `#`
    /// comments), as `age-keygen` writes it.
    Identity(SecretString),
    /// With the passphrase it was sealed to.
    Passphrase(SecretString),
}

impl fmt::Debug for BundleOpener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Identity(_) => "BundleOpener::Identity(…)",
            Self::Passphrase(_) => "BundleOpener::Passphrase(…)",
        })
    }
}

/// A file of a bundle, as an error may name it: the format's own names as they are, an evidence
/// file by its place in the manifest (its path holds part of a name someone typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BundleFile {
    /// One of the format's own files (`manifest.json`, `SHA256SUMS`…).
    Own(&'static str),
    /// The evidence file at `index` (from 0) of the manifest's `evidence` list, and its path.
    Evidence {
        /// Its place in the manifest's list, from 0.
        index: usize,
        /// Its path in the archive (from the signed manifest).
        path: String,
    },
}

impl fmt::Display for BundleFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Own(name) => f.write_str(name),
            Self::Evidence { index, .. } => write!(f, "evidence file {} of manifest.json's list", index + 1),
        }
    }
}

/// Which check of a bundle failed. Each names what is wrong in its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "check")]
#[non_exhaustive]
pub enum BundleCheck {
    /// The file is not an age file at all, or its age header is damaged.
    NotABundle,
    /// Decryption: none of the identities given opens it.
    NotAddressedToYou,
    /// Decryption: it is sealed with a passphrase, and none was given (or an identity was).
    NeedsPassphrase,
    /// Decryption: it is sealed to recipients, and a passphrase was given.
    NeedsIdentity,
    /// Decryption: the passphrase does not open it.
    WrongPassphrase,
    /// Decryption: the encrypted data is damaged, cut short or has bytes added.
    Decryption,
    /// The archive inside is damaged (not a tar stream).
    Archive,
    /// `manifest.json` is missing, not first, too large or malformed.
    Manifest,
    /// The signatures over `manifest.json` do not verify with the signing key it names.
    Signature,
    /// The signer is not the one expected (`--signer`).
    UnexpectedSigner,
    /// A file's SHA-256 or size is not the one the manifest (or `SHA256SUMS`) gives.
    FileHash {
        /// The file.
        file: BundleFile,
    },
    /// A file the manifest lists is not in the archive.
    MissingFile {
        /// The file.
        file: BundleFile,
    },
    /// The archive holds an entry the manifest does not list, or one twice, or out of order.
    ExtraFile,
    /// The archive holds an entry that could escape where it is unpacked (an absolute path, a
    /// `..`), or a link, a device or another entry that is not a plain file.
    UnsafeEntry,
    /// `SHA256SUMS` does not list exactly the files before it with their hashes.
    Checksums,
}

impl fmt::Display for BundleCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotABundle => {
                f.write_str("decryption: it is not an age-encrypted Gawahi bundle, or its header is damaged")
            }
            Self::NotAddressedToYou => {
                f.write_str("decryption: it is not addressed to you (none of the identities given opens it)")
            }
            Self::NeedsPassphrase => f.write_str("decryption: it is sealed with a passphrase; give the passphrase"),
            Self::NeedsIdentity => {
                f.write_str("decryption: it is sealed to recipients, not to a passphrase; give an identity file")
            }
            Self::WrongPassphrase => f.write_str("decryption: the passphrase given does not open it"),
            Self::Decryption => {
                f.write_str("decryption: the encrypted data is damaged, cut short or has bytes added to it")
            }
            Self::Archive => f.write_str("archive: the archive inside is damaged"),
            Self::Manifest => f.write_str("manifest: manifest.json is missing, not first, or malformed"),
            Self::Signature => {
                f.write_str("signature: the signatures over manifest.json do not verify with the signer's key")
            }
            Self::UnexpectedSigner => {
                f.write_str("signer: the bundle was signed by someone other than the signer expected")
            }
            Self::FileHash { file } => {
                write!(f, "hash: the SHA-256 or size of {file} is not the one the manifest gives")
            }
            Self::MissingFile { file } => write!(f, "missing file: {file} is not in the bundle"),
            Self::ExtraFile => f.write_str(
                "extra file: the bundle holds a file the manifest does not list (or one twice, or out of order)",
            ),
            Self::UnsafeEntry => f.write_str(
                "unsafe entry: the bundle holds a link, a device, or a name that escapes its folder (absolute or ..)",
            ),
            Self::Checksums => f.write_str("checksums: SHA256SUMS does not match the files"),
        }
    }
}

/// What a bundle that passed every check holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleReport {
    /// The bundle's id.
    pub bundle_id: String,
    /// When it was sealed.
    pub created_at: String,
    /// The signer's fingerprint (six groups of five digits), computed from its keys.
    pub signer_fingerprint: String,
    /// The signer's signing key (`ssh-ed25519 AAAA… gawahi`).
    pub signer_signing_key: String,
    /// The signer's age recipient, to answer them.
    pub signer_age_recipient: String,
    /// Whether the evidence files are originals or working copies.
    pub carries: Carries,
    /// What the sender asked for.
    pub selection: Selection,
    /// How many records, by kind.
    pub records: u64,
    /// How many links.
    pub links: u64,
    /// Each record the bundle holds, in the manifest's order: what a receiver reads before
    /// importing (see [`ReportRecord`]).
    pub record_list: Vec<ReportRecord>,
    /// The evidence files.
    pub evidence: Vec<ReportItem>,
    /// Every file in the archive.
    pub files: u64,
}

/// One record of a checked bundle, as a receiver sees it before importing: its kind, its
/// one-line title (as the vault labels it: a person's pseudonym, a case's title, a hearing's date
/// and purpose; a withheld name stays withheld) and its main date. Every text is the sender's:
/// shown escaped and isolated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecord {
    /// Its id.
    pub id: String,
    /// Its kind (`case`, `hearing`, `person`…).
    pub kind: String,
    /// Its title; empty when the record has none.
    pub title: String,
    /// A person whose name is withheld: the title is a placeholder, which a window shows in the
    /// reader's language.
    pub name_withheld: bool,
    /// Its main date as the record gives it (a partial date: `2024-03-05`, `2024-03`, `2024`):
    /// an incident's occurrence, a threat's receipt, a hearing's day, a case's FIR date, a risk
    /// assessment's, a referral's sending, a task's due date; none for people and organisations.
    pub date: Option<String>,
}

impl ReportRecord {
    /// The summary of one manifest record. A record whose fields this version cannot read
    /// (the manifest was signed by its sender, so this is not tampering) keeps its kind and id,
    /// and a title only from a plain `title` or `name`.
    pub(crate) fn of(record: &serde_json::Map<String, serde_json::Value>) -> Self {
        use crate::model::{Kind, RecordData};
        let text = |key: &str| record.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
        let kind_code = text("kind").unwrap_or_default();
        let kind = Kind::parse(&kind_code);
        let data = kind.and_then(|k| {
            let mut body = record.clone();
            for key in crate::records::ENVELOPE {
                body.remove(key);
            }
            RecordData::parse(k, body).ok()
        });
        let name_withheld = data.as_ref().is_some_and(RecordData::name_withheld);
        let title = data.map(|d| d.label()).or_else(|| text("title")).unwrap_or_default();
        let date_field = match kind {
            Some(Kind::Incident) => "occurred_on",
            Some(Kind::Threat) => "received_on",
            Some(Kind::Risk) => "assessed_on",
            Some(Kind::Case) => "fir_date",
            Some(Kind::Hearing) => "date",
            Some(Kind::Referral) => "sent_on",
            Some(Kind::Task) => "due_on",
            _ => "",
        };
        Self { id: text("id").unwrap_or_default(), kind: kind_code, title, name_withheld, date: text(date_field) }
    }
}

/// One evidence file of a checked bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportItem {
    /// Its path in the archive.
    pub path: String,
    /// Its SHA-256, checked.
    pub sha256: String,
    /// Its size, checked.
    pub size: u64,
    /// The record it belongs to.
    pub record_id: String,
    /// Its media type.
    pub media_type: String,
    /// Whether it carries location or device identifiers.
    pub has_location: bool,
    /// The camera, time and place the sender's vault read from the file's metadata.
    pub capture: Option<crate::evidence::Capture>,
}

fn reject(check: BundleCheck) -> Error {
    Error::BundleRejected(check)
}

/// Checks the bundle at `path`, opened with `opener`, and (if `expected_signer` is given, as
/// [`super::fingerprint`] writes it) that its signer is that one. Streams: memory stays flat
/// whatever the evidence files' sizes.
pub fn verify_bundle(
    path: &Path,
    opener: &BundleOpener,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Flow,
) -> Result<BundleReport> {
    read_bundle(path, opener, expected_signer, progress, &mut |_, _, _| Ok(())).map(|(_, report)| report)
}

/// What an importer gets for one evidence file: the manifest's item, its index, and a reader of
/// its bytes (hashed by the reader as they pass; a mismatch fails the whole read afterwards).
pub(crate) type EvidenceSink<'a> = dyn FnMut(&ManifestItem, usize, &mut dyn Read) -> Result<()> + 'a;

/// Reads and checks the whole bundle, handing each evidence file to `sink` as it streams. The
/// manifest's signatures are checked before any evidence file is handed over.
pub(crate) fn read_bundle(
    path: &Path,
    opener: &BundleOpener,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Flow,
    sink: &mut EvidenceSink<'_>,
) -> Result<(Manifest, BundleReport)> {
    let expected_signer = match expected_signer {
        Some(s) => Some(normalise_fingerprint(s).ok_or_else(|| {
            Invalid::field(
                "signer",
                Reason::BadKey,
                "expected a fingerprint of 30 digits, as `gawahi identity` prints it",
            )
        })?),
        None => None,
    };
    let file = File::open(path).map_err(Error::io("open", path))?;
    let decrypted = decrypt(BufReader::with_capacity(256 * 1024, file), opener)?;
    // Decryption runs on a thread of its own, a few pieces ahead of the checks and the hashing
    // here. age releases only authenticated chunks, so nothing unchecked crosses over.
    std::thread::scope(|scope| {
        let (pieces, received) = mpsc::sync_channel(QUEUE);
        let (spare, spares) = mpsc::channel();
        scope.spawn(move || prefetch(decrypted, &pieces, &spares, |_| {}));
        // Returning drops the receiving end, which stops the decrypting thread.
        check_archive(Prefetched::new(received, spare), expected_signer.as_deref(), progress, sink)
    })
}

/// Checks the decrypted archive (see [`read_bundle`]).
fn check_archive(
    decrypted: Decrypted,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Flow,
    sink: &mut EvidenceSink<'_>,
) -> Result<(Manifest, BundleReport)> {
    let mut archive = tar::Archive::new(decrypted);
    let mut entries = archive.entries().map_err(|_| reject(BundleCheck::Archive))?;

    // The manifest, then its two signatures: read whole (bounded), before anything else.
    let mut sums: Vec<(String, String)> = Vec::new();
    let manifest_bytes = read_small(&mut entries, MANIFEST, MAX_MANIFEST_BYTES, BundleCheck::Manifest)?;
    sums.push((sha256_hex(&manifest_bytes), MANIFEST.to_owned()));
    let manifest = parse_manifest(&manifest_bytes)?;
    let ssh_sig = read_small(&mut entries, MANIFEST_SSH_SIG, MAX_SMALL_FILE_BYTES, BundleCheck::Signature)?;
    sums.push((sha256_hex(&ssh_sig), MANIFEST_SSH_SIG.to_owned()));
    let raw_sig = read_small(&mut entries, MANIFEST_ED25519_SIG, MAX_SMALL_FILE_BYTES, BundleCheck::Signature)?;
    sums.push((sha256_hex(&raw_sig), MANIFEST_ED25519_SIG.to_owned()));
    let signing_key = check_signatures(&manifest, &manifest_bytes, &ssh_sig, &raw_sig)?;
    let age_key = crate::vault::identity::parse_age_recipient(&manifest.exporter.age_recipient)
        .and_then(|r| crate::vault::identity::recipient_bytes(&r))
        .map_err(|_| reject(BundleCheck::Manifest))?;
    let signer = fingerprint(&signing_key, &age_key);
    if manifest.exporter.fingerprint != signer {
        return Err(reject(BundleCheck::Manifest));
    }
    if expected_signer.is_some_and(|e| e != signer) {
        return Err(reject(BundleCheck::UnexpectedSigner));
    }

    // Then every other file, in the order the manifest implies, hashed as it streams.
    let total: u64 = manifest.evidence.iter().map(|i| i.size).sum();
    let mut done = 0u64;
    let mut next_report = 0u64;
    if progress(Progress { done, total }).is_break() {
        return Err(Error::Cancelled);
    }
    let mut seen: HashSet<String> = [MANIFEST, MANIFEST_SSH_SIG, MANIFEST_ED25519_SIG].map(str::to_owned).into();
    let expected: Vec<(BundleFile, String, u64, &str)> = manifest
        .files
        .iter()
        .map(|f| (BundleFile::Own(own_name(&f.path)), f.sha256.clone(), f.size, f.path.as_str()))
        .chain(manifest.evidence.iter().enumerate().map(|(index, i)| {
            (BundleFile::Evidence { index, path: i.path.clone() }, i.sha256.clone(), i.size, i.path.as_str())
        }))
        .collect();
    let mut buf = zeroize::Zeroizing::new(vec![0u8; 64 * 1024]);
    for (file, sha256, size, name) in &expected {
        let mut entry =
            next_entry(&mut entries, &seen)?.ok_or_else(|| reject(BundleCheck::MissingFile { file: file.clone() }))?;
        if entry.path_bytes().as_ref() != name.as_bytes() {
            return Err(misplaced(&entry, &seen, &expected));
        }
        seen.insert((*name).to_owned());
        if entry.header().size().ok() != Some(*size) {
            return Err(reject(BundleCheck::FileHash { file: file.clone() }));
        }
        let mut sha = Context::new(&SHA256);
        let evidence = matches!(file, BundleFile::Evidence { .. });
        // Progress counts evidence bytes as they pass, whoever reads them (the sink or the drain).
        let mut on_read = |n: u64| {
            if !evidence {
                return true;
            }
            done += n;
            if done >= next_report {
                next_report = done + PROGRESS_STEP;
                return progress(Progress { done, total }).is_continue();
            }
            true
        };
        let mut hashing = HashingReader { inner: &mut entry, sha: &mut sha, on_read: &mut on_read, failed: None };
        let mut passed = Ok(());
        if let BundleFile::Evidence { index, .. } = file {
            passed = sink(&manifest.evidence[*index], *index, &mut hashing);
        }
        // Whatever the sink left unread is read (and hashed) here.
        passed = passed.and_then(|()| drain(&mut hashing, &mut buf));
        // A failure of the bundle's own bytes (decryption, a cut, a stop) is told as such, whatever
        // the sink made of it.
        match (hashing.failed, passed) {
            (Some(Failed::Stopped), _) => return Err(Error::Cancelled),
            (Some(Failed::Read(kind)), _) => {
                return Err(stream_error(Error::io("read", "bundle")(io::Error::from(kind)), file));
            }
            (None, Err(e)) => return Err(stream_error(e, file)),
            (None, Ok(())) => {}
        }
        let got = hex(sha.finish().as_ref());
        if &got != sha256 {
            return Err(reject(BundleCheck::FileHash { file: file.clone() }));
        }
        sums.push((got, (*name).to_owned()));
    }
    let sums_text = sha256sums(&sums);
    let sums_file = read_small(
        &mut entries,
        SHA256SUMS,
        MAX_SMALL_FILE_BYTES,
        BundleCheck::MissingFile { file: BundleFile::Own(SHA256SUMS) },
    )
    .map_err(|e| match e {
        Error::BundleRejected(BundleCheck::FileHash { .. }) => reject(BundleCheck::Checksums),
        other => other,
    })?;
    if sums_file != sums_text.as_bytes() {
        return Err(reject(BundleCheck::Checksums));
    }
    if next_entry(&mut entries, &seen)?.is_some() {
        return Err(reject(BundleCheck::ExtraFile));
    }
    // Past the archive's end there may be only zeros; reading to the very end lets age check the
    // last chunk, so a bundle cut short or added to fails here.
    let mut rest = archive.into_inner();
    let mut tail = zeroize::Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        match rest.read(&mut tail) {
            Ok(0) => break,
            Ok(n) if tail[..n].iter().all(|b| *b == 0) => {}
            Ok(_) => return Err(reject(BundleCheck::ExtraFile)),
            Err(e) => return Err(stream_error(Error::io("read", "bundle")(e), &BundleFile::Own(SHA256SUMS))),
        }
    }
    if progress(Progress { done: total, total }).is_break() {
        return Err(Error::Cancelled);
    }
    let report = BundleReport {
        bundle_id: manifest.bundle_id.clone(),
        created_at: manifest.created_at.clone(),
        signer_fingerprint: signer,
        signer_signing_key: manifest.exporter.signing_key.clone(),
        signer_age_recipient: manifest.exporter.age_recipient.clone(),
        carries: manifest.carries,
        selection: manifest.selection.clone(),
        records: manifest.records.len() as u64,
        links: manifest.links.len() as u64,
        record_list: manifest.records.iter().map(ReportRecord::of).collect(),
        evidence: manifest
            .evidence
            .iter()
            .map(|i| ReportItem {
                path: i.path.clone(),
                sha256: i.sha256.clone(),
                size: i.size,
                record_id: i.record_id.clone(),
                media_type: i.media_type.clone(),
                has_location: i.has_location,
                capture: i.capture.clone(),
            })
            .collect(),
        files: sums.len() as u64 + 1,
    };
    Ok((manifest, report))
}

/// The text of `SHA256SUMS` for these (hash, path) pairs, in `sha256sum`'s format.
pub(crate) fn sha256sums(sums: &[(String, String)]) -> String {
    sums.iter().fold(String::new(), |mut out, (h, p)| {
        use std::fmt::Write as _;
        let _ = writeln!(out, "{h}  {p}");
        out
    })
}

/// The name of a listed file as the format's own `&'static str`.
fn own_name(path: &str) -> &'static str {
    LISTED_FILES.iter().find(|n| **n == path).copied().unwrap_or(README)
}

type Decrypted = Prefetched;
type Entries<'a> = tar::Entries<'a, Decrypted>;

/// Opens the age layer, telling apart "not for you", "needs a passphrase" and damage.
fn decrypt(input: BufReader<File>, opener: &BundleOpener) -> Result<age::stream::StreamReader<BufReader<File>>> {
    use age::DecryptError as D;
    let decryptor = age::Decryptor::new(input).map_err(|e| match e {
        D::Io(e) if e.kind() != io::ErrorKind::UnexpectedEof && e.kind() != io::ErrorKind::InvalidData => {
            Error::io("read", "bundle")(e)
        }
        _ => reject(BundleCheck::NotABundle),
    })?;
    let scrypt = decryptor.is_scrypt();
    let result = match opener {
        BundleOpener::Passphrase(_) if !scrypt => return Err(reject(BundleCheck::NeedsIdentity)),
        BundleOpener::Identity(_) if scrypt => return Err(reject(BundleCheck::NeedsPassphrase)),
        BundleOpener::Passphrase(p) => {
            let mut identity = age::scrypt::Identity::new(p.clone());
            // age's default ceiling; a bundle asking for more work is refused, not hung on.
            identity.set_max_work_factor(22);
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
        BundleOpener::Identity(text) => {
            let identities = crate::vault::identity::parse_identity_file(text)?;
            decryptor.decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        }
    };
    result.map_err(|e| match e {
        D::NoMatchingKeys | D::DecryptionFailed if scrypt => reject(BundleCheck::WrongPassphrase),
        D::NoMatchingKeys => reject(BundleCheck::NotAddressedToYou),
        D::Io(e) if e.kind() != io::ErrorKind::UnexpectedEof && e.kind() != io::ErrorKind::InvalidData => {
            Error::io("read", "bundle")(e)
        }
        _ => reject(BundleCheck::NotABundle),
    })
}

/// The next entry of the archive, refusing anything that is not a plain file with a plain
/// relative name before its contents are read.
fn next_entry<'a>(entries: &mut Entries<'a>, seen: &HashSet<String>) -> Result<Option<tar::Entry<'a, Decrypted>>> {
    let Some(entry) = entries.next() else { return Ok(None) };
    let entry = entry.map_err(|e| archive_error(&e))?;
    let kind = entry.header().entry_type();
    if !matches!(kind, tar::EntryType::Regular) && kind.as_byte() != b'\0' {
        return Err(reject(BundleCheck::UnsafeEntry));
    }
    let name = entry.path_bytes();
    if !safe_name(&name) {
        return Err(reject(BundleCheck::UnsafeEntry));
    }
    if std::str::from_utf8(&name).is_ok_and(|n| seen.contains(n)) {
        return Err(reject(BundleCheck::ExtraFile));
    }
    Ok(Some(entry))
}

/// Whether an entry's name is relative, without `..`, `.` or empty components, and has no NUL or
/// backslash.
pub(crate) fn safe_name(name: &[u8]) -> bool {
    !name.is_empty()
        && !name.starts_with(b"/")
        && !name.contains(&b'\\')
        && !name.contains(&0)
        && name.split(|b| *b == b'/').all(|c| !c.is_empty() && c != b"." && c != b"..")
}

/// The error for an entry that is not the one expected next.
fn misplaced(
    entry: &tar::Entry<'_, Decrypted>,
    seen: &HashSet<String>,
    expected: &[(BundleFile, String, u64, &str)],
) -> Error {
    let name = entry.path_bytes();
    let known = std::str::from_utf8(&name).ok().filter(|n| expected.iter().any(|e| e.3 == *n) || *n == SHA256SUMS);
    match known {
        // A known file early means the ones before it are missing (the archive is in order).
        Some(n) if !seen.contains(n) => expected
            .iter()
            .find(|e| !seen.contains(e.3))
            .map_or_else(|| reject(BundleCheck::ExtraFile), |e| reject(BundleCheck::MissingFile { file: e.0.clone() })),
        _ => reject(BundleCheck::ExtraFile),
    }
}

/// Reads a small file that must come next, whole, up to `limit` bytes.
fn read_small(entries: &mut Entries<'_>, name: &'static str, limit: u64, missing: BundleCheck) -> Result<Vec<u8>> {
    let none = HashSet::new();
    let mut entry = next_entry(entries, &none)?.ok_or_else(|| reject(missing.clone()))?;
    if entry.path_bytes().as_ref() != name.as_bytes() {
        // Where SHA256SUMS is due, every expected file has been seen: another entry is extra.
        return Err(reject(if name == SHA256SUMS { BundleCheck::ExtraFile } else { missing }));
    }
    let size = entry.header().size().map_err(|_| reject(BundleCheck::Archive))?;
    if size > limit {
        return Err(reject(missing));
    }
    let mut out = Vec::with_capacity(size as usize);
    entry.read_to_end(&mut out).map_err(|e| stream_error(Error::io("read", "bundle")(e), &BundleFile::Own(name)))?;
    Ok(out)
}

/// Parses and checks the manifest's shape: format and version, ids, paths, hashes, and that every
/// listed file and evidence path is one the format allows, once.
fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    #[derive(serde::Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head = serde_json::from_slice(bytes).map_err(|_| reject(BundleCheck::Manifest))?;
    if head.format != FORMAT || head.version == 0 {
        return Err(reject(BundleCheck::Manifest));
    }
    if head.version > VERSION {
        return Err(Error::BundleTooNew(head.version));
    }
    let m: Manifest = serde_json::from_slice(bytes).map_err(|_| reject(BundleCheck::Manifest))?;
    let uuid = |s: &str| uuid::Uuid::parse_str(s).is_ok_and(|u| u.hyphenated().to_string() == s);
    let sha = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    // A field is only what its version says it is: `capture` in a version 1 manifest is one a
    // reader of version 1 would have refused, so this one refuses it too.
    let mut ok = uuid(&m.bundle_id)
        && chrono::DateTime::parse_from_rfc3339(&m.created_at).is_ok()
        && m.version >= crate::bundle::version_for(&m.evidence);
    let mut record_ids = HashSet::new();
    for r in &m.records {
        let id = r.get("id").and_then(|v| v.as_str()).unwrap_or_default();
        let kind = r.get("kind").and_then(|v| v.as_str()).unwrap_or_default();
        ok &= uuid(id) && crate::Kind::parse(kind).is_some() && record_ids.insert(id.to_owned());
    }
    for l in &m.links {
        ok &= uuid(&l.id) && record_ids.contains(&l.from_id) && record_ids.contains(&l.to_id);
    }
    let mut paths: HashSet<&str> = HashSet::new();
    let mut item_ids = HashSet::new();
    for i in &m.evidence {
        ok &= uuid(&i.id)
            && item_ids.insert(i.id.as_str())
            && record_ids.contains(&i.record_id)
            && is_evidence_path(&i.id, &i.path)
            && paths.insert(i.path.as_str())
            && sha(&i.sha256);
    }
    ok &= m.files.len() == LISTED_FILES.len();
    for f in &m.files {
        ok &= LISTED_FILES.contains(&f.path.as_str()) && paths.insert(f.path.as_str()) && sha(&f.sha256);
    }
    if !ok {
        return Err(reject(BundleCheck::Manifest));
    }
    Ok(m)
}

/// Verifies both signatures over the manifest with the signing key it names, and that the SSH
/// signature names the same key and the bundle namespace. Returns the key.
fn check_signatures(manifest: &Manifest, bytes: &[u8], ssh_sig: &[u8], raw_sig: &[u8]) -> Result<[u8; 32]> {
    let bad = || reject(BundleCheck::Signature);
    let (_, key) = crate::vault::identity::parse_signing_key(&manifest.exporter.signing_key)
        .map_err(|_| reject(BundleCheck::Manifest))?;
    let public = UnparsedPublicKey::new(&ED25519, key);
    public.verify(bytes, raw_sig).map_err(|_| bad())?;
    let pem = std::str::from_utf8(ssh_sig).map_err(|_| bad())?;
    let sig = ssh_key::SshSig::from_pem(pem).map_err(|_| bad())?;
    if sig.namespace() != SSH_NAMESPACE || sig.public_key().ed25519().map(|k| k.0) != Some(key) {
        return Err(bad());
    }
    if sig.signature().algorithm() != ssh_key::Algorithm::Ed25519 {
        return Err(bad());
    }
    let signed = ssh_key::SshSig::signed_data(SSH_NAMESPACE, sig.hash_alg(), bytes).map_err(|_| bad())?;
    public.verify(&signed, sig.signature_bytes()).map_err(|_| bad())?;
    Ok(key)
}

/// Why reading an entry stopped early.
#[derive(Debug, Clone, Copy)]
enum Failed {
    /// The bundle's bytes failed (age's authentication, a cut): the error's kind.
    Read(io::ErrorKind),
    /// The progress callback asked to stop.
    Stopped,
}

/// Hashes what passes through it, reports each piece's length to `on_read` (which may stop
/// it), and remembers why it failed, so that whoever reads through it cannot hide that.
struct HashingReader<'a, R> {
    inner: R,
    sha: &'a mut Context,
    on_read: &'a mut dyn FnMut(u64) -> bool,
    failed: Option<Failed>,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                self.failed = Some(Failed::Read(e.kind()));
                return Err(e);
            }
        };
        self.sha.update(&buf[..n]);
        if !(self.on_read)(n as u64) {
            self.failed = Some(Failed::Stopped);
            return Err(io::Error::other("stopped as asked"));
        }
        Ok(n)
    }
}

/// Reads `r` to its end through `buf`.
fn drain(r: &mut impl Read, buf: &mut [u8]) -> Result<()> {
    loop {
        match r.read(buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io("read", "bundle")(e)),
        }
    }
}

/// Classifies a failure while reading a file's bytes: age's authentication failing (damage, a cut,
/// bytes added) is a decryption failure; a cut inside the archive names the file.
fn stream_error(e: Error, file: &BundleFile) -> Error {
    match e {
        Error::Io { source, .. } if source.kind() == io::ErrorKind::InvalidData => reject(BundleCheck::Decryption),
        Error::Io { source, .. } if source.kind() == io::ErrorKind::UnexpectedEof => {
            reject(BundleCheck::MissingFile { file: file.clone() })
        }
        other => other,
    }
}

fn archive_error(e: &io::Error) -> Error {
    // age fails a read with `InvalidData` when a chunk does not authenticate and with
    // `UnexpectedEof` when the stream is cut; the tar crate's own complaints are of other kinds.
    match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => reject(BundleCheck::Decryption),
        _ => reject(BundleCheck::Archive),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&SHA256, bytes).as_ref())
}
