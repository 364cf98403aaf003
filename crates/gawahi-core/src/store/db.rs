//! The encrypted database: opening it with its key, and applying migrations.
//!
//! Architecture invariant: this module is the only place that sets a SQLCipher key: [`open`] for
//! every connection to a vault database, so every connection gets the same pragmas, and
//! [`export_rekeyed`] for the new database a key rotation writes.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::header::DB_SALT_LEN;

/// The database's file name inside a vault directory.
pub const FILE_NAME: &str = crate::files::OWN.database;

/// The database page size in bytes (SQLCipher's `cipher_page_size`).
pub const PAGE_SIZE: usize = 16_384;

/// One schema change, keyed by `<table module>/<number>_<what>` and kept in the module of the
/// table it changes, with its place in the one global order every vault applies them in.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its place in the global order: 1, 2, 3… across every table, each number used once. A new
    /// migration takes the next number, whatever table it changes.
    pub order: u32,
    /// A unique, never-reused key, such as `records/0001_create`.
    pub key: &'static str,
    /// The SQL that makes the change.
    pub sql: &'static str,
}

/// Every migration, in the global order they are applied in.
pub fn migrations() -> impl Iterator<Item = &'static Migration> {
    let mut all: Vec<&'static Migration> = crate::records::MIGRATIONS
        .iter()
        .chain(crate::links::MIGRATIONS)
        .chain(crate::audit::MIGRATIONS)
        .chain(crate::vocab::MIGRATIONS)
        .chain(crate::store::evidence::MIGRATIONS)
        .chain(crate::store::custody::MIGRATIONS)
        .chain(crate::store::drafts::MIGRATIONS)
        .chain(crate::store::identity::IDENTITY_MIGRATIONS)
        .chain(crate::store::identity::CONTACT_MIGRATIONS)
        .chain(crate::store::search::MIGRATIONS)
        .collect();
    all.sort_by_key(|m| m.order);
    all.into_iter()
}

/// Whether the database records migrations this build does not know: it was made or opened by
/// a newer Gawahi, whose tables this build might misread or break. Such a vault is refused before
/// anything is written to it.
pub(crate) fn has_unknown_migrations(conn: &Connection) -> Result<bool> {
    let table: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |r| r.get(0),
    )?;
    if !table {
        return Ok(false);
    }
    let known: std::collections::HashSet<&str> = migrations().map(|m| m.key).collect();
    let applied: Vec<String> = conn
        .prepare("SELECT key FROM schema_migrations")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(applied.iter().any(|k| !known.contains(k.as_str())))
}

/// How a database is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A new database: the file must not exist, and is created readable only by its owner.
    Create,
    /// An existing database, for reading and writing.
    ReadWrite,
    /// An existing database on storage that cannot be written (read-only media, a full disk):
    /// opened immutable, so SQLite writes nothing at all, not even its lock and index files.
    ReadOnly,
}

/// Looks at the database file before anything is decrypted, telling a missing, emptied or cut-off
/// file apart, and returns its first 16 bytes: SQLCipher's random per-file salt, which the key
/// header records so that a database swapped in from elsewhere is recognised (see
/// [`crate::header`]).
pub fn inspect(path: &Path) -> Result<[u8; DB_SALT_LEN]> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::DatabaseMissing),
        Err(e) => return Err(Error::io("read", path)(e)),
    };
    if !meta.is_file() {
        return Err(Error::DatabaseForeign);
    }
    if meta.len() == 0 {
        return Err(Error::DatabaseEmpty);
    }
    // A vault's database is whole pages: the header is written only after the first checkpoint
    // has put page 1 in the file, and SQLite only ever writes whole pages.
    // (Unless the write-ahead log holds changes: a power cut during a checkpoint may leave a
    // page half extended, which SQLite recovers from the log.)
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_has_changes = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    if meta.len() < PAGE_SIZE as u64 || (meta.len() % PAGE_SIZE as u64 != 0 && !wal_has_changes) {
        return Err(Error::DatabaseTruncated);
    }
    let mut salt = [0u8; DB_SALT_LEN];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut salt)).map_err(Error::io("read", path))?;
    Ok(salt)
}

