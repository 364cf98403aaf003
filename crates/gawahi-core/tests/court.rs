//! Casework that keeps up with the courts: recording a hearing's outcome creates the next hearing
//! in one transaction; every read model (dashboard, calendar, timeline, hearings list, cause list)
//! shows each date once; deadlines follow from events and warn ahead; bail and status history
//! reach the timeline.

use gawahi_core::error::{Error, Reason};
use gawahi_core::model::{HearingStatus, RecordData};
use gawahi_core::{Kind, Vault};
use serde_json::{Value, json};

use crate::support::{new_vault, obj};

const TODAY: &str = "2026-11-23";

/// What an input error names: its field and its reason.
type Named<'a> = Option<(Option<&'a str>, Reason)>;
/// A cause list as courts and their hearings' days and case titles.
type Shape<'a> = Vec<(Option<&'a str>, Vec<(&'a str, &'a str)>)>;

fn reason(e: &Error) -> Named<'_> {
    match e {
        Error::Invalid(i) => Some((i.field.as_deref(), i.reason)),
        _ => None,
    }
}

/// A case before a magistrate with one hearing today; returns (case id, hearing id).
fn case_with_hearing(v: &mut Vault) -> (String, String) {
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": "State v. Journalist", "fir_number": "FIR 12/2026", "court": "judicial_magistrate",
                       "judge": "Judge A", "charges": [{"statute": "peca_2016", "section": "26A"}]})),
        )
        .expect("case")
        .id;
    let hearing = v
        .add(
            Kind::Hearing,
            obj(json!({"case_id": case, "date": TODAY, "purpose": "bail arguments", "judge": "Judge B"})),
        )
        .expect("hearing")
        .id;
    (case, hearing)
}

#[test]
fn an_adjournment_creates_the_next_hearing_and_every_view_shows_each_date_once() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    let audit_before = v.audit_tail(1000).expect("audit").len();
    let done = v
        .record_hearing_outcome(&hearing, HearingStatus::Adjourned, Some("IO not ready"), Some("2026-12-07"))
        .expect("recorded");
    let RecordData::Hearing(marked) = &done.hearing.data else { panic!("a hearing") };
    assert_eq!(marked.status, Some(HearingStatus::Adjourned));
    assert_eq!(marked.outcome.as_deref(), Some("IO not ready"));
    assert_eq!(marked.next_date.as_deref(), Some("2026-12-07"));
    let next = done.next.expect("the next hearing");
    let RecordData::Hearing(n) = &next.data else { panic!("a hearing") };
    assert_eq!((n.case_id.as_str(), n.date.as_str()), (case.as_str(), "2026-12-07"));
    assert_eq!(n.status, Some(HearingStatus::Scheduled));
    assert_eq!(n.follows.as_deref(), Some(hearing.as_str()), "linked to the hearing that fixed it");
    assert_eq!(n.judge.as_deref(), Some("Judge B"), "the judge carried over");
    assert_eq!(v.get(&next.id).expect("stored"), next);
    assert_eq!(v.audit_tail(1000).expect("audit").len(), audit_before + 2, "an entry for each change");

    // The dashboard and the upcoming list: the adjourned hearing is no longer upcoming.
    let upcoming: Vec<String> =
        v.upcoming_hearings(TODAY, 14).expect("upcoming").iter().map(|h| h.hearing.id.clone()).collect();
    assert_eq!(upcoming, std::slice::from_ref(&next.id));
    let dashboard: Vec<String> =
        v.dashboard(TODAY).expect("dashboard").upcoming_hearings.iter().map(|h| h.hearing.id.clone()).collect();
    assert_eq!(dashboard, std::slice::from_ref(&next.id));
    // The calendar: each date once.
    let calendar: Vec<String> = v
        .hearings_between("2026-11-01", "2026-12-31")
        .expect("calendar")
        .iter()
        .map(|h| match &h.hearing.data {
            RecordData::Hearing(h) => h.date.clone(),
            _ => panic!("a hearing"),
        })
        .collect();
    assert_eq!(calendar, [TODAY, "2026-12-07"]);
    // The timeline: the next date appears once, as the next hearing, with each status.
    let timeline: Vec<(String, String, Option<String>)> = v
        .case_timeline(&case)
        .expect("timeline")
        .into_iter()
        .filter(|e| e.event == "hearing" || e.event == "next_date")
        .map(|e| (e.date, e.event, e.code))
        .collect();
    assert_eq!(
        timeline,
        [
            (TODAY.to_owned(), "hearing".to_owned(), Some("adjourned".to_owned())),
            ("2026-12-07".to_owned(), "hearing".to_owned(), Some("scheduled".to_owned())),
        ]
    );
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn an_outcome_without_a_next_date_marks_the_hearing_only() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, hearing) = case_with_hearing(&mut v);
    let done = v.record_hearing_outcome(&hearing, HearingStatus::Decided, Some("acquitted"), None).expect("recorded");
    assert!(done.next.is_none());
    assert_eq!(v.count(Kind::Hearing).expect("count"), 1);
    assert!(v.upcoming_hearings(TODAY, 14).expect("upcoming").is_empty(), "a decided hearing is not upcoming");
}

