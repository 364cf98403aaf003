//! The vault: a directory with a key header, an encrypted database and (later) evidence blobs.
//!
//! [`Vault`] is an unlocked vault. It exists only while unlocked: [`Vault::lock`] (or dropping
//! it) closes the database connection and zeroizes the master key, so "locked" is simply the
//! absence of a `Vault`. Every change is written in one transaction together with its audit
//! entry, so a crash can lose the change but never leave it unaudited.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit::{self, Action};
use crate::date::now_utc;
use crate::db;
use crate::error::{Error, Invalid, Reason, Result};
use crate::export::{self, ExportOptions, ExportSummary};
use crate::header::{self, KeyHeader, WriteStep};
use crate::kdf::KdfParams;
use crate::keys::{KeyPurpose, MasterKey};
use crate::links::{self, Link};
use crate::model::{Check, Kind, RecordData};
use crate::records::{self, ENVELOPE, Record};
use crate::vocab;

/// The directory reserved for encrypted evidence blobs.
pub const BLOBS_DIR: &str = "blobs";
/// The shortest passphrase a new vault or a passphrase change accepts, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The most records one page of a list returns.
pub const MAX_PAGE: usize = 1_000;

/// An unlocked vault.
pub struct Vault {
    dir: PathBuf,
    conn: Connection,
    master: MasterKey,
    slot: usize,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// What an integrity check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Records in the vault.
    pub records: u64,
    /// Links in the vault.
    pub links: u64,
    /// Entries in the audit log.
    pub audit_entries: u64,
    /// Every problem found, each naming what is wrong and where. Empty when all is well.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Records created.
    pub records: u64,
    /// Links created.
    pub links: u64,
}

/// Where a new record's envelope comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Typed in or added by a script: the vault assigns id and timestamps.
    New,
    /// From an import file: id and timestamps may be given (an export read back in).
    Import,
}

