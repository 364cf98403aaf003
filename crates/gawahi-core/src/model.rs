//! The record model: every kind of record a defender or a lawyer keeps, as typed structs.
//!
//! JSON field names are plain snake_case English. Input is strict: an unknown field, a wrong
//! type, a code that is not in its vocabulary, or a reference to a record of the wrong kind is
//! rejected with the field's path. Free text is stored exactly as given (Urdu zero-width
//! non-joiners and diacritics included); it is never trimmed or normalised.
//!
//! The envelope fields `id`, `kind`, `created_at` and `updated_at` are not part of these structs:
//! the vault assigns and stores them beside the body (see [`crate::records`]).

use std::fmt::Write as _;

use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::date::{self, Precision};
use crate::error::{Error, Invalid, Reason, Result};

/// Longest single-line text (titles, names, numbers), in characters.
const SHORT_TEXT: usize = 1_000;
/// Longest free text (descriptions, narratives, notes), in characters.
const LONG_TEXT: usize = 200_000;

/// The kinds of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A defender, victim, witness, lawyer, family member, official or alleged perpetrator.
    Person,
    /// An NGO, media house, bar council, state body, UN agency or embassy.
    Organisation,
    /// Something that happened.
    Incident,
    /// An ongoing danger to a person.
    Threat,
    /// A dated risk assessment of one person.
    Risk,
    /// One legal matter in one forum.
    Case,
    /// A hearing of a case.
    Hearing,
    /// A referral or intervention (NCHR, UN special procedures, protection funds…).
    Referral,
    /// A follow-up, a preparation or a deadline.
    Task,
}

impl Kind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [Self; 9] = [
        Self::Person,
        Self::Organisation,
        Self::Incident,
        Self::Threat,
        Self::Risk,
        Self::Case,
        Self::Hearing,
        Self::Referral,
        Self::Task,
    ];

    /// The kind's code, as used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Incident => "incident",
            Self::Threat => "threat",
            Self::Risk => "risk",
            Self::Case => "case",
            Self::Hearing => "hearing",
            Self::Referral => "referral",
            Self::Task => "task",
        }
    }

    /// The kind with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// The body field that points at the record this one belongs to, if the kind has one: a
    /// hearing belongs to a case, a risk assessment to a person. The vault keeps that reference
    /// in a foreign-key column too, so a case cannot be deleted while it has hearings.
    pub fn parent_field(self) -> Option<(&'static str, Self)> {
        match self {
            Self::Hearing => Some(("case_id", Self::Case)),
            Self::Risk => Some(("person_id", Self::Person)),
            _ => None,
        }
    }
}

impl rusqlite::ToSql for Kind {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level of danger or risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical: life at risk now.
    Critical,
}

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

/// How reliable a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Reliability {
    /// First-hand and known to be reliable.
    Reliable,
    /// Usually reliable.
    FairlyReliable,
    /// Reliability cannot be judged.
    Unknown,
    /// Known to have been wrong before.
    Unreliable,
}

/// How far an account has been verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Not yet verified.
    #[default]
    Unverified,
    /// Some facts verified.
    PartiallyVerified,
    /// Verified.
    Verified,
    /// Contradicted by other sources.
    Disputed,
}

/// Something that happened: who did what to whom, when and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Incident {
    /// A short title.
    pub title: String,
    /// The narrative.
    pub description: Option<String>,
    /// When it happened, as precisely as known (see [`crate::date`]).
    pub occurred_on: Option<String>,
    /// The precision of `occurred_on`; inferred from its shape when left out.
    pub occurred_precision: Option<Precision>,
    /// Province or territory, from the `provinces` vocabulary.
    pub province: Option<String>,
    /// District, from the `districts` vocabulary; must lie in `province`.
    pub district: Option<String>,
    /// City, town or village.
    pub city: Option<String>,
    /// Latitude in degrees.
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    pub longitude: Option<f64>,
    /// Types, from the `incident_types` vocabulary.
    pub incident_types: Vec<String>,
    /// Perpetrator types, from the `perpetrator_types` vocabulary.
    pub perpetrator_types: Vec<String>,
    /// Where the account comes from.
    pub source: Option<String>,
    /// How reliable that source is.
    pub source_reliability: Option<Reliability>,
    /// How far the account is verified.
    pub verification_status: Verification,
}

/// Whether a threat is still live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ThreatStatus {
    /// The threat is live.
    #[default]
    Active,
    /// Protection measures have reduced it.
    Mitigated,
    /// It was carried out.
    Realised,
}

