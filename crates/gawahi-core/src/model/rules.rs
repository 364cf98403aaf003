//! The rules of every kind's fields, as data: which fields are required, which are one line of
//! text or free text and how long each may be, numeric ranges, the vocabulary or the set of values
//! a field draws from, what kind of date it holds, and the rules between fields (a person's name or
//! pseudonym, a community only with consent). The desktop shell generates them into TypeScript
//! (`ui/src/bindings/modelRules.ts`) so that the editor checks what the core checks without
//! repeating it.
//!
//! The checks themselves stay where they are (`mod.rs`, `legal.rs`, `validate.rs`); this file
//! describes them, and its tests hold the description to the checks: every rule here is tried
//! against [`RecordData::validate`](super::RecordData::validate).

use serde::Serialize;

use super::validate::{LONG_TEXT, SHORT_TEXT};
use super::{
    BailEventKind, BailStage, BailStatus, CaseKind, DeadlineFor, DisappearanceOutcome, Gender, HearingStatus, Kind,
    LegalStatusAbroad, Level, Person, PersonRole, ProtectionMeasure, ReferralStatus, Reliability, ThreatStatus,
    Verification, date::Precision,
};
use crate::error::Reason;

/// The rules of every kind, and the values of every set of values a field draws from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldRules {
    /// One entry per kind, in [`Kind::ALL`]'s order.
    pub kinds: Vec<KindRules>,
    /// The values of each [`Choice`], in declaration order (the order the editor offers them).
    pub choices: Vec<ChoiceValues>,
}

/// The rules of one kind's body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KindRules {
    /// The kind.
    pub kind: Kind,
    /// Every top-level field of the body, in declaration order (details blocks excepted).
    pub fields: Vec<FieldRule>,
    /// The details blocks a case may carry, one per case kind that has them.
    pub blocks: Vec<BlockRules>,
    /// Rules between fields.
    pub checks: Vec<CrossCheck>,
    /// The score the core computes from the body, if the kind has one (a risk assessment's).
    pub score: Option<ScoreRule>,
    /// The fields a list of this kind shows beside each record's label, in order: what a list
    /// row ([`crate::search::ListRow`]) carries, with the precision of a partial date among them.
    pub list_columns: Vec<&'static str>,
    /// Whether a list of this kind also shows when each record last changed (a person's or an
    /// organisation's, whose other columns say little of how current it is): only then does a
    /// list row carry the time.
    pub list_updated: bool,
    /// The field holding a record's date, which a date range filters on and statistics count by
    /// month; a kind without one (a person, an organisation) offers no date range.
    pub date_field: Option<&'static str>,
}

/// A score: the product of some fields divided by another (at least 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScoreRule {
    /// The fields multiplied together.
    pub multiply: Vec<&'static str>,
    /// The field the product is divided by, counted as 1 when it is less.
    pub divide_by: &'static str,
}

/// A details block: a nested object, allowed only on a case of one case kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlockRules {
    /// The body field that holds it (`disappearance`).
    pub name: &'static str,
    /// The only case kind that may carry it.
    pub case_kind: CaseKind,
    /// Its fields, named inside the block (`last_seen_on`; an error names `disappearance.last_seen_on`).
    pub fields: Vec<FieldRule>,
}

/// One field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldRule {
    /// Its name in the body (snake_case).
    pub name: &'static str,
    /// Whether it must be given (and, for text, not blank).
    pub required: bool,
    /// Whether it identifies or locates a person (see [`Person::SENSITIVE`]): never in an
    /// anonymised export, withheld from a full one for an anonymous person; the UI shows it
    /// only on the person's own page.
    pub sensitive: bool,
    /// What it holds.
    pub value: ValueRule,
}

