//! The `vault_identity` table (one row: the vault's identity seed, wrapped) and the `contacts`
//! table (the people bundles are sealed to: a name, an age recipient, an optional signing key).
//!
//! The seed is random and wrapped under a key derived from the master key
//! (`KeyPurpose::IdentitySeed`), like an evidence blob's key: a key rotation re-wraps it
//! ([`rewrap`]) so the vault's public keys, which contacts have saved, stay the same; destroying
//! the key header still destroys it.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::db::Migration;
use crate::error::{Error, Result};
use crate::keys::{unwrap_identity_seed, wrap_identity_seed};
use crate::vault::Contact;

/// Schema changes of the `vault_identity` table.
pub const IDENTITY_MIGRATIONS: &[Migration] = &[Migration {
    order: 11,
    key: "identity/0001_create",
    sql: "CREATE TABLE vault_identity (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              wrapped_seed BLOB NOT NULL,
              created_at TEXT NOT NULL
          ) STRICT;",
}];

/// Schema changes of the `contacts` table.
pub const CONTACT_MIGRATIONS: &[Migration] = &[Migration {
    order: 12,
    key: "contacts/0001_create",
    sql: "CREATE TABLE contacts (
              id TEXT PRIMARY KEY NOT NULL,
              name TEXT NOT NULL UNIQUE,
              age_recipient TEXT NOT NULL,
              signing_key TEXT,
              added_at TEXT NOT NULL
          ) STRICT;",
}];

/// The wrapped seed and when it was made, if the vault has an identity yet.
pub(crate) fn seed(conn: &Connection) -> Result<Option<(Vec<u8>, String)>> {
    Ok(conn
        .prepare_cached("SELECT wrapped_seed, created_at FROM vault_identity WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Stores the vault's first identity seed, wrapped.
pub(crate) fn insert_seed(conn: &Connection, wrapped: &[u8], created_at: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO vault_identity (id, wrapped_seed, created_at) VALUES (1, ?1, ?2)")?
        .execute((wrapped, created_at))?;
    Ok(())
}

/// Re-wraps the identity seed in the database attached as `schema` from the key-wrapping key
/// `old` to `new` (what a key rotation does, in its copy).
pub(crate) fn rewrap(conn: &Connection, schema: &str, old: &[u8; 32], new: &[u8; 32]) -> Result<()> {
    let wrapped: Option<Vec<u8>> = conn
        .query_row(&format!("SELECT wrapped_seed FROM {schema}.vault_identity WHERE id = 1"), [], |r| r.get(0))
        .optional()?;
    if let Some(wrapped) = wrapped {
        let seed = unwrap_identity_seed(old, &wrapped)?;
        let rewrapped = wrap_identity_seed(new, &seed)?;
        if conn.execute(&format!("UPDATE {schema}.vault_identity SET wrapped_seed = ?1 WHERE id = 1"), [rewrapped])?
            != 1
        {
            return Err(Error::CorruptDatabase);
        }
    }
    Ok(())
}

fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        name: r.get(1)?,
        age_recipient: r.get(2)?,
        signing_key: r.get(3)?,
        fingerprint: None,
        added_at: r.get(4)?,
    })
}

const CONTACT_COLUMNS: &str = "id, name, age_recipient, signing_key, added_at";

/// Adds a contact.
pub(crate) fn insert_contact(conn: &Connection, c: &Contact) -> Result<()> {
    conn.prepare_cached(&format!("INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"))?
        .execute((&c.id, &c.name, &c.age_recipient, &c.signing_key, &c.added_at))?;
    Ok(())
}

/// Every contact, by name.
pub(crate) fn contacts(conn: &Connection) -> Result<Vec<Contact>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY name, id"))?
        .query_map([], contact_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The contact whose id or name is `key`.
pub(crate) fn contact(conn: &Connection, key: &str) -> Result<Option<Contact>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1 OR name = ?1"))?
        .query_row([key], contact_from_row)
        .optional()?)
}

/// Removes the contact `id`.
pub(crate) fn delete_contact(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM contacts WHERE id = ?1")?.execute([id])?;
    Ok(())
}
