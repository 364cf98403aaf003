//! Search: what a query and its filters are, and what a search, a facet count or a statistic
//! returns. The normalisation shared by the index and queries is [`normalise`]; the index's
//! tables and upkeep are `store/search.rs`; the `impl Vault` side is `vault/search.rs`.

pub mod normalise;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::Kind;
use crate::model::rules::{self, ValueRule, kind_rules};
use crate::records::Record;

/// A facet: a field whose values records are filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Facet {
    /// The record's kind (`incident`, `case`…, or `evidence` for an evidence item).
    Kind,
    /// A case's kind (`case_kinds`).
    CaseKind,
    /// An incident's types (`incident_types`).
    IncidentType,
    /// A threat's channel (`threat_channels`).
    Channel,
    /// The province (`provinces`).
    Province,
    /// The district (`districts`).
    District,
    /// An incident's perpetrator types (`perpetrator_types`).
    PerpetratorType,
    /// The statute of a case's charge (`statutes`).
    Statute,
    /// The section of a case's charge (`sections`).
    Section,
    /// The court of a case or a hearing (`courts`).
    Court,
    /// The status of a case (`case_statuses`), a threat or a referral.
    Status,
    /// The month of the record's date (`YYYY-MM`).
    Month,
    /// A detained-abroad case's country (`countries`).
    Country,
    /// A detained-abroad case's legal status.
    LegalStatus,
    /// A detained-abroad case's charge, as written.
    Offence,
}

impl Facet {
    /// Every facet.
    pub const ALL: [Self; 15] = [
        Self::Kind,
        Self::CaseKind,
        Self::IncidentType,
        Self::Channel,
        Self::Province,
        Self::District,
        Self::PerpetratorType,
        Self::Statute,
        Self::Section,
        Self::Court,
        Self::Status,
        Self::Month,
        Self::Country,
        Self::LegalStatus,
        Self::Offence,
    ];

    /// Its name, as the index stores it and the command line takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kind => "kind",
            Self::CaseKind => "case_kind",
            Self::IncidentType => "incident_type",
            Self::Channel => "channel",
            Self::Province => "province",
            Self::District => "district",
            Self::PerpetratorType => "perpetrator_type",
            Self::Statute => "statute",
            Self::Section => "section",
            Self::Court => "court",
            Self::Status => "status",
            Self::Month => "month",
            Self::Country => "country",
            Self::LegalStatus => "legal_status",
            Self::Offence => "offence",
        }
    }

    /// The facet named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The vocabulary its values are codes of, if any (their labels come from there).
    pub fn vocabulary(self) -> Option<&'static str> {
        Some(match self {
            Self::CaseKind => "case_kinds",
            Self::IncidentType => "incident_types",
            Self::Channel => "threat_channels",
            Self::Province => "provinces",
            Self::District => "districts",
            Self::PerpetratorType => "perpetrator_types",
            Self::Statute => "statutes",
            Self::Section => "sections",
            Self::Court => "courts",
            Self::Status => "case_statuses",
            Self::Country => "countries",
            Self::Kind | Self::Month | Self::LegalStatus | Self::Offence => return None,
        })
    }
}

/// What a search or a list is narrowed to. Values within one facet are alternatives (any of
/// them); the facets, the date range, the linked record and the evidence flag must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    /// Facet values, any of which a record must have for each facet named.
    pub facets: Vec<FacetFilter>,
    /// The record's date (an incident's occurrence, a case's FIR, a hearing's day…) on or after
    /// this day (`YYYY-MM-DD`, or a month or year).
    pub date_from: Option<String>,
    /// … and on or before this day (a month or a year includes all of it).
    pub date_to: Option<String>,
    /// Only records linked to this record (either way), or belonging to it (a person's risk
    /// assessments, a case's hearings).
    pub linked_to: Option<String>,
    /// Only records with (`true`) or without (`false`) evidence.
    pub has_evidence: Option<bool>,
}

/// One facet's accepted values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FacetFilter {
    /// The facet.
    pub facet: Facet,
    /// Its values (codes, a month, or for [`Facet::Kind`] a kind's name).
    pub values: Vec<String>,
}

impl Filters {
    /// The filters plus `facet` restricted to `values`.
    #[must_use]
    pub fn with(mut self, facet: Facet, values: &[&str]) -> Self {
        self.facets.push(FacetFilter { facet, values: values.iter().map(|v| (*v).to_owned()).collect() });
        self
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.facets.iter().all(|f| f.values.is_empty())
            && self.date_from.is_none()
            && self.date_to.is_none()
            && self.linked_to.is_none()
            && self.has_evidence.is_none()
    }
}