/// What a field holds, and the limits the core checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ValueRule {
    /// One line of text (no line break), at most `max_chars` characters.
    ShortText {
        /// The longest it may be, in characters.
        max_chars: usize,
    },
    /// Free text, line breaks allowed, at most `max_chars` characters.
    LongText {
        /// The longest it may be, in characters.
        max_chars: usize,
    },
    /// A whole number from `min` to `max`.
    Integer {
        /// The smallest allowed.
        min: i32,
        /// The largest allowed.
        max: i32,
    },
    /// A number from `min` to `max` (degrees of a coordinate).
    Number {
        /// The smallest allowed.
        min: f64,
        /// The largest allowed.
        max: f64,
    },
    /// `true` or `false`.
    Bool,
    /// `true`, `false` or not known (`null`).
    MaybeBool,
    /// One value of a fixed set.
    Choice {
        /// Which set.
        of: Choice,
        /// Whether it may be left unset (`null`); if not, it has a default (the set's first
        /// value) and `null` is refused.
        nullable: bool,
    },
    /// A list of values of a fixed set.
    ChoiceList {
        /// Which set.
        of: Choice,
    },
    /// A code of a vocabulary.
    Vocabulary {
        /// The vocabulary (`districts`).
        vocab: &'static str,
        /// The field whose code must be this code's parent, when both are given (a district lies
        /// in the province).
        parent_field: Option<&'static str>,
    },
    /// A list of codes of a vocabulary.
    VocabularyList {
        /// The vocabulary.
        vocab: &'static str,
    },
    /// A case status, from `case_statuses`, allowed for the case's kind (the entry's `kinds`).
    CaseStatus,
    /// A calendar day, `YYYY-MM-DD`.
    Day,
    /// A date as precisely as known (see [`super::date`]), with its precision in another field.
    PartialDate {
        /// The field that holds the precision.
        precision_field: &'static str,
    },
    /// The id of a record of `kind`.
    Record {
        /// The kind it must be.
        kind: Kind,
    },
    /// Charges: statutes (`statutes`) and their sections (`sections`).
    Charges,
    /// A CNIC: 13 digits, `12345-1234567-1` or without dashes.
    Cnic,
    /// A phone number: digits, an optional leading `+`, spaces, dashes, dots and brackets; at
    /// most `max_chars` characters.
    Phone {
        /// The longest it may be, in characters.
        max_chars: usize,
    },
    /// A case's bail events (see [`super::BailEvent`]): each with a day, an event
    /// ([`Choice::BailEvent`]), a stage ([`Choice::BailStage`]), a court (`courts`), a surety
    /// amount in PKR and the surety's name (one line), conditions and the order; at most
    /// `max_items`.
    BailEvents {
        /// The most entries.
        max_items: usize,
    },
    /// A case's status history (see [`super::StatusChange`]): a day and a `case_statuses`
    /// code each; the vault adds an entry when the status changes; at most `max_items`.
    StatusHistory {
        /// The most entries.
        max_items: usize,
    },
}

/// A rule between fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CrossCheck {
    /// At least one of `fields` must be given (not blank) unless `unless` is true; refused on
    /// `field` with `reason`.
    OneOfUnless {
        /// The fields, one of which is needed.
        fields: Vec<&'static str>,
        /// The boolean field that lifts the rule.
        unless: &'static str,
        /// The field the error names.
        field: &'static str,
        /// Why, as the core says it.
        reason: Reason,
    },
    /// `field` may be given only when `requires` is true; refused on `field` with `reason`.
    OnlyWith {
        /// The field.
        field: &'static str,
        /// The boolean field that must be true.
        requires: &'static str,
        /// Why, as the core says it.
        reason: Reason,
    },
}

/// A fixed set of values a field draws from: one of the model's enums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// [`Gender`].
    Gender,
    /// [`PersonRole`].
    PersonRole,
    /// [`Level`].
    Level,
    /// [`Reliability`].
    Reliability,
    /// [`Verification`].
    Verification,
    /// [`ThreatStatus`].
    ThreatStatus,
    /// [`CaseKind`].
    CaseKind,
    /// [`BailStatus`].
    Bail,
    /// [`DisappearanceOutcome`].
    DisappearanceOutcome,
    /// [`LegalStatusAbroad`].
    LegalStatusAbroad,
    /// [`ProtectionMeasure`].
    ProtectionMeasure,
    /// [`ReferralStatus`].
    ReferralStatus,
    /// [`Precision`].
    Precision,
    /// [`HearingStatus`].
    HearingStatus,
    /// [`DeadlineFor`].
    DeadlineFor,
    /// [`BailEventKind`].
    BailEvent,
    /// [`BailStage`].
    BailStage,
}

/// A set's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChoiceValues {
    /// The set.
    pub choice: Choice,
    /// Its values as JSON writes them, in declaration order.
    pub values: Vec<String>,
}

/// The values of an enum, as serde writes them. The match makes the compiler refuse a variant
/// added to the enum and not listed here.
macro_rules! values {
    ($t:ident: $($v:ident),* $(,)?) => {{
        let _every_variant_listed = |x: $t| match x { $($t::$v)|* => {} };
        [$($t::$v),*].iter().map(|v| serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_owned)).unwrap_or_default()).collect()
    }};
}

impl Choice {
    /// Every set, in the order the rules list them.
    pub const ALL: [Self; 17] = [
        Self::Gender,
        Self::PersonRole,
        Self::Level,
        Self::Reliability,
        Self::Verification,
        Self::ThreatStatus,
        Self::CaseKind,
        Self::Bail,
        Self::DisappearanceOutcome,
        Self::LegalStatusAbroad,
        Self::ProtectionMeasure,
        Self::ReferralStatus,
        Self::Precision,
        Self::HearingStatus,
        Self::DeadlineFor,
        Self::BailEvent,
        Self::BailStage,
    ];

