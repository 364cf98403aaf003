//! Tables of one kind of record, one row a record, in the shape Uwazi (HURIDOCS) imports: a
//! `title` column, dates as `YYYY-MM-DD` (or as precisely as known), select values by their
//! English label, several values in one cell joined with `|`, a charge as the grouped
//! thesaurus writes it (`statute::section`), and links to other records by their titles. Written
//! as CSV or as JSON Lines (one object a row, several values as arrays).
//!
//! Anonymised (see `docs/anonymised-export.md`): only records [`crate::export::allowed`]
//! publishes (persons who consented to anonymised publication; no risk assessments or tasks);
//! every title a stable pseudonym ([`super::Pseudonyms`]); no free text, no name, no number, no
//! coordinates; a person's sensitive fields never; dates cut to the month and places to the
//! district when asked. Not anonymised (the vault owner's own table): everything, except what
//! the `anonymous` flag keeps in the vault ([`crate::model::Person::SENSITIVE`]).
//!
//! Every column has a class, and the anonymised table keeps a column only by its class: a
//! column added later as free text stays out without anyone remembering to leave it out.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use serde_json::{Map, Value};

use super::{Labels, Pseudonyms};
use crate::bundle::writer::csv_line;
use crate::error::{Error, Invalid, Reason, Result};
use crate::links::Link;
use crate::model::{Kind, RecordData};
use crate::records::Record;
use crate::vocab::Lang;

/// How to make a table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Anonymise (see the module documentation).
    pub anonymise: bool,
    /// Cut every date to its month (`2024-03-05` → `2024-03`). Only with `anonymise`.
    pub coarsen_dates: bool,
    /// Leave out cities and towns, keeping province and district. Only with `anonymise`.
    pub coarsen_places: bool,
}

/// The format a table is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV (RFC 4180, CRLF, UTF-8), the header first.
    Csv,
    /// JSON Lines: one object a row.
    Json,
}

/// The kinds a table can be made of: every kind a monitoring network publishes. Risk
/// assessments and tasks are private to the vault.
pub const TABLE_KINDS: [Kind; 7] =
    [Kind::Incident, Kind::Case, Kind::Person, Kind::Threat, Kind::Hearing, Kind::Referral, Kind::Organisation];

/// What a column holds, which decides whether an anonymised table keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// The row's title: a pseudonym when anonymised.
    Title,
    /// A value from a vocabulary or a fixed set, or a flag.
    Category,
    /// A date (cut to the month when asked).
    Date,
    /// A city or town (left out when places are coarsened).
    City,
    /// Titles of linked records (only published ones, by their pseudonyms, when anonymised).
    Relation,
    /// Free text, numbers and names that may identify someone: never anonymised.
    Private,
}

/// One cell: a single value or several (joined with `|` in CSV).
#[derive(Debug, Clone)]
enum Cell {
    One(String),
    Many(Vec<String>),
}

impl Cell {
    fn opt(v: Option<impl Into<String>>) -> Self {
        Self::One(v.map(Into::into).unwrap_or_default())
    }

    fn csv(&self) -> String {
        match self {
            Self::One(s) => s.clone(),
            // A `|` inside a value would split it in two: Uwazi has no escape for it.
            Self::Many(v) => v.iter().map(|s| s.replace('|', "/")).collect::<Vec<_>>().join("|"),
        }
    }

    fn json(&self) -> Value {
        match self {
            Self::One(s) => Value::String(s.clone()),
            Self::Many(v) => Value::Array(v.iter().cloned().map(Value::String).collect()),
        }
    }
}

/// The records, links and labels a table is made from.
pub(crate) struct Source<'a> {
    pub(crate) records: &'a [Record],
    pub(crate) links: &'a [Link],
    pub(crate) labels: &'a Labels,
    pub(crate) pseudonyms: &'a Pseudonyms,
}

struct Context<'a> {
    source: &'a Source<'a>,
    options: TableOptions,
    by_id: HashMap<&'a str, &'a Record>,
    linked: HashMap<&'a str, BTreeSet<&'a str>>,
}

impl<'a> Context<'a> {
    fn new(source: &'a Source<'a>, options: TableOptions) -> Self {
        let by_id: HashMap<&str, &Record> = source.records.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut linked: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for l in source.links {
            linked.entry(&l.from_id).or_default().insert(&l.to_id);
            linked.entry(&l.to_id).or_default().insert(&l.from_id);
        }
        // A hearing belongs to its case without a link; the case and the hearing name each other.
        for r in source.records {
            if let Some(parent) = r.data.parent_id() {
                linked.entry(&r.id).or_default().insert(parent);
                linked.entry(parent).or_default().insert(&r.id);
            }
        }
        Self { source, options, by_id, linked }
    }

