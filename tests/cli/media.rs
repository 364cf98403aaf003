//! A full disk and read-only media are what they are, not "damaged or tampered": reading works,
//! writing says why it cannot, and nothing saved is lost. Each test puts a vault on a small tmpfs
//! in a private mount namespace (`unshare -m`, so nothing outside the test sees it), fills it or
//! remounts it read-only, and runs the real CLI there. These tests need root (or unprivileged
//! user namespaces), as CI and this project's machines have.

use std::path::Path;
use std::process::Command;

use gawahi_e2e::{Gawahi, PASSPHRASE, RunExt, in_mount_namespace};

/// Runs `script` in a private mount namespace with a small tmpfs at `$MNT` holding a copy of the
/// vault at `$MNT/vault`, and `$GAWAHI` set; returns what it printed. Every `run NAME ARGS…` in
/// the script prints `NAME <exit code>` and the command's stderr.
fn on_small_tmpfs(g: &Gawahi, setup: &str, script: &str) -> String {
    let full = format!(
        r#"set -u
mount -t tmpfs -o size=8m,mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/vault" || exit 98
run() {{ name=$1; shift; out=$("$GAWAHI" "$@" 2>&1 >/dev/null); echo "$name $?"; echo "$out" | sed "s/^/  /"; }}
{setup}
{script}
"#
    );
    in_mount_namespace(g.tmp.path(), &full, &[("SRC", &g.vault), ("GAWAHI_NEW_PASSPHRASE", &"another long passphrase")])
}

fn exit_of(output: &str, name: &str) -> i32 {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")).and_then(|c| c.trim().parse().ok()))
        .unwrap_or_else(|| panic!("{name} did not run: {output}"))
}

fn message_of<'o>(output: &'o str, name: &str) -> &'o str {
    let start = output.find(&format!("{name} ")).unwrap_or_else(|| panic!("{name}: {output}"));
    output[start..].lines().nth(1).unwrap_or_default().trim()
}

/// The reads in [`READS`] succeed; every write exits `code` with a message holding every word of
/// `says`, and never calls the vault damaged.
fn reads_work_and_writes_say_why(out: &str, code: i32, says: &[&str]) {
    // A search of the last word's beginning reads the index's list of words, a table each
    // connection makes for itself: on read-only media too.
    for read in ["get", "list", "search", "check"] {
        assert_eq!(exit_of(out, read), 0, "{read} reads the vault: {out}");
    }
    for write in ["export", "add", "passwd", "rotate"] {
        assert_eq!(exit_of(out, write), code, "{write}: {out}");
        let msg = message_of(out, write);
        assert!(says.iter().all(|w| msg.contains(w)), "{write}: {msg}");
        assert!(!msg.contains("tamper") && !msg.contains("damaged"), "{write}: {msg}");
    }
}

