//! Court casework on the command line: `hearing record`, `cause-list`, `deadlines` and
//! `vocab … sections --find`: output shapes, exact JSON, bad input, exit codes, a full disk and
//! kill -9 in the middle of recording an outcome.

use std::process::{Command, Stdio};

use gawahi_e2e::{Gawahi, PASSPHRASE, in_mount_namespace};
use serde_json::{Value, json};

/// A day relative to today on this machine's clock, as the CLI reads "today".
fn day(offset: i64) -> String {
    let today = chrono::Local::now().date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// A vault with a case before a magistrate and a hearing on `date`; returns (vault, case, hearing).
fn case_and_hearing(g: &Gawahi, date: &str) -> (String, String, String) {
    let v = g.vault_str();
    let case = g
        .run(&[
            "add",
            &v,
            "case",
            "--json",
            &json!({"title": "State v. صحافی", "fir_number": "FIR 7/2026",
                                                      "court": "judicial_magistrate", "judge": "Judge A"})
            .to_string(),
        ])
        .ok()
        .to_owned();
    let hearing =
        g.run(&["add", &v, "hearing", "--json", &json!({"case_id": case, "date": date}).to_string()]).ok().to_owned();
    (v, case, hearing)
}

#[test]
fn hearing_record_prints_the_next_hearings_id_and_the_cause_list_shows_it_once() {
    let g = Gawahi::init();
    let (v, case, hearing) = case_and_hearing(&g, "2026-11-23");
    let next = g
        .run(&[
            "hearing",
            "record",
            &v,
            &hearing,
            "--status",
            "adjourned",
            "--outcome",
            "IO absent",
            "--next-date",
            "2026-11-27",
        ])
        .ok()
        .to_owned();
    assert_eq!(next.len(), 36, "one line: the new hearing's id: {next}");
    let got = g.run(&["get", &v, &next]).json();
    assert_eq!(got["case_id"], json!(case));
    assert_eq!(got["date"], json!("2026-11-27"));
    assert_eq!(got["status"], json!("scheduled"));
    assert_eq!(got["follows"], json!(hearing));
    let marked = g.run(&["get", &v, &hearing]).json();
    assert_eq!((marked["status"].clone(), marked["outcome"].clone()), (json!("adjourned"), json!("IO absent")));

    // The cause list of that week, exact as JSON.
    let list = g.run(&["cause-list", &v, "--from", "2026-11-23", "--to", "2026-11-29", "--json"]).json();
    let expected = json!([{"court": "judicial_magistrate", "hearings": [
        {"hearing_id": hearing, "date": "2026-11-23", "status": "adjourned", "noted_next_date": false, "purpose": null, "outcome": "IO absent",
         "next_date": "2026-11-27", "court": "judicial_magistrate", "judge": "Judge A", "case_id": case,
         "case_title": "State v. صحافی", "case_number": "FIR 7/2026"},
        {"hearing_id": next, "date": "2026-11-27", "status": "scheduled", "noted_next_date": false, "purpose": null, "outcome": null,
         "next_date": null, "court": "judicial_magistrate", "judge": "Judge A", "case_id": case,
         "case_title": "State v. صحافی", "case_number": "FIR 7/2026"}]}]);
    assert_eq!(list, expected);
    // And for people: the court, then a line per hearing.
    let text = g.run(&["cause-list", &v, "--from", "2026-11-27", "--to", "2026-11-27"]).ok().to_owned();
    assert_eq!(text, format!("# judicial_magistrate\n2026-11-27\tscheduled\tState v. صحافی\tFIR 7/2026\t{next}"));
    // Without a next date nothing is printed: there is no new hearing. With --json, both records.
    let decided = g.run(&["hearing", "record", &v, &next, "--status", "decided", "--json"]).json();
    assert_eq!((decided["hearing"]["status"].clone(), decided["next"].clone()), (json!("decided"), Value::Null));
    let (_, _, other) = case_and_hearing(&g, "2026-11-24");
    assert_eq!(g.run(&["hearing", "record", &v, &other, "--status", "held"]).ok(), "");
    assert!(g.run(&["check", &v]).ok().contains("ok: 5 records"));
}

#[test]
fn cause_list_defaults_to_this_week() {
    let g = Gawahi::init();
    let (v, case, _) = case_and_hearing(&g, &day(3));
    g.run(&["add", &v, "hearing", "--json", &json!({"case_id": case, "date": day(7)}).to_string()]).ok();
    let list = g.run(&["cause-list", &v, "--json"]).json();
    let dates: Vec<&str> =
        list[0]["hearings"].as_array().expect("hearings").iter().filter_map(|h| h["date"].as_str()).collect();
    assert_eq!(dates, [day(3)], "today and the next six days");
}

#[test]
fn fail_hearing_record_refuses_bad_input_with_the_right_exit_codes() {
    let g = Gawahi::init();
    let (v, case, hearing) = case_and_hearing(&g, "2026-11-23");
    // Usage errors: no --status, a status that is not an outcome, in JSON too with --json nowhere.
    assert_eq!(g.run(&["hearing", "record", &v, &hearing]).code, 2);
    let msg = g.run(&["hearing", "record", &v, &hearing, "--status", "scheduled\u{1b}[2J"]).fails_with(2).to_owned();
    assert!(!msg.contains('\u{1b}') && msg.contains("--status"), "{msg}");
    // Invalid input: exit 5, the field named, nothing changed.
    for (next_date, reason) in
        [("27/11/2026", "not_a_day"), ("2026-12-01\u{1b}[2J", "not_a_day"), ("2026-11-01", "next_date_not_after")]
    {
        let args = ["hearing", "record", &v, &hearing, "--status", "adjourned", "--next-date", next_date, "--json"];
        let err: Value = serde_json::from_str(g.run(&args).fails_with(5)).expect("a JSON error");
        assert_eq!((err["field"].clone(), err["reason"].clone()), (json!("next_date"), json!(reason)), "{next_date:?}");
        let message = err["message"].as_str().unwrap_or_default();
        assert!(!message.contains("11/2026") && !message.contains('\u{1b}'), "the value is not repeated: {message}");
    }
    // A huge id (argv holds at most 128 KiB per argument, so a too-long outcome is a core test).
    let huge = "x".repeat(100_000);
    let msg = g.run(&["hearing", "record", &v, &huge, "--status", "held"]).fails_with(4).to_owned();
    assert!(msg.len() < 200 && !msg.contains("xxxx"), "{msg}");
    let wrong_kind = g.run(&["hearing", "record", &v, &case, "--status", "held"]).fails_with(5).to_owned();
    assert!(wrong_kind.contains("not a hearing"), "{wrong_kind}");
    g.run(&["hearing", "record", &v, "01900000-0000-7000-8000-000000000000", "--status", "held"]).fails_with(4);
    g.run(&["hearing", "record", &g.tmp.path().join("nowhere").display().to_string(), &hearing, "--status", "held"])
        .fails_with(4);
    assert_eq!(g.run(&["get", &v, &hearing]).json().get("status"), None, "nothing was changed");
    assert_eq!(g.run(&["list", &v, "hearing"]).ok().lines().count(), 1);
    // Recorded once with a next date, it is not recorded again.
    g.run(&["hearing", "record", &v, &hearing, "--status", "adjourned", "--next-date", "2026-12-01"]).ok();
    let again = g.run(&["hearing", "record", &v, &hearing, "--status", "adjourned", "--next-date", "2026-12-08"]);
    assert!(again.fails_with(5).contains("already"), "{again:?}");
}

#[test]
fn fail_cause_list_refuses_bad_dates() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for args in [
        vec!["--from", "23/11/2026"],
        vec!["--from", "2026-11-23", "--to", "2026-13-01"],
        vec!["--from", "2026-11-23\n"],
    ] {
        let mut all = vec!["cause-list", v.as_str(), "--json"];
        all.extend(args.iter().copied());
        let err: Value = serde_json::from_str(g.run(&all).fails_with(5)).expect("a JSON error");
        assert_eq!(err["reason"], json!("not_a_day"), "{args:?}");
        assert!(!err["message"].as_str().unwrap_or_default().contains("2026"), "{err}");
    }
    let err: Value = serde_json::from_str(
        g.run(&["cause-list", &v, "--from", "2026-01-01", "--to", "2046-01-01", "--json"]).fails_with(5),
    )
    .expect("json");
    assert_eq!(err["reason"], json!("too_long"));
}

