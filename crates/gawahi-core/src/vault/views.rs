//! Read models for the app's screens: the dashboard, a record's detail with its links both
//! ways, the hearings calendar and a case's timeline. They are computed from the records, never
//! stored, so they cannot disagree with them.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::links::{self, Link};
use crate::model::{DeadlineFor, Hearing, HearingStatus, Kind, RecordData};
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
    /// The day this entry stands for: the hearing's date; or, for a next date noted on the
    /// hearing with no hearing on that day (how adjournments were recorded before hearings had a
    /// status), that next date.
    pub date: String,
    /// Whether this entry is such a noted next date rather than the hearing itself.
    pub noted_next_date: bool,
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
    /// Deadlines overdue or due within [`DEADLINE_WARNING_DAYS`], soonest first: deadline tasks
    /// not done, courts' compliance dates, papers' expiries and deportation dates.
    pub deadlines: Vec<DeadlineRow>,
}

/// A hearing as the hearings list, the dashboard and the cause list show it: its date and
/// status, and the case it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HearingRow {
    /// The hearing's id.
    pub hearing_id: String,
    /// Its day (`YYYY-MM-DD`).
    pub date: String,
    /// Its status (for a hearing stored without one, as [`Hearing::status_on`] reads it).
    pub status: HearingStatus,
    /// Whether this row is a next date noted on the hearing `hearing_id` with no hearing on
    /// that day yet (see [`HearingWithCase::noted_next_date`]), rather than that hearing.
    pub noted_next_date: bool,
    /// Its purpose.
    pub purpose: Option<String>,
    /// Its outcome.
    pub outcome: Option<String>,
    /// The next date fixed at it.
    pub next_date: Option<String>,
    /// The forum: the hearing's own, else the case's (a `courts` code).
    pub court: Option<String>,
    /// The judge: the hearing's own, else the case's.
    pub judge: Option<String>,
    /// The case's id.
    pub case_id: String,
    /// The case's title.
    pub case_title: String,
    /// The case's FIR or case number.
    pub case_number: Option<String>,
}

/// One court's part of a cause list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CauseListCourt {
    /// The court's code (`courts` vocabulary); `None` for hearings whose court is not recorded.
    pub court: Option<String>,
    /// Its hearings, by date, then case title.
    pub hearings: Vec<HearingRow>,
}

/// A deadline on the dashboard or in `gawahi deadlines`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeadlineRow {
    /// The day it falls due (`YYYY-MM-DD`).
    pub due_on: String,
    /// What it is for.
    pub deadline: DeadlineFor,
    /// The deadline task's title; `None` for a date read from a record (a compliance date, a
    /// PoR card's expiry), which the UI names by `deadline`.
    pub title: Option<String>,
    /// The record it comes from: the deadline task, or the hearing or case holding the date.
    pub record_id: String,
    /// That record's kind.
    pub record_kind: Kind,
    /// Whether it is a deadline task (which can be marked done or deleted, with a warning)
    /// rather than a date read from another record.
    pub is_task: bool,
    /// The case it concerns, if any.
    pub case: Option<Summary>,
    /// The rule its due date was worked out by (`deadline_rules`), if any.
    pub rule: Option<String>,
    /// Days from today to the due date; negative when overdue.
    pub days_left: i64,
    /// Whether the due date has passed.
    pub overdue: bool,
}

/// How far ahead the dashboard warns of deadlines, in days.
pub const DEADLINE_WARNING_DAYS: u32 = 14;
/// How long a date read from a record (not a task that can be marked done) stays on the
/// dashboard as overdue after it has passed, in days.
pub const PASSED_DATES_SHOWN_DAYS: u32 = 30;
/// The longest window `deadlines` and `cause_list` look across, in days (ten years).
pub const MAX_WINDOW_DAYS: u32 = 3_660;

/// One event on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineEvent {
    /// The day (`YYYY-MM-DD`, or as precise as known for a last-seen date).
    pub date: String,
    /// What happened: `fir`, `hearing`, `next_date` (a next date noted on a hearing with no
    /// hearing on that day), `status` (the case's status changed), `bail`, `last_seen`,
    /// `arrested`, `sentenced`, `consular_access`, `documentation_expiry`, `deportation_order`,
    /// `deported`, `compliance` (a date a court set) or `deadline`.
    pub event: String,
    /// A code that qualifies it: a hearing's status, a bail event's kind, the case status set,
    /// a deadline's purpose.
    pub code: Option<String>,
    /// The hearing's outcome or purpose, the FIR number, a bail order, a deadline's title.
    pub text: Option<String>,
    /// The record the event comes from.
    pub record_id: String,
}

