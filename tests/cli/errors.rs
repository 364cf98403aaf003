use gawahi_e2e::{Gawahi, RunExt};
use serde_json::json;

#[test]
fn fail_usage_errors_exit_2() {
    let g = Gawahi::init();
    let v = g.vault_str();
    assert_eq!(g.run(&["frobnicate"]).code, 2);
    assert_eq!(g.run(&["add", &v, "incident"]).code, 2, "no body given");
    assert!(g.run(&["add", &v, "spaceship", "--json", "{}"]).fails_with(2).contains("unknown kind of record"));
    assert_eq!(g.run(&["export", &v]).code, 2, "plaintext export needs --json");
}

#[test]
fn fail_no_passphrase_and_no_terminal_is_a_usage_error() {
    let g = Gawahi::init();
    let msg = g.command(&["list", &g.vault_str(), "task"]).run().fails_with(2).to_owned();
    assert!(msg.contains("GAWAHI_PASSPHRASE"), "{msg}");
}

#[test]
fn fail_wrong_passphrase_exits_3_with_a_clear_message() {
    let mut g = Gawahi::init();
    g.with_passphrase("not the passphrase");
    let msg = g.run(&["list", &g.vault_str(), "task"]).fails_with(3).to_owned();
    assert!(msg.contains("wrong passphrase"), "{msg}");
    let json_msg = g.run(&["list", &g.vault_str(), "task", "--json"]).fails_with(3).to_owned();
    let v: serde_json::Value = serde_json::from_str(&json_msg).expect("json error");
    assert_eq!(v["code"], json!("wrong_passphrase"));
    assert!(v["message"].as_str().is_some_and(|m| m.contains("try again")));
}

#[test]
fn fail_no_vault_or_record_exits_4() {
    let g = Gawahi::new();
    assert!(g.run(&["list", &g.vault_str(), "task"]).fails_with(4).contains("no vault"));
    let g = Gawahi::init();
    let msg = g.run(&["get", &g.vault_str(), "01900000-0000-7000-8000-000000000000"]).fails_with(4).to_owned();
    assert!(msg.contains("no record"), "{msg}");
}

