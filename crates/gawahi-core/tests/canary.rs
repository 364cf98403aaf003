//! A canary in every field of every kind, nested blocks included: as a value of the wrong type, a
//! bad date, an unknown vocabulary code, an unknown field name, a huge text and a text with line
//! breaks and terminal escapes, through add, update and import. No error may repeat it, and every
//! error is one short line. And the anonymised export: a canary in every free-text field of every
//! kind appears nowhere in it.

use gawahi_core::Kind;
use gawahi_core::error::Error;
use gawahi_core::export::ExportOptions;
use serde_json::{Map, Value, json};

use crate::support::{fixture, new_vault, obj};

const CANARY: &str = "zqxcanary7731";

/// One body of every kind, every field present, with each kind of case carrying its block.
fn every_body(case_id: &str, person_id: &str) -> Vec<(Kind, Map<String, Value>)> {
    let mut bodies: Vec<(Kind, Map<String, Value>)> =
        Kind::ALL.iter().map(|k| (*k, fixture(*k, case_id, person_id))).collect();
    let case = |kind: &str, block: &str, details: Value| {
        obj(json!({"title": "t", "case_kind": kind, "notes": "n", block: details}))
    };
    bodies.push((
        Kind::Case,
        case(
            "enforced_disappearance",
            "disappearance",
            json!({"last_seen_on": "2024-01", "last_seen_place": "p", "suspected_agency": "intelligence_agencies",
                   "habeas_petition_number": "h", "coied_case_number": "c", "wgeid_case_number": "w",
                   "outcome": "missing"}),
        ),
    ));
    bodies.push((
        Kind::Case,
        case(
            "detained_abroad",
            "detention_abroad",
            json!({"country": "sa", "city": "c", "prison": "p", "charge": "ch", "legal_status": "on_trial",
                   "sentence": "s", "consular_access": true, "consular_access_on": "2024-01-02", "lawyer": "l",
                   "family_contact": false, "transfer_status": "t"}),
        ),
    ));
    bodies.push((
        Kind::Case,
        case(
            "refugee_deportation",
            "refugee",
            json!({"nationality": "af", "documentation": "por_card", "documentation_expires_on": "2025-06-30",
                   "arrested_under_foreigners_act": true, "deportation_order_on": "2024-02-03",
                   "deported_on": "2024-03-04", "unhcr_case_number": "u", "at_risk_profile": "a"}),
        ),
    ));
    bodies.push((
        Kind::Case,
        case(
            "protection",
            "protection",
            json!({"measure": "asylum", "provider": "p", "applied_on": "2024-01-02", "decided_on": "2024-02-03"}),
        ),
    ));
    // The fields written only when set (CNIC, phone, address; bail events and status history;
    // a hearing's status, follow-up and compliance date; a deadline's case, purpose and rule).
    bodies.push((
        Kind::Person,
        obj(json!({"pseudonym": "p", "cnic": "35202-1234567-1", "phone": "+92 300 1234567", "address": "a",
                   "consent_to_store": true})),
    ));
    bodies.push((
        Kind::Case,
        obj(json!({"title": "t", "status": "bail_granted",
                   "bail_events": [{"on": "2024-01-02", "event": "granted", "stage": "post_arrest",
                                    "court": "sessions_court", "surety_amount_pkr": 100_000, "surety": "s", "conditions": "c",
                                    "order": "o"}],
                   "status_history": [{"on": "2024-01-02", "status": "bail_granted"}]})),
    ));
    bodies.push((
        Kind::Hearing,
        obj(json!({"case_id": case_id, "date": "2024-01-01", "status": "adjourned", "compliance_on": "2024-02-01"})),
    ));
    bodies.push((
        Kind::Task,
        obj(json!({"title": "t", "due_on": "2024-03-01", "case_id": case_id, "deadline": "appeal",
                   "deadline_rule": "appeal_crpc_high_court"})),
    ));
    bodies
}