/// An ongoing danger to a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Threat {
    /// A short title.
    pub title: String,
    /// What was said or done.
    pub description: Option<String>,
    /// Who it comes from, as far as known.
    pub source: Option<String>,
    /// How it arrived, from the `threat_channels` vocabulary.
    pub channel: Option<String>,
    /// Level of danger.
    pub level: Option<Level>,
    /// Whether it is still live.
    pub status: ThreatStatus,
    /// When it was received, as precisely as known.
    pub received_on: Option<String>,
    /// The precision of `received_on`; inferred when left out.
    pub received_precision: Option<Precision>,
    /// Protection measures taken.
    pub protection_measures: Option<String>,
}

/// A dated risk assessment of one person: threats × vulnerabilities ÷ capacities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Risk {
    /// The person assessed.
    pub person_id: String,
    /// The day of the assessment.
    pub assessed_on: String,
    /// Threats, 1 (few, vague) to 5 (many, concrete).
    pub threat_level: u8,
    /// Vulnerabilities, 1 to 5.
    pub vulnerability_level: u8,
    /// Capacities to cope, 1 (none) to 5 (strong).
    pub capacity_level: u8,
    /// The protection plan.
    pub protection_plan: Option<String>,
    /// When to review the assessment.
    pub review_on: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

impl Risk {
    /// The risk score, threats × vulnerabilities ÷ capacities (0.2 to 25).
    pub fn score(&self) -> f64 {
        f64::from(self.threat_level) * f64::from(self.vulnerability_level) / f64::from(self.capacity_level.max(1))
    }
}

/// The kinds of legal case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A domestic criminal case against a defender (PECA, ATA, PPC, MPO).
    #[default]
    Criminalisation,
    /// An enforced disappearance.
    EnforcedDisappearance,
    /// A Pakistani detained abroad.
    DetainedAbroad,
    /// A refugee facing detention or deportation.
    RefugeeDeportation,
    /// Protection or relocation.
    Protection,
}

impl CaseKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Criminalisation => "criminalisation",
            Self::EnforcedDisappearance => "enforced_disappearance",
            Self::DetainedAbroad => "detained_abroad",
            Self::RefugeeDeportation => "refugee_deportation",
            Self::Protection => "protection",
        }
    }
}

/// A charge: a statute and a section of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// The statute, from the `statutes` vocabulary (`peca_2016`).
    pub statute: String,
    /// The section as written (`20`, `295-C`, `11-EE`), from the `sections` vocabulary.
    pub section: String,
}

/// Where bail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BailStatus {
    /// Not applied for.
    NotApplied,
    /// Applied for, pending.
    Applied,
    /// Granted.
    Granted,
    /// Refused.
    Refused,
    /// Granted, then cancelled.
    Cancelled,
}

/// What is known of a disappeared person now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DisappearanceOutcome {
    /// Still missing.
    #[default]
    Missing,
    /// Returned.
    Returned,
    /// In custody, acknowledged by the state.
    CustodyAcknowledged,
    /// Found dead.
    FoundDead,
}

/// Details of an enforced-disappearance case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Disappearance {
    /// When the person was last seen.
    pub last_seen_on: Option<String>,
    /// The precision of `last_seen_on`.
    pub last_seen_precision: Option<Precision>,
    /// Where.
    pub last_seen_place: Option<String>,
    /// The agency suspected, from the `bodies` vocabulary.
    pub suspected_agency: Option<String>,
    /// Number of the habeas corpus petition in the High Court.
    pub habeas_petition_number: Option<String>,
    /// Case number at the Commission of Inquiry on Enforced Disappearances.
    pub coied_case_number: Option<String>,
    /// Case number at the UN Working Group (WGEID).
    pub wgeid_case_number: Option<String>,
    /// What is known now.
    pub outcome: DisappearanceOutcome,
}

/// The legal status of a Pakistani detained abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LegalStatusAbroad {
    /// Under investigation.
    UnderInvestigation,
    /// On trial.
    OnTrial,
    /// Convicted.
    Convicted,
    /// On death row.
    DeathRow,
    /// On appeal.
    Appeal,
    /// Released.
    Released,
}

/// Details of a case of a Pakistani detained abroad.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct DetentionAbroad {
    /// Country, from the `countries` vocabulary.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Prison.
    pub prison: Option<String>,
    /// The charge, in the foreign law's words.
    pub charge: Option<String>,
    /// Legal status.
    pub legal_status: Option<LegalStatusAbroad>,
    /// Sentence, if any.
    pub sentence: Option<String>,
    /// Whether consular access was given.
    pub consular_access: Option<bool>,
    /// When consular access was given.
    pub consular_access_on: Option<String>,
    /// The detainee's lawyer.
    pub lawyer: Option<String>,
    /// Whether the family is in contact.
    pub family_contact: Option<bool>,
    /// Transfer or repatriation status (prisoner transfer agreement).
    pub transfer_status: Option<String>,
}

