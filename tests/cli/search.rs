use gawahi_e2e::{Gawahi, in_mount_namespace};
use serde_json::json;

/// A vault with an English and an Urdu incident, and a case under PECA s.20 in the Balochistan
/// High Court.
fn populated() -> (Gawahi, String) {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&[
        "add",
        &v,
        "incident",
        "--json",
        &json!({"title": "Night raid in Quetta", "province": "balochistan"}).to_string(),
    ])
    .ok();
    g.run(&["add", &v, "incident", "--json", &json!({"title": "کوئٹہ میں چھاپَہ", "province": "sindh"}).to_string()])
        .ok();
    let case = json!({"title": "State v. A.", "court": "balochistan_high_court",
        "charges": [{"statute": "peca_2016", "section": "20"}]});
    g.run(&["add", &v, "case", "--json", &case.to_string()]).ok();
    (g, v)
}

#[test]
fn search_finds_english_urdu_and_labels_and_marks_the_words() {
    let (g, v) = populated();
    let out = g.run(&["search", &v, "quetta"]);
    let text = out.ok();
    assert!(text.starts_with("# incident\n"), "{text}");
    assert!(text.contains("\tNight raid in [Quetta]"), "the matched word in brackets off a terminal: {text}");
    let urdu = g.run(&["search", &v, "چھاپہ", "--json"]).json();
    assert_eq!(urdu[0]["kind"], "incident");
    assert_eq!(urdu[0]["hits"][0]["title"], "کوئٹہ میں چھاپَہ");
    let court = g.run(&["search", &v, "Balochistan High Court", "--json"]).json();
    assert_eq!(court[0]["kind"], "case", "{court}");
    let filtered = g.run(&["search", &v, "--province", "sindh", "--json"]).json();
    assert_eq!(filtered.as_array().map(Vec::len), Some(1), "{filtered}");
    let kinds = g.run(&["search", &v, "a", "--kind", "case", "--json"]).json();
    assert!(kinds.as_array().expect("array").iter().all(|k| k["kind"] == "case"), "{kinds}");
}

#[test]
fn fail_hostile_queries_give_results_or_a_clear_error_never_sql() {
    let (g, v) = populated();
    let long = "q".repeat(100_000);
    for q in [
        "\"",
        "\"quetta",
        "quetta\"",
        "*",
        "NEAR(",
        "a AND",
        "OR",
        "-raid",
        "col:raid",
        "\u{1b}[2J",
        "'; DROP TABLE records; --",
        &long,
    ] {
        // After `--`, a query starting with `-` is a query, not an option.
        let out = g.run(&["search", &v, "--", q]);
        assert!(out.code == 0 || out.code == 5, "{q:.40}: {out:#?}");
        let all = format!("{}{}", out.stdout, out.stderr).to_lowercase();
        for leak in ["fts5", "syntax", "sqlite", "panicked", "near \""] {
            assert!(!all.contains(leak), "{q:.40} leaked {leak}: {out:#?}");
        }
        if out.code == 5 {
            assert!(!out.stderr.contains(q), "the query is not repeated");
        }
    }
    let empty = g.run(&["search", &v, ""]);
    assert!(empty.fails_with(5).contains("query"), "{empty:#?}");
    let too_long = g.run(&["search", &v, &long, "--json"]);
    let err: serde_json::Value = serde_json::from_str(too_long.fails_with(5)).expect("a JSON error");
    assert_eq!(err["code"], "invalid_input");
    let bad = g.run(&["search", &v, "x", "--kind", "\u{1b}[2Jnope"]);
    assert!(!bad.fails_with(5).contains('\u{1b}'));
    // The vault is untouched and still checks clean.
    g.run(&["check", &v]).ok();
}

#[test]
fn stats_count_by_a_field_with_labels() {
    let (g, v) = populated();
    let rows = g.run(&["stats", &v, "--by", "province", "--json"]).json();
    let got: Vec<(String, u64)> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| (r["value"].as_str().expect("value").to_owned(), r["count"].as_u64().expect("count")))
        .collect();
    assert_eq!(got, [("balochistan".to_owned(), 1), ("sindh".to_owned(), 1)]);
    let ur = g.run(&["stats", &v, "--by", "section", "--lang", "ur"]);
    assert!(ur.ok().starts_with("peca_2016.20\tدفعہ 20"), "{ur:#?}");
    let filtered = g.run(&["stats", &v, "--by", "kind", "--province", "sindh"]);
    assert_eq!(filtered.ok(), "incident\t-\t1");
    g.run(&["stats", &v, "--by", "nonsense"]).fails_with(2);
}

/// A filter on the field counted holds: provinces within Sindh are Sindh alone.
#[test]
fn fail_stats_by_a_field_keep_a_filter_on_that_field() {
    let (g, v) = populated();
    let out = g.run(&["stats", &v, "--by", "province", "--province", "sindh"]);
    assert_eq!(out.ok(), "sindh\tSindh\t1");
    let rows = g.run(&["stats", &v, "--by", "kind", "--kind", "case", "--json"]).json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["value"], "case");
}

#[test]
fn saved_searches_are_kept_listed_and_run() {
    let (g, v) = populated();
    g.run(&["search", &v, "raid", "--province", "balochistan", "--save", "Quetta raids"]).ok();
    let listed = g.run(&["search", &v, "--list-saved"]);
    assert_eq!(listed.ok(), "Quetta raids\traid");
    let again = g.run(&["search", &v, "--saved", "Quetta raids", "--json"]).json();
    assert_eq!(again[0]["hits"][0]["title"], "Night raid in Quetta");
    g.run(&["search", &v, "--saved", "no such search"]).fails_with(5);
    g.run(&["search", &v, "x", "--save", "a\u{1b}name"]).fails_with(5);
}

#[test]
fn fail_a_value_given_beside_a_saved_search_is_one_more_alternative_of_its_facet() {
    // Saved for Balochistan; run with Sindh given as well: both provinces, as the help says
    // the filters given are added. (Before, two province filters that must both hold: nothing.)
    let (g, v) = populated();
    g.run(&["search", &v, "--province", "balochistan", "--kind", "incident", "--save", "by province"]).ok();
    let both = g.run(&["search", &v, "--saved", "by province", "--province", "sindh", "--json"]).json();
    let mut titles: Vec<String> = both
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["hits"].as_array().cloned().unwrap_or_default())
        .map(|h| h["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Night raid in Quetta", "کوئٹہ میں چھاپَہ"], "{both}");
}

#[test]
fn fail_a_full_disk_while_saving_a_search_changes_nothing() {
    let (g, v) = populated();
    let script = r#"set -u
mount -t tmpfs -o size=8m,mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/vault" || exit 98
"$GAWAHI" search "$MNT/vault" raid >/dev/null
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
echo "exit $("$GAWAHI" search "$MNT/vault" raid --save kept >/dev/null 2>&1; echo $?)"
rm -f "$MNT/fill" "$MNT/fill2"
echo "saved $("$GAWAHI" search "$MNT/vault" --list-saved | wc -l)"
echo "check $("$GAWAHI" check "$MNT/vault" >/dev/null 2>&1; echo $?)"
"#;
    let text = in_mount_namespace(g.tmp.path(), script, &[("SRC", &v)]);
    assert!(text.contains("exit 7"), "a full disk exits 7: {text}");
    assert!(text.contains("saved 0"), "nothing was saved: {text}");
    assert!(text.contains("check 0"), "the vault checks clean: {text}");
}