/// Imports `n` incidents with long Urdu narratives, so that copying the database takes a while.
fn import_incidents(g: &Gawahi, n: usize) {
    let description = "تفصیل ".repeat(600);
    let mut lines = String::new();
    for i in 0..n {
        let line = serde_json::json!({"kind": "incident", "title": format!("واقعہ {i}"), "description": description});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let file = g.tmp.path().join("incidents.jsonl");
    std::fs::write(&file, lines).expect("write");
    g.run(&["import", &g.vault_str(), &file.display().to_string()]).ok();
}

fn vault_with_records() -> (Gawahi, String) {
    let g = Gawahi::init();
    let v = g.vault_str();
    let id = g.run(&["add", &v, "task", "--json", r#"{"title": "safe and sound"}"#]).ok().to_owned();
    g.run(&["add", &v, "incident", "--json", r#"{"title": "چھاپہ"}"#]).ok();
    (g, id)
}

fn assert_intact(g: &Gawahi, id: &str) {
    let v = g.vault_str();
    assert!(g.run(&["get", &v, id]).ok().contains("safe and sound"));
    assert!(g.run(&["check", &v]).ok().contains("2 records"));
}

const READS: &str = r#"
run get get "$MNT/vault" "$ID"
run list list "$MNT/vault" task
run search search "$MNT/vault" "چھا"
run check check "$MNT/vault"
run export export "$MNT/vault" --json
run add add "$MNT/vault" task --json '{"title": "cannot be written"}'
run passwd passwd "$MNT/vault"
run rotate passwd "$MNT/vault" --rotate
"#;

#[test]
fn fail_a_full_disk_is_not_called_tampering_and_reading_works() {
    let (g, id) = vault_with_records();
    let fill = r#"dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null; echo "free $(df --output=avail -B1 "$MNT" | tail -1)""#;
    let after = r#"rm -f "$MNT/fill" "$MNT/fill2"
run get_after get "$MNT/vault" "$ID"
run check_after check "$MNT/vault"
run add_after add "$MNT/vault" task --json '{"title": "space again"}'"#;
    let out = on_small_tmpfs(&g, &format!("export ID={id}\n{fill}"), &format!("{READS}\n{after}"));
    let free = out.lines().find_map(|l| l.strip_prefix("free ")).map(str::trim);
    assert_eq!(free, Some("0"), "the disk is full: {out}");
    reads_work_and_writes_say_why(&out, 7, &["disk is full", "nothing was changed"]);
    for name in ["get_after", "check_after", "add_after"] {
        assert_eq!(exit_of(&out, name), 0, "{name}: once there is space again, all is well: {out}");
    }
    // The vault outside the namespace was never touched, and the copy lost nothing either.
    assert_intact(&g, &id);
}

#[test]
fn fail_read_only_media_is_not_called_tampering_and_reading_works() {
    let (g, id) = vault_with_records();
    let ro = r#"mount -o remount,ro "$MNT" || exit 97"#;
    let out = on_small_tmpfs(&g, &format!("export ID={id}\n{ro}"), READS);
    reads_work_and_writes_say_why(&out, 8, &["read-only", "reading works"]);
    assert_intact(&g, &id);
}

#[test]
fn fail_kill_9_at_any_moment_of_a_key_rotation_leaves_old_or_new_passphrase_working() {
    let (g, id) = vault_with_records();
    let v = g.vault_str();
    // Enough data that a rotation takes a while to copy.
    import_incidents(&g, 400);
    let mut passphrase = PASSPHRASE.to_owned();
    let mut outcomes = [0u32; 2];
    for round in 0..12u64 {
        let next = format!("rotated passphrase number {round}");
        let child = g
            .command(&["passwd", &v, "--rotate"])
            .env("GAWAHI_PASSPHRASE", &passphrase)
            .env("GAWAHI_NEW_PASSPHRASE", &next)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        // Kill it at a different moment each round: from during the key derivation to after.
        std::thread::sleep(std::time::Duration::from_millis(60 + round * 90));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait_with_output();
        let with = |p: &str| g.command(&["check", &v]).env("GAWAHI_PASSPHRASE", p).output().expect("check");
        let (old, new) = (with(&passphrase), with(&next));
        assert!(
            old.status.success() != new.status.success(),
            "round {round}: exactly one passphrase opens the vault and checks clean: old {:?} new {:?}",
            String::from_utf8_lossy(&old.stderr),
            String::from_utf8_lossy(&new.stderr)
        );
        if new.status.success() {
            passphrase = next;
            outcomes[1] += 1;
        } else {
            outcomes[0] += 1;
        }
        let got = g.command(&["get", &v, &id]).env("GAWAHI_PASSPHRASE", &passphrase).run();
        assert!(got.ok().contains("safe and sound"), "round {round}");
        let count = g.command(&["list", &v, "incident", "--limit", "1000"]).env("GAWAHI_PASSPHRASE", &passphrase).run();
        assert_eq!(count.ok().lines().count(), 401, "round {round}: every record is there");
        assert!(!Path::new(&v).join("vault.db.rotating").exists(), "round {round}: no leftover after the check");
    }
    eprintln!("rotations killed before the switch: {}, after: {}", outcomes[0], outcomes[1]);
}

#[test]
fn fail_a_rotation_that_runs_out_of_space_says_the_disk_is_full_and_loses_nothing() {
    let (g, id) = vault_with_records();
    import_incidents(&g, 300);
    // Leave less room than a copy of the database needs, but enough to open it.
    let leave_little_room = r#"size=$(du -sb "$MNT/vault/vault.db" | cut -f1)
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
rm "$MNT/fill"; avail=$(df --output=avail -B1 "$MNT" | tail -1)
dd if=/dev/zero of="$MNT/fill" bs=4k count=$(( (avail - size / 3) / 4096 )) 2>/dev/null
echo "room $(df --output=avail -B1 "$MNT" | tail -1) for $size""#;
    let script = format!(
        "{leave_little_room}\nexport ID={id}\nrun rotate passwd \"$MNT/vault\" --rotate\nrun get_after get \"$MNT/vault\" \"$ID\"\nrun check_after check \"$MNT/vault\""
    );
    let out = on_small_tmpfs(&g, "", &script);
    assert_eq!(exit_of(&out, "rotate"), 7, "{out}");
    assert!(message_of(&out, "rotate").contains("disk is full"), "{out}");
    assert_eq!(exit_of(&out, "get_after"), 0, "the old passphrase still opens it: {out}");
    assert_eq!(exit_of(&out, "check_after"), 0, "{out}");
}

#[test]
fn fail_read_only_media_with_an_unclean_journal_says_what_it_cannot_read() {
    let (g, id) = vault_with_records();
    // A journal with content, as a program killed before closing the vault leaves it.
    let setup = r#"cp "$SRC/vault.db" "$MNT/vault/vault.db-wal"
mount -o remount,ro "$MNT" || exit 97"#;
    let out = on_small_tmpfs(&g, &format!("export ID={id}\n{setup}"), "run get get \"$MNT/vault\" \"$ID\"");
    assert_eq!(exit_of(&out, "get"), 8, "{out}");
    let msg = message_of(&out, "get");
    assert!(msg.contains("not closed cleanly") && !msg.contains("reading works"), "{msg}");
}

#[test]
fn fail_a_disk_that_fills_up_during_an_intake_says_so_and_leaves_no_partial_blob() {
    let (g, id) = vault_with_records();
    let v = g.vault_str();
    let rec = g.run(&["add", &v, "incident", "--json", r#"{"title": "raid"}"#]).ok().to_owned();
    // Larger than the whole tmpfs: the disk fills up part way through.
    let big = g.tmp.path().join("big.mp4");
    std::fs::write(&big, vec![0x5a_u8; 12 << 20]).expect("write");
    let small = g.tmp.path().join("small.txt");
    std::fs::write(&small, b"a short note").expect("write");
    let script = format!(
        r#"export ID={id}
run add_big evidence add "$MNT/vault" "{big}" --record {rec}
echo "blobs $(ls -A "$MNT/vault/blobs" | wc -l)"
echo "listed $("$GAWAHI" evidence list "$MNT/vault" --json | tr -d ' \n')"
run check_after check "$MNT/vault"
run add_small evidence add "$MNT/vault" "{small}" --record {rec}
echo "blobs_after $(ls -A "$MNT/vault/blobs" | wc -l)""#,
        big = big.display(),
        small = small.display()
    );
    let out = on_small_tmpfs(&g, "", &script);
    assert_eq!(exit_of(&out, "add_big"), 7, "{out}");
    assert!(message_of(&out, "add_big").contains("disk is full"), "{out}");
    assert!(out.contains("blobs 0"), "no partial blob: {out}");
    assert!(out.contains("listed []"), "no row: {out}");
    assert_eq!(exit_of(&out, "check_after"), 0, "{out}");
    assert_eq!(exit_of(&out, "add_small"), 0, "once the space is back, intake works: {out}");
    assert!(out.contains("blobs_after 1"), "{out}");
}

#[test]
fn fail_a_disk_that_fills_up_during_a_working_copy_says_so_and_leaves_the_original_alone() {
    let (g, id) = vault_with_records();
    let v = g.vault_str();
    let rec = g.run(&["add", &v, "incident", "--json", r#"{"title": "raid"}"#]).ok().to_owned();
    let original = g.tmp.path().join("original.jpg");
    std::fs::write(&original, b"\xff\xd8\xff\xe0 the original").expect("write");
    let parent = g.run(&["evidence", "add", &v, &original.display().to_string(), "--record", &rec]).ok().to_owned();
    let parent_id = parent.split_whitespace().next().expect("id").to_owned();
    let big = g.tmp.path().join("big-copy.png");
    std::fs::write(&big, vec![0x5a_u8; 12 << 20]).expect("write");
    let script = format!(
        r#"export ID={id}
run copy evidence add "$MNT/vault" "{big}" --record {rec} --copy-of {parent_id} --redaction
echo "blobs $(ls -A "$MNT/vault/blobs" | wc -l)"
echo "listed $("$GAWAHI" evidence list "$MNT/vault" --json | grep -c '"id"')"
echo "custody $("$GAWAHI" evidence custody "$MNT/vault" {parent_id} | grep -c redaction)"
run check_after check "$MNT/vault"
run verify_after evidence verify "$MNT/vault""#,
        big = big.display(),
    );
    let out = on_small_tmpfs(&g, "", &script);
    assert_eq!(exit_of(&out, "copy"), 7, "{out}");
    assert!(message_of(&out, "copy").contains("disk is full"), "{out}");
    assert!(out.contains("blobs 1"), "only the original's blob, no partial copy: {out}");
    assert!(out.contains("listed 1"), "no row for the copy: {out}");
    assert!(out.contains("custody 0"), "the original's log names no copy that was not made: {out}");
    assert_eq!(exit_of(&out, "check_after"), 0, "{out}");
    assert_eq!(exit_of(&out, "verify_after"), 0, "the original is intact: {out}");
}