/// Details of a refugee or deportation case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct RefugeeCase {
    /// Nationality, from the `countries` vocabulary.
    pub nationality: Option<String>,
    /// Papers held, from the `documentation_types` vocabulary.
    pub documentation: Option<String>,
    /// When those papers expire.
    pub documentation_expires_on: Option<String>,
    /// Arrested or detained under section 14 of the Foreigners Act 1946.
    pub arrested_under_foreigners_act: bool,
    /// Date of the deportation order.
    pub deportation_order_on: Option<String>,
    /// Date of deportation.
    pub deported_on: Option<String>,
    /// UNHCR, resettlement or relocation case number.
    pub unhcr_case_number: Option<String>,
    /// Why the person is at risk if returned (e.g. former prosecutor or judge).
    pub at_risk_profile: Option<String>,
}

/// The measure a protection case seeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProtectionMeasure {
    /// An emergency visa.
    EmergencyVisa,
    /// Asylum.
    Asylum,
    /// A shelter programme.
    Shelter,
    /// A grant.
    Grant,
    /// Relocation.
    Relocation,
}

/// Details of a protection or relocation case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct ProtectionCase {
    /// The measure sought.
    pub measure: Option<ProtectionMeasure>,
    /// Who provides it (embassy, fund, programme).
    pub provider: Option<String>,
    /// When it was applied for.
    pub applied_on: Option<String>,
    /// When it was decided.
    pub decided_on: Option<String>,
}

/// One legal matter in one forum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Case {
    /// A short title.
    pub title: String,
    /// The kind of case; decides which details block it may carry. (Named `case_kind` because
    /// `kind` is the record's kind in every JSON envelope and import line.)
    pub case_kind: CaseKind,
    /// Status, from the `case_statuses` vocabulary (and allowed for this kind).
    pub status: Option<String>,
    /// FIR or case number.
    pub fir_number: Option<String>,
    /// Date of the FIR.
    pub fir_date: Option<String>,
    /// Police station that registered the FIR.
    pub police_station: Option<String>,
    /// Investigating agency, from the `bodies` vocabulary.
    pub investigating_agency: Option<String>,
    /// Forum, from the `courts` vocabulary.
    pub court: Option<String>,
    /// Judge.
    pub judge: Option<String>,
    /// Charges.
    pub charges: Vec<Charge>,
    /// Bail.
    pub bail: Option<BailStatus>,
    /// Details of an enforced-disappearance case.
    pub disappearance: Option<Disappearance>,
    /// Details of a case of detention abroad.
    pub detention_abroad: Option<DetentionAbroad>,
    /// Details of a refugee or deportation case.
    pub refugee: Option<RefugeeCase>,
    /// Details of a protection case.
    pub protection: Option<ProtectionCase>,
    /// Free notes.
    pub notes: Option<String>,
}

/// A hearing of a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Hearing {
    /// The case heard.
    pub case_id: String,
    /// The day of the hearing.
    pub date: String,
    /// Purpose (arguments on bail, framing of charges…).
    pub purpose: Option<String>,
    /// Outcome, including any order.
    pub outcome: Option<String>,
    /// The next date fixed.
    pub next_date: Option<String>,
    /// Forum, from the `courts` vocabulary, if not the case's.
    pub court: Option<String>,
    /// Judge.
    pub judge: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Being prepared.
    #[default]
    Planned,
    /// Sent.
    Sent,
    /// Acknowledged by the recipient.
    Acknowledged,
    /// Acted on / granted.
    Granted,
    /// Declined.
    Declined,
    /// Closed.
    Closed,
}

/// A referral or intervention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Referral {
    /// A short title.
    pub title: String,
    /// To whom, from the `referral_targets` vocabulary.
    pub target: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The recipient's reference number.
    pub reference_number: Option<String>,
    /// When it was sent.
    pub sent_on: Option<String>,
    /// When to follow up.
    pub follow_up_on: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

/// A follow-up, a hearing preparation or a deadline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Task {
    /// What to do.
    pub title: String,
    /// When it is due.
    pub due_on: Option<String>,
    /// Whether it is done.
    pub done: bool,
    /// Free notes.
    pub notes: Option<String>,
}