#[test]
fn deadlines_lists_overdue_and_coming_deadlines_exactly() {
    let g = Gawahi::init();
    let (v, case, _h) = case_and_hearing(&g, &day(-30));
    let mut ids = Vec::new();
    for (title, offset) in [("appeal", -2), ("reply to the UN", 5), ("far off", 40)] {
        let body = json!({"title": title, "due_on": day(offset), "deadline": "appeal", "case_id": case});
        ids.push(g.run(&["add", &v, "task", "--json", &body.to_string()]).ok().to_owned());
    }
    let rows = g.run(&["deadlines", &v, "--within", "7", "--json"]).json();
    let expected = json!([
        {"due_on": day(-2), "deadline": "appeal", "title": "appeal", "record_id": ids[0], "record_kind": "task",
         "is_task": true, "case": {"id": case, "kind": "case", "label": "State v. صحافی", "name_withheld": false},
         "rule": null, "days_left": -2, "overdue": true},
        {"due_on": day(5), "deadline": "appeal", "title": "reply to the UN", "record_id": ids[1], "record_kind": "task",
         "is_task": true, "case": {"id": case, "kind": "case", "label": "State v. صحافی", "name_withheld": false},
         "rule": null, "days_left": 5, "overdue": false}
    ]);
    assert_eq!(rows, expected);
    let text = g.run(&["deadlines", &v, "--within", "7"]).ok().to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!("{}\tOVERDUE 2 day(s)\tappeal\tappeal\tState v. صحافی", day(-2))), "{text}");
    assert!(lines[1].contains("in 5 day(s)"), "{text}");
    assert_eq!(g.run(&["deadlines", &v, "--within", "60", "--json"]).json().as_array().map(Vec::len), Some(3));
    // The default looks a fortnight ahead.
    assert_eq!(g.run(&["deadlines", &v, "--json"]).json().as_array().map(Vec::len), Some(2));
}