/// A piece of a snippet: text as written, and whether it matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether it is a word the query matched.
    pub highlighted: bool,
}

/// One record or evidence item found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    /// The record's or the item's id.
    pub id: String,
    /// The record's kind, or `evidence`.
    pub kind: String,
    /// The record it is, or for an evidence item the record it belongs to.
    pub record_id: String,
    /// Its title (a record's label, an item's file name); empty for a person known only by a
    /// withheld name.
    pub title: String,
    /// The words around the first match, the matched words marked; empty when only a field that
    /// is never shown matched (a person's name, phone or CNIC).
    pub snippet: Vec<Segment>,
}

/// The hits of one kind, in the order they entered the index (oldest first) when words matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HitGroup {
    /// The kind, or `evidence`.
    pub kind: String,
    /// The hits, at most the limit asked for.
    pub hits: Vec<Hit>,
    /// Whether there are more than those.
    pub more: bool,
}

/// A facet value and how many records have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    /// The facet.
    pub facet: Facet,
    /// The value (a code, a month, a kind, a text as written).
    pub value: String,
    /// Its English label, for a vocabulary's code.
    pub en: Option<String>,
    /// Its Urdu label, for a vocabulary's code.
    pub ur: Option<String>,
    /// How many records (or items) have it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
}

/// A search kept by name in the vault: the query and filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedSearch {
    /// Its name.
    pub name: String,
    /// The text typed.
    pub query: String,
    /// The filters.
    pub filters: Filters,
}

/// A record as a list shows it: its label and the few fields of its kind's list columns
/// ([`crate::model::rules::list_columns`]), with the precision of a partial date among them.
///
/// A list page of the window is fifty of these. The index keeps each record's row beside its
/// document (`store/search.rs`, migration `search/0006_list_rows`), written in the same
/// transaction as the record, so a page reads fifty small rows that lie together rather than
/// fifty records' bodies spread over the file: a page deep in a filtered list read about 25
/// pages of the database, 16 of them bodies, each decrypted and authenticated when it was not
/// in SQLite's cache (README, the faceted list figures). A row is made from the record alone, so
/// it cannot go stale while the record stays as it is; `Vault::check` compares every row with
/// its record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListRow {
    /// The record's id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// When it last changed (RFC 3339), where its kind's list shows that
    /// ([`crate::model::rules::list_updated`]).
    pub updated_at: Option<String>,
    /// Its one-line label (see [`crate::model::RecordData::label`]); empty when `name_withheld`.
    pub label: String,
    /// A person known by a name but no pseudonym: a list shows a placeholder, never the name.
    pub name_withheld: bool,
    /// A task with a deadline's purpose.
    pub is_deadline: bool,
    /// The list columns' fields that have a value, as in the record's body.
    pub fields: Map<String, Value>,
}

/// A page of the window's list of one kind ([`crate::Vault::list_page`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// The page's rows.
    pub rows: Vec<ListRow>,
    /// How many records of the kind the vault holds.
    pub total: u64,
    /// How many records match the page's words and filters: on the first page of a filtered
    /// list, otherwise `None`.
    pub matched: Option<u64>,
    /// The id to ask the next page after, when this page is full.
    pub next_after: Option<String>,
}

/// A stored row's flag: the person's name is withheld.
const ROW_NAME_WITHHELD: u64 = 1;
/// A stored row's flag: the task is a deadline.
const ROW_DEADLINE: u64 = 2;
/// Every flag a stored row may carry.
const ROW_FLAGS: u64 = ROW_NAME_WITHHELD | ROW_DEADLINE;

/// The fields a row of `kind` carries: its list columns, each partial date's precision after it.
fn row_fields(kind: Kind) -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let all = FIELDS.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|&k| {
                let rules = kind_rules(k);
                let mut out = Vec::new();
                for &column in rules::list_columns(k) {
                    out.push(column);
                    if let Some(ValueRule::PartialDate { precision_field }) =
                        rules.fields.iter().find(|f| f.name == column).map(|f| &f.value)
                    {
                        out.push(*precision_field);
                    }
                }
                out
            })
            .collect()
    });
    Kind::ALL.iter().position(|&k| k == kind).map_or(&[], |i| all[i].as_slice())
}