/// The body of a record of any kind.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant, reason = "records are built one at a time; boxing would only add noise")]
pub enum RecordData {
    /// A person.
    Person(Person),
    /// An organisation.
    Organisation(Organisation),
    /// An incident.
    Incident(Incident),
    /// A threat.
    Threat(Threat),
    /// A risk assessment.
    Risk(Risk),
    /// A legal case.
    Case(Case),
    /// A hearing.
    Hearing(Hearing),
    /// A referral.
    Referral(Referral),
    /// A task.
    Task(Task),
}

impl RecordData {
    /// Parses a body of `kind` from a JSON object, strictly.
    pub fn parse(kind: Kind, body: Map<String, Value>) -> Result<Self, Invalid> {
        let v = Value::Object(body);
        Ok(match kind {
            Kind::Person => Self::Person(strict(v)?),
            Kind::Organisation => Self::Organisation(strict(v)?),
            Kind::Incident => Self::Incident(strict(v)?),
            Kind::Threat => Self::Threat(strict(v)?),
            Kind::Risk => Self::Risk(strict(v)?),
            Kind::Case => Self::Case(strict(v)?),
            Kind::Hearing => Self::Hearing(strict(v)?),
            Kind::Referral => Self::Referral(strict(v)?),
            Kind::Task => Self::Task(strict(v)?),
        })
    }

    /// The kind of this body.
    pub fn kind(&self) -> Kind {
        match self {
            Self::Person(_) => Kind::Person,
            Self::Organisation(_) => Kind::Organisation,
            Self::Incident(_) => Kind::Incident,
            Self::Threat(_) => Kind::Threat,
            Self::Risk(_) => Kind::Risk,
            Self::Case(_) => Kind::Case,
            Self::Hearing(_) => Kind::Hearing,
            Self::Referral(_) => Kind::Referral,
            Self::Task(_) => Kind::Task,
        }
    }

    /// The body as a JSON object, every field present.
    pub fn to_json(&self) -> Map<String, Value> {
        let v = match self {
            Self::Person(r) => serde_json::to_value(r),
            Self::Organisation(r) => serde_json::to_value(r),
            Self::Incident(r) => serde_json::to_value(r),
            Self::Threat(r) => serde_json::to_value(r),
            Self::Risk(r) => serde_json::to_value(r),
            Self::Case(r) => serde_json::to_value(r),
            Self::Hearing(r) => serde_json::to_value(r),
            Self::Referral(r) => serde_json::to_value(r),
            Self::Task(r) => serde_json::to_value(r),
        };
        match v {
            Ok(Value::Object(m)) => m,
            // Every body is a struct of strings, numbers, booleans and vectors of those; there is
            // no map with non-string keys and no failing Serialize impl.
            _ => unreachable!("record bodies serialise to JSON objects"),
        }
    }

    /// The body as compact JSON, fields in declaration order: the form stored in the database
    /// and hashed into the audit log. Serialised straight from the struct, without building a
    /// JSON tree first, because bulk imports do this for every record.
    pub fn body_json(&self) -> String {
        let s = match self {
            Self::Person(r) => serde_json::to_string(r),
            Self::Organisation(r) => serde_json::to_string(r),
            Self::Incident(r) => serde_json::to_string(r),
            Self::Threat(r) => serde_json::to_string(r),
            Self::Risk(r) => serde_json::to_string(r),
            Self::Case(r) => serde_json::to_string(r),
            Self::Hearing(r) => serde_json::to_string(r),
            Self::Referral(r) => serde_json::to_string(r),
            Self::Task(r) => serde_json::to_string(r),
        };
        // As in `to_json`: these structs cannot fail to serialise.
        s.unwrap_or_default()
    }

    /// The id of the record this one belongs to (a hearing's case, a risk assessment's person).
    pub fn parent_id(&self) -> Option<&str> {
        match self {
            Self::Hearing(h) => Some(&h.case_id),
            Self::Risk(r) => Some(&r.person_id),
            _ => None,
        }
    }

    /// A one-line label for lists: a title, or a person's pseudonym (never their real name,
    /// which a list on screen should not show to someone looking over a shoulder).
    pub fn label(&self) -> String {
        match self {
            Self::Person(p) => p
                .pseudonym
                .clone()
                .or_else(|| (p.name.is_some() || p.anonymous).then(|| "(name withheld)".to_owned()))
                .unwrap_or_default(),
            Self::Organisation(o) => o.name.clone(),
            Self::Incident(i) => i.title.clone(),
            Self::Threat(t) => t.title.clone(),
            Self::Risk(r) => format!("{} ({:.1})", r.assessed_on, r.score()),
            Self::Case(c) => c.title.clone(),
            Self::Hearing(h) => format!("{} {}", h.date, h.purpose.as_deref().unwrap_or("")).trim_end().to_owned(),
            Self::Referral(r) => r.title.clone(),
            Self::Task(t) => t.title.clone(),
        }
    }