#[test]
fn fail_deadlines_refuses_bad_windows() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for bad in ["-1", "seven", "99999999999", "7\u{1b}[2J"] {
        let msg = g.run(&["deadlines", &v, "--within", bad]).fails_with(2).to_owned();
        assert!(!msg.contains('\u{1b}') && !msg.contains("seven"), "{msg}");
    }
    let err: Value =
        serde_json::from_str(g.run(&["deadlines", &v, "--within", "100000", "--json"]).fails_with(5)).expect("json");
    assert_eq!(err["reason"], json!("too_long"));
}

#[test]
fn vocab_sections_find_matches_every_spelling() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for query in ["26A", "26-A", "s.26A", "PECA 26A", "PECA s. 26-A", "fake"] {
        let out = g.run(&["vocab", &v, "sections", "--find", query]).ok().to_owned();
        assert_eq!(out.lines().next(), Some("peca_2016\t26A\ts.26A False and fake information"), "{query}");
    }
    let ur = g.run(&["vocab", &v, "sections", "--find", "توہین", "--lang", "ur"]).ok().to_owned();
    assert!(ur.lines().any(|l| l.starts_with("ppc_1860\t295-C\tدفعہ 295 سی")), "{ur}");
    let found = g.run(&["vocab", &v, "sections", "--find", "PPC 34", "--json"]).json();
    assert_eq!(
        found,
        json!([{"statute": "ppc_1860", "section": "34", "code": "ppc_1860.34",
                "en": "s.34 Acts done by several persons in furtherance of common intention",
                "ur": "دفعہ 34: مشترکہ نیت کے تحت کئی افراد کے کیے گئے افعال"}])
    );
    assert_eq!(g.run(&["vocab", &v, "sections", "--find", "no such words", "--json"]).json(), json!([]));
    assert_eq!(g.run(&["vocab", &v, "sections", "--find", "\u{1b}[2J"]).ok(), "");
    let msg = g.run(&["vocab", &v, "courts", "--find", "26A"]).fails_with(2).to_owned();
    assert!(msg.contains("sections"), "{msg}");
}

