//! `gawahi wipe VAULT --yes`: refuses without --yes and for folders that are not vaults; leaves
//! nothing and the passphrase opens nothing; killed at random moments, the next command finishes
//! it; a read-only folder inside the vault does not stop the other steps.

use std::path::Path;
use std::process::Command;

use gawahi_e2e::{Gawahi, PASSPHRASE, RunExt, built_binary, in_mount_namespace};

/// A vault with a record and `files` small evidence files.
pub(crate) fn vault_with_evidence(files: usize) -> Gawahi {
    let g = Gawahi::init();
    let v = g.vault_str();
    let rec = g.run(&["add", &v, "incident", "--json", r#"{"title": "raid on the office"}"#]).ok().to_owned();
    let dir = g.tmp.path().join("files");
    std::fs::create_dir(&dir).expect("mkdir");
    let mut args = vec!["evidence".to_owned(), "add".to_owned(), v.clone()];
    for i in 0..files {
        let path = dir.join(format!("photo-{i}.jpg"));
        std::fs::write(&path, format!("photo {i}").repeat(200)).expect("write");
        args.push(path.display().to_string());
    }
    args.extend(["--record".to_owned(), rec]);
    g.run(&args.iter().map(String::as_str).collect::<Vec<_>>()).ok();
    g
}

#[test]
fn wipe_leaves_nothing_and_the_passphrase_opens_nothing() {
    let g = vault_with_evidence(3);
    let v = g.vault_str();
    assert!(g.run(&["wipe", &v, "--yes"]).stderr.contains("wiped"));
    assert!(!g.vault.exists(), "the vault's folder is gone");
    // Its parent and what else is in it stay.
    assert!(g.tmp.path().join("files").join("photo-0.jpg").is_file());
    let err = g.run(&["check", &v]).fails_with(4).to_owned();
    assert!(err.contains("no vault"), "{err}");
    g.run(&["wipe", &v, "--yes"]).fails_with(4);
}

#[test]
fn fail_wipe_without_yes_refuses_and_changes_nothing() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let err = g.run(&["wipe", &v]).fails_with(2).to_owned();
    assert!(err.contains("--yes"), "{err}");
    assert!(!err.contains(&v), "the message does not repeat the path: {err}");
    let json = g.run(&["wipe", &v, "--json"]);
    assert_eq!(json.code, 2);
    let parsed: serde_json::Value = serde_json::from_str(json.stderr.trim()).expect("a JSON error");
    assert_eq!(parsed["code"], "usage");
    g.run(&["check", &v]).ok();
}

#[test]
fn fail_wipe_of_a_folder_that_is_not_a_vault_refuses_and_touches_nothing() {
    let g = Gawahi::new();
    let mine = g.tmp.path().join("my \u{202e}documents\n");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("letter.txt"), b"dear").expect("write");
    std::fs::write(mine.join("vault.header"), b"looks like one by name only").expect("write");
    let path = mine.display().to_string();
    for target in [path.as_str(), "/", "", "relative/none", &g.tmp.path().join("missing").display().to_string()] {
        let run = g.run(&["wipe", target, "--yes", "--json"]);
        assert!(run.code == 4 || (target.is_empty() && run.code == 2), "{target:?}: {run:#?}");
        assert!(!run.stderr.contains("documents"), "{run:#?}");
    }
    assert_eq!(std::fs::read(mine.join("letter.txt")).expect("kept"), b"dear");
    assert!(mine.join("vault.header").is_file());
    assert!(!mine.join("vault.wiping").exists());
}

#[test]
fn fail_kill_9_at_random_moments_of_a_wipe_then_the_next_command_finishes_it() {
    let template = vault_with_evidence(150);
    let mut outcomes = [0u32; 2];
    for round in 0..30u64 {
        let g = Gawahi::new();
        let status = Command::new("cp").arg("-a").arg(&template.vault).arg(&g.vault).status().expect("cp");
        assert!(status.success());
        let v = g.vault_str();
        let child = g.command(&["wipe", &v, "--yes"]).stderr(std::process::Stdio::null()).spawn().expect("spawn");
        // From before the process has started to after it has finished: a different moment each
        // round (the wipe itself takes a few milliseconds).
        std::thread::sleep(std::time::Duration::from_micros(round * 1000));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait_with_output();
        let started = g.vault.join("vault.wiping").exists() || !g.vault.exists();
        let check = g.run(&["check", &v]);
        if started {
            // Killed during the wipe (or after it): the next command finishes it.
            assert_eq!(check.code, 4, "round {round}: {check:#?}");
            outcomes[1] += 1;
        } else {
            // Killed before it began: the vault is whole and opens.
            assert_eq!(check.code, 0, "round {round}: {check:#?}");
            outcomes[0] += 1;
            continue;
        }
        assert!(!g.vault.exists(), "round {round}: the folder is gone after the next command");
        let again =
            Command::new(built_binary("gawahi")).args(["get", &v, "x"]).env("GAWAHI_PASSPHRASE", PASSPHRASE).run();
        assert_eq!(again.code, 4, "round {round}");
    }
    eprintln!("wipes killed before they began: {}, during or after: {}", outcomes[0], outcomes[1]);
    assert!(outcomes[1] > 0, "no round killed a wipe under way: {outcomes:?}");
}

#[test]
fn fail_a_read_only_folder_inside_the_vault_gets_a_specific_error_and_the_rest_is_done() {
    let g = vault_with_evidence(2);
    let v = g.vault_str();
    let script = r#"set -u
mount --bind "$V/blobs" "$V/blobs" || exit 99
mount -o remount,ro,bind "$V/blobs" || exit 98
"$GAWAHI" wipe "$V" --yes --json 2>"$OUT/stderr"; echo $? >"$OUT/code"
ls -A "$V" >"$OUT/left"
"$GAWAHI" check "$V" 2>"$OUT/check-stderr"; echo $? >"$OUT/check-code"
"#;
    let out_dir = g.tmp.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    in_mount_namespace(g.tmp.path(), script, &[("V", &g.vault), ("OUT", &out_dir)]);
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).expect("output");
    assert_eq!(read("code").trim(), "1", "{}", read("stderr"));
    let err: serde_json::Value = serde_json::from_str(read("stderr").trim()).expect("a JSON error");
    assert_eq!(err["code"], "wipe_incomplete");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(message.contains("blobs") && message.contains("key header is destroyed"), "{message}");
    // Everything but the read-only folder and the marker is gone.
    let mut left: Vec<String> = read("left").lines().map(str::to_owned).collect();
    left.sort();
    assert_eq!(left, ["blobs", "vault.wiping"]);
    // While the folder stays read-only, opening retries the wipe and says it is still incomplete.
    assert_eq!(read("check-code").trim(), "1", "{}", read("check-stderr"));
    // Outside the namespace the folder is writable again: the next command finishes the wipe.
    g.run(&["check", &v]).fails_with(4);
    assert!(!Path::new(&v).exists());
}
