//! The key hierarchy below the master key.
//!
//! A vault has one random 256-bit master key. It never touches disk in the clear: the key header
//! stores it wrapped by the passphrase's key. Every working key (the database key, the evidence
//! blobs' key-wrapping key, the identity seed's key-wrapping key) is derived from it with
//! HKDF-SHA256 and a purpose label, so destroying the header shreds them all at once.

use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The vault's master key. Zeroized on drop.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

/// What a derived key is for. Each purpose has its own HKDF label, so keys never repeat across
/// purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// The raw SQLCipher key of `vault.db`.
    Database,
    /// The key that encrypts evidence blobs.
    Blobs,
    /// The key that wraps the vault's identity seed (from which its Ed25519 signing key and its
    /// age X25519 identity derive). The seed is random and stored wrapped, not derived from the
    /// master key itself, so that a key rotation keeps the identity contacts know (it re-wraps
    /// the seed) while destroying the header still destroys it.
    IdentitySeed,
    /// The HMAC key that turns record ids into the pseudonyms of an anonymised export. Derived
    /// from the master key, never stored: the same vault gives the same pseudonyms run after run
    /// (so a network can update what it published), nobody without the vault's key can link a
    /// pseudonym back to a record, and a key rotation gives every record new ones.
    Pseudonyms,
}

impl KeyPurpose {
    // The labels `gawahi/v1/signing` and `gawahi/v1/age-identity` were once planned for keys
    // derived from the master key directly; they are retired unused and must never be reused.
    fn label(self) -> &'static [u8] {
        match self {
            Self::Database => b"gawahi/v1/database",
            Self::Blobs => b"gawahi/v1/blobs",
            Self::IdentitySeed => b"gawahi/v1/identity-seed-wrap",
            Self::Pseudonyms => b"gawahi/v1/pseudonyms",
        }
    }
}

struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

impl MasterKey {
    /// A fresh random master key.
    pub(crate) fn generate() -> Result<Self> {
        Ok(Self(random_bytes()?))
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key for `purpose`.
    pub(crate) fn derive(&self, purpose: KeyPurpose) -> Zeroizing<[u8; 32]> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"gawahi master key").extract(self.0.as_ref());
        let mut out = Zeroizing::new([0u8; 32]);
        // Expanding to 32 bytes of SHA-256 output cannot fail: the limit is 255 × 32 bytes.
        prk.expand(&[purpose.label()], Len32)
            .and_then(|okm| okm.fill(out.as_mut()))
            .expect("HKDF-SHA256 expands 32 bytes");
        out
    }
}

/// `N` bytes from the operating system's CSPRNG.
pub(crate) fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>> {
    let mut out = Zeroizing::new([0u8; N]);
    SystemRandom::new()
        .fill(out.as_mut())
        .map_err(|_| Error::Crypto("the operating system's random number generator failed"))?;
    Ok(out)
}

/// The version byte a wrapped blob key starts with.
const WRAP_VERSION: u8 = 1;
/// The length of a wrapped blob key: version, nonce, the key sealed with its tag.
pub(crate) const WRAPPED_LEN: usize = 1 + 12 + 32 + 16;

fn wrap_aad(item_id: &str) -> Vec<u8> {
    [b"gawahi/v1/blob-key\0".as_slice(), item_id.as_bytes()].concat()
}

/// Wraps an evidence blob's own key under the vault's blob key-wrapping key (derived with
/// [`KeyPurpose::Blobs`]) with AES-256-GCM, bound to the item's id: `1 ‖ nonce ‖ sealed key ‖ tag`.
pub(crate) fn wrap_blob_key(kwk: &[u8; 32], item_id: &str, key: &[u8; 32]) -> Result<Vec<u8>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let nonce = random_bytes::<12>()?;
    let wrapper = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, kwk).expect("AES-256 takes a 32-byte key"));
    let mut sealed = Zeroizing::new(key.to_vec());
    wrapper
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(*nonce), Aad::from(wrap_aad(item_id)), &mut *sealed)
        .map_err(|_| Error::Crypto("wrapping a blob key failed"))?;
    Ok([[WRAP_VERSION].as_slice(), nonce.as_slice(), sealed.as_slice()].concat())
}

