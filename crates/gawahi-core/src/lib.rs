//! The Gawahi vault.
//!
//! A vault is one directory holding an encrypted SQLite (SQLCipher) database, a small key header
//! and, later, encrypted evidence blobs. This crate owns everything that touches that directory:
//! the key hierarchy ([`header`], [`keys`]), the database ([`db`]), the record model
//! ([`model`]), the hash-chained audit log ([`audit`]), the shipped vocabularies ([`vocab`]) and
//! the [`Vault`] that ties them together. It knows nothing of Tauri or of any user interface: the
//! CLI and the desktop shell are thin adapters over [`Vault`]. Both call [`process::harden`]
//! first, which keeps other processes and core dumps away from their memory.
//!
//! Secrets are typed: passphrases are [`secrecy::SecretString`], keys live in [`zeroize`]d
//! buffers, and no function in this crate logs or returns record contents in an error.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
pub mod date;
pub mod db;
pub mod error;
pub mod export;
pub mod header;
pub mod kdf;
pub mod keys;
pub mod links;
pub mod model;
pub mod process;
pub mod records;
#[cfg(feature = "synth")]
pub mod synth;
pub mod vault;
pub mod views;
pub mod vocab;

pub use error::{Error, ErrorCode, Result};
pub use model::Kind;
pub use secrecy::SecretString;
pub use vault::Vault;
