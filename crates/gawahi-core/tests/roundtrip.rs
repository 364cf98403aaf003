use gawahi_core::Kind;
use gawahi_core::error::{Error, Reason};
use serde_json::{Value, json};

use crate::support::{PASSPHRASE, add_every_kind, fixture, new_vault, obj, pass};

#[test]
fn every_kind_round_trips_with_urdu_text_intact() {
    let (_tmp, dir, mut v) = new_vault();
    let ids = add_every_kind(&mut v);
    assert_eq!(ids.len(), Kind::ALL.len());
    let case_id = &ids.iter().find(|(k, _)| *k == Kind::Case).expect("case").1;
    let person_id = &ids.iter().find(|(k, _)| *k == Kind::Person).expect("person").1;
    v.lock();

    // Read back after a lock and unlock, so the values come from the file, not from memory.
    let v = gawahi_core::Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    for (kind, id) in &ids {
        let got = v.get(id).expect("get").to_json();
        assert_eq!(got["kind"], json!(kind.as_str()));
        assert_eq!(got["id"], json!(id));
        for (field, want) in fixture(*kind, case_id, person_id) {
            assert_eq!(got[&field], want, "{kind}.{field}");
        }
    }
}

#[test]
fn nastaliq_diacritics_and_zero_width_non_joiners_survive_byte_for_byte() {
    let (_tmp, _dir, mut v) = new_vault();
    // ZWNJ (U+200C) inside a word, zabar/pesh/shadda diacritics, and a right-to-left mark.
    let title = "گل\u{200c}بانو کا مُقدّمہ \u{200f}(PECA ۲۰)";
    let id = v.add(Kind::Incident, obj(json!({"title": title}))).expect("add").id;
    let got = v.get(&id).expect("get").to_json();
    assert_eq!(got["title"].as_str().expect("title").as_bytes(), title.as_bytes());
}

#[test]
fn precision_is_inferred_from_the_date_and_kept() {
    let (_tmp, _dir, mut v) = new_vault();
    for (date, precision) in
        [("2024", "year"), ("2024-03", "month"), ("2024-03-05", "day"), ("2024-03-05T02:00:00+05:00", "exact")]
    {
        let id = v.add(Kind::Incident, obj(json!({"title": "t", "occurred_on": date}))).expect("add").id;
        let got = v.get(&id).expect("get").to_json();
        assert_eq!(got["occurred_precision"], json!(precision), "{date}");
    }
    let id = v.add(Kind::Incident, obj(json!({"title": "t"}))).expect("add").id;
    assert_eq!(v.get(&id).expect("get").to_json()["occurred_precision"], json!("unknown"));
}

#[test]
fn links_are_seen_from_both_ends_and_go_with_a_deleted_record() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = add_every_kind(&mut v);
    let id = |k: Kind| ids.iter().find(|(kind, _)| *kind == k).expect("kind").1.clone();
    let victim = v.link(&id(Kind::Person), &id(Kind::Incident), "victim").expect("link");
    v.link(&id(Kind::Incident), &id(Kind::Case), "arises_from").expect("link");

    let of_incident = v.links_of(&id(Kind::Incident)).expect("links");
    assert_eq!(of_incident.len(), 2);
    assert_eq!(v.links_of(&id(Kind::Person)).expect("links"), vec![victim.clone()]);

    let err = v.link(&id(Kind::Person), &id(Kind::Incident), "victim").expect_err("duplicate");
    assert!(err.to_string().contains("already linked"), "{err}");
    assert!(matches!(err, Error::Invalid(ref i) if i.reason == Reason::AlreadyLinked), "{err}");
    let person = id(Kind::Person);
    let err = v.link(&person, &person, "victim").expect_err("to itself");
    assert!(matches!(err, Error::Invalid(ref i) if i.reason == Reason::LinkToItself), "{err}");

    v.unlink(&victim.id).expect("unlink");
    assert!(v.links_of(&id(Kind::Person)).expect("links").is_empty());

    v.delete(&id(Kind::Incident)).expect("delete");
    assert!(v.links_of(&id(Kind::Case)).expect("links").is_empty());
    assert!(matches!(v.get(&id(Kind::Incident)), Err(Error::RecordNotFound(_))));
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn update_is_a_merge_patch_and_null_clears() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = add_every_kind(&mut v);
    let case = &ids.iter().find(|(k, _)| *k == Kind::Case).expect("case").1;
    let before = v.get(case).expect("get");
    let after = v.update(case, obj(json!({"status": "convicted", "judge": null}))).expect("update").to_json();
    assert_eq!(after["status"], json!("convicted"));
    assert_eq!(after["judge"], Value::Null);
    assert_eq!(after["charges"], before.to_json()["charges"]);
    assert_eq!(after["created_at"], json!(before.created_at));
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_a_case_with_hearings_is_not_deleted() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = add_every_kind(&mut v);
    let case = &ids.iter().find(|(k, _)| *k == Kind::Case).expect("case").1;
    let err = v.delete(case).expect_err("has a hearing");
    assert!(err.to_string().contains("1 hearing"), "{err}");
    assert!(matches!(err, Error::Invalid(ref i) if i.reason == Reason::HasDependents), "{err}");
    assert!(v.get(case).is_ok());
}

#[test]
fn list_pages_newest_first_without_gaps() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = v.add_batch((0..25).map(|i| (Kind::Task, obj(json!({"title": format!("task {i}")}))))).expect("batch");
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = v.list(Kind::Task, after.as_deref(), 10).expect("list");
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| r.id.clone());
        seen.extend(page.into_iter().map(|r| r.id));
    }
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);
    assert_eq!(v.count(Kind::Task).expect("count"), 25);
}

#[test]
fn a_section_is_found_by_its_code_or_as_the_statute_writes_it() {
    let (_tmp, _dir, mut v) = new_vault();
    for section in ["295-C", "295-c", "2(1)(d)", "2-1-d"] {
        let statute = if section.starts_with("295") { "ppc_1860" } else { "army_act_1952" };
        v.add(Kind::Case, obj(json!({"title": "t", "charges": [{"statute": statute, "section": section}]})))
            .unwrap_or_else(|e| panic!("{statute} {section}: {e}"));
    }
}
