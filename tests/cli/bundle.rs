//! Sealed bundles through the CLI, checked with code we did not write: Debian's `age` and
//! `age-keygen`, GNU `tar` and `sha256sum`, OpenSSH's `ssh-keygen -Y verify` and OpenSSL 3's
//! `pkeyutl -verify -rawin`. Then the tamper matrix through `gawahi bundle verify` (each exit 6,
//! naming the check), imports (twice, hostile names), a full disk and kill -9 during export and
//! import. `scripts/bootstrap` installs `age`, `openssh-client` and `openssl`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_e2e::{Gawahi, PASSPHRASE, Run, RunExt, core_fixtures, in_mount_namespace};

/// A vault with a case, a hearing, a linked person and evidence with hostile names on the case.
pub(crate) struct Sender {
    pub(crate) g: Gawahi,
    pub(crate) case: String,
}

pub(crate) fn sender(evidence_len: usize) -> Sender {
    let g = Gawahi::init();
    let v = g.vault_str();
    let fixtures = core_fixtures().join("records");
    let person =
        g.run(&["add", &v, "person", "--file", &fixtures.join("person.json").display().to_string()]).ok().to_owned();
    let case = g.run(&["add", &v, "case", "--file", &fixtures.join("case.json").display().to_string()]).ok().to_owned();
    let hearing = std::fs::read_to_string(fixtures.join("hearing.json")).expect("hearing").replace("{case_id}", &case);
    g.run(&["add", &v, "hearing", "--json", &hearing]).ok();
    g.run(&["link", &v, &person, &case, "--role", "victim"]).ok();
    let dir = g.tmp.path().join("files");
    std::fs::create_dir(&dir).expect("mkdir");
    let mut paths = Vec::new();
    for (name, len) in [("-rf $(reboot)\u{202e}gpj.exe", evidence_len), ("FIR 112.pdf", 17), ("تصویر.jpg", 5)] {
        let p = dir.join(name);
        gawahi_e2e::write_random(&p, len, len as u64);
        paths.push(p.display().to_string());
    }
    let mut args = vec!["evidence", "add", &v];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--record", &case]);
    g.run(&args).ok();
    Sender { g, case }
}

/// An age identity made by Debian's `age-keygen`: the key file and its recipient.
fn age_keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new("age-keygen").arg("-o").arg(&key).output().expect("age-keygen (Debian package age)");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&key).expect("key");
    let recipient = text.lines().find_map(|l| l.strip_prefix("# public key: ")).expect("public key line").to_owned();
    (key, recipient)
}

fn sh(dir: &Path, script: &str) -> Run {
    Command::new("sh").args(["-c", script]).current_dir(dir).stdin(Stdio::null()).run()
}

/// `bundle export` of the sender's case to `recipient`, written to `out`.
fn export_args(s: &Sender, recipient: &str, out: &Path) -> Vec<String> {
    let vault = s.g.vault_str();
    let out = out.display().to_string();
    ["bundle", "export", &vault, "--case", &s.case, "--to", recipient, "--out", &out].map(str::to_owned).to_vec()
}