/// Opens the database at `path` with the raw 256-bit `key`, sets the vault's pragmas and checks
/// that the key reads the first page. A new database's pages carry [`PageMac::NEWEST`]; an
/// existing one is read with the MAC its pages carry.
///
/// The key has already been authenticated by the key header, and [`inspect`] has matched the
/// file to the header, so a database that fails to read here is damaged, not locked with another
/// key: that is reported as [`Error::CorruptDatabase`].
pub fn open(path: &Path, key: &Zeroizing<[u8; 32]>, access: Access) -> Result<Connection> {
    open_with(path, key, access, PageMac::NEWEST)
}

/// [`open`] with [`Access::Create`], for a database whose pages carry `mac`: a database made for
/// a vault an older build can still open carries the MAC that build reads
/// ([`crate::header::KeyHeader::new_database_mac`]).
pub fn create(path: &Path, key: &Zeroizing<[u8; 32]>, mac: PageMac) -> Result<Connection> {
    open_with(path, key, Access::Create, mac)
}

fn open_with(path: &Path, key: &Zeroizing<[u8; 32]>, access: Access, new_mac: PageMac) -> Result<Connection> {
    // SQLite is built to read a file name that starts with `file:` as a URI: a relative vault
    // path `file:V` would open `V/vault.db`. An absolute path never starts that way.
    let absolute = std::path::absolute(path).map_err(Error::io("find", path))?;
    let path = absolute.as_path();
    let new_macs = [new_mac];
    let macs: &[PageMac] = if access == Access::Create {
        create_private(path)?;
        &new_macs
    } else {
        // Which MAC the pages carry is not recorded (see `PageMac`): the one under which the
        // first page reads is the database's.
        &PageMac::ALL
    };
    for (i, &mac) in macs.iter().enumerate() {
        let conn = connect(path, access)?;
        set_key(&conn, key, mac)?;
        if i + 1 < macs.len() {
            // A try whose first page fails its MAC is closed without folding the write-ahead log
            // into the database (which would be harmless, the log's pages being encrypted as
            // they are, but is the next connection's to do). Opening it may have rebuilt the
            // log's index (`-shm`), as any opening does. Any other failure is the answer.
            conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
            match read_first_page(&conn) {
                Err(Error::CorruptDatabase) => continue,
                Err(e) => return Err(e),
                Ok(()) => {}
            }
            conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        }
        configure(&conn, access)?;
        keep_statements(&conn);
        return Ok(conn);
    }
    Err(Error::Bug("a page MAC to try"))
}

/// Reads the first page of `conn`'s database: where a wrong key or a damaged first page shows
/// up. SQLCipher reports a page whose MAC fails as "not a database" ([`Error::CorruptDatabase`]);
/// a busy database, a full disk or read-only media keep their own errors.
///
/// Page 1 opened (its MAC held), a "corrupt" is SQLite finding the size page 1 records larger
/// than the file: the file was cut at a page boundary, the usual shape of an interrupted copy.
fn read_first_page(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        match e.sqlite_error_code() {
            Some(rusqlite::ffi::ErrorCode::DatabaseCorrupt) => Error::DatabaseTruncated,
            _ => Error::from(e),
        }
    })?;
    Ok(())
}

/// A connection to the database file at `path` (absolute), not yet keyed.
fn connect(path: &Path, access: Access) -> Result<Connection> {
    let read_write = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Ok(match access {
        Access::Create | Access::ReadWrite => Connection::open_with_flags(path, read_write)?,
        Access::ReadOnly => Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
    })
}