#[test]
fn fail_an_outcome_cut_off_between_marking_and_creating_leaves_neither() {
    let (_tmp, dir, mut v) = new_vault();
    let (_case, hearing) = case_with_hearing(&mut v);
    let before = v.get(&hearing).expect("hearing");
    let audit_before = v.audit_tail(1000).expect("audit");
    let err = v
        .record_hearing_outcome_interrupted(&hearing, HearingStatus::Adjourned, Some("x"), Some("2026-12-07"), || {
            Err(Error::DiskFull)
        })
        .expect_err("interrupted");
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(v.get(&hearing).expect("hearing"), before, "the hearing is not marked");
    assert_eq!(v.count(Kind::Hearing).expect("count"), 1, "no next hearing");
    assert_eq!(v.audit_tail(1000).expect("audit"), audit_before, "no audit entry");
    drop(v);
    // And after reopening, as after a crash: the same, and the vault checks clean.
    let v = Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    assert_eq!(v.get(&hearing).expect("hearing"), before);
    assert_eq!(v.count(Kind::Hearing).expect("count"), 1);
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_bad_outcomes_are_refused_and_change_nothing() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    let before = v.get(&hearing).expect("hearing");
    let cases: Vec<(Error, Named<'_>)> = vec![
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Scheduled, None, None).expect_err("scheduled"),
            Some((Some("status"), Reason::NotAnOutcome)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some(TODAY)).expect_err("same day"),
            Some((Some("next_date"), Reason::NextDateNotAfter)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-11-01")).expect_err("before"),
            Some((Some("next_date"), Reason::NextDateNotAfter)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("07/12/2026")).expect_err("form"),
            Some((Some("next_date"), Reason::NotADay)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-12-07\u{1b}[2J"))
                .expect_err("control characters"),
            Some((Some("next_date"), Reason::NotADay)),
        ),
        (
            v.record_hearing_outcome(&case, HearingStatus::Held, None, None).expect_err("a case"),
            Some((Some("hearing_id"), Reason::WrongKind)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Held, Some("a\0b"), None).expect_err("NUL"),
            Some((Some("outcome"), Reason::NulCharacter)),
        ),
        (
            v.record_hearing_outcome(&hearing, HearingStatus::Held, Some(&"x".repeat(200_001)), None)
                .expect_err("huge"),
            Some((Some("outcome"), Reason::TooLong)),
        ),
    ];
    for (err, expected) in &cases {
        assert_eq!(reason(err), *expected, "{err}");
    }
    let missing = v
        .record_hearing_outcome("0190a0a0-0000-7000-8000-000000000000", HearingStatus::Held, None, None)
        .expect_err("missing");
    assert!(matches!(missing, Error::RecordNotFound(_)), "{missing:?}");
    assert_eq!(v.get(&hearing).expect("hearing"), before, "nothing changed");
    assert_eq!(v.count(Kind::Hearing).expect("count"), 1);

    v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-12-07")).expect("once");
    let twice =
        v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-12-21")).expect_err("twice");
    assert_eq!(reason(&twice), Some((None, Reason::OutcomeAlreadyRecorded)));
    assert_eq!(v.count(Kind::Hearing).expect("count"), 2, "no second next hearing");
}

#[test]
fn hearings_stored_without_a_status_read_sensibly() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "Old case", "court": "sessions_court"}))).expect("case").id;
    for (date, next) in
        [("2026-10-01", Some("2026-10-15")), ("2026-10-15", None), ("2026-12-01", None), (TODAY, Some("2026-12-01"))]
    {
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": date, "next_date": next}))).expect("hearing");
    }
    let statuses: Vec<(String, HearingStatus)> =
        v.hearings_list(None, None, TODAY).expect("list").into_iter().map(|h| (h.date, h.status)).collect();
    assert_eq!(
        statuses,
        [
            ("2026-10-01".to_owned(), HearingStatus::Adjourned),
            ("2026-10-15".to_owned(), HearingStatus::Held),
            // Today's, with a next date noted: adjourned already, so not upcoming.
            (TODAY.to_owned(), HearingStatus::Adjourned),
            ("2026-12-01".to_owned(), HearingStatus::Scheduled),
        ]
    );
    let upcoming: Vec<String> = v.upcoming_hearings(TODAY, 14).expect("upcoming").into_iter().map(|h| h.date).collect();
    assert_eq!(upcoming, ["2026-12-01"]);
    // A body stored without the new fields keeps none: it reads and hashes as it was written.
    let stored = v.list(Kind::Hearing, None, 10).expect("list");
    assert!(stored.iter().all(|r| !r.to_json().contains_key("status")));
    // The next date noted on the first hearing is the second hearing's date: shown once.
    let dates: Vec<String> = v.case_timeline(&case).expect("timeline").into_iter().map(|e| e.date).collect();
    assert_eq!(dates, ["2026-10-01", "2026-10-15", TODAY, "2026-12-01"]);
}

#[test]
fn a_next_date_noted_the_old_way_shows_once_until_its_hearing_is_added() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "Old style", "court": "sessions_court"}))).expect("case").id;
    // Recorded by editing the hearing, before hearings had a status: no hearing for 2026-11-30.
    let old = v
        .add(
            Kind::Hearing,
            obj(json!({"case_id": case, "date": "2026-11-16", "outcome": "adjourned",
                                        "next_date": "2026-11-30"})),
        )
        .expect("hearing")
        .id;
    let upcoming = v.upcoming_hearings(TODAY, 14).expect("upcoming");
    let seen: Vec<(&str, bool, &str)> =
        upcoming.iter().map(|h| (h.date.as_str(), h.noted_next_date, h.hearing.id.as_str())).collect();
    assert_eq!(seen, [("2026-11-30", true, old.as_str())], "the noted date is upcoming");
    let list = v.cause_list("2026-11-30", "2026-11-30", TODAY).expect("cause list");
    assert_eq!(list.len(), 1);
    let row = &list[0].hearings[0];
    assert_eq!((row.date.as_str(), row.status, row.noted_next_date), ("2026-11-30", HearingStatus::Scheduled, true));
    assert_eq!(row.court.as_deref(), Some("sessions_court"));
    // Once the hearing is added by hand, that date is the hearing's, once.
    let added = v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2026-11-30"}))).expect("added").id;
    let upcoming: Vec<(String, bool)> = v
        .upcoming_hearings(TODAY, 14)
        .expect("upcoming")
        .into_iter()
        .map(|h| (h.hearing.id, h.noted_next_date))
        .collect();
    assert_eq!(upcoming, [(added, false)]);
    let calendar: Vec<String> =
        v.hearings_between("2026-11-01", "2026-11-30").expect("calendar").into_iter().map(|h| h.date).collect();
    assert_eq!(calendar, ["2026-11-16", "2026-11-30"]);
    let timeline: Vec<String> = v.case_timeline(&case).expect("timeline").into_iter().map(|e| e.date).collect();
    assert_eq!(timeline, ["2026-11-16", "2026-11-30"]);
}

