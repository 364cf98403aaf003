//! The audit log: every change to the vault appends an entry, and entries are hash-chained.
//!
//! Entry `n`'s hash is SHA-256 over entry `n-1`'s hash and entry `n`'s fields (each
//! length-prefixed). Each entry that creates or changes a record or link also carries the
//! SHA-256 of that record's content after the change, so `check` can tell three kinds of
//! tampering apart: an entry edited (its hash no longer matches), entries removed (a gap in the
//! sequence or a broken link to the previous hash), and a record edited without an entry (its
//! content no longer matches its last entry).
//!
//! Entries record what was touched and when, never the content itself.

use std::collections::HashMap;
use std::fmt::Write as _;

use ring::digest::{Context, SHA256};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::date::now_utc;
use crate::db::Migration;
use crate::error::Result;

/// Schema changes of the `audit_log` table.
pub const MIGRATIONS: &[Migration] = &[Migration {
    order: 3,
    key: "audit/0001_create",
    sql: "CREATE TABLE audit_log (
              seq INTEGER PRIMARY KEY,
              at TEXT NOT NULL,
              action TEXT NOT NULL,
              target_kind TEXT,
              target_id TEXT,
              content_sha256 TEXT,
              prev_hash TEXT NOT NULL,
              hash TEXT NOT NULL
          ) STRICT;
          CREATE INDEX audit_by_target ON audit_log(target_id, seq) WHERE target_id IS NOT NULL;",
}];

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// The vault was created.
    VaultCreate,
    /// The passphrase was changed.
    PassphraseChange,
    /// A record was created.
    RecordCreate,
    /// A record was changed.
    RecordUpdate,
    /// A record was deleted.
    RecordDelete,
    /// A link was made.
    LinkCreate,
    /// A link was removed.
    LinkDelete,
    /// A vocabulary entry was added.
    VocabAdd,
    /// A file was imported (one entry for the file, besides one per record).
    Import,
    /// Plaintext was exported.
    Export,
    /// The vault's master key was replaced (and the passphrase with it).
    KeyRotation,
    /// The key header was found changed at unlock without an entry for the change: a passphrase
    /// change cut off by a crash before its entry, or a header put back from a copy.
    HeaderChange,
    /// The key header was rewritten in the current format.
    HeaderUpgrade,
    /// An evidence file was added (its item's own custody log has the details).
    EvidenceAdd,
    /// An evidence file was decrypted to a file outside the vault.
    EvidenceExport,
    /// An evidence item and its file were deleted.
    EvidenceDelete,
    /// An evidence item came in from a sealed bundle.
    EvidenceImport,
    /// The vault's identity (signing key and age identity) was made.
    IdentityCreate,
    /// The vault's age identity (its secret key) was written to a file.
    IdentityExport,
    /// A contact was saved.
    ContactAdd,
    /// A contact was removed.
    ContactRemove,
    /// A sealed bundle was exported (its items' custody logs have an entry each).
    BundleExport,
    /// A sealed bundle was imported.
    BundleImport,
    /// The master key was split into recovery shares (the entry says nothing of the shares).
    RecoverySplit,
    /// A new passphrase was set with recovery shares (the entry records the new header).
    RecoveryRestore,
    /// A duress passphrase was set or cleared (the entry records the new header, never which).
    DuressChange,
}

/// The actions whose entries record the SHA-256 of the key header as it was after them.
const HEADER_ACTIONS: [Action; 7] = [
    Action::VaultCreate,
    Action::PassphraseChange,
    Action::KeyRotation,
    Action::HeaderChange,
    Action::HeaderUpgrade,
    Action::RecoveryRestore,
    Action::DuressChange,
];

impl Action {
    /// The action's code as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VaultCreate => "vault.create",
            Self::PassphraseChange => "vault.passphrase_change",
            Self::RecordCreate => "record.create",
            Self::RecordUpdate => "record.update",
            Self::RecordDelete => "record.delete",
            Self::LinkCreate => "link.create",
            Self::LinkDelete => "link.delete",
            Self::VocabAdd => "vocab.add",
            Self::Import => "vault.import",
            Self::Export => "vault.export",
            Self::KeyRotation => "vault.key_rotation",
            Self::HeaderChange => "vault.header_change",
            Self::HeaderUpgrade => "vault.header_upgrade",
            Self::EvidenceAdd => "evidence.add",
            Self::EvidenceExport => "evidence.export",
            Self::EvidenceDelete => "evidence.delete",
            Self::EvidenceImport => "evidence.import",
            Self::IdentityCreate => "identity.create",
            Self::IdentityExport => "identity.export_age",
            Self::ContactAdd => "contact.add",
            Self::ContactRemove => "contact.remove",
            Self::BundleExport => "bundle.export",
            Self::BundleImport => "bundle.import",
            Self::RecoverySplit => "recovery.split",
            Self::RecoveryRestore => "recovery.restore",
            Self::DuressChange => "vault.duress_change",
        }
    }
}

