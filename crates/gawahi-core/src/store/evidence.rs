//! The `evidence` table: one row per evidence item, with what the vault knows of the file and,
//! for the file in `blobs/`, its random name and its own key wrapped under the vault's blob
//! key-wrapping key. A key rotation re-wraps these keys ([`rewrap`]) and never touches `blobs/`.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::date::Precision;
use crate::db::Migration;
use crate::error::{Error, Result};
use crate::evidence::EvidenceItem;
use crate::keys::{unwrap_blob_key, wrap_blob_key};

/// Schema changes of the `evidence` table.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        order: 7,
        key: "evidence/0001_create",
        sql: "CREATE TABLE evidence (
              id TEXT PRIMARY KEY NOT NULL,
              record_id TEXT NOT NULL REFERENCES records(id),
              blob TEXT NOT NULL UNIQUE,
              wrapped_key BLOB NOT NULL,
              size INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              media_type TEXT NOT NULL,
              has_location INTEGER NOT NULL,
              original_name TEXT,
              acquired_at TEXT,
              acquired_at_precision TEXT NOT NULL,
              acquired_by TEXT,
              source TEXT,
              notes TEXT,
              added_at TEXT NOT NULL
          ) STRICT;
          CREATE INDEX evidence_by_record ON evidence(record_id, id);",
    },
    // Working copies: the item a copy was made from, and that item's SHA-256 at the time. No
    // foreign key: a parent may be deleted (its custody log stays and records its hash), and
    // its copies stay. And whether a file names the device that made it (EXIF make, model,
    // serial number, owner); items taken in before are 0 (not looked at).
    Migration {
        order: 10,
        key: "evidence/0002_working_copies",
        sql: "ALTER TABLE evidence ADD COLUMN parent_id TEXT;
              ALTER TABLE evidence ADD COLUMN parent_sha256 TEXT;
              ALTER TABLE evidence ADD COLUMN has_device_info INTEGER NOT NULL DEFAULT 0;",
    },
];

/// A row: the item, and where and how its file is sealed.
#[derive(Debug, Clone)]
pub(crate) struct EvidenceRow {
    pub item: EvidenceItem,
    /// The file's name in `blobs/`.
    pub blob: String,
    /// Its key, wrapped.
    pub wrapped_key: Vec<u8>,
}

const COLUMNS: &str = "id, record_id, blob, wrapped_key, size, sha256, media_type, has_location, original_name, \
                       acquired_at, acquired_at_precision, acquired_by, source, notes, added_at, parent_id, \
                       parent_sha256, has_device_info";

fn from_row(r: &Row<'_>) -> rusqlite::Result<EvidenceRow> {
    let precision: String = r.get(10)?;
    let size: i64 = r.get(4)?;
    Ok(EvidenceRow {
        blob: r.get(2)?,
        wrapped_key: r.get(3)?,
        item: EvidenceItem {
            id: r.get(0)?,
            record_id: r.get(1)?,
            size: u64::try_from(size).unwrap_or(u64::MAX),
            sha256: r.get(5)?,
            media_type: r.get(6)?,
            has_location: r.get(7)?,
            original_name: r.get(8)?,
            acquired_at: r.get(9)?,
            // An unreadable precision is caught by the content hash in `check`.
            acquired_at_precision: serde_json::from_value(serde_json::Value::String(precision))
                .unwrap_or(Precision::Unknown),
            acquired_by: r.get(11)?,
            source: r.get(12)?,
            notes: r.get(13)?,
            added_at: r.get(14)?,
            parent_id: r.get(15)?,
            parent_sha256: r.get(16)?,
            has_device_info: r.get(17)?,
        },
    })
}

fn precision_str(p: Precision) -> String {
    match serde_json::to_value(p) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

/// Inserts a new item, and its search document.
pub(crate) fn insert(conn: &Connection, row: &EvidenceRow) -> Result<()> {
    let i = &row.item;
    conn.prepare_cached(&format!(
        "INSERT INTO evidence ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
    ))?
    .execute(rusqlite::params![
        i.id,
        i.record_id,
        row.blob,
        row.wrapped_key,
        i64::try_from(i.size).unwrap_or(i64::MAX),
        i.sha256,
        i.media_type,
        i.has_location,
        i.original_name,
        i.acquired_at,
        precision_str(i.acquired_at_precision),
        i.acquired_by,
        i.source,
        i.notes,
        i.added_at,
        i.parent_id,
        i.parent_sha256,
        i.has_device_info,
    ])?;
    crate::store::search::index_evidence(conn, i)?;
    Ok(())
}

/// The item with `id`.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<EvidenceRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM evidence WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Every item, or those of one record, oldest first.
pub(crate) fn list(conn: &Connection, record_id: Option<&str>) -> Result<Vec<EvidenceRow>> {
    Ok(match record_id {
        Some(r) => conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM evidence WHERE record_id = ?1 ORDER BY id"))?
            .query_map([r], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM evidence ORDER BY id"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    })
}

/// How many items belong to `record_id`.
pub(crate) fn count_for_record(conn: &Connection, record_id: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM evidence WHERE record_id = ?1")?
        .query_row([record_id], |r| r.get(0))?;
    Ok(n.unsigned_abs())
}

/// The names of every blob a row refers to.
pub(crate) fn blob_names(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    Ok(conn
        .prepare("SELECT blob FROM evidence")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<std::collections::HashSet<String>>>()?)
}

/// Deletes an item's row (its wrapped key with it: `secure_delete` overwrites it) and its search
/// document.
pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM evidence WHERE id = ?1")?.execute([id])?;
    crate::store::search::remove(conn, id)?;
    Ok(())
}

/// Re-wraps every blob key in the database attached as `schema` from the key-wrapping key `old`
/// to `new`: what a key rotation does for evidence, in the copy it makes, before its switch.
pub(crate) fn rewrap(conn: &Connection, schema: &str, old: &[u8; 32], new: &[u8; 32]) -> Result<u64> {
    let rows: Vec<(String, Vec<u8>)> = conn
        .prepare(&format!("SELECT id, wrapped_key FROM {schema}.evidence"))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare(&format!("UPDATE {schema}.evidence SET wrapped_key = ?2 WHERE id = ?1"))?;
    for (id, wrapped) in &rows {
        let key = unwrap_blob_key(old, id, wrapped)?;
        let rewrapped = wrap_blob_key(new, id, &key)?;
        if update.execute((id, rewrapped))? != 1 {
            return Err(Error::CorruptDatabase);
        }
    }
    Ok(rows.len() as u64)
}