    fn published(&self, r: &Record) -> bool {
        !self.options.anonymise || crate::export::allowed(&r.data).is_some()
    }

    fn label(&self, vocab: &str, code: Option<&str>) -> Cell {
        Cell::opt(code.map(|c| self.source.labels.get(vocab, c, Lang::En)))
    }

    fn labels(&self, vocab: &str, codes: &[String]) -> Cell {
        Cell::Many(codes.iter().map(|c| self.source.labels.get(vocab, c, Lang::En)).collect())
    }

    /// The title a record goes by in this table.
    fn title(&self, r: &Record) -> String {
        if self.options.anonymise {
            return self.source.pseudonyms.title(r.kind(), &r.id);
        }
        match &r.data {
            RecordData::Person(p) if !p.anonymous => p.name.clone().or_else(|| p.pseudonym.clone()).unwrap_or_default(),
            // An anonymous person's name stays in the vault; their pseudonym, or ours, stands in.
            RecordData::Person(p) => {
                p.pseudonym.clone().unwrap_or_else(|| self.source.pseudonyms.title(Kind::Person, &r.id))
            }
            RecordData::Hearing(h) => {
                let case = self.by_id.get(h.case_id.as_str()).map(|c| c.data.label()).unwrap_or_default();
                format!("{case} {}", h.date).trim().to_owned()
            }
            other => other.label(),
        }
    }

    /// The titles of the published records of `kind` linked to `id`.
    fn related(&self, id: &str, kind: Kind) -> Cell {
        let mut titles: Vec<String> = self
            .linked
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|other| self.by_id.get(other))
            .filter(|r| r.kind() == kind && self.published(r))
            .map(|r| self.title(r))
            .collect();
        titles.sort();
        Cell::Many(titles)
    }
}

fn code<T: serde::Serialize>(v: Option<&T>) -> Cell {
    Cell::opt(v.and_then(|v| serde_json::to_value(v).ok()).and_then(|v| v.as_str().map(str::to_owned)))
}

fn flag(v: bool) -> Cell {
    Cell::One(if v { "yes" } else { "no" }.into())
}

