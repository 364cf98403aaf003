//! The counts behind a summary report: incidents by type, province and month, cases by kind and
//! status. A small aggregation of its own, meant to be replaced by the search module's
//! statistics once they exist: the PDF takes a `Vec<CountTable>` and cares not where it came from.
//!
//! Small numbers identify people ("the one Ahmadi lawyer charged in Kasur"), so an anonymised
//! report hides every count under [`SUPPRESS_BELOW`], and as many others as it takes for the
//! hidden ones not to be worked out from a total the report also shows (see [`hide_small`]).

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
    /// Not shown: under [`SUPPRESS_BELOW`], or hidden with such a count (see [`hide_small`]).
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
    /// Anonymised, and so few records that no row could be shown without identifying someone:
    /// the rows are left out and the report says so (see [`hide_small`]).
    pub withheld: bool,
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
            if !suppress {
                return Some(CountTable {
                    by: table,
                    rows: rows.into_iter().map(|(k, n)| (k, Count::Exact(n))).collect(),
                    withheld: false,
                });
            }
            Some(match hide_small(rows, table != CountBy::Month) {
                Some(rows) => CountTable { by: table, rows, withheld: false },
                None => CountTable { by: table, rows: Vec::new(), withheld: true },
            })
        })
        .collect()
}

/// The rows of an anonymised table, with its small counts hidden; `None` when the table must be
/// withheld whole.
///
/// Hiding the counts under [`SUPPRESS_BELOW`] alone is not enough: the summary shows how many
/// incidents and cases there are, and most tables share out that total (each incident has one
/// province), so with 5 incidents, "Sindh 4" and Punjab hidden, Punjab is 1. So the smallest
/// other counts are hidden too, until at least two are hidden and together they hold more than
/// twice as many records as there are of them: whatever a reader knows of their sum, each hidden
/// count can still be more than one value. (A hidden row is there because some record has its
/// value, so a reader knows each is at least 1, and one hidden for being small is 1 or 2: three
/// hidden rows holding 6 records, or two holding 2, would each be worked out.) Rows of equal
/// count are hidden together: hiding one of two by its label would tell which hidden row is the
/// larger. A test holds the rule to its promise by working back from every output of every table
/// of up to four rows of up to 7 to every table that gives the same. A table
/// where even hiding every row does not reach that (a single small row, or every value held by
/// one record) is withheld. Every hidden count is shown the same way, and in a table ordered
/// largest first (`by_size`) the hidden rows come last in the order of their labels, so neither
/// their words nor their place tells a small count from one hidden with it.
fn hide_small(rows: Vec<(String, u64)>, by_size: bool) -> Option<Vec<(String, Count)>> {
    let mut hidden: Vec<bool> = rows.iter().map(|(_, n)| *n < SUPPRESS_BELOW).collect();
    if !hidden.contains(&true) {
        return Some(rows.into_iter().map(|(k, n)| (k, Count::Exact(n))).collect());
    }
    loop {
        let (count, sum) =
            rows.iter().zip(&hidden).filter(|(_, h)| **h).fold((0_u64, 0_u64), |(c, s), ((_, n), _)| (c + 1, s + n));
        if count >= 2 && sum > 2 * count {
            break;
        }
        // Every row of the smallest count shown goes together: hiding one of two equal counts
        // by its label would tell a reader which of the hidden rows is the larger.
        // With none left to hide, the table cannot be published.
        let smallest = rows.iter().zip(&hidden).filter(|(_, h)| !**h).map(|((_, n), _)| *n).min()?;
        for (h, (_, n)) in hidden.iter_mut().zip(&rows) {
            *h |= *n == smallest;
        }
    }
    let (mut shown, mut kept_back): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .zip(hidden)
        .map(|((k, n), h)| (k, if h { Count::Suppressed } else { Count::Exact(n) }))
        .partition(|(_, c)| matches!(c, Count::Exact(_)));
    if !by_size {
        // Months stay in date order, the hidden ones in their places: a place in time says
        // nothing of a count.
        let mut all: Vec<(String, Count)> = shown.into_iter().chain(kept_back).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        return Some(all);
    }
    kept_back.sort_by(|a, b| a.0.cmp(&b.0));
    shown.extend(kept_back);
    Some(shown)
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

    fn table(tables: &[CountTable], by: CountBy) -> &CountTable {
        tables.iter().find(|t| t.by == by).expect("table")
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
        // Punjab's 1 cannot be hidden alone ("Sindh 3" of 4 incidents gives it away), nor with
        // Sindh's 3 (two hidden rows holding 4 records could only be 1 and 3 or 2 and 2, and 2
        // and 2 would have hidden both for being small): the table is withheld. So is the
        // months' (2 and 2).
        let province = table(&tables, CountBy::Province);
        assert!(province.withheld && province.rows.is_empty(), "{province:?}");
        let month = table(&tables, CountBy::Month);
        assert!(month.withheld && month.rows.is_empty(), "{month:?}");
        let plain = summary(&records, &labels, Lang::En, false);
        let province = table(&plain, CountBy::Province);
        assert_eq!(province.rows, vec![("sindh".into(), Count::Exact(3)), ("punjab".into(), Count::Exact(1))]);
        assert!(plain.iter().all(|t| !t.withheld));
    }

    fn hidden(rows: &[(&str, u64)], by_size: bool) -> Option<Vec<(String, Count)>> {
        hide_small(rows.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect(), by_size)
    }

    #[test]
    fn fail_a_hidden_count_cannot_be_worked_out_from_the_total() {
        use Count::{Exact, Suppressed};
        let row = |k: &str, c: Count| (k.to_owned(), c);
        // The review's case: 5 incidents, 4 in Sindh, 1 in Punjab. Hiding Punjab alone left
        // 5 - 4 = 1; Sindh is hidden with it.
        assert_eq!(
            hidden(&[("sindh", 4), ("punjab", 1)], true),
            Some(vec![row("punjab", Suppressed), row("sindh", Suppressed)])
        );
        // Two small counts of 1 each would add up to 2 between two rows, so each is 1: the
        // smallest shown count joins them; the largest stays shown. The hidden rows come last,
        // by label, whatever their size.
        assert_eq!(
            hidden(&[("kp", 9), ("sindh", 5), ("punjab", 1), ("balochistan", 1)], true),
            Some(vec![
                row("kp", Exact(9)),
                row("balochistan", Suppressed),
                row("punjab", Suppressed),
                row("sindh", Suppressed)
            ])
        );
        // A 1 and a 2 hold 3 records, not more than twice their number: the 7 is hidden with
        // them.
        assert_eq!(
            hidden(&[("a", 7), ("b", 2), ("c", 1)], true),
            Some(vec![row("a", Suppressed), row("b", Suppressed), row("c", Suppressed)])
        );
        // Three small rows holding 6 are 2, 2 and 2 to anyone who knows the rule: the 3 goes too.
        assert_eq!(
            hidden(&[("d", 3), ("a", 2), ("b", 2), ("c", 2)], true),
            Some(vec![row("a", Suppressed), row("b", Suppressed), row("c", Suppressed), row("d", Suppressed)])
        );
        // Equal counts go together: of 10, 3, 3 and 2, both 3s are hidden with the 2.
        assert_eq!(
            hidden(&[("d", 10), ("a", 3), ("b", 3), ("c", 2)], true),
            Some(vec![row("d", Exact(10)), row("a", Suppressed), row("b", Suppressed), row("c", Suppressed)])
        );
        // Nothing small, nothing hidden.
        assert_eq!(hidden(&[("a", 3), ("b", 4)], true), Some(vec![row("a", Exact(3)), row("b", Exact(4))]));
        // One small row alone, or every value held by one record: no way to hide them, the
        // table is withheld.
        assert_eq!(hidden(&[("a", 2)], true), None);
        assert_eq!(hidden(&[("a", 1), ("b", 1), ("c", 1)], true), None);
        // Months keep their date order, hidden ones in place.
        assert_eq!(
            hidden(&[("2024-01", 5), ("2024-02", 1), ("2024-03", 6)], false),
            Some(vec![row("2024-01", Suppressed), row("2024-02", Suppressed), row("2024-03", Exact(6))])
        );
    }

    /// What an anonymised summary publishes of a table, ordered as `summary` orders it.
    fn publish(rows: &[(String, u64)]) -> Option<Vec<(String, Count)>> {
        let mut rows = rows.to_vec();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        hide_small(rows, true)
    }

    /// Every assignment of `n` counts of at least 1 adding up to `sum`.
    fn splits(n: usize, sum: u64) -> Vec<Vec<u64>> {
        if n == 0 {
            return if sum == 0 { vec![Vec::new()] } else { Vec::new() };
        }
        (1..=sum)
            .flat_map(|first| {
                splits(n - 1, sum - first).into_iter().map(move |mut rest| {
                    rest.insert(0, first);
                    rest
                })
            })
            .collect()
    }

    #[test]
    fn fail_no_hidden_count_can_be_worked_out_from_the_table_and_its_total() {
        // Every table of up to four rows of counts 1 to 7: a reader who has the published table,
        // its total and this rule finds every table that would publish the same; each hidden row
        // must take at least two counts among them. (The review's case: 3, 3, 2 and 10 hid the
        // 2 with the first 3 by label, and the tie gave both away.)
        let labels = ["a", "b", "c", "d"];
        let mut tables = 0;
        let mut hid_some = 0;
        let mut values = vec![Vec::new()];
        for _ in 0..labels.len() {
            let mut longer = Vec::new();
            for v in &values {
                longer.push(v.clone());
                for n in 1..=7_u64 {
                    let mut w = v.clone();
                    w.push(n);
                    longer.push(w);
                }
            }
            values = longer;
        }
        values.sort();
        values.dedup();
        for counts in values.iter().filter(|v| !v.is_empty()) {
            let rows: Vec<(String, u64)> = labels.iter().zip(counts).map(|(l, n)| ((*l).to_owned(), *n)).collect();
            tables += 1;
            let Some(out) = publish(&rows) else { continue };
            let hidden: Vec<&str> = out.iter().filter(|r| r.1 == Count::Suppressed).map(|r| r.0.as_str()).collect();
            if hidden.is_empty() {
                continue;
            }
            hid_some += 1;
            let sum: u64 = rows.iter().filter(|r| hidden.contains(&r.0.as_str())).map(|r| r.1).sum();
            let mut seen: Vec<Vec<u64>> = vec![Vec::new(); hidden.len()];
            for guess in splits(hidden.len(), sum) {
                let candidate: Vec<(String, u64)> = rows
                    .iter()
                    .map(|(l, n)| match hidden.iter().position(|h| h == l) {
                        Some(i) => (l.clone(), guess[i]),
                        None => (l.clone(), *n),
                    })
                    .collect();
                if publish(&candidate).as_ref() == Some(&out) {
                    for (i, g) in guess.iter().enumerate() {
                        if !seen[i].contains(g) {
                            seen[i].push(*g);
                        }
                    }
                }
            }
            for (label, possible) in hidden.iter().zip(&seen) {
                assert!(possible.len() >= 2, "{counts:?}: hidden {label} can only be {possible:?}; published {out:?}");
            }
        }
        assert!(tables > 2_000 && hid_some > 1_000, "{tables} tables, {hid_some} with hidden rows");
    }
}
