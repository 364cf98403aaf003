//! No HTTP client in the dependency tree: the ban list of `deny.toml` (the one `cargo deny check
//! bans` enforces in `make audit`) checked against `cargo metadata` for the platforms it names,
//! so that `make test` catches a banned crate without installing cargo-deny. A banned crate may be
//! depended on only by the crates its entry names as `wrappers`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// One entry of `[bans] deny`: the crate's name and the crates allowed to depend on it.
#[derive(Debug)]
struct Ban {
    name: String,
    wrappers: BTreeSet<String>,
}

/// The platforms (`[graph] targets`) and the bans of a `deny.toml`.
fn policy(text: &str) -> (Vec<String>, Vec<Ban>) {
    let table: toml::Table = toml::from_str(text).expect("deny.toml is TOML");
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let targets = strings(table.get("graph").and_then(|g| g.get("targets")));
    let bans = table
        .get("bans")
        .and_then(|b| b.get("deny"))
        .and_then(toml::Value::as_array)
        .expect("[bans] deny")
        .iter()
        .map(|entry| {
            // `crate = "name"` or `crate = "name@version"`: the version is not narrowed here.
            let spec = entry.get("crate").and_then(toml::Value::as_str).expect("each ban names its crate");
            let name = spec.split('@').next().unwrap_or(spec).to_owned();
            Ban { name, wrappers: strings(entry.get("wrappers")).into_iter().collect() }
        })
        .collect();
    (targets, bans)
}

/// Every edge of the resolved graph from a crate outside a banned crate's wrappers to it:
/// "dependent -> banned".
fn violations(metadata: &Value, bans: &[Ban]) -> Vec<String> {
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let mut found = BTreeSet::new();
    for node in metadata["resolve"]["nodes"].as_array().expect("resolve.nodes") {
        let Some(from) = node["id"].as_str().and_then(|id| names.get(id)) else { continue };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let Some(to) = dep["pkg"].as_str().and_then(|id| names.get(id)) else { continue };
            if let Some(ban) = bans.iter().find(|b| b.name == *to)
                && !ban.wrappers.contains(*from)
            {
                found.insert(format!("{from} -> {to}"));
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_http_client_is_in_the_dependency_tree_but_the_tests_webdriver_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (targets, bans) = policy(&std::fs::read_to_string(root.join("deny.toml")).expect("deny.toml"));
    assert!(bans.iter().any(|b| b.name == "reqwest") && bans.iter().any(|b| b.name == "hyper"), "{bans:?}");
    assert!(!targets.is_empty(), "deny.toml names the platforms it checks");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root).args(["metadata", "--format-version", "1", "--locked", "--offline"]);
    for t in &targets {
        cmd.args(["--filter-platform", t]);
    }
    let out = cmd.output().expect("cargo metadata");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let found = violations(&metadata, &bans);
    assert!(found.is_empty(), "banned crates (deny.toml) in the dependency tree: {found:#?}");
    // The tests' WebDriver client is there, through its one wrapper: the graph was really read.
    let names: Vec<&str> =
        metadata["packages"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
    assert!(names.contains(&"ureq") && names.contains(&"tauri"), "the whole graph was read");
}

#[test]
fn fail_a_banned_crate_outside_its_wrappers_is_named() {
    let (_, bans) = policy(
        r#"[bans]
deny = [{ crate = "reqwest@0.13", reason = "x" }, { crate = "ureq", wrappers = ["gawahi-e2e"] }]"#,
    );
    let package = |id: &str, name: &str| serde_json::json!({"id": id, "name": name});
    let node = |id: &str, deps: &[&str]| serde_json::json!({"id": id, "deps": deps.iter().map(|d| serde_json::json!({"pkg": d})).collect::<Vec<_>>()});
    let metadata = serde_json::json!({
        "packages": [package("a", "gawahi-app"), package("e", "gawahi-e2e"), package("r", "reqwest"),
                     package("u", "ureq"), package("t", "tauri")],
        "resolve": {"nodes": [node("a", &["t", "u"]), node("t", &["r"]), node("e", &["u"]), node("r", &[]), node("u", &[])]}
    });
    assert_eq!(violations(&metadata, &bans), ["gawahi-app -> ureq", "tauri -> reqwest"]);
}