    /// Checks everything the types cannot: required text, date shapes, vocabulary codes and
    /// references to other records. Fills in inferred date precisions.
    pub fn validate(&mut self, check: &Check<'_>) -> Result<()> {
        self.validate_fields(check)?;
        // No text may hold a NUL. Looked for in the serialised body (where it is `\u0000`), which
        // is cheap; only when one is there is the body walked to name the field. Every key of a
        // parsed body is one of the model's own field names, never input.
        if self.body_json().contains("\\u0000") {
            check_texts(&Value::Object(self.to_json()), "")?;
        }
        Ok(())
    }

    fn validate_fields(&mut self, check: &Check<'_>) -> Result<()> {
        match self {
            Self::Person(p) => {
                // An anonymous person may be known by neither: that is also what a full export
                // leaves of one whose name must never leave the vault, and it must import again.
                if blank(p.name.as_deref()) && blank(p.pseudonym.as_deref()) && !p.anonymous {
                    return Err(Invalid::field(
                        "pseudonym",
                        Reason::NameOrPseudonym,
                        "a person needs a name or a pseudonym (or to be marked anonymous)",
                    )
                    .into());
                }
                if p.community.is_some() && !p.consent_to_store {
                    return Err(Invalid::field(
                        "community", Reason::CommunityWithoutConsent,
                        "a community (ethnic or religious) is stored only with consent: set consent_to_store to true first",
                    )
                    .into());
                }
                short("name", p.name.as_deref())?;
                short("pseudonym", p.pseudonym.as_deref())?;
                short("community", p.community.as_deref())?;
                short("profession", p.profession.as_deref())?;
                long("contact", p.contact.as_deref())?;
                long("notes", p.notes.as_deref())?;
            }
            Self::Organisation(o) => {
                required("name", &o.name)?;
                check.vocab("org_type", "organisation_types", o.org_type.as_deref())?;
                check.vocab("country", "countries", o.country.as_deref())?;
                long("contact", o.contact.as_deref())?;
                long("notes", o.notes.as_deref())?;
            }
            Self::Incident(i) => {
                required("title", &i.title)?;
                long("description", i.description.as_deref())?;
                i.occurred_precision =
                    Some(date::check_partial("occurred_on", i.occurred_on.as_deref(), i.occurred_precision)?);
                check.place("province", "district", i.province.as_deref(), i.district.as_deref())?;
                short("city", i.city.as_deref())?;
                coordinate("latitude", i.latitude, 90.0)?;
                coordinate("longitude", i.longitude, 180.0)?;
                check.vocab_list("incident_types", "incident_types", &i.incident_types)?;
                check.vocab_list("perpetrator_types", "perpetrator_types", &i.perpetrator_types)?;
                long("source", i.source.as_deref())?;
            }
            Self::Threat(t) => {
                required("title", &t.title)?;
                long("description", t.description.as_deref())?;
                long("source", t.source.as_deref())?;
                check.vocab("channel", "threat_channels", t.channel.as_deref())?;
                t.received_precision =
                    Some(date::check_partial("received_on", t.received_on.as_deref(), t.received_precision)?);
                long("protection_measures", t.protection_measures.as_deref())?;
            }
            Self::Risk(r) => {
                r.person_id = normalise_id(&r.person_id);
                check.record("person_id", &r.person_id, Kind::Person)?;
                required("assessed_on", &r.assessed_on)?;
                date::check_day("assessed_on", Some(&r.assessed_on))?;
                for (field, v) in [
                    ("threat_level", r.threat_level),
                    ("vulnerability_level", r.vulnerability_level),
                    ("capacity_level", r.capacity_level),
                ] {
                    if !(1..=5).contains(&v) {
                        return Err(
                            Invalid::field(field, Reason::NotALevel, "expected a whole number from 1 to 5").into()
                        );
                    }
                }
                long("protection_plan", r.protection_plan.as_deref())?;
                date::check_day("review_on", r.review_on.as_deref())?;
                long("notes", r.notes.as_deref())?;
            }
            Self::Case(c) => validate_case(c, check)?,
            Self::Hearing(h) => {
                h.case_id = normalise_id(&h.case_id);
                check.record("case_id", &h.case_id, Kind::Case)?;
                required("date", &h.date)?;
                date::check_day("date", Some(&h.date))?;
                date::check_day("next_date", h.next_date.as_deref())?;
                long("purpose", h.purpose.as_deref())?;
                long("outcome", h.outcome.as_deref())?;
                check.vocab("court", "courts", h.court.as_deref())?;
                short("judge", h.judge.as_deref())?;
                long("notes", h.notes.as_deref())?;
            }
            Self::Referral(r) => {
                required("title", &r.title)?;
                required("target", &r.target)?;
                check.vocab("target", "referral_targets", Some(&r.target))?;
                short("reference_number", r.reference_number.as_deref())?;
                date::check_day("sent_on", r.sent_on.as_deref())?;
                date::check_day("follow_up_on", r.follow_up_on.as_deref())?;
                long("notes", r.notes.as_deref())?;
            }
            Self::Task(t) => {
                required("title", &t.title)?;
                short("title", Some(&t.title))?;
                date::check_day("due_on", t.due_on.as_deref())?;
                long("notes", t.notes.as_deref())?;
            }
        }
        Ok(())
    }
}

