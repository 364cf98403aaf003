//! The `drafts` table: what the user was typing in a form, kept inside the encrypted database so
//! that an auto-lock in the middle of an edit loses nothing. A draft is not a record: it has no
//! audit entry (it is saved every few seconds and thrown away on save), is never exported and is
//! not validated beyond being a JSON value of bounded size.

use rusqlite::{Connection, OptionalExtension};

use crate::db::Migration;
use crate::error::Result;

/// Schema changes of the `drafts` table.
pub const MIGRATIONS: &[Migration] = &[Migration {
    order: 9,
    key: "drafts/0001_create",
    sql: "CREATE TABLE drafts (
              key TEXT PRIMARY KEY NOT NULL,
              body TEXT NOT NULL,
              saved_at TEXT NOT NULL
          ) STRICT;",
}];

/// Stores `body` under `key`, replacing any draft there.
pub(crate) fn save(conn: &Connection, key: &str, body: &str, saved_at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO drafts (key, body, saved_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
    )?
    .execute((key, body, saved_at))?;
    Ok(())
}

/// The draft under `key` and when it was saved, if there is one.
pub(crate) fn load(conn: &Connection, key: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT body, saved_at FROM drafts WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Removes the draft under `key`; whether there was one.
pub(crate) fn discard(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.prepare_cached("DELETE FROM drafts WHERE key = ?1")?.execute([key])? > 0)
}

/// How many drafts are kept.
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM drafts", [], |r| r.get::<_, i64>(0))?.unsigned_abs())
}