#[test]
fn vocab_sections_add_section_keeps_a_charge_outside_the_list() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let charge = json!({"title": "t", "charges": [{"statute": "ppc_1860", "section": "337-A"}]}).to_string();
    g.run(&["add", &v, "case", "--json", &charge]).fails_with(5);
    let code = g.run(&["vocab", &v, "sections", "--add-section", "337-A", "--parent", "ppc_1860"]).ok().to_owned();
    assert_eq!(code, "ppc_1860.337-a");
    g.run(&["add", &v, "case", "--json", &charge]).ok();
    assert_eq!(g.run(&["vocab", &v, "sections", "--find", "PPC 337A"]).ok(), "ppc_1860\t337-A\ts.337-A");
    // Bad input: exit 5 or 2, nothing repeated, nothing added.
    let msg = g
        .run(&["vocab", &v, "sections", "--add-section", "1\u{1b}[2J", "--parent", "ppc_1860"])
        .fails_with(5)
        .to_owned();
    assert!(!msg.contains('\u{1b}'), "{msg}");
    g.run(&["vocab", &v, "sections", "--add-section", "1", "--parent", "no_such_act"]).fails_with(5);
    g.run(&["vocab", &v, "sections", "--add-section", "1"]).fails_with(2);
    g.run(&["vocab", &v, "courts", "--add-section", "1", "--parent", "ppc_1860"]).fails_with(2);
    assert!(g.run(&["check", &v]).ok().starts_with("ok:"));
}

#[test]
fn fail_a_full_disk_during_hearing_record_changes_nothing() {
    let g = Gawahi::init();
    let (v, _case, hearing) = case_and_hearing(&g, "2026-11-23");
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=8m,mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/vault" || exit 98
"$GAWAHI" list "$MNT/vault" task >/dev/null
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
"$GAWAHI" hearing record "$MNT/vault" {hearing} --status adjourned --next-date 2026-12-01 >/dev/null 2>"$MNT/../err" || true
echo "exit $("$GAWAHI" hearing record "$MNT/vault" {hearing} --status adjourned --next-date 2026-12-01 >/dev/null 2>&1; echo $?)"
rm -f "$MNT/fill" "$MNT/fill2"
echo "hearings $("$GAWAHI" list "$MNT/vault" hearing | wc -l)"
echo "status $("$GAWAHI" get "$MNT/vault" {hearing} | grep -c '"status"')"
echo "check $("$GAWAHI" check "$MNT/vault" >/dev/null 2>&1; echo $?)"
"#
    );
    let text = in_mount_namespace(g.tmp.path(), &script, &[("SRC", &v)]);
    assert!(text.contains("exit 7"), "a full disk exits 7: {text}");
    assert!(text.contains("hearings 1"), "no next hearing: {text}");
    assert!(text.contains("status 0"), "the hearing is not marked: {text}");
    assert!(text.contains("check 0"), "the vault checks clean: {text}");
}

#[test]
fn fail_kill_9_while_recording_an_outcome_leaves_both_changes_or_neither() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let (_, case, _) = case_and_hearing(&g, "2026-01-01");
    let mut outcomes = [0u32; 2];
    for round in 0..12u64 {
        let date = format!("2026-02-{:02}", round + 1);
        // Each round's next date is its own: a day the case already has a hearing on would
        // not get a second one.
        let next_date = format!("2026-03-{:02}", round + 1);
        let hearing = g
            .run(&["add", &v, "hearing", "--json", &json!({"case_id": case, "date": date}).to_string()])
            .ok()
            .to_owned();
        let child = g
            .command(&["hearing", "record", &v, &hearing, "--status", "adjourned", "--next-date", &next_date])
            .env("GAWAHI_PASSPHRASE", PASSPHRASE)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // From during the key derivation to after the commit.
        std::thread::sleep(std::time::Duration::from_millis(20 + round * 60));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait_with_output();
        let marked = g.run(&["get", &v, &hearing]).json().get("status").is_some();
        let follow_ups = g
            .run(&["list", &v, "hearing", "--json", "--limit", "1000"])
            .json()
            .as_array()
            .expect("array")
            .iter()
            .filter(|h| h["follows"] == json!(hearing))
            .count();
        assert_eq!((marked, follow_ups), if marked { (true, 1) } else { (false, 0) }, "round {round}: both or neither");
        outcomes[usize::from(marked)] += 1;
        assert!(g.run(&["check", &v]).ok().starts_with("ok:"), "round {round}");
    }
    eprintln!("outcomes killed before the commit: {}, after: {}", outcomes[0], outcomes[1]);
}