    /// The set's values, as JSON writes them, in declaration order.
    pub fn values(self) -> Vec<String> {
        match self {
            Self::Gender => values!(Gender: Female, Male, Transgender, Intersex, NonBinary, Undisclosed),
            Self::PersonRole => {
                values!(PersonRole: Defender, Victim, Witness, Lawyer, FamilyMember, Official, AllegedPerpetrator)
            }
            Self::Level => values!(Level: Low, Medium, High, Critical),
            Self::Reliability => values!(Reliability: Reliable, FairlyReliable, Unknown, Unreliable),
            Self::Verification => values!(Verification: Unverified, PartiallyVerified, Verified, Disputed),
            Self::ThreatStatus => values!(ThreatStatus: Active, Mitigated, Realised),
            Self::CaseKind => {
                values!(CaseKind: Criminalisation, EnforcedDisappearance, DetainedAbroad, RefugeeDeportation, Protection)
            }
            Self::Bail => values!(BailStatus: NotApplied, Applied, Granted, Refused, Cancelled),
            Self::DisappearanceOutcome => {
                values!(DisappearanceOutcome: Missing, Returned, CustodyAcknowledged, FoundDead)
            }
            Self::LegalStatusAbroad => {
                values!(LegalStatusAbroad: UnderInvestigation, OnTrial, Convicted, DeathRow, Appeal, Released)
            }
            Self::ProtectionMeasure => values!(ProtectionMeasure: EmergencyVisa, Asylum, Shelter, Grant, Relocation),
            Self::ReferralStatus => {
                values!(ReferralStatus: Planned, Sent, Acknowledged, Granted, Declined, Closed)
            }
            Self::Precision => values!(Precision: Exact, Day, Month, Year, Unknown),
            Self::HearingStatus => values!(HearingStatus: Scheduled, Held, Adjourned, NotTakenUp, Decided),
            Self::DeadlineFor => {
                values!(DeadlineFor: Appeal, Revision, Petition, Compliance, DocumentExpiry, Deportation, Reply, Other)
            }
            Self::BailEvent => {
                values!(BailEventKind: Applied, InterimGranted, Confirmed, Granted, Refused, Recalled, Cancelled)
            }
            Self::BailStage => values!(BailStage: PreArrest, PostArrest),
        }
    }
}

/// Every kind's rules and every set's values.
pub fn field_rules() -> FieldRules {
    FieldRules {
        kinds: Kind::ALL.into_iter().map(kind_rules).collect(),
        choices: Choice::ALL.into_iter().map(|choice| ChoiceValues { choice, values: choice.values() }).collect(),
    }
}

fn rule(name: &'static str, value: ValueRule) -> FieldRule {
    FieldRule { name, required: false, sensitive: false, value }
}
fn required(mut f: FieldRule) -> FieldRule {
    f.required = true;
    f
}
fn short(name: &'static str) -> FieldRule {
    rule(name, ValueRule::ShortText { max_chars: SHORT_TEXT })
}
fn long(name: &'static str) -> FieldRule {
    rule(name, ValueRule::LongText { max_chars: LONG_TEXT })
}
fn day(name: &'static str) -> FieldRule {
    rule(name, ValueRule::Day)
}
fn flag(name: &'static str) -> FieldRule {
    rule(name, ValueRule::Bool)
}
/// A set's value that may be left unset.
fn choice(name: &'static str, of: Choice) -> FieldRule {
    rule(name, ValueRule::Choice { of, nullable: true })
}
/// A set's value that always has one (the set's first by default).
fn choice_or_default(name: &'static str, of: Choice) -> FieldRule {
    rule(name, ValueRule::Choice { of, nullable: false })
}
fn vocab(name: &'static str, vocab: &'static str) -> FieldRule {
    rule(name, ValueRule::Vocabulary { vocab, parent_field: None })
}
fn vocab_list(name: &'static str, vocab: &'static str) -> FieldRule {
    rule(name, ValueRule::VocabularyList { vocab })
}
fn partial(name: &'static str, precision_field: &'static str) -> [FieldRule; 2] {
    [rule(name, ValueRule::PartialDate { precision_field }), choice(precision_field, Choice::Precision)]
}
fn level(name: &'static str) -> FieldRule {
    required(rule(name, ValueRule::Integer { min: 1, max: 5 }))
}
fn record(name: &'static str, kind: Kind) -> FieldRule {
    required(rule(name, ValueRule::Record { kind }))
}
fn degrees(name: &'static str, limit: f64) -> FieldRule {
    rule(name, ValueRule::Number { min: -limit, max: limit })
}

