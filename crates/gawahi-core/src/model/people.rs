//! People and organisations: who the records are about, who acts, who helps.

use serde::{Deserialize, Serialize};

use super::Level;

/// A person's gender as they state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Transgender (including khawaja sira), as recognised by the Transgender Persons Act 2018.
    Transgender,
    /// Intersex.
    Intersex,
    /// Non-binary.
    NonBinary,
    /// The person did not say.
    Undisclosed,
}

/// The part a person plays in the vault's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// A human rights defender.
    Defender,
    /// A victim.
    Victim,
    /// A witness.
    Witness,
    /// A lawyer.
    Lawyer,
    /// A family member of a victim or defender.
    FamilyMember,
    /// An official.
    Official,
    /// An alleged perpetrator.
    AllegedPerpetrator,
}

/// A person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Person {
    /// Real name. Optional: many records keep only a pseudonym.
    pub name: Option<String>,
    /// The name used in the vault and in anything shared.
    pub pseudonym: Option<String>,
    /// Gender as the person states it.
    pub gender: Option<Gender>,
    /// Ethnic or religious community. Stored only with consent to store.
    pub community: Option<String>,
    /// Profession (journalist, lawyer, teacher…).
    pub profession: Option<String>,
    /// Roles this person has across the vault's records.
    pub roles: Vec<PersonRole>,
    /// Overall risk level.
    pub risk_level: Option<Level>,
    /// Contact details. Sensitive: never exported for an anonymous person.
    pub contact: Option<String>,
    /// The person consents to being recorded.
    pub consent_to_store: bool,
    /// The person consents to their record being shared with lawyers.
    pub consent_to_share_with_lawyers: bool,
    /// The person consents to anonymised publication (statistics, reports).
    pub consent_to_publish_anonymised: bool,
    /// The person's real name and contact must never leave the vault.
    pub anonymous: bool,
    /// Free notes.
    pub notes: Option<String>,
}

/// An organisation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Organisation {
    /// Name.
    pub name: String,
    /// Type, from the `organisation_types` vocabulary.
    pub org_type: Option<String>,
    /// Country, from the `countries` vocabulary (ISO 3166 alpha-2, lowercase).
    pub country: Option<String>,
    /// Contact details.
    pub contact: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}
