//! The record model: every kind of record a defender or a lawyer keeps, as typed structs.
//!
//! JSON field names are plain snake_case English. Input is strict: an unknown field, a wrong
//! type, a code that is not in its vocabulary, or a reference to a record of the wrong kind is
//! rejected with the field's path. Free text is stored exactly as given (Urdu zero-width
//! non-joiners and diacritics included); it is never trimmed or normalised.
//!
//! The envelope fields `id`, `kind`, `created_at` and `updated_at` are not part of these structs:
//! the vault assigns and stores them beside the body (see [`crate::records`]).
//!
//! The kinds live by family: `people` (persons, organisations), `events` (incidents, threats, risk
//! assessments), `legal` (cases and their details, hearings, referrals) and `work` (tasks). This
//! file holds what spans them: [`Kind`], [`RecordData`], strict parsing whose errors repeat no
//! input, and the validation dispatch. `validate` holds the rules that need the vault, asked
//! through the [`Lookup`] trait (implemented by the store): nothing in this folder runs SQL.

pub mod date;
mod events;
mod legal;
mod people;
pub mod rules;
pub(crate) mod validate;
mod work;

pub use events::*;
pub use legal::*;
pub use people::*;
pub use validate::{Check, Lookup};
pub use work::*;

use validate::{LONG_TEXT, blank, coordinate, long, required, short};

use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Invalid, Reason, Result};

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
            // A deadline task's case is optional; a hearing's is required.
            Self::Hearing | Self::Task => Some(("case_id", Self::Case)),
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
            Self::Task(t) => t.case_id.as_deref(),
            _ => None,
        }
    }

    /// Whether this is a deadline (a task with a deadline's purpose): the UI warns before one is
    /// deleted, because a forgotten limitation period cannot be undone.
    pub fn is_deadline(&self) -> bool {
        matches!(self, Self::Task(t) if t.deadline.is_some())
    }

    /// Whether this is a person known by a name (or by nothing) but no pseudonym: lists show a
    /// placeholder, never the name (see [`RecordData::label`]).
    pub fn name_withheld(&self) -> bool {
        matches!(self, Self::Person(p) if blank(p.pseudonym.as_deref()) && (p.name.is_some() || p.anonymous))
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
        self.validate_to_json(check).map(drop)
    }

    /// [`RecordData::validate`], returning the valid body as [`RecordData::body_json`] makes it:
    /// the check for NUL serialises the body, and an insert stores and hashes that same text, so
    /// a bulk import serialises each record once, not twice.
    pub(crate) fn validate_to_json(&mut self, check: &Check<'_>) -> Result<String> {
        self.validate_fields(check)?;
        // No text may hold a NUL. Looked for in the serialised body (where it is `\u0000`), which
        // is cheap; only when one is there is the body walked to name the field. Every key of a
        // parsed body is one of the model's own field names, never input.
        let body = self.body_json();
        if body.contains("\\u0000") {
            check_texts(&Value::Object(self.to_json()), "")?;
        }
        Ok(body)
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
                check_cnic("cnic", p.cnic.as_deref())?;
                check_phone("phone", p.phone.as_deref())?;
                short("address", p.address.as_deref())?;
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
                // That the hearing this one follows exists (and is of the same case) is checked
                // by the vault, and only when it changes: it may since have been deleted, and a
                // hearing is not refused every later change for that. Here: not another kind.
                if let Some(follows) = &mut h.follows {
                    *follows = normalise_id(follows);
                    check.record_if_present("follows", follows, Kind::Hearing)?;
                }
                date::check_day("compliance_on", h.compliance_on.as_deref())?;
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
                // A deadline without a day is shown nowhere: the dashboard and the timeline
                // list deadlines by the day they fall due.
                if t.deadline.is_some() && t.due_on.is_none() {
                    return Err(
                        Invalid::field("due_on", Reason::Required, "a deadline needs the day it falls due").into()
                    );
                }
                long("notes", t.notes.as_deref())?;
                if let Some(case_id) = &mut t.case_id {
                    *case_id = normalise_id(case_id);
                    check.record("case_id", case_id, Kind::Case)?;
                }
                check.vocab("deadline_rule", "deadline_rules", t.deadline_rule.as_deref())?;
            }
        }
        Ok(())
    }
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