pub(crate) fn export_to(s: &Sender, recipient: &str, out: &Path) -> String {
    let mut args = export_args(s, recipient, out);
    args.push("--json".to_owned());
    s.g.run(&args.iter().map(String::as_str).collect::<Vec<_>>()).json()["signer_fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_owned()
}

fn verify(g: &Gawahi, bundle: &Path, key: &Path, extra: &[&str]) -> Run {
    let (b, k) = (bundle.display().to_string(), key.display().to_string());
    let mut args = vec!["bundle", "verify", b.as_str(), "--identity", k.as_str()];
    args.extend(extra);
    g.command(&args).run()
}

/// `bundle verify` lists each record before anything is imported: kind, date and title, the
/// title escaped like every text of the sender's.
#[test]
fn fail_verify_lists_the_records_escaped_before_import() {
    let s = sender(10);
    let dir = s.g.tmp.path();
    let v = s.g.vault_str();
    let hostile = "Raid\u{1b}[2J\u{202e}cod.exe";
    let incident =
        s.g.run(&[
            "add",
            &v,
            "incident",
            "--json",
            &format!(r#"{{"title": "{}", "occurred_on": "2024-03"}}"#, hostile.replace('\u{1b}', "\\u001b")),
        ])
        .ok()
        .to_owned();
    s.g.run(&["link", &v, &incident, &s.case, "--role", "arises_from"]).ok();
    let (key, recipient) = age_keygen(dir, "lawyer.txt");
    let bundle = dir.join("case.gawahi");
    export_to(&s, &recipient, &bundle);
    let out = verify(&s.g, &bundle, &key, &[]);
    let text = out.ok();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{text:?}");
    let records: Vec<Vec<&str>> =
        text.lines().filter(|l| l.starts_with("record\t")).map(|l| l.split('\t').collect()).collect();
    let count: usize =
        text.lines().find_map(|l| l.strip_prefix("records\t")).and_then(|n| n.parse().ok()).expect("count");
    assert_eq!(records.len(), count, "one line per record: {text}");
    assert!(records.iter().any(|r| r[1..] == ["incident", "2024-03", "Raid\\x1b[2J\\u{202e}cod.exe"]), "{records:?}");
    assert!(records.iter().any(|r| r[1] == "case") && records.iter().any(|r| r[1] == "hearing"), "{records:?}");
    let json = verify(&s.g, &bundle, &key, &["--json"]).json();
    let listed = json["record_list"].as_array().expect("record_list");
    assert!(listed.iter().any(|r| r["title"] == hostile && r["kind"] == "incident"), "exact in JSON: {listed:?}");
}

#[test]
fn stock_tools_open_check_and_verify_an_exported_bundle() {
    let s = sender(300_000);
    let dir = s.g.tmp.path();
    let (key, recipient) = age_keygen(dir, "lawyer.txt");
    let bundle = dir.join("case.gawahi");
    let fingerprint = export_to(&s, &recipient, &bundle);
    let x = dir.join("unpacked");
    std::fs::create_dir(&x).expect("mkdir");
    let unpack = sh(&x, &format!("age -d -i '{}' '{}' | tar -x", key.display(), bundle.display()));
    assert_eq!(unpack.code, 0, "age -d | tar -x: {unpack:?}");
    let sums = sh(&x, "sha256sum -c SHA256SUMS");
    assert_eq!(sums.code, 0, "sha256sum -c: {sums:?}");
    assert_eq!(sums.stdout.lines().count(), 11, "every file but SHA256SUMS itself: {}", sums.stdout);
    assert!(sums.stdout.lines().all(|l| l.ends_with(": OK")));
    let names: Vec<String> = std::fs::read_dir(x.join("evidence"))
        .expect("evidence/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3);
    assert!(names.iter().all(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))), "{names:?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(x.join("manifest.json")).expect("manifest")).expect("JSON");
    assert_eq!(manifest["exporter"]["fingerprint"], fingerprint.as_str());
    assert!(
        manifest["evidence"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["original_name"] == "-rf $(reboot)\u{202e}gpj.exe"),
        "the original name is kept in the manifest"
    );
    assert!(std::fs::read_to_string(x.join("README.txt")).expect("readme").contains("گواہی"));

    let ssh = "ssh-keygen -Y verify -f allowed_signers -I gawahi -n gawahi-bundle -s manifest.json.sig < manifest.json";
    let ossl =
        "openssl pkeyutl -verify -rawin -pubin -inkey signer.pem -sigfile manifest.json.ed25519 -in manifest.json";
    let good = sh(&x, ssh);
    assert_eq!(good.code, 0, "ssh-keygen accepts: {good:?}");
    assert!(good.stdout.contains("Good \"gawahi-bundle\" signature"), "{good:?}");
    let good = sh(&x, ossl);
    assert_eq!(good.code, 0, "openssl accepts: {good:?}");
    assert!(good.stdout.contains("Signature Verified Successfully"), "{good:?}");

    // One byte of the manifest changed: both stock tools refuse.
    let path = x.join("manifest.json");
    let mut m = std::fs::read(&path).expect("manifest");
    let at = m.len() / 2;
    m[at] ^= 0x01;
    std::fs::write(&path, &m).expect("write");
    let bad = sh(&x, ssh);
    assert_ne!(bad.code, 0, "ssh-keygen refuses a changed manifest: {bad:?}");
    let bad = sh(&x, ossl);
    assert_ne!(bad.code, 0, "openssl refuses a changed manifest: {bad:?}");
    assert_ne!(sh(&x, "sha256sum -c SHA256SUMS").code, 0, "and sha256sum notices");
    // The wrong namespace is refused too (a signature made for something else).
    let other_ns =
        sh(&x, "ssh-keygen -Y verify -f allowed_signers -I gawahi -n file -s manifest.json.sig < manifest.json");
    assert_ne!(other_ns.code, 0);

    // Our own verify agrees with the stock tools on the good bundle, and names the signer.
    let ok = verify(&s.g, &bundle, &key, &["--signer", &fingerprint]);
    assert!(ok.ok().contains(&fingerprint), "{ok:?}");
}

#[test]
fn a_passphrase_bundle_opens_with_debians_age_through_a_terminal() {
    // Debian's age reads a passphrase only from a terminal: `script` gives it one.
    let s = sender(1000);
    let dir = s.g.tmp.path();
    let pw = dir.join("bundle-pass");
    std::fs::write(&pw, "a long bundle passphrase\n").expect("write");
    let bundle = dir.join("pass.gawahi");
    s.g.run(&[
        "bundle",
        "export",
        &s.g.vault_str(),
        "--case",
        &s.case,
        "--bundle-passphrase-file",
        &pw.display().to_string(),
        "--out",
        &bundle.display().to_string(),
    ])
    .ok();
    let x = dir.join("unpacked");
    std::fs::create_dir(&x).expect("mkdir");
    let out = Command::new("script")
        .args(["-qec", &format!("age -d -o '{}' '{}'", x.join("case.tar").display(), bundle.display()), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            std::io::Write::write_all(c.stdin.as_mut().expect("stdin"), b"a long bundle passphrase\n")?;
            c.wait_with_output()
        })
        .expect("script (util-linux) and age");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(sh(&x, "tar -xf case.tar && rm case.tar && sha256sum -c SHA256SUMS").code, 0);
    // And with our verify, through the global --passphrase-file.
    let b = bundle.display().to_string();
    let p = pw.display().to_string();
    s.g.command(&["bundle", "verify", &b, "--passphrase-file", &p]).run().ok();
    let wrong = dir.join("wrong");
    std::fs::write(&wrong, "not the passphrase").expect("write");
    let msg = s.g.command(&["bundle", "verify", &b, "--passphrase-file", &wrong.display().to_string()]).run();
    assert!(msg.fails_with(6).contains("decryption: the passphrase given does not open it"), "{msg:?}");
}

/// Every failure of `bundle verify` exits 6 with one line naming the check.
fn fails_check(run: &Run, check: &str) {
    let msg = run.fails_with(6);
    assert!(msg.contains(check), "expected the check `{check}` named: {msg}");
    assert!(msg.contains("the bundle failed a check"), "{msg}");
}

#[test]
fn fail_the_tamper_matrix_exits_6_naming_each_check() {
    let s = sender(2000);
    let dir = s.g.tmp.path();
    let (key, recipient) = age_keygen(dir, "lawyer.txt");
    let bundle = dir.join("case.gawahi");
    let fingerprint = export_to(&s, &recipient, &bundle);
    let good = std::fs::read(&bundle).expect("bundle");
    let bad = dir.join("bad.gawahi");
    let run = |bytes: &[u8]| {
        std::fs::write(&bad, bytes).expect("write");
        verify(&s.g, &bad, &key, &[])
    };
    // Single-bit flips: a sample through the whole file here (the core's tests flip every bit of
    // the header and a dense sample of the rest in-process, where each check is cheaper).
    for byte in (0..good.len()).step_by(good.len() / 40 + 1).chain([good.len() - 1]) {
        let mut bytes = good.clone();
        bytes[byte] ^= 1 << (byte % 8);
        let r = run(&bytes);
        fails_check(&r, "decryption");
    }
    for cut in [0, 10, good.len() / 2, good.len() - 1] {
        fails_check(&run(&good[..cut]), "decryption");
    }
    let mut appended = good.clone();
    appended.extend_from_slice(b"extra bytes");
    fails_check(&run(&appended), "decryption");

    // A file swapped inside: opened with age, one evidence file changed, re-packed in the same
    // order and sealed again to the same recipient (what the addressee could do).
    let x = dir.join("x");
    std::fs::create_dir(&x).expect("mkdir");
    let list = "manifest.json manifest.json.sig manifest.json.ed25519 signer.pem allowed_signers README.txt records.csv custody.csv";
    let unpack = sh(&x, &format!("age -d -i '{}' '{}' | tar -x", key.display(), bundle.display()));
    assert_eq!(unpack.code, 0, "{unpack:?}");
    let order = sh(&x, &format!("age -d -i '{}' '{}' | tar -t", key.display(), bundle.display())).ok().to_owned();
    let evidence: Vec<&str> = order.lines().filter(|l| l.starts_with("evidence/")).collect();
    let repack = |name: &str| {
        let files =
            format!("{list} {} SHA256SUMS", evidence.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(" "));
        let r = sh(&x, &format!("tar --format=ustar -c {files} | age -r {recipient} > '{}'", dir.join(name).display()));
        assert_eq!(r.code, 0, "{r:?}");
        dir.join(name)
    };
    let untouched = repack("repacked.gawahi");
    verify(&s.g, &untouched, &key, &[]).ok();
    let victim = x.join(evidence[1]);
    let mut bytes = std::fs::read(&victim).expect("evidence");
    bytes[0] ^= 0xff;
    std::fs::write(&victim, &bytes).expect("write");
    fails_check(&verify(&s.g, &repack("swapped.gawahi"), &key, &[]), "hash: the SHA-256 or size of evidence file 2");
    bytes[0] ^= 0xff;
    std::fs::write(&victim, &bytes).expect("write");
    // A file added, a file removed, the manifest edited.
    std::fs::write(x.join("evil.sh"), "echo hi").expect("write");
    let r = sh(&x, &format!("tar --format=ustar -c {list} evil.sh | age -r {recipient} > ../extra.gawahi"));
    assert_eq!(r.code, 0);
    fails_check(&verify(&s.g, &dir.join("extra.gawahi"), &key, &[]), "extra file");
    let r = sh(&x, &format!("tar --format=ustar -c {list} | age -r {recipient} > ../missing.gawahi"));
    assert_eq!(r.code, 0);
    fails_check(&verify(&s.g, &dir.join("missing.gawahi"), &key, &[]), "missing file: evidence file 1");
    let m = std::fs::read_to_string(x.join("manifest.json")).expect("manifest");
    std::fs::write(x.join("manifest.json"), m.replacen("\"has_location\": false", "\"has_location\": true", 1))
        .expect("write");
    fails_check(&verify(&s.g, &repack("edited.gawahi"), &key, &[]), "signature");
    std::fs::write(x.join("manifest.json"), m).expect("write");

    // A manifest re-signed by another key: a bundle from another vault, whose signer is not the
    // one expected.
    let mallory = sender(10);
    let forged = dir.join("forged.gawahi");
    export_to(&mallory, &recipient, &forged);
    verify(&s.g, &forged, &key, &[]).ok();
    fails_check(&verify(&s.g, &forged, &key, &["--signer", &fingerprint]), "signer");
    // The wrong identity: not addressed to you.
    let (other_key, _) = age_keygen(dir, "someone-else.txt");
    fails_check(&verify(&s.g, &bundle, &other_key, &[]), "not addressed to you");
    // Not a bundle at all.
    fails_check(&run(b"just some text\n"), "decryption");
    verify(&s.g, &bundle, &key, &["--signer", &fingerprint]).ok();
}

#[test]
fn import_merges_once_keeps_the_signer_and_checks_clean() {
    let s = sender(50_000);
    let b = Gawahi::init();
    let bv = b.vault_str();
    let id = b.run(&["identity", &bv, "--json"]).json();
    let recipient = id["age_recipient"].as_str().expect("recipient").to_owned();
    let bundle = s.g.tmp.path().join("case.gawahi");
    let fingerprint = export_to(&s, &recipient, &bundle);
    let sender_id = s.g.run(&["identity", &s.g.vault_str(), "--json"]).json();
    b.run(&[
        "contact",
        "add",
        &bv,
        "--name",
        "Sender — بھیجنے والا",
        "--age",
        sender_id["age_recipient"].as_str().expect("age"),
        "--signing-key",
        sender_id["signing_key"].as_str().expect("key"),
    ])
    .ok();
    let first =
        b.run(&["bundle", "import", &bv, &bundle.display().to_string(), "--signer", &fingerprint]).ok().to_owned();
    assert!(
        first.contains("imported 3 records (0 already here), 1 links (0 already here), 3 evidence files"),
        "{first}"
    );
    assert!(first.contains("signed by your contact\tSender — بھیجنے والا"), "{first}");
    let again = b.run(&["bundle", "import", &bv, &bundle.display().to_string(), "--json"]).json();
    assert_eq!(again[0]["records_added"], 0);
    assert_eq!(again[0]["evidence_added"], 0);
    assert_eq!(again[0]["evidence_present"], 3);
    let items = b.run(&["evidence", "list", &bv, "--json"]).json();
    assert_eq!(items.as_array().map(Vec::len), Some(3));
    let custody = b.run(&["evidence", "custody", &bv, items[0]["id"].as_str().expect("id")]).json();
    assert_eq!(custody[1]["action"], "import");
    assert!(custody[1]["detail"].as_str().expect("detail").contains(&fingerprint));
    b.run(&["check", &bv]).ok();
    b.run(&["evidence", "verify", &bv]).ok();
    // The vault's own age identity, written out, opens the bundle with Debian's age.
    let key = b.tmp.path().join("my-key.txt");
    b.run(&["identity", &bv, "--export-age-identity", &key.display().to_string()]).ok();
    let x = b.tmp.path().join("x");
    std::fs::create_dir(&x).expect("mkdir");
    let r =
        sh(&x, &format!("age -d -i '{}' '{}' | tar -x && sha256sum -c SHA256SUMS", key.display(), bundle.display()));
    assert_eq!(r.code, 0, "{r:?}");
    let again = b.run(&["identity", &bv, "--export-age-identity", &key.display().to_string()]);
    assert!(again.fails_with(5).contains("already exists"), "never overwrites a key file");
    let log = b.run(&["log", &bv, "--limit", "100"]).json();
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "bundle.import"));
}

