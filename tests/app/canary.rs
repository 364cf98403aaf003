//! The canary leak test and the no-network test, through the real window. A whole session (create
//! a vault; an incident and a person carrying a canary string; an evidence file whose name, bytes
//! and EXIF carry it; a search for it; its preview; a PDF report; a sealed bundle; lock; quit) runs
//! in a network namespace of its own (`unshare -n`: nothing but loopback, which WebDriver needs)
//! and under `strace -f -e trace=connect`. Afterwards every file this run could have written is
//! read: the app's HOME, its XDG config, data, cache, state and runtime folders (the vault is
//! inside), and what changed under /tmp, /var/tmp, /dev/shm and the real HOME; the canary may be
//! in none of them, in UTF-8, UTF-16 (either byte order) or base64 (any of its three alignments),
//! except in the files the person chose to write (the report and the bundle) and the evidence
//! file they started from. And no process of the app's tree asked for an inet or inet6
//! connection.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use gawahi_e2e::app::App;
use gawahi_e2e::built_binary;
use gawahi_e2e::plaintext::{Needle, Walk, files_under, needles_in};
use serde_json::json;

use crate::vaults::LONG;

/// Set in the test's own re-run inside the network namespace.
const IN_NAMESPACE: &str = "GAWAHI_TEST_CANARY_NETNS";
const PASSPHRASE: &str = "lantern quarry saffron bridge 61";
const BUNDLE_PASSPHRASE: &str = "orchid tundra pebble kettle 58";

/// The canary: made at run time (so that no file from before the run, such as this source, can
/// hold it), and shaped so that no word splitter or stemmer leaves it whole only by chance.
fn canary() -> String {
    static RUN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let nanos = SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        format!("Qcanary{:x}", nanos ^ u128::from(std::process::id()))
    })
    .clone()
}

/// The byte strings that betray the canary: UTF-8, UTF-16 in both byte orders, and base64 of the
/// UTF-8 at each of the three offsets a 3-byte group can start at (the characters that depend
/// on the bytes around it are cut off each end).
fn needles(canary: &str) -> Vec<Needle> {
    let mut out = vec![
        ("utf-8".to_owned(), canary.as_bytes().to_vec()),
        ("utf-16le".to_owned(), canary.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        ("utf-16be".to_owned(), canary.encode_utf16().flat_map(u16::to_be_bytes).collect()),
    ];
    for shift in 0..3 {
        let mut bytes = vec![0u8; shift];
        bytes.extend_from_slice(canary.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let core = &encoded[if shift == 0 { 0 } else { 4 }..encoded.len() - 4];
        out.push((format!("base64 (offset {shift})"), core.as_bytes().to_vec()));
    }
    out
}

/// A hit: the file, the encoding and the offset of the first occurrence.
fn scan(dir: &Path, needles: &[Needle], since: Option<SystemTime>, allowed: &[PathBuf]) -> Vec<String> {
    // A file older than the run cannot hold a canary made during it. Under the app's own home
    // every file is read; in the shared folders (`since` given) files over 32 MiB are other
    // programs' (test binaries, core files): what WebKit, GLib and SQLite write there is far
    // smaller, and reading them would take minutes.
    let max_len: u64 = if since.is_some() { 32 << 20 } else { 1 << 30 };
    let skip: Vec<&Path> = allowed.iter().map(PathBuf::as_path).collect();
    files_under(dir, &Walk { since, max_len, skip: &skip }).iter().flat_map(|path| hits_in(path, needles)).collect()
}

/// Where in the file at `path` each needle first occurs: the file, the offset and the encoding.
fn hits_in(path: &Path, needles: &[Needle]) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    needles_in(&bytes, needles)
        .into_iter()
        .map(|(encoding, at)| format!("{} at offset {at}: the canary as {encoding}", path.display()))
        .collect()
}

/// The files directly in `dir` changed since `since` that hold a needle (not its folders).
fn scan_files_in(dir: &Path, needles: &[Needle], since: SystemTime) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if !meta.is_file() || meta.len() > 32 << 20 || meta.modified().is_ok_and(|m| m < since) {
            continue;
        }
        found.extend(hits_in(&path, needles));
    }
    found
}