/// How SQLCipher authenticates each page of a database: an HMAC over the page's ciphertext and
/// IV, under a key derived from the database key, checked on every page read from the disk and
/// computed on every page written.
///
/// Which one a database uses is not written in it: [`open`] tries each, newest first, and the
/// one whose MAC holds on the first page is the database's. A wrong choice fails that page's MAC
/// exactly as a wrong key would, and the key has already been proved by the key header, so a
/// database that reads under neither is damaged ([`Error::CorruptDatabase`]). A vault whose
/// header is in format 3 may hold SHA-256 databases; one in an older format holds only SHA-512
/// ones ([`crate::header`]), so a build that reads only those never meets one it cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageMac {
    /// HMAC-SHA256, written since 2026-12-02: new vaults, key rotations, and decoys in vaults
    /// whose header is in format 3. SHA-256 is the hash this machine's CPUs compute in hardware
    /// (SHA extensions): `openssl speed` gives 1.6 GB/s against SHA-512's 0.73 GB/s, so a 16 KiB
    /// page is authenticated in about 10 µs rather than 22 µs, and a page read cold from the disk
    /// is most of that cost (README, "What the misses are made of"). The tag is 32 bytes: forging
    /// a page still means breaking HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512, SQLCipher 4's default, which every vault made before used (and a format-2
    /// vault's new decoy still does): still read, and replaced by [`PageMac::Sha256`] at the
    /// vault's next key rotation (which re-encrypts every page anyway).
    Sha512,
}

impl PageMac {
    /// The MAC new databases are written with.
    pub const NEWEST: Self = Self::Sha256;
    /// Every MAC a database may carry, in the order [`open`] tries them.
    const ALL: [Self; 2] = [Self::Sha256, Self::Sha512];

    /// The name SQLCipher's `cipher_hmac_algorithm` pragma takes and reports.
    fn pragma_name(self) -> &'static str {
        match self {
            Self::Sha256 => "HMAC_SHA256",
            Self::Sha512 => "HMAC_SHA512",
        }
    }
}

/// The MAC `conn`'s main database pages carry.
pub fn page_mac(conn: &Connection) -> Result<PageMac> {
    let name: String = conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?;
    PageMac::ALL.into_iter().find(|m| m.pragma_name() == name).ok_or(Error::Bug("an unknown page MAC"))
}

/// Sets memory security and the key, page size and page MAC of `conn`'s main database, before
/// anything is read.
fn set_key(conn: &Connection, key: &Zeroizing<[u8; 32]>, mac: PageMac) -> Result<()> {
    // SQLCipher would otherwise print "hmac check failed" on stderr for a damaged page; the
    // error is reported through the API instead. Memory security makes SQLCipher wipe every
    // allocation SQLite frees (the decrypted page cache included, when the vault locks and its
    // connection closes), so record text does not stay behind in a running process's free
    // memory. SQLCipher is built without its page locking (OMIT_MEMLOCK, .cargo/config.toml says
    // why), so nothing here is kept out of swap. Each free is a wipe of the whole block, so hot
    // paths must not allocate per row (records/0003, QPSG).
    conn.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA cipher_memory_security = ON;")?;
    // The page size and MAC are not stored in the (encrypted) file, so every open must set them
    // with the key, which is why only this module keys databases.
    let mut pragma = Zeroizing::new(String::with_capacity(96));
    pragma.push_str("PRAGMA key = \"");
    pragma.push_str(&raw_key(key));
    pragma.push_str("\";");
    conn.execute_batch(&pragma)?;
    drop(pragma);
    // 16 KiB pages: every page costs one AES and one HMAC call, and records with Urdu narratives
    // are large, so fewer, larger pages are faster to write and to page through.
    conn.execute_batch(&format!(
        "PRAGMA cipher_page_size = {PAGE_SIZE}; PRAGMA cipher_hmac_algorithm = {};",
        mac.pragma_name()
    ))?;
    Ok(())
}