/// The rules of one kind, fields in the struct's declaration order.
pub fn kind_rules(kind: Kind) -> KindRules {
    let (fields, blocks, checks): (Vec<FieldRule>, Vec<BlockRules>, Vec<CrossCheck>) = match kind {
        Kind::Person => (
            vec![
                short("name"),
                short("pseudonym"),
                choice("gender", Choice::Gender),
                short("community"),
                short("profession"),
                rule("roles", ValueRule::ChoiceList { of: Choice::PersonRole }),
                choice("risk_level", Choice::Level),
                long("contact"),
                flag("consent_to_store"),
                flag("consent_to_share_with_lawyers"),
                flag("consent_to_publish_anonymised"),
                flag("anonymous"),
                long("notes"),
                rule("cnic", ValueRule::Cnic),
                rule("phone", ValueRule::Phone { max_chars: super::people::PHONE_MAX_CHARS }),
                short("address"),
            ],
            vec![],
            vec![
                CrossCheck::OneOfUnless {
                    fields: vec!["name", "pseudonym"],
                    unless: "anonymous",
                    field: "pseudonym",
                    reason: Reason::NameOrPseudonym,
                },
                CrossCheck::OnlyWith {
                    field: "community",
                    requires: "consent_to_store",
                    reason: Reason::CommunityWithoutConsent,
                },
            ],
        ),
        Kind::Organisation => (
            vec![
                required(short("name")),
                vocab("org_type", "organisation_types"),
                vocab("country", "countries"),
                long("contact"),
                long("notes"),
            ],
            vec![],
            vec![],
        ),
        Kind::Incident => {
            let mut f = vec![required(short("title")), long("description")];
            f.extend(partial("occurred_on", "occurred_precision"));
            f.extend([
                vocab("province", "provinces"),
                rule("district", ValueRule::Vocabulary { vocab: "districts", parent_field: Some("province") }),
                short("city"),
                degrees("latitude", 90.0),
                degrees("longitude", 180.0),
                vocab_list("incident_types", "incident_types"),
                vocab_list("perpetrator_types", "perpetrator_types"),
                long("source"),
                choice("source_reliability", Choice::Reliability),
                choice_or_default("verification_status", Choice::Verification),
            ]);
            (f, vec![], vec![])
        }
        Kind::Threat => {
            let mut f = vec![
                required(short("title")),
                long("description"),
                long("source"),
                vocab("channel", "threat_channels"),
                choice("level", Choice::Level),
                choice_or_default("status", Choice::ThreatStatus),
            ];
            f.extend(partial("received_on", "received_precision"));
            f.push(long("protection_measures"));
            (f, vec![], vec![])
        }
        Kind::Risk => (
            vec![
                record("person_id", Kind::Person),
                required(day("assessed_on")),
                level("threat_level"),
                level("vulnerability_level"),
                level("capacity_level"),
                long("protection_plan"),
                day("review_on"),
                long("notes"),
            ],
            vec![],
            vec![],
        ),
        Kind::Case => (
            vec![
                required(short("title")),
                choice_or_default("case_kind", Choice::CaseKind),
                rule("status", ValueRule::CaseStatus),
                short("fir_number"),
                day("fir_date"),
                short("police_station"),
                vocab("investigating_agency", "bodies"),
                vocab("court", "courts"),
                short("judge"),
                rule("charges", ValueRule::Charges),
                choice("bail", Choice::Bail),
                long("notes"),
                rule("bail_events", ValueRule::BailEvents { max_items: super::legal::MAX_EVENTS }),
                rule("status_history", ValueRule::StatusHistory { max_items: super::legal::MAX_EVENTS }),
            ],
            case_blocks(),
            vec![],
        ),
        Kind::Hearing => (
            vec![
                record("case_id", Kind::Case),
                required(day("date")),
                long("purpose"),
                long("outcome"),
                day("next_date"),
                vocab("court", "courts"),
                short("judge"),
                long("notes"),
                choice("status", Choice::HearingStatus),
                rule("follows", ValueRule::Record { kind: Kind::Hearing }),
                day("compliance_on"),
            ],
            vec![],
            vec![],
        ),
        Kind::Referral => (
            vec![
                required(short("title")),
                required(vocab("target", "referral_targets")),
                choice_or_default("status", Choice::ReferralStatus),
                short("reference_number"),
                day("sent_on"),
                day("follow_up_on"),
                long("notes"),
            ],
            vec![],
            vec![],
        ),
        Kind::Task => (
            vec![
                required(short("title")),
                day("due_on"),
                flag("done"),
                long("notes"),
                rule("case_id", ValueRule::Record { kind: Kind::Case }),
                choice("deadline", Choice::DeadlineFor),
                vocab("deadline_rule", "deadline_rules"),
            ],
            vec![],
            vec![],
        ),
    };
    let mut fields = fields;
    if kind == Kind::Person {
        for f in &mut fields {
            f.sensitive = Person::SENSITIVE.contains(&f.name);
        }
    }
    let score = (kind == Kind::Risk)
        .then(|| ScoreRule { multiply: vec!["threat_level", "vulnerability_level"], divide_by: "capacity_level" });
    KindRules {
        kind,
        fields,
        blocks,
        checks,
        score,
        list_columns: list_columns(kind).to_vec(),
        list_updated: list_updated(kind),
        date_field: date_field(kind),
    }
}

