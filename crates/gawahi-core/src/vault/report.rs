//! Reports and tables for other people to read: the anonymised (or the owner's) table of one
//! kind as CSV or JSON, and PDF reports. Each is recorded in the audit log before anything is
//! written, made in memory and written only where the caller says.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use super::Vault;
use super::views::TimelineEvent;
use crate::audit::{self, Action};
use crate::crypto::keys::KeyPurpose;
use crate::error::{Error, Invalid, Reason, Result};
use crate::model::{DeadlineFor, Kind, RecordData};
use crate::records::{self, Record};
use crate::report::anonymise::{self, Source, TableFormat, TableOptions, TableSummary};
use crate::report::counts;
use crate::report::pdf::{Column, Layout, count_heading, count_rows, ltr, word_or_code, words};
use crate::report::{Labels, Pseudonyms};
use crate::vocab::Lang;
use crate::{export, links};

/// Which PDF report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportKind {
    /// Counts by type, province, month, case kind and status, with a chart.
    Summary,
    /// One case for a lawyer: its fields, charges, timeline, hearings, bail, linked incidents and
    /// people, and its evidence with SHA-256 hashes.
    Dossier {
        /// The case.
        case_id: String,
    },
    /// Hearings across all cases between two days (inclusive), by court.
    CauseList {
        /// The first day (`YYYY-MM-DD`).
        from: String,
        /// The last day.
        to: String,
    },
}

/// A PDF report to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// Which report.
    pub kind: ReportKind,
    /// Its language.
    pub lang: Lang,
    /// Persons only with consent and by pseudonym, no free text or numbers that identify,
    /// counts under 3 suppressed.
    pub anonymise: bool,
    /// The user's local date (`YYYY-MM-DD`), printed on the report and used for hearing statuses.
    pub today: String,
}

impl Vault {
    fn pseudonyms(&self) -> Pseudonyms {
        Pseudonyms::new(&self.master.derive(KeyPurpose::Pseudonyms))
    }

    fn all_records(&self) -> Result<Vec<Record>> {
        let mut all = Vec::new();
        records::for_each(self.connection(), |r| {
            all.push(r);
            Ok(())
        })?;
        Ok(all)
    }

    /// Writes the table of `kind` (one row a record) as CSV or JSON Lines, anonymised or not
    /// (see [`crate::report::anonymise`]). Recorded in the audit log before anything is written.
    pub fn export_table(
        &mut self,
        kind: Kind,
        options: TableOptions,
        format: TableFormat,
        out: impl Write,
    ) -> Result<TableSummary> {
        self.writable()?;
        if !anonymise::TABLE_KINDS.contains(&kind) {
            return Err(Invalid::field(
                "kind",
                Reason::WrongKind,
                "risk assessments and tasks are private to the vault: no table is made of them",
            )
            .into());
        }
        let what = if options.anonymise { "anonymised table" } else { "table" };
        audit::append(&self.conn, Action::Export, Some(what), None, None)?;
        let records = self.all_records()?;
        let links = links::all(self.connection())?;
        let labels = Labels::load(self.connection())?;
        let pseudonyms = self.pseudonyms();
        let source = Source { records: &records, links: &links, labels: &labels, pseudonyms: &pseudonyms };
        anonymise::write(&source, kind, options, format, out)
    }

    /// Writes the table of `kind` to a new file at `dest` (see [`Vault::export_table`]). The table
    /// is made in memory first, so a refused request, a full disk or read-only media leaves no
    /// file and no half table behind; an existing file is never overwritten.
    pub fn write_table(
        &mut self,
        kind: Kind,
        options: TableOptions,
        format: TableFormat,
        dest: &Path,
    ) -> Result<TableSummary> {
        let mut bytes = Vec::new();
        let summary = self.export_table(kind, options, format, &mut bytes)?;
        write_new_file(dest, &bytes)?;
        Ok(summary)
    }