fn validate_case(c: &mut Case, check: &Check<'_>) -> Result<()> {
    required("title", &c.title)?;
    if let Some(status) = c.status.as_deref() {
        check.vocab("status", "case_statuses", Some(status))?;
        let kinds = check.vocab_extra("case_statuses", status, "kinds")?.unwrap_or_else(|| "all".to_owned());
        if kinds != "all" && !kinds.split(',').any(|k| k.trim() == c.case_kind.as_str()) {
            return Err(Invalid::field(
                "status",
                Reason::StatusNotForCaseKind,
                format!("this status does not apply to a {} case (it applies to: {kinds})", c.case_kind.as_str()),
            )
            .into());
        }
    }
    short("fir_number", c.fir_number.as_deref())?;
    date::check_day("fir_date", c.fir_date.as_deref())?;
    short("police_station", c.police_station.as_deref())?;
    check.vocab("investigating_agency", "bodies", c.investigating_agency.as_deref())?;
    check.vocab("court", "courts", c.court.as_deref())?;
    short("judge", c.judge.as_deref())?;
    for (i, charge) in c.charges.iter().enumerate() {
        check.charge(i, charge)?;
    }
    long("notes", c.notes.as_deref())?;

    let blocks = [
        ("disappearance", c.disappearance.is_some(), CaseKind::EnforcedDisappearance),
        ("detention_abroad", c.detention_abroad.is_some(), CaseKind::DetainedAbroad),
        ("refugee", c.refugee.is_some(), CaseKind::RefugeeDeportation),
        ("protection", c.protection.is_some(), CaseKind::Protection),
    ];
    for (field, present, kind) in blocks {
        if present && c.case_kind != kind {
            return Err(Invalid::field(
                field,
                Reason::DetailsNotForCaseKind,
                format!("only a {} case has these details; this case is {}", kind.as_str(), c.case_kind.as_str()),
            )
            .into());
        }
    }
    if let Some(d) = &mut c.disappearance {
        d.last_seen_precision = Some(
            date::check_partial("last_seen_on", d.last_seen_on.as_deref(), d.last_seen_precision)
                .map_err(|e| e.within("disappearance"))?,
        );
        short("disappearance.last_seen_place", d.last_seen_place.as_deref())?;
        check.vocab("disappearance.suspected_agency", "bodies", d.suspected_agency.as_deref())?;
        short("disappearance.habeas_petition_number", d.habeas_petition_number.as_deref())?;
        short("disappearance.coied_case_number", d.coied_case_number.as_deref())?;
        short("disappearance.wgeid_case_number", d.wgeid_case_number.as_deref())?;
    }
    if let Some(d) = &c.detention_abroad {
        check.vocab("detention_abroad.country", "countries", d.country.as_deref())?;
        short("detention_abroad.city", d.city.as_deref())?;
        short("detention_abroad.prison", d.prison.as_deref())?;
        long("detention_abroad.charge", d.charge.as_deref())?;
        short("detention_abroad.sentence", d.sentence.as_deref())?;
        date::check_day("detention_abroad.consular_access_on", d.consular_access_on.as_deref())?;
        short("detention_abroad.lawyer", d.lawyer.as_deref())?;
        short("detention_abroad.transfer_status", d.transfer_status.as_deref())?;
    }
    if let Some(r) = &c.refugee {
        check.vocab("refugee.nationality", "countries", r.nationality.as_deref())?;
        check.vocab("refugee.documentation", "documentation_types", r.documentation.as_deref())?;
        date::check_day("refugee.documentation_expires_on", r.documentation_expires_on.as_deref())?;
        date::check_day("refugee.deportation_order_on", r.deportation_order_on.as_deref())?;
        date::check_day("refugee.deported_on", r.deported_on.as_deref())?;
        short("refugee.unhcr_case_number", r.unhcr_case_number.as_deref())?;
        long("refugee.at_risk_profile", r.at_risk_profile.as_deref())?;
    }
    if let Some(p) = &c.protection {
        short("protection.provider", p.provider.as_deref())?;
        date::check_day("protection.applied_on", p.applied_on.as_deref())?;
        date::check_day("protection.decided_on", p.decided_on.as_deref())?;
    }
    Ok(())
}

