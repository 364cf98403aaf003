//! `gawahi camouflage VAULT [on|off]`: the vault's files get neutral names and back, every other
//! command works under them, bad input and folders that are not vaults are refused, a full disk
//! and read-only media rename nothing, and kill -9 at random moments leaves a vault that opens.

use std::process::Command;

use crate::wipe::vault_with_evidence;
use gawahi_e2e::{Gawahi, in_mount_namespace};

/// The names directly in the vault's folder, sorted.
fn names(g: &Gawahi) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&g.vault)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_neutral(g: &Gawahi) {
    for name in names(g) {
        let lower = name.to_lowercase();
        assert!(
            !["vault", "gawahi", "evidence", "blob"].iter().any(|w| lower.contains(w)),
            "{name} says what the folder is: {:?}",
            names(g)
        );
    }
}

#[test]
fn camouflage_on_and_off_renames_the_files_and_every_command_works_under_them() {
    let g = vault_with_evidence(2);
    let v = g.vault_str();
    assert!(g.command(&["camouflage", &v]).output().expect("run").stdout.starts_with(b"camouflage off"));
    assert_eq!(g.run(&["camouflage", &v, "on", "--json"]).json(), serde_json::json!({"camouflage": true}));
    assert_neutral(&g);
    for name in ["settings.bin", "notes.db", "cache.db", "session.bin", "attachments"] {
        assert!(names(&g).iter().any(|n| n == name), "{name}: {:?}", names(&g));
    }
    assert_eq!(g.run(&["camouflage", &v, "--json"]).json(), serde_json::json!({"camouflage": true}));
    // Every command finds the vault under its neutral names.
    assert!(g.run(&["check", &v]).ok().starts_with("ok: 1 records"), "check");
    g.run(&["evidence", "verify", &v]).ok();
    let rec = g.run(&["add", &v, "incident", "--json", r#"{"title": "after camouflage"}"#]).ok().to_owned();
    let file = g.tmp.path().join("files").join("more.txt");
    std::fs::write(&file, b"a later file").expect("write");
    g.run(&["evidence", "add", &v, &file.display().to_string(), "--record", &rec]).ok();
    g.run(&["unlock-limit", &v, "--set", "10"]).ok();
    assert_neutral(&g);
    // Switching on again changes nothing; off gives the files their own names back.
    g.run(&["camouflage", &v, "on"]).ok();
    assert!(g.run(&["camouflage", &v, "off"]).ok().starts_with("camouflage off"));
    for name in ["vault.header", "vault.db", "vault.aux", "vault.tries", "blobs"] {
        assert!(names(&g).iter().any(|n| n == name), "{name}: {:?}", names(&g));
    }
    assert!(g.run(&["check", &v]).ok().starts_with("ok: 2 records"));
    g.run(&["evidence", "verify", &v]).ok();
}

#[test]
fn fail_bad_states_and_folders_that_are_not_vaults_are_refused_and_nothing_is_echoed() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for bad in ["maybe", "ON\u{202e}", "", &"x".repeat(10_000), "on\nrm -rf"] {
        let run = g.run(&["camouflage", &v, bad, "--json"]);
        assert_eq!(run.code, 2, "{bad:?}: {run:#?}");
        assert!(bad.is_empty() || !run.stderr.contains(bad), "{run:#?}");
    }
    let mine = g.tmp.path().join("my \u{202e}documents\n");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("vault.db"), b"mine").expect("write");
    for target in [mine.display().to_string(), g.tmp.path().join("missing").display().to_string()] {
        for args in [vec!["camouflage", &target, "on"], vec!["camouflage", &target]] {
            let run = g.run(&args);
            assert_eq!(run.code, 4, "{run:#?}");
            assert!(!run.stderr.contains("documents"), "{run:#?}");
        }
    }
    assert!(mine.join("vault.db").is_file() && !mine.join("notes.db").exists());
    // A file under both names: exit 6, nothing renamed, neither copy used.
    std::fs::copy(g.vault.join("vault.header"), g.vault.join("settings.bin")).expect("copy");
    let before = names(&g);
    let err = g.run(&["check", &v, "--json"]).fails_with(6).to_owned();
    let err: serde_json::Value = serde_json::from_str(&err).expect("json");
    assert_eq!(err["code"], "file_names_clash");
    g.run(&["camouflage", &v, "on"]).fails_with(6);
    assert_eq!(names(&g), before);
}

#[test]
fn fail_a_full_disk_or_read_only_media_renames_nothing() {
    let g = vault_with_evidence(1);
    let script = r#"set -u
mount -t tmpfs -o size=16m,mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/vault" || exit 98
dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null; dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
echo "full $("$GAWAHI" camouflage "$MNT/vault" on >/dev/null 2>&1; echo $?)"
echo "names $(ls "$MNT/vault" | tr '\n' ' ')"
rm -f "$MNT/fill" "$MNT/fill2"
mount -o remount,ro "$MNT" || exit 97
echo "ro $("$GAWAHI" camouflage "$MNT/vault" on >/dev/null 2>&1; echo $?)"
echo "ro-names $(ls "$MNT/vault" | tr '\n' ' ')"
echo "check $("$GAWAHI" check "$MNT/vault" >/dev/null 2>&1; echo $?)"
"#;
    let text = in_mount_namespace(g.tmp.path(), script, &[("SRC", &g.vault)]);
    assert!(text.contains("full 7"), "a full disk exits 7: {text}");
    assert!(text.contains("ro 8"), "read-only media exit 8: {text}");
    for line in text.lines().filter(|l| l.starts_with("names") || l.starts_with("ro-names")) {
        assert!(line.contains("vault.header") && line.contains("vault.db") && line.contains("blobs"), "{text}");
        assert!(!line.contains("settings.bin") && !line.contains("notes.db"), "nothing renamed: {text}");
    }
    assert!(text.contains("check 0"), "the vault still opens for reading: {text}");
}

#[test]
fn fail_kill_9_at_random_moments_of_camouflage_leaves_a_vault_that_opens_whole() {
    let g = vault_with_evidence(20);
    let v = g.vault_str();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d ^ u64::from(std::process::id());
    for round in 0..20u64 {
        let to = if round % 2 == 0 { "on" } else { "off" };
        let child = g
            .command(&["camouflage", &v, to])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_micros(seed % 4000));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait_with_output();
        let check = g.run(&["check", &v]);
        assert_eq!(check.code, 0, "round {round}: {check:#?}");
        assert!(check.stdout.starts_with("ok: 1 records, 0 links"), "round {round}: {check:#?}");
        g.run(&["evidence", "verify", &v]).ok();
        // After the open, the files carry one set of names, never a mix.
        let listed = names(&g);
        let own = listed.iter().any(|n| n == "vault.header");
        let mixed = if own {
            listed
                .iter()
                .any(|n| ["settings.bin", "notes.db", "cache.db", "session.bin", "attachments"].contains(&n.as_str()))
        } else {
            listed.iter().any(|n| ["vault.db", "vault.aux", "vault.tries", "blobs", "vault.lock"].contains(&n.as_str()))
        };
        assert!(!mixed, "round {round}: {listed:?}");
    }
}