#[test]
fn fail_bad_contacts_and_recipients_exit_5_without_echoing_them() {
    let g = Gawahi::init();
    let v = g.vault_str();
    let canary = "CANARY\u{1b}[31m";
    for age in [canary, "age1", &format!("age1{}", "q".repeat(58)), "AGE1QQQ"] {
        let r = g.run(&["contact", "add", &v, "--name", "x", "--age", age]);
        let msg = r.fails_with(5);
        assert!(msg.contains("age_recipient") && !msg.contains("CANARY") && !msg.contains('\u{1b}'), "{msg}");
    }
    let good = age_keygen(g.tmp.path(), "k.txt").1;
    let r = g.run(&["contact", "add", &v, "--name", canary, "--age", &good, "--signing-key", canary]);
    let msg = r.fails_with(5);
    assert!(!msg.contains("CANARY"), "{msg}");
    let r = g.run(&["contact", "add", &v, "--name", "two\nlines", "--age", &good]);
    assert!(!r.fails_with(5).contains("two"));
    let r = g.run(&["contact", "remove", &v, canary]);
    assert!(!r.fails_with(4).contains("CANARY"));
    g.run(&["contact", "add", &v, "--name", "Lawyer", "--age", &good]).ok();
    let list = g.run(&["contact", "list", &v, "--json"]).json();
    assert_eq!(list[0]["name"], "Lawyer");
    let out = g.tmp.path().join("never.gawahi").display().to_string();
    let r = g.run(&["bundle", "export", &v, "--record", "nope", "--to", canary, "--out", &out]);
    assert!(!r.fails_with(5).contains("CANARY"));
    let r = g.run(&["bundle", "export", &v, "--record", "nope", "--to-contact", canary, "--out", &out]);
    assert!(!r.fails_with(4).contains("CANARY"));
    let r = g.command(&["bundle", "verify", &out, "--identity", &out, "--signer", canary]).run();
    assert!(!r.fails_with(5).contains("CANARY"));
    assert!(!Path::new(&out).exists());
}