/// Deserialises strictly, turning serde's error into one that names the field and says what is
/// expected, without repeating anything from the input: serde's own messages quote the value
/// (`invalid type: string "…"`), an unknown variant and an unknown field's name, any of which can
/// be a name, a narrative or ten megabytes of text.
pub(crate) fn strict<T: DeserializeOwned>(v: Value) -> Result<T, Invalid> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let message = e.inner().to_string();
        // The path to the value at fault. For an unknown field its last segment is the unknown
        // name itself, which is input: the path then ends at the object that holds it.
        let mut segments: Vec<&serde_path_to_error::Segment> = e.path().iter().collect();
        if message.starts_with("unknown field") {
            segments.pop();
        }
        let mut path = String::new();
        for segment in segments {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    let _ = write!(path, "[{index}]");
                }
                serde_path_to_error::Segment::Map { key } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
            }
        }
        // What serde says is expected comes last and is ours (type names, variant and field
        // names); the value, if quoted, comes before it. Search from the end, so that a value
        // that itself contains ", expected " cannot move the cut.
        let expected = message.rfind(", expected ").map(|i| &message[i + 2..]);
        if message.starts_with("unknown field") {
            // The path ends at the object holding the unknown name; the name itself is input.
            let expected = expected.unwrap_or("see the documented fields");
            return if path.is_empty() {
                Invalid::whole(
                    Reason::UnknownField,
                    format!("the record has a field its kind does not have; {expected}"),
                )
            } else {
                Invalid::field(path, Reason::UnknownField, format!("has a field this block does not have; {expected}"))
            };
        }
        let (field, reason, said) =
            if let Some(name) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
                // A missing field's name is ours: the struct's own field.
                let field = if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
                (field, Reason::Required, "is required".to_owned())
            } else if message.starts_with("unknown variant") {
                let expected = expected.unwrap_or("see the documentation");
                (path, Reason::NotInVocabulary, format!("is not one of the values this field takes; {expected}"))
            } else {
                // "invalid type: string \"…\", expected …", "invalid value: …", "invalid length …":
                // keep only the kind of value found (its first word) and what was expected.
                let found = message
                    .strip_prefix("invalid type: ")
                    .and_then(|rest| rest.split([' ', ',']).next())
                    .map(|word| format!("found {word}, "))
                    .unwrap_or_default();
                let expected = expected.unwrap_or("see the documentation");
                (path, Reason::WrongType, format!("has the wrong type or form: {found}{expected}"))
            };
        Invalid::field(field, reason, said)
    })
}

