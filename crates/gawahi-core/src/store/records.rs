//! The `records` table: one row per record of any kind, the body stored as JSON inside the
//! encrypted database.
//!
//! A hearing's case and a risk assessment's person are also kept in `parent_id`, a foreign key,
//! so SQLite itself refuses to delete a case that still has hearings. IDs are UUIDv7: they sort
//! by creation time, and vaults can later be merged without collisions.

use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use crate::db::Migration;
use crate::error::{Error, Result};
use crate::model::{Kind, RecordData};

/// Schema changes of the `records` table.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        order: 1,
        key: "records/0001_create",
        sql: "CREATE TABLE records (
              id TEXT PRIMARY KEY NOT NULL,
              kind TEXT NOT NULL,
              parent_id TEXT REFERENCES records(id),
              created_at TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              body TEXT NOT NULL
          ) STRICT;
          CREATE INDEX records_by_kind ON records(kind, id);
          CREATE INDEX records_by_parent ON records(parent_id) WHERE parent_id IS NOT NULL;",
    },
    Migration {
        // Counting 100,000 incidents through the index decrypts every index page; the app asks for
        // counts on every list page and the dashboard, so they are kept up to date by triggers.
        order: 5,
        key: "records/0002_counts",
        sql: "CREATE TABLE record_counts (kind TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL) STRICT;
          INSERT INTO record_counts (kind, n) SELECT kind, count(*) FROM records GROUP BY kind;
          CREATE TRIGGER records_counted_in AFTER INSERT ON records BEGIN
              INSERT INTO record_counts (kind, n) VALUES (NEW.kind, 1)
                  ON CONFLICT (kind) DO UPDATE SET n = n + 1;
          END;
          CREATE TRIGGER records_counted_out AFTER DELETE ON records BEGIN
              UPDATE record_counts SET n = n - 1 WHERE kind = OLD.kind;
          END;",
    },
    Migration {
        // In a transaction, an INSERT that fires a trigger may abort half-done, so SQLite gives it a
        // statement journal: a copy of every 16 KiB page it touches, in 1 KiB chunks allocated and
        // freed per insert (about 70). With memory security each was an mlock/munlock pair (and
        // is still a wipe), which held inserts to about 1k/s. [`insert`] counts the new record in its own statement instead.
        order: 6,
        key: "records/0003_count_inserts_in_code",
        sql: "DROP TRIGGER records_counted_in;",
    },
];

/// A stored record: the envelope the vault assigns, and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// UUIDv7.
    pub id: String,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
    /// When it was last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// The body.
    pub data: RecordData,
}

impl Record {
    /// The kind of the record.
    pub fn kind(&self) -> Kind {
        self.data.kind()
    }

    /// The record as one JSON object: `id`, `kind`, `created_at`, `updated_at` and the body's
    /// fields.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut m = self.data.to_json();
        m.insert("id".into(), Value::String(self.id.clone()));
        m.insert("kind".into(), Value::String(self.kind().as_str().into()));
        m.insert("created_at".into(), Value::String(self.created_at.clone()));
        m.insert("updated_at".into(), Value::String(self.updated_at.clone()));
        m
    }

    /// The SHA-256 (hex) of the record as stored (envelope and body JSON), which the audit log
    /// records for every change so that `check` can tell an edit made behind the app's back.
    pub fn content_hash(&self) -> String {
        self.content_hash_of(&self.data.body_json())
    }

    fn content_hash_of(&self, body_json: &str) -> String {
        crate::audit::hash_fields(&[&self.id, self.kind().as_str(), &self.created_at, &self.updated_at, body_json])
    }
}

/// The names of the envelope fields, which are not part of any body.
pub const ENVELOPE: [&str; 4] = ["id", "kind", "created_at", "updated_at"];

const COLUMNS: &str = "id, kind, created_at, updated_at, body";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(String, String, String, String, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
}

fn decode((id, kind, created_at, updated_at, body): (String, String, String, String, String)) -> Result<Record> {
    // A row that does not decode was written by something other than this vault, or damaged in
    // a way the page MACs did not catch: both are corruption, not bad input.
    let kind = Kind::parse(&kind).ok_or(Error::CorruptDatabase)?;
    let body: Map<String, Value> = serde_json::from_str(&body).map_err(|_| Error::CorruptDatabase)?;
    let data = RecordData::parse(kind, body).map_err(|_| Error::CorruptDatabase)?;
    Ok(Record { id, created_at, updated_at, data })
}