    /// Makes a PDF report in memory. Recorded in the audit log first; nothing is written to disk.
    pub fn report_pdf(&mut self, request: &ReportRequest) -> Result<Vec<u8>> {
        crate::date::check_day("today", Some(&request.today))?;
        let case = match &request.kind {
            ReportKind::Dossier { case_id } => {
                let case = self.get(case_id)?;
                if !matches!(case.data, RecordData::Case(_)) {
                    return Err(Invalid::field("case", Reason::WrongKind, "this id is not a case's").into());
                }
                Some(case)
            }
            ReportKind::CauseList { from, to } => {
                // The read model checks the days and the window before anything is recorded.
                self.cause_list(from, to, &request.today)?;
                None
            }
            ReportKind::Summary => None,
        };
        self.writable()?;
        let what = match (&request.kind, request.anonymise) {
            (ReportKind::Summary, true) => "anonymised summary report",
            (ReportKind::Summary, false) => "summary report",
            (ReportKind::Dossier { .. }, true) => "anonymised case dossier",
            (ReportKind::Dossier { .. }, false) => "case dossier",
            (ReportKind::CauseList { .. }, _) => "cause list report",
        };
        // A dossier names its case, with the case's content hash: `check` holds every record to
        // its latest audit entry, and this one must agree with the record as it is.
        let hash = case.as_ref().map(Record::content_hash);
        audit::append(&self.conn, Action::Export, Some(what), case.as_ref().map(|c| c.id.as_str()), hash.as_deref())?;
        match &request.kind {
            ReportKind::Summary => self.summary_pdf(request),
            ReportKind::Dossier { .. } => match case {
                Some(case) => self.dossier_pdf(request, &case),
                None => Err(Error::Bug("a dossier without its case")),
            },
            ReportKind::CauseList { from, to } => self.cause_list_pdf(request, from, to),
        }
    }

    /// Makes a PDF report and writes it to `dest`, a new file readable only by its owner; never
    /// overwrites anything. A failure part way (a full disk) removes what was written.
    pub fn write_report(&mut self, request: &ReportRequest, dest: &Path) -> Result<u64> {
        let bytes = self.report_pdf(request)?;
        write_new_file(dest, &bytes)?;
        Ok(bytes.len() as u64)
    }