#[test]
fn fail_invalid_input_exits_5_names_the_field_and_saves_nothing() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for (body, field, reason) in [
        (r#"{"title": "t", "colour": "red"}"#, "", "unknown_field"),
        (r#"{"title": "t", "province": "sindh", "district": "punjab.lahore"}"#, "district", "district_not_in_province"),
        (r#"{"title": "t", "occurred_on": "yesterday"}"#, "occurred_on", "not_a_partial_date"),
        (r#"["not", "an", "object"]"#, "", "wrong_type"),
        (r#"{"title": "#, "", "wrong_type"),
    ] {
        let err = g.run(&["add", &v, "incident", "--json", body]).fails_with(5).to_owned();
        let e: serde_json::Value = serde_json::from_str(&err).expect("--json gives a JSON error");
        assert_eq!(e["code"], json!("invalid_input"));
        assert_eq!(e["reason"], json!(reason), "{err}");
        if !field.is_empty() {
            assert_eq!(e["field"], json!(field), "{err}");
            assert!(e["message"].as_str().is_some_and(|m| m.contains(field)), "{err}");
        }
    }
    let charge = r#"{"title": "t", "charges": [{"statute": "peca_2016", "section": "999"}]}"#;
    let err = g
        .command(&["add", &v, "case", "--file", "/nonexistent"])
        .env("GAWAHI_PASSPHRASE", gawahi_e2e::PASSPHRASE)
        .run();
    err.fails_with(5);
    let msg = g.run(&["add", &v, "case", "--json", charge]).fails_with(5).to_owned();
    assert!(msg.contains("charges[0].section"), "{msg}");
    assert_eq!(g.run(&["list", &v, "incident"]).ok(), "");
    assert_eq!(g.run(&["list", &v, "case"]).ok(), "");
}

#[test]
fn fail_init_refuses_an_existing_vault_and_a_weak_passphrase() {
    let g = Gawahi::init();
    let msg =
        g.run_new(&["init", &g.vault_str(), "--kdf-target-ms", "1"], "another passphrase").fails_with(1).to_owned();
    assert!(msg.contains("already exists"), "{msg}");
    let fresh = Gawahi::new();
    let msg = fresh.run_new(&["init", &fresh.vault_str(), "--kdf-target-ms", "1"], "short").fails_with(5).to_owned();
    assert!(msg.contains("at least 8"), "{msg}");
    assert!(!fresh.vault.join("vault.header").exists());
}

/// A value that must never come back in an error: what was typed may be a passphrase or a name.
const CANARY: &str = "canary-9d2e4b";

#[test]
fn fail_usage_errors_with_json_are_one_line_of_json_that_repeats_nothing_typed() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let bad_kind = format!("{CANARY}\u{1b}[2J");
    for (args, names) in [
        (vec!["list", &v, "task", "--json", "--limit", CANARY], "--limit"),
        (vec!["vocab", &v, "courts", "--json", "--lang", CANARY], "--lang"),
        (vec!["list", &v, "task", "--json", CANARY], "unexpected argument"),
        (vec!["list", &v, "task", "--json", &format!("--{CANARY}")], "unexpected argument"),
        (vec![CANARY, &v, "--json"], "unknown command"),
        (vec!["--json"], "gawahi --help"),
        (vec!["list", "--json"], "<VAULT>"),
        (vec!["add", &v, "task", "--json", "{}", "--file", CANARY], "--file"),
        (vec!["add", &v, &bad_kind, "--json", "{}"], "unknown kind of record"),
    ] {
        let run = g.run(&args);
        let err = run.fails_with(2);
        let e: serde_json::Value =
            serde_json::from_str(err).unwrap_or_else(|x| panic!("{args:?}: not one line of JSON ({x}): {err}"));
        assert_eq!(e["code"], json!("usage"), "{args:?}: {err}");
        let message = e["message"].as_str().unwrap_or_else(|| panic!("{args:?}: no message: {err}"));
        assert!(message.contains(names), "{args:?}: {message}");
        assert!(!run.stderr.contains(CANARY) && !run.stdout.contains(CANARY), "{args:?} echoed the value: {run:#?}");
    }
}

#[test]
fn fail_an_unknown_kind_is_not_repeated_without_json_either() {
    let g = Gawahi::init();
    let msg = g.run(&["list", &g.vault_str(), CANARY]).fails_with(2).to_owned();
    assert!(msg.contains("unknown kind of record; use one of: person,"), "{msg}");
    assert!(!msg.contains(CANARY), "{msg}");
}

#[test]
fn help_and_version_print_as_usual_with_json() {
    let g = Gawahi::new();
    let help = g.run(&["list", "--help", "--json"]);
    assert_eq!(help.code, 0, "{help:#?}");
    assert!(help.stdout.contains("Usage: gawahi list"), "{help:#?}");
    let version = g.run(&["--version", "--json"]);
    assert_eq!(version.code, 0, "{version:#?}");
    assert!(version.stdout.starts_with("gawahi "), "{version:#?}");
}

#[test]
fn fail_no_error_repeats_what_was_typed_through_add_update_or_import_plain_or_json() {
    const CANARY: &str = "zqxcanary5521";
    let g = Gawahi::init();
    let v = g.vault_str();
    let id = g.run(&["add", &v, "incident", "--json", r#"{"title": "t"}"#]).ok().to_owned();
    let probes = [
        json!({"title": "t", "province": CANARY}),
        json!({"title": "t", "occurred_on": CANARY}),
        json!({"title": "t", "incident_types": [CANARY]}),
        json!({"title": "t", "latitude": CANARY}),
        json!({"title": "t", "verification_status": CANARY}),
        json!({"title": "t", CANARY: 1}),
        json!({"title": [CANARY]}),
        json!({"title": "t", "description": format!("{CANARY}\u{0}")}),
        json!({"title": format!("{CANARY}\n\u{1b}[2J")}),
        json!({"title": CANARY.repeat(5_000)}),
    ];
    let file = g.tmp.path().join("import.jsonl");
    for probe in probes {
        let body = probe.to_string();
        let mut line = probe.clone();
        line["kind"] = json!("incident");
        std::fs::write(&file, format!("{line}\n")).expect("write");
        let runs = [
            g.run(&["add", &v, "incident", "--json", &body]),
            g.run(&["update", &v, &id, "--json", &body]),
            g.run(&["import", &v, &file.display().to_string()]),
        ];
        for run in runs {
            assert_eq!(run.code, 5, "{run:#?}");
            assert!(!run.stderr.contains(CANARY) && !run.stdout.contains(CANARY), "{probe}: {run:#?}");
            assert_eq!(run.stderr.trim().lines().count(), 1, "{run:#?}");
            assert!(run.stderr.len() < 800, "{} bytes", run.stderr.len());
        }
    }
    // Ids and kinds typed on the command line.
    for run in [
        g.run(&["get", &v, CANARY]),
        g.run(&["update", &v, CANARY, "--json", "{}"]),
        g.run(&["delete", &v, CANARY]),
        g.run(&["link", &v, &id, CANARY, "--role", "victim"]),
        g.run(&["list", &v, CANARY, "--json"]),
        g.run(&["vocab", &v, CANARY]),
    ] {
        assert!(!run.stderr.contains(CANARY), "{run:#?}");
    }
}

#[test]
fn fail_a_relative_vault_path_that_starts_with_file_is_that_folder() {
    let g = Gawahi::new();
    let wd = g.tmp.path();
    let run = |args: &[&str]| {
        g.command(args)
            .current_dir(wd)
            .env("GAWAHI_PASSPHRASE", gawahi_e2e::PASSPHRASE)
            .env("GAWAHI_NEW_PASSPHRASE", gawahi_e2e::PASSPHRASE)
            .run()
    };
    run(&["init", "V", "--kdf-target-ms", "1"]).ok();
    run(&["add", "V", "task", "--json", r#"{"title": "in V"}"#]).ok();
    run(&["init", "file:V", "--kdf-target-ms", "1"]).ok();
    run(&["add", "file:V", "task", "--json", r#"{"title": "in file:V"}"#]).ok();
    assert!(!run(&["list", "V", "task"]).ok().contains("in file:V"), "file:V wrote into V");
    assert!(run(&["list", "file:V", "task"]).ok().contains("in file:V"));
}

#[test]
fn fail_usage_and_path_errors_repeat_nothing_typed_without_json_either() {
    const CANARY: &str = "zqxcanary9931";
    let g = Gawahi::init();
    let v = g.vault_str();
    let plain = g.tmp.path().join("plainfile");
    std::fs::write(&plain, b"").expect("file");
    let through_a_file = plain.join(CANARY).display().to_string();
    for run in [
        g.run(&["list", &v, "task", "--limit", CANARY]),
        g.run(&[CANARY]),
        g.run(&["get", &v, "id", &format!("--{CANARY}")]),
        g.run(&["vocab", &v, "courts", "--lang", CANARY]),
        g.run_new(&["init", &through_a_file, "--kdf-target-ms", "1"], gawahi_e2e::PASSPHRASE),
        g.run(&["list", &through_a_file, "task"]),
    ] {
        assert!(!run.stderr.contains(CANARY), "{run:#?}");
        assert_eq!(run.stderr.trim().lines().count(), 1, "{run:#?}");
        assert_ne!(run.code, 0);
    }
}

#[test]
fn init_and_report_say_what_they_did_without_repeating_the_paths_given() {
    // A path is what the user typed and may name a client or a case, so what a command says on
    // success names only the vault's own files; a control character in the path must not reach
    // the terminal either.
    const CANARY: &str = "qwcanary7714";
    let g = Gawahi::new();
    let vault = g.tmp.path().join(format!("{CANARY}-client\u{1b}[2J")).display().to_string();
    let init = g.run_new(&["init", &vault, "--kdf-target-ms", "1"], gawahi_e2e::PASSPHRASE);
    init.ok();
    assert!(init.stderr.contains("created the vault"), "{init:#?}");
    let out = g.tmp.path().join(format!("{CANARY}-report.pdf")).display().to_string();
    let report = g.command(&["report", &vault, "--out", &out]).env("GAWAHI_PASSPHRASE", gawahi_e2e::PASSPHRASE).run();
    report.ok();
    assert!(report.stderr.contains("wrote the report"), "{report:#?}");
    for run in [&init, &report] {
        assert!(!run.stderr.contains(CANARY) && !run.stdout.contains(CANARY), "{run:#?}");
        assert!(!run.stderr.contains('\u{1b}'), "{run:#?}");
    }
}
