//! `gawahi recovery split|restore`: share files of mode 0600 with words and a QR code; any k
//! restore a new passphrase; k-1, a mistyped word, another vault's shares and bad counts refused.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use gawahi_e2e::{Gawahi, PASSPHRASE};

const NEW: &str = "restored long passphrase";

/// Splits the vault of `g` k of n into a new folder; returns the folder.
fn split(g: &Gawahi, k: &str, n: &str) -> PathBuf {
    let out = g.tmp.path().join(format!("shares-{k}-{n}"));
    let run = g.run(&[
        "recovery",
        "split",
        &g.vault_str(),
        "--threshold",
        k,
        "--shares",
        n,
        "--out",
        &out.display().to_string(),
    ]);
    run.ok();
    assert!(run.stderr.contains("any"), "{run:#?}");
    out
}

fn file(dir: &std::path::Path, x: u32, n: u32) -> String {
    dir.join(format!("share-{x}-of-{n}.txt")).display().to_string()
}

#[test]
fn split_then_restore_with_any_k_sets_a_new_passphrase() {
    let mut g = Gawahi::init();
    let v = g.vault_str();
    let id = g.run(&["add", &v, "incident", "--json", r#"{"title": "چھاپہ"}"#]).ok().to_owned();
    let out = split(&g, "3", "5");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in &names {
        let meta = std::fs::metadata(out.join(name)).expect("file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
    }
    let text = std::fs::read_to_string(out.join("share-2-of-5.txt")).expect("share");
    assert!(text.contains("share 2 of 5") && text.contains("any 3"), "{text}");
    assert_eq!(text.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).count(), 38 + 7);
    let svg = std::fs::read_to_string(out.join("share-2-of-5.svg")).expect("qr");
    assert!(svg.contains("<svg"));

    let restored =
        g.run_new(&["recovery", "restore", &v, &file(&out, 5, 5), &file(&out, 1, 5), &file(&out, 3, 5)], NEW);
    restored.ok();
    g.run(&["get", &v, &id]).fails_with(3);
    g.with_passphrase(NEW);
    assert!(g.run(&["get", &v, &id]).ok().contains("چھاپہ"));
    g.run(&["check", &v]).ok();
    let log = g.run(&["log", &v]).ok().to_owned();
    assert!(log.contains("recovery.split") && log.contains("recovery.restore"), "{log}");
}

#[test]
fn fail_k_minus_one_shares_a_mistyped_word_and_another_vaults_shares_are_refused() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let out = split(&g, "2", "3");
    let err = g.run_new(&["recovery", "restore", &v, &file(&out, 2, 3)], NEW).fails_with(5).to_owned();
    assert!(err.contains("1 different share(s) given, and this set needs 2"), "{err}");

    // One word changed into another word of the list: only the checksum catches it.
    let text = std::fs::read_to_string(file(&out, 1, 3)).expect("share");
    let typo = g.tmp.path().join("typo.txt");
    let first_word =
        text.lines().find(|l| !l.starts_with('#')).and_then(|l| l.split_whitespace().nth(1)).expect("word");
    let other = if first_word == "zoo" { "abandon" } else { "zoo" };
    std::fs::write(&typo, text.replacen(&format!(" {first_word} "), &format!(" {other} "), 1)).expect("write");
    let err = g
        .run_new(&["recovery", "restore", &v, &typo.display().to_string(), &file(&out, 2, 3)], NEW)
        .fails_with(5)
        .to_owned();
    assert!(err.contains("share 1") && err.contains("checksum"), "{err}");
    // A word not in the list, hostile: named by its place, never repeated.
    let hostile = g.tmp.path().join("hostile.txt");
    std::fs::write(&hostile, text.replacen(&format!(" {first_word} "), " \u{202e}\u{1b}[2Jevil ", 1)).expect("write");
    let err = g
        .run_new(&["recovery", "restore", &v, &hostile.display().to_string(), &file(&out, 2, 3)], NEW)
        .fails_with(5)
        .to_owned();
    assert!(err.contains("share 1: word 1 is not in the word list"), "{err}");
    assert!(!err.contains("evil") && !err.contains('\u{1b}'), "{err}");

    let other_vault = Gawahi::init();
    let foreign = split(&other_vault, "2", "3");
    let err = g
        .run_new(&["recovery", "restore", &v, &file(&foreign, 1, 3), &file(&foreign, 2, 3)], NEW)
        .fails_with(5)
        .to_owned();
    assert!(err.contains("another vault"), "{err}");
    let json = g.run_new(&["recovery", "restore", &v, &file(&foreign, 1, 3), &file(&out, 2, 3), "--json"], NEW);
    let parsed: serde_json::Value = serde_json::from_str(json.stderr.trim()).expect("JSON error");
    assert_eq!(parsed["code"], "recovery_shares");
    // Nothing changed.
    g.run(&["check", &v]).ok();
    let _ = PASSPHRASE;
}

#[test]
fn fail_bad_counts_and_taken_files_are_refused() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let out = g.tmp.path().join("out").display().to_string();
    for (k, n, code) in [
        ("0", "3", 5),
        ("4", "3", 5),
        ("1", "0", 5),
        ("2", "256", 5),
        ("-1", "3", 2),
        ("x", "3", 2),
        ("99999999999999999999999", "3", 2),
    ] {
        let run = g.run(&["recovery", "split", &v, "--threshold", k, "--shares", n, "--out", &out]);
        run.fails_with(code);
        assert!(!run.stderr.contains("99999"), "{run:#?}");
    }
    assert!(!std::path::Path::new(&out).join("share-1-of-3.txt").exists());
    split(&g, "1", "2");
    let again = g.run(&[
        "recovery",
        "split",
        &v,
        "--threshold",
        "1",
        "--shares",
        "2",
        "--out",
        &g.tmp.path().join("shares-1-2").display().to_string(),
    ]);
    assert!(again.fails_with(5).contains("already exists"));
    // Restore needs at least one file; a missing one is named by its place.
    g.run_new(&["recovery", "restore", &v], NEW).fails_with(2);
    let err = g.run_new(&["recovery", "restore", &v, "/nonexistent/share.txt"], NEW).fails_with(5).to_owned();
    assert!(err.contains("share file 1") && !err.contains("nonexistent"), "{err}");
}
