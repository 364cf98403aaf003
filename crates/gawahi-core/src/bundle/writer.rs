//! Writing a bundle in one pass: the manifest and the generated files are made in memory first
//! (they are small, and the manifest must hold their hashes), signed, then streamed with every
//! evidence file, decrypted from its blob chunk by chunk, through tar into age into a temporary
//! file beside the destination, which is synced and renamed into place only when complete.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ring::digest::{Context, SHA256};
use ring::signature::Ed25519KeyPair;
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::reader::sha256sums;
use super::{
    ALLOWED_SIGNERS, CUSTODY_CSV, Flow, MANIFEST, MANIFEST_ED25519_SIG, MANIFEST_SSH_SIG, Manifest, ManifestFile,
    PROGRESS_STEP, Progress, README, RECORDS_CSV, SHA256SUMS, SIGNER_PEM, SSH_NAMESPACE, SSH_PRINCIPAL, hex,
};
use crate::crypto::stream::EagerWriteback;
use crate::error::{Error, Result};
use crate::header::sync_dir;

/// Who can open a bundle.
#[non_exhaustive]
pub enum SealTo {
    /// These age X25519 recipients (already parsed).
    Recipients(Vec<age::x25519::Recipient>),
    /// Whoever knows this passphrase (age's scrypt recipient).
    Passphrase(SecretString),
}

impl std::fmt::Debug for SealTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Recipients(r) => write!(f, "SealTo::Recipients({})", r.len()),
            Self::Passphrase(_) => f.write_str("SealTo::Passphrase(…)"),
        }
    }
}

/// The generated small files, before the manifest lists them.
pub(crate) struct SmallFiles {
    pub signer_pem: String,
    pub allowed_signers: String,
    pub readme: String,
    pub records_csv: String,
    pub custody_csv: String,
}

impl SmallFiles {
    fn all(&self) -> [(&'static str, &[u8]); 5] {
        [
            (SIGNER_PEM, self.signer_pem.as_bytes()),
            (ALLOWED_SIGNERS, self.allowed_signers.as_bytes()),
            (README, self.readme.as_bytes()),
            (RECORDS_CSV, self.records_csv.as_bytes()),
            (CUSTODY_CSV, self.custody_csv.as_bytes()),
        ]
    }

    /// Their entries for [`Manifest::files`].
    pub fn listed(&self) -> Vec<ManifestFile> {
        self.all()
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: (*path).to_owned(),
                sha256: hex(ring::digest::digest(&SHA256, bytes).as_ref()),
                size: bytes.len() as u64,
            })
            .collect()
    }
}

/// Something that yields an evidence file's plaintext, opened only when its turn comes.
pub(crate) type OpenEvidence<'a> = dyn FnMut(usize) -> Result<Box<dyn Read + Send>> + 'a;

