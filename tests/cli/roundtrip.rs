use gawahi_e2e::{Gawahi, core_fixtures};
use serde_json::{Value, json};

fn fixture(kind: &str, case_id: &str, person_id: &str) -> String {
    std::fs::read_to_string(core_fixtures().join(format!("records/{kind}.json")))
        .expect("fixture")
        .replace("{case_id}", case_id)
        .replace("{person_id}", person_id)
}

#[test]
fn every_kind_round_trips_through_the_cli() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let person = g.run(&["add", &v, "person", "--json", &fixture("person", "", "")]).ok().to_owned();
    let case = g.run(&["add", &v, "case", "--json", &fixture("case", "", "")]).ok().to_owned();
    let mut ids = vec![("person", person.clone()), ("case", case.clone())];
    for kind in ["organisation", "incident", "threat", "risk", "hearing", "referral", "task"] {
        // Half through --json, half through --file, so both inputs are exercised.
        let body = fixture(kind, &case, &person);
        let run = if ids.len() % 2 == 0 {
            g.run(&["add", &v, kind, "--json", &body])
        } else {
            let f = g.tmp.path().join(format!("{kind}.json"));
            std::fs::write(&f, &body).expect("write");
            g.run(&["add", &v, kind, "--file", &f.display().to_string()])
        };
        ids.push((kind, run.ok().to_owned()));
    }
    for (kind, id) in &ids {
        let got = g.run(&["get", &v, id]).json();
        assert_eq!(got["kind"], json!(kind));
        let want: Value = serde_json::from_str(&fixture(kind, &case, &person)).expect("json");
        for (field, value) in want.as_object().expect("object") {
            assert_eq!(&got[field], value, "{kind}.{field}");
        }
        let listed = g.run(&["list", &v, kind, "--json"]).json();
        assert_eq!(listed.as_array().expect("array").len(), 1, "{kind}");
        assert_eq!(listed[0]["id"], json!(id));
    }

    let incident = &ids.iter().find(|(k, _)| *k == "incident").expect("incident").1;
    let link = g.run(&["link", &v, &person, incident, "--role", "victim"]).ok().to_owned();
    let links = g.run(&["links", &v, incident]).json();
    assert_eq!(links[0]["id"], json!(link));
    assert_eq!(links[0]["from_id"], json!(person));
    assert_eq!(links[0]["role"], json!("victim"));
    assert_eq!(g.run(&["check", &v]).ok().lines().last().map(|l| l.starts_with("ok: 9 records, 1 links")), Some(true));
}

#[test]
fn list_prints_labels_and_pages() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let mut ids = Vec::new();
    for title in ["پہلا", "second", "تیسرا"] {
        ids.push(g.run(&["add", &v, "task", "--json", &json!({"title": title}).to_string()]).ok().to_owned());
    }
    let page1 = g.run(&["list", &v, "task", "--limit", "2"]).ok().to_owned();
    assert_eq!(page1, format!("{}\tتیسرا\n{}\tsecond", ids[2], ids[1]));
    let page2 = g.run(&["list", &v, "task", "--limit", "2", "--after", &ids[1]]).ok().to_owned();
    assert_eq!(page2, format!("{}\tپہلا", ids[0]));
}

#[test]
fn update_patches_and_delete_removes() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let id = g.run(&["add", &v, "incident", "--json", r#"{"title": "Raid", "city": "Quetta"}"#]).ok().to_owned();
    let updated = g.run(&["update", &v, &id, "--json", r#"{"title": "چھاپہ", "city": null}"#]).json();
    assert_eq!(updated["title"], json!("چھاپہ"));
    assert_eq!(updated["city"], Value::Null);
    g.run(&["delete", &v, &id]).ok();
    g.run(&["get", &v, &id]).fails_with(4);
}

#[test]
fn vocabularies_print_in_english_and_urdu() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let names = g.run(&["vocab", &v]).ok().to_owned();
    for name in ["statutes", "sections", "courts", "districts", "provinces", "incident_types", "case_statuses"] {
        assert!(names.lines().any(|l| l == name), "{name} missing from {names}");
    }
    let en = g.run(&["vocab", &v, "provinces"]).ok().to_owned();
    assert!(en.lines().any(|l| l == "sindh\tSindh"), "{en}");
    let ur = g.run(&["vocab", &v, "provinces", "--lang", "ur"]).ok().to_owned();
    assert!(ur.lines().any(|l| l == "sindh\tسندھ"), "{ur}");
    let sections = g.run(&["vocab", &v, "sections", "--json"]).json();
    let s20 = sections.as_array().expect("array").iter().find(|e| e["code"] == json!("peca_2016.20")).expect("s.20");
    assert_eq!(s20["parent"], json!("peca_2016"));
    g.run(&["vocab", &v, "courts", "--add", "tribal_jirga", "--en", "Jirga (informal)", "--ur", "جرگہ"]).ok();
    assert!(g.run(&["vocab", &v, "courts"]).ok().contains("tribal_jirga\tJirga (informal)"));
}

#[test]
fn the_audit_log_records_actions_not_contents() {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["add", &v, "task", "--json", r#"{"title": "SECRET-TITLE"}"#]).ok();
    let log = g.run(&["log", &v]).ok().to_owned();
    assert!(log.contains("record.create") && log.contains("vault.create"), "{log}");
    assert!(!log.contains("SECRET-TITLE"));
}