#[test]
fn the_hearings_list_shows_the_case_and_sorts_by_date() {
    let (_tmp, _dir, mut v) = new_vault();
    let a = v.add(Kind::Case, obj(json!({"title": "Case A", "fir_number": "FIR 1"}))).expect("a").id;
    let b = v.add(Kind::Case, obj(json!({"title": "مقدمہ ب"}))).expect("b").id;
    for (case, date) in [(&a, "2026-12-10"), (&b, "2026-11-25"), (&a, "2026-11-24"), (&b, "2027-01-05")] {
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": date}))).expect("hearing");
    }
    let rows = v.hearings_list(None, None, TODAY).expect("list");
    let seen: Vec<(&str, &str, Option<&str>)> =
        rows.iter().map(|r| (r.date.as_str(), r.case_title.as_str(), r.case_number.as_deref())).collect();
    assert_eq!(
        seen,
        [
            ("2026-11-24", "Case A", Some("FIR 1")),
            ("2026-11-25", "مقدمہ ب", None),
            ("2026-12-10", "Case A", Some("FIR 1")),
            ("2027-01-05", "مقدمہ ب", None),
        ]
    );
    let december = v.hearings_list(Some("2026-12-01"), Some("2026-12-31"), TODAY).expect("december");
    assert_eq!(december.len(), 1);
    let bad = v.hearings_list(Some("2026-12"), None, TODAY).expect_err("not a day");
    assert_eq!(reason(&bad), Some((Some("from"), Reason::NotADay)));
}

#[test]
fn the_cause_list_groups_a_weeks_hearings_by_court_in_order() {
    let (_tmp, _dir, mut v) = new_vault();
    let atc = v.add(Kind::Case, obj(json!({"title": "ATC case", "court": "anti_terrorism_court"}))).expect("c").id;
    let mag = v.add(Kind::Case, obj(json!({"title": "B magistrate", "court": "judicial_magistrate"}))).expect("c").id;
    let mag2 = v.add(Kind::Case, obj(json!({"title": "A magistrate", "court": "judicial_magistrate"}))).expect("c").id;
    let nowhere = v.add(Kind::Case, obj(json!({"title": "No court"}))).expect("c").id;
    for (case, date, court) in [
        (&atc, "2026-11-24", None),
        (&mag, "2026-11-23", None),
        (&mag2, "2026-11-23", None),
        (&mag, "2026-11-27", None),
        // A hearing in another forum than its case's (a bail petition in the High Court).
        (&atc, "2026-11-25", Some("sindh_high_court")),
        (&nowhere, "2026-11-26", None),
        (&mag, "2026-12-01", None),
    ] {
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": date, "court": court}))).expect("hearing");
    }
    let list = v.cause_list(TODAY, "2026-11-29", TODAY).expect("cause list");
    let shape: Shape<'_> = list
        .iter()
        .map(|c| (c.court.as_deref(), c.hearings.iter().map(|h| (h.date.as_str(), h.case_title.as_str())).collect()))
        .collect();
    assert_eq!(
        shape,
        [
            (Some("anti_terrorism_court"), vec![("2026-11-24", "ATC case")]),
            (
                Some("judicial_magistrate"),
                vec![("2026-11-23", "A magistrate"), ("2026-11-23", "B magistrate"), ("2026-11-27", "B magistrate")]
            ),
            (Some("sindh_high_court"), vec![("2026-11-25", "ATC case")]),
            (None, vec![("2026-11-26", "No court")]),
        ]
    );
    assert!(v.cause_list("2030-01-01", "2030-01-07", TODAY).expect("empty").is_empty());
    let err = v.cause_list("2026-11-23", "2046-11-23", TODAY).expect_err("twenty years");
    assert_eq!(reason(&err), Some((Some("to"), Reason::TooLong)));
}

