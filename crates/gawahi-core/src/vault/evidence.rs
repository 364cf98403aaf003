//! The evidence locker: intake, reading, export, verification and deletion of evidence files,
//! each with its custody entry; and the removal of what an intake cut off by a crash left in
//! `blobs/`.
//!
//! Intake is crash-safe: the file is sealed into a temporary file in `blobs/` (`<name>.part`,
//! locked by the intake while it lives), synced with its folder; then the row, the intake custody
//! entry and the audit entry are committed in one transaction, naming the blob by its final name;
//! only then is the file renamed to that name and the folder synced again. If the commit fails the
//! temporary file is removed. If the process dies before the commit, the next unlock finds an
//! unlocked temporary file no row names and removes it; if it dies after the commit, before the
//! rename, the next unlock finds one a row names and finishes the rename (until then readers find
//! the file under its temporary name). So a crash leaves neither a row without its file nor a
//! whole blob without its row.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};
use rusqlite::Connection;

use super::{BLOBS_DIR, Vault};
use crate::audit::{self, Action};
use crate::crypto::stream::{self, CHUNK, EagerWriteback, Opener, SealError, Seekable};
use crate::date::now_utc;
use crate::error::{Error, Invalid, Reason, Result};
use crate::evidence::{
    CopyKind, CustodyAction, CustodyEntry, EVIDENCE_KINDS, EvidenceItem, EvidenceMeta, EvidenceReader, sniff,
};
use crate::header::sync_dir;
use crate::keys::{KeyPurpose, random_bytes, unwrap_blob_key, wrap_blob_key};
use crate::model::normalise_id;
use crate::records;
use crate::store::custody;
use crate::store::evidence::{self as rows, EvidenceRow};

/// The suffix of a blob being written. Such a file is never referred to by a row.
pub(crate) const TEMP_SUFFIX: &str = ".part";

impl Vault {
    /// Adds the file `reader` yields to the record `record_id` (an incident, threat, case, hearing,
    /// person or referral), streaming: it is read once, in 64 KiB chunks, hashed (SHA-256, the
    /// evidentiary hash) and sealed under a new random key into `blobs/`, whatever its size.
    pub fn add_evidence(&mut self, record_id: &str, reader: impl Read, meta: EvidenceMeta) -> Result<EvidenceItem> {
        self.writable()?;
        let precision = meta.validate()?;
        let record_id = normalise_id(record_id);
        let record = records::get(&self.conn, &record_id)?.ok_or_else(|| Error::RecordNotFound(record_id.clone()))?;
        if !EVIDENCE_KINDS.contains(&record.kind()) {
            return Err(Invalid::field(
                "record",
                Reason::WrongKind,
                "evidence belongs to an incident, threat, case, hearing, person or referral",
            )
            .into());
        }
        self.intake(record_id, reader, meta, precision, None)
    }

    /// Adds a working copy of the item `parent_id` (an image with boxes drawn over faces or
    /// names, say): a new item on the parent's record, which records the parent's id and SHA-256.
    /// The parent is never altered; its custody log gets a `redaction` or `copy` entry naming the
    /// copy, and the copy's `intake` entry records the parent's SHA-256. `record_id` is the record
    /// the person is looking at: a parent on another record is refused, so a stale window cannot
    /// put a copy where nobody expects it.
    pub fn add_working_copy(
        &mut self,
        record_id: &str,
        parent_id: &str,
        reader: impl Read,
        meta: EvidenceMeta,
        kind: CopyKind,
    ) -> Result<EvidenceItem> {
        self.writable()?;
        let precision = meta.validate()?;
        let parent = self.evidence_row(parent_id)?;
        if parent.item.record_id != normalise_id(record_id) {
            return Err(
                Invalid::field("record_id", Reason::NoSuchRecord, "the parent belongs to another record").into()
            );
        }
        let record_id = parent.item.record_id.clone();
        self.intake(record_id, reader, meta, precision, Some((&parent.item, kind)))
    }

