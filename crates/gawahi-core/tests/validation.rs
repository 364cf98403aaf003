use gawahi_core::Kind;
use gawahi_core::error::{Error, Invalid, Reason};
use serde_json::{Value, json};

use crate::support::{new_vault, obj};

fn rejected(kind: Kind, body: &Value) -> Invalid {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "c"}))).expect("case").id;
    let body = serde_json::to_string(body).expect("json").replace("{case}", &case);
    match v.add(kind, obj(serde_json::from_str(&body).expect("json"))) {
        Err(Error::Invalid(i)) => {
            assert_eq!(v.count(kind).expect("count"), u64::from(kind == Kind::Case), "nothing was saved");
            i
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn fail_each_bad_field_is_named_with_its_reason() {
    let cases: &[(Kind, Value, &str, Reason)] = &[
        (Kind::Incident, json!({"title": ""}), "title", Reason::Required),
        (Kind::Incident, json!({}), "title", Reason::Required),
        (Kind::Incident, json!({"title": "t", "occurred_on": "05/03/2024"}), "occurred_on", Reason::NotAPartialDate),
        (
            Kind::Incident,
            json!({"title": "t", "occurred_on": "2024-03", "occurred_precision": "day"}),
            "occurred_on",
            Reason::PrecisionMismatch,
        ),
        (Kind::Incident, json!({"title": "t", "province": "kashmir"}), "province", Reason::NotInVocabulary),
        (
            Kind::Incident,
            json!({"title": "t", "province": "sindh", "district": "punjab.lahore"}),
            "district",
            Reason::DistrictNotInProvince,
        ),
        (
            Kind::Incident,
            json!({"title": "t", "incident_types": ["doxxing", "alien_abduction"]}),
            "incident_types[1]",
            Reason::NotInVocabulary,
        ),
        (Kind::Incident, json!({"title": "t", "latitude": 123.0}), "latitude", Reason::NotACoordinate),
        (Kind::Incident, json!({"title": 5}), "title", Reason::WrongType),
        (
            Kind::Case,
            json!({"title": "t", "charges": [{"statute": "peca_2016", "section": "999"}]}),
            "charges[0].section",
            Reason::NotInVocabulary,
        ),
        (
            Kind::Case,
            json!({"title": "t", "charges": [{"statute": "ppc_1860", "section": "20"}]}),
            "charges[0].section",
            Reason::NotInVocabulary,
        ),
        (Kind::Case, json!({"title": "t", "charges": [{"statute": "peca"}]}), "charges[0].section", Reason::Required),
        (
            Kind::Case,
            json!({"title": "t", "case_kind": "criminalisation", "status": "found_dead"}),
            "status",
            Reason::StatusNotForCaseKind,
        ),
        (
            Kind::Case,
            json!({"title": "t", "case_kind": "criminalisation", "refugee": {}}),
            "refugee",
            Reason::DetailsNotForCaseKind,
        ),
        (
            Kind::Case,
            json!({"title": "t", "case_kind": "detained_abroad", "detention_abroad": {"country": "xx"}}),
            "detention_abroad.country",
            Reason::NotInVocabulary,
        ),
        (
            Kind::Case,
            json!({"title": "t", "case_kind": "enforced_disappearance", "disappearance": {"last_seen_on": "soon"}}),
            "disappearance.last_seen_on",
            Reason::NotAPartialDate,
        ),
        (
            Kind::Hearing,
            json!({"case_id": "01900000-0000-7000-8000-000000000000", "date": "2024-01-01"}),
            "case_id",
            Reason::NoSuchRecord,
        ),
        (Kind::Hearing, json!({"case_id": "{case}", "date": "2024-1-1"}), "date", Reason::NotADay),
        (
            Kind::Risk,
            json!({"person_id": "{case}", "assessed_on": "2024-01-01", "threat_level": 1, "vulnerability_level": 1, "capacity_level": 1}),
            "person_id",
            Reason::WrongKind,
        ),
        (Kind::Person, json!({"notes": "no name"}), "pseudonym", Reason::NameOrPseudonym),
        (Kind::Person, json!({"pseudonym": "p", "community": "Ahmadi"}), "community", Reason::CommunityWithoutConsent),
        (Kind::Referral, json!({"title": "t", "target": "the_moon"}), "target", Reason::NotInVocabulary),
        (
            Kind::Incident,
            json!({"title": "t", "id": "01900000-0000-7000-8000-000000000000"}),
            "id",
            Reason::KeptByVault,
        ),
        (Kind::Incident, json!({"title": "t", "kind": "incident"}), "kind", Reason::KeptByVault),
    ];
    // An unknown field is named by where it is, never by its name (which is input).
    let unknown = rejected(Kind::Incident, &json!({"title": "t", "colour": "red"}));
    assert_eq!((unknown.field.as_deref(), unknown.reason), (None, Reason::UnknownField), "{unknown}");
    assert!(!unknown.to_string().contains("colour"), "{unknown}");
    let nested = rejected(
        Kind::Case,
        &json!({"title": "t", "charges": [{"statute": "peca_2016", "section": "20", "colour": 1}]}),
    );
    assert_eq!(nested.field.as_deref(), Some("charges[0]"), "{nested}");
    for (kind, body, field, reason) in cases {
        let invalid = rejected(*kind, body);
        assert_eq!(invalid.field.as_deref(), Some(*field), "{kind} {body}: {invalid}");
        assert_eq!(invalid.reason, *reason, "{kind} {body}: {invalid}");
        assert!(!invalid.message.is_empty());
    }
}

#[test]
fn fail_a_risk_level_out_of_range_is_refused() {
    let (_tmp, _dir, mut v) = new_vault();
    let p = v.add(Kind::Person, obj(json!({"pseudonym": "p"}))).expect("person").id;
    let err = v
        .add(
            Kind::Risk,
            obj(json!({"person_id": p, "assessed_on": "2024-01-01", "threat_level": 9, "vulnerability_level": 1, "capacity_level": 1})),
        )
        .expect_err("out of range");
    assert!(matches!(err, Error::Invalid(ref i) if i.field.as_deref() == Some("threat_level")), "{err}");
}

#[test]
fn fail_update_cannot_change_the_envelope_or_break_validation() {
    let (_tmp, _dir, mut v) = new_vault();
    let id = v.add(Kind::Incident, obj(json!({"title": "t"}))).expect("add").id;
    for (patch, field) in [
        (json!({"created_at": "2020-01-01T00:00:00Z"}), "created_at"),
        (json!({"id": "01900000-0000-7000-8000-000000000000"}), "id"),
        (json!({"title": null}), "title"),
        (json!({"district": "punjab.lahore", "province": "sindh"}), "district"),
    ] {
        let err = v.update(&id, obj(patch.clone())).expect_err("refused");
        assert!(matches!(err, Error::Invalid(ref i) if i.field.as_deref() == Some(field)), "{patch}: {err}");
    }
    assert_eq!(v.get(&id).expect("get").to_json()["title"], json!("t"));
}

#[test]
fn fail_missing_records_are_not_found() {
    let (_tmp, _dir, mut v) = new_vault();
    let missing = "01900000-0000-7000-8000-000000000000";
    assert!(matches!(v.get(missing), Err(Error::RecordNotFound(_))));
    assert!(matches!(v.update(missing, obj(json!({"title": "x"}))), Err(Error::RecordNotFound(_))));
    assert!(matches!(v.delete(missing), Err(Error::RecordNotFound(_))));
    assert!(matches!(v.unlink(missing), Err(Error::RecordNotFound(_))));
}

#[test]
fn fail_free_text_inside_the_case_blocks_has_limits() {
    // The reproduction: a 50 MB `prison` was saved. Every text of every block is capped.
    let big = "ق".repeat(200_001);
    for (case_kind, block, field) in [
        ("detained_abroad", "detention_abroad", "prison"),
        ("detained_abroad", "detention_abroad", "charge"),
        ("enforced_disappearance", "disappearance", "last_seen_place"),
        ("refugee_deportation", "refugee", "at_risk_profile"),
        ("protection", "protection", "provider"),
    ] {
        let invalid = rejected(Kind::Case, &json!({"title": "t", "case_kind": case_kind, block: {field: big}}));
        assert_eq!(invalid.field.as_deref(), Some(format!("{block}.{field}").as_str()), "{invalid}");
        assert_eq!(invalid.reason, Reason::TooLong, "{invalid}");
    }
    // One-line fields inside the blocks are short and one line.
    let invalid = rejected(
        Kind::Case,
        &json!({"title": "t", "case_kind": "detained_abroad", "detention_abroad": {"prison": "a\nb"}}),
    );
    assert_eq!(invalid.reason, Reason::NotOneLine, "{invalid}");
}

#[test]
fn fail_a_nul_character_is_refused_in_every_text() {
    for (kind, body, field) in [
        (Kind::Task, json!({"title": "a\u{0}b"}), "title"),
        (Kind::Incident, json!({"title": "t", "description": "a\u{0}b"}), "description"),
        (
            Kind::Case,
            json!({"title": "t", "case_kind": "detained_abroad", "detention_abroad": {"lawyer": "\u{0}"}}),
            "detention_abroad.lawyer",
        ),
    ] {
        let invalid = rejected(kind, &body);
        assert_eq!(invalid.reason, Reason::NulCharacter, "{kind}: {invalid}");
        assert_eq!(invalid.field.as_deref(), Some(field), "{kind}: {invalid}");
    }
}

#[test]
fn fail_a_vocabulary_entrys_extra_is_small_and_has_no_nul() {
    let (_tmp, _dir, mut v) = new_vault();
    for (extra, reason) in [
        (json!({"kinds": "criminalisation\u{0}"}), Reason::NulCharacter),
        (json!({"kinds": "x".repeat(20_000)}), Reason::TooLong),
    ] {
        let line = json!({"kind": "vocab", "vocab": "case_statuses", "entry": {"code": "zz", "en": "a", "ur": "ب", "extra": extra}});
        let err = v.import_jsonl(format!("{line}\n").as_bytes()).expect_err("refused");
        let Error::Invalid(i) = &err else { panic!("{err:?}") };
        assert_eq!((i.reason, i.field.as_deref()), (reason, Some("extra")), "{err}");
        assert!(err.to_string().len() < 300, "{err}");
    }
}

#[test]
fn fail_an_upper_case_copy_of_an_id_is_the_same_id() {
    let (_tmp, _dir, mut v) = new_vault();
    let id = "01900000-0000-7000-8000-00000000abcd";
    v.import_jsonl(format!("{{\"kind\": \"task\", \"id\": \"{id}\", \"title\": \"one\"}}\n").as_bytes())
        .expect("first");
    let upper = id.to_uppercase();
    let file = format!(
        "{{\"kind\": \"task\", \"title\": \"ok\"}}\n{{\"kind\": \"task\", \"id\": \"{upper}\", \"title\": \"two\"}}\n"
    );
    let err = v.import_jsonl(file.as_bytes()).expect_err("duplicate");
    let Error::Invalid(i) = &err else { panic!("{err:?}") };
    assert_eq!((i.line, i.field.as_deref(), i.reason), (Some(2), Some("id"), Reason::IdTaken), "{err}");
    assert!(!err.to_string().contains("ConstraintViolation"));
    assert_eq!(v.count(Kind::Task).expect("count"), 1, "all or nothing");
    // Reads, updates and deletes take the id in any case.
    assert_eq!(v.get(&upper).expect("get").id, id);
    v.update(&upper, obj(json!({"title": "renamed"}))).expect("update");
    v.delete(&upper).expect("delete");
}

#[test]
fn an_anonymous_person_may_have_neither_name_nor_pseudonym() {
    let (_tmp, _dir, mut v) = new_vault();
    let p = v.add(Kind::Person, obj(json!({"anonymous": true, "roles": ["witness"]}))).expect("anonymous");
    assert_eq!(p.data.label(), "(name withheld)");
    let invalid = rejected(Kind::Person, &json!({"roles": ["witness"]}));
    assert_eq!(invalid.reason, Reason::NameOrPseudonym);
}