/// Every path to a value inside `v` (object keys and array indexes), containers included.
fn paths(v: &Value, prefix: &[Value], out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let mut p = prefix.to_vec();
                p.push(Value::String(k.clone()));
                out.push(p.clone());
                paths(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mut p = prefix.to_vec();
                p.push(json!(i));
                out.push(p.clone());
                paths(child, &p, out);
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(n) => &mut v[n.as_u64().expect("index") as usize],
        _ => unreachable!(),
    })
}

/// The canary as every sort of bad input.
fn bad_values() -> Vec<Value> {
    vec![
        json!(CANARY),
        json!([CANARY]),
        json!({ CANARY: CANARY }),
        json!(format!("{CANARY}\n\u{1b}[2J\r\u{202e}{CANARY}")),
        json!(format!("{CANARY}\u{0}")),
        json!(CANARY.repeat(20_000)),
    ]
}

/// Every body of every kind with the canary put into it once in every way.
fn mutations(body: &Map<String, Value>) -> Vec<Map<String, Value>> {
    let whole = Value::Object(body.clone());
    let mut all = Vec::new();
    let mut ps = Vec::new();
    paths(&whole, &[], &mut ps);
    for p in &ps {
        for bad in bad_values() {
            let mut v = whole.clone();
            *at(&mut v, p) = bad;
            all.push(obj(v));
        }
    }
    // An unknown field with the canary as its name, at the top and inside every nested object.
    let mut objects = vec![Vec::new()];
    objects.extend(ps.iter().filter(|p| at(&mut whole.clone(), p).is_object()).cloned());
    for p in objects {
        for value in [json!(CANARY), json!(7)] {
            let mut v = whole.clone();
            at(&mut v, &p)[CANARY] = value;
            all.push(obj(v));
        }
    }
    all
}

fn assert_clean(err: &Error, what: &str) {
    let text = err.to_string();
    assert!(!text.contains(CANARY), "{what}: the message repeats the input: {text}");
    if let Error::Invalid(i) = err {
        assert!(!i.field.as_deref().unwrap_or_default().contains(CANARY), "{what}: the field names the input: {i:?}");
    }
    assert!(!text.contains('\n') && !text.contains('\u{1b}') && !text.contains('\r'), "{what}: not one line: {text:?}");
    assert!(text.len() < 600, "{what}: a {}-byte message", text.len());
}

#[test]
fn fail_no_error_repeats_a_value_the_user_gave_through_add_update_or_import() {
    let (_tmp, _dir, mut v) = new_vault();
    let person = v.add(Kind::Person, fixture(Kind::Person, "", "")).expect("person").id;
    let case = v.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    let mut refused = 0;
    for (kind, body) in every_body(&case, &person) {
        let target = v.add(kind, body.clone()).unwrap_or_else(|e| panic!("{kind} fixture: {e}")).id;
        for bad in mutations(&body) {
            let what =
                format!("{kind} {}", Value::Object(bad.clone()).to_string().chars().take(160).collect::<String>());
            if let Err(e) = v.add(kind, bad.clone()) {
                assert_clean(&e, &format!("add {what}"));
                refused += 1;
            }
            if let Err(e) = v.update(&target, bad.clone()) {
                assert_clean(&e, &format!("update {what}"));
            }
            let mut line = bad.clone();
            line.insert("kind".into(), json!(kind.as_str()));
            let file = format!("{}\n", Value::Object(line));
            if let Err(e) = v.import_jsonl(file.as_bytes()) {
                assert_clean(&e, &format!("import {what}"));
                assert!(matches!(&e, Error::Invalid(i) if i.line == Some(1)), "import names the line: {e}");
            }
        }
    }
    assert!(refused > 500, "the sweep must exercise refusals: {refused}");

    // Ids, kinds, links and vocabularies the user typed.
    let id = format!("{CANARY}-0000");
    for e in [
        v.get(&id).expect_err("get"),
        v.update(&id, obj(json!({"title": "x"}))).expect_err("update"),
        v.delete(&id).expect_err("delete"),
        v.link(&person, &id, "victim").expect_err("link"),
        v.link(&person, &case, CANARY).expect_err("role"),
        v.vocab(CANARY).expect_err("vocab"),
        v.import_jsonl(format!("{{\"kind\": \"{CANARY}\"}}\n").as_bytes()).expect_err("import kind"),
        v.import_jsonl(format!("{{\"kind\": \"task\", \"title\": \"{CANARY}\n").as_bytes()).expect_err("bad json"),
        v.import_jsonl(format!("[\"{CANARY}\"]\n").as_bytes()).expect_err("not an object"),
    ] {
        assert_clean(&e, "ids and names");
    }
}