/// The files in `dir` whose names end in `.part` (an export's temporary file).
fn parts(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| Path::new(n).extension().is_some_and(|ext| ext == "part"))
        .collect()
}

#[test]
fn fail_kill_9_during_export_and_import_leaves_no_bundle_and_a_clean_vault() {
    let s = sender(120 << 20);
    let dir = s.g.tmp.path().join("out");
    std::fs::create_dir(&dir).expect("mkdir");
    let b = Gawahi::init();
    let recipient =
        b.run(&["identity", &b.vault_str(), "--json"]).json()["age_recipient"].as_str().expect("r").to_owned();
    for round in 0..3u64 {
        let out = dir.join(format!("case-{round}.gawahi"));
        let args = export_args(&s, &recipient, &out);
        let mut child =
            s.g.command(&args.iter().map(String::as_str).collect::<Vec<_>>())
                .env("GAWAHI_PASSPHRASE", PASSPHRASE)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
        let started = Instant::now();
        while parts(&dir).is_empty() && started.elapsed() < Duration::from_mins(1) {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(round * 200));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait();
        assert!(!out.exists(), "round {round}: no bundle under the final name");
        s.g.run(&["check", &s.g.vault_str()]).ok();
        for p in parts(&dir) {
            std::fs::remove_file(dir.join(p)).expect("remove the temporary file");
        }
    }
    let bundle = dir.join("whole.gawahi");
    export_to(&s, &recipient, &bundle);
    let bv = b.vault_str();
    for round in 0..3u64 {
        let mut child = b
            .command(&["bundle", "import", &bv, &bundle.display().to_string()])
            .env("GAWAHI_PASSPHRASE", PASSPHRASE)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // The second pass seals files into blobs/: wait for it, then a little more each round.
        let started = Instant::now();
        let blobs = b.vault.join("blobs");
        while std::fs::read_dir(&blobs).map_or(0, Iterator::count) == 0 && started.elapsed() < Duration::from_mins(2) {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(round * 100));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait();
        let check = b.run(&["check", &bv]);
        assert_eq!(check.code, 0, "round {round}: {check:?}");
        let items = b.run(&["evidence", "list", &bv, "--json"]).json();
        let n = items.as_array().map_or(0, Vec::len);
        assert!(n == 0 || n == 3, "all or nothing, round {round}: {n}");
        assert!(parts(&blobs).is_empty(), "no temporary file once the vault is opened again");
    }
    b.run(&["bundle", "import", &bv, &bundle.display().to_string()]).ok();
    b.run(&["check", &bv]).ok();
    b.run(&["evidence", "verify", &bv]).ok();
}