/// The field holding a record of `kind`'s date (see [`KindRules::date_field`]).
pub fn date_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Incident => Some("occurred_on"),
        Kind::Threat => Some("received_on"),
        Kind::Risk => Some("assessed_on"),
        Kind::Case => Some("fir_date"),
        Kind::Hearing => Some("date"),
        Kind::Referral => Some("sent_on"),
        Kind::Task => Some("due_on"),
        Kind::Person | Kind::Organisation => None,
    }
}

/// Whether a list of `kind` shows when each record last changed (see [`KindRules::list_updated`]).
pub fn list_updated(kind: Kind) -> bool {
    matches!(kind, Kind::Person | Kind::Organisation)
}

/// The fields a list of `kind` shows beside each record's label (see [`KindRules::list_columns`]).
/// A few short fields, so that a list page reads small rows kept beside the search index rather
/// than whole records (see `store/search.rs`, migration `search/0006_list_rows`).
pub fn list_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Person => &["roles", "risk_level"],
        Kind::Organisation => &["org_type", "country"],
        Kind::Incident => &["occurred_on", "district", "incident_types"],
        Kind::Threat => &["level", "status", "received_on"],
        Kind::Risk => &["assessed_on", "review_on"],
        Kind::Case => &["case_kind", "status", "fir_number", "court"],
        Kind::Hearing => &["date", "next_date", "court"],
        Kind::Referral => &["target", "status", "follow_up_on"],
        Kind::Task => &["due_on", "done"],
    }
}