#[test]
fn deadlines_follow_from_events_with_the_period_the_user_sets() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    // A judgment: the appeal window to the High Court against a sentence other than death,
    // whose shipped period names its source down to the article.
    v.record_hearing_outcome(&hearing, HearingStatus::Decided, Some("convicted, 3 years"), None).expect("decided");
    let rules = v.vocab("deadline_rules").expect("rules");
    let rule = rules.iter().find(|e| e.code == "appeal_crpc_high_court").expect("shipped");
    assert_eq!(rule.extra["days"], json!(60));
    assert!(rule.extra["source"].as_str().is_some_and(|s| s.contains("Limitation Act 1908, First Schedule, Art. 155")));
    assert!(rule.en.contains("other than death"), "{rule:?}");
    let appeal = v.add_deadline_from_event("appeal_crpc_high_court", &hearing, None, None).expect("deadline");
    let RecordData::Task(t) = &appeal.data else { panic!("a task") };
    assert_eq!(t.due_on.as_deref(), Some("2027-01-22"), "60 days after {TODAY}");
    assert_eq!(t.case_id.as_deref(), Some(case.as_str()));
    assert_eq!(t.deadline_rule.as_deref(), Some("appeal_crpc_high_court"));
    assert!(appeal.data.is_deadline(), "the UI warns before deleting it");
    // The user's own period overrides the shipped one.
    let own = v.add_deadline_from_event("appeal_crpc_high_court", &hearing, Some(30), Some("اپیل")).expect("own");
    let RecordData::Task(t) = &own.data else { panic!("a task") };
    assert_eq!((t.due_on.as_deref(), t.title.as_str()), (Some("2026-12-23"), "اپیل"));
    // A rule that ships no period needs one.
    // A compliance date the court set is a deadline on the dashboard by itself; a deadline made
    // from it stands for it there, once.
    v.update(&hearing, obj(json!({"compliance_on": "2026-11-27"}))).expect("compliance date");
    assert_eq!(v.deadlines(TODAY, 7).expect("deadlines").len(), 1);
    let comply = v.add_deadline_from_event("compliance", &hearing, None, Some("file the reply")).expect("comply");
    let RecordData::Task(t) = &comply.data else { panic!("a task") };
    assert_eq!(t.due_on.as_deref(), Some("2026-11-27"), "the date itself");
    let rows = v.deadlines(TODAY, 7).expect("deadlines");
    assert_eq!(
        rows.iter().map(|r| (r.record_id.as_str(), r.is_task)).collect::<Vec<_>>(),
        [(comply.id.as_str(), true)]
    );
    let err = v.add_deadline_from_event("appeal_ata", &hearing, None, None).expect_err("no period");
    assert_eq!(reason(&err), Some((Some("days"), Reason::Required)));
    v.add_deadline_from_event("appeal_ata", &hearing, Some(30), None).expect("with a period");
    let bare = v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2026-11-24"}))).expect("hearing").id;
    for (rule, record, days, field, why) in [
        ("compliance", bare.as_str(), None, "compliance_on", Reason::Required),
        ("no_such_rule", hearing.as_str(), None, "rule", Reason::NotInVocabulary),
        ("documentation_expiry", hearing.as_str(), None, "record_id", Reason::WrongKind),
        ("appeal_crpc_high_court", hearing.as_str(), Some(u32::MAX), "days", Reason::TooLong),
    ] {
        let err = v.add_deadline_from_event(rule, record, days, None).expect_err(rule);
        assert_eq!(reason(&err), Some((Some(field), why)), "{rule}");
    }
    // A case with deadlines is not deleted by accident.
    let err = v.delete(&case).expect_err("has dependents");
    assert_eq!(reason(&err), Some((None, Reason::HasDependents)));
}

#[test]
fn papers_expiry_and_deportation_deadlines_come_from_a_refugee_case() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": "Refugee", "case_kind": "refugee_deportation",
                       "refugee": {"documentation": "por_card", "documentation_expires_on": "2026-11-28",
                                   "deportation_order_on": "2026-11-20", "deported_on": "2026-12-20"}})),
        )
        .expect("case")
        .id;
    // Read from the case itself: the PoR card's expiry in five days.
    let rows = v.deadlines(TODAY, 7).expect("deadlines");
    let seen: Vec<(&str, &str, bool)> =
        rows.iter().map(|r| (r.due_on.as_str(), r.deadline.as_str(), r.is_task)).collect();
    assert_eq!(seen, [("2026-11-28", "document_expiry", false)]);
    assert_eq!(rows[0].days_left, 5);
    assert_eq!(rows[0].case.as_ref().map(|c| c.id.as_str()), Some(case.as_str()));
    // A deadline task for the same date stands for it: shown once.
    v.add_deadline_from_event("documentation_expiry", &case, None, Some("Renew PoR")).expect("task");
    let rows = v.deadlines(TODAY, 7).expect("deadlines");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].is_task);
    // A challenge to the deportation order, with the period the user sets.
    let challenge = v.add_deadline_from_event("deportation_order", &case, Some(15), None).expect("challenge");
    let RecordData::Task(t) = &challenge.data else { panic!("a task") };
    assert_eq!(t.due_on.as_deref(), Some("2026-12-05"));
    let within_30: Vec<String> = v.deadlines(TODAY, 30).expect("30 days").into_iter().map(|r| r.due_on).collect();
    assert_eq!(within_30, ["2026-11-28", "2026-12-05", "2026-12-20"]);
}

#[test]
fn warnings_start_n_days_ahead_and_overdue_deadlines_are_marked() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    for (title, due, done) in [
        ("overdue", "2026-11-20", false),
        ("today", TODAY, false),
        ("in seven days", "2026-11-30", false),
        ("in eight days", "2026-12-01", false),
        ("done and overdue", "2026-11-01", true),
    ] {
        v.add(
            Kind::Task,
            obj(json!({"title": title, "due_on": due, "done": done, "deadline": "appeal", "case_id": case})),
        )
        .expect("deadline");
    }
    v.add(Kind::Task, obj(json!({"title": "a plain task", "due_on": TODAY}))).expect("task");
    v.update(&hearing, obj(json!({"compliance_on": "2026-11-26"}))).expect("compliance date");
    let rows = v.deadlines(TODAY, 7).expect("deadlines");
    let seen: Vec<(Option<&str>, i64, bool)> =
        rows.iter().map(|r| (r.title.as_deref(), r.days_left, r.overdue)).collect();
    assert_eq!(
        seen,
        [(Some("overdue"), -3, true), (Some("today"), 0, false), (None, 3, false), (Some("in seven days"), 7, false)]
    );
    assert_eq!(rows[2].deadline.as_str(), "compliance");
    assert_eq!(rows[2].record_id, hearing);
    assert_eq!(v.deadlines(TODAY, 8).expect("eight").len(), 5);
    let dashboard = v.dashboard(TODAY).expect("dashboard");
    assert_eq!(dashboard.deadlines.len(), 5, "the dashboard warns a fortnight ahead");
    let err = v.deadlines(TODAY, 100_000).expect_err("too far");
    assert_eq!(reason(&err), Some((Some("days"), Reason::TooLong)));
    let err = v.deadlines("23/11/2026", 7).expect_err("not a day");
    assert_eq!(reason(&err), Some((Some("today"), Reason::NotADay)));
}