/// Rejects a NUL character in any text of `value` (nested objects and lists included), naming the
/// field, and caps every text at the longest any field allows. Field-specific limits are checked
/// by [`RecordData::validate`]; this is the backstop for every text. Only for parsed bodies,
/// whose keys are the model's own field names: the keys become the field path.
pub(crate) fn check_texts(value: &Value, path: &str) -> Result<(), Invalid> {
    match value {
        Value::String(s) => {
            if s.contains('\0') {
                return Err(Invalid::field(
                    path,
                    Reason::NulCharacter,
                    "contains a NUL character, which no text may hold",
                ));
            }
            if s.len() > LONG_TEXT && s.chars().count() > LONG_TEXT {
                return Err(Invalid::field(path, Reason::TooLong, format!("is longer than {LONG_TEXT} characters")));
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_texts(item, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                check_texts(item, &child)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A record id in its one stored form: a UUID in lower-case hyphenated form. Anything that is
/// not a UUID is returned as is (and will not be found).
pub fn normalise_id(id: &str) -> String {
    uuid::Uuid::parse_str(id).map_or_else(|_| id.to_owned(), |u| u.hyphenated().to_string())
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

fn required(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::field(field, Reason::Required, "is required"));
    }
    short(field, Some(value))
}

fn short(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if v.chars().count() > SHORT_TEXT => {
            Err(Invalid::field(field, Reason::TooLong, format!("is longer than {SHORT_TEXT} characters")))
        }
        Some(v) if v.contains('\n') => Err(Invalid::field(field, Reason::NotOneLine, "must be a single line")),
        _ => Ok(()),
    }
}

fn long(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if v.chars().count() > LONG_TEXT => {
            Err(Invalid::field(field, Reason::TooLong, format!("is longer than {LONG_TEXT} characters")))
        }
        _ => Ok(()),
    }
}

fn coordinate(field: &str, value: Option<f64>, limit: f64) -> Result<(), Invalid> {
    match value {
        Some(v) if !v.is_finite() || v.abs() > limit => {
            Err(Invalid::field(field, Reason::NotACoordinate, format!("expected degrees between -{limit} and {limit}")))
        }
        _ => Ok(()),
    }
}

/// Validation that needs the database: vocabularies and references to other records.
#[derive(Debug)]
pub struct Check<'c> {
    conn: &'c Connection,
}

impl<'c> Check<'c> {
    /// Checks against the vocabularies and records of the database behind `conn`.
    pub fn new(conn: &'c Connection) -> Self {
        Self { conn }
    }

    fn entry(&self, vocab: &str, code: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT parent, extra FROM vocab WHERE vocab = ?1 AND code = ?2")?
            .query_row((vocab, code), |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Checks that `code` (if any) is in `vocab`.
    pub fn vocab(&self, field: &str, vocab: &str, code: Option<&str>) -> Result<()> {
        if let Some(code) = code
            && self.entry(vocab, code)?.is_none()
        {
            return Err(unknown_code(field, vocab));
        }
        Ok(())
    }

    fn vocab_list(&self, field: &str, vocab: &str, codes: &[String]) -> Result<()> {
        for (i, code) in codes.iter().enumerate() {
            self.vocab(&format!("{field}[{i}]"), vocab, Some(code))?;
        }
        Ok(())
    }

    fn vocab_extra(&self, vocab: &str, code: &str, key: &str) -> Result<Option<String>> {
        let extra = self.entry(vocab, code)?.and_then(|(_, extra)| extra);
        Ok(extra
            .and_then(|e| serde_json::from_str::<Map<String, Value>>(&e).ok())
            .and_then(|m| m.get(key).and_then(Value::as_str).map(str::to_owned)))
    }

    fn place(
        &self,
        province_field: &str,
        district_field: &str,
        province: Option<&str>,
        district: Option<&str>,
    ) -> Result<()> {
        self.vocab(province_field, "provinces", province)?;
        let Some(district) = district else { return Ok(()) };
        let Some((parent, _)) = self.entry("districts", district)? else {
            return Err(unknown_code(district_field, "districts"));
        };
        match (province, parent.as_deref()) {
            (Some(p), Some(parent)) if p != parent => Err(Invalid::field(
                district_field,
                Reason::DistrictNotInProvince,
                "this district is not in the province given",
            )
            .into()),
            _ => Ok(()),
        }
    }

    fn charge(&self, index: usize, charge: &Charge) -> Result<()> {
        let at = format!("charges[{index}]");
        self.vocab(&format!("{at}.statute"), "statutes", Some(&charge.statute))?;
        let code = format!("{}.{}", charge.statute, charge.section.to_lowercase());
        // A section is found by its code's tail (`295-c`) or as the statute writes it
        // (`2(1)(d)`, kept in the entry's `extra.section`).
        let as_written: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM vocab WHERE vocab = 'sections' AND parent = ?1
                 AND lower(json_extract(extra, '$.section')) = lower(?2))",
            )?
            .query_row((&charge.statute, &charge.section), |r| r.get(0))?;
        match self.entry("sections", &code)? {
            Some((Some(parent), _)) if parent == charge.statute => Ok(()),
            _ if as_written => Ok(()),
            _ => Err(Invalid::field(
                format!("{at}.section"), Reason::NotInVocabulary,
                format!(
                    "this section is not in the sections vocabulary under {}; add it with `gawahi vocab … --add` if it is missing",
                    charge.statute
                ),
            )
            .into()),
        }
    }

    /// Checks that `id` names an existing record of `kind`.
    pub fn record(&self, field: &str, id: &str, kind: Kind) -> Result<()> {
        if id.trim().is_empty() {
            return Err(Invalid::field(field, Reason::Required, format!("is required: the id of a {kind}")).into());
        }
        let found: Option<String> = self
            .conn
            .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        match found {
            Some(k) if k == kind.as_str() => Ok(()),
            Some(k) => {
                Err(Invalid::field(field, Reason::WrongKind, format!("this id is a {k}'s, not a {kind}'s")).into())
            }
            None => Err(Invalid::field(field, Reason::NoSuchRecord, format!("no {kind} has this id")).into()),
        }
    }
}

fn unknown_code(field: &str, vocab: &str) -> Error {
    Invalid::field(
        field,
        Reason::NotInVocabulary,
        format!("is not in the {vocab} vocabulary; see `gawahi vocab <VAULT> {vocab}`"),
    )
    .into()
}
