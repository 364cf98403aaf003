//! The evidence locker through the CLI: round trips checked against Debian's sha256sum, damage
//! found by `evidence verify`, hostile file names escaped, a kill -9 mid-intake, flat memory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_e2e::Gawahi;

fn vault_with_incident() -> (Gawahi, String) {
    let g = Gawahi::init();
    let id = g.run(&["add", &g.vault_str(), "incident", "--json", r#"{"title": "raid"}"#]).ok().to_owned();
    (g, id)
}

fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().expect("sha256sum (coreutils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().expect("a hash").to_owned()
}

/// A blob being written (the vault names them `<random>.part`).
pub(crate) fn is_part(name: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| e == "part")
}

/// Runs `args` (an intake), kills it with SIGKILL once it is writing its blob and `round` × 150 ms
/// more, then asserts the vault checks clean with one blob per item, no orphan and no temporary
/// file.
fn kill_mid_intake(g: &Gawahi, args: &[&str], round: u64) {
    let v = g.vault_str();
    let mut child = g
        .command(args)
        .env("GAWAHI_PASSPHRASE", gawahi_e2e::PASSPHRASE)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while !blob_files(g).iter().any(|n| is_part(n)) && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(round * 150));
    let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
    let _ = child.wait();
    let check = g.run(&["check", &v]);
    assert_eq!(check.code, 0, "round {round}: {check:?}");
    let items = g.run(&["evidence", "list", &v, "--json"]).json();
    let n = items.as_array().map_or(0, Vec::len);
    assert_eq!(blob_files(g).len(), n, "round {round}: one blob per item, no orphan, no temporary file");
}

/// The names of the files in the vault's `blobs/`.
pub(crate) fn blob_files(g: &Gawahi) -> Vec<String> {
    std::fs::read_dir(g.vault.join("blobs"))
        .expect("blobs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn files_round_trip_and_their_sha256_is_sha256sums() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let dir = g.tmp.path();
    let mut files = Vec::new();
    for (name, len) in [("empty.txt", 0), ("small.jpg", 5), ("video.mp4", 3 * 65_536 + 17)] {
        let path = dir.join(name);
        gawahi_e2e::write_random(&path, len, 0);
        files.push(path);
    }
    let args: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut cmd = vec!["evidence", "add", &v];
    cmd.extend(args.iter().map(String::as_str));
    cmd.extend(["--record", &rec, "--acquired-at", "2024-03-05", "--source", "complainant's phone"]);
    let added = g.run(&cmd).ok().to_owned();
    let lines: Vec<Vec<&str>> = added.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{added}");
    for (line, path) in lines.iter().zip(&files) {
        assert_eq!(line[1], sha256sum(path), "the printed SHA-256 is sha256sum's");
        let out = dir.join(format!("out-{}", line[0]));
        g.run(&["evidence", "export", &v, line[0], "--out", &out.display().to_string()]).ok();
        assert_eq!(std::fs::read(&out).expect("exported"), std::fs::read(path).expect("original"));
        assert_eq!(sha256sum(&out), line[1]);
        let again = g.run(&["evidence", "export", &v, line[0], "--out", &out.display().to_string()]);
        assert!(again.fails_with(5).contains("already exists"), "never overwrites");
    }
    let listed = g.run(&["evidence", "list", &v, "--record", &rec, "--json"]).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(3));
    assert_eq!(listed[0]["acquired_at"], "2024-03-05");
    assert!(g.run(&["evidence", "verify", &v]).ok().lines().all(|l| l.starts_with("ok\t")));
    let custody = g.run(&["evidence", "custody", &v, lines[2][0]]).json();
    let actions: Vec<&str> = custody.as_array().expect("array").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["intake", "export", "verify"]);
    assert!(g.run(&["check", &v]).ok().contains("3 evidence items"));
}

