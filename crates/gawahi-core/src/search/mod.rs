//! Search: what a query and its filters are, and what a search, a facet count or a statistic
//! returns. The normalisation shared by the index and queries is [`normalise`]; the index's
//! tables and upkeep are `store/search.rs`; the `impl Vault` side is `vault/search.rs`.

pub mod normalise;

use serde::{Deserialize, Serialize};

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