impl TimelineEvent {
    fn new(date: &str, event: &str, code: Option<&str>, text: Option<&str>, record_id: &str) -> Self {
        Self {
            date: date.to_owned(),
            event: event.to_owned(),
            code: code.map(str::to_owned),
            text: text.map(str::to_owned),
            record_id: record_id.to_owned(),
        }
    }
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

    /// The dashboard as of `today` (`YYYY-MM-DD`, the user's local date).
    pub fn dashboard(&self, today: &str) -> Result<Dashboard> {
        let conn = self.connection();
        let mut counts = Vec::new();
        for kind in Kind::ALL {
            counts.push((kind, records::count(conn, kind)?));
        }
        check_day_arg("today", today)?;
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
            upcoming_hearings: self.upcoming_hearings(today, 14)?,
            open_tasks: records::select(
                conn,
                Kind::Task,
                "json_extract(body, '$.done') = 0",
                "coalesce(json_extract(body, '$.due_on'), '9999'), id",
                DASHBOARD_ROWS,
                &[],
            )?,
            recent_incidents: records::list(conn, Kind::Incident, None, DASHBOARD_ROWS)?,
            deadlines: self.deadlines(today, DEADLINE_WARNING_DAYS)?,
        })
    }

    /// Hearings dated from `from` to `to` inclusive (`YYYY-MM-DD`), soonest first, with their
    /// cases: a month of the calendar, or the dashboard's fortnight. A next date noted on a
    /// hearing counts as a date of its own only while no hearing follows it (the next hearing
    /// recording the outcome made, even if moved to another day) and the case has no hearing on
    /// that day (one added by hand): each date once.
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
        let noted = records::select(
            conn,
            Kind::Hearing,
            "json_extract(body, '$.next_date') BETWEEN ? AND ?",
            "json_extract(body, '$.next_date'), id",
            crate::vault::MAX_PAGE,
            &[&from, &to],
        )?;
        let mut cases: std::collections::HashMap<String, Summary> = std::collections::HashMap::new();
        let mut case_of = |h: &Record| -> Result<Summary> {
            let case_id = h.data.parent_id().unwrap_or_default().to_owned();
            if let Some(s) = cases.get(&case_id) {
                return Ok(s.clone());
            }
            let summary = Summary::from(&records::get(conn, &case_id)?.ok_or(Error::CorruptDatabase)?);
            cases.insert(case_id, summary.clone());
            Ok(summary)
        };
        let mut out = Vec::new();
        for h in hearings {
            let RecordData::Hearing(x) = &h.data else { continue };
            let date = x.date.clone();
            out.push(HearingWithCase { case: case_of(&h)?, hearing: h, date, noted_next_date: false });
        }
        for h in noted {
            let RecordData::Hearing(x) = &h.data else { continue };
            let Some(next) = x.next_date.clone() else { continue };
            let heard_that_day = !records::select(
                conn,
                Kind::Hearing,
                "parent_id = ? AND json_extract(body, '$.date') = ?",
                "id",
                1,
                &[&x.case_id, &next],
            )?
            .is_empty();
            // The hearing recording the outcome made stands for the date, wherever it has
            // since been moved: the old date is not a hearing of its own.
            let has_next_hearing = !crate::vault::court::follow_ups(conn, &h.id)?.is_empty();
            if !heard_that_day && !has_next_hearing {
                out.push(HearingWithCase { case: case_of(&h)?, hearing: h, date: next, noted_next_date: true });
            }
        }
        out.sort_by(|a, b| (&a.date, &a.hearing.id).cmp(&(&b.date, &b.hearing.id)));
        Ok(out)
    }

    /// Hearings from `today` to `days` ahead that are still to happen, soonest first: each
    /// date once, because a hearing whose outcome was recorded (adjourned, say) is not upcoming;
    /// the hearing its next date created is.
    pub fn upcoming_hearings(&self, today: &str, days: u32) -> Result<Vec<HearingWithCase>> {
        check_day_arg("today", today)?;
        let until = window_end(today, days)?;
        Ok(self
            .hearings_between(today, &until)?
            .into_iter()
            .filter(|h| {
                h.noted_next_date
                    || matches!(&h.hearing.data, RecordData::Hearing(x) if x.status_on(today).is_pending())
            })
            .collect())
    }

    /// Every hearing from `from` to `to` inclusive (either open), by date, with its case's
    /// title and number and its status as of `today`: the hearings list.
    pub fn hearings_list(&self, from: Option<&str>, to: Option<&str>, today: &str) -> Result<Vec<HearingRow>> {
        check_day_arg("today", today)?;
        let from = from.unwrap_or("0000-01-01");
        let to = to.unwrap_or("9999-12-31");
        check_day_arg("from", from)?;
        check_day_arg("to", to)?;
        let mut cases = std::collections::HashMap::new();
        let mut rows = Vec::new();
        for h in self.hearings_between(from, to)? {
            let RecordData::Hearing(hearing) = &h.hearing.data else { continue };
            let case = match cases.entry(hearing.case_id.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(records::get(self.connection(), &hearing.case_id)?.ok_or(Error::CorruptDatabase)?)
                }
            };
            let RecordData::Case(c) = &case.data else { return Err(Error::CorruptDatabase) };
            // A noted next date is a hearing still to come, of which nothing more is known.
            let noted = h.noted_next_date;
            rows.push(HearingRow {
                hearing_id: h.hearing.id.clone(),
                date: h.date.clone(),
                status: if noted { HearingStatus::Scheduled } else { hearing.status_on(today) },
                noted_next_date: noted,
                purpose: if noted { None } else { hearing.purpose.clone() },
                outcome: if noted { None } else { hearing.outcome.clone() },
                next_date: if noted { None } else { hearing.next_date.clone() },
                court: hearing.court.clone().or_else(|| c.court.clone()),
                judge: hearing.judge.clone().or_else(|| c.judge.clone()),
                case_id: case.id.clone(),
                case_title: c.title.clone(),
                case_number: c.fir_number.clone(),
            });
        }
        Ok(rows)
    }

    /// The cause list from `from` to `to` inclusive: every hearing in those days across all
    /// cases, grouped by court (in code order, hearings with no court last), each court's
    /// hearings by date, then case title. A lawyer's "which of my cases are listed today".
    pub fn cause_list(&self, from: &str, to: &str, today: &str) -> Result<Vec<CauseListCourt>> {
        check_day_arg("from", from)?;
        check_day_arg("to", to)?;
        if to < from {
            return Err(crate::error::Invalid::field(
                "to",
                crate::error::Reason::NextDateNotAfter,
                "the last day comes before the first",
            )
            .into());
        }
        if crate::date::days_between(from, to).is_some_and(|d| d > i64::from(MAX_WINDOW_DAYS)) {
            return Err(crate::error::Invalid::field(
                "to",
                crate::error::Reason::TooLong,
                format!("a cause list covers at most {MAX_WINDOW_DAYS} days"),
            )
            .into());
        }
        let mut rows = self.hearings_list(Some(from), Some(to), today)?;
        rows.sort_by(|a, b| {
            (a.court.is_none(), &a.court, &a.date, &a.case_title, &a.hearing_id).cmp(&(
                b.court.is_none(),
                &b.court,
                &b.date,
                &b.case_title,
                &b.hearing_id,
            ))
        });
        let mut courts: Vec<CauseListCourt> = Vec::new();
        for row in rows {
            match courts.last_mut() {
                Some(c) if c.court == row.court => c.hearings.push(row),
                _ => courts.push(CauseListCourt { court: row.court.clone(), hearings: vec![row] }),
            }
        }
        Ok(courts)
    }

    /// Deadlines overdue or due within `within_days` of `today`, soonest first: deadline tasks
    /// not done (overdue ones until they are done), and the dates records hold that someone must
    /// act by: a court's compliance date, papers' expiry (these stay
    /// [`PASSED_DATES_SHOWN_DAYS`] after they pass), a deportation date still to come. A date read from a record is left out
    /// when a deadline task of the same case, purpose and day stands for it.
    pub fn deadlines(&self, today: &str, within_days: u32) -> Result<Vec<DeadlineRow>> {
        check_day_arg("today", today)?;
        let conn = self.connection();
        let until = window_end(today, within_days)?;
        let passed_from = crate::date::add_days(today, -i64::from(PASSED_DATES_SHOWN_DAYS)).unwrap_or_default();
        let mut rows = Vec::new();
        let summary_of = |id: Option<&str>| -> Result<Option<Summary>> {
            Ok(match id {
                Some(id) => records::get(conn, id)?.map(|r| Summary::from(&r)),
                None => None,
            })
        };
        let tasks = records::select(
            conn,
            Kind::Task,
            "json_extract(body, '$.deadline') IS NOT NULL AND json_extract(body, '$.done') = 0
             AND json_extract(body, '$.due_on') <= ?",
            "json_extract(body, '$.due_on'), id",
            crate::vault::MAX_PAGE,
            &[&until],
        )?;
        for t in &tasks {
            let RecordData::Task(task) = &t.data else { continue };
            let (Some(due), Some(deadline)) = (&task.due_on, task.deadline) else { continue };
            rows.push(row(
                today,
                due,
                deadline,
                Some(task.title.clone()),
                t,
                true,
                summary_of(task.case_id.as_deref())?,
                task.deadline_rule.clone(),
            ));
        }
        let hearings = records::select(
            conn,
            Kind::Hearing,
            "json_extract(body, '$.compliance_on') BETWEEN ? AND ?",
            "json_extract(body, '$.compliance_on'), id",
            crate::vault::MAX_PAGE,
            &[&passed_from, &until],
        )?;
        for h in &hearings {
            let RecordData::Hearing(hearing) = &h.data else { continue };
            let Some(due) = &hearing.compliance_on else { continue };
            rows.push(row(
                today,
                due,
                DeadlineFor::Compliance,
                None,
                h,
                false,
                summary_of(Some(&hearing.case_id))?,
                None,
            ));
        }
        let cases = records::select(
            conn,
            Kind::Case,
            "json_extract(body, '$.refugee.documentation_expires_on') BETWEEN ? AND ?
             OR json_extract(body, '$.refugee.deported_on') BETWEEN ? AND ?",
            "id",
            crate::vault::MAX_PAGE,
            &[&passed_from, &until, &passed_from, &until],
        )?;
        for c in &cases {
            let RecordData::Case(case) = &c.data else { continue };
            let Some(refugee) = &case.refugee else { continue };
            // Papers that expired stay listed a while (they still need renewing); a deportation
            // is something to act before only while it is still to come: once its day has
            // passed it is history (on the timeline), not an overdue deadline.
            for (date, deadline, shown_from) in [
                (&refugee.documentation_expires_on, DeadlineFor::DocumentExpiry, passed_from.as_str()),
                (&refugee.deported_on, DeadlineFor::Deportation, today),
            ] {
                if let Some(due) = date
                    && due.as_str() >= shown_from
                    && due.as_str() <= until.as_str()
                {
                    rows.push(row(today, due, deadline, None, c, false, Some(Summary::from(c)), None));
                }
            }
        }
        let from_tasks: std::collections::HashSet<(Option<String>, String, DeadlineFor)> = rows
            .iter()
            .filter(|r| r.is_task)
            .map(|r| (r.case.as_ref().map(|c| c.id.clone()), r.due_on.clone(), r.deadline))
            .collect();
        rows.retain(|r| {
            r.is_task || !from_tasks.contains(&(r.case.as_ref().map(|c| c.id.clone()), r.due_on.clone(), r.deadline))
        });
        rows.sort_by(|a, b| (&a.due_on, &a.record_id).cmp(&(&b.due_on, &b.record_id)));
        Ok(rows)
    }

    /// A case's timeline in date order, each date of each kind once: the FIR; every hearing with
    /// its status; a next date noted on a hearing only when no hearing of the case is on that
    /// day (the next hearing itself stands for it); the status changes; bail events; the dates
    /// of the case's kind (last seen, arrest, sentence, consular access, papers' expiry,
    /// deportation order and deportation); courts' compliance dates; and the case's deadlines.
    pub fn case_timeline(&self, case_id: &str) -> Result<Vec<TimelineEvent>> {
        let conn = self.connection();
        let case = self.get(case_id)?;
        let RecordData::Case(c) = &case.data else {
            return Err(crate::error::Invalid::field(
                "case_id",
                crate::error::Reason::WrongKind,
                "this id is not a case's",
            )
            .into());
        };
        let today = crate::date::today_local();
        let id = case.id.as_str();
        let mut events = Vec::new();
        if let Some(date) = &c.fir_date {
            events.push(TimelineEvent::new(date, "fir", None, c.fir_number.as_deref(), id));
        }
        for s in &c.status_history {
            events.push(TimelineEvent::new(&s.on, "status", Some(&s.status), None, id));
        }
        for b in &c.bail_events {
            let code = b.event.map(|e| serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_owned)));
            events.push(TimelineEvent::new(&b.on, "bail", code.flatten().as_deref(), b.order.as_deref(), id));
        }
        let mut dated: Vec<(&str, &Option<String>)> = Vec::new();
        if let Some(d) = &c.disappearance {
            dated.push(("last_seen", &d.last_seen_on));
        }
        if let Some(d) = &c.detention_abroad {
            dated.extend([
                ("arrested", &d.arrested_on),
                ("sentenced", &d.sentenced_on),
                ("consular_access", &d.consular_access_on),
            ]);
        }
        if let Some(r) = &c.refugee {
            dated.extend([
                ("documentation_expiry", &r.documentation_expires_on),
                ("deportation_order", &r.deportation_order_on),
                ("deported", &r.deported_on),
            ]);
        }
        for (event, date) in dated {
            if let Some(date) = date {
                events.push(TimelineEvent::new(date, event, None, None, id));
            }
        }
        let mut hearings: Vec<(String, Hearing)> = Vec::new();
        for (child, kind) in records::children(conn, id)? {
            let Some(record) = records::get(conn, &child)? else { continue };
            match (&record.data, kind) {
                (RecordData::Hearing(h), Kind::Hearing) => hearings.push((record.id.clone(), h.clone())),
                (RecordData::Task(t), Kind::Task) => {
                    if let (Some(due), Some(d)) = (&t.due_on, t.deadline) {
                        events.push(TimelineEvent::new(due, "deadline", Some(d.as_str()), Some(&t.title), &record.id));
                    }
                }
                _ => {}
            }
        }
        let hearing_days: std::collections::HashSet<&str> = hearings.iter().map(|(_, h)| h.date.as_str()).collect();
        // Hearings another hearing follows: their next date is that hearing's, wherever it is now.
        let followed: std::collections::HashSet<&str> =
            hearings.iter().filter_map(|(_, h)| h.follows.as_deref()).collect();

        let mut noted = std::collections::HashSet::new();
        for (hid, h) in &hearings {
            let status = h.status_on(&today);
            events.push(TimelineEvent::new(
                &h.date,
                "hearing",
                Some(status.as_str()),
                h.outcome.as_deref().or(h.purpose.as_deref()),
                hid,
            ));
            if let Some(next) = &h.next_date
                && !hearing_days.contains(next.as_str())
                && !followed.contains(hid.as_str())
                && noted.insert(next.as_str())
            {
                events.push(TimelineEvent::new(next, "next_date", None, None, hid));
            }
            if let Some(due) = &h.compliance_on {
                events.push(TimelineEvent::new(due, "compliance", None, None, hid));
            }
        }
        // A date a deadline task of this case stands for (one made from it with a period of 0
        // days) is shown once, as the deadline, as `deadlines` does.
        let deadline_days: std::collections::HashSet<(String, String)> = events
            .iter()
            .filter(|e| e.event == "deadline")
            .filter_map(|e| e.code.clone().map(|code| (e.date.clone(), code)))
            .collect();
        events.retain(|e| {
            let purpose = match e.event.as_str() {
                "compliance" => DeadlineFor::Compliance,
                "documentation_expiry" => DeadlineFor::DocumentExpiry,
                "deportation_order" | "deported" => DeadlineFor::Deportation,
                _ => return true,
            };
            !deadline_days.contains(&(e.date.clone(), purpose.as_str().to_owned()))
        });
        events.sort_by(|a, b| (&a.date, &a.event, &a.record_id).cmp(&(&b.date, &b.event, &b.record_id)));
        Ok(events)
    }
}

