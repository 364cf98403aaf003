//! The evidence locker: intake, reading, export, verification and deletion of evidence files,
//! each with its custody entry; and the removal of what an intake cut off by a crash left in
//! `blobs/`.
//!
//! Intake is crash-safe: the file is sealed into a temporary file in `blobs/`, synced, renamed to
//! its random name and the folder synced; only then are the row, the intake custody entry and the
//! audit entry written, in one transaction. If that fails the blob is removed; if the process dies
//! first, the blob belongs to no row and the next unlock removes it.

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
        let blobs = self.dir.join(BLOBS_DIR);
        let tmp = blobs.join(format!("{blob}{TEMP_SUFFIX}"));
        let path = blobs.join(&blob);
        let key = random_bytes::<32>()?;
        let wrapped_key = wrap_blob_key(&self.master.derive(KeyPurpose::Blobs), &id, &key)?;
        let sealed = seal_into(&tmp, &key, &mut reader).and_then(|(intake, locked)| {
            std::fs::rename(&tmp, &path).map_err(Error::io("rename", &tmp))?;
            drop(locked);
            Ok(intake)
        });
        let intake = match sealed {
            Ok(intake) => intake,
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
            let _ = std::fs::remove_file(&path);
            let _ = sync_dir(&blobs);
            return Err(e);
        }
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
        let blobs = self.dir.join(BLOBS_DIR);
        // Should this fail, the file belongs to no row and the next unlock removes it.
        let _ = std::fs::remove_file(blobs.join(&row.blob));
        let _ = sync_dir(&blobs);
        Ok(())
    }

    /// The path of the evidence file of `id`, for tests that damage it.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn evidence_blob_path_for_tests(&self, id: &str) -> Result<PathBuf> {
        Ok(self.dir.join(BLOBS_DIR).join(self.evidence_row(id)?.blob))
    }

    fn evidence_row(&self, id: &str) -> Result<EvidenceRow> {
        let id = normalise_id(id);
        rows::get(&self.conn, &id)?.ok_or(Error::EvidenceNotFound(id))
    }

    /// The item's file, opened, and its key. A missing file, or one of the wrong size, is
    /// refused before anything is decrypted.
    pub(super) fn open_blob(&self, row: &EvidenceRow) -> Result<(File, zeroize::Zeroizing<[u8; 32]>)> {
        let path = self.dir.join(BLOBS_DIR).join(&row.blob);
        let file = match File::open(&path) {
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
/// of a crashed intake. The caller keeps it until the file has its final name.
pub(super) fn seal_into(tmp: &Path, key: &[u8; 32], reader: &mut impl Read) -> Result<(Intake, File)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(tmp).map_err(Error::io("create", tmp))?;
    file.lock().map_err(Error::io("lock", tmp))?;
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

/// Removes from `blobs/` the temporary files (`.part`) of intakes that were cut off. An intake
/// holds an exclusive flock on its temporary file until the file has its final name, so a file
/// whose lock can be taken belongs to no running intake (in this program or another).
pub(super) fn remove_stale_temporaries(dir: &Path) -> Result<usize> {
    let blobs = dir.join(BLOBS_DIR);
    let entries = match std::fs::read_dir(&blobs) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("read", &blobs)(e)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(Error::io("read", &blobs))?;
        if !entry.file_name().to_str().is_some_and(|n| n.ends_with(TEMP_SUFFIX))
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let Ok(file) = OpenOptions::new().write(true).open(entry.path()) else { continue };
        if file.try_lock().is_ok() && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        sync_dir(&blobs)?;
    }
    Ok(removed)
}

/// The names in `blobs/` that no row refers to (for `check`).
pub(super) fn leftover_blobs(dir: &Path, conn: &Connection) -> Result<usize> {
    let known = rows::blob_names(conn)?;
    let Ok(entries) = std::fs::read_dir(dir.join(BLOBS_DIR)) else { return Ok(0) };
    Ok(entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_name().to_str().is_none_or(|n| !known.contains(n)))
        .count())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