#[test]
fn bail_status_changes_and_kind_specific_dates_reach_the_timeline() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": "Detained abroad", "case_kind": "detained_abroad", "status": "detained",
                                    "detention_abroad": {"country": "sa", "arrested_on": "2025-01-10",
                                                         "sentenced_on": "2025-09-01"}})),
        )
        .expect("case");
    let RecordData::Case(c) = &case.data else { panic!("a case") };
    assert_eq!(c.status_history.len(), 1, "a new case's history starts with its status");
    assert_eq!(c.status_history[0].status, "detained");
    let updated = v
        .update(
            &case.id,
            obj(json!({"status": "convicted",
                       "bail_events": [{"on": "2025-02-01", "event": "refused", "stage": "post_arrest",
                                        "court": "foreign_court", "order": "bail refused"}]})),
        )
        .expect("update");
    let RecordData::Case(c) = &updated.data else { panic!("a case") };
    let history: Vec<&str> = c.status_history.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(history, ["detained", "convicted"]);
    // An edit that leaves the status alone adds nothing to the history.
    let same = v.update(&case.id, obj(json!({"notes": "n"}))).expect("notes");
    let RecordData::Case(c) = &same.data else { panic!("a case") };
    assert_eq!(c.status_history.len(), 2);
    let events: Vec<(String, String, Option<String>)> =
        v.case_timeline(&case.id).expect("timeline").into_iter().map(|e| (e.date, e.event, e.code)).collect();
    let expected: Vec<(String, String, Option<String>)> = vec![
        ("2025-01-10".into(), "arrested".into(), None),
        ("2025-02-01".into(), "bail".into(), Some("refused".into())),
        ("2025-09-01".into(), "sentenced".into(), None),
    ];
    for e in &expected {
        assert!(events.contains(e), "{e:?} in {events:?}");
    }
    assert_eq!(events.iter().filter(|e| e.1 == "status").count(), 2);

    let missing = v
        .add(
            Kind::Case,
            obj(json!({"title": "Disappeared", "case_kind": "enforced_disappearance",
                                    "disappearance": {"last_seen_on": "2024-05"}})),
        )
        .expect("case");
    let events = v.case_timeline(&missing.id).expect("timeline");
    assert_eq!(
        events.iter().map(|e| (e.date.as_str(), e.event.as_str())).collect::<Vec<_>>(),
        [("2024-05", "last_seen")]
    );
}

#[test]
fn fail_bad_bail_events_and_status_history_are_named() {
    let (_tmp, _dir, mut v) = new_vault();
    for (body, field, why) in [
        (json!({"bail_events": [{"on": "2025-02", "event": "granted"}]}), "bail_events[0].on", Reason::NotADay),
        (json!({"bail_events": [{"on": "2025-02-01"}]}), "bail_events[0].event", Reason::Required),
        (
            json!({"bail_events": [{"on": "2025-02-01", "event": "granted", "court": "nope"}]}),
            "bail_events[0].court",
            Reason::NotInVocabulary,
        ),
        (
            json!({"bail_events": [{"on": "2025-02-01", "event": "maybe"}]}),
            "bail_events[0].event",
            Reason::NotInVocabulary,
        ),
        (
            json!({"bail_events": [{"on": "2025-02-01", "event": "granted", "surety_amount_pkr": -5}]}),
            "bail_events[0].surety_amount_pkr",
            Reason::WrongType,
        ),
        (
            json!({"bail_events": [{"on": "2025-02-01", "event": "granted", "surety_amount_pkr": "lots"}]}),
            "bail_events[0].surety_amount_pkr",
            Reason::WrongType,
        ),
        (
            json!({"status_history": [{"on": "2025-02-01", "status": "nope"}]}),
            "status_history[0].status",
            Reason::NotInVocabulary,
        ),
        (
            json!({"bail_events": vec![json!({"on": "2025-02-01", "event": "granted"}); 1001]}),
            "bail_events",
            Reason::TooLong,
        ),
    ] {
        let mut body = obj(body);
        body.insert("title".into(), Value::String("t".into()));
        let err = v.add(Kind::Case, body).expect_err(field);
        assert_eq!(reason(&err), Some((Some(field), why)), "{field}");
    }
}

