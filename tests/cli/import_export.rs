use gawahi_e2e::{Gawahi, core_fixtures};
use serde_json::json;

fn fixture(name: &str) -> String {
    core_fixtures().join("import").join(name).display().to_string()
}

#[test]
fn import_then_export_round_trips() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let run = g.run(&["import", &v, &fixture("ok_mixed.jsonl")]);
    run.ok();
    assert!(run.stderr.contains("imported 4 records and 2 links"), "{run:?}");
    let exported = g.run(&["export", &v, "--json"]).ok().to_owned();
    assert_eq!(exported.lines().count(), 6);
    let out = g.tmp.path().join("export.jsonl");
    std::fs::write(&out, &exported).expect("write");

    let copy = Gawahi::init();
    copy.run(&["import", &copy.vault_str(), &out.display().to_string()]).ok();
    let a = g.run(&["get", &v, "01900000-0000-7000-8000-00000000c001"]).json();
    let b = copy.run(&["get", &copy.vault_str(), "01900000-0000-7000-8000-00000000c001"]).json();
    assert_eq!(a, b);
}

#[test]
fn fail_a_bad_line_exits_5_names_line_and_field_and_imports_nothing() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let msg = g.run(&["import", &v, &fixture("fail_bad_date_line_4.jsonl")]).fails_with(5).to_owned();
    assert!(msg.contains("line 4") && msg.contains("`date`"), "{msg}");
    for kind in ["person", "incident", "case", "hearing"] {
        assert_eq!(g.run(&["list", &v, kind]).ok(), "", "{kind}: nothing from the file is kept");
    }
    assert_eq!(g.run(&["export", &v, "--json"]).ok(), "");
}

#[test]
fn anonymised_export_leaves_out_names_and_free_text() {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["import", &v, &fixture("ok_mixed.jsonl")]).ok();
    let out = g.run(&["export", &v, "--json", "--anonymise"]).ok().to_owned();
    for secret in ["سعد", "press club", "Quetta", "حبسِ بے جا", "01900000-0000-7000-8000-00000000c001"] {
        assert!(!out.contains(secret), "leaks {secret}");
    }
    let case = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|l| l["kind"] == json!("case"))
        .expect("case");
    assert_eq!(case["disappearance"]["last_seen_on"], json!("2023-05"));
    assert_eq!(case["court"], json!("balochistan_high_court"));
}