impl Vault {
    /// Creates a vault in `dir` (which must not exist, or be empty), with KDF parameters
    /// calibrated to take about `kdf_target` on this machine.
    pub fn create(dir: &Path, passphrase: &SecretString, kdf_target: Duration) -> Result<Self> {
        check_new_passphrase(passphrase)?;
        prepare_dir(dir)?;
        let kdf = KdfParams::calibrate(kdf_target)?;
        Self::create_in(dir, passphrase, kdf).inspect_err(|_| {
            // Leave no half-made vault behind: it could not be opened, and would block a retry.
            let _ = std::fs::remove_file(dir.join(header::FILE_NAME));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("{}{suffix}", db::FILE_NAME)));
            }
            let _ = std::fs::remove_dir(dir.join(BLOBS_DIR));
        })
    }

    fn create_in(dir: &Path, passphrase: &SecretString, kdf: KdfParams) -> Result<Self> {
        let master = MasterKey::generate()?;
        let mut conn = db::open(&dir.join(db::FILE_NAME), &master.derive(KeyPurpose::Database), true)?;
        db::migrate(&mut conn)?;
        let tx = conn.transaction()?;
        vocab::load_shipped(&tx)?;
        audit::append(&tx, Action::VaultCreate, None, None, None)?;
        tx.commit()?;
        mkdir(&dir.join(BLOBS_DIR))?;
        // The header goes last: until it exists there is no vault, so a crash during creation
        // leaves nothing that looks openable.
        KeyHeader::new(kdf, passphrase, &master)?.write_atomic(dir, |_| Ok(()))?;
        Ok(Self { dir: dir.to_owned(), conn, master, slot: 0 })
    }

    /// Unlocks the vault in `dir` with `passphrase`.
    pub fn unlock(dir: &Path, passphrase: &SecretString) -> Result<Self> {
        let header = KeyHeader::read(dir)?;
        let (master, slot) = header.unwrap(passphrase)?;
        let mut conn = db::open(&dir.join(db::FILE_NAME), &master.derive(KeyPurpose::Database), false)?;
        db::migrate(&mut conn)?;
        Ok(Self { dir: dir.to_owned(), conn, master, slot })
    }

    /// A "vault" whose database is not encrypted at all, with the same schema, vocabularies and
    /// code paths: the baseline benchmarks measure SQLCipher's cost against. It has no key header
    /// and [`Vault::unlock`] cannot open it. Only built with the `bench-baseline` feature.
    #[cfg(feature = "bench-baseline")]
    pub fn create_unencrypted_baseline(dir: &Path) -> Result<Self> {
        prepare_dir(dir)?;
        let mut conn = db::open_unencrypted_baseline(&dir.join(db::FILE_NAME))?;
        db::migrate(&mut conn)?;
        let tx = conn.transaction()?;
        vocab::load_shipped(&tx)?;
        audit::append(&tx, Action::VaultCreate, None, None, None)?;
        tx.commit()?;
        Ok(Self { dir: dir.to_owned(), conn, master: MasterKey::generate()?, slot: 0 })
    }

    /// Locks the vault: closes the database and zeroizes every key held.
    pub fn lock(self) {
        drop(self);
    }

    /// The open database, for the read models in [`crate::views`].
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Whether SQLCipher's memory security is active (`PRAGMA cipher_memory_security`): every
    /// SQLite allocation locked out of swap and wiped when freed. Always false for the unencrypted
    /// baseline until an encrypted vault has been opened in the process (the setting is global).
    pub fn memory_security(&self) -> Result<bool> {
        let on: String = self.conn.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))?;
        Ok(on == "1")
    }

    /// The vault's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Changes the passphrase. Only the master key is re-wrapped; the database is untouched.
    /// `current` must open the same key slot this vault was unlocked with.
    pub fn change_passphrase(&mut self, current: &SecretString, new: &SecretString) -> Result<()> {
        self.change_passphrase_interrupted(current, new, |_| Ok(()))
    }

    /// [`Vault::change_passphrase`] with a hook called after each step of the header's
    /// replacement; an error from the hook stops there, as a crash would. For tests.
    #[doc(hidden)]
    pub fn change_passphrase_interrupted(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        after: impl FnMut(WriteStep) -> std::io::Result<()>,
    ) -> Result<()> {
        check_new_passphrase(new)?;
        let mut header = KeyHeader::read(&self.dir)?;
        let (master, slot) = header.unwrap(current)?;
        if slot != self.slot || master.as_bytes() != self.master.as_bytes() {
            return Err(Error::WrongPassphrase);
        }
        header.wrap_into(slot, new, &master)?;
        header.write_atomic(&self.dir, after)?;
        audit::append(&self.conn, Action::PassphraseChange, None, None, None)?;
        Ok(())
    }

    /// Adds a record of `kind`. `body` holds the kind's fields; `id`, `created_at` and
    /// `updated_at` are assigned by the vault.
    pub fn add(&mut self, kind: Kind, body: Map<String, Value>) -> Result<Record> {
        let tx = self.conn.transaction()?;
        let record = add_in(&tx, kind, body, Origin::New)?;
        tx.commit()?;
        Ok(record)
    }

    /// The record with `id`.
    pub fn get(&self, id: &str) -> Result<Record> {
        records::get(&self.conn, id)?.ok_or_else(|| Error::RecordNotFound(id.to_owned()))
    }

    /// Changes the fields named in `patch` (a JSON merge patch: `null` clears a field), keeping
    /// the others, and validates the result as a whole.
    pub fn update(&mut self, id: &str, patch: Map<String, Value>) -> Result<Record> {
        let tx = self.conn.transaction()?;
        let current = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.to_owned()))?;
        let mut body = current.data.to_json();
        for (key, value) in patch {
            if ENVELOPE.contains(&key.as_str()) {
                let same = value.as_str() == Some(current.to_json()[&key].as_str().unwrap_or_default());
                if same && (key == "id" || key == "kind") {
                    continue;
                }
                return Err(
                    Invalid::field(key, Reason::KeptByVault, "is kept by the vault and cannot be changed").into()
                );
            }
            body.insert(key, value);
        }
        let mut data = RecordData::parse(current.kind(), body)?;
        data.validate(&Check::new(&tx))?;
        let record = Record { updated_at: now_utc(), data, ..current };
        let hash = records::update(&tx, &record)?;
        audit::append(&tx, Action::RecordUpdate, Some(record.kind().as_str()), Some(id), Some(&hash))?;
        tx.commit()?;
        Ok(record)
    }

    /// Deletes a record and its links. A case with hearings (or a person with risk
    /// assessments) is not deleted: those must be deleted first, so nothing goes by accident.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let record = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.to_owned()))?;
        let children = records::children(&tx, id)?;
        if let Some((_, kind)) = children.first() {
            return Err(Invalid::whole(
                Reason::HasDependents,
                format!("this {} still has {} {kind} record(s); delete them first", record.kind(), children.len()),
            )
            .into());
        }
        for link in links::of(&tx, id)? {
            links::delete(&tx, &link.id)?;
            audit::append(&tx, Action::LinkDelete, Some("link"), Some(&link.id), None)?;
        }
        records::delete(&tx, id)?;
        audit::append(&tx, Action::RecordDelete, Some(record.kind().as_str()), Some(id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// Links `from_id` to `to_id` with `role` (from the `link_roles` vocabulary).
    pub fn link(&mut self, from_id: &str, to_id: &str, role: &str) -> Result<Link> {
        let tx = self.conn.transaction()?;
        let link = link_in(&tx, None, from_id, to_id, role, None)?;
        tx.commit()?;
        Ok(link)
    }

    /// Removes the link with `link_id`.
    pub fn unlink(&mut self, link_id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        links::get(&tx, link_id)?.ok_or_else(|| Error::RecordNotFound(link_id.to_owned()))?;
        links::delete(&tx, link_id)?;
        audit::append(&tx, Action::LinkDelete, Some("link"), Some(link_id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// Every link touching the record `id`, in either direction.
    pub fn links_of(&self, id: &str) -> Result<Vec<Link>> {
        self.get(id)?;
        links::of(&self.conn, id)
    }

    /// A page of records of `kind`, newest first, after the record `after` if given.
    pub fn list(&self, kind: Kind, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
        records::list(&self.conn, kind, after, limit.min(MAX_PAGE))
    }

    /// How many records of `kind` the vault holds.
    pub fn count(&self, kind: Kind) -> Result<u64> {
        records::count(&self.conn, kind)
    }

    /// Imports records and links from JSON Lines: one object per line with a `kind` (a record
    /// kind, or `link` with `from_id`, `to_id` and `role`). All or nothing: the first bad line
    /// stops the import, its error names the line and field, and nothing from the file is kept.
    pub fn import_jsonl(&mut self, input: impl BufRead) -> Result<ImportSummary> {
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary::default();
        for (i, line) in input.lines().enumerate() {
            let n = i + 1;
            let line = line
                .map_err(|e| Invalid::whole(Reason::BadImportLine, format!("cannot read the file: {e}")).at_line(n))?;
            if line.trim().is_empty() {
                continue;
            }
            let at_line = |e: Error| match e {
                Error::Invalid(inv) => Error::Invalid(inv.at_line(n)),
                other => other,
            };
            let mut obj = match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(Invalid::whole(Reason::BadImportLine, "expected one JSON object per line")
                        .at_line(n)
                        .into());
                }
                Err(e) => {
                    return Err(Invalid::whole(Reason::BadImportLine, format!("not valid JSON: {e}"))
                        .at_line(n)
                        .into());
                }
            };
            let Some(Value::String(kind)) = obj.remove("kind") else {
                return Err(Invalid::field("kind", Reason::BadImportLine, "every line needs a `kind`")
                    .at_line(n)
                    .into());
            };
            if kind == "link" {
                let given: ImportedLink = crate::model::strict(Value::Object(obj)).map_err(|e| e.at_line(n))?;
                link_in(
                    &tx,
                    given.id.as_deref(),
                    &given.from_id,
                    &given.to_id,
                    &given.role,
                    given.created_at.as_deref(),
                )
                .map_err(at_line)?;
                summary.links += 1;
            } else {
                let kind = Kind::parse(&kind).ok_or_else(|| {
                    Invalid::field("kind", Reason::BadImportLine, format!("`{kind}` is not a kind of record"))
                        .at_line(n)
                })?;
                add_in(&tx, kind, obj, Origin::Import).map_err(at_line)?;
                summary.records += 1;
            }
        }
        audit::append(&tx, Action::Import, None, None, None)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Writes every record and link as JSON Lines (the format [`Vault::import_jsonl`] reads),
    /// in plaintext, honouring consent and anonymity flags (see [`crate::export`]).
    pub fn export_jsonl(&mut self, options: ExportOptions, out: impl Write) -> Result<ExportSummary> {
        let summary = export::write(&self.conn, options, out)?;
        audit::append(&self.conn, Action::Export, None, None, None)?;
        Ok(summary)
    }

    /// Checks the vault: every page's MAC, SQLite's own integrity check, foreign keys, the audit
    /// chain, and that every record and link matches its last audit entry.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let page_errors: Vec<String> = self
            .conn
            .prepare("PRAGMA cipher_integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !page_errors.is_empty() {
            report.problems.push(format!(
                "{} database page(s) fail their MAC: the file was damaged or tampered with",
                page_errors.len()
            ));
            // Nothing else can be trusted to read; stop here.
            return Ok(report);
        }
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if integrity != ["ok"] {
            report.problems.push(format!("SQLite integrity check: {}", integrity.join("; ")));
        }
        let miscounted: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT kind, count(*) AS n FROM records GROUP BY kind) c
             FULL OUTER JOIN record_counts k USING (kind) WHERE coalesce(c.n, 0) <> coalesce(k.n, 0)",
            [],
            |r| r.get(0),
        )?;
        if miscounted > 0 {
            report.problems.push(format!("the record counts of {miscounted} kind(s) do not match the records"));
        }
        let fk: i64 = self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if fk > 0 {
            report.problems.push(format!("{fk} reference(s) point at records that do not exist"));
        }
        report.problems.extend(audit::verify_chain(&self.conn)?);
        report.audit_entries =
            self.conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))?.unsigned_abs();

        let latest = audit::latest_by_target(&self.conn)?;
        let mut matches = |id: &str, what: &str, hash: String| match latest.get(id) {
            Some((action, Some(h))) if *h == hash && !action.ends_with(".delete") => {}
            Some(_) => report.problems.push(format!("{what} {id} was changed without an audit entry")),
            None => report.problems.push(format!("{what} {id} has no audit entry: it was added behind the app's back")),
        };
        let mut record_count = 0;
        records::for_each(&self.conn, |r| {
            record_count += 1;
            matches(&r.id, r.kind().as_str(), r.content_hash());
            Ok(())
        })?;
        let all_links = links::all(&self.conn)?;
        for l in &all_links {
            matches(&l.id, "link", l.content_hash());
        }
        report.records = record_count;
        report.links = all_links.len() as u64;
        Ok(report)
    }

    /// The names of the vault's vocabularies.
    pub fn vocab_names(&self) -> Result<Vec<String>> {
        vocab::names(&self.conn)
    }

    /// The entries of vocabulary `name`.
    pub fn vocab(&self, name: &str) -> Result<Vec<vocab::Entry>> {
        vocab::entries(&self.conn, name)
    }

    /// Adds an entry to vocabulary `name`.
    pub fn vocab_add(&mut self, name: &str, entry: &vocab::Entry) -> Result<()> {
        let tx = self.conn.transaction()?;
        vocab::add(&tx, name, entry)?;
        let target = format!("{name}/{}", entry.code);
        let hash = audit::sha256_hex(serde_json::to_string(entry).unwrap_or_default().as_bytes());
        audit::append(&tx, Action::VocabAdd, Some("vocab"), Some(&target), Some(&hash))?;
        tx.commit()?;
        Ok(())
    }

    /// The newest `limit` audit entries.
    pub fn audit_tail(&self, limit: usize) -> Result<Vec<audit::Entry>> {
        audit::tail(&self.conn, limit)
    }

    /// Runs raw SQL on the open database, behind the vault's back. Only for tests that must
    /// tamper with a vault the way an attacker with the key could.
    #[doc(hidden)]
    pub fn tamper_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// Adds many records in one transaction (benchmarks and generated data).
    pub fn add_batch(&mut self, items: impl IntoIterator<Item = (Kind, Map<String, Value>)>) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::new();
        for (kind, body) in items {
            ids.push(add_in(&tx, kind, body, Origin::New)?.id);
        }
        tx.commit()?;
        Ok(ids)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedLink {
    #[serde(default)]
    id: Option<String>,
    from_id: String,
    to_id: String,
    role: String,
    #[serde(default)]
    created_at: Option<String>,
}