/// Writes the bundle to `dest` (never overwriting), through a temporary file in the same folder.
/// `open` is asked for each evidence file of `manifest` in turn; what it yields is hashed on the
/// way and must match the manifest, or nothing is kept.
#[allow(clippy::too_many_arguments, reason = "one call site, each argument a distinct part of the bundle")]
pub(crate) fn write_bundle(
    dest: &Path,
    seal: &SealTo,
    signing: &Ed25519KeyPair,
    signing_public: &[u8; 32],
    manifest: &Manifest,
    small: &SmallFiles,
    open: &mut OpenEvidence<'_>,
    progress: &mut dyn FnMut(Progress) -> Flow,
) -> Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        return Err(Error::OutputExists);
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(".gawahi-bundle-{}.part", hex(&*crate::keys::random_bytes::<8>()?)));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&tmp).map_err(Error::io("create", &tmp))?;
    let written = write_into(&file, seal, signing, signing_public, manifest, small, open, progress)
        .and_then(|()| file.sync_all().map_err(Error::io("sync", &tmp)))
        .and_then(|()| {
            // Checked again just before the rename, which would replace a file made meanwhile.
            if std::fs::symlink_metadata(dest).is_ok() {
                return Err(Error::OutputExists);
            }
            std::fs::rename(&tmp, dest).map_err(Error::io("rename", &tmp))
        })
        .and_then(|()| sync_dir(&dir));
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments, reason = "one call site, each argument a distinct part of the bundle")]
fn write_into(
    file: &File,
    seal: &SealTo,
    signing: &Ed25519KeyPair,
    signing_public: &[u8; 32],
    manifest: &Manifest,
    small: &SmallFiles,
    open: &mut OpenEvidence<'_>,
    progress: &mut dyn FnMut(Progress) -> Flow,
) -> Result<()> {
    let io_err = |e: io::Error| Error::io("write", "bundle")(e);
    let encryptor = match seal {
        SealTo::Recipients(r) => age::Encryptor::with_recipients(r.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|_| Error::Crypto("age refused the recipients"))?,
        SealTo::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
    };
    // The file's pages go to the disk as they are written (`EagerWriteback`), so the sync after
    // the last byte has little left to wait for.
    let out = BufWriter::with_capacity(256 * 1024, EagerWriteback::new(file));
    let sealed = encryptor.wrap_output(out).map_err(io_err)?;
    let mut tar = tar::Builder::new(sealed);
    tar.mode(tar::HeaderMode::Deterministic);
    let mtime = chrono::DateTime::parse_from_rfc3339(&manifest.created_at).map_or(0, |t| t.timestamp().max(0) as u64);

    let manifest_bytes = serde_json::to_vec_pretty(manifest).map_err(|_| Error::Bug("a manifest serialises"))?;
    let (ssh_sig, raw_sig) = sign(signing, signing_public, &manifest_bytes)?;
    let mut sums: Vec<(String, String)> = Vec::new();
    let mut small_entry = |tar: &mut tar::Builder<_>, name: &str, bytes: &[u8]| -> Result<()> {
        append(tar, name, bytes.len() as u64, mtime, bytes).map_err(io_err)?;
        sums.push((hex(ring::digest::digest(&SHA256, bytes).as_ref()), name.to_owned()));
        Ok(())
    };
    small_entry(&mut tar, MANIFEST, &manifest_bytes)?;
    small_entry(&mut tar, MANIFEST_SSH_SIG, ssh_sig.as_bytes())?;
    small_entry(&mut tar, MANIFEST_ED25519_SIG, &raw_sig)?;
    for (name, bytes) in small.all() {
        small_entry(&mut tar, name, bytes)?;
    }
    let total: u64 = manifest.evidence.iter().map(|i| i.size).sum();
    let mut done = 0u64;
    if progress(Progress { done, total }).is_break() {
        return Err(Error::Cancelled);
    }
    for (index, item) in manifest.evidence.iter().enumerate() {
        let mut failure: Option<Error> = None;
        let source = open(index)?;
        // Decrypting and hashing the evidence (one thread) overlaps with encrypting and writing
        // the bundle (this one).
        let (hash, appended) = std::thread::scope(|scope| {
            let (pieces, received) = mpsc::sync_channel(QUEUE);
            let (spare, spares) = mpsc::channel();
            let worker = scope.spawn(move || {
                let mut sha = Context::new(&SHA256);
                prefetch(source, &pieces, &spares, |piece| sha.update(piece)).then(|| hex(sha.finish().as_ref()))
            });
            let mut reader = Watched {
                inner: Prefetched::new(received, spare),
                done: &mut done,
                next_report: 0,
                total,
                progress: &mut *progress,
                failure: &mut failure,
            };
            let appended = append(&mut tar, &item.path, item.size, mtime, &mut reader);
            // Dropping the reader tells the worker to stop, if it has not finished.
            drop(reader);
            (worker.join(), appended)
        });
        if let Err(e) = appended {
            return Err(failure.take().unwrap_or_else(|| io_err(e)));
        }
        match hash {
            Ok(Some(h)) if h == item.sha256 => {}
            Ok(_) => return Err(Error::EvidenceMismatch),
            Err(_) => return Err(Error::Bug("the evidence reader thread failed")),
        }
        sums.push((item.sha256.clone(), item.path.clone()));
    }
    let sums_text = sha256sums(&sums);
    append(&mut tar, SHA256SUMS, sums_text.len() as u64, mtime, sums_text.as_bytes()).map_err(io_err)?;
    let sealed = tar.into_inner().map_err(io_err)?;
    let mut buffered = sealed.finish().map_err(io_err)?;
    buffered.flush().map_err(io_err)?;
    if progress(Progress { done: total, total }).is_break() {
        return Err(Error::Cancelled);
    }
    Ok(())
}

