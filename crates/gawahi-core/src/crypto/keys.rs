//! The key hierarchy below the master key.
//!
//! A vault has one random 256-bit master key. It never touches disk in the clear: the key header
//! stores it wrapped by the passphrase's key. Every working key (the database key, and later the
//! evidence-blob key, the signing seed and the age identity) is derived from it with HKDF-SHA256
//! and a purpose label, so destroying the header shreds them all at once.

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
#[allow(dead_code, reason = "the evidence locker and sealed bundles (next issues) derive these")]
pub enum KeyPurpose {
    /// The raw SQLCipher key of `vault.db`.
    Database,
    /// The key that encrypts evidence blobs.
    Blobs,
    /// The seed of the vault's Ed25519 signing key.
    Signing,
    /// The seed of the vault's age identity.
    AgeIdentity,
}

impl KeyPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Database => b"gawahi/v1/database",
            Self::Blobs => b"gawahi/v1/blobs",
            Self::Signing => b"gawahi/v1/signing",
            Self::AgeIdentity => b"gawahi/v1/age-identity",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_give_distinct_keys() {
        let mk = MasterKey::from_bytes(Zeroizing::new([7; 32]));
        let db = mk.derive(KeyPurpose::Database);
        assert_ne!(*db, *mk.derive(KeyPurpose::Blobs));
        assert_ne!(*db, *mk.derive(KeyPurpose::Signing));
        assert_ne!(*db, *mk.as_bytes());
        assert_eq!(*db, *mk.derive(KeyPurpose::Database));
    }
}
