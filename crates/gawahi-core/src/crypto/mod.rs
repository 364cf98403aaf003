//! Keys and the key header: the passphrase KDF ([`kdf`]), the master key and the keys derived from
//! it ([`keys`]), and `vault.header`, which wraps the master key under each passphrase
//! ([`header`]), and recovery shares of the master key ([`shares`]). Nothing here touches the database: a key leaves this module only as the bytes the
//! store keys SQLCipher with, and a header only as the bytes written to its file.

pub mod header;
pub mod kdf;
pub mod keys;
pub mod shares;
pub mod stream;