impl ListRow {
    /// The row of `record`.
    pub fn of(record: &Record) -> Self {
        Self::with_body(record, &record.data.to_json())
    }

    /// The row of `record`, whose body (as JSON) is `body`: the index makes the body once for
    /// the document and the row.
    pub(crate) fn with_body(record: &Record, body: &Map<String, Value>) -> Self {
        let kind = record.kind();
        let name_withheld = record.data.name_withheld();
        let fields = row_fields(kind)
            .iter()
            .filter_map(|&f| body.get(f).filter(|v| !v.is_null()).map(|v| (f.to_owned(), v.clone())))
            .collect();
        Self {
            id: record.id.clone(),
            kind,
            updated_at: rules::list_updated(kind).then(|| record.updated_at.clone()),
            label: if name_withheld { String::new() } else { record.data.label() },
            name_withheld,
            is_deadline: record.data.is_deadline(),
            fields,
        }
    }

    /// The row as the index keeps it: a JSON array rather than an object, since a page deep in
    /// a filtered list reads rows spread over a range of the table, and their size is how many
    /// pages it decrypts (keyed rows of incidents were about 235 bytes, these about 105). In
    /// order: the label; the flags ([`ROW_NAME_WITHHELD`], [`ROW_DEADLINE`]); the time of change
    /// where the kind's list shows it; then the value of each of the kind's row fields (its list
    /// columns, a partial date's precision after the date), null where the record has none,
    /// trailing nulls left out. What a kind's row holds is therefore part of the stored format:
    /// changing it needs a migration that rebuilds the index (`store/search.rs`, `CREATE_KEYS`),
    /// which a test that pins every kind's row fields is there to say.
    pub(crate) fn stored(&self) -> String {
        let mut values = Vec::with_capacity(3 + self.fields.len());
        values.push(Value::String(self.label.clone()));
        let flags = u64::from(self.name_withheld) * ROW_NAME_WITHHELD + u64::from(self.is_deadline) * ROW_DEADLINE;
        values.push(Value::from(flags));
        if rules::list_updated(self.kind) {
            values.push(Value::String(self.updated_at.clone().unwrap_or_default()));
        }
        values.extend(row_fields(self.kind).iter().map(|f| self.fields.get(*f).cloned().unwrap_or(Value::Null)));
        while values.last().is_some_and(Value::is_null) {
            values.pop();
        }
        serde_json::to_string(&values).unwrap_or_default()
    }

