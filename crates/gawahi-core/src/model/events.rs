//! What happens to people: incidents, threats, and risk assessments.

use serde::{Deserialize, Serialize};

use super::date::Precision;

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