    fn summary_pdf(&self, request: &ReportRequest) -> Result<Vec<u8>> {
        let lang = request.lang;
        let labels = Labels::load(self.connection())?;
        let mut records = self.all_records()?;
        if request.anonymise {
            // Persons without consent are not even counted.
            records.retain(|r| !matches!(&r.data, RecordData::Person(_)) || export::allowed(&r.data).is_some());
        }
        let mut l = Layout::new(lang, words(lang, "summary"))?;
        l.title(words(lang, "summary"));
        l.our_paragraph(&format!("{}: {}", words(lang, "made_on"), ltr(&request.today)), 9.0, false);
        if request.anonymise {
            l.paragraph(words(lang, "anonymised"), 9.0, false);
        }
        l.heading(words(lang, "records"));
        let kinds: &[Kind] = if request.anonymise {
            &[Kind::Person, Kind::Organisation, Kind::Incident, Kind::Threat, Kind::Case, Kind::Hearing, Kind::Referral]
        } else {
            &Kind::ALL
        };
        let rows: Vec<Vec<String>> = kinds
            .iter()
            .map(|k| {
                let n = records.iter().filter(|r| r.kind() == *k).count() as u64;
                let shown = if request.anonymise && n < counts::SUPPRESS_BELOW && n > 0 {
                    words(lang, "not_shown").to_owned()
                } else {
                    n.to_string()
                };
                vec![words(lang, k.as_str()).to_owned(), shown]
            })
            .collect();
        let two = |first: &str| {
            [
                Column { header: first.to_owned(), share: 3.0 },
                Column { header: words(lang, "count").to_owned(), share: 1.0 },
            ]
        };
        l.table(&two(words(lang, "kind")), &rows);
        let tables = counts::summary(&records, &labels, lang, request.anonymise);
        if tables.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        }
        for table in &tables {
            l.heading(count_heading(lang, table.by));
            if table.withheld {
                l.paragraph(words(lang, "withheld"), BODY_SIZE, false);
                continue;
            }
            if table.by == counts::CountBy::IncidentType || table.by == counts::CountBy::Month {
                l.bar_chart(&table.rows, words(lang, "not_shown"));
            }
            l.table(&two(count_heading(lang, table.by)), &count_rows(lang, table));
        }
        l.finish(words(lang, "page"))
    }

    fn dossier_pdf(&self, request: &ReportRequest, case: &Record) -> Result<Vec<u8>> {
        let lang = request.lang;
        let anon = request.anonymise;
        let RecordData::Case(c) = &case.data else {
            return Err(Error::Bug("a dossier of a record that is not a case"));
        };
        let labels = Labels::load(self.connection())?;
        let pseudonyms = self.pseudonyms();
        let label = |vocab: &str, code: Option<&str>| code.map(|c| labels.get(vocab, c, lang)).unwrap_or_default();
        let private = |v: Option<&str>| if anon { String::new() } else { v.unwrap_or_default().to_owned() };
        // Exact days of hearings, FIRs and bail orders can be matched with published cause lists
        // and the press, and through them with a person: an anonymised dossier shows months.
        let day = |d: &str| if anon { d.chars().take(7).collect() } else { d.to_owned() };
        // A hearing's status says whether its day is before or after the day the report is
        // made ("upcoming", "held"), which the report shows: in the month of that day, the
        // status would give the hearing's half of the month away.
        let this_month = |d: &str| anon && d.get(..7).is_some() && d.get(..7) == request.today.get(..7);
        let title = if anon { pseudonyms.title(Kind::Case, &case.id) } else { c.title.clone() };
        let mut l = Layout::new(lang, words(lang, "dossier"))?;
        l.title(words(lang, "dossier"));
        l.paragraph(&title, 13.0, true);
        l.our_paragraph(&format!("{}: {}", words(lang, "made_on"), ltr(&request.today)), 9.0, false);
        if anon {
            l.paragraph(words(lang, "anonymised"), 9.0, false);
        }
        l.gap(6.0);
        let bail = c
            .bail
            .map(|b| {
                word_or_code(
                    lang,
                    "bail",
                    serde_json::to_value(b).ok().and_then(|v| v.as_str().map(str::to_owned)).as_deref().unwrap_or(""),
                )
            })
            .unwrap_or_default();
        l.fields(&[
            (words(lang, "kind").to_owned(), labels.get("case_kinds", c.case_kind.as_str(), lang)),
            (words(lang, "status").to_owned(), label("case_statuses", c.status.as_deref())),
            (words(lang, "court").to_owned(), label("courts", c.court.as_deref())),
            (words(lang, "judge").to_owned(), private(c.judge.as_deref())),
            (words(lang, "fir_number").to_owned(), private(c.fir_number.as_deref())),
            (words(lang, "fir_date").to_owned(), c.fir_date.as_deref().map(day).unwrap_or_default()),
            (words(lang, "police_station").to_owned(), private(c.police_station.as_deref())),
            (words(lang, "agency").to_owned(), label("bodies", c.investigating_agency.as_deref())),
            (words(lang, "bail").to_owned(), bail),
        ]);
        l.heading(words(lang, "charges"));
        if c.charges.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else {
            let rows: Vec<Vec<String>> = c
                .charges
                .iter()
                .map(|ch| vec![labels.charge(&ch.statute, &ch.section, lang).replace("::", " — ")])
                .collect();
            l.table(&[Column { header: words(lang, "charges").to_owned(), share: 1.0 }], &rows);
        }

        l.heading(words(lang, "timeline"));
        let mut timeline = self.case_timeline(&case.id)?;
        if anon {
            // A deadline task made from a court's compliance date stands for that date in the
            // timeline (`case_timeline` shows such a date once); the date is the court's and is
            // published as it, without the task.
            for e in &mut timeline {
                if e.event == "deadline" && e.code.as_deref() == Some(DeadlineFor::Compliance.as_str()) {
                    *e = TimelineEvent { event: "compliance".into(), code: None, text: None, ..e.clone() };
                }
            }
            // Tasks are never published, nor the dates an anonymised export leaves out of a
            // detention abroad or a refugee case (`export::ALLOWED_NESTED`).
            timeline.retain(|e| !UNPUBLISHED_EVENTS.contains(&e.event.as_str()));
        }
        let rows: Vec<Vec<String>> = timeline
            .iter()
            .map(|e| {
                let mut what = word_or_code(lang, "ev", &e.event);
                if let Some(code) = e.code.as_ref().filter(|_| !(e.event == "hearing" && this_month(&e.date))) {
                    let qualifier = match e.event.as_str() {
                        "hearing" => word_or_code(lang, "hs", code),
                        "status" => labels.get("case_statuses", code, lang),
                        "bail" => word_or_code(lang, "be", code),
                        "deadline" => word_or_code(lang, "dl", code),
                        _ => code.replace('_', " "),
                    };
                    what = format!("{what}: {qualifier}");
                }
                vec![day(&e.date), what, private(e.text.as_deref())]
            })
            .collect();
        l.table(
            &[
                Column { header: words(lang, "date").to_owned(), share: 1.0 },
                Column { header: words(lang, "event").to_owned(), share: 1.6 },
                Column { header: words(lang, "details").to_owned(), share: 2.6 },
            ],
            &rows,
        );

        let detail = self.detail(&case.id)?;
        let mut hearings: Vec<Record> = Vec::new();
        for child in &detail.children {
            if child.kind == Kind::Hearing {
                hearings.push(self.get(&child.id)?);
            }
        }
        hearings.sort_by(|a, b| match (&a.data, &b.data) {
            (RecordData::Hearing(x), RecordData::Hearing(y)) => x.date.cmp(&y.date),
            _ => std::cmp::Ordering::Equal,
        });
        l.heading(words(lang, "hearing"));
        let rows: Vec<Vec<String>> = hearings
            .iter()
            .filter_map(|h| match &h.data {
                RecordData::Hearing(h) => Some(vec![
                    day(&h.date),
                    if this_month(&h.date) {
                        String::new()
                    } else {
                        word_or_code(lang, "hs", h.status_on(&request.today).as_str())
                    },
                    private(h.purpose.as_deref()),
                    private(h.outcome.as_deref()),
                    h.next_date.as_deref().map(day).unwrap_or_default(),
                ]),
                _ => None,
            })
            .collect();
        if rows.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else {
            l.table(
                &[
                    Column { header: words(lang, "date").to_owned(), share: 1.0 },
                    Column { header: words(lang, "status").to_owned(), share: 1.0 },
                    Column { header: words(lang, "purpose").to_owned(), share: 1.6 },
                    Column { header: words(lang, "outcome").to_owned(), share: 1.6 },
                    Column { header: words(lang, "next_date").to_owned(), share: 1.0 },
                ],
                &rows,
            );
        }

        l.heading(words(lang, "bail_events"));
        if c.bail_events.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else {
            let code = |prefix: &str, v: serde_json::Value| {
                v.as_str().map(|s| word_or_code(lang, prefix, s)).unwrap_or_default()
            };
            let rows: Vec<Vec<String>> = c
                .bail_events
                .iter()
                .map(|b| {
                    vec![
                        day(&b.on),
                        b.event.map(|e| code("be", serde_json::to_value(e).unwrap_or_default())).unwrap_or_default(),
                        b.stage.map(|e| code("stage", serde_json::to_value(e).unwrap_or_default())).unwrap_or_default(),
                        label("courts", b.court.as_deref()),
                        if anon {
                            String::new()
                        } else {
                            b.surety_amount_pkr.map(|n| n.to_string()).unwrap_or_default()
                        },
                        private(b.order.as_deref()),
                    ]
                })
                .collect();
            l.table(
                &[
                    Column { header: words(lang, "date").to_owned(), share: 1.0 },
                    Column { header: words(lang, "event").to_owned(), share: 1.0 },
                    Column { header: words(lang, "stage").to_owned(), share: 1.0 },
                    Column { header: words(lang, "court").to_owned(), share: 1.4 },
                    Column { header: words(lang, "surety").to_owned(), share: 1.0 },
                    Column { header: words(lang, "order").to_owned(), share: 1.6 },
                ],
                &rows,
            );
        }

        let mut incidents = Vec::new();
        let mut people = Vec::new();
        for linked in &detail.links {
            let other = self.get(&linked.other.id)?;
            match &other.data {
                RecordData::Incident(i) => {
                    let place = [
                        i.province.as_deref().map(|p| labels.get("provinces", p, lang)),
                        i.district.as_deref().map(|d| labels.get("districts", d, lang)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                    let title = if anon { pseudonyms.title(Kind::Incident, &other.id) } else { i.title.clone() };
                    let date = i.occurred_on.as_deref().map(day).unwrap_or_default();
                    incidents.push((other.id.clone(), vec![date, title, place]));
                }
                RecordData::Person(p) => {
                    if anon && export::allowed(&other.data).is_none() {
                        continue;
                    }
                    let name = if anon {
                        pseudonyms.title(Kind::Person, &other.id)
                    } else if p.anonymous {
                        p.pseudonym.clone().unwrap_or_else(|| words(lang, "name_withheld").to_owned())
                    } else {
                        p.name
                            .clone()
                            .or_else(|| p.pseudonym.clone())
                            .unwrap_or_else(|| words(lang, "name_withheld").to_owned())
                    };
                    let role = labels.get("link_roles", &linked.link.role, lang);
                    people.push(vec![name, role]);
                }
                _ => {}
            }
        }
        // By date, then title, not by id: ids are UUIDv7s, which begin with the moment each record
        // was made, and their order would say in which order incidents of one month (all the
        // anonymised dossier shows of their dates) were entered. Likewise people by name, not by
        // the order they were linked in.
        incidents.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        people.sort();
        l.heading(words(lang, "incidents"));
        if incidents.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else {
            let rows: Vec<Vec<String>> = incidents.iter().map(|(_, r)| r.clone()).collect();
            l.table(
                &[
                    Column { header: words(lang, "date").to_owned(), share: 1.0 },
                    Column { header: words(lang, "title").to_owned(), share: 3.0 },
                    Column { header: words(lang, "place").to_owned(), share: 2.0 },
                ],
                &rows,
            );
        }
        l.heading(words(lang, "people"));
        if people.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else {
            l.table(
                &[
                    Column { header: words(lang, "name").to_owned(), share: 2.0 },
                    Column { header: words(lang, "role").to_owned(), share: 2.0 },
                ],
                &people,
            );
        }

        // The case's own evidence, its hearings' and its linked incidents'.
        l.heading(words(lang, "evidence"));
        let mut holders: Vec<(String, String)> = vec![(case.id.clone(), title.clone())];
        for h in &hearings {
            if let RecordData::Hearing(hd) = &h.data {
                holders.push((h.id.clone(), format!("{} {}", words(lang, "ev_hearing"), day(&hd.date))));
            }
        }
        for (id, row) in &incidents {
            holders.push((id.clone(), row[1].clone()));
        }
        let mut rows = Vec::new();
        for (id, holder) in &holders {
            for item in self.list_evidence(Some(id))? {
                let name = if anon {
                    pseudonyms.code(&item.id)
                } else {
                    item.original_name.clone().unwrap_or_else(|| item.id.clone())
                };
                let mut row = vec![name, holder.clone(), item.media_type.clone()];
                // Whoever holds a file (the police with an FIR's copy, the sender of a threat)
                // can find it by its hash or its exact size, and through it tie the case's
                // pseudonym to a named case: an anonymised dossier gives neither.
                if !anon {
                    row.extend([item.size.to_string(), item.sha256.clone()]);
                }
                rows.push(row);
            }
        }
        if rows.is_empty() {
            l.paragraph(words(lang, "none"), BODY_SIZE, false);
        } else if anon {
            l.paragraph(words(lang, "evidence_withheld"), BODY_SIZE, false);
            l.table(
                &[
                    Column { header: words(lang, "file").to_owned(), share: 1.5 },
                    Column { header: words(lang, "record").to_owned(), share: 1.5 },
                    Column { header: words(lang, "type").to_owned(), share: 1.5 },
                ],
                &rows,
            );
        } else {
            l.table(
                &[
                    Column { header: words(lang, "file").to_owned(), share: 1.5 },
                    Column { header: words(lang, "record").to_owned(), share: 1.2 },
                    Column { header: words(lang, "type").to_owned(), share: 1.1 },
                    Column { header: words(lang, "size").to_owned(), share: 0.8 },
                    Column { header: words(lang, "sha256").to_owned(), share: 3.2 },
                ],
                &rows,
            );
        }
        l.finish(words(lang, "page"))
    }

    fn cause_list_pdf(&self, request: &ReportRequest, from: &str, to: &str) -> Result<Vec<u8>> {
        let lang = request.lang;
        let anon = request.anonymise;
        let labels = Labels::load(self.connection())?;
        let list = self.cause_list(from, to, &request.today)?;
        let mut l = Layout::new(lang, words(lang, "cause_list"))?;
        l.title(words(lang, "cause_list"));
        l.our_paragraph(&format!("{}: {}", words(lang, "period"), ltr(&format!("{from} — {to}"))), 10.0, false);
        l.our_paragraph(&format!("{}: {}", words(lang, "made_on"), ltr(&request.today)), 9.0, false);
        if list.is_empty() {
            l.paragraph(words(lang, "no_hearings"), BODY_SIZE, false);
        }
        // An anonymised cause list numbers its cases within itself rather than by their stable
        // pseudonyms: a hearing's day and court can be found in the court's own published cause
        // list, and that would tie the pseudonym, and so everything published under it (charges,
        // bail, linked incidents), to a named case.
        let mut numbers: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for court in &list {
            let name = court
                .court
                .as_deref()
                .map_or_else(|| words(lang, "court_not_recorded").to_owned(), |c| labels.get("courts", c, lang));
            l.heading(&name);
            let rows: Vec<Vec<String>> = court
                .hearings
                .iter()
                .map(|h| {
                    let title = if anon {
                        let next = numbers.len() + 1;
                        format!("{} {}", words(lang, "one_case"), numbers.entry(h.case_id.as_str()).or_insert(next))
                    } else {
                        h.case_title.clone()
                    };
                    vec![
                        h.date.clone(),
                        title,
                        if anon { String::new() } else { h.case_number.clone().unwrap_or_default() },
                        word_or_code(lang, "hs", h.status.as_str()),
                        if anon { String::new() } else { h.purpose.clone().unwrap_or_default() },
                    ]
                })
                .collect();
            l.table(
                &[
                    Column { header: words(lang, "date").to_owned(), share: 1.0 },
                    Column { header: words(lang, "case").to_owned(), share: 2.6 },
                    Column { header: words(lang, "case_number").to_owned(), share: 1.3 },
                    Column { header: words(lang, "status").to_owned(), share: 1.0 },
                    Column { header: words(lang, "purpose").to_owned(), share: 1.8 },
                ],
                &rows,
            );
        }
        l.finish(words(lang, "page"))
    }
}

/// The size of body text in points.
const BODY_SIZE: f32 = 9.5;

/// The timeline events an anonymised dossier leaves out (see `Vault::case_timeline`): a task's
/// deadline (tasks are never published), and the dates of a detention abroad or a refugee case
/// that an anonymised export never carries (`export::ALLOWED_NESTED`): an arrest, a sentence or a
/// deportation on a given month is news that names the person.
const UNPUBLISHED_EVENTS: &[&str] =
    &["deadline", "arrested", "sentenced", "consular_access", "documentation_expiry", "deportation_order", "deported"];

/// Writes `bytes` to a new file at `dest` (mode 0600), synced, never over an existing file.
///
/// On Linux the file is written unnamed first (`O_TMPFILE` in the destination's folder) and
/// given its name only when whole, so nothing is ever seen under the name but a whole report: a
/// process killed part way leaves nothing at all, and no temporary name ever holds the plaintext.
/// A filesystem without unnamed files (FAT on a USB stick) gets the file written in place; then
/// any failure removes it, and a kill between creating and writing it can leave it empty. The
/// window also saves the charts it draws with it, so that they fail the same way.
pub fn write_new_file(dest: &Path, bytes: &[u8]) -> Result<()> {
    #[cfg(target_os = "linux")]
    if let Some(done) = write_unnamed_then_link(dest, bytes) {
        return done;
    }
    write_in_place(dest, bytes)
}

/// The `O_TMPFILE` way, or `None` where the filesystem (or a missing `/proc`) does not allow it.
#[cfg(target_os = "linux")]
fn write_unnamed_then_link(dest: &Path, bytes: &[u8]) -> Option<Result<()>> {
    use std::os::fd::AsRawFd;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags, linkat, openat};
    use rustix::io::Errno;

    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
    let fd = match openat(CWD, folder, flags, Mode::from_raw_mode(0o600)) {
        Ok(fd) => fd,
        Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL | Errno::NOSYS) => return None,
        Err(e) => return Some(Err(Error::io("create", dest)(e.into()))),
    };
    let mut file = std::fs::File::from(fd);
    // A failure here drops the unnamed file, and with it everything written.
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        return Some(Err(Error::io("write", dest)(e)));
    }
    let handle = format!("/proc/self/fd/{}", file.as_raw_fd());
    match linkat(CWD, handle.as_str(), CWD, dest, AtFlags::SYMLINK_FOLLOW) {
        Ok(()) => {}
        Err(Errno::EXIST) => return Some(Err(Error::OutputExists)),
        // No /proc to name the file through: write it in place instead.
        Err(Errno::NOENT) if std::fs::metadata(folder).is_ok() && std::fs::metadata("/proc/self/fd").is_err() => {
            return None;
        }
        Err(e) => return Some(Err(Error::io("create", dest)(e.into()))),
    }
    // The new name is made durable with its folder.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Some(Ok(()))
}