#[test]
fn the_committed_vaults_hearings_read_in_every_court_view() {
    // Hearings stored before hearings had a status (the v1 and v2 fixtures) read in every view,
    // each date once per case.
    for fixture in ["v1", "v2"] {
        let src = crate::support::data_dir().join("vaults").join(fixture);
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        std::fs::create_dir(&dir).expect("mkdir");
        for entry in std::fs::read_dir(src.join("vault")).expect("ls") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
            }
        }
        let passphrase = std::fs::read_to_string(src.join("passphrase.txt")).expect("passphrase");
        let v = Vault::unlock(&dir, &crate::support::pass(passphrase.lines().next().expect("a line"))).expect("unlock");
        let rows = v.hearings_list(None, None, TODAY).expect("hearings list");
        assert!(!rows.is_empty(), "{fixture} has hearings");
        let mut seen = std::collections::HashSet::new();
        for r in &rows {
            assert!(seen.insert((r.case_id.clone(), r.date.clone())), "{fixture}: {} twice", r.date);
        }
        for r in &rows {
            let dates: Vec<String> = v
                .case_timeline(&r.case_id)
                .expect("timeline")
                .into_iter()
                .filter(|e| e.event == "hearing" || e.event == "next_date")
                .map(|e| e.date)
                .collect();
            let unique: std::collections::HashSet<&String> = dates.iter().collect();
            assert_eq!(unique.len(), dates.len(), "{fixture}: each date once on the timeline: {dates:?}");
        }
        assert!(!v.cause_list("2020-01-01", "2029-12-31", TODAY).expect("cause list").is_empty());
        v.dashboard(TODAY).expect("dashboard");
        // The refreshed vocabularies reached the old vault: new sections and the deadline rules.
        assert_eq!(v.find_sections("PPC 34").expect("find").first().map(|m| m.code.as_str()), Some("ppc_1860.34"));
        assert!(v.vocab("deadline_rules").expect("rules").len() >= 5);
        assert!(v.check().expect("check").is_ok(), "{fixture}");
    }
}

#[test]
fn fail_a_sentence_of_death_gets_no_shipped_appeal_period() {
    // Art. 150 of the Limitation Act's First Schedule, not Art. 155: the period is short and was
    // reportedly changed in 2023, so none is shipped and the user must set it.
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, hearing) = case_with_hearing(&mut v);
    v.record_hearing_outcome(&hearing, HearingStatus::Decided, Some("sentenced to death"), None).expect("decided");
    let rules = v.vocab("deadline_rules").expect("rules");
    let death = rules.iter().find(|e| e.code == "appeal_crpc_death_sentence").expect("shipped");
    assert_eq!(death.extra["days"], Value::Null);
    let source = death.extra["source"].as_str().expect("a source");
    assert!(source.contains("Art. 150") && source.contains("2023"), "{source}");
    let other = rules.iter().find(|e| e.code == "appeal_crpc_other_court").expect("shipped");
    assert!(other.extra["source"].as_str().is_some_and(|s| s.contains("Art. 154")), "{other:?}");
    let err = v.add_deadline_from_event("appeal_crpc_death_sentence", &hearing, None, None).expect_err("no period");
    assert_eq!(reason(&err), Some((Some("days"), Reason::Required)));
    v.add_deadline_from_event("appeal_crpc_death_sentence", &hearing, Some(30), None).expect("the user's period");
}

/// A hearing adjourned to 2026-12-07 and the hearing that made; returns (case, first, next).
fn adjourned(v: &mut Vault) -> (String, String, String) {
    let (case, hearing) = case_with_hearing(v);
    let done = v
        .record_hearing_outcome(&hearing, HearingStatus::Adjourned, Some("IO not ready"), Some("2026-12-07"))
        .expect("adjourned");
    (case, hearing, done.next.expect("the next hearing").id)
}

fn calendar_days(v: &Vault) -> Vec<(String, String)> {
    v.hearings_between("2026-11-01", "2026-12-31")
        .expect("calendar")
        .into_iter()
        .map(|h| (h.date, h.hearing.id))
        .collect()
}

#[test]
fn fail_deleting_a_hearing_another_follows_leaves_the_follower_editable_and_exportable() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, first, next) = adjourned(&mut v);
    let audit_before = v.audit_tail(1000).expect("audit").len();
    v.delete(&first).expect("deleted");
    let RecordData::Hearing(n) = &v.get(&next).expect("kept").data else { panic!("a hearing") };
    assert_eq!(n.follows, None, "the follower no longer names a hearing that is gone");
    assert_eq!(v.audit_tail(1000).expect("audit").len(), audit_before + 2, "the unlinking and the delete");
    v.update(&next, obj(json!({"purpose": "arguments"}))).expect("still editable");
    v.record_hearing_outcome(&next, HearingStatus::Held, None, None).expect("its outcome can be recorded");
    let mut out = Vec::new();
    v.export_jsonl(gawahi_core::export::ExportOptions::default(), &mut out).expect("export");
    let (_tmp2, _dir2, mut restored) = new_vault();
    restored.import_jsonl(out.as_slice()).expect("a backup restores");
}

#[test]
fn fail_an_unchanged_follows_naming_a_deleted_hearing_does_not_block_changes() {
    // A vault written before deleting cleared `follows` may hold one that names nothing.
    let (_tmp, _dir, mut v) = new_vault();
    let (case, _first, _next) = adjourned(&mut v);
    let mut line = json!({"kind": "hearing", "case_id": case, "date": "2026-12-20",
                          "follows": "0190a0a0-0000-7000-8000-000000000001"})
    .to_string();
    line.push('\n');
    v.import_jsonl(line.as_bytes()).expect("an import keeps a reference as it was");
    let dangling =
        v.hearings_between("2026-12-20", "2026-12-20").expect("calendar").pop().expect("imported").hearing.id;
    v.update(&dangling, obj(json!({"purpose": "x"}))).expect("an unchanged reference is not checked again");
}