fn case_blocks() -> Vec<BlockRules> {
    let mut disappearance = partial("last_seen_on", "last_seen_precision").to_vec();
    disappearance.extend([
        short("last_seen_place"),
        vocab("suspected_agency", "bodies"),
        short("habeas_petition_number"),
        short("coied_case_number"),
        short("wgeid_case_number"),
        choice_or_default("outcome", Choice::DisappearanceOutcome),
    ]);
    vec![
        BlockRules { name: "disappearance", case_kind: CaseKind::EnforcedDisappearance, fields: disappearance },
        BlockRules {
            name: "detention_abroad",
            case_kind: CaseKind::DetainedAbroad,
            fields: vec![
                vocab("country", "countries"),
                short("city"),
                short("prison"),
                long("charge"),
                choice("legal_status", Choice::LegalStatusAbroad),
                short("sentence"),
                rule("consular_access", ValueRule::MaybeBool),
                day("consular_access_on"),
                short("lawyer"),
                rule("family_contact", ValueRule::MaybeBool),
                short("transfer_status"),
                day("arrested_on"),
                day("sentenced_on"),
            ],
        },
        BlockRules {
            name: "refugee",
            case_kind: CaseKind::RefugeeDeportation,
            fields: vec![
                vocab("nationality", "countries"),
                vocab("documentation", "documentation_types"),
                day("documentation_expires_on"),
                flag("arrested_under_foreigners_act"),
                day("deportation_order_on"),
                day("deported_on"),
                short("unhcr_case_number"),
                long("at_risk_profile"),
            ],
        },
        BlockRules {
            name: "protection",
            case_kind: CaseKind::Protection,
            fields: vec![
                choice("measure", Choice::ProtectionMeasure),
                short("provider"),
                day("applied_on"),
                day("decided_on"),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    //! The rules agree with the validation: every rule is tried on a body that is otherwise valid.

    use serde_json::{Map, Value, json};

    use super::*;
    use crate::error::{Error, Result};
    use crate::model::{Check, Lookup, RecordData};

    /// A vault where every code is in its vocabulary except `nope`, with no parents and no
    /// extras, and where the record `<kind>-id` exists and is a `<kind>`.
    struct Fake;

    impl Lookup for Fake {
        fn vocab_entry(&self, _: &str, code: &str) -> Result<Option<(Option<String>, Option<String>)>> {
            Ok((code != "nope").then_some((None, None)))
        }
        fn section_as_written(&self, _: &str, _: &str) -> Result<bool> {
            Ok(true)
        }
        fn record_kind(&self, id: &str) -> Result<Option<String>> {
            Ok(id.strip_suffix("-id").map(str::to_owned))
        }
    }

    /// What validation says of `body` of `kind`: `None` if it is accepted, else the field and
    /// the reason.
    fn verdict(kind: Kind, body: &Map<String, Value>) -> Option<(Option<String>, Reason)> {
        let result = RecordData::parse(kind, body.clone())
            .map_err(Error::from)
            .and_then(|mut data| data.validate(&Check::new(&Fake)));
        match result {
            Ok(()) => None,
            Err(Error::Invalid(i)) => Some((i.field, i.reason)),
            Err(e) => panic!("{kind}: not an input error: {e}"),
        }
    }

    /// A valid value for a required field.
    fn valid(rule: &FieldRule) -> Value {
        match &rule.value {
            ValueRule::ShortText { .. } | ValueRule::LongText { .. } | ValueRule::Vocabulary { .. } => json!("x"),
            ValueRule::Integer { min, .. } => json!(min),
            ValueRule::Day => json!("2024-03-05"),
            ValueRule::Record { kind } => json!(format!("{kind}-id")),
            other => panic!("{}: no valid value for a required {other:?}", rule.name),
        }
    }

    /// The smallest valid body of `kind`: its required fields, and for a person a name, a
    /// pseudonym and the consent a community needs (each field can then be tried alone).
    fn base(rules: &KindRules) -> Map<String, Value> {
        let mut body: Map<String, Value> =
            rules.fields.iter().filter(|f| f.required).map(|f| (f.name.to_owned(), valid(f))).collect();
        if rules.kind == Kind::Person {
            body.insert("name".into(), json!("x"));
            body.insert("pseudonym".into(), json!("x"));
            body.insert("consent_to_store".into(), json!(true));
        }
        // A task marked as a deadline needs the day it falls due.
        if rules.kind == Kind::Task {
            body.insert("due_on".into(), json!("2024-03-05"));
        }
        body
    }

    /// A field to try: its kind, a valid body to put it in, the path errors name it by, its block
    /// (`""` at the top level) and its rule.
    type Trial = (Kind, Map<String, Value>, String, &'static str, FieldRule);

    /// Every field of every kind with the body to put it in and the path an error names it by.
    fn every_field() -> Vec<Trial> {
        let mut all = Vec::new();
        for rules in field_rules().kinds {
            let body = base(&rules);
            for f in &rules.fields {
                all.push((rules.kind, body.clone(), f.name.to_owned(), "", f.clone()));
            }
            for b in &rules.blocks {
                let mut body = body.clone();
                body.insert("case_kind".into(), serde_json::to_value(b.case_kind).expect("case kind"));
                body.insert(b.name.into(), json!({}));
                for f in &b.fields {
                    all.push((rules.kind, body.clone(), format!("{}.{}", b.name, f.name), b.name, f.clone()));
                }
            }
        }
        all
    }

    /// `body` with `value` at `path` (inside `block` when there is one).
    fn with(body: &Map<String, Value>, block: &str, name: &str, value: Value) -> Map<String, Value> {
        let mut body = body.clone();
        let target = if block.is_empty() {
            &mut body
        } else {
            body.get_mut(block).and_then(Value::as_object_mut).expect("block")
        };
        target.insert(name.to_owned(), value);
        body
    }

    /// The fields added after the first vaults, which a body holds only when they are set (so
    /// that records written before them read and hash exactly as they were written).
    const WRITTEN_WHEN_SET: &[&str] = &[
        "cnic",
        "phone",
        "address",
        "bail_events",
        "status_history",
        "status",
        "follows",
        "compliance_on",
        "case_id",
        "deadline",
        "deadline_rule",
        "arrested_on",
        "sentenced_on",
    ];

    /// The keys of a body's JSON with every field written: the empty body's, and those written
    /// only when set.
    fn keys_when_set<'a>(written: impl Iterator<Item = &'a String>, named: &[&'a str]) -> Vec<&'a str> {
        let mut keys: Vec<&str> = written.map(String::as_str).collect();
        for n in named {
            if WRITTEN_WHEN_SET.contains(n) && !keys.contains(n) {
                keys.push(n);
            }
        }
        keys
    }

    #[test]
    fn the_rules_name_every_field_of_every_body_and_no_other() {
        for rules in field_rules().kinds {
            let empty = RecordData::parse(rules.kind, Map::new()).expect("defaults").to_json();
            let mut named: Vec<&str> = rules.fields.iter().map(|f| f.name).collect();
            named.extend(rules.blocks.iter().map(|b| b.name));
            let mut keys: Vec<&str> = keys_when_set(empty.keys(), &named);
            named.sort_unstable();
            keys.sort_unstable();
            assert_eq!(named, keys, "{}", rules.kind);
            for b in &rules.blocks {
                let mut body = base(&rules);
                body.insert("case_kind".into(), serde_json::to_value(b.case_kind).expect("case kind"));
                body.insert(b.name.into(), json!({}));
                let data = RecordData::parse(rules.kind, body).expect("block");
                let json = data.to_json();
                let mut named: Vec<&str> = b.fields.iter().map(|f| f.name).collect();
                let mut keys = keys_when_set(json[b.name].as_object().expect("block object").keys(), &named);
                keys.sort_unstable();
                named.sort_unstable();
                assert_eq!(named, keys, "{}", b.name);
            }
        }
    }

    #[test]
    fn the_smallest_body_of_every_kind_and_every_block_is_valid() {
        for (kind, body, path, ..) in every_field() {
            assert_eq!(verdict(kind, &body), None, "{kind} {path}: {body:?}");
        }
    }

    #[test]
    fn every_required_field_is_required() {
        let mut checked = 0;
        for (kind, body, path, block, f) in every_field() {
            if !f.required {
                continue;
            }
            let mut without = body.clone();
            without.remove(f.name);
            // A level left out reads as 0, which is out of its range: refused as such.
            let reason =
                if matches!(f.value, ValueRule::Integer { .. }) { Reason::NotALevel } else { Reason::Required };
            assert_eq!(verdict(kind, &without), Some((Some(path.clone()), reason)), "{kind} {path} missing");
            if matches!(
                f.value,
                ValueRule::ShortText { .. } | ValueRule::Vocabulary { .. } | ValueRule::Day | ValueRule::Record { .. }
            ) {
                let blank = with(&body, block, f.name, json!("  "));
                assert_eq!(verdict(kind, &blank), Some((Some(path.clone()), Reason::Required)), "{kind} {path} blank");
            }
            checked += 1;
        }
        assert_eq!(checked, 14, "every required field of every kind");
    }

    #[test]
    fn every_optional_field_may_be_left_out() {
        for (kind, body, path, block, f) in every_field() {
            if f.required {
                continue;
            }
            // Sets, lists and booleans have a default instead; every other optional field may be null.
            if matches!(
                f.value,
                ValueRule::ShortText { .. }
                    | ValueRule::LongText { .. }
                    | ValueRule::Number { .. }
                    | ValueRule::MaybeBool
                    | ValueRule::Vocabulary { .. }
                    | ValueRule::CaseStatus
                    | ValueRule::Day
                    | ValueRule::PartialDate { .. }
                    | ValueRule::Cnic
                    | ValueRule::Phone { .. }
                    | ValueRule::Record { .. }
            ) {
                assert_eq!(verdict(kind, &with(&body, block, f.name, Value::Null)), None, "{kind} {path} null");
            }
        }
    }

    #[test]
    fn every_text_is_refused_one_character_past_its_limit() {
        let mut checked = 0;
        for (kind, body, path, block, f) in every_field() {
            let (max, one_line) = match f.value {
                ValueRule::ShortText { max_chars } => (max_chars, true),
                ValueRule::LongText { max_chars } => (max_chars, false),
                _ => continue,
            };
            // Counted in characters, not bytes: Urdu letters are two bytes each.
            let at_limit = with(&body, block, f.name, json!("ب".repeat(max)));
            assert_eq!(verdict(kind, &at_limit), None, "{kind} {path} at {max}");
            let over = with(&body, block, f.name, json!("a".repeat(max + 1)));
            assert_eq!(verdict(kind, &over), Some((Some(path.clone()), Reason::TooLong)), "{kind} {path} over {max}");
            let lines = with(&body, block, f.name, json!("one\ntwo"));
            let expected = one_line.then(|| (Some(path.clone()), Reason::NotOneLine));
            assert_eq!(verdict(kind, &lines), expected, "{kind} {path} two lines");
            checked += 1;
        }
        assert_eq!(checked, 47, "every text of every kind and block");
    }

    #[test]
    fn numbers_are_refused_outside_their_range() {
        let mut checked = 0;
        for (kind, body, path, block, f) in every_field() {
            let (inside, outside, reason) = match f.value {
                ValueRule::Integer { min, max } => {
                    (vec![json!(min), json!(max)], vec![json!(min - 1), json!(max + 1)], Reason::NotALevel)
                }
                ValueRule::Number { min, max } => {
                    (vec![json!(min), json!(max)], vec![json!(min - 0.001), json!(max + 0.001)], Reason::NotACoordinate)
                }
                _ => continue,
            };
            for v in inside {
                assert_eq!(verdict(kind, &with(&body, block, f.name, v.clone())), None, "{kind} {path} {v}");
            }
            for v in outside {
                let got = verdict(kind, &with(&body, block, f.name, v.clone()));
                assert_eq!(got, Some((Some(path.clone()), reason)), "{kind} {path} {v}");
            }
            checked += 1;
        }
        assert_eq!(checked, 5, "three levels, two coordinates");
    }

    #[test]
    fn dates_codes_records_and_choices_are_checked_as_the_rules_say() {
        for (kind, body, path, block, f) in every_field() {
            let (bad, reason) = match &f.value {
                ValueRule::Day => (json!("2024-03"), Reason::NotADay),
                ValueRule::PartialDate { .. } => (json!("last spring"), Reason::NotAPartialDate),
                ValueRule::Vocabulary { .. } | ValueRule::CaseStatus | ValueRule::Choice { .. } => {
                    (json!("nope"), Reason::NotInVocabulary)
                }
                ValueRule::VocabularyList { .. } => (json!(["x", "nope"]), Reason::NotInVocabulary),
                ValueRule::Record { kind: wanted } => {
                    let other = if *wanted == Kind::Case { "person-id" } else { "case-id" };
                    (json!(other), Reason::WrongKind)
                }
                ValueRule::Cnic => (json!("12345-123456-1"), Reason::NotACnic),
                ValueRule::Phone { .. } => (json!("call me"), Reason::NotAPhoneNumber),
                _ => continue,
            };
            let named =
                if matches!(f.value, ValueRule::VocabularyList { .. }) { format!("{path}[1]") } else { path.clone() };
            let got = verdict(kind, &with(&body, block, f.name, bad.clone()));
            assert_eq!(got, Some((Some(named), reason)), "{kind} {path} {bad}");
            // (A precision is tried with its date, in `date.rs`: alone it is refused.)
            if let ValueRule::Choice { of, nullable } = f.value
                && of != Choice::Precision
            {
                for v in of.values() {
                    assert_eq!(verdict(kind, &with(&body, block, f.name, json!(v))), None, "{kind} {path} {v}");
                }
                let null = verdict(kind, &with(&body, block, f.name, Value::Null));
                let expected = (!nullable).then(|| (Some(path.clone()), Reason::WrongType));
                assert_eq!(null, expected, "{kind} {path} null");
            }
        }
    }

    #[test]
    fn a_district_must_lie_in_the_province_named_by_its_parent_field() {
        struct Punjab;
        impl Lookup for Punjab {
            fn vocab_entry(&self, vocab: &str, _: &str) -> Result<Option<(Option<String>, Option<String>)>> {
                Ok(Some(((vocab == "districts").then(|| "pb".to_owned()), None)))
            }
            fn section_as_written(&self, _: &str, _: &str) -> Result<bool> {
                Ok(true)
            }
            fn record_kind(&self, _: &str) -> Result<Option<String>> {
                Ok(None)
            }
        }
        let rules = kind_rules(Kind::Incident);
        let district = rules.fields.iter().find(|f| f.name == "district").expect("district");
        let ValueRule::Vocabulary { parent_field: Some(parent), .. } = district.value else { panic!("a parent field") };
        let mut body = base(&rules);
        body.insert(parent.into(), json!("sd"));
        body.insert("district".into(), json!("lahore"));
        let mut data = RecordData::parse(Kind::Incident, body).expect("parse");
        match data.validate(&Check::new(&Punjab)) {
            Err(Error::Invalid(i)) => {
                assert_eq!((i.field.as_deref(), i.reason), (Some("district"), Reason::DistrictNotInProvince));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_person_rules_are_the_ones_checked() {
        let rules = kind_rules(Kind::Person);
        for check in &rules.checks {
            match check {
                CrossCheck::OneOfUnless { fields, unless, field, reason } => {
                    let none = Map::new();
                    assert_eq!(verdict(Kind::Person, &none), Some((Some((*field).to_owned()), *reason)));
                    for f in fields {
                        let one: Map<String, Value> = [((*f).to_owned(), json!("x"))].into_iter().collect();
                        assert_eq!(verdict(Kind::Person, &one), None, "{f} alone");
                        let blank: Map<String, Value> = [((*f).to_owned(), json!(" "))].into_iter().collect();
                        assert_eq!(
                            verdict(Kind::Person, &blank),
                            Some((Some((*field).to_owned()), *reason)),
                            "{f} blank"
                        );
                    }
                    let lifted: Map<String, Value> = [((*unless).to_owned(), json!(true))].into_iter().collect();
                    assert_eq!(verdict(Kind::Person, &lifted), None, "{unless}");
                }
                CrossCheck::OnlyWith { field, requires, reason } => {
                    let mut body = base(&rules);
                    body.insert((*requires).to_owned(), json!(false));
                    body.insert((*field).to_owned(), json!("x"));
                    assert_eq!(verdict(Kind::Person, &body), Some((Some((*field).to_owned()), *reason)));
                    body.insert((*requires).to_owned(), json!(true));
                    assert_eq!(verdict(Kind::Person, &body), None);
                }
            }
        }
        assert_eq!(rules.checks.len(), 2);
        assert!(field_rules().kinds.iter().filter(|k| k.kind != Kind::Person).all(|k| k.checks.is_empty()));
    }

    #[test]
    fn the_risk_score_is_the_one_the_core_computes() {
        let rules = kind_rules(Kind::Risk);
        let score = rules.score.expect("a risk has a score");
        assert!(field_rules().kinds.iter().filter(|k| k.kind != Kind::Risk).all(|k| k.score.is_none()));
        for (t, v, c) in (0..=5).flat_map(|t| (0..=5).flat_map(move |v| (0..=5).map(move |c| (t, v, c)))) {
            let risk =
                crate::model::Risk { threat_level: t, vulnerability_level: v, capacity_level: c, ..Default::default() };
            let body = RecordData::Risk(risk.clone()).to_json();
            let product: f64 = score.multiply.iter().map(|f| body[*f].as_f64().expect("number")).product();
            let by = body[score.divide_by].as_f64().expect("number").max(1.0);
            assert!((product / by - risk.score()).abs() < 1e-12, "{t} {v} {c}");
        }
    }

    #[test]
    fn every_set_lists_values_the_model_reads() {
        for choice in Choice::ALL {
            let values = choice.values();
            assert!(!values.is_empty() && values.iter().all(|v| !v.is_empty()), "{choice:?}");
        }
        assert_eq!(Choice::Level.values(), ["low", "medium", "high", "critical"]);
    }
}