/// Appends one plain file of `size` bytes from `data`. A source that yields fewer bytes fails
/// (the tar crate pads silently otherwise).
fn append<W: Write>(tar: &mut tar::Builder<W>, name: &str, size: u64, mtime: u64, data: impl Read) -> io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_path(name)?;
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut exact = Exact { inner: data, left: size };
    tar.append(&header, &mut exact)?;
    if exact.left != 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "an evidence file is shorter than recorded"));
    }
    Ok(())
}

/// Reads exactly `left` bytes of `inner`, and fails if it holds more.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(io::ErrorKind::InvalidData, "an evidence file is longer than recorded")),
            };
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// How much of an evidence file one piece carries between the two threads of an export.
pub(super) const PIECE: usize = 256 * 1024;
/// How many pieces may wait between them (memory stays at a few MiB whatever the file's size).
pub(super) const QUEUE: usize = 4;

/// Reads `source` to its end in pieces, hands each to `look` (to hash it), and sends them on.
/// Returns whether it reached the end: `false` if the reader stopped listening or the source
/// failed (the error was sent on).
pub(super) fn prefetch(
    mut source: impl Read,
    pieces: &mpsc::SyncSender<io::Result<Zeroizing<Vec<u8>>>>,
    spares: &mpsc::Receiver<Zeroizing<Vec<u8>>>,
    mut look: impl FnMut(&[u8]),
) -> bool {
    loop {
        let mut buf = spares.try_recv().unwrap_or_else(|_| Zeroizing::new(Vec::with_capacity(PIECE)));
        buf.resize(PIECE, 0);
        let mut n = 0;
        while n < PIECE {
            match source.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = pieces.send(Err(e));
                    return false;
                }
            }
        }
        if n == 0 {
            return true;
        }
        buf.truncate(n);
        look(&buf);
        if pieces.send(Ok(buf)).is_err() {
            return false;
        }
        if n < PIECE {
            return true;
        }
    }
}

/// The reading end of [`prefetch`]: the pieces in order, then the end (when the sender is gone).
/// An error is given again to every later read, never the end in its place.
pub(super) struct Prefetched {
    pieces: mpsc::Receiver<io::Result<Zeroizing<Vec<u8>>>>,
    spare: mpsc::Sender<Zeroizing<Vec<u8>>>,
    current: Option<Zeroizing<Vec<u8>>>,
    pos: usize,
    failed: Option<io::ErrorKind>,
}

impl Prefetched {
    /// Reads what [`prefetch`] sends on `pieces`, and gives the used buffers back on `spare`.
    pub(super) fn new(
        pieces: mpsc::Receiver<io::Result<Zeroizing<Vec<u8>>>>,
        spare: mpsc::Sender<Zeroizing<Vec<u8>>>,
    ) -> Self {
        Self { pieces, spare, current: None, pos: 0, failed: None }
    }
}