#[test]
fn fail_deleting_a_hearing_another_follows_leaves_the_follower_usable_and_the_backup_restorable() {
    let g = Gawahi::init();
    let (v, _case, h1) = case_and_hearing(&g, "2026-11-23");
    let h2 =
        g.run(&["hearing", "record", &v, &h1, "--status", "adjourned", "--next-date", "2026-12-07"]).ok().to_owned();
    g.run(&["delete", &v, &h1]).ok();
    assert_eq!(g.run(&["get", &v, &h2]).json().get("follows"), None, "no reference to a deleted hearing");
    g.run(&["update", &v, &h2, "--json", r#"{"purpose":"x"}"#]).ok();
    g.run(&["hearing", "record", &v, &h2, "--status", "held"]).ok();
    let exported = g.run(&["export", &v, "--json"]).ok().to_owned();
    let file = g.tmp.path().join("backup.jsonl");
    std::fs::write(&file, exported).expect("write");
    let copy = Gawahi::init();
    copy.run(&["import", &copy.vault_str(), &file.display().to_string()]).ok();
    // A hearing cannot follow itself.
    g.run(&["update", &v, &h2, "--json", &json!({"follows": h2}).to_string()]).fails_with(5);
}

#[test]
fn fail_a_moved_next_hearing_leaves_no_phantom_date_in_the_cause_list() {
    let g = Gawahi::init();
    let (v, _case, h1) = case_and_hearing(&g, "2026-11-23");
    let h2 =
        g.run(&["hearing", "record", &v, &h1, "--status", "adjourned", "--next-date", "2026-12-07"]).ok().to_owned();
    g.run(&["update", &v, &h2, "--json", r#"{"date":"2026-12-10"}"#]).ok();
    let list = g.run(&["cause-list", &v, "--from", "2026-12-01", "--to", "2026-12-31", "--json"]).json();
    let days: Vec<(Value, Value)> = list
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["hearings"].as_array().cloned().unwrap_or_default())
        .map(|h| (h["date"].clone(), h["hearing_id"].clone()))
        .collect();
    assert_eq!(days, [(json!("2026-12-10"), json!(h2))]);
    g.run(&["delete", &v, &h2]).ok();
    let list = g.run(&["cause-list", &v, "--from", "2026-12-01", "--to", "2026-12-31", "--json"]).json();
    assert_eq!(list, json!([]), "no phantom hearing on the old date");
}

#[test]
fn fail_cause_list_and_deadlines_name_the_argument_at_fault() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let err: Value = serde_json::from_str(
        g.run(&["cause-list", &v, "--from", "2026-12-31", "--to", "2026-12-01", "--json"]).fails_with(5),
    )
    .expect("json");
    assert_eq!(err["field"], json!("to"), "{err}");
    // The last day of the calendar alone is a one-day list, not an error about --to.
    assert_eq!(g.run(&["cause-list", &v, "--from", "9999-12-31", "--json"]).json(), json!([]));
    let err: Value =
        serde_json::from_str(g.run(&["deadlines", &v, "--within", "4000", "--json"]).fails_with(5)).expect("json");
    assert_eq!(err["field"], json!("within"), "{err}");
}

#[test]
fn fail_add_section_in_another_spelling_returns_the_shipped_section() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let before = g.run(&["vocab", &v, "sections"]).ok().lines().count();
    for spelling in ["26-A", "26(A)", "26.a"] {
        let code =
            g.run(&["vocab", &v, "sections", "--add-section", spelling, "--parent", "peca_2016"]).ok().to_owned();
        assert_eq!(code, "peca_2016.26a", "{spelling}");
    }
    assert_eq!(g.run(&["vocab", &v, "sections"]).ok().lines().count(), before, "nothing added");
    let msg = g
        .run(&["vocab", &v, "sections", "--add-section", "34-Z", "--parent", "ppc_1860", "--en", "s.34-Z \u{202E}x"])
        .fails_with(5)
        .to_owned();
    assert!(!msg.contains('\u{202E}'), "{msg}");
}
