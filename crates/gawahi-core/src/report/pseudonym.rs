//! Stable pseudonyms for anonymised exports: HMAC-SHA256 of a record's id under a key derived
//! from the master key ([`crate::crypto::keys::KeyPurpose::Pseudonyms`]).
//!
//! The same record gets the same pseudonym in every export of the same vault, so a monitoring
//! network can update a collection it published without duplicating entries. The pseudonym is a
//! keyed hash of the id, not of the name: it says nothing about the name, and without the key
//! nobody can test a guess (a name, an id) against it.

use ring::hmac;

use crate::model::Kind;

/// Crockford's base-32 alphabet: no I, L, O or U, so a pseudonym read aloud or copied by hand
/// is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The pseudonym maker of one vault.
pub(crate) struct Pseudonyms {
    key: hmac::Key,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonyms { .. }")
    }
}

impl Pseudonyms {
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self { key: hmac::Key::new(hmac::HMAC_SHA256, key) }
    }

    fn tag(&self, id: &str) -> hmac::Tag {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(b"gawahi/v1/pseudonym\0");
        ctx.update(id.as_bytes());
        ctx.sign()
    }

    /// A short code for the record: 8 characters of base 32 (40 bits). Two of n records share a
    /// code with a chance of about n² / 2⁴¹: 1 in 22,000 for 10,000 records, 1 in 220 for
    /// 100,000, about a third for a million. A table names a relation by the linked record's
    /// title, so two records sharing one would be one entity in Uwazi. Lengthening it would
    /// change every code already published, which is what keeps a collection free of
    /// duplicates when it is updated.
    pub(crate) fn code(&self, id: &str) -> String {
        let tag = self.tag(id);
        let bytes = &tag.as_ref()[..5];
        let mut bits: u64 = 0;
        for b in bytes {
            bits = (bits << 8) | u64::from(*b);
        }
        (0..8).rev().map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize])).collect()
    }

    /// The record's title in an anonymised export: its kind and its code (`Person 4K7Q9ZT2`).
    pub(crate) fn title(&self, kind: Kind, id: &str) -> String {
        let word = match kind {
            Kind::Person => "Person",
            Kind::Organisation => "Organisation",
            Kind::Incident => "Incident",
            Kind::Threat => "Threat",
            Kind::Risk => "Risk assessment",
            Kind::Case => "Case",
            Kind::Hearing => "Hearing",
            Kind::Referral => "Referral",
            Kind::Task => "Task",
        };
        format!("{word} {}", self.code(id))
    }

    /// A stable UUID (version 4 in form) standing for the record in an anonymised JSON export.
    pub(crate) fn uuid(&self, id: &str) -> String {
        let tag = self.tag(id);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&tag.as_ref()[5..21]);
        uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_key_and_differ_between_keys_and_records() {
        let a = Pseudonyms::new(&[1; 32]);
        let b = Pseudonyms::new(&[2; 32]);
        assert_eq!(a.code("x"), a.code("x"));
        assert_ne!(a.code("x"), a.code("y"));
        assert_ne!(a.code("x"), b.code("x"));
        assert_eq!(a.code("x").len(), 8);
        assert!(a.code("x").bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(a.uuid("x"), a.uuid("x"));
        assert_ne!(a.uuid("x"), b.uuid("x"));
        assert!(uuid::Uuid::parse_str(&a.uuid("x")).is_ok());
        assert!(a.title(Kind::Person, "x").starts_with("Person "));
    }
}