#[test]
fn fail_a_damaged_blob_makes_verify_exit_6_naming_the_item() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let file = g.tmp.path().join("fir.pdf");
    gawahi_e2e::write_random(&file, 200_000, 0);
    let id = g
        .run(&["evidence", "add", &v, &file.display().to_string(), "--record", &rec])
        .ok()
        .split('\t')
        .next()
        .expect("id")
        .to_owned();
    let blob = g.vault.join("blobs").join(&blob_files(&g)[0]);
    let mut bytes = std::fs::read(&blob).expect("blob");
    bytes[100_000] ^= 0x20;
    std::fs::write(&blob, &bytes).expect("damage");
    // The item is named on standard output; the error line repeats no id (one may be typed).
    let all = g.run(&["evidence", "verify", &v]);
    assert!(all.fails_with(6).contains("failed verification"), "{all:?}");
    assert!(all.stdout.contains(&format!("FAILED\t{id}\tevidence_tampered")), "{all:?}");
    let one = g.run(&["evidence", "verify", &v, &id]);
    assert!(!one.fails_with(6).contains(&id), "{one:?}");
    assert!(one.stdout.contains(&format!("FAILED\t{id}")), "{one:?}");
    let out = g.tmp.path().join("out.pdf");
    g.run(&["evidence", "export", &v, &id, "--out", &out.display().to_string()]).fails_with(6);
    assert!(!out.exists(), "nothing is left of a failed export");
    let json = g.run(&["evidence", "list", &v, "--json", "--record", "not-an-id"]);
    assert_eq!(json.json(), serde_json::json!([]));
}

#[test]
fn fail_hostile_file_names_are_stored_exactly_and_printed_escaped() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let names = [
        "screenshot\u{1b}]0;pwned\u{7}.png".to_owned(),
        "report\u{202e}fdp.exe".to_owned(),
        "line\nbreak\rreturn\ttab.txt".to_owned(),
        "گواہی ".repeat(20) + ".jpg",
    ];
    let sub = g.tmp.path().join("in");
    std::fs::create_dir(&sub).expect("mkdir");
    for name in &names {
        let path = sub.join(name);
        std::fs::write(&path, b"content").expect("write");
        g.run(&["evidence", "add", &v, &path.display().to_string(), "--record", &rec]).ok();
    }
    // `../` in what is typed is part of the path, never of the name kept.
    let dotted = sub.join("..").join("in").join(&names[0]);
    g.run(&["evidence", "add", &v, &dotted.display().to_string(), "--record", &rec]).ok();
    let listed = g.run(&["evidence", "list", &v]);
    let text = listed.ok();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{text:?}");
    assert!(!text.contains('\u{202e}'));
    assert!(text.contains("screenshot\\x1b]0;pwned\\x07.png") && text.contains("report\\u{202e}fdp.exe"));
    assert!(text.contains("line\\nbreak\\rreturn\\ttab.txt"));
    assert_eq!(text.lines().count(), 5, "one line per item");
    let json = g.run(&["evidence", "list", &v, "--json"]).json();
    let kept: Vec<&str> = json.as_array().expect("array").iter().filter_map(|i| i["original_name"].as_str()).collect();
    assert_eq!(kept[..4], names.iter().map(String::as_str).collect::<Vec<_>>()[..]);
    assert_eq!(kept[4], names[0], "no directory part is kept");
    let long = sub.join("x".repeat(255));
    std::fs::write(&long, b"x").expect("write");
    g.run(&["evidence", "add", &v, &long.display().to_string(), "--record", &rec]).ok();
}

#[test]
fn fail_kill_9_during_intake_leaves_the_vault_consistent_and_no_orphan() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let big = g.tmp.path().join("big.mp4");
    gawahi_e2e::write_random(&big, 150 << 20, 0);
    for round in 0..4u64 {
        kill_mid_intake(&g, &["evidence", "add", &v, &big.display().to_string(), "--record", &rec], round);
        assert!(!blob_files(&g).iter().any(|b| is_part(b)));
        g.run(&["evidence", "verify", &v]).ok();
    }
}