fn add_in(conn: &Connection, kind: Kind, mut body: Map<String, Value>, origin: Origin) -> Result<Record> {
    let mut envelope = |key: &str| -> Result<Option<String>> {
        match body.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) if origin == Origin::New => {
                Err(Invalid::field(key, Reason::KeptByVault, "is assigned by the vault; leave it out").into())
            }
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Invalid::field(key, Reason::WrongType, "expected a string").into()),
        }
    };
    let given_id = envelope("id")?;
    let created_at = envelope("created_at")?;
    let updated_at = envelope("updated_at")?;
    if body.contains_key("kind") {
        return Err(Invalid::field("kind", Reason::KeptByVault, "is given by the command, not in the body").into());
    }
    let id = match given_id {
        Some(id) => {
            let parsed =
                uuid::Uuid::parse_str(&id).map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?;
            if records::get(conn, &id)?.is_some() {
                return Err(
                    Invalid::field("id", Reason::IdTaken, format!("a record with id {id} already exists")).into()
                );
            }
            parsed.hyphenated().to_string()
        }
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    for (field, ts) in [("created_at", &created_at), ("updated_at", &updated_at)] {
        if let Some(ts) = ts
            && chrono::DateTime::parse_from_rfc3339(ts).is_err()
        {
            return Err(Invalid::field(field, Reason::WrongType, "expected an RFC 3339 timestamp").into());
        }
    }
    let mut data = RecordData::parse(kind, body)?;
    data.validate(&Check::new(conn))?;
    let now = now_utc();
    let created_at = created_at.unwrap_or_else(|| now.clone());
    let record = Record { id, updated_at: updated_at.unwrap_or_else(|| created_at.clone()), created_at, data };
    let hash = records::insert(conn, &record)?;
    audit::append(conn, Action::RecordCreate, Some(kind.as_str()), Some(&record.id), Some(&hash))?;
    Ok(record)
}

