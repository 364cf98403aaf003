//! Read models for the app's screens: the dashboard, a record's detail with its links both
//! ways, the hearings calendar and a case's timeline. They are computed from the records, never
//! stored, so they cannot disagree with them.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::links::{self, Link};
use crate::model::{Kind, RecordData};
use crate::records::{self, Record};
use crate::vault::Vault;

/// Enough of a record to show it in a list or a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    /// The record's id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Its one-line label (see [`RecordData::label`]).
    pub label: String,
    /// A person whose name is withheld: the label is a placeholder (see
    /// [`RecordData::name_withheld`]).
    pub name_withheld: bool,
}

impl From<&Record> for Summary {
    fn from(r: &Record) -> Self {
        Self { id: r.id.clone(), kind: r.kind(), label: r.data.label(), name_withheld: r.data.name_withheld() }
    }
}

/// A link seen from one of its records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkedRecord {
    /// The link.
    pub link: Link,
    /// The record at the other end.
    pub other: Summary,
    /// Whether the link goes from this record to the other (`true`) or comes from it.
    pub outgoing: bool,
}

/// A record with everything around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// The record.
    pub record: Record,
    /// Its links, both ways.
    pub links: Vec<LinkedRecord>,
    /// The record it belongs to (a hearing's case), if any.
    pub parent: Option<Summary>,
    /// The records that belong to it (a case's hearings, a person's risk assessments).
    pub children: Vec<Summary>,
}

/// A hearing with its case, for the dashboard and the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct HearingWithCase {
    /// The hearing.
    pub hearing: Record,
    /// Its case.
    pub case: Summary,
}

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// How many records of each kind.
    pub counts: Vec<(Kind, u64)>,
    /// Threats whose status is active, most recent first.
    pub active_threats: Vec<Record>,
    /// Hearings from today to 14 days ahead, soonest first.
    pub upcoming_hearings: Vec<HearingWithCase>,
    /// Tasks not done, soonest due first.
    pub open_tasks: Vec<Record>,
    /// The newest incidents.
    pub recent_incidents: Vec<Record>,
}

/// One event on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineEvent {
    /// The day (`YYYY-MM-DD`).
    pub date: String,
    /// What happened: `fir`, `hearing` or `next_date`.
    pub event: String,
    /// The hearing's purpose or outcome, or the FIR number.
    pub text: Option<String>,
    /// The record the event comes from.
    pub record_id: String,
}

const DASHBOARD_ROWS: usize = 10;

impl Vault {
    /// The record `id` with its links both ways, its parent and its children.
    pub fn detail(&self, id: &str) -> Result<Detail> {
        let conn = self.connection();
        let record = self.get(id)?;
        let mut linked = Vec::new();
        for link in links::of(conn, id)? {
            let outgoing = link.from_id == id;
            let other_id = if outgoing { &link.to_id } else { &link.from_id };
            let other = records::get(conn, other_id)?.ok_or(Error::CorruptDatabase)?;
            linked.push(LinkedRecord { other: Summary::from(&other), link, outgoing });
        }
        let parent = match record.data.parent_id() {
            Some(p) => Some(Summary::from(&records::get(conn, p)?.ok_or(Error::CorruptDatabase)?)),
            None => None,
        };
        let mut children = Vec::new();
        for (child, _) in records::children(conn, id)? {
            children.push(Summary::from(&records::get(conn, &child)?.ok_or(Error::CorruptDatabase)?));
        }
        Ok(Detail { record, links: linked, parent, children })
    }

    /// Records of `kind` whose text contains `text`, newest first, after `after`.
    pub fn search(&self, kind: Kind, text: &str, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
        records::search(self.connection(), kind, text, after, limit.min(crate::vault::MAX_PAGE))
    }

    /// The dashboard as of `today` (`YYYY-MM-DD`, the user's local date).
    pub fn dashboard(&self, today: &str) -> Result<Dashboard> {
        let conn = self.connection();
        let mut counts = Vec::new();
        for kind in Kind::ALL {
            counts.push((kind, records::count(conn, kind)?));
        }
        let in_14_days = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").map_err(|_| {
            crate::error::Invalid::field("today", crate::error::Reason::NotADay, "expected a date like 2026-11-23")
        })? + chrono::Days::new(14);
        let until = in_14_days.format("%Y-%m-%d").to_string();
        Ok(Dashboard {
            counts,
            active_threats: records::select(
                conn,
                Kind::Threat,
                "json_extract(body, '$.status') = 'active'",
                "id DESC",
                DASHBOARD_ROWS,
                &[],
            )?,
            upcoming_hearings: self.hearings_between(today, &until)?,
            open_tasks: records::select(
                conn,
                Kind::Task,
                "json_extract(body, '$.done') = 0",
                "coalesce(json_extract(body, '$.due_on'), '9999'), id",
                DASHBOARD_ROWS,
                &[],
            )?,
            recent_incidents: records::list(conn, Kind::Incident, None, DASHBOARD_ROWS)?,
        })
    }

    /// Hearings dated from `from` to `to` inclusive (`YYYY-MM-DD`), soonest first, with their
    /// cases: a month of the calendar, or the dashboard's fortnight.
    pub fn hearings_between(&self, from: &str, to: &str) -> Result<Vec<HearingWithCase>> {
        let conn = self.connection();
        let hearings = records::select(
            conn,
            Kind::Hearing,
            "json_extract(body, '$.date') BETWEEN ? AND ?",
            "json_extract(body, '$.date'), id",
            crate::vault::MAX_PAGE,
            &[&from, &to],
        )?;
        hearings
            .into_iter()
            .map(|h| {
                let case_id = h.data.parent_id().unwrap_or_default().to_owned();
                let case = records::get(conn, &case_id)?.ok_or(Error::CorruptDatabase)?;
                Ok(HearingWithCase { case: Summary::from(&case), hearing: h })
            })
            .collect()
    }

    /// A case's timeline: the FIR, every hearing and the next dates fixed, in date order.
    pub fn case_timeline(&self, case_id: &str) -> Result<Vec<TimelineEvent>> {
        let conn = self.connection();
        let case = self.get(case_id)?;
        let RecordData::Case(c) = &case.data else {
            return Err(crate::error::Invalid::field(
                "case_id",
                crate::error::Reason::WrongKind,
                format!("{case_id} is not a case"),
            )
            .into());
        };
        let mut events = Vec::new();
        if let Some(date) = &c.fir_date {
            events.push(TimelineEvent {
                date: date.clone(),
                event: "fir".into(),
                text: c.fir_number.clone(),
                record_id: case.id.clone(),
            });
        }
        for (child, kind) in records::children(conn, case_id)? {
            if kind != Kind::Hearing {
                continue;
            }
            let Some(record) = records::get(conn, &child)? else { continue };
            if let RecordData::Hearing(h) = &record.data {
                events.push(TimelineEvent {
                    date: h.date.clone(),
                    event: "hearing".into(),
                    text: h.outcome.clone().or_else(|| h.purpose.clone()),
                    record_id: record.id.clone(),
                });
                if let Some(next) = &h.next_date {
                    events.push(TimelineEvent {
                        date: next.clone(),
                        event: "next_date".into(),
                        text: None,
                        record_id: record.id.clone(),
                    });
                }
            }
        }
        events.sort_by(|a, b| a.date.cmp(&b.date).then(a.event.cmp(&b.event)));
        Ok(events)
    }
}