/// A small real JPEG (ImageMagick) with an EXIF block whose IFD0 has an ImageDescription and an
/// Artist holding the canary, and a comment holding it.
fn jpeg_with_canary(canary: &str) -> Vec<u8> {
    let out = Command::new("convert")
        .args(["-size", "96x64", "gradient:navy-gold", "jpeg:-"])
        .output()
        .expect("ImageMagick's convert");
    assert!(out.status.success() && out.stdout.starts_with(b"\xff\xd8"), "convert made a JPEG");
    let description = format!("{canary} at the press club\0");
    let artist = format!("{canary}\0");
    // Little-endian TIFF: header (8), IFD0 with two ASCII entries (2 + 2 × 12 + 4), then the values.
    let values_at = 8 + 2 + 2 * 12 + 4;
    let len = |s: &str| u32::try_from(s.len()).expect("short");
    let mut tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
    for (tag, value, offset) in
        [(0x010e_u16, &description, values_at), (0x013b_u16, &artist, values_at + description.len())]
    {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&len(value).to_le_bytes());
        tiff.extend_from_slice(&u32::try_from(offset).expect("short").to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(description.as_bytes());
    tiff.extend_from_slice(artist.as_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend_from_slice(&u16::try_from(app1.len() + 2).expect("short").to_be_bytes());
    jpeg.extend_from_slice(&app1);
    let comment = format!("{canary} in the picture's comment");
    jpeg.extend_from_slice(b"\xff\xfe");
    jpeg.extend_from_slice(&u16::try_from(comment.len() + 2).expect("short").to_be_bytes());
    jpeg.extend_from_slice(comment.as_bytes());
    jpeg.extend_from_slice(&out.stdout[2..]);
    jpeg
}

/// A script that runs the app under `strace -f -e trace=connect`, logging every connect of its
/// tree to `log`, and the address WebKitWebDriver gave it for automation to `log.env`.
/// WebKitWebDriver starts it in place of the app.
fn traced_app(dir: &Path, log: &Path) -> PathBuf {
    let script = dir.join("gawahi-app-traced");
    let body = format!(
        "#!/bin/sh\nprintf '%s' \"$WEBKIT_INSPECTOR_SERVER\" > '{}.env'\nexec strace -f -qq -e trace=connect -o '{}' '{}' \"$@\"\n",
        log.display(),
        log.display(),
        built_binary("gawahi-app").display()
    );
    std::fs::write(&script, body).expect("write the wrapper");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    script
}

/// What the strace log shows: every `connect`, those to the WebDriver automation's own address
/// (`WEBKIT_INSPECTOR_SERVER`, which WebKitWebDriver sets for the program it drives, and to which
/// WebKit connects back: it exists only under test), and every other inet or inet6 one.
fn connects(log: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(log).expect("the strace log");
    let automation = std::fs::read_to_string(format!("{}.env", log.display())).expect("the automation's address");
    let (host, port) = automation.trim().rsplit_once(':').expect("WEBKIT_INSPECTOR_SERVER is host:port");
    let driver = format!("sin_port=htons({port}), sin_addr=inet_addr(\"{host}\")");
    let all: Vec<String> = text.lines().filter(|l| l.contains("connect(")).map(str::to_owned).collect();
    let (to_driver, other): (Vec<String>, Vec<String>) =
        all.iter().filter(|l| l.contains("AF_INET")).cloned().partition(|l| l.contains(&driver));
    (all, to_driver, other)
}

/// The interfaces this process's network namespace has, from /proc/net/dev.
fn interfaces() -> Vec<String> {
    std::fs::read_to_string("/proc/net/dev")
        .unwrap_or_default()
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(|n| n.trim().to_owned()))
        .collect()
}

/// The evidence listed on the open record: (id, name).
fn evidence(app: &App) -> Vec<(String, String)> {
    let v = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=evidence-item]')].map(e => [e.dataset.id, \
         e.querySelector('[data-testid=evidence-name]').textContent]);",
        &[],
    );
    serde_json::from_value(v).unwrap_or_default()
}