    /// The row of record `id` of `kind` from what the index keeps (see [`ListRow::stored`]); a
    /// row that is not of that shape was written behind the vault's back.
    pub(crate) fn from_stored(id: String, kind: Kind, stored: &str) -> crate::Result<Self> {
        let corrupt = || crate::Error::CorruptDatabase;
        let values: Vec<Value> = serde_json::from_str(stored).map_err(|_| corrupt())?;
        let mut values = values.into_iter();
        let Some(Value::String(label)) = values.next() else { return Err(corrupt()) };
        let flags = values.next().as_ref().and_then(Value::as_u64).filter(|f| *f <= ROW_FLAGS).ok_or_else(corrupt)?;
        let updated_at = if rules::list_updated(kind) {
            let Some(Value::String(at)) = values.next() else { return Err(corrupt()) };
            Some(at)
        } else {
            None
        };
        let names = row_fields(kind);
        if values.len() > names.len() {
            return Err(corrupt());
        }
        let fields =
            names.iter().zip(values).filter(|(_, v)| !v.is_null()).map(|(n, v)| ((*n).to_owned(), v)).collect();
        Ok(Self {
            id,
            kind,
            updated_at,
            label,
            name_withheld: flags & ROW_NAME_WITHHELD != 0,
            is_deadline: flags & ROW_DEADLINE != 0,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn incident_row() -> ListRow {
        let Value::Object(fields) = json!({"occurred_on": "2017-11", "occurred_precision": "month",
            "district": "khyber_pakhtunkhwa.nowshera", "incident_types": ["doxxing"]})
        else {
            unreachable!()
        };
        ListRow {
            id: "0193c0de-0000-7000-8000-000000000001".into(),
            kind: Kind::Incident,
            updated_at: None,
            label: "Lawyer harassed outside court in nowshera".into(),
            name_withheld: false,
            is_deadline: false,
            fields,
        }
    }

    /// What each kind's row holds is part of the stored format (see [`ListRow::stored`]): a
    /// change here must come with a migration in `store::search::CREATE_KEYS` that rebuilds the
    /// rows, or rows written before it are read into the wrong fields.
    #[test]
    fn every_kinds_row_fields_are_pinned_with_the_stored_format() {
        let pinned: [(Kind, bool, &[&str]); 9] = [
            (Kind::Person, true, &["roles", "risk_level"]),
            (Kind::Organisation, true, &["org_type", "country"]),
            (Kind::Incident, false, &["occurred_on", "occurred_precision", "district", "incident_types"]),
            (Kind::Threat, false, &["level", "status", "received_on", "received_precision"]),
            (Kind::Risk, false, &["assessed_on", "review_on"]),
            (Kind::Case, false, &["case_kind", "status", "fir_number", "court"]),
            (Kind::Hearing, false, &["date", "next_date", "court"]),
            (Kind::Referral, false, &["target", "status", "follow_up_on"]),
            (Kind::Task, false, &["due_on", "done"]),
        ];
        assert_eq!(pinned.len(), Kind::ALL.len());
        for (kind, updated, fields) in pinned {
            assert_eq!(rules::list_updated(kind), updated, "{kind}: add a migration that rebuilds the rows");
            assert_eq!(row_fields(kind), fields, "{kind}: add a migration that rebuilds the rows");
        }
    }

    #[test]
    fn a_stored_row_is_a_small_array_read_back_as_it_was() {
        let row = incident_row();
        let stored = row.stored();
        assert_eq!(
            stored,
            r#"["Lawyer harassed outside court in nowshera",0,"2017-11","month","khyber_pakhtunkhwa.nowshera",["doxxing"]]"#
        );
        // The keyed object this replaced was 235 bytes for the same row.
        assert!(stored.len() <= 110, "{} bytes", stored.len());
        assert_eq!(ListRow::from_stored(row.id.clone(), Kind::Incident, &stored).expect("read"), row);

        // A missing field in the middle is a null; missing ones at the end are left out.
        let mut sparse = incident_row();
        sparse.fields.remove("occurred_on");
        sparse.fields.remove("occurred_precision");
        sparse.fields.remove("incident_types");
        let stored = sparse.stored();
        assert_eq!(
            stored,
            r#"["Lawyer harassed outside court in nowshera",0,null,null,"khyber_pakhtunkhwa.nowshera"]"#
        );
        assert_eq!(ListRow::from_stored(sparse.id.clone(), Kind::Incident, &stored).expect("read"), sparse);

        // The flags and, for a kind whose list shows it, the time of change.
        let person = ListRow {
            id: "p".into(),
            kind: Kind::Person,
            updated_at: Some("2026-12-03T11:36:01.684Z".into()),
            label: String::new(),
            name_withheld: true,
            is_deadline: false,
            fields: Map::new(),
        };
        assert_eq!(person.stored(), r#"["",1,"2026-12-03T11:36:01.684Z"]"#);
        assert_eq!(ListRow::from_stored("p".into(), Kind::Person, &person.stored()).expect("read"), person);
        let task = ListRow { kind: Kind::Task, is_deadline: true, fields: Map::new(), ..incident_row() };
        assert_eq!(ListRow::from_stored(task.id.clone(), Kind::Task, &task.stored()).expect("read"), task);
    }

    #[test]
    fn fail_a_stored_row_of_another_shape_is_damage_not_a_row() {
        let shapes = [
            // The keyed object rows were before migration `search/0007_compact_list_rows`.
            r#"{"updated_at":"2026-12-03T11:36:01.684Z","label":"x","fields":{}}"#,
            "",
            "[]",
            "[1,0]",
            r#"["x"]"#,
            r#"["x",4]"#,
            r#"["x",-1]"#,
            r#"["x","0"]"#,
            // One value more than an incident's row has fields.
            r#"["x",0,null,null,null,null,null]"#,
        ];
        for stored in shapes {
            assert!(
                matches!(ListRow::from_stored("i".into(), Kind::Incident, stored), Err(crate::Error::CorruptDatabase)),
                "{stored}"
            );
        }
        // A person's row without its time of change.
        assert!(matches!(
            ListRow::from_stored("p".into(), Kind::Person, r#"["x",0]"#),
            Err(crate::Error::CorruptDatabase)
        ));
        assert!(matches!(
            ListRow::from_stored("p".into(), Kind::Person, r#"["x",0,null]"#),
            Err(crate::Error::CorruptDatabase)
        ));
    }
}
