//! `gawahi duress VAULT set|clear` and `gawahi unlock-limit VAULT`: the duress passphrase from
//! the environment or a file, decoy and wipe modes end to end, the warning before the last try,
//! and bad input.

use gawahi_e2e::{Gawahi, PASSPHRASE, RunExt};

const DURESS: &str = "tea garden blue umbrella";

fn titles(g: &Gawahi) -> String {
    g.run(&["list", &g.vault_str(), "incident"]).ok().to_owned()
}

#[test]
fn decoy_mode_from_the_environment_opens_the_decoy_and_the_real_passphrase_the_real_vault() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["add", &v, "incident", "--json", r#"{"title": "REAL-CANARY raid"}"#]).ok();
    let set = g
        .command(&["duress", &v, "set", "--mode", "decoy"])
        .env("GAWAHI_PASSPHRASE", PASSPHRASE)
        .env("GAWAHI_DURESS_PASSPHRASE", DURESS)
        .run();
    assert!(set.ok().is_empty() && set.stderr.contains("decoy"), "{}", set.stderr);
    g.with_passphrase(DURESS);
    assert!(!titles(&g).contains("REAL-CANARY"), "the decoy never shows the real records");
    g.run(&["add", &v, "incident", "--json", r#"{"title": "a decoy note"}"#]).ok();
    g.run(&["check", &v]).ok();
    g.with_passphrase(PASSPHRASE);
    let real = titles(&g);
    assert!(real.contains("REAL-CANARY") && !real.contains("a decoy note"), "{real}");
    g.run(&["duress", &v, "clear"]).ok();
    g.with_passphrase(DURESS);
    g.run(&["list", &v, "incident"]).fails_with(3);
}

#[test]
fn wipe_mode_from_a_file_wipes_and_shows_an_empty_vault() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["add", &v, "incident", "--json", r#"{"title": "REAL-CANARY detained"}"#]).ok();
    let file = g.tmp.path().join("duress.txt");
    std::fs::write(&file, format!("{DURESS}\n")).expect("write");
    g.run(&["duress", &v, "set", "--mode", "wipe", "--duress-passphrase-file", &file.display().to_string()]).ok();
    g.with_passphrase(DURESS);
    assert!(!titles(&g).contains("REAL-CANARY"), "an empty vault is shown");
    g.run(&["check", &v]).ok();
    g.with_passphrase(PASSPHRASE);
    g.run(&["list", &v, "incident"]).fails_with(3);
}

#[test]
fn fail_duress_bad_input_is_refused_without_echo() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let same = g
        .command(&["duress", &v, "set", "--mode", "wipe"])
        .env("GAWAHI_PASSPHRASE", PASSPHRASE)
        .env("GAWAHI_DURESS_PASSPHRASE", PASSPHRASE)
        .run();
    assert_eq!(same.code, 5, "{}", same.stderr);
    assert!(!same.stderr.contains(PASSPHRASE));
    let short = g
        .command(&["duress", &v, "set", "--mode", "decoy"])
        .env("GAWAHI_PASSPHRASE", PASSPHRASE)
        .env("GAWAHI_DURESS_PASSPHRASE", "\u{202e}x\u{1b}")
        .run();
    assert_eq!(short.code, 5, "{}", short.stderr);
    assert!(!short.stderr.contains('\u{202e}') && !short.stderr.contains('\u{1b}'));
    let mode = g.run(&["duress", &v, "set", "--mode", "\u{202e}evil"]);
    assert_eq!(mode.code, 2);
    assert!(!mode.stderr.contains('\u{202e}'), "{}", mode.stderr);
    // No duress passphrase and no terminal: a usage error, nothing changed.
    g.run(&["duress", &v, "set", "--mode", "decoy"]).fails_with(2);
}

#[test]
fn unlock_limit_warns_before_the_last_try_and_wipes_at_the_limit() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    assert!(g.run(&["unlock-limit", &v]).ok().contains("no limit"));
    assert_eq!(g.run(&["unlock-limit", &v, "--set", "5", "--json"]).json()["unlock_limit"], 5);
    g.with_passphrase("a wrong guess here");
    for n in 1..=4 {
        let r = g.run(&["list", &v, "incident"]);
        assert_eq!(r.code, 3, "try {n}");
        assert!(!r.stderr.contains("one try left"), "try {n}: not yet the last: {}", r.stderr);
    }
    let last = g.run(&["list", &v, "incident"]);
    assert!(last.stderr.contains("one try left"), "warned before the last try: {}", last.stderr);
    assert_eq!(last.code, 3, "the same error as any wrong passphrase");
    g.with_passphrase(PASSPHRASE);
    g.run(&["list", &v, "incident"]).fails_with(4);
}

#[test]
fn fail_unlock_limit_bad_values_are_refused() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for bad in ["7", "0", "-1", "99999999999999999999", "\u{202e}5", "five"] {
        let r = g.run(&["unlock-limit", &v, "--set", bad]);
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(!r.stderr.contains('\u{202e}'));
    }
    assert!(g.run(&["unlock-limit", &v]).ok().contains("no limit"));
}