#[test]
fn fail_a_hearing_follows_only_another_hearing_of_its_own_case() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, first, next) = adjourned(&mut v);
    let (_other_case, elsewhere) = case_with_hearing(&mut v);
    for (follows, why) in [
        (next.as_str(), Reason::LinkToItself),
        (elsewhere.as_str(), Reason::WrongKind),
        ("0190a0a0-0000-7000-8000-000000000001", Reason::NoSuchRecord),
    ] {
        let err = v.update(&next, obj(json!({"follows": follows}))).expect_err("refused");
        assert_eq!(reason(&err), Some((Some("follows"), why)), "{follows}");
    }
    let RecordData::Hearing(n) = &v.get(&next).expect("kept").data else { panic!("a hearing") };
    assert_eq!(n.follows.as_deref(), Some(first.as_str()), "unchanged");
}

#[test]
fn fail_a_moved_or_deleted_next_hearing_leaves_no_phantom_date() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, first, next) = adjourned(&mut v);
    v.update(&next, obj(json!({"date": "2026-12-10"}))).expect("moved");
    assert_eq!(calendar_days(&v), [(TODAY.to_owned(), first.clone()), ("2026-12-10".to_owned(), next.clone())]);
    let listed: Vec<String> = v
        .cause_list("2026-12-01", "2026-12-31", TODAY)
        .expect("cause list")
        .into_iter()
        .flat_map(|c| c.hearings)
        .map(|h| h.date)
        .collect();
    assert_eq!(listed, ["2026-12-10"]);
    let timeline: Vec<(String, String)> =
        v.case_timeline(&case).expect("timeline").into_iter().map(|e| (e.date, e.event)).collect();
    assert!(!timeline.iter().any(|(d, _)| d == "2026-12-07"), "{timeline:?}");
    // Deleting the next hearing takes its date away with it.
    v.delete(&next).expect("deleted");
    assert_eq!(calendar_days(&v), [(TODAY.to_owned(), first.clone())]);
    let timeline: Vec<(String, String)> =
        v.case_timeline(&case).expect("timeline").into_iter().map(|e| (e.date, e.event)).collect();
    assert!(!timeline.iter().any(|(d, _)| d == "2026-12-07"), "{timeline:?}");
    assert!(v.upcoming_hearings(TODAY, 30).expect("upcoming").is_empty());
    // With no next hearing left, the outcome can be recorded again.
    v.record_hearing_outcome(&first, HearingStatus::Adjourned, None, Some("2026-12-14")).expect("again");
}

#[test]
fn fail_an_outcome_onto_a_day_the_case_already_has_a_hearing_makes_no_second() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    let by_hand = v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2026-12-07"}))).expect("added").id;
    let done =
        v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-12-07")).expect("recorded");
    assert_eq!(done.next.as_ref().map(|n| n.id.as_str()), Some(by_hand.as_str()), "the hearing already there");
    let RecordData::Hearing(n) = &v.get(&by_hand).expect("kept").data else { panic!("a hearing") };
    assert_eq!(n.follows.as_deref(), Some(hearing.as_str()));
    let days: Vec<String> = calendar_days(&v).into_iter().map(|(d, _)| d).collect();
    assert_eq!(days, [TODAY, "2026-12-07"], "one hearing that day");
}

#[test]
fn fail_a_deadline_task_needs_the_day_it_falls_due() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, _hearing) = case_with_hearing(&mut v);
    let err = v
        .add(Kind::Task, obj(json!({"title": "appeal", "case_id": case, "deadline": "appeal"})))
        .expect_err("a deadline on no day");
    assert_eq!(reason(&err), Some((Some("due_on"), Reason::Required)));
    let task = v
        .add(Kind::Task, obj(json!({"title": "appeal", "case_id": case, "deadline": "appeal", "due_on": "2026-12-01"})))
        .expect("with its day")
        .id;
    let err = v.update(&task, obj(json!({"due_on": null}))).expect_err("its day taken away");
    assert_eq!(reason(&err), Some((Some("due_on"), Reason::Required)));
}

#[test]
fn fail_a_date_made_into_a_deadline_shows_once_on_the_timeline() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, hearing) = case_with_hearing(&mut v);
    v.update(&hearing, obj(json!({"compliance_on": "2026-11-27"}))).expect("compliance date");
    v.add_deadline_from_event("compliance", &hearing, None, Some("file the reply")).expect("deadline");
    let on_the_day: Vec<String> = v
        .case_timeline(&case)
        .expect("timeline")
        .into_iter()
        .filter(|e| e.date == "2026-11-27")
        .map(|e| e.event)
        .collect();
    assert_eq!(on_the_day, ["deadline"]);
}

#[test]
fn fail_a_cause_list_ending_before_it_starts_is_refused() {
    let (_tmp, _dir, v) = new_vault();
    let err = v.cause_list("2026-12-31", "2026-12-01", TODAY).expect_err("backwards");
    assert_eq!(reason(&err).map(|(f, _)| f), Some(Some("to")));
}

#[test]
fn fail_deleting_a_record_deletes_its_draft() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, hearing) = case_with_hearing(&mut v);
    let key = format!("edit/{hearing}");
    v.save_draft(&key, &json!({"purpose": "half-typed notes"})).expect("saved");
    v.save_draft("new/case", &json!({"title": "another form"})).expect("saved");
    v.delete(&hearing).expect("deleted");
    assert_eq!(v.load_draft(&key).expect("read"), None, "no draft outlives its record");
    assert!(v.load_draft("new/case").expect("read").is_some(), "other drafts stay");
}