/// Refuses an argument that is not a calendar day, naming it.
fn check_day_arg(field: &str, day: &str) -> Result<()> {
    crate::date::check_day(field, Some(day))?;
    Ok(())
}

/// The day `days` after `today`, refusing windows longer than [`MAX_WINDOW_DAYS`].
fn window_end(today: &str, days: u32) -> Result<String> {
    if days > MAX_WINDOW_DAYS {
        return Err(crate::error::Invalid::field(
            "days",
            crate::error::Reason::TooLong,
            format!("look at most {MAX_WINDOW_DAYS} days ahead"),
        )
        .into());
    }
    crate::date::add_days(today, i64::from(days)).ok_or_else(|| {
        crate::error::Invalid::field("today", crate::error::Reason::NotADay, "expected a date like 2026-11-23").into()
    })
}

#[allow(clippy::too_many_arguments, reason = "a row is put together from this many parts in one place")]
fn row(
    today: &str,
    due: &str,
    deadline: DeadlineFor,
    title: Option<String>,
    record: &Record,
    is_task: bool,
    case: Option<Summary>,
    rule: Option<String>,
) -> DeadlineRow {
    let days_left = crate::date::days_between(today, due).unwrap_or_default();
    DeadlineRow {
        due_on: due.to_owned(),
        deadline,
        title,
        record_id: record.id.clone(),
        record_kind: record.kind(),
        is_task,
        case,
        rule,
        days_left,
        overdue: days_left < 0,
    }
}