/// Creates `dest` and writes it; on any failure the file is removed, so a full disk leaves no
/// partial report behind.
fn write_in_place(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(dest).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::OutputExists,
        _ => Error::io("create", dest)(e),
    })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(dest);
        return Err(Error::io("write", dest)(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// Both ways of writing (unnamed then linked, and in place for filesystems without unnamed
    /// files) make a new 0600 file with the bytes and never replace one.
    #[test]
    fn fail_a_report_file_is_new_private_and_never_replaces_another() {
        type Writer = fn(&Path, &[u8]) -> Result<()>;
        let dir = tempfile::tempdir().expect("tmp");
        let writers: [(&str, Writer); 2] = [("write_new_file", write_new_file), ("write_in_place", write_in_place)];
        for (name, write) in writers {
            let dest = dir.path().join(format!("{name}.pdf"));
            write(&dest, b"%PDF-1.7 whole").expect("written");
            assert_eq!(std::fs::read(&dest).expect("read"), b"%PDF-1.7 whole", "{name}");
            assert_eq!(std::fs::metadata(&dest).expect("meta").permissions().mode() & 0o777, 0o600, "{name}");
            assert!(matches!(write(&dest, b"other"), Err(Error::OutputExists)), "{name}");
            assert_eq!(std::fs::read(&dest).expect("read"), b"%PDF-1.7 whole", "{name}: never replaced");
            let missing = dir.path().join("missing").join(format!("{name}.pdf"));
            assert!(write(&missing, b"x").is_err(), "{name}");
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no other file was made: {names:?}");
    }
}