/// Unwraps a key made by [`wrap_blob_key`]. A key that does not open was damaged or moved to
/// another item's row: the database is not what the vault wrote.
pub(crate) fn unwrap_blob_key(kwk: &[u8; 32], item_id: &str, wrapped: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    if wrapped.len() != WRAPPED_LEN || wrapped[0] != WRAP_VERSION {
        return Err(Error::CorruptDatabase);
    }
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&wrapped[1..13]);
    let opener = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, kwk).expect("AES-256 takes a 32-byte key"));
    let mut buf = Zeroizing::new(wrapped[13..].to_vec());
    let key = opener
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(wrap_aad(item_id)), &mut buf)
        .map_err(|_| Error::CorruptDatabase)?;
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(key);
    Ok(out)
}

/// The context a wrapped identity seed is bound to.
const IDENTITY_AAD: &[u8] = b"gawahi/v1/identity-seed";

/// Wraps the vault's identity seed under the key derived with [`KeyPurpose::IdentitySeed`], in
/// the same layout as a blob key (`1 ‖ nonce ‖ sealed seed ‖ tag`, AES-256-GCM).
pub(crate) fn wrap_identity_seed(kwk: &[u8; 32], seed: &[u8; 32]) -> Result<Vec<u8>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let nonce = random_bytes::<12>()?;
    let wrapper = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, kwk).expect("AES-256 takes a 32-byte key"));
    let mut sealed = Zeroizing::new(seed.to_vec());
    wrapper
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(*nonce), Aad::from(IDENTITY_AAD), &mut *sealed)
        .map_err(|_| Error::Crypto("wrapping the identity seed failed"))?;
    Ok([[WRAP_VERSION].as_slice(), nonce.as_slice(), sealed.as_slice()].concat())
}

/// Unwraps a seed made by [`wrap_identity_seed`]; one that does not open means the database is not
/// what the vault wrote.
pub(crate) fn unwrap_identity_seed(kwk: &[u8; 32], wrapped: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    if wrapped.len() != WRAPPED_LEN || wrapped[0] != WRAP_VERSION {
        return Err(Error::CorruptDatabase);
    }
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&wrapped[1..13]);
    let opener = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, kwk).expect("AES-256 takes a 32-byte key"));
    let mut buf = Zeroizing::new(wrapped[13..].to_vec());
    let seed = opener
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(IDENTITY_AAD), &mut buf)
        .map_err(|_| Error::CorruptDatabase)?;
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(seed);
    Ok(out)
}

/// A 32-byte key derived from the identity seed for `label` (HKDF-SHA256, salt
/// `gawahi identity seed`): `gawahi/v1/identity/ed25519` and `gawahi/v1/identity/x25519`.
pub(crate) fn derive_from_seed(seed: &[u8; 32], label: &'static [u8]) -> Zeroizing<[u8; 32]> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"gawahi identity seed").extract(seed);
    let mut out = Zeroizing::new([0u8; 32]);
    prk.expand(&[label], Len32).and_then(|okm| okm.fill(out.as_mut())).expect("HKDF-SHA256 expands 32 bytes");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_give_distinct_keys() {
        let mk = MasterKey::from_bytes(Zeroizing::new([7; 32]));
        let db = mk.derive(KeyPurpose::Database);
        assert_ne!(*db, *mk.derive(KeyPurpose::Blobs));
        assert_ne!(*db, *mk.derive(KeyPurpose::IdentitySeed));
        assert_ne!(*mk.derive(KeyPurpose::Blobs), *mk.derive(KeyPurpose::IdentitySeed));
        assert_ne!(*db, *mk.derive(KeyPurpose::Pseudonyms));
        assert_ne!(*mk.derive(KeyPurpose::Blobs), *mk.derive(KeyPurpose::Pseudonyms));
        assert_ne!(*db, *mk.as_bytes());
        assert_eq!(*db, *mk.derive(KeyPurpose::Database));
    }

    #[test]
    fn fail_a_wrapped_blob_key_opens_only_for_its_item_and_its_vault() {
        let kwk = [1u8; 32];
        let wrapped = wrap_blob_key(&kwk, "item-a", &[5; 32]).expect("wrap");
        assert_eq!(wrapped.len(), WRAPPED_LEN);
        assert_eq!(*unwrap_blob_key(&kwk, "item-a", &wrapped).expect("unwrap"), [5; 32]);
        assert!(unwrap_blob_key(&kwk, "item-b", &wrapped).is_err(), "moved to another item");
        assert!(unwrap_blob_key(&[2; 32], "item-a", &wrapped).is_err(), "another vault's key");
        let mut flipped = wrapped.clone();
        flipped[20] ^= 1;
        assert!(unwrap_blob_key(&kwk, "item-a", &flipped).is_err());
    }
}
