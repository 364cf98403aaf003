use gawahi_e2e::Gawahi;

fn flip(path: &std::path::Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x01;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn fail_a_corrupt_header_exits_6() {
    let g = Gawahi::init();
    flip(&g.vault.join("vault.header"), 100);
    let msg = g.run(&["list", &g.vault_str(), "task"]).fails_with(6).to_owned();
    assert!(msg.contains("key header is damaged"), "{msg}");
    assert!(msg.contains("backup"), "says what to do next: {msg}");
}

#[test]
fn fail_a_flipped_page_exits_6_from_get_and_check_and_the_rest_still_reads() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let intact = g.run(&["add", &v, "task", "--json", r#"{"title": "intact"}"#]).ok().to_owned();
    let db = g.vault.join("vault.db");
    let before = std::fs::metadata(&db).expect("db").len() as usize;
    let big = serde_json::json!({"title": "big", "description": "ق".repeat(60_000)}).to_string();
    let damaged = g.run(&["add", &v, "incident", "--json", &big]).ok().to_owned();
    let after = std::fs::metadata(&db).expect("db").len() as usize;
    for page in (before..after).step_by(gawahi_core::db::PAGE_SIZE) {
        flip(&db, page + gawahi_core::db::PAGE_SIZE / 2);
    }
    let get = g.run(&["get", &v, &damaged]);
    assert!(get.fails_with(6).contains("damaged"), "{get:?}");
    assert!(!get.stdout.contains("ق"), "nothing from the damaged part is printed");
    assert!(g.run(&["get", &v, &intact]).ok().contains("intact"));
    let check = g.run(&["check", &v]);
    assert_eq!(check.code, 6, "{check:?}");
    assert!(check.stdout.contains("fail their MAC"), "{check:?}");
}

#[test]
fn fail_an_edited_audit_row_makes_check_exit_6_naming_the_entry() {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["add", &v, "task", "--json", r#"{"title": "one"}"#]).ok();
    g.run(&["add", &v, "task", "--json", r#"{"title": "two"}"#]).ok();
    g.run(&["check", &v]).ok();
    // Edit entry 2 behind the app's back, as someone holding the key could.
    let vault =
        gawahi_core::Vault::unlock(&g.vault, &gawahi_core::SecretString::from(gawahi_e2e::PASSPHRASE)).expect("unlock");
    vault.tamper_for_tests("UPDATE audit_log SET action = 'record.update' WHERE seq = 2").expect("tamper");
    vault.lock();
    let check = g.run(&["check", &v]);
    assert_eq!(check.code, 6, "{check:?}");
    assert!(check.stdout.contains("audit entry 2 (record.update"), "{check:?}");
    assert!(check.stderr.contains("integrity check failed"), "{check:?}");
    let report = g.run(&["check", &v, "--json"]);
    let parsed: serde_json::Value = serde_json::from_str(&report.stdout).expect("json report");
    assert!(parsed["problems"][0].as_str().is_some_and(|p| p.starts_with("audit entry 2")));
}

#[test]
fn fail_check_refuses_an_empty_truncated_or_swapped_database_and_names_which() {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["add", &v, "task", "--json", r#"{"title": "t"}"#]).ok();
    let db = g.vault.join("vault.db");
    let whole = std::fs::read(&db).expect("db");
    let other = Gawahi::init();
    let foreign = std::fs::read(other.vault.join("vault.db")).expect("other db");
    for (bytes, word) in [
        (Vec::new(), "is empty"),
        (whole[..1].to_vec(), "is truncated"),
        (whole[..whole.len() - 100].to_vec(), "is truncated"),
        (foreign, "does not belong to this key header"),
    ] {
        std::fs::write(&db, &bytes).expect("replace");
        for cmd in [vec!["check", v.as_str()], vec!["list", v.as_str(), "task"]] {
            let msg = g.run(&cmd).fails_with(6).to_owned();
            assert!(msg.contains(word), "{cmd:?}: {msg}");
            assert!(msg.contains("backup"), "{msg}");
        }
        assert_eq!(std::fs::read(&db).expect("db"), bytes, "nothing was written into it");
    }
    std::fs::remove_file(&db).expect("rm");
    assert!(g.run(&["check", &v]).fails_with(6).contains("is missing"));
    assert!(!db.exists());
}
