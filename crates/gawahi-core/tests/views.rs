use gawahi_core::Kind;
use serde_json::json;

use crate::support::{new_vault, obj};

#[test]
fn the_dashboard_shows_what_needs_attention() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "State v. A"}))).expect("case").id;
    for (date, purpose) in
        [("2026-11-20", "past"), ("2026-11-23", "today"), ("2026-12-07", "in 14 days"), ("2026-12-08", "too far")]
    {
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": date, "purpose": purpose}))).expect("hearing");
    }
    v.add(Kind::Threat, obj(json!({"title": "active one"}))).expect("threat");
    v.add(Kind::Threat, obj(json!({"title": "mitigated", "status": "mitigated"}))).expect("threat");
    v.add(Kind::Task, obj(json!({"title": "later", "due_on": "2026-12-30"}))).expect("task");
    v.add(Kind::Task, obj(json!({"title": "sooner", "due_on": "2026-11-25"}))).expect("task");
    v.add(Kind::Task, obj(json!({"title": "done", "done": true}))).expect("task");
    v.add(Kind::Incident, obj(json!({"title": "چھاپہ"}))).expect("incident");

    let d = v.dashboard("2026-11-23").expect("dashboard");
    let labels = |rs: &[gawahi_core::records::Record]| rs.iter().map(|r| r.data.label()).collect::<Vec<_>>();
    assert_eq!(labels(&d.active_threats), ["active one"]);
    assert_eq!(labels(&d.open_tasks), ["sooner", "later"]);
    assert_eq!(labels(&d.recent_incidents), ["چھاپہ"]);
    let hearings: Vec<_> = d.upcoming_hearings.iter().map(|h| h.hearing.data.label()).collect();
    assert_eq!(hearings, ["2026-11-23 today", "2026-12-07 in 14 days"]);
    assert_eq!(d.upcoming_hearings[0].case.label, "State v. A");
    assert!(d.counts.contains(&(Kind::Hearing, 4)));
}

#[test]
fn detail_shows_links_both_ways_parent_and_children() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "Case"}))).expect("case").id;
    let hearing = v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2026-01-01"}))).expect("h").id;
    let incident = v.add(Kind::Incident, obj(json!({"title": "Incident"}))).expect("i").id;
    let person = v.add(Kind::Person, obj(json!({"pseudonym": "P"}))).expect("p").id;
    v.link(&incident, &case, "arises_from").expect("link");
    v.link(&person, &case, "accused").expect("link");

    let d = v.detail(&case).expect("detail");
    assert_eq!(d.children.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [hearing.as_str()]);
    let others: Vec<(&str, bool)> = d.links.iter().map(|l| (l.other.label.as_str(), l.outgoing)).collect();
    assert_eq!(others, [("Incident", false), ("P", false)]);

    let from_incident = v.detail(&incident).expect("detail");
    assert_eq!(from_incident.links[0].other.label, "Case");
    assert!(from_incident.links[0].outgoing);
    assert_eq!(v.detail(&hearing).expect("detail").parent.map(|p| p.id), Some(case));
}

#[test]
fn a_case_timeline_orders_fir_hearings_and_next_dates() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(Kind::Case, obj(json!({"title": "C", "fir_number": "FIR 9/2024", "fir_date": "2024-02-01"})))
        .expect("case")
        .id;
    v.add(
        Kind::Hearing,
        obj(json!({"case_id": case, "date": "2024-03-01", "purpose": "bail", "next_date": "2024-04-01"})),
    )
    .expect("h");
    v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2024-02-15", "outcome": "adjourned"}))).expect("h");
    let events: Vec<(String, String)> =
        v.case_timeline(&case).expect("timeline").into_iter().map(|e| (e.date, e.event)).collect();
    assert_eq!(
        events,
        [("2024-02-01", "fir"), ("2024-02-15", "hearing"), ("2024-03-01", "hearing"), ("2024-04-01", "next_date")]
            .map(|(d, e)| (d.to_owned(), e.to_owned()))
    );
}

#[test]
fn the_list_filter_finds_words_in_english_and_urdu_through_the_index() {
    let (_tmp, _dir, mut v) = new_vault();
    for title in ["Raid in Quetta", "کوئٹہ میں چھاپہ", "100% certain", "other"] {
        v.add(Kind::Incident, obj(json!({"title": title}))).expect("add");
    }
    let filters = gawahi_core::search::Filters::default();
    let titles = |q: &str| {
        v.list_matching(Kind::Incident, q, &filters, None, 50)
            .expect("search")
            .iter()
            .map(|r| r.data.label())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles("quetta"), ["Raid in Quetta"]);
    assert_eq!(titles("چھاپہ"), ["کوئٹہ میں چھاپہ"]);
    assert_eq!(titles("100%"), ["100% certain"]);
    assert_eq!(titles("%").len(), 4, "a query of punctuation only filters nothing");
}
