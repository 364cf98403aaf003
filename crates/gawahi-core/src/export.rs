//! Plaintext export, only when asked, honouring consent and anonymity flags.
//!
//! The output is JSON Lines in exactly the shape [`crate::Vault::import_jsonl`] reads: the
//! vocabulary entries the user added (full mode only), records (oldest first), then links. A full
//! export imports into a new vault as it is. Two modes:
//!
//! - **Full** export is for the vault's owner. It still withholds the real `name` and `contact`
//!   of every person flagged `anonymous`: that flag means these never leave the vault. (An
//!   anonymous person needs neither a name nor a pseudonym, so the record imports again.)
//! - **Anonymised** export is for statistics and advocacy (UN special procedures, UPR, NCHR). It
//!   keeps only categorical fields (types, places down to district, statuses, statutes) and dates
//!   reduced to the month; drops every free-text field, every name and number that could identify
//!   someone, tasks and risk assessments; includes only persons who consented to anonymised
//!   publication; and replaces every id with a stable pseudonymous one (an HMAC of the id under
//!   a key derived from the master key: the same in every export of this vault, so a published
//!   collection can be updated, and matched back to the vault by nobody without its key); a
//!   person gets a pseudonym made the same way. What is kept is an allow-list per kind and per nested block ([`allowed`]): a field
//!   added to the model later stays out until someone decides it is categorical.

use std::collections::HashMap;
use std::io::Write;

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::RecordData;
use crate::records::{self, Record};
use crate::report::Pseudonyms;
use crate::{links, vocab};

/// How to export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Anonymise (see the module documentation).
    pub anonymise: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Records written.
    pub records: u64,
    /// Links written.
    pub links: u64,
    /// Records left out (anonymised mode) or with fields withheld (full mode).
    pub withheld: u64,
}

pub(crate) fn write(
    conn: &Connection,
    options: ExportOptions,
    pseudonyms: &Pseudonyms,
    mut out: impl Write,
) -> Result<ExportSummary> {
    let mut summary = ExportSummary::default();
    let mut aliases: HashMap<String, String> = HashMap::new();
    let mut emit = |value: &Map<String, Value>| -> Result<()> {
        serde_json::to_writer(&mut out, value).map_err(|e| Error::io("write", "export")(e.into()))?;
        out.write_all(b"\n").map_err(Error::io("write", "export"))
    };
    if !options.anonymise {
        for (vocab, entry) in vocab::user_entries(conn)? {
            if let Value::Object(m) = json!({"kind": "vocab", "vocab": vocab, "entry": entry}) {
                emit(&m)?;
            }
        }
    }
    // Anonymised lines wait to be written in the order of their aliases: records come in the
    // order of their ids, UUIDv7s that begin with the moment each was made, and lines in that
    // order would tell in which order they were entered (for incidents logged the day they
    // happened, the order of the days their month-cut dates hide). Records that belong to
    // another (hearings, risk assessments) still come after every other, as `import` needs.
    let mut held: Vec<(bool, String, Map<String, Value>)> = Vec::new();
    records::for_each(conn, |r| {
        let line = if options.anonymise { anonymised(&r, pseudonyms, &mut aliases) } else { Some(full(&r)) };
        match line {
            Some((obj, withheld)) if options.anonymise => {
                let alias = obj.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                held.push((r.data.parent_id().is_some(), alias, obj));
                summary.records += 1;
                summary.withheld += u64::from(withheld);
            }
            Some((obj, withheld)) => {
                emit(&obj)?;
                summary.records += 1;
                summary.withheld += u64::from(withheld);
            }
            None => summary.withheld += 1,
        }
        Ok(())
    })?;
    held.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (_, _, obj) in &held {
        emit(obj)?;
    }
    for l in links::all(conn)? {
        let obj = if options.anonymise {
            let (Some(from), Some(to)) = (aliases.get(&l.from_id), aliases.get(&l.to_id)) else { continue };
            json!({"kind": "link", "from_id": from, "to_id": to, "role": l.role})
        } else {
            json!({"kind": "link", "id": l.id, "from_id": l.from_id, "to_id": l.to_id, "role": l.role, "created_at": l.created_at})
        };
        if let Value::Object(m) = obj {
            emit(&m)?;
        }
        summary.links += 1;
    }
    out.flush().map_err(Error::io("write", "export"))?;
    Ok(summary)
}

/// The whole record, less what identifies or locates an anonymous person
/// ([`crate::model::Person::SENSITIVE`]: real name, contact, CNIC, phone, address).
pub(crate) fn full(r: &Record) -> (Map<String, Value>, bool) {
    let mut obj = r.to_json();
    let withheld = matches!(&r.data, RecordData::Person(p) if p.anonymous);
    if withheld {
        for field in crate::model::Person::SENSITIVE {
            // The fields written only when set stay out; the others are there as null, as ever.
            if let Some(v) = obj.get_mut(field) {
                *v = Value::Null;
            }
        }
    }
    (obj, withheld)
}