/// A raw key as SQLCipher reads it (`x'…'`, 64 hex digits): used as is, with no key derivation.
fn raw_key(key: &Zeroizing<[u8; 32]>) -> Zeroizing<String> {
    let mut s = Zeroizing::new(String::with_capacity(67));
    s.push_str("x'");
    for b in key.iter() {
        s.push(hex_digit(b >> 4));
        s.push(hex_digit(b & 0x0f));
    }
    s.push('\'');
    s
}

/// The salt SQLCipher uses for the database attached as `schema` (for a new database, the one
/// it has just chosen): the first 16 bytes the file will have.
pub(crate) fn salt(conn: &Connection, schema: &str) -> Result<[u8; DB_SALT_LEN]> {
    let hex: String = conn.query_row(&format!("PRAGMA {schema}.cipher_salt"), [], |r| r.get(0))?;
    let mut salt = [0u8; DB_SALT_LEN];
    if hex.len() != DB_SALT_LEN * 2 {
        return Err(Error::CorruptDatabase);
    }
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).map_err(|_| Error::CorruptDatabase)?;
    }
    Ok(salt)
}

/// Moves everything in the write-ahead log into the database file and empties the log, so the
/// file on its own is the whole database.
pub(crate) fn checkpoint(conn: &Connection) -> Result<()> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err(Error::Busy);
    }
    Ok(())
}

/// How long a statement waits for another connection's lock before it fails with `busy`.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// After a change that took text out (a record deleted or edited, an evidence item deleted):
/// moves the write-ahead log into the database file and empties the log when nobody else is
/// reading, so the log's older frames, which still hold the removed text, are gone from the
/// disk, and the database file's copies of those pages are the ones `secure_delete` zeroed.
/// Best effort and without waiting: another program reading the vault keeps the log until a
/// later change or the last close checkpoints it, and the change itself has been committed.
pub(crate) fn checkpoint_if_idle(conn: &Connection) {
    if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
        return;
    }
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
}

/// Copies the whole database into a new file at `dest`, encrypted under `key`, then calls
/// `finish` with the new file's salt while it is still attached as `rekeyed` (to add what belongs
/// to the new database only), and returns what `finish` returned. `progress` is told how far the
/// copy has got (0 to 1), judged by the new file's size against the old one's. The new file is
/// synced before this returns.
///
/// This is the key rotation's heavy step: SQLCipher's own `sqlcipher_export` re-encrypts every
/// page; nothing is decrypted to disk (the attached database is keyed before anything is
/// written to it). The new database's pages carry [`PageMac::NEWEST`], whatever the old one's did.
pub(crate) fn export_rekeyed<T>(
    conn: &mut Connection,
    source: &Path,
    dest: &Path,
    key: &Zeroizing<[u8; 32]>,
    mut progress: impl FnMut(f64) + Send + 'static,
    finish: impl FnOnce(&Connection, [u8; DB_SALT_LEN]) -> Result<T>,
) -> Result<T> {
    let total = std::fs::metadata(source).map_or(1, |m| m.len().max(1)) as f64;
    let watched = dest.to_owned();
    let dest = &std::path::absolute(dest).map_err(Error::io("find", dest))?;
    // The connection may not create files; the new one is made here, empty and 0600, as for a
    // new vault. It is attached by URI, which carries any bytes of the path (not only UTF-8).
    create_private(dest)?;
    conn.execute("ATTACH DATABASE ?1 AS rekeyed KEY ?2", (file_uri(dest, ""), raw_key(key).as_str()))?;
    let copied = (|| -> Result<T> {
        conn.execute_batch(&format!(
            "PRAGMA rekeyed.cipher_page_size = {PAGE_SIZE};
             PRAGMA rekeyed.cipher_hmac_algorithm = {};
             PRAGMA rekeyed.synchronous = FULL;
             PRAGMA rekeyed.cache_size = -2048;",
            PageMac::NEWEST.pragma_name()
        ))?;
        let mut reported = 0.0;
        conn.progress_handler(
            1_000,
            Some(move || {
                let done = std::fs::metadata(&watched).map_or(0, |m| m.len()) as f64;
                let fraction = (done / total).min(0.99);
                // Told only when it has moved on by a percent: a progress bar needs no more.
                if fraction >= reported + 0.01 {
                    reported = fraction;
                    progress(fraction);
                }
                false
            }),
        )?;
        // Rows go in table by table; a hearing could be copied before its case only if ids
        // were imported out of order, so foreign keys are checked once, after the copy, below.
        conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
        let exported = conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()));
        conn.progress_handler(0, None::<fn() -> bool>)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        // `sqlcipher_export` runs its copies as nested statements and reports their failure as a
        // generic error carrying SQLite's own text; a full disk while copying the search index's
        // tables arrives that way. SQLite's fixed description (never data) tells it apart.
        exported.map_err(|e| match &e {
            rusqlite::Error::SqliteFailure(_, Some(m)) if m.contains("database or disk is full") => Error::DiskFull,
            _ => Error::from(e),
        })?;
        let dangling: i64 =
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check('records', 'rekeyed')", [], |r| r.get(0))?;
        if dangling != 0 {
            return Err(Error::CorruptDatabase);
        }
        let salt = salt(conn, "rekeyed")?;
        finish(conn, salt)
    })();
    let detached = conn.execute_batch("DETACH DATABASE rekeyed;");
    let finished = copied?;
    detached?;
    std::fs::File::open(dest).and_then(|f| f.sync_all()).map_err(Error::io("sync", dest))?;
    Ok(finished)
}

