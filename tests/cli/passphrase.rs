use gawahi_e2e::{Gawahi, PASSPHRASE, RunExt};

#[test]
fn passwd_retires_the_old_passphrase_and_keeps_the_records() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    let id = g.run(&["add", &v, "task", "--json", r#"{"title": "ضمانت کی تیاری"}"#]).ok().to_owned();
    g.run_new(&["passwd", &v], "the new passphrase").ok();
    let msg = g.run(&["get", &v, &id]).fails_with(3).to_owned();
    assert!(msg.contains("wrong passphrase"));
    g.with_passphrase("the new passphrase");
    assert!(g.run(&["get", &v, &id]).ok().contains("ضمانت کی تیاری"));
    assert!(g.run(&["log", &v]).ok().contains("vault.passphrase_change"));
}

#[test]
fn fail_passwd_with_the_wrong_current_passphrase_exits_3_and_changes_nothing() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    g.with_passphrase("a wrong guess");
    g.run_new(&["passwd", &v], "attacker's choice").fails_with(3);
    g.with_passphrase(PASSPHRASE);
    g.run(&["list", &v, "task"]).ok();
}

#[test]
fn passphrase_files_are_read_without_their_line_ending() {
    let g = Gawahi::new();
    let v = g.vault_str();
    let new = g.tmp.path().join("new");
    std::fs::write(&new, "پاس فریز with Urdu\n").expect("write");
    g.command(&["init", &v, "--kdf-target-ms", "1", "--new-passphrase-file", &new.display().to_string()]).run().ok();
    let current = g.tmp.path().join("current");
    std::fs::write(&current, "پاس فریز with Urdu\r\n").expect("write");
    g.command(&["list", &v, "task", "--passphrase-file", &current.display().to_string()]).run().ok();
    g.command(&["list", &v, "task"]).env("GAWAHI_PASSPHRASE", "پاس فریز with Urdu").run().ok();
    g.command(&["list", &v, "task", "--passphrase-file", "/nonexistent"]).run().fails_with(5);
}