/// The whole session in the window; returns the files the person chose to write.
fn session(app: &mut App, canary: &str, user_files: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let vault = app.home.path().join("vault");
    let photo = user_files.join(format!("{canary} raid photo.jpg"));
    std::fs::write(&photo, jpeg_with_canary(canary)).expect("the photo");
    let report = user_files.join("summary.pdf");
    let bundle = user_files.join("incident.gawahi");

    // A new vault.
    app.create_vault(&vault, PASSPHRASE);

    // An incident and a person carrying the canary.
    let incident_title = format!("Raid {canary} on the press club");
    app.new_record("incident");
    app.s().type_into("#field-title", &incident_title);
    app.s().type_into("#field-description", &format!("They took the laptop of {canary}; ان کا لیپ ٹاپ"));
    app.s().set_value("#field-occurred_on", "2026-11-03");
    app.s().set_value("#field-province", "sindh");
    app.settle();
    app.s().set_value("#field-district", "sindh.karachi_south");
    app.save_record();
    assert_eq!(app.s().text_of("[data-testid=record-title]"), incident_title);
    app.shot("incident");

    // The photo on the incident, through the path a drop on the window takes.
    app.s().wait("[data-testid=evidence-panel]", LONG);
    app.s().execute(
        "window.dispatchEvent(new CustomEvent('gawahi-add-paths', {detail: {paths: arguments[0]}}));",
        &[json!([photo.display().to_string()])],
    );
    app.s().wait_until("the photo listed", LONG, |_| evidence(app).len() == 1);
    app.settle();
    let (photo_id, photo_name) = evidence(app).remove(0);
    assert_eq!(photo_name, format!("{canary} raid photo.jpg"), "the name is kept as it was");
    app.shot("evidence");

    let person = format!("Witness {canary}");
    app.new_record("person");
    app.s().click_on("#field-consent_to_store");
    app.s().type_into("#field-name", &person);
    app.s().type_into("#field-notes", &format!("Seen at the raid; {canary}"));
    app.save_record();
    app.shot("person");

    // Searched for: the incident and the person are found.
    app.s().type_into("[data-testid=search-box]", &format!("{canary}\u{E007}"));
    app.s().wait_until("the canary found", LONG, |s| s.find_all("[data-testid=search-hit]").len() >= 2);
    app.settle();
    app.shot("search");

    // The incident opened from its result, and the photo previewed from memory.
    let hit = app
        .s()
        .find_all("[data-testid=search-hit]")
        .into_iter()
        .find(|h| app.s().text(h).contains("Raid"))
        .expect("the incident's result");
    app.s().click(&hit);
    app.s().wait("[data-testid=record-title]", LONG);
    app.s().wait("[data-testid=evidence-panel]", LONG);
    app.s().wait_until("the photo listed again", LONG, |_| evidence(app).len() == 1);
    app.s().click_on(&format!("[data-testid=evidence-item][data-id='{photo_id}'] [data-testid=evidence-preview]"));
    app.s().wait_until("the photo decoded", LONG, |s| {
        s.execute(
            "const i = document.querySelector('[data-testid=preview-image]'); return !!i && i.complete && i.naturalWidth;",
            &[],
        ) == json!(96)
    });
    app.shot("preview");
    app.s().click_on("[data-testid=preview-close]");
    app.s().wait_until("the preview closed", LONG, |s| s.find("[data-testid=evidence-preview-dialog]").is_none());

    // The incident sealed into a bundle under a passphrase, where the person chose.
    app.s().click_on("[data-testid=seal-record]");
    app.s().wait("[data-testid=seal-start]", LONG);
    app.settle();
    app.s().click_on("[data-testid=seal-to-passphrase]");
    app.s().wait("#seal-new-passphrase", LONG);
    app.s().type_into("#seal-new-passphrase", BUNDLE_PASSPHRASE);
    app.s().type_into("#seal-confirm-passphrase", BUNDLE_PASSPHRASE);
    app.s().set_value("[data-testid=seal-path]", &bundle.display().to_string());
    app.s().click_on("[data-testid=seal-start]");
    app.s().wait("[data-testid=seal-result]", LONG);
    app.settle();
    assert!(bundle.is_file(), "the bundle was written where asked");
    app.shot("sealed");

    // A PDF report, where the person chose.
    app.open_kind("reports");
    app.s().wait("[data-testid=reports-title]", LONG);
    app.s().click_on("[data-testid=report-summary]");
    app.s().click_on("[data-testid=report-lang-en]");
    app.s().set_value("[data-testid=report-path]", &report.display().to_string());
    app.s().click_on("[data-testid=report-make]");
    app.s().wait("[data-testid=report-done]", LONG);
    assert!(std::fs::read(&report).expect("the report").starts_with(b"%PDF"));
    app.shot("report");

    // Locked, then quit.
    app.s().click_on("[data-testid=lock]");
    app.s().wait("#unlock-passphrase", LONG);
    app.shot("locked");
    app.close();
    (photo, report, bundle)
}