#[test]
fn fail_the_anonymised_export_carries_no_free_text_of_any_kind() {
    let (_tmp, _dir, mut v) = new_vault();
    let person = v.add(Kind::Person, fixture(Kind::Person, "", "")).expect("person").id;
    let case = v.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    for (kind, mut body) in every_body(&case, &person) {
        // A canary in every string that is free text: anything the model accepts as any text
        // (codes, dates and ids refuse it, and stay as they were).
        let mut ps = Vec::new();
        paths(&Value::Object(body.clone()), &[], &mut ps);
        for p in ps {
            let mut whole = Value::Object(body.clone());
            let slot = at(&mut whole, &p);
            if !slot.is_string() {
                continue;
            }
            *slot = json!(format!("{CANARY} {}", p.iter().map(ToString::to_string).collect::<String>()));
            let candidate = obj(whole);
            // Keep the canary where the field takes free text; the record must stay valid.
            let mut probe = candidate.clone();
            if kind == Kind::Person {
                probe.insert("consent_to_publish_anonymised".into(), json!(true));
            }
            if v.add(kind, probe).is_ok() {
                body = candidate;
            }
        }
        if kind == Kind::Person {
            // This one consents to anonymised publication, so it is in the export.
            body.insert("consent_to_publish_anonymised".into(), json!(true));
            body.insert("community".into(), json!(format!("Ahmadi, Rabwah mosque committee {CANARY}")));
            body.insert("profession".into(), json!(format!("editor of Daily Example, Karachi {CANARY}")));
        }
        v.add(kind, body).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    let mut out = Vec::new();
    v.export_jsonl(ExportOptions { anonymise: true }, &mut out).expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.lines().count() > 10, "the export has records: {text}");
    assert!(!text.contains(CANARY), "the anonymised export carries free text:\n{}", {
        text.lines().filter(|l| l.contains(CANARY)).collect::<Vec<_>>().join("\n")
    });
    assert!(!text.contains("Rabwah") && !text.contains("Daily Example"));
}

#[test]
fn fail_no_export_carries_a_sensitive_field_it_must_withhold() {
    // A person who consents to anonymised publication, with every sensitive field set: none of
    // them is in the anonymised export. Marked anonymous, none is in a full export either.
    let (_tmp, _dir, mut v) = new_vault();
    let sensitive = json!({"name": format!("Name {CANARY}"), "pseudonym": "P", "contact": format!("c {CANARY}"),
        "cnic": "35202-7731773-1", "phone": "+92 300 7731773", "address": format!("House 1, {CANARY} Road"),
        "consent_to_store": true, "consent_to_publish_anonymised": true});
    let person = v.add(Kind::Person, obj(sensitive.clone())).expect("person");
    let rules = gawahi_core::model::rules::kind_rules(Kind::Person);
    let marked: Vec<&str> = rules.fields.iter().filter(|f| f.sensitive).map(|f| f.name).collect();
    assert_eq!(marked, ["name", "contact", "cnic", "phone", "address"], "the model marks them sensitive");
    for anonymise in [true, false] {
        if !anonymise {
            v.update(&person.id, obj(json!({"anonymous": true}))).expect("anonymous");
        }
        let mut out = Vec::new();
        v.export_jsonl(ExportOptions { anonymise }, &mut out).expect("export");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("\"person\""), "the person is exported: {text}");
        for needle in [CANARY, "7731773", "35202"] {
            assert!(!text.contains(needle), "anonymise={anonymise}: {needle} leaked:\n{text}");
        }
    }
}
