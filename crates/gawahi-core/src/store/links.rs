//! The `links` table: a typed edge between any two records, with a role from the `link_roles`
//! vocabulary (victim, witness, perpetrator, counsel, evidence_of, arises_from…).
//!
//! A link reads from its source to its target: "person P is `victim` of incident I" is
//! `{from_id: P, to_id: I, role: victim}`. Detail views show links in both directions.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::db::Migration;
use crate::error::Result;

/// Schema changes of the `links` table.
pub const MIGRATIONS: &[Migration] = &[Migration {
    order: 2,
    key: "links/0001_create",
    sql: "CREATE TABLE links (
              id TEXT PRIMARY KEY NOT NULL,
              from_id TEXT NOT NULL REFERENCES records(id),
              to_id TEXT NOT NULL REFERENCES records(id),
              role TEXT NOT NULL,
              created_at TEXT NOT NULL,
              UNIQUE (from_id, to_id, role),
              CHECK (from_id <> to_id)
          ) STRICT;
          CREATE INDEX links_by_to ON links(to_id);",
}];

/// A link between two records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Link {
    /// UUIDv7 of the link itself.
    pub id: String,
    /// The source record.
    pub from_id: String,
    /// The target record.
    pub to_id: String,
    /// The role, from the `link_roles` vocabulary.
    pub role: String,
    /// When it was made.
    pub created_at: String,
}

impl Link {
    /// The SHA-256 (hex) of the link's canonical JSON, recorded by the audit log.
    pub fn content_hash(&self) -> String {
        crate::audit::hash_fields(&[&self.id, &self.from_id, &self.to_id, &self.role, &self.created_at])
    }
}

const COLUMNS: &str = "id, from_id, to_id, role, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Link> {
    Ok(Link { id: r.get(0)?, from_id: r.get(1)?, to_id: r.get(2)?, role: r.get(3)?, created_at: r.get(4)? })
}

pub(crate) fn insert(conn: &Connection, l: &Link) -> Result<()> {
    conn.prepare_cached("INSERT INTO links (id, from_id, to_id, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute((&l.id, &l.from_id, &l.to_id, &l.role, &l.created_at))?;
    Ok(())
}

pub(crate) fn find(conn: &Connection, from_id: &str, to_id: &str, role: &str) -> Result<Option<Link>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM links WHERE from_id = ?1 AND to_id = ?2 AND role = ?3"))?
        .query_row((from_id, to_id, role), from_row)
        .optional()?)
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<Link>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM links WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM links WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// Every link touching `id`, in either direction, oldest first.
pub(crate) fn of(conn: &Connection, id: &str) -> Result<Vec<Link>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM links WHERE from_id = ?1 UNION ALL SELECT {COLUMNS} FROM links WHERE to_id = ?1 ORDER BY id"
        ))?
        .query_map([id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every link, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Link>> {
    Ok(conn
        .prepare(&format!("SELECT {COLUMNS} FROM links ORDER BY id"))?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
