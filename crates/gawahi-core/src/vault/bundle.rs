//! Sealed bundles from the vault's side: exporting a case or chosen records with their evidence,
//! and importing a bundle after checking it (see [`crate::bundle`] for the format).
//!
//! Export records itself first (an audit entry for the bundle, a custody entry `export` on every
//! item, in one transaction), then writes the bundle through a temporary file renamed into place.
//! Import checks the whole bundle first (one streaming pass), then reads it again, sealing each
//! new evidence file into `blobs/` as it streams, and writes every record, link, item, custody
//! entry and audit entry in one transaction at the end; on any failure the sealed files are
//! removed (a crash leaves them to the next unlock's cleanup, as an interrupted intake does).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::identity::{VaultKeys, parse_age_recipient};
use super::{Origin, Vault, add_in, link_in};
use crate::audit::{self, Action};
use crate::bundle::reader::{BundleOpener, BundleReport, read_bundle};
use crate::bundle::writer::{SealTo, SmallFiles, allowed_signers, csv_line, signer_pem, write_bundle};
use crate::bundle::{
    Carries, Exporter, FORMAT, Flow, Manifest, ManifestItem, ManifestLink, Progress, Selection, evidence_path,
};
use crate::date::now_utc;
use crate::error::{Error, Invalid, Reason, Result};
use crate::evidence::{CustodyAction, EvidenceItem, intake_detail};
use crate::header::sync_dir;
use crate::keys::{KeyPurpose, random_bytes, wrap_blob_key};
use crate::model::Kind;
use crate::records::{self, Record};
use crate::store::custody;
use crate::store::evidence::{self as evidence_rows, EvidenceRow};
use crate::store::search::IndexWriter;
use crate::{links, store};

/// Who a bundle is sealed to, as the user chose.
#[non_exhaustive]
pub enum Recipients {
    /// These age recipients (`age1…`) and these contacts (by id or name), together.
    Keys {
        /// age X25519 recipients, `age1…`.
        age: Vec<String>,
        /// Saved contacts, by id or exact name.
        contacts: Vec<String>,
    },
    /// Whoever knows this passphrase.
    Passphrase(secrecy::SecretString),
}

impl std::fmt::Debug for Recipients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keys { age, contacts } => {
                write!(f, "Recipients::Keys({} keys, {} contacts)", age.len(), contacts.len())
            }
            Self::Passphrase(_) => f.write_str("Recipients::Passphrase(…)"),
        }
    }
}