/// Makes an empty file readable only by its owner, for SQLite to fill: SQLite gives its journal
/// files the database's permissions, so nothing it writes is readable by others.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::VaultExists(path.to_owned()),
        _ => Error::io("create", path)(e),
    })
}

fn immutable_uri(path: &Path) -> String {
    file_uri(path, "?immutable=1")
}

/// `path` as a SQLite URI with `query` after it. SQLite's URI syntax: `%` escapes, `?` starts the
/// query and `#` a fragment, so everything but unreserved characters and `/` is percent-encoded.
fn file_uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(char::from(*b)),
            _ => {
                uri.push('%');
                uri.push(hex_digit(b >> 4));
                uri.push(hex_digit(b & 0x0f));
            }
        }
    }
    uri.push_str(query);
    uri
}

/// Opens a database of the same schema with no encryption at all, as the baseline that
/// benchmarks compare SQLCipher against. Only built with the `bench-baseline` feature.
#[cfg(feature = "bench-baseline")]
pub fn open_unencrypted_baseline(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE};"))?;
    configure(&conn, Access::ReadWrite)?;
    keep_statements(&conn);
    Ok(conn)
}

/// How many prepared statements a connection keeps. A record's insert alone runs about twenty
/// (the record, its count, its audit entry, validation's vocabulary lookups, the search index's
/// document, text and facets); with rusqlite's default of 16 they pushed each other out of the
/// cache and every insert parsed its SQL again.
const STATEMENT_CACHE: usize = 128;

fn keep_statements(conn: &Connection) {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
}