#[test]
fn fail_a_full_disk_during_export_and_import_leaves_nothing_half_written() {
    let s = sender(6 << 20);
    let b = Gawahi::init();
    let recipient =
        b.run(&["identity", &b.vault_str(), "--json"]).json()["age_recipient"].as_str().expect("r").to_owned();
    let bundle = s.g.tmp.path().join("whole.gawahi");
    export_to(&s, &recipient, &bundle);
    // A tmpfs holding copies of both vaults (about 6 MiB of evidence in the sender's), then filled
    // up to 3 MiB short of full, whatever size the vaults' own files take: an export of 6 MiB more
    // cannot fit, nor can the import of it into the second vault.
    let script = r#"set -u
mount -t tmpfs -o size=32m,mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/a" && cp -a "$DST" "$MNT/b" || exit 98
free=$(df -k --output=avail "$MNT" | tail -n 1)
head -c $(( (free - 3072) * 1024 )) /dev/zero > "$MNT/filler" || exit 97
"$GAWAHI" bundle export "$MNT/a" --case "$CASE" --to "$RCPT" --out "$MNT/out.gawahi" 2>&1 >/dev/null; echo "export $?"
ls -a "$MNT" | grep -c 'part$' | sed 's/^/parts /'
test -e "$MNT/out.gawahi" && echo "bundle left" || echo "no bundle"
"$GAWAHI" check "$MNT/a" >/dev/null 2>&1; echo "check-a $?"
"$GAWAHI" bundle import "$MNT/b" "$BUNDLE" 2>&1 >/dev/null; echo "import $?"
"$GAWAHI" check "$MNT/b" >/dev/null 2>&1; echo "check-b $?"
"$GAWAHI" evidence list "$MNT/b" --json 2>/dev/null | grep -c '"id"' | sed 's/^/items /'
"#;
    let text = in_mount_namespace(
        s.g.tmp.path(),
        script,
        &[("SRC", &s.g.vault), ("DST", &b.vault), ("CASE", &s.case), ("RCPT", &recipient), ("BUNDLE", &bundle)],
    );
    assert!(text.contains("export 7"), "the export says the disk is full: {text}");
    assert!(text.contains("parts 0") && text.contains("no bundle"), "nothing left behind: {text}");
    assert!(text.contains("check-a 0"), "{text}");
    assert!(text.contains("import 7"), "the import says the disk is full: {text}");
    assert!(text.contains("check-b 0") && text.contains("items 0"), "nothing half imported: {text}");
}
