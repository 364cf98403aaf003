//! People and organisations: who the records are about, who acts, who helps.

use serde::{Deserialize, Serialize};

use super::Level;
use crate::error::{Invalid, Reason};

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
    /// National identity card number (CNIC: 13 digits, `12345-1234567-1`). Sensitive (see
    /// [`Person::SENSITIVE`]). Written only when set, as are the phone and address (added after
    /// the first vaults, whose records read and hash as they were written).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub cnic: Option<String>,
    /// Phone number. Sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub phone: Option<String>,
    /// Postal address. Sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub address: Option<String>,
}

impl Person {
    /// The fields that identify or locate a person: never in an anonymised export, withheld
    /// from a full export when the person is anonymous, and shown only on the person's own page.
    pub const SENSITIVE: [&'static str; 5] = ["name", "contact", "cnic", "phone", "address"];
}

/// The longest phone number accepted, in characters (ITU E.164 allows 15 digits; spaces, dashes,
/// brackets and an extension take the rest).
pub(crate) const PHONE_MAX_CHARS: usize = 32;

/// Checks a CNIC: 13 digits, written `12345-1234567-1` or without dashes.
pub(crate) fn check_cnic(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    let Some(v) = value else { return Ok(()) };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = v.split('-').collect();
    let ok = match parts.as_slice() {
        [all] => digits(all, 13),
        [a, b, c] => digits(a, 5) && digits(b, 7) && digits(c, 1),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Invalid::field(field, Reason::NotACnic, "expected 13 digits, as 12345-1234567-1 or 1234512345671"))
    }
}

/// Checks a phone number: digits, at most one leading `+`, and spaces, dashes, dots and
/// brackets between them; at least 5 digits and at most [`PHONE_MAX_CHARS`] characters.
pub(crate) fn check_phone(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    let Some(v) = value else { return Ok(()) };
    let body = v.strip_prefix('+').unwrap_or(v);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let ok = v.chars().count() <= PHONE_MAX_CHARS
        && digits >= 5
        && body.bytes().all(|b| b.is_ascii_digit() || b" -.()".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Invalid::field(
            field,
            Reason::NotAPhoneNumber,
            format!(
                "expected a phone number of digits, with an optional leading + and spaces or dashes, at most {PHONE_MAX_CHARS} characters"
            ),
        ))
    }
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