fn link_in(
    conn: &Connection,
    id: Option<&str>,
    from_id: &str,
    to_id: &str,
    role: &str,
    created_at: Option<&str>,
) -> Result<Link> {
    if records::get(conn, from_id)?.is_none() {
        return Err(Invalid::field("from_id", Reason::NoSuchRecord, format!("no record with id {from_id}")).into());
    }
    if records::get(conn, to_id)?.is_none() {
        return Err(Invalid::field("to_id", Reason::NoSuchRecord, format!("no record with id {to_id}")).into());
    }
    if from_id == to_id {
        return Err(Invalid::field("to_id", Reason::LinkToItself, "a record cannot be linked to itself").into());
    }
    Check::new(conn).vocab("role", "link_roles", Some(role))?;
    if links::find(conn, from_id, to_id, role)?.is_some() {
        return Err(Invalid::whole(Reason::AlreadyLinked, format!("these records are already linked as {role}")).into());
    }
    let id = match id {
        Some(id) => uuid::Uuid::parse_str(id)
            .map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?
            .hyphenated()
            .to_string(),
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    let link = Link {
        id,
        from_id: from_id.to_owned(),
        to_id: to_id.to_owned(),
        role: role.to_owned(),
        created_at: created_at.map_or_else(now_utc, str::to_owned),
    };
    links::insert(conn, &link)?;
    audit::append(conn, Action::LinkCreate, Some("link"), Some(&link.id), Some(&link.content_hash()))?;
    Ok(link)
}

fn check_new_passphrase(p: &SecretString) -> Result<()> {
    use secrecy::ExposeSecret;
    if p.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Invalid::field(
            "passphrase",
            Reason::PassphraseTooShort,
            format!("use at least {MIN_PASSPHRASE_CHARS} characters; a few unrelated words are best"),
        )
        .into());
    }
    Ok(())
}

fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::VaultExists(dir.to_owned()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => mkdir(dir),
        Err(e) => Err(Error::io("read", dir)(e)),
    }
}

/// Creates a directory readable only by its owner.
fn mkdir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(Error::io("create directory", dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> SecretString {
        SecretString::from(s)
    }

    #[test]
    fn fail_crash_during_passphrase_change_leaves_exactly_one_passphrase_working() {
        for (crash_after, new_works) in
            [(WriteStep::TempWritten, false), (WriteStep::TempSynced, false), (WriteStep::Renamed, true)]
        {
            let tmp = tempfile::tempdir().expect("tempdir");
            let dir = tmp.path().join("v");
            let mut v = Vault::create(&dir, &pass("old passphrase"), Duration::ZERO).expect("create");
            let err = v
                .change_passphrase_interrupted(&pass("old passphrase"), &pass("new passphrase"), |step| {
                    if step == crash_after { Err(std::io::Error::other("simulated crash")) } else { Ok(()) }
                })
                .expect_err("the injected crash must stop the change");
            assert!(matches!(err, Error::Io { .. }), "{err:?}");
            drop(v);
            let old = Vault::unlock(&dir, &pass("old passphrase"));
            let new = Vault::unlock(&dir, &pass("new passphrase"));
            assert_eq!(new.is_ok(), new_works, "crash after {crash_after:?}");
            assert_eq!(old.is_ok(), !new_works, "crash after {crash_after:?}");
            let failed = if new_works { old } else { new };
            assert!(matches!(failed, Err(Error::WrongPassphrase)));
        }
    }

    #[test]
    fn fail_leftover_temp_header_does_not_stop_a_later_change() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("v");
        let mut v = Vault::create(&dir, &pass("old passphrase"), Duration::ZERO).expect("create");
        let _ = v.change_passphrase_interrupted(&pass("old passphrase"), &pass("never used"), |s| {
            if s == WriteStep::TempSynced { Err(std::io::Error::other("crash")) } else { Ok(()) }
        });
        assert!(dir.join(header::TEMP_FILE_NAME).exists());
        v.change_passphrase(&pass("old passphrase"), &pass("second passphrase")).expect("change");
        drop(v);
        Vault::unlock(&dir, &pass("second passphrase")).expect("new works");
        assert!(matches!(Vault::unlock(&dir, &pass("never used")), Err(Error::WrongPassphrase)));
    }
}