    /// Seals what `reader` yields into a new blob and writes its row and log entries; for a
    /// working copy, also the parent's custody entry.
    fn intake(
        &mut self,
        record_id: String,
        mut reader: impl Read,
        meta: EvidenceMeta,
        precision: crate::date::Precision,
        parent: Option<(&EvidenceItem, CopyKind)>,
    ) -> Result<EvidenceItem> {
        let id = uuid::Uuid::now_v7().hyphenated().to_string();
        let blob = hex(&*random_bytes::<16>()?);
        let blobs = self.dir.join(crate::files::names(&self.dir).blobs);
        let tmp = blobs.join(format!("{blob}{TEMP_SUFFIX}"));
        let path = blobs.join(&blob);
        let key = random_bytes::<32>()?;
        let wrapped_key = wrap_blob_key(&self.master.derive(KeyPurpose::Blobs), &id, &key)?;
        let (intake, locked) = match seal_into(&tmp, &key, &mut reader) {
            Ok(sealed) => sealed,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let item = EvidenceItem {
            id,
            record_id,
            original_name: meta.original_name,
            size: intake.size,
            sha256: intake.sha256,
            media_type: intake.media_type.to_owned(),
            has_location: intake.has_location,
            has_device_info: intake.has_device_info,
            capture: intake.capture,
            acquired_at: meta.acquired_at,
            acquired_at_precision: precision,
            acquired_by: meta.acquired_by,
            source: meta.source,
            notes: meta.notes,
            added_at: now_utc(),
            parent_id: parent.map(|(p, _)| p.id.clone()),
            parent_sha256: parent.map(|(p, _)| p.sha256.clone()),
        };
        let row = EvidenceRow { item, blob, wrapped_key };
        // The folder is synced first, so the temporary file's name is on the disk before a row
        // names it: a power cut after the commit then finds the file.
        let committed = sync_dir(&blobs).and_then(|()| {
            let tx = self.conn.transaction()?;
            if records::get(&tx, &row.item.record_id)?.is_none() {
                return Err(Error::RecordNotFound(row.item.record_id.clone()));
            }
            if let Some((p, kind)) = parent {
                // The parent may have been deleted while the copy was being sealed.
                if rows::get(&tx, &p.id)?.is_none() {
                    return Err(Error::EvidenceNotFound(p.id.clone()));
                }
                let action = match kind {
                    CopyKind::Redaction => CustodyAction::Redaction,
                    CopyKind::Copy => CustodyAction::Copy,
                };
                let detail = format!("working_copy={} sha256={}", row.item.id, row.item.sha256);
                custody::append(&tx, &p.id, action, Some(&detail))?;
            }
            rows::insert(&tx, &row)?;
            custody::append(&tx, &row.item.id, CustodyAction::Intake, Some(&row.item.intake_detail()))?;
            audit::append(
                &tx,
                Action::EvidenceAdd,
                Some("evidence"),
                Some(&row.item.id),
                Some(&row.item.content_hash()),
            )?;
            tx.commit()?;
            Ok(())
        });
        if let Err(e) = committed {
            let _ = std::fs::remove_file(&tmp);
            let _ = sync_dir(&blobs);
            return Err(e);
        }
        // The item exists from the commit on, whatever happens to the rename: should it fail, or
        // the process die first, readers find the file under its temporary name and the next
        // unlock finishes the rename. The lock is held until then, so no sweep takes the file.
        finish_blob(&tmp, &path, &blobs);
        drop(locked);
        Ok(row.item)
    }

    /// The evidence item `id`.
    pub fn evidence(&self, id: &str) -> Result<EvidenceItem> {
        Ok(self.evidence_row(id)?.item)
    }

    /// Every evidence item, or those of the record `record_id`, oldest first.
    pub fn list_evidence(&self, record_id: Option<&str>) -> Result<Vec<EvidenceItem>> {
        let record_id = record_id.map(normalise_id);
        Ok(rows::list(&self.conn, record_id.as_deref())?.into_iter().map(|r| r.item).collect())
    }

    /// The custody log of the evidence item `id` (also of a deleted one), oldest first.
    pub fn custody(&self, id: &str) -> Result<Vec<CustodyEntry>> {
        let id = normalise_id(id);
        let chain = custody::chain(&self.conn, &id)?;
        if chain.is_empty() {
            return Err(Error::EvidenceNotFound(id));
        }
        Ok(chain)
    }

    /// Opens the evidence file `id` for reading, decrypting as it goes; the reader seeks (a
    /// preview's video player asks for ranges). Every chunk is checked before anything of it is
    /// returned; the file's length, header and last chunk are checked here, so a cut file is
    /// refused at once; damage found later fails the read with an error of kind `InvalidData`
    /// (see [`EvidenceReader`]). One opening is one `view` in the item's custody log, however
    /// many ranges are read from it; it is written first, so a vault that cannot be written
    /// refuses it.
    pub fn open_evidence(&mut self, id: &str) -> Result<EvidenceReader> {
        self.writable()?;
        let row = self.evidence_row(id)?;
        let (file, key) = self.open_blob(&row)?;
        let inner = Seekable::new(&key, file, row.item.size)?;
        let tx = self.conn.transaction()?;
        custody::append(&tx, &row.item.id, CustodyAction::View, None)?;
        tx.commit()?;
        Ok(EvidenceReader { inner })
    }

    /// A thumbnail of the image `id` (JPEG or PNG), made in memory from its decrypted bytes (see
    /// [`crate::evidence::thumbnail`]); `None` for other types and for images that cannot be
    /// decoded within the bounds. It is not logged in the custody log: it shows the vault's own
    /// user a small picture in the evidence list, as the list shows the file's name, and logging
    /// each list would bury the views that matter (an opened preview is logged).
    pub fn evidence_thumbnail(&self, id: &str) -> Result<Option<crate::evidence::thumbnail::Thumbnail>> {
        let row = self.evidence_row(id)?;
        if !matches!(row.item.media_type.as_str(), "image/jpeg" | "image/png") {
            return Ok(None);
        }
        let (file, key) = self.open_blob(&row)?;
        let reader = Seekable::new(&key, file, row.item.size)?;
        Ok(crate::evidence::thumbnail::make(reader, &row.item.media_type))
    }

    /// Decrypts the whole evidence file `id` and compares its SHA-256 with the one taken at
    /// intake. The outcome goes into the item's custody log (when the vault can be written).
    pub fn verify_evidence(&mut self, id: &str) -> Result<EvidenceItem> {
        let row = self.evidence_row(id)?;
        let outcome = self.open_blob(&row).and_then(|(file, key)| {
            let mut sha = Context::new(&SHA256);
            copy_out(Opener::new(&key, file), |chunk| {
                sha.update(chunk);
                Ok(())
            })?;
            if hex(sha.finish().as_ref()) == row.item.sha256 { Ok(()) } else { Err(Error::EvidenceMismatch) }
        });
        if self.unwritable.is_none() {
            let detail = match &outcome {
                Ok(()) => "sha256 matches".to_owned(),
                Err(e) => format!("failed: {}", e.code().as_str()),
            };
            let tx = self.conn.transaction()?;
            custody::append(&tx, &row.item.id, CustodyAction::Verify, Some(&detail))?;
            tx.commit()?;
        }
        outcome.map(|()| row.item)
    }

    /// Decrypts the evidence file `id` into a new file at `dest` (readable only by its owner),
    /// checking its SHA-256 on the way; never overwrites anything. The export is in the custody
    /// and audit logs before anything is written. A failure part way removes what was written.
    pub fn export_evidence(&mut self, id: &str, dest: &Path) -> Result<EvidenceItem> {
        self.writable()?;
        let row = self.evidence_row(id)?;
        let (file, key) = self.open_blob(&row)?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(dest).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::OutputExists,
            _ => Error::io("create", dest)(e),
        })?;
        let written = (|| -> Result<()> {
            let tx = self.conn.transaction()?;
            custody::append(&tx, &row.item.id, CustodyAction::Export, None)?;
            audit::append(
                &tx,
                Action::EvidenceExport,
                Some("evidence"),
                Some(&row.item.id),
                Some(&row.item.content_hash()),
            )?;
            tx.commit()?;
            let mut sha = Context::new(&SHA256);
            copy_out(Opener::new(&key, file), |chunk| {
                sha.update(chunk);
                out.write_all(chunk).map_err(Error::io("write", dest))
            })?;
            if hex(sha.finish().as_ref()) != row.item.sha256 {
                return Err(Error::EvidenceMismatch);
            }
            out.sync_all().map_err(Error::io("sync", dest))
        })();
        if let Err(e) = written {
            drop(out);
            let _ = std::fs::remove_file(dest);
            return Err(e);
        }
        Ok(row.item)
    }

    /// Deletes the evidence item `id` and its file. Its custody log stays, ending with the
    /// deletion. Its key goes with its row (overwritten: `secure_delete`), which makes any copy of
    /// the file unreadable even with the vault's passphrase.
    pub fn delete_evidence(&mut self, id: &str) -> Result<()> {
        self.writable()?;
        let row = self.evidence_row(id)?;
        let tx = self.conn.transaction()?;
        rows::delete(&tx, &row.item.id)?;
        custody::append(&tx, &row.item.id, CustodyAction::Delete, None)?;
        audit::append(&tx, Action::EvidenceDelete, Some("evidence"), Some(&row.item.id), None)?;
        tx.commit()?;
        // The write-ahead log still holds the item's file name and notes (and its wrapped key).
        crate::db::checkpoint_if_idle(&self.conn);
        let blobs = self.dir.join(crate::files::names(&self.dir).blobs);
        // Should this fail, the file belongs to no row and the next unlock removes it.
        let _ = std::fs::remove_file(blobs.join(&row.blob));
        let _ = sync_dir(&blobs);
        Ok(())
    }

    /// The path of the evidence file of `id`, for tests that damage it.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn evidence_blob_path_for_tests(&self, id: &str) -> Result<PathBuf> {
        Ok(self.dir.join(crate::files::names(&self.dir).blobs).join(self.evidence_row(id)?.blob))
    }

    fn evidence_row(&self, id: &str) -> Result<EvidenceRow> {
        let id = normalise_id(id);
        rows::get(&self.conn, &id)?.ok_or(Error::EvidenceNotFound(id))
    }

    /// The item's file, opened, and its key. A missing file, or one of the wrong size, is
    /// refused before anything is decrypted.
    pub(super) fn open_blob(&self, row: &EvidenceRow) -> Result<(File, zeroize::Zeroizing<[u8; 32]>)> {
        let blobs = self.dir.join(crate::files::names(&self.dir).blobs);
        let path = blobs.join(&row.blob);
        let file = match open_committed_blob(&blobs, &row.blob) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::EvidenceMissing),
            Err(e) => return Err(Error::io("open", &path)(e)),
        };
        let len = file.metadata().map_err(Error::io("read", &path))?.len();
        if len != stream::sealed_len(row.item.size) {
            return Err(Error::EvidenceTampered);
        }
        let key = unwrap_blob_key(&self.master.derive(KeyPurpose::Blobs), &row.item.id, &row.wrapped_key)?;
        Ok((file, key))
    }
}