/// The row of one record: `(column, class, cell)` in the table's column order.
fn row(cx: &Context<'_>, record: &Record) -> Vec<(&'static str, Class, Cell)> {
    use Class::{Category, City, Date, Private, Relation, Title};
    let mut cols: Vec<(&'static str, Class, Cell)> = vec![("title", Title, Cell::One(cx.title(record)))];
    let mut push = |name, class, cell| cols.push((name, class, cell));
    match &record.data {
        RecordData::Incident(i) => {
            push("date", Date, Cell::opt(i.occurred_on.clone()));
            push("date_precision", Category, code(i.occurred_precision.as_ref()));
            push("province", Category, cx.label("provinces", i.province.as_deref()));
            push("district", Category, cx.label("districts", i.district.as_deref()));
            push("city", City, Cell::opt(i.city.clone()));
            // Uwazi's geolocation column: latitude first, then longitude.
            let geo = i.latitude.zip(i.longitude).map(|(la, lo)| format!("{la}|{lo}"));
            push("geolocation", Private, Cell::opt(geo));
            push("type_of_act", Category, cx.labels("incident_types", &i.incident_types));
            push("perpetrator_type", Category, cx.labels("perpetrator_types", &i.perpetrator_types));
            push("source_reliability", Category, code(i.source_reliability.as_ref()));
            push("verification_status", Category, code(Some(&i.verification_status)));
            push("victims_and_people", Relation, cx.related(&record.id, Kind::Person));
            push("cases", Relation, cx.related(&record.id, Kind::Case));
            push("description", Private, Cell::opt(i.description.clone()));
            push("source", Private, Cell::opt(i.source.clone()));
        }
        RecordData::Case(c) => {
            push("case_kind", Category, code(Some(&c.case_kind)));
            push("status", Category, cx.label("case_statuses", c.status.as_deref()));
            push("court", Category, cx.label("courts", c.court.as_deref()));
            push("investigating_agency", Category, cx.label("bodies", c.investigating_agency.as_deref()));
            let charges = c.charges.iter().map(|ch| cx.source.labels.charge(&ch.statute, &ch.section, Lang::En));
            push("charges", Category, Cell::Many(charges.collect()));
            push("bail", Category, code(c.bail.as_ref()));
            push("fir_date", Date, Cell::opt(c.fir_date.clone()));
            let gone = c.disappearance.as_ref();
            push("last_seen", Date, Cell::opt(gone.and_then(|d| d.last_seen_on.clone())));
            push("suspected_agency", Category, cx.label("bodies", gone.and_then(|d| d.suspected_agency.as_deref())));
            push("disappearance_outcome", Category, code(gone.map(|d| &d.outcome)));
            let abroad = c.detention_abroad.as_ref();
            push("country_of_detention", Category, cx.label("countries", abroad.and_then(|a| a.country.as_deref())));
            push("legal_status_abroad", Category, code(abroad.and_then(|a| a.legal_status.as_ref())));
            let refugee = c.refugee.as_ref();
            push("nationality", Category, cx.label("countries", refugee.and_then(|f| f.nationality.as_deref())));
            push(
                "documentation",
                Category,
                cx.label("documentation_types", refugee.and_then(|f| f.documentation.as_deref())),
            );
            push("protection_measure", Category, code(c.protection.as_ref().and_then(|p| p.measure.as_ref())));
            push("people", Relation, cx.related(&record.id, Kind::Person));
            push("incidents", Relation, cx.related(&record.id, Kind::Incident));
            push("fir_number", Private, Cell::opt(c.fir_number.clone()));
            push("police_station", Private, Cell::opt(c.police_station.clone()));
            push("judge", Private, Cell::opt(c.judge.clone()));
            push("notes", Private, Cell::opt(c.notes.clone()));
        }
        RecordData::Person(p) => {
            push("gender", Category, code(p.gender.as_ref()));
            push("roles", Category, Cell::Many(p.roles.iter().filter_map(|x| code(Some(x)).one()).collect()));
            push("risk_level", Category, code(p.risk_level.as_ref()));
            push("incidents", Relation, cx.related(&record.id, Kind::Incident));
            push("cases", Relation, cx.related(&record.id, Kind::Case));
            // The vault's own pseudonym is the user's words (often an initial and a town) and
            // stays out of an anonymised table, like every other free text.
            push("pseudonym", Private, Cell::opt(p.pseudonym.clone()));
            push("profession", Private, Cell::opt(p.profession.clone()));
            push("community", Private, Cell::opt(p.community.clone()));
            let withheld = p.anonymous;
            let sensitive = |v: &Option<String>| Cell::opt(if withheld { None } else { v.clone() });
            push("name", Private, sensitive(&p.name));
            push("contact", Private, sensitive(&p.contact));
            push("cnic", Private, sensitive(&p.cnic));
            push("phone", Private, sensitive(&p.phone));
            push("address", Private, sensitive(&p.address));
            push("consent_to_publish_anonymised", Private, flag(p.consent_to_publish_anonymised));
            push("anonymous", Private, flag(p.anonymous));
            push("notes", Private, Cell::opt(p.notes.clone()));
        }
        RecordData::Threat(t) => {
            push("date", Date, Cell::opt(t.received_on.clone()));
            push("channel", Category, cx.label("threat_channels", t.channel.as_deref()));
            push("level", Category, code(t.level.as_ref()));
            push("status", Category, code(Some(&t.status)));
            push("people", Relation, cx.related(&record.id, Kind::Person));
            push("description", Private, Cell::opt(t.description.clone()));
            push("source", Private, Cell::opt(t.source.clone()));
            push("protection_measures", Private, Cell::opt(t.protection_measures.clone()));
        }
        RecordData::Hearing(h) => {
            push("date", Date, Cell::opt(Some(h.date.clone())));
            push("court", Category, cx.label("courts", h.court.as_deref()));
            push("hearing_status", Category, code(h.status.as_ref()));
            push("case", Relation, cx.related(&record.id, Kind::Case));
            push("purpose", Private, Cell::opt(h.purpose.clone()));
            push("outcome", Private, Cell::opt(h.outcome.clone()));
            push("next_date", Private, Cell::opt(h.next_date.clone()));
            push("judge", Private, Cell::opt(h.judge.clone()));
            push("notes", Private, Cell::opt(h.notes.clone()));
        }
        RecordData::Referral(f) => {
            push("date", Date, Cell::opt(f.sent_on.clone()));
            push("target", Category, cx.label("referral_targets", Some(&f.target)));
            push("status", Category, code(Some(&f.status)));
            push("reference_number", Private, Cell::opt(f.reference_number.clone()));
            push("follow_up_on", Private, Cell::opt(f.follow_up_on.clone()));
            push("notes", Private, Cell::opt(f.notes.clone()));
        }
        RecordData::Organisation(o) => {
            push("organisation_type", Category, cx.label("organisation_types", o.org_type.as_deref()));
            push("country", Category, cx.label("countries", o.country.as_deref()));
            push("name", Private, Cell::opt(Some(o.name.clone())));
            push("contact", Private, Cell::opt(o.contact.clone()));
            push("notes", Private, Cell::opt(o.notes.clone()));
        }
        RecordData::Risk(_) | RecordData::Task(_) => {}
    }
    cols
}

impl Cell {
    fn one(self) -> Option<String> {
        match self {
            Self::One(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

/// Applies the anonymisation of a column to its cell, or `None` when the column is left out.
fn keep(name: &str, class: Class, cell: Cell, options: TableOptions) -> Option<Cell> {
    if !options.anonymise {
        return Some(cell);
    }
    match class {
        Class::Private => None,
        Class::City if options.coarsen_places => None,
        Class::Date if options.coarsen_dates => Some(match cell {
            Cell::One(d) => Cell::One(d.chars().take(7).collect()),
            many @ Cell::Many(_) => many,
        }),
        // A date cut to its month is known to the month, whatever it was known to before.
        Class::Category if options.coarsen_dates && name == "date_precision" => Some(match cell {
            Cell::One(p) if matches!(p.as_str(), "exact" | "day") => Cell::One("month".into()),
            other => other,
        }),
        _ => Some(cell),
    }
}

/// A blank record of `kind`, whose row gives the table's header when no record is published.
fn blank(kind: Kind) -> RecordData {
    match kind {
        Kind::Person => RecordData::Person(crate::model::Person::default()),
        Kind::Organisation => RecordData::Organisation(crate::model::Organisation::default()),
        Kind::Threat => RecordData::Threat(crate::model::Threat::default()),
        Kind::Case => RecordData::Case(crate::model::Case::default()),
        Kind::Hearing => RecordData::Hearing(crate::model::Hearing::default()),
        Kind::Referral => RecordData::Referral(crate::model::Referral::default()),
        _ => RecordData::Incident(crate::model::Incident::default()),
    }
}

/// What a table export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct TableSummary {
    /// Rows written.
    pub rows: u64,
    /// Records of the kind left out (persons without consent, when anonymised).
    pub withheld: u64,
}

/// Writes the table of `kind`.
pub(crate) fn write(
    source: &Source<'_>,
    kind: Kind,
    options: TableOptions,
    format: TableFormat,
    mut out: impl Write,
) -> Result<TableSummary> {
    if !TABLE_KINDS.contains(&kind) {
        return Err(Invalid::field(
            "kind",
            Reason::WrongKind,
            "risk assessments and tasks are private to the vault: no table is made of them",
        )
        .into());
    }
    let options =
        if options.anonymise { options } else { TableOptions { anonymise: false, ..TableOptions::default() } };
    let cx = Context::new(source, options);
    let mut summary = TableSummary::default();
    if format == TableFormat::Csv {
        let probe =
            Record { id: String::new(), created_at: String::new(), updated_at: String::new(), data: blank(kind) };
        let header: Vec<&str> = row(&cx, &probe)
            .into_iter()
            .filter_map(|(name, class, cell)| keep(name, class, cell, options).map(|_| name))
            .collect();
        out.write_all(csv_line(&header).as_bytes()).map_err(Error::io("write", "export"))?;
    }
    let mut records: Vec<&Record> = source.records.iter().filter(|r| r.kind() == kind).collect();
    // Ids are UUIDv7, which begin with the moment a record was made: rows in id order would tell
    // in which order the records were entered, and so, for incidents logged the day they
    // happened, the order of days a month-cut date hides. Anonymised, rows follow their
    // pseudonyms, which say nothing.
    if options.anonymise {
        records.sort_by_cached_key(|r| cx.title(r));
    }
    for r in records {
        if !cx.published(r) {
            summary.withheld += 1;
            continue;
        }
        let cells: Vec<(&str, Cell)> = row(&cx, r)
            .into_iter()
            .filter_map(|(name, class, cell)| keep(name, class, cell, options).map(|c| (name, c)))
            .collect();
        let line = match format {
            TableFormat::Csv => {
                let texts: Vec<String> = cells.iter().map(|(_, c)| c.csv()).collect();
                csv_line(&texts.iter().map(String::as_str).collect::<Vec<_>>())
            }
            TableFormat::Json => {
                let obj: Map<String, Value> = cells.iter().map(|(n, c)| ((*n).to_owned(), c.json())).collect();
                let mut s = Value::Object(obj).to_string();
                s.push('\n');
                s
            }
        };
        out.write_all(line.as_bytes()).map_err(Error::io("write", "export"))?;
        summary.rows += 1;
    }
    out.flush().map_err(Error::io("write", "export"))?;
    Ok(summary)
}