/// Inserts a new record (and its search document through `index`, like every write below);
/// returns its content hash.
/// `body` is `r.data.body_json()`, which the caller has made already (see
/// `RecordData::validate_to_json`).
pub(crate) fn insert(
    conn: &Connection,
    index: &mut crate::store::search::IndexWriter,
    r: &Record,
    body: String,
) -> Result<String> {
    debug_assert_eq!(body, r.data.body_json(), "the body stored is the record's own");
    let hash = r.content_hash_of(&body);
    conn.prepare_cached(
        "INSERT INTO records (id, kind, parent_id, created_at, updated_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((&r.id, r.kind().as_str(), r.data.parent_id(), &r.created_at, &r.updated_at, body))?;
    conn.prepare_cached(
        "INSERT INTO record_counts (kind, n) VALUES (?1, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1",
    )?
    .execute([r.kind().as_str()])?;
    index.new_record(conn, r)?;
    Ok(hash)
}

/// Replaces the body of an existing record; returns its new content hash.
pub(crate) fn update(conn: &Connection, r: &Record) -> Result<String> {
    let body = r.data.body_json();
    let hash = r.content_hash_of(&body);
    let n = conn
        .prepare_cached("UPDATE records SET parent_id = ?2, updated_at = ?3, body = ?4 WHERE id = ?1")?
        .execute((&r.id, r.data.parent_id(), &r.updated_at, body))?;
    if n == 0 {
        return Err(Error::RecordNotFound(r.id.clone()));
    }
    crate::store::search::index_record(conn, r)?;
    Ok(hash)
}

/// Deletes a record (and its search document). The caller removes its links first.
pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM records WHERE id = ?1")?.execute([id])?;
    crate::store::search::remove(conn, id)?;
    Ok(())
}

/// The record with this id.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<Record>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM records WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .map(decode)
        .transpose()
}

/// A page of records of `kind`, newest first, starting after the record `after` (keyset
/// paging, which costs the same on page 1 and page 2,000).
pub(crate) fn list(conn: &Connection, kind: Kind, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = match after {
        Some(after) => conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM records WHERE kind = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
            ))?
            .query_map((kind.as_str(), after, limit), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM records WHERE kind = ?1 ORDER BY id DESC LIMIT ?2"))?
            .query_map((kind.as_str(), limit), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    rows.into_iter().map(decode).collect()
}

/// Records of `kind` matching a fixed SQL condition on `body` (for the dashboard and calendar).
/// `condition` is a constant written in this crate, never user input; values go in `params`.
pub(crate) fn select(
    conn: &Connection,
    kind: Kind,
    condition: &str,
    order: &str,
    limit: usize,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM records WHERE kind = ? AND ({condition}) ORDER BY {order} LIMIT {limit}");
    let mut all: Vec<&dyn rusqlite::ToSql> = vec![&kind as &dyn rusqlite::ToSql];
    all.extend_from_slice(params);
    let rows = conn.prepare_cached(&sql)?.query_map(all.as_slice(), from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode).collect()
}

/// Every record, for export and integrity checks: those without a parent first, then hearings and
/// risk assessments; each group in id order (oldest first, for ids the vault made).
pub(crate) fn for_each(conn: &Connection, mut f: impl FnMut(Record) -> Result<()>) -> Result<()> {
    // Records that belong to another (a hearing to its case, an assessment to its person) come
    // after every record that does not, so that reading them back in this order (an export
    // re-imported) always finds the parent first, whatever the ids' order.
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM records ORDER BY parent_id IS NOT NULL, id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(decode(from_row(row)?)?)?;
    }
    Ok(())
}

/// How many records of `kind` there are.
pub(crate) fn count(conn: &Connection, kind: Kind) -> Result<u64> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT n FROM record_counts WHERE kind = ?1")?
        .query_row([kind.as_str()], |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0).unsigned_abs())
}

/// The ids of the records that point at `id` as their parent (a case's hearings).
pub(crate) fn children(conn: &Connection, id: &str) -> Result<Vec<(String, Kind)>> {
    let rows = conn
        .prepare_cached("SELECT id, kind FROM records WHERE parent_id = ?1 ORDER BY id")?
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|(id, k)| Kind::parse(&k).map(|k| (id, k)).ok_or(Error::CorruptDatabase)).collect()
}