/// The session in the namespace, under strace, then the scan. Run by the test below in a
/// network namespace of its own, with its own X display.
fn in_namespace() {
    assert_eq!(interfaces(), ["lo"], "the run is in a network namespace with loopback only");
    let started = SystemTime::now() - Duration::from_secs(2);
    let canary = canary();
    let user_files = tempfile::tempdir().expect("the person's own folder");
    let trace = tempfile::tempdir().expect("the trace's folder");
    let log = trace.path().join("connect.log");
    let mut app = App::launch_binary("canary", &traced_app(trace.path(), &log));
    let clock = std::time::Instant::now();
    let (photo, report, bundle) = session(&mut app, &canary, user_files.path());
    eprintln!("the session took {:?}", clock.elapsed());

    // Nothing of the app's tree asked for an inet connection but WebDriver's. Unix sockets (the X
    // server, D-Bus, WebKit's own processes) are fine: they are listed for the record.
    let (all, to_driver, inet) = connects(&log);
    eprintln!("connect() calls of the app's tree ({}):", all.len());
    for line in &all {
        eprintln!("  {line}");
    }
    // strace saw inet connections (WebKit's, to the automation it is driven by): the check is live.
    assert!(!to_driver.is_empty(), "strace saw no connection to WebDriver's automation: it traced nothing");
    assert!(inet.is_empty(), "the app asked for network connections: {inet:#?}");

    // No canary on disk but in what the person chose to write (and the file they started from).
    let needles = needles(&canary);
    let allowed = [photo, report, bundle.clone()];
    let mut hits = scan(app.home.path(), &needles, None, &allowed);
    for dir in ["/tmp", "/var/tmp", "/dev/shm"] {
        hits.extend(scan(Path::new(dir), &needles, Some(started), &allowed));
    }
    // The real HOME's own files and the folders a library that ignored XDG_* would write to
    // (walking the whole of a developer's HOME takes minutes).
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        for dir in [".cache", ".config", ".local"] {
            hits.extend(scan(&home.join(dir), &needles, Some(started), &allowed));
        }
        hits.extend(scan_files_in(&home, &needles, started));
    }
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map_or_else(|| PathBuf::from("/run/user"), PathBuf::from);
    hits.extend(scan(&runtime, &needles, Some(started), &allowed));
    // The scan finds what is there: the person's own photo holds the canary in the clear.
    assert!(!hits_in(&allowed[0], &needles).is_empty(), "the scan cannot see the canary");
    hits.sort();
    hits.dedup();
    eprintln!("the session and the scan took {:?}", clock.elapsed());
    assert!(hits.is_empty(), "the canary reached the disk:\n{}", hits.join("\n"));
    // The bundle is sealed: not even its own file holds the canary in the clear.
    let sealed = scan(user_files.path(), &needles, None, &allowed[..2]);
    assert!(sealed.is_empty(), "the bundle holds the canary in the clear: {sealed:#?}");
    assert!(bundle.is_file());
}

#[test]
fn a_whole_session_leaves_no_canary_on_disk_and_connects_to_no_network() {
    if std::env::var_os(IN_NAMESPACE).is_some() {
        in_namespace();
        return;
    }
    // The same test again, alone, in a new network namespace (loopback brought up for WebDriver)
    // and on an X display of its own, so that it shares nothing with the windows of the tests
    // running beside it. Root (as in CI) makes the namespace directly; anyone else through a user
    // namespace of their own.
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut cmd = Command::new("unshare");
    cmd.arg("--net");
    if !root {
        cmd.arg("--map-root-user");
    }
    let exe = std::env::current_exe().expect("the test executable");
    cmd.args(["--", "sh", "-c", "ip link set lo up && exec xvfb-run -a -s '-screen 0 1280x800x24' \"$@\"", "sh"])
        .arg(exe)
        .args([
            "canary::a_whole_session_leaves_no_canary_on_disk_and_connects_to_no_network",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(IN_NAMESPACE, "1");
    let out = cmd.output().expect("run unshare");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert!(out.status.success(), "the run in its own network namespace failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the test ran in the namespace:\n{stdout}");
}

#[test]
fn fail_the_scan_finds_the_canary_in_each_encoding_at_any_offset() {
    let dir = tempfile::tempdir().expect("dir");
    let canary = canary();
    let needles = needles(&canary);
    let utf16 = |be: bool| -> Vec<u8> {
        canary.encode_utf16().flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    };
    let mut files: Vec<(&str, Vec<u8>)> =
        vec![("utf-8", canary.as_bytes().to_vec()), ("utf-16le", utf16(false)), ("utf-16be", utf16(true))];
    let prefixes = [&b""[..], b"x", b"xy", b"xyz"];
    let b64: Vec<Vec<u8>> = prefixes
        .iter()
        .map(|p| {
            let mut plain = p.to_vec();
            plain.extend_from_slice(canary.as_bytes());
            plain.extend_from_slice(b" and after");
            base64::engine::general_purpose::STANDARD.encode(plain).into_bytes()
        })
        .collect();
    files.extend(b64.into_iter().map(|b| ("base64", b)));
    for (i, (encoding, body)) in files.iter().enumerate() {
        let mut bytes = vec![b'.'; i + 1];
        bytes.extend_from_slice(body);
        let path = dir.path().join(format!("{i}"));
        std::fs::write(&path, &bytes).expect("write");
        let hits = scan(dir.path(), &needles, None, &[]);
        assert!(
            hits.iter().any(|h| h.starts_with(&path.display().to_string()) && h.contains(encoding)),
            "{encoding} in file {i} not found: {hits:?}"
        );
        std::fs::remove_file(&path).expect("remove");
    }
    assert!(scan(dir.path(), &needles, None, &[]).is_empty());
}