/// What intake learnt of a file while sealing it.
pub(super) struct Intake {
    pub size: u64,
    pub sha256: String,
    pub media_type: &'static str,
    pub has_location: bool,
    pub has_device_info: bool,
    pub capture: Option<crate::evidence::Capture>,
}

/// Seals everything `reader` yields into a new file at `tmp` and syncs it. The file comes back
/// open and locked (an exclusive flock): while it is held, nobody takes the file for the leftover
/// of a crashed intake. The caller keeps it until the file has its final name, which it gives it
/// only after the row naming it is committed ([`finish_blob`]).
pub(super) fn seal_into(tmp: &Path, key: &[u8; 32], reader: &mut impl Read) -> Result<(Intake, File)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(tmp).map_err(Error::io("create", tmp))?;
    file.lock().map_err(Error::io("lock", tmp))?;
    // Between creating the file and locking it, another program's unlock may have taken it for
    // a crashed intake's and removed it: then the name no longer leads to this file, and a row
    // committed for it would name nothing.
    if !same_file(&file, tmp) {
        return Err(Error::io("lock", tmp)(std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    let mut sha = Context::new(&SHA256);
    let mut sniffer = sniff::Sniffer::new();
    let size = stream::seal(key, reader, &mut EagerWriteback::new(&file), |chunk| {
        sha.update(chunk);
        sniffer.feed(chunk);
    })
    .map_err(|e| match e {
        SealError::Read => Error::EvidenceUnreadable,
        SealError::Write(e) => Error::io("write", tmp)(e),
    })?;
    file.sync_all().map_err(Error::io("sync", tmp))?;
    let sniff::Findings { media_type, has_location, has_device_info, capture } = sniffer.finish();
    Ok((Intake { size, sha256: hex(sha.finish().as_ref()), media_type, has_location, has_device_info, capture }, file))
}

/// Reads `opener` to its end in fixed-size pieces, handing each to `f`.
fn copy_out(mut opener: Opener<File>, mut f: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
    let mut buf = zeroize::Zeroizing::new(vec![0u8; CHUNK]);
    loop {
        let n = stream::fill(&mut opener, &mut buf)
            .map_err(|e| stream::error_of(e, |e| Error::io("read", PathBuf::from(BLOBS_DIR).join("blob"))(e)))?;
        if n == 0 {
            return Ok(());
        }
        f(&buf[..n])?;
    }
}

/// Gives a sealed blob whose row is committed its final name and syncs the folder. Best effort:
/// the row already names the blob, readers find it under its temporary name meanwhile
/// ([`open_committed_blob`]), and the next unlock finishes what is not done here
/// ([`finish_interrupted_intakes`]).
pub(super) fn finish_blob(tmp: &Path, path: &Path, blobs: &Path) {
    if std::fs::rename(tmp, path).is_ok() {
        let _ = sync_dir(blobs);
    }
}

/// Opens the blob `name` of a committed row: under its final name, or, when an intake committed
/// its row but was cut off before the rename, under its temporary name.
pub(super) fn open_committed_blob(blobs: &Path, name: &str) -> std::io::Result<File> {
    let not_found = |r: &std::io::Result<File>| r.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    let opened = File::open(blobs.join(name));
    if !not_found(&opened) {
        return opened;
    }
    let temporary = File::open(blobs.join(format!("{name}{TEMP_SUFFIX}")));
    // The intake in another program may have renamed it between the two attempts.
    if not_found(&temporary) { File::open(blobs.join(name)) } else { temporary }
}

/// Whether the name `path` still leads to the open `file`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// What [`finish_interrupted_intakes`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Finished {
    /// Temporary files a committed row names, given their final names.
    pub completed: usize,
    /// Temporary files no row names, removed.
    pub removed: usize,
}

/// Finishes what intakes cut off by a crash left in `blobs/`. An intake holds an exclusive flock
/// on its temporary file (`.part`) until the file has its final name, so a file whose lock can
/// be taken belongs to no running intake, in this program or another. Such a file whose name a
/// row holds was committed and only its rename was lost: it is renamed. Any other was cut off
/// before its commit: it is removed. Whole blobs no row names are never touched: restoring an
/// older copy of the database would otherwise cost every file added since.
pub(super) fn finish_interrupted_intakes(dir: &Path, conn: &Connection) -> Result<Finished> {
    let blobs = dir.join(crate::files::names(dir).blobs);
    let entries = match std::fs::read_dir(&blobs) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Finished::default()),
        Err(e) => return Err(Error::io("read", &blobs)(e)),
    };
    let mut unowned = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io("read", &blobs))?;
        let Some(base) = entry.file_name().to_str().and_then(|n| n.strip_suffix(TEMP_SUFFIX)).map(str::to_owned) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(file) = OpenOptions::new().write(true).open(entry.path()) else { continue };
        if file.try_lock().is_ok() && same_file(&file, &entry.path()) {
            unowned.push((base, entry.path(), file));
        }
    }
    if unowned.is_empty() {
        return Ok(Finished::default());
    }
    // The rows are read only now, with every lock held: an intake that committed and then died
    // released its lock after its commit, so its row is seen here.
    let known = rows::blob_names(conn)?;
    let mut finished = Finished::default();
    for (base, path, file) in unowned {
        if known.contains(&base) {
            if std::fs::rename(&path, blobs.join(&base)).is_ok() {
                finished.completed += 1;
            }
        } else if std::fs::remove_file(&path).is_ok() {
            finished.removed += 1;
        }
        drop(file);
    }
    if finished != Finished::default() {
        sync_dir(&blobs)?;
    }
    Ok(finished)
}

/// The names in `blobs/` that no row refers to (for `check`): whole blobs, and temporary files
/// of intakes whose row was never committed. A temporary file whose row is committed (a rename
/// still to be finished) is the item's file, not a leftover.
pub(super) fn leftover_blobs(dir: &Path, conn: &Connection) -> Result<usize> {
    let known = rows::blob_names(conn)?;
    let Ok(entries) = std::fs::read_dir(dir.join(crate::files::names(dir).blobs)) else { return Ok(0) };
    Ok(entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_name().to_str().is_none_or(|n| !known.contains(n.strip_suffix(TEMP_SUFFIX).unwrap_or(n))))
        .count())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