/// One entry of the log, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What happened (`record.update`…).
    pub action: String,
    /// The kind of record (or `link`, `vocab`) touched.
    pub target_kind: Option<String>,
    /// The id of what was touched.
    pub target_id: Option<String>,
    /// SHA-256 of its content after the change.
    pub content_sha256: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl Entry {
    fn compute_hash(&self) -> String {
        let mut ctx = Context::new(&SHA256);
        ctx.update(self.prev_hash.as_bytes());
        let seq = self.seq.to_string();
        for field in [
            Some(seq.as_str()),
            Some(self.at.as_str()),
            Some(self.action.as_str()),
            self.target_kind.as_deref(),
            self.target_id.as_deref(),
            self.content_sha256.as_deref(),
        ] {
            match field {
                Some(f) => {
                    ctx.update(&(f.len() as u64).to_be_bytes());
                    ctx.update(f.as_bytes());
                }
                None => ctx.update(&u64::MAX.to_be_bytes()),
            }
        }
        hex(ctx.finish().as_ref())
    }
}

/// Appends an entry, chaining it to the last one.
pub(crate) fn append(
    conn: &Connection,
    action: Action,
    target_kind: Option<&str>,
    target_id: Option<&str>,
    content_sha256: Option<&str>,
) -> Result<()> {
    append_in(conn, "main", action, target_kind, target_id, content_sha256)
}

/// [`append`] to the log of the database attached as `schema`: a key rotation writes its entry
/// into the new database before the switch, so the entry and the rotation are one.
pub(crate) fn append_in(
    conn: &Connection,
    schema: &str,
    action: Action,
    target_kind: Option<&str>,
    target_id: Option<&str>,
    content_sha256: Option<&str>,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached(&format!("SELECT seq, hash FROM {schema}.audit_log ORDER BY seq DESC LIMIT 1"))?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let mut e = Entry {
        seq,
        at: now_utc(),
        action: action.as_str().to_owned(),
        target_kind: target_kind.map(str::to_owned),
        target_id: target_id.map(str::to_owned),
        content_sha256: content_sha256.map(str::to_owned),
        prev_hash,
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    conn.prepare_cached(&format!(
        "INSERT INTO {schema}.audit_log (seq, at, action, target_kind, target_id, content_sha256, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    ))?
    .execute((
        e.seq,
        &e.at,
        &e.action,
        &e.target_kind,
        &e.target_id,
        &e.content_sha256,
        &e.prev_hash,
        &e.hash,
    ))?;
    Ok(())
}

/// Walks the whole chain and returns a description of every break, naming the entry.
pub(crate) fn verify_chain(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT seq, at, action, target_kind, target_id, content_sha256, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    while let Some(r) = rows.next()? {
        let e = entry_from_row(r)?;
        if e.seq != expected_seq {
            problems.push(format!("audit entries {expected_seq} to {} are missing: they were removed", e.seq - 1));
        } else if e.prev_hash != prev {
            problems.push(format!(
                "audit entry {} ({}) does not follow entry {}: the chain was rewritten",
                e.seq,
                e.action,
                e.seq - 1
            ));
        }
        if e.compute_hash() != e.hash {
            problems.push(format!("audit entry {} ({} at {}) was altered after it was written", e.seq, e.action, e.at));
        }
        expected_seq = e.seq + 1;
        prev = e.hash;
    }
    Ok(problems)
}

/// Every entry of `action`, oldest first.
pub(crate) fn with_action(conn: &Connection, action: Action) -> Result<Vec<Entry>> {
    Ok(conn
        .prepare(
            "SELECT seq, at, action, target_kind, target_id, content_sha256, prev_hash, hash FROM audit_log
             WHERE action = ?1 ORDER BY seq",
        )?
        .query_map([action.as_str()], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The key header's SHA-256 as the newest entry that records one has it.
pub(crate) fn latest_header_hash(conn: &Connection) -> Result<Option<String>> {
    let actions: Vec<&str> = HEADER_ACTIONS.iter().map(|a| a.as_str()).collect();
    // One placeholder per header action, so the list and the statement cannot disagree.
    let placeholders = (1..=actions.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    Ok(conn
        .prepare_cached(&format!(
            "SELECT content_sha256 FROM audit_log WHERE action IN ({placeholders}) ORDER BY seq DESC LIMIT 1"
        ))?
        .query_row(rusqlite::params_from_iter(actions), |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// For every target, the content hash and action of its latest entry.
pub(crate) fn latest_by_target(conn: &Connection) -> Result<HashMap<String, (String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT a.target_id, a.action, a.content_sha256 FROM audit_log a
         JOIN (SELECT target_id, max(seq) AS seq FROM audit_log WHERE target_id IS NOT NULL GROUP BY target_id) m
           ON a.seq = m.seq",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
}

/// The last `limit` entries, newest first.
pub(crate) fn tail(conn: &Connection, limit: usize) -> Result<Vec<Entry>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(conn
        .prepare(
            "SELECT seq, at, action, target_kind, target_id, content_sha256, prev_hash, hash FROM audit_log
             ORDER BY seq DESC LIMIT ?1",
        )?
        .query_map([limit], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        at: r.get(1)?,
        action: r.get(2)?,
        target_kind: r.get(3)?,
        target_id: r.get(4)?,
        content_sha256: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// SHA-256 (hex) over `fields`, each prefixed by its length so that no two different lists of
/// fields hash the same.
pub fn hash_fields(fields: &[&str]) -> String {
    let mut ctx = Context::new(&SHA256);
    for f in fields {
        ctx.update(&(f.len() as u64).to_be_bytes());
        ctx.update(f.as_bytes());
    }
    hex(ctx.finish().as_ref())
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
