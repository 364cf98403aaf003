//! The Gawahi vault.
//!
//! A vault is one directory holding an encrypted SQLite (SQLCipher) database, a small key header
//! and, later, encrypted evidence blobs. This crate owns everything that touches that directory.
//! It knows nothing of Tauri or of any user interface: the CLI and the desktop shell are thin
//! adapters over [`Vault`]. Both call [`process::harden`] first, which keeps other processes and
//! core dumps away from their memory.
//!
//! The code map (each folder's module documentation says more):
//!
//! - `crypto/`: the passphrase KDF, the key hierarchy and the key header. No SQL.
//! - `store/`: the encrypted database (`db::open`, the one place that keys it, and the globally
//!   ordered migrations) and its tables, each module owning its table and migrations: records,
//!   links, the audit log, vocabularies.
//! - `model/`: the record kinds by family, dates, and validation through the [`model::Lookup`]
//!   trait. No SQL.
//! - `vault/`: [`Vault`], one `impl Vault` file per concern (opening, passphrases and key
//!   rotation, records, links, import and export, integrity check, vocabularies, read models).
//! - `export.rs`: what leaves the vault in plaintext, and what an anonymised export keeps.
//! - `evidence/`: the evidence locker's types, metadata validation and content sniffing; the blob
//!   format is `crypto/stream.rs`, the tables `store/evidence.rs` and `store/custody.rs`.
//! - `bundle/`: sealed bundles (format, writer, streaming reader and verifier); their `impl
//!   Vault` side is `vault/bundle.rs`, the vault's keys and contacts `vault/identity.rs`.
//! - `search/`: the normalisation shared by the full-text index and queries, filters, facets,
//!   statistics and saved searches; the index's tables are `store/search.rs`, its `impl Vault`
//!   side `vault/search.rs`.
//! - `text.rs`: the one rule for the invisible and bidirectional characters that disguise a
//!   title or a file name, which the CLI escapes and the window marks (generated into TypeScript).
//! - Next: `safety/` (wipe, duress, recovery shares).
//!
//! Secrets are typed: passphrases are [`secrecy::SecretString`], keys live in [`zeroize`]d
//! buffers, and no function in this crate logs or returns record contents in an error.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
mod crypto;
pub mod error;
pub mod evidence;
pub mod export;
pub mod files;
pub mod model;
pub mod process;
pub mod report;
pub mod search;
mod store;
#[cfg(feature = "synth")]
pub mod synth;
pub mod text;
pub mod vault;

// The modules below live in the folders above; these are the paths the CLI, the app and the
// tests use, so moving a file inside a folder does not move the public API.
pub(crate) use crypto::keys;
/// The evidence blob format's reader and writer, for the fuzz targets (fuzz/) and the tests; what
/// ships reads blobs only through the vault.
#[cfg(feature = "test-hooks")]
pub use crypto::stream;
pub use crypto::{header, kdf, shares};
pub use model::date;
pub use store::{audit, db, links, records, vocab};
pub use vault::views;

pub use error::{Error, ErrorCode, Result};
pub use model::Kind;
pub use secrecy::SecretString;
pub use vault::Vault;
