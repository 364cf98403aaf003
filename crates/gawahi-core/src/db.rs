//! The encrypted database: opening it with its key, and applying migrations.
//!
//! Architecture invariant: [`open`] is the only function that sets a SQLCipher key. Every
//! connection to a vault database goes through it, so every connection gets the same pragmas.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The database's file name inside a vault directory.
pub const FILE_NAME: &str = "vault.db";

/// The database page size in bytes (SQLCipher's `cipher_page_size`).
pub const PAGE_SIZE: usize = 16_384;

/// One schema change, keyed by `<table module>/<number>_<what>` and kept in the module of the
/// table it changes.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// A unique, never-reused key, such as `records/0001_create`.
    pub key: &'static str,
    /// The SQL that makes the change.
    pub sql: &'static str,
}

/// Every migration in the order it must be applied. Tables referenced by foreign keys come first.
pub fn migrations() -> impl Iterator<Item = &'static Migration> {
    crate::records::MIGRATIONS
        .iter()
        .chain(crate::links::MIGRATIONS)
        .chain(crate::audit::MIGRATIONS)
        .chain(crate::vocab::MIGRATIONS)
}

/// Opens (creating, if `create`) the database at `path` with the raw 256-bit `key`, sets the
/// vault's pragmas and checks that the key reads the first page.
///
/// The key has already been authenticated by the key header, so a database that fails to read
/// here is damaged, not locked with another key: that is reported as [`Error::CorruptDatabase`].
pub fn open(path: &Path, key: &Zeroizing<[u8; 32]>, create: bool) -> Result<Connection> {
    let flags = if create {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        if !path.is_file() {
            return Err(Error::CorruptDatabase);
        }
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher would otherwise print "hmac check failed" on stderr for a damaged page; the
    // error is reported through the API instead. Memory security (SQLCipher wipes what it frees
    // and mlocks every SQLite allocation, the page cache included, up to RLIMIT_MEMLOCK) is
    // worth it: a swap partition on a seized laptop must not hold decrypted pages. It costs a
    // syscall pair per allocation, so hot paths must not allocate per row (records/0003, QPSG).
    conn.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA cipher_memory_security = ON;")?;

    let mut pragma = Zeroizing::new(String::with_capacity(80));
    pragma.push_str("PRAGMA key = \"x'");
    for b in key.iter() {
        pragma.push(hex_digit(b >> 4));
        pragma.push(hex_digit(b & 0x0f));
    }
    pragma.push_str("'\";");
    conn.execute_batch(&pragma)?;
    drop(pragma);
    // 16 KiB pages: every page costs one AES and one HMAC call, and records with Urdu narratives
    // are large, so fewer, larger pages are faster to write and to page through. Not stored in
    // the (encrypted) file: every open must set it, which is why only this function opens.
    conn.execute_batch(&format!("PRAGMA cipher_page_size = {PAGE_SIZE};"))?;

    configure(&conn)?;
    Ok(conn)
}

/// Opens a database of the same schema with no encryption at all, as the baseline that
/// benchmarks compare SQLCipher against. Only built with the `bench-baseline` feature.
#[cfg(feature = "bench-baseline")]
pub fn open_unencrypted_baseline(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE};"))?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // The first statement that reads the file is where a wrong key or a damaged first page
    // shows up, so it is checked on its own.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(
        |e| match Error::from(e) {
            Error::Database(_) => Error::CorruptDatabase,
            other => other,
        },
    )?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -32768;",
    )?;
    Ok(())
}

/// Applies every migration not yet recorded in `schema_migrations`, in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            key TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL
        ) STRICT;",
    )?;
    for m in migrations() {
        let done: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE key = ?1)", [m.key], |r| r.get(0))?;
        if !done {
            tx.execute_batch(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (key, applied_at) VALUES (?1, ?2)",
                (m.key, crate::date::now_utc()),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn hex_digit(n: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_keys_are_unique_and_prefixed_by_their_module() {
        let mut seen = std::collections::HashSet::new();
        for m in migrations() {
            assert!(seen.insert(m.key), "duplicate migration key {}", m.key);
            assert!(m.key.contains('/'), "{} lacks its module prefix", m.key);
        }
    }
}
