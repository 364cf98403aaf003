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
        (Kind::Incident, json!({"title": "t", "colour": "red"}), "colour", Reason::UnknownField),
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