impl Read for Prefetched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(kind) = self.failed {
            return Err(io::Error::new(kind, "the stream failed before"));
        }
        loop {
            if let Some(piece) = &self.current
                && self.pos < piece.len()
            {
                let n = buf.len().min(piece.len() - self.pos);
                buf[..n].copy_from_slice(&piece[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if let Some(used) = self.current.take() {
                // The worker may be gone already; the buffer is then just dropped (and wiped).
                let _ = self.spare.send(used);
            }
            match self.pieces.recv() {
                Ok(Ok(piece)) => {
                    self.current = Some(piece);
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.failed = Some(e.kind());
                    return Err(e);
                }
                Err(mpsc::RecvError) => return Ok(0),
            }
        }
    }
}

/// Reports progress, and stops when asked.
struct Watched<'a, R> {
    inner: R,
    done: &'a mut u64,
    next_report: u64,
    total: u64,
    progress: &'a mut dyn FnMut(Progress) -> Flow,
    failure: &'a mut Option<Error>,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).inspect_err(|e| {
            if e.kind() == io::ErrorKind::InvalidData {
                *self.failure = Some(Error::EvidenceTampered);
            }
        })?;
        *self.done += n as u64;
        if *self.done >= self.next_report {
            self.next_report = *self.done + PROGRESS_STEP;
            if (self.progress)(Progress { done: *self.done, total: self.total }).is_break() {
                *self.failure = Some(Error::Cancelled);
                return Err(io::Error::other("cancelled"));
            }
        }
        Ok(n)
    }
}

/// The SSH signature (armored SSHSIG, namespace `gawahi-bundle`, SHA-512) and the raw Ed25519
/// signature over `message`.
pub(crate) fn sign(signing: &Ed25519KeyPair, public: &[u8; 32], message: &[u8]) -> Result<(String, Vec<u8>)> {
    let raw = signing.sign(message).as_ref().to_vec();
    let hash_alg = ssh_key::HashAlg::Sha512;
    let signed = ssh_key::SshSig::signed_data(SSH_NAMESPACE, hash_alg, message)
        .map_err(|_| Error::Bug("SSHSIG signed data for a short namespace"))?;
    let signature = ssh_key::Signature::new(ssh_key::Algorithm::Ed25519, signing.sign(&signed).as_ref().to_vec())
        .map_err(|_| Error::Bug("an Ed25519 signature is 64 bytes"))?;
    let key_data = ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(*public));
    let sig = ssh_key::SshSig::new(key_data, SSH_NAMESPACE, hash_alg, signature)
        .map_err(|_| Error::Bug("an SSHSIG of an Ed25519 key"))?;
    let pem = sig.to_pem(ssh_key::LineEnding::LF).map_err(|_| Error::Bug("an SSHSIG encodes as PEM"))?;
    Ok((pem, raw))
}

/// `signer.pem`: the Ed25519 public key as a PEM SubjectPublicKeyInfo (RFC 8410), which
/// `openssl pkeyutl -pubin -inkey` reads.
pub(crate) fn signer_pem(public: &[u8; 32]) -> String {
    use base64::Engine as _;
    // The DER of SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING key } is a
    // fixed 12-byte prefix followed by the 32-byte key.
    const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    let der = [SPKI_PREFIX.as_slice(), public].concat();
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(der)
    )
}

/// `allowed_signers`: one line naming the signer as `gawahi` for the `gawahi-bundle` namespace.
pub(crate) fn allowed_signers(openssh_key: &str) -> String {
    format!("{SSH_PRINCIPAL} namespaces=\"{SSH_NAMESPACE}\" {}\n", openssh_key.trim_end())
}

/// One CSV field (RFC 4180), with a leading `'` before what a spreadsheet would take for a formula.
pub(crate) fn csv_field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// One CSV line of these fields, ending in CRLF.
pub(crate) fn csv_line(fields: &[&str]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn fail_an_evidence_source_of_the_wrong_length_is_refused() {
        let mut tar = tar::Builder::new(Vec::new());
        assert!(append(&mut tar, "a", 10, 0, &b"short"[..]).is_err());
        let mut tar = tar::Builder::new(Vec::new());
        assert!(append(&mut tar, "a", 2, 0, &b"longer"[..]).is_err());
        let mut tar = tar::Builder::new(Vec::new());
        assert!(append(&mut tar, "a", 6, 0, &b"longer"[..]).is_ok());
    }
}