/// The fields an anonymised export keeps of a record of this kind, or `None` if no record of it
/// is published at all. Only categorical fields (vocabulary codes, enumerations, flags) and
/// dates (cut to the month below) are here: never free text, names, numbers or places finer
/// than a district. A person's `community` and `profession` are free text ("editor of Daily
/// Example, Karachi") and stay out.
pub(crate) fn allowed(data: &RecordData) -> Option<&'static [&'static str]> {
    Some(match data {
        RecordData::Person(p) if p.consent_to_publish_anonymised => &["gender", "roles", "risk_level"],
        RecordData::Organisation(_) => &["org_type", "country"],
        RecordData::Incident(_) => &[
            "occurred_on",
            "occurred_precision",
            "province",
            "district",
            "incident_types",
            "perpetrator_types",
            "source_reliability",
            "verification_status",
        ],
        RecordData::Threat(_) => &["channel", "level", "status", "received_on", "received_precision"],
        RecordData::Case(_) => &[
            "case_kind",
            "status",
            "investigating_agency",
            "court",
            "charges",
            "bail",
            "disappearance",
            "detention_abroad",
            "refugee",
            "protection",
        ],
        RecordData::Hearing(_) => &["case_id", "date", "court"],
        RecordData::Referral(_) => &["target", "status", "sent_on"],
        // Persons without consent, risk assessments and tasks are private to the vault.
        _ => return None,
    })
}

/// The fields an anonymised export keeps inside a case's nested blocks and charges.
const ALLOWED_NESTED: &[(&str, &[&str])] = &[
    ("charges", &["statute", "section"]),
    ("disappearance", &["last_seen_on", "last_seen_precision", "suspected_agency", "outcome"]),
    ("detention_abroad", &["country", "legal_status", "consular_access", "family_contact"]),
    ("refugee", &["nationality", "documentation", "arrested_under_foreigners_act"]),
    ("protection", &["measure"]),
];

/// The categorical skeleton of a record, or `None` if it must not be published at all.
fn anonymised(
    r: &Record,
    pseudonyms: &Pseudonyms,
    aliases: &mut HashMap<String, String>,
) -> Option<(Map<String, Value>, bool)> {
    let keep = allowed(&r.data)?;
    let body = r.data.to_json();
    let mut obj = Map::new();
    let alias = aliases.entry(r.id.clone()).or_insert_with(|| pseudonyms.uuid(&r.id)).clone();
    obj.insert("id".into(), Value::String(alias));
    obj.insert("kind".into(), Value::String(r.kind().as_str().into()));
    // A published person goes by the vault's stable pseudonym for them, never by the name or
    // the pseudonym the user typed.
    if r.kind() == crate::model::Kind::Person {
        obj.insert("pseudonym".into(), Value::String(pseudonyms.title(r.kind(), &r.id)));
    }
    for key in keep {
        if let Some(v) = body.get(*key) {
            obj.insert((*key).to_owned(), v.clone());
        }
    }
    // A hearing is published only with its case, under the case's new id.
    if let Some(case) = body.get("case_id").and_then(Value::as_str) {
        obj.insert("case_id".into(), Value::String(aliases.get(case)?.clone()));
    }
    for (date, precision) in [("occurred_on", "occurred_precision"), ("received_on", "received_precision")] {
        to_month(&mut obj, date, Some(precision));
    }
    for date in ["date", "sent_on"] {
        to_month(&mut obj, date, None);
    }
    for (block, fields) in ALLOWED_NESTED {
        match obj.get_mut(*block) {
            Some(Value::Object(details)) => details.retain(|k, _| fields.contains(&k.as_str())),
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::Object(details) = item {
                        details.retain(|k, _| fields.contains(&k.as_str()));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(Value::Object(details)) = obj.get_mut("disappearance") {
        to_month(details, "last_seen_on", Some("last_seen_precision"));
    }
    Some((obj, false))
}

/// Cuts a date down to its month (`2024-03-05` → `2024-03`), setting its precision to match.
fn to_month(obj: &mut Map<String, Value>, field: &str, precision_field: Option<&str>) {
    let Some(Value::String(date)) = obj.get(field) else { return };
    if date.len() >= 7 {
        let month = date[..7].to_owned();
        obj.insert(field.to_owned(), Value::String(month));
        if let Some(p) = precision_field {
            obj.insert(p.to_owned(), Value::String("month".into()));
        }
    }
}