/// A file past 2 GiB (past every 32-bit size and offset) goes in with memory flat. Its first and
/// last megabyte are random and the rest a hole in the file: the intake reads, hashes, encrypts
/// and writes every one of its bytes all the same, while making it costs the test no disk time.
#[test]
fn intake_of_a_file_over_2_gib_keeps_memory_flat() {
    const LEN: u64 = (2 << 30) + 4097;
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let big = g.tmp.path().join("long-video.mp4");
    let ends = g.tmp.path().join("ends");
    gawahi_e2e::write_random(&ends, 2 << 20, 7);
    let ends = std::fs::read(&ends).expect("ends");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::create(&big).expect("create");
        f.write_all(&ends[..1 << 20]).expect("head");
        f.seek(SeekFrom::Start(LEN - (1 << 20))).expect("seek");
        f.write_all(&ends[1 << 20..]).expect("tail");
    }
    assert_eq!(std::fs::metadata(&big).expect("size").len(), LEN);
    let child = g
        .command(&["evidence", "add", &v, &big.display().to_string(), "--record", &rec])
        .env("GAWAHI_PASSPHRASE", gawahi_e2e::PASSPHRASE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let started = Instant::now();
    while !blob_files(&g).iter().any(|n| is_part(n)) {
        assert!(started.elapsed() < Duration::from_mins(1), "the intake never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    // The key derivation (64 MiB of Argon2id) is over: reset the peak and watch the intake alone
    // (writing 5 to clear_refs resets VmHWM; this needs root, as the other process tests do).
    let intake_started = Instant::now();
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak (needs root)");
    let mut peak_kib = 0u64;
    let mut samples = 0;
    while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok());
        // A zombie (it has finished) has no VmHWM.
        let Some(kib) = hwm else { break };
        peak_kib = peak_kib.max(kib);
        samples += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("wait");
    let took = intake_started.elapsed();
    assert!(out.status.success(), "{out:?}");
    assert!(samples > 3, "the intake was watched ({samples} samples)");
    eprintln!(
        "intake of {LEN} bytes: peak resident {} KiB, {:.2} s after the key derivation ({:.0} MiB/s)",
        peak_kib,
        took.as_secs_f64(),
        LEN as f64 / 1_048_576.0 / took.as_secs_f64()
    );
    assert!(peak_kib < 32 * 1024, "peak resident memory during intake was {peak_kib} KiB");
    let sha = String::from_utf8_lossy(&out.stdout).split('\t').nth(1).map(|s| s.trim().to_owned());
    assert_eq!(sha.as_deref(), Some(sha256sum(&big).as_str()));
    let items = g.run(&["evidence", "list", &v, "--json"]).json();
    assert_eq!(items[0]["size"], LEN, "the size past 2 GiB, exactly");
    let blob = g.vault.join("blobs").join(&blob_files(&g)[0]);
    assert!(std::fs::metadata(blob).expect("blob").len() > LEN, "every byte sealed, with its tags");
}

#[test]
fn working_copies_from_the_cli_name_their_parent_and_check_compares_them() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let photo = g.tmp.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 the original photo").expect("write");
    let redacted = g.tmp.path().join("photo-redacted.png");
    std::fs::write(&redacted, b"\x89PNG\r\n\x1a\n pixels with a black box").expect("write");
    let parent = g.run(&["evidence", "add", &v, &photo.display().to_string(), "--record", &rec]).ok().to_owned();
    let parent_id = parent.split_whitespace().next().expect("id").to_owned();
    let parent_sha = parent.split_whitespace().nth(1).expect("sha").to_owned();
    let r = redacted.display().to_string();
    let copy = g.run(&["evidence", "add", &v, &r, "--record", &rec, "--copy-of", &parent_id, "--redaction"]);
    let copy_id = copy.ok().split_whitespace().next().expect("id").to_owned();
    let items = g.run(&["evidence", "list", &v, "--json"]).json();
    let copy_item = items.as_array().expect("items").iter().find(|i| i["id"] == copy_id.as_str()).expect("listed");
    assert_eq!(copy_item["parent_id"], parent_id.as_str());
    assert_eq!(copy_item["parent_sha256"], parent_sha.as_str());
    assert_eq!(copy_item["sha256"], sha256sum(&redacted).as_str());
    let custody = g.run(&["evidence", "custody", &v, &parent_id]).ok().to_owned();
    assert!(custody.contains("redaction") && custody.contains(&copy_id), "{custody}");
    g.run(&["check", &v]).ok();
    // Refused: an unknown parent, a parent on another record, --redaction alone.
    let other = g.run(&["add", &v, "incident", "--json", r#"{"title": "another"}"#]).ok().to_owned();
    let unknown = "0190f0e0-0000-7000-8000-000000000000";
    g.run(&["evidence", "add", &v, &r, "--record", &rec, "--copy-of", unknown]).fails_with(4);
    let foreign = ["evidence", "add", &v, &r, "--record", &other, "--copy-of", &parent_id];
    let msg = g.run(&foreign).fails_with(5).to_owned();
    assert!(!msg.contains(&parent_id) && !msg.contains(&other), "no id repeated: {msg}");
    g.run(&["evidence", "add", &v, &r, "--record", &rec, "--redaction"]).fails_with(2);
    assert_eq!(g.run(&["evidence", "list", &v, "--json"]).json().as_array().map(Vec::len), Some(2));
}

#[test]
fn fail_kill_9_during_a_working_copy_leaves_the_original_and_the_vault_consistent() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let original = g.tmp.path().join("original.jpg");
    std::fs::write(&original, b"\xff\xd8\xff\xe0 the original").expect("write");
    let parent = g.run(&["evidence", "add", &v, &original.display().to_string(), "--record", &rec]).ok().to_owned();
    let parent_id = parent.split_whitespace().next().expect("id").to_owned();
    let big = g.tmp.path().join("big-copy.png");
    gawahi_e2e::write_random(&big, 150 << 20, 0);
    for round in 0..3u64 {
        let big = big.display().to_string();
        kill_mid_intake(&g, &["evidence", "add", &v, &big, "--record", &rec, "--copy-of", &parent_id], round);
        // The parent's custody log names exactly the copies that were made.
        let items = g.run(&["evidence", "list", &v, "--json"]).json();
        let copies = items.as_array().expect("items").iter().filter(|i| i["parent_id"] == parent_id.as_str()).count();
        let log = g.run(&["evidence", "custody", &v, &parent_id]).ok().to_owned();
        assert_eq!(log.lines().filter(|l| l.contains("working_copy=")).count(), copies, "round {round}: {log}");
        g.run(&["evidence", "verify", &v]).ok();
    }
}

/// A JPEG whose EXIF names a camera with `make` (any bytes) and states the time it was taken;
/// little-endian, IFD0 with Make and an Exif IFD with DateTimeOriginal, written by hand.
fn jpeg_naming(make: &[u8]) -> Vec<u8> {
    let mut make = make.to_vec();
    make.push(0);
    let time = b"2024:03:05 14:30:09\0";
    // Header (8), IFD0 with two entries (2 + 24 + 4), the Exif IFD with one (2 + 12 + 4), then
    // the two values.
    let ifd0 = 8u32;
    let exif_ifd = ifd0 + 2 + 24 + 4;
    let make_at = exif_ifd + 2 + 12 + 4;
    let time_at = make_at + make.len() as u32;
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&ifd0.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    for (tag, kind, count, value) in [(0x010fu16, 2u16, make.len() as u32, make_at), (0x8769, 4, 1, exif_ifd)] {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x9003u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&(time.len() as u32).to_le_bytes());
    tiff.extend_from_slice(&time_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&make);
    tiff.extend_from_slice(time);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(b"\xff\xda\x00\x02image\xff\xd9");
    jpeg
}

#[test]
fn fail_capture_values_are_listed_escaped_and_exact_in_json() {
    let (g, rec) = vault_with_incident();
    let v = g.vault_str();
    let hostile = "Cam\u{1b}]0;pwned\u{7}\u{202e}era";
    let photo = g.tmp.path().join("photo.jpg");
    std::fs::write(&photo, jpeg_naming(hostile.as_bytes())).expect("write");
    let plain = g.tmp.path().join("notes.txt");
    std::fs::write(&plain, "Make: Canon 2024:03:05 14:30:09").expect("write");
    let added =
        g.run(&["evidence", "add", &v, &photo.display().to_string(), &plain.display().to_string(), "--record", &rec]);
    added.ok();
    assert!(added.stderr.contains("names the device"), "the device warning: {added:?}");
    let text = g.run(&["evidence", "list", &v]).ok().to_owned();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one line per item");
    let photo_line: Vec<&str> =
        lines.iter().find(|l| l.ends_with("photo.jpg")).expect("the photo").split('\t').collect();
    assert_eq!(photo_line[6..9], ["Cam\\x1b]0;pwned\\x07\\u{202e}era", "2024-03-05T14:30:09", "-"], "{photo_line:?}");
    let notes_line: Vec<&str> =
        lines.iter().find(|l| l.ends_with("notes.txt")).expect("the text").split('\t').collect();
    assert_eq!(notes_line[6..9], ["-", "-", "-"], "words in a text are not a camera");
    let json = g.run(&["evidence", "list", &v, "--json"]).json();
    let items = json.as_array().expect("array");
    let photo_json = items.iter().find(|i| i["original_name"] == "photo.jpg").expect("photo");
    assert_eq!(photo_json["capture"]["camera_make"], hostile, "exact in JSON");
    assert_eq!(photo_json["capture"]["taken_at"], "2024-03-05T14:30:09");
    assert!(photo_json["capture"]["latitude"].is_null());
    let notes_json = items.iter().find(|i| i["original_name"] == "notes.txt").expect("notes");
    assert!(notes_json["capture"].is_null(), "{notes_json}");
}