fn configure(conn: &Connection, access: Access) -> Result<()> {
    // The first statement that reads the file is where a wrong key or a damaged first page
    // shows up, so it is checked on its own.
    read_first_page(conn)?;
    // The search index's list of words, for a search to learn which words a typed prefix
    // begins (see `vault::search::last_word`): FTS5's read-only view of the index, made per
    // connection in the temporary schema (it stores nothing), before a read-only connection is
    // made query-only.
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search_fts, row);",
    )?;
    if access == Access::ReadOnly {
        conn.execute_batch(
            "PRAGMA query_only = ON;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -32768;",
        )?;
        return Ok(());
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -32768;",
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
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
    let mut build_search_index = false;
    for m in migrations() {
        let done: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE key = ?1)", [m.key], |r| r.get(0))?;
        if !done {
            tx.execute_batch(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (key, applied_at) VALUES (?1, ?2)",
                (m.key, crate::date::now_utc()),
            )?;
            build_search_index |= crate::store::search::CREATE_KEYS.contains(&m.key);
        }
    }
    // The index of the records a vault already holds is built with its table, in the same
    // transaction: no vault is ever open with a table but not its index. It is built after the
    // last migration, not right after its table's: the indexer reads rows as this build's schema
    // has them (evidence's `capture` column, order 15, comes after the index's table, order 13).
    if build_search_index {
        crate::store::search::rebuild(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

/// Whether the database lacks migrations this build would apply (so it cannot be read as is).
pub(crate) fn pending_migrations(conn: &Connection) -> Result<bool> {
    let table: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |r| r.get(0),
    )?;
    if !table {
        return Ok(true);
    }
    for m in migrations() {
        let done: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE key = ?1)", [m.key], |r| r.get(0))?;
        if !done {
            return Ok(true);
        }
    }
    Ok(false)
}