/// What to export and to whom.
#[derive(Debug)]
pub struct BundleRequest {
    /// A case and everything linked to it, or chosen records.
    pub selection: Selection,
    /// Who can open it.
    pub to: Recipients,
    /// Carry working copies instead of originals.
    pub carries: Carries,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleExported {
    /// The bundle's id.
    pub bundle_id: String,
    /// When it was sealed.
    pub created_at: String,
    /// The fingerprint of the vault that signed it (this one).
    pub signer_fingerprint: String,
    /// Records in it.
    pub records: u64,
    /// Links in it.
    pub links: u64,
    /// Evidence files in it.
    pub evidence: u64,
    /// Bytes of evidence in it.
    pub evidence_bytes: u64,
    /// Originals left out because working copies were asked for and they have none.
    pub withheld: u64,
    /// People whose name and contact were withheld (flagged anonymous).
    pub anonymised: u64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleImported {
    /// What the bundle holds (it passed every check).
    pub report: BundleReport,
    /// The name of the contact whose signing key signed it, if one did.
    pub signer_contact: Option<String>,
    /// Records added.
    pub records_added: u64,
    /// Records already in the vault (same id), left as they are.
    pub records_present: u64,
    /// Links added.
    pub links_added: u64,
    /// Links already in the vault.
    pub links_present: u64,
    /// Evidence items added.
    pub evidence_added: u64,
    /// Evidence items already in the vault (same SHA-256 on the same record), left as they are.
    pub evidence_present: u64,
}

impl Vault {
    /// Seals a bundle into a new file at `out` (never overwriting): the records asked for, the
    /// links between them, their evidence files and custody logs, signed by this vault and
    /// encrypted to the recipients. Streams; `progress` may stop it, leaving nothing at `out`.
    pub fn export_bundle(
        &mut self,
        request: &BundleRequest,
        out: &Path,
        progress: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<BundleExported> {
        self.writable()?;
        let seal = self.seal_to(&request.to)?;
        let keys = self.keys()?;
        let chosen = self.bundle_records(&request.selection)?;
        let ids: HashSet<&str> = chosen.iter().map(|r| r.id.as_str()).collect();
        let chosen_links: Vec<ManifestLink> = links::all(&self.conn)?
            .into_iter()
            .filter(|l| ids.contains(l.from_id.as_str()) && ids.contains(l.to_id.as_str()))
            .map(|l| ManifestLink {
                id: l.id,
                from_id: l.from_id,
                to_id: l.to_id,
                role: l.role,
                created_at: l.created_at,
            })
            .collect();
        let (rows, withheld) = self.bundle_items(&chosen, request.carries)?;
        let bundle_id = uuid::Uuid::now_v7().hyphenated().to_string();
        let created_at = now_utc();

        // The export is recorded before anything is written: one audit entry for the bundle and
        // one custody entry per item, so the custody logs carried inside end with it.
        let tx = self.conn.transaction()?;
        audit::append(&tx, Action::BundleExport, Some("bundle"), Some(&bundle_id), None)?;
        let detail = format!("bundle {bundle_id}");
        for row in &rows {
            custody::append(&tx, &row.item.id, CustodyAction::Export, Some(&detail))?;
        }
        tx.commit()?;

        let mut anonymised = 0;
        let records_json: Vec<Map<String, Value>> = chosen
            .iter()
            .map(|r| {
                let (obj, withheld) = crate::export::full(r);
                anonymised += u64::from(withheld);
                obj
            })
            .collect();
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            items.push(manifest_item(&row.item, custody::chain(&self.conn, &row.item.id)?));
        }
        let small = small_files(&keys, &records_json, &items);
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: crate::bundle::version_for(&items),
            bundle_id: bundle_id.clone(),
            created_at: created_at.clone(),
            exporter: Exporter {
                signing_key: keys.public.signing_key.clone(),
                age_recipient: keys.public.age_recipient.clone(),
                fingerprint: keys.public.fingerprint.clone(),
            },
            carries: request.carries,
            selection: request.selection.clone(),
            records: records_json,
            links: chosen_links,
            evidence: items,
            files: small.listed(),
        };
        let mut open = |index: usize| -> Result<Box<dyn Read + Send>> {
            let (file, key) = self.open_blob(&rows[index])?;
            // A bundle reads each file once, front to back: the sequential reader, not the seekable one.
            Ok(Box::new(crate::crypto::stream::Opener::new(&key, file)))
        };
        write_bundle(out, &seal, &keys.signing, &keys.signing_public, &manifest, &small, &mut open, progress)?;
        Ok(BundleExported {
            bundle_id,
            created_at,
            signer_fingerprint: keys.public.fingerprint.clone(),
            records: manifest.records.len() as u64,
            links: manifest.links.len() as u64,
            evidence: manifest.evidence.len() as u64,
            evidence_bytes: manifest.evidence.iter().map(|i| i.size).sum(),
            withheld,
            anonymised,
        })
    }

    /// Checks the bundle at `path` (as [`crate::bundle::reader::verify_bundle`]), opening it with
    /// `opener` or, when `None`, with this vault's own age identity.
    pub fn verify_bundle(
        &mut self,
        path: &Path,
        opener: Option<&BundleOpener>,
        expected_signer: Option<&str>,
        progress: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<BundleReport> {
        let own;
        let opener = if let Some(o) = opener {
            o
        } else {
            own = self.own_opener()?;
            &own
        };
        crate::bundle::reader::verify_bundle(path, opener, expected_signer, progress)
    }

    /// Imports the bundle at `path` after checking all of it: records by id (one already here is
    /// left as it is), links by id, evidence by SHA-256 on the same record (one already here is
    /// not added twice). Each new item's custody log starts with its intake and an `import` entry
    /// naming the bundle, its signer's fingerprint and when it was sealed. Nothing is kept unless
    /// everything is.
    pub fn import_bundle(
        &mut self,
        path: &Path,
        opener: Option<&BundleOpener>,
        expected_signer: Option<&str>,
        progress: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<BundleImported> {
        self.writable()?;
        let own;
        let opener = if let Some(o) = opener {
            o
        } else {
            own = self.own_opener()?;
            &own
        };
        // First pass: every check, nothing written.
        let (manifest, _) = read_bundle(path, opener, expected_signer, progress, &mut |_, _, _| Ok(()))?;
        // Which items are new here: not already on their record with the same SHA-256.
        let mut present_items = HashSet::new();
        for item in &manifest.evidence {
            let here = evidence_rows::list(&self.conn, Some(&item.record_id))?;
            if here.iter().any(|r| r.item.sha256 == item.sha256) {
                present_items.insert(item.id.clone());
            }
        }
        // Second pass: the new files sealed into blobs/ as they stream; the checks run again, so a
        // file changed between the passes fails here.
        let blobs = self.dir.join(crate::files::names(&self.dir).blobs);
        let kwk = self.master.derive(KeyPurpose::Blobs);
        // Each sealed file keeps its temporary name and its lock until the rows naming them are
        // committed, as an intake's does (see `vault/evidence.rs`): a crash before the commit
        // leaves temporary files the next unlock removes, one after it files the next unlock
        // renames, never a whole blob without its row.
        let mut sealed: Vec<SealedBlob> = Vec::new();
        raise_open_file_limit();
        let second = read_bundle(path, opener, expected_signer, progress, &mut |item, index, reader| {
            if present_items.contains(&item.id) {
                return Ok(());
            }
            let id = if evidence_rows::get(&self.conn, &item.id)?.is_some() {
                uuid::Uuid::now_v7().hyphenated().to_string()
            } else {
                item.id.clone()
            };
            let blob = crate::bundle::hex(&*random_bytes::<16>()?);
            let tmp = blobs.join(format!("{blob}{}", super::evidence::TEMP_SUFFIX));
            let final_path = blobs.join(&blob);
            let key = random_bytes::<32>()?;
            let wrapped_key = wrap_blob_key(&kwk, &id, &key)?;
            let mut limited = reader.take(item.size);
            let (intake, lock) = match super::evidence::seal_into(&tmp, &key, &mut limited) {
                Ok(sealed) => sealed,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            };
            if intake.sha256 != item.sha256 || intake.size != item.size {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::BundleRejected(crate::bundle::reader::BundleCheck::FileHash {
                    file: crate::bundle::reader::BundleFile::Evidence { index, path: item.path.clone() },
                }));
            }
            let row = EvidenceRow { item: imported_item(item, id, &intake), blob, wrapped_key };
            sealed.push(SealedBlob { row, tmp, final_path, lock });
            Ok(())
        });
        let outcome = second.and_then(|(_, report)| {
            // The temporary names are on the disk before any row names them.
            sync_dir(&blobs)?;
            let rows: Vec<&EvidenceRow> = sealed.iter().map(|s| &s.row).collect();
            self.commit_import(&manifest, report, &rows)
        });
        if outcome.is_err() {
            for s in &sealed {
                let _ = std::fs::remove_file(&s.tmp);
            }
            let _ = sync_dir(&blobs);
            return outcome;
        }
        // Committed: every file gets its final name (what a crash cuts off here, the next unlock
        // finishes), and only then is its lock let go.
        for s in &sealed {
            let _ = std::fs::rename(&s.tmp, &s.final_path);
        }
        let _ = sync_dir(&blobs);
        drop(sealed);
        outcome
    }

    /// Writes everything an import adds, in one transaction.
    fn commit_import(
        &mut self,
        manifest: &Manifest,
        report: BundleReport,
        sealed: &[&EvidenceRow],
    ) -> Result<BundleImported> {
        let signer_contact = store::identity::contacts(&self.conn)?
            .into_iter()
            .find(|c| c.signing_key.as_deref() == Some(manifest_key(&manifest.exporter.signing_key).as_str()))
            .map(|c| c.name);
        let tx = self.conn.transaction()?;
        let mut summary = BundleImported {
            report,
            signer_contact,
            records_added: 0,
            records_present: 0,
            links_added: 0,
            links_present: 0,
            evidence_added: 0,
            evidence_present: 0,
        };
        // Records in passes: one that refers to another record of the bundle (a hearing to its
        // case) may come before it; each pass adds what it can until nothing more can be added.
        let mut waiting: Vec<&Map<String, Value>> = Vec::new();
        for r in &manifest.records {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
            if records::get(&tx, id)?.is_some() {
                summary.records_present += 1;
            } else {
                waiting.push(r);
            }
        }
        while !waiting.is_empty() {
            let before = waiting.len();
            let mut still = Vec::new();
            let mut last_error = None;
            for r in waiting {
                let mut body = r.clone();
                let kind = body
                    .remove("kind")
                    .and_then(|k| k.as_str().and_then(Kind::parse))
                    .ok_or(Error::BundleRejected(crate::bundle::reader::BundleCheck::Manifest))?;
                tx.execute_batch("SAVEPOINT bundle_record")?;
                match add_in(&tx, &mut IndexWriter::default(), kind, body, Origin::Import) {
                    Ok(_) => {
                        tx.execute_batch("RELEASE bundle_record")?;
                        summary.records_added += 1;
                    }
                    Err(e) => {
                        tx.execute_batch("ROLLBACK TO bundle_record; RELEASE bundle_record")?;
                        last_error = Some(e);
                        still.push(r);
                    }
                }
            }
            if still.len() == before {
                return Err(last_error.unwrap_or(Error::Bug("a record neither added nor refused")));
            }
            waiting = still;
        }
        for l in &manifest.links {
            if links::get(&tx, &l.id)?.is_some() || links::find(&tx, &l.from_id, &l.to_id, &l.role)?.is_some() {
                summary.links_present += 1;
            } else {
                link_in(&tx, Some(&l.id), &l.from_id, &l.to_id, &l.role, Some(&l.created_at))?;
                summary.links_added += 1;
            }
        }
        audit::append(&tx, Action::BundleImport, Some("bundle"), Some(&manifest.bundle_id), None)?;
        let by_id: HashMap<&str, &ManifestItem> = manifest.evidence.iter().map(|i| (i.id.as_str(), i)).collect();
        for row in sealed {
            let source = by_id
                .values()
                .find(|i| i.sha256 == row.item.sha256 && i.record_id == row.item.record_id)
                .ok_or(Error::Bug("an imported item comes from the manifest"))?;
            evidence_rows::insert(&tx, row)?;
            custody::append(
                &tx,
                &row.item.id,
                CustodyAction::Intake,
                Some(&intake_detail(&row.item.sha256, row.item.size)),
            )?;
            let head = source.custody.last().map_or("none", |e| e.hash.as_str());
            let detail = format!(
                "bundle {} sealed {} by {}; source item {}; source custody head {head}",
                manifest.bundle_id, manifest.created_at, manifest.exporter.fingerprint, source.id
            );
            custody::append(&tx, &row.item.id, CustodyAction::Import, Some(&detail))?;
            audit::append(
                &tx,
                Action::EvidenceImport,
                Some("evidence"),
                Some(&row.item.id),
                Some(&row.item.content_hash()),
            )?;
            summary.evidence_added += 1;
        }
        summary.evidence_present = manifest.evidence.len() as u64 - summary.evidence_added;
        tx.commit()?;
        Ok(summary)
    }

    /// The age recipients of a request, parsed, with the contacts' looked up.
    fn seal_to(&self, to: &Recipients) -> Result<SealTo> {
        match to {
            Recipients::Passphrase(p) => {
                use secrecy::ExposeSecret as _;
                if p.expose_secret().chars().count() < super::MIN_PASSPHRASE_CHARS {
                    return Err(Invalid::field(
                        "passphrase",
                        Reason::PassphraseTooShort,
                        format!("must be at least {} characters", super::MIN_PASSPHRASE_CHARS),
                    )
                    .into());
                }
                Ok(SealTo::Passphrase(p.clone()))
            }
            Recipients::Keys { age, contacts } => {
                let mut out = Vec::new();
                for r in age {
                    out.push(parse_age_recipient(r)?);
                }
                for c in contacts {
                    out.push(parse_age_recipient(&self.contact(c)?.age_recipient)?);
                }
                if out.is_empty() {
                    return Err(
                        Invalid::field("to", Reason::Required, "name at least one recipient or a passphrase").into()
                    );
                }
                Ok(SealTo::Recipients(out))
            }
        }
    }

    /// The records a selection names: a case, its hearings and every record linked to it; or the
    /// records named. In an order that imports (a case before its hearings).
    fn bundle_records(&self, selection: &Selection) -> Result<Vec<Record>> {
        let mut out: Vec<Record> = Vec::new();
        let mut seen = HashSet::new();
        let mut take = |r: Record, out: &mut Vec<Record>| {
            if seen.insert(r.id.clone()) {
                out.push(r);
            }
        };
        match selection {
            Selection::Case(id) => {
                let case = self.get(id)?;
                if case.kind() != Kind::Case {
                    return Err(Invalid::field("case", Reason::WrongKind, "is not a case").into());
                }
                let case_id = case.id.clone();
                take(case, &mut out);
                for (child, _) in records::children(&self.conn, &case_id)? {
                    take(self.get(&child)?, &mut out);
                }
                for l in links::of(&self.conn, &case_id)? {
                    let other = if l.from_id == case_id { l.to_id } else { l.from_id };
                    take(self.get(&other)?, &mut out);
                }
            }
            Selection::Records(ids) => {
                if ids.is_empty() {
                    return Err(Invalid::field("records", Reason::Required, "name at least one record").into());
                }
                for id in ids {
                    take(self.get(id)?, &mut out);
                }
            }
        }
        // Parents first, so that a bundle imports in one pass where it can.
        out.sort_by_key(|r| r.data.parent_id().is_some());
        Ok(out)
    }

    /// The evidence items of these records, as the request wants them, and how many originals
    /// were left out for want of a working copy.
    fn bundle_items(&self, chosen: &[Record], carries: Carries) -> Result<(Vec<EvidenceRow>, u64)> {
        let mut rows = Vec::new();
        for r in chosen {
            rows.extend(evidence_rows::list(&self.conn, Some(&r.id))?);
        }
        if carries == Carries::Originals {
            return Ok((rows, 0));
        }
        // Working copies (redacted, or stripped of metadata) stand in for the originals they were
        // made from; an original without one stays home and is counted, so the export can say
        // how many files it left out.
        let (copies, originals): (Vec<EvidenceRow>, Vec<EvidenceRow>) =
            rows.into_iter().partition(|r| r.item.parent_id.is_some());
        let with_a_copy: HashSet<&str> = copies.iter().filter_map(|r| r.item.parent_id.as_deref()).collect();
        let withheld = originals.iter().filter(|r| !with_a_copy.contains(r.item.id.as_str())).count() as u64;
        Ok((copies, withheld))
    }

    /// An opener with this vault's own age identity.
    fn own_opener(&mut self) -> Result<BundleOpener> {
        use secrecy::ExposeSecret as _;
        let keys = self.keys()?;
        Ok(BundleOpener::Identity(secrecy::SecretString::from(keys.age.to_string().expose_secret().to_owned())))
    }
}

/// A signing key as contacts store it (no comment).
fn manifest_key(openssh: &str) -> String {
    super::identity::parse_signing_key(openssh).map(|(k, _)| k).unwrap_or_default()
}

fn manifest_item(i: &EvidenceItem, custody: Vec<crate::evidence::CustodyEntry>) -> ManifestItem {
    ManifestItem {
        id: i.id.clone(),
        record_id: i.record_id.clone(),
        path: evidence_path(&i.id, i.original_name.as_deref()),
        sha256: i.sha256.clone(),
        size: i.size,
        media_type: i.media_type.clone(),
        has_location: i.has_location,
        capture: i.capture.clone(),
        original_name: i.original_name.clone(),
        acquired_at: i.acquired_at.clone(),
        acquired_at_precision: match serde_json::to_value(i.acquired_at_precision) {
            Ok(Value::String(s)) => s,
            _ => "unknown".to_owned(),
        },
        acquired_by: i.acquired_by.clone(),
        source: i.source.clone(),
        notes: i.notes.clone(),
        added_at: i.added_at.clone(),
        custody,
    }
}

/// The item an import adds for `m`, under `id`, with the media type this vault detects, marked as
/// carrying a location if the sender's vault or this one finds one.
fn imported_item(m: &ManifestItem, id: String, intake: &super::evidence::Intake) -> EvidenceItem {
    EvidenceItem {
        id,
        record_id: m.record_id.clone(),
        original_name: m.original_name.clone(),
        size: m.size,
        sha256: m.sha256.clone(),
        media_type: intake.media_type.to_owned(),
        has_location: m.has_location || intake.has_location,
        has_device_info: intake.has_device_info,
        // What this vault reads from the bytes themselves, not what the manifest claims.
        capture: intake.capture.clone(),
        // The copy's original stays in the sender's vault: its hash is in the manifest's
        // custody log, not an item here.
        parent_id: None,
        parent_sha256: None,
        acquired_at: m.acquired_at.clone(),
        acquired_at_precision: serde_json::from_value(Value::String(m.acquired_at_precision.clone()))
            .unwrap_or(crate::date::Precision::Unknown),
        acquired_by: m.acquired_by.clone(),
        source: m.source.clone(),
        notes: m.notes.clone(),
        added_at: now_utc(),
    }
}

/// The generated files: the signer's key in two forms, the README, and the two CSV files.
fn small_files(keys: &VaultKeys, records: &[Map<String, Value>], items: &[ManifestItem]) -> SmallFiles {
    let mut records_csv = csv_line(&["id", "kind", "created_at", "updated_at", "fields_json"]);
    for r in records {
        let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut fields = r.clone();
        for k in records::ENVELOPE {
            fields.remove(k);
        }
        let json = serde_json::to_string(&fields).unwrap_or_default();
        records_csv.push_str(&csv_line(&[&s("id"), &s("kind"), &s("created_at"), &s("updated_at"), &json]));
    }
    let mut custody_csv = csv_line(&["item_id", "path", "seq", "at", "action", "detail", "prev_hash", "hash"]);
    for i in items {
        for e in &i.custody {
            custody_csv.push_str(&csv_line(&[
                &i.id,
                &i.path,
                &e.seq.to_string(),
                &e.at,
                &e.action,
                e.detail.as_deref().unwrap_or_default(),
                &e.prev_hash,
                &e.hash,
            ]));
        }
    }
    SmallFiles {
        signer_pem: signer_pem(&keys.signing_public),
        allowed_signers: allowed_signers(&keys.public.signing_key),
        readme: crate::bundle::readme::text(&keys.public.fingerprint),
        records_csv,
        custody_csv,
    }
}

/// An imported evidence file sealed under its temporary name, held locked until its row is
/// committed and the file has its final name.
struct SealedBlob {
    row: EvidenceRow,
    tmp: std::path::PathBuf,
    final_path: std::path::PathBuf,
    /// The exclusive flock that keeps another program's unlock from taking the file for the
    /// leftover of a crashed intake; released when dropped.
    #[allow(dead_code, reason = "held for its lock, never read")]
    lock: std::fs::File,
}

/// An import holds one open file per new evidence file until the commit. A bundle may carry more
/// files than the soft limit on open files allows (1,024 on many desktops), so the soft limit is
/// raised to the hard one, as far as the system lets this process. Best effort: with the limit
/// left as it is, a bundle too large for it fails cleanly with nothing kept.
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum {
            let _ =
                setrlimit(Resource::Nofile, rustix::process::Rlimit { current: limit.maximum, maximum: limit.maximum });
        }
    }
}
