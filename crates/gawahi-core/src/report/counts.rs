//! The counts behind a summary report: incidents by type, province and month, cases by kind and
//! status. A small aggregation of its own, meant to be replaced by the search module's
//! statistics once they exist: the PDF takes a `Vec<CountTable>` and cares not where it came from.
//!
//! Small numbers identify people ("the one Ahmadi lawyer charged in Kasur"), so an anonymised
//! report suppresses every count under [`SUPPRESS_BELOW`] and shows it as "fewer than 3".

use std::collections::BTreeMap;

use super::Labels;
use crate::model::RecordData;
use crate::records::Record;
use crate::vocab::Lang;

/// Counts under this are suppressed in anonymised tables.
pub const SUPPRESS_BELOW: u64 = 3;

/// One count in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The number.
    Exact(u64),
    /// Fewer than [`SUPPRESS_BELOW`], not shown.
    Suppressed,
}

/// What a table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// Incidents by type (an incident of two types counts under each).
    IncidentType,
    /// Incidents by province or territory.
    Province,
    /// Incidents by the month they happened in.
    Month,
    /// Cases by kind.
    CaseKind,
    /// Cases by status.
    CaseStatus,
}

/// One table of counts: a label and a count a row, largest first (months in date order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    /// What is counted.
    pub by: CountBy,
    /// The rows.
    pub rows: Vec<(String, Count)>,
}

/// The summary's tables, labelled in `lang`, suppressing small counts when `suppress`.
pub(crate) fn summary(records: &[Record], labels: &Labels, lang: Lang, suppress: bool) -> Vec<CountTable> {
    let mut by: BTreeMap<u8, BTreeMap<String, u64>> = BTreeMap::new();
    let mut add = |table: CountBy, key: String| *by.entry(table as u8).or_default().entry(key).or_default() += 1;
    let unknown = match lang {
        Lang::En => "not recorded",
        Lang::Ur => "درج نہیں",
    };
    for r in records {
        match &r.data {
            RecordData::Incident(i) => {
                for t in &i.incident_types {
                    add(CountBy::IncidentType, labels.get("incident_types", t, lang));
                }
                let province =
                    i.province.as_deref().map_or_else(|| unknown.to_owned(), |p| labels.get("provinces", p, lang));
                add(CountBy::Province, province);
                if let Some(d) = i.occurred_on.as_deref().filter(|d| d.len() >= 7) {
                    add(CountBy::Month, d[..7].to_owned());
                }
            }
            RecordData::Case(c) => {
                add(CountBy::CaseKind, labels.get("case_kinds", c.case_kind.as_str(), lang));
                let status =
                    c.status.as_deref().map_or_else(|| unknown.to_owned(), |s| labels.get("case_statuses", s, lang));
                add(CountBy::CaseStatus, status);
            }
            _ => {}
        }
    }
    let order = [CountBy::IncidentType, CountBy::Province, CountBy::Month, CountBy::CaseKind, CountBy::CaseStatus];
    order
        .into_iter()
        .filter_map(|table| {
            let counts = by.remove(&(table as u8))?;
            let mut rows: Vec<(String, u64)> = counts.into_iter().collect();
            if table != CountBy::Month {
                rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            }
            let rows = rows
                .into_iter()
                .map(|(k, n)| (k, if suppress && n < SUPPRESS_BELOW { Count::Suppressed } else { Count::Exact(n) }))
                .collect();
            Some(CountTable { by: table, rows })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Incident;

    fn incident(id: &str, province: &str, month: &str) -> Record {
        Record {
            id: id.into(),
            created_at: String::new(),
            updated_at: String::new(),
            data: RecordData::Incident(Incident {
                title: "t".into(),
                province: Some(province.into()),
                occurred_on: Some(month.into()),
                incident_types: vec!["raid_search".into()],
                ..Incident::default()
            }),
        }
    }

    #[test]
    fn counts_under_three_are_suppressed_only_when_asked() {
        let records = vec![
            incident("1", "sindh", "2024-03-01"),
            incident("2", "sindh", "2024-03-02"),
            incident("3", "sindh", "2024-04-02"),
            incident("4", "punjab", "2024-04-09"),
        ];
        let labels = Labels::default();
        let tables = summary(&records, &labels, Lang::En, true);
        let province = tables.iter().find(|t| t.by == CountBy::Province).expect("province table");
        assert_eq!(province.rows, vec![("sindh".into(), Count::Exact(3)), ("punjab".into(), Count::Suppressed)]);
        let month = tables.iter().find(|t| t.by == CountBy::Month).expect("month table");
        assert_eq!(month.rows, vec![("2024-03".into(), Count::Suppressed), ("2024-04".into(), Count::Suppressed)]);
        let plain = summary(&records, &labels, Lang::En, false);
        let province = plain.iter().find(|t| t.by == CountBy::Province).expect("province table");
        assert_eq!(province.rows[1], ("punjab".into(), Count::Exact(1)));
    }
}