fn hex_digit(n: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> Zeroizing<[u8; 32]> {
        Zeroizing::new([byte; 32])
    }

    /// A database written the way every vault before 2026-12-02 was: SQLCipher 4's HMAC-SHA512.
    /// Its table is called `records` because a key rotation checks that table's foreign keys.
    fn sha512_database(path: &Path, key: &Zeroizing<[u8; 32]>) {
        create_private(path).expect("create");
        let conn = connect(path, Access::Create).expect("connect");
        set_key(&conn, key, PageMac::Sha512).expect("key");
        configure(&conn, Access::Create).expect("configure");
        conn.execute_batch("CREATE TABLE records (x TEXT); INSERT INTO records VALUES ('kept');").expect("write");
        assert_eq!(page_mac(&conn).expect("mac"), PageMac::Sha512);
    }

    fn read(conn: &Connection) -> String {
        conn.query_row("SELECT x FROM records", [], |r| r.get(0)).expect("read")
    }

    #[test]
    fn a_new_database_carries_sha256_page_macs_that_sha512_cannot_read() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("v.db");
        let conn = open(&path, &key(1), Access::Create).expect("create");
        conn.execute_batch("CREATE TABLE records (x TEXT); INSERT INTO records VALUES ('new');").expect("write");
        assert_eq!(page_mac(&conn).expect("mac"), PageMac::Sha256);
        drop(conn);
        for access in [Access::ReadWrite, Access::ReadOnly] {
            let conn = open(&path, &key(1), access).expect("open");
            assert_eq!((page_mac(&conn).expect("mac"), read(&conn).as_str()), (PageMac::Sha256, "new"));
        }
        // Read as SHA-512 pages, the first page's MAC fails: the choice is real, not ignored.
        let other = connect(&path, Access::ReadWrite).expect("connect");
        set_key(&other, &key(1), PageMac::Sha512).expect("key");
        assert!(
            matches!(read_first_page(&other), Err(Error::CorruptDatabase)),
            "SHA-512 does not read a SHA-256 database"
        );
    }

    #[test]
    fn an_existing_sha512_database_opens_as_it_is_written() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("v.db");
        sha512_database(&path, &key(2));
        let before = std::fs::read(&path).expect("bytes");
        for access in [Access::ReadOnly, Access::ReadWrite] {
            let conn = open(&path, &key(2), access).expect("open");
            assert_eq!((page_mac(&conn).expect("mac"), read(&conn).as_str()), (PageMac::Sha512, "kept"));
        }
        assert_eq!(std::fs::read(&path).expect("bytes"), before, "trying SHA-256 first changed nothing");
    }

    #[test]
    fn fail_a_sha512_database_left_with_a_write_ahead_log_by_a_crash_opens_whole() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("v.db");
        sha512_database(&path, &key(6));
        let conn = open(&path, &key(6), Access::ReadWrite).expect("open");
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; INSERT INTO records VALUES ('in the log only');")
            .expect("write");
        // What a kill -9 leaves: the database and its log as they are while the connection lives.
        let crashed = tmp.path().join("crashed");
        std::fs::create_dir(&crashed).expect("mkdir");
        for name in ["v.db", "v.db-wal"] {
            std::fs::copy(tmp.path().join(name), crashed.join(name)).expect("copy");
        }
        drop(conn);
        let wal = std::fs::metadata(crashed.join("v.db-wal")).expect("log").len();
        assert!(wal > 0, "the change is in the log, not the database");
        // The first try (SHA-256) fails the first page's MAC and is closed; nothing is lost, at
        // this open or the next, which finds what the first left.
        for _ in 0..2 {
            let conn = open(&crashed.join("v.db"), &key(6), Access::ReadWrite).expect("open after the crash");
            let rows: Vec<String> = conn
                .prepare("SELECT x FROM records ORDER BY rowid")
                .expect("prepare")
                .query_map([], |r| r.get(0))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
            assert_eq!(rows, ["kept", "in the log only"]);
            assert_eq!(page_mac(&conn).expect("mac"), PageMac::Sha512);
        }
    }

    #[test]
    fn a_key_rotation_writes_sha256_pages_whatever_the_old_database_carried() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (old, new) = (tmp.path().join("old.db"), tmp.path().join("new.db"));
        sha512_database(&old, &key(3));
        let mut conn = open(&old, &key(3), Access::ReadWrite).expect("open");
        export_rekeyed(&mut conn, &old, &new, &key(4), |_| {}, |_, _| Ok(())).expect("export");
        drop(conn);
        let conn = open(&new, &key(4), Access::ReadWrite).expect("open the new");
        assert_eq!((page_mac(&conn).expect("mac"), read(&conn).as_str()), (PageMac::Sha256, "kept"));
    }

    #[test]
    fn fail_a_first_page_that_fails_under_every_mac_is_damaged() {
        for mac in PageMac::ALL {
            let tmp = tempfile::tempdir().expect("tmp");
            let path = tmp.path().join("v.db");
            if mac == PageMac::Sha512 {
                sha512_database(&path, &key(5));
            } else {
                open(&path, &key(5), Access::Create)
                    .expect("create")
                    .execute_batch("CREATE TABLE records (x TEXT);")
                    .expect("write");
            }
            let conn = open(&path, &key(5), Access::ReadWrite).expect("open");
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
            drop(conn);
            let mut bytes = std::fs::read(&path).expect("bytes");
            bytes[DB_SALT_LEN + 40] ^= 0x01;
            std::fs::write(&path, &bytes).expect("write");
            for access in [Access::ReadWrite, Access::ReadOnly] {
                let err = open(&path, &key(5), access).expect_err("damaged");
                assert!(matches!(err, Error::CorruptDatabase), "{mac:?} {access:?}: {err:?}");
            }
        }
    }

    #[test]
    fn immutable_uris_escape_what_sqlite_would_read_as_syntax() {
        assert_eq!(immutable_uri(Path::new("/v/a b?c#d%e")), "file:/v/a%20b%3fc%23d%25e?immutable=1");
    }

    #[test]
    fn migrations_have_one_global_order_without_gaps() {
        let orders: Vec<u32> = migrations().map(|m| m.order).collect();
        let expected: Vec<u32> = (1..=orders.len() as u32).collect();
        assert_eq!(orders, expected, "orders are 1, 2, 3… each once");
    }

    #[test]
    fn migration_keys_are_unique_and_prefixed_by_their_module() {
        let mut seen = std::collections::HashSet::new();
        for m in migrations() {
            assert!(seen.insert(m.key), "duplicate migration key {}", m.key);
            assert!(m.key.contains('/'), "{} lacks its module prefix", m.key);
        }
    }
}