#[test]
fn fail_a_judgment_deadline_needs_a_decided_hearing() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_case, hearing) = case_with_hearing(&mut v);
    let err = v.add_deadline_from_event("appeal_crpc_high_court", &hearing, None, None).expect_err("no judgment");
    assert_eq!(reason(&err), Some((Some("status"), Reason::Required)));
    v.record_hearing_outcome(&hearing, HearingStatus::Adjourned, None, Some("2026-12-07")).expect("adjourned");
    let err = v.add_deadline_from_event("appeal_crpc_high_court", &hearing, None, None).expect_err("adjourned");
    assert_eq!(reason(&err), Some((Some("status"), Reason::Required)));
}

#[test]
fn fail_a_past_deportation_is_not_an_overdue_deadline() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add(
        Kind::Case,
        obj(json!({"title": "Refugee", "case_kind": "refugee_deportation",
                   "refugee": {"deported_on": "2026-11-13"}})),
    )
    .expect("case");
    assert_eq!(v.deadlines(TODAY, 14).expect("deadlines"), [], "a deportation ten days ago is history");
}

/// More hearings and deadlines than one page of a record list (1,000) once made every read model
/// stop at the thousandth without a word. A busy lawyer's diary past that size: every row is in
/// the calendar, the cause list, the deadlines and the hearings list, which pages and says how
/// many there are.
#[test]
fn fail_past_a_thousand_hearings_and_deadlines_nothing_is_left_out() {
    const CASES: usize = 3;
    const DAYS: usize = 340;
    let (_tmp, _dir, mut v) = new_vault();
    let total = CASES * DAYS;
    assert!(total > gawahi_core::vault::MAX_PAGE, "past the old cap");
    let cases: Vec<String> = (0..CASES)
        .map(|c| {
            v.add(Kind::Case, obj(json!({"title": format!("Case {c}"), "court": "sessions_court"}))).expect("case").id
        })
        .collect();
    let day = |d: usize| {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("day");
        (start + chrono::TimeDelta::days(i64::try_from(d).expect("days"))).format("%Y-%m-%d").to_string()
    };
    // One hearing a day on each case (a case has at most one a day), and a deadline beside each.
    let mut lines = String::new();
    for d in 0..DAYS {
        for case in &cases {
            lines.push_str(&json!({"kind": "hearing", "case_id": case, "date": day(d)}).to_string());
            lines.push('\n');
            lines.push_str(
                &json!({"kind": "task", "title": "Reply", "due_on": day(d), "done": false, "case_id": case,
                        "deadline": "reply"})
                .to_string(),
            );
            lines.push('\n');
        }
    }
    v.import_jsonl(lines.as_bytes()).expect("import");
    let (first, last) = (day(0), day(DAYS - 1));

    assert_eq!(v.hearings_between(&first, &last).expect("calendar").len(), total);
    assert_eq!(v.hearings_list(None, None, &first).expect("list").len(), total);
    let listed: usize = v.cause_list(&first, &last, &first).expect("cause list").iter().map(|c| c.hearings.len()).sum();
    assert_eq!(listed, total);
    // Every deadline from the first day (overdue ones included) to the last.
    let days = u32::try_from(DAYS).expect("days");
    assert_eq!(v.deadlines(&first, days).expect("deadlines").len(), total);

    // The hearings list a page at a time: whole pages, then the rest, then nothing; each row once.
    let today = day(100);
    let page = gawahi_core::views::MAX_HEARINGS_PAGE;
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let p = v.hearings_page(None, None, &today, Some(offset), page).expect("page");
        assert_eq!((p.offset, p.total), (offset, total));
        assert_eq!(p.before_today, 100 * CASES, "rows dated before today");
        assert_eq!(p.rows.len(), page.min(total - offset), "at offset {offset}");
        for r in &p.rows {
            assert!(seen.insert((r.hearing_id.clone(), r.date.clone())), "a row twice");
        }
        offset += p.rows.len();
        if offset == total {
            break;
        }
    }
    assert_eq!(seen.len(), total);
    // Opened without an offset, the list shows the page holding today's hearings.
    let opened = v.hearings_page(None, None, &today, None, 100).expect("opened");
    assert_eq!(opened.offset, 300, "the page of 100 rows that holds today's");
    assert_eq!(opened.rows[0].date, today);
    let past = v.hearings_page(None, None, &today, Some(total + 5), page).expect("past the end");
    assert_eq!((past.rows.len(), past.offset, past.total), (0, total, total));
    // A page is never bigger than the most a page holds, nor empty by asking for none.
    assert_eq!(v.hearings_page(None, None, &today, Some(0), usize::MAX).expect("huge").rows.len(), page);
    assert_eq!(v.hearings_page(None, None, &today, Some(0), 0).expect("zero").rows.len(), 1);
    let err = v.hearings_page(Some("2026-13-01"), None, &today, None, 10).expect_err("not a day");
    assert_eq!(reason(&err), Some((Some("from"), Reason::NotADay)));
}

/// Hearings that name one hearing as the one they follow (an import or edits can make many):
/// deleting it unlinks every one of them, not the first ten.
#[test]
fn fail_deleting_a_hearing_many_follow_unlinks_every_follower() {
    let (_tmp, _dir, mut v) = new_vault();
    let (case, first) = case_with_hearing(&mut v);
    let followers: Vec<String> = (1..=12)
        .map(|d| {
            v.add(Kind::Hearing, obj(json!({"case_id": case, "date": format!("2026-12-{d:02}"), "follows": first})))
                .expect("a follower")
                .id
        })
        .collect();
    v.delete(&first).expect("deleted");
    for f in &followers {
        let RecordData::Hearing(h) = &v.get(f).expect("kept").data else { panic!("a hearing") };
        assert_eq!(h.follows, None, "every follower is unlinked");
    }
    assert!(v.check().expect("check").is_ok());
}
