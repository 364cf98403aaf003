//! `gawahi export --csv` and `gawahi report`: the tables and PDFs from the command line, bad
//! input (an unknown case, a language we do not have, a folder that is not there, a file that
//! is), a full disk and read-only media leaving no report behind, and kill -9 while writing.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use gawahi_e2e::{Gawahi, PASSPHRASE, in_mount_namespace};
use serde_json::json;

/// A vault with a case (an Urdu title with a Latin word), its hearing, and an incident linked
/// to it; returns the vault and the case's id.
fn vault_with_a_case(g: &Gawahi) -> (String, String) {
    let v = g.vault_str();
    let case = g
        .run(&[
            "add",
            &v,
            "case",
            "--json",
            &json!({"title": "سرکار بنام صحافی PECA", "case_kind": "criminalisation", "fir_number": "FIR 7/2026",
                "court": "judicial_magistrate", "charges": [{"statute": "peca_2016", "section": "20"}]})
            .to_string(),
        ])
        .ok()
        .to_owned();
    g.run(&[
        "add",
        &v,
        "hearing",
        "--json",
        &json!({"case_id": case, "date": "2026-03-02", "purpose": "bail"}).to_string(),
    ])
    .ok();
    let incident = g
        .run(&[
            "add",
            &v,
            "incident",
            "--json",
            &json!({"title": "Raid", "occurred_on": "2026-02-27", "province": "sindh", "incident_types": ["raid_search"]})
                .to_string(),
        ])
        .ok()
        .to_owned();
    g.run(&["link", &v, &incident, &case, "--role", "arises_from"]).ok();
    (v, case)
}

#[test]
fn fail_an_anonymised_table_cuts_dates_and_leaves_out_cities_unless_asked_and_never_goes_to_a_terminal() {
    let g = Gawahi::init();
    let v = g.vault_str();
    // A city is free text: this one names a house, and carries a terminal escape (OSC 52 sets
    // the clipboard) as an import or a contact's bundle could bring it.
    let city = "Chak 45, house of Zqbashir \u{1b}]52;c;cGF3bmVk\u{7}";
    let incident = json!({"title": "Raid", "occurred_on": "2026-02-27", "province": "punjab", "city": city,
        "incident_types": ["raid_search"]});
    g.run(&["add", &v, "incident", "--json", &incident.to_string()]).ok();
    let anon = g.run(&["export", &v, "--csv", "--anonymise"]).ok().to_owned();
    assert!(!anon.contains("Zqbashir") && !anon.contains('\u{1b}'), "the city left out: {anon}");
    assert!(anon.contains("2026-02") && !anon.contains("2026-02-27"), "the date by its month: {anon}");
    let asked = g.run(&["export", &v, "--csv", "--anonymise", "--exact-dates", "--keep-cities"]).ok().to_owned();
    assert!(asked.contains("Zqbashir") && asked.contains("2026-02-27"), "kept when asked: {asked}");
    // On a terminal (`script` gives the command one), no export is written: exit 2, and neither
    // the city's text nor its escape reaches the screen.
    for format in ["--csv", "--json"] {
        let out = Command::new("script")
            .args(["-qec", &format!("\"$GAWAHI\" export \"$VAULT\" {format}"), "/dev/null"])
            .env("GAWAHI", gawahi_e2e::built_binary("gawahi"))
            .env("VAULT", &v)
            .env("GAWAHI_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::null())
            .output()
            .expect("script (util-linux)");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{format}: {text}");
        assert!(!text.contains("Zqbashir") && !text.contains('\u{1b}'), "{format}: {text}");
        assert!(text.contains("not the screen"), "{format}: {text}");
    }
}

#[test]
fn tables_and_reports_from_the_command_line() {
    let g = Gawahi::init();
    let (v, case) = vault_with_a_case(&g);
    let csv = g.run(&["export", &v, "--csv"]).ok().to_owned();
    assert!(csv.starts_with("title,date,date_precision,province"), "{csv}");
    assert!(csv.contains("Raid,2026-02-27,day,Sindh"), "{csv}");
    let anon = g.run(&["export", &v, "--csv", "--kind", "case", "--anonymise"]).ok().to_owned();
    assert!(!anon.contains("صحافی") && !anon.contains("FIR 7/2026") && anon.contains("\r\nCase "), "{anon}");
    // The JSON export is what it was: JSON Lines that `import` reads.
    let jsonl = g.run(&["export", &v, "--json", "--anonymise"]).ok().to_owned();
    assert!(jsonl.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()), "{jsonl}");

    let out = g.tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let at = |name: &str| out.join(name).display().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["report".into(), v.clone(), "--out".into(), at("summary.pdf")],
        vec![
            "report".into(),
            v.clone(),
            "--out".into(),
            at("summary-ur.pdf"),
            "--lang".into(),
            "ur".into(),
            "--anonymise".into(),
        ],
        vec![
            "report".into(),
            v.clone(),
            "--out".into(),
            at("dossier-ur.pdf"),
            "--lang".into(),
            "ur".into(),
            "--case".into(),
            case.clone(),
        ],
        vec![
            "report".into(),
            v.clone(),
            "--out".into(),
            at("causes.pdf"),
            "--cause-list".into(),
            "--from".into(),
            "2026-03-01".into(),
            "--to".into(),
            "2026-03-07".into(),
            "--json".into(),
        ],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        g.run(&args).ok();
    }
    for name in ["summary.pdf", "summary-ur.pdf", "dossier-ur.pdf", "causes.pdf"] {
        let bytes = std::fs::read(out.join(name)).expect("the report");
        assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"), "{name} is a whole PDF");
        let mode = std::fs::metadata(out.join(name)).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is readable by its owner only");
    }
    let text = Command::new("pdftotext").arg(out.join("dossier-ur.pdf")).arg("-").output().expect("pdftotext");
    let text: String =
        String::from_utf8_lossy(&text.stdout).chars().filter(|c| !('\u{202A}'..='\u{202E}').contains(c)).collect();
    assert!(text.contains("مقدمے کی فائل") && text.contains("صحافی") && text.contains("PECA"), "{text}");
    let causes = Command::new("pdftotext").arg(out.join("causes.pdf")).arg("-").output().expect("pdftotext");
    let causes = String::from_utf8_lossy(&causes.stdout);
    assert!(
        causes.contains("Cause list") && causes.contains("2026-03-02") && causes.contains("Judicial Magistrate"),
        "{causes}"
    );
    // The export of each is in the audit log, naming no content.
    let log = g.run(&["log", &v]).ok().to_owned();
    assert!(log.matches("export").count() >= 6, "{log}");
    assert!(!log.contains("صحافی"), "{log}");
}

#[test]
fn fail_bad_report_and_table_requests_exit_with_their_codes_and_name_nothing_typed() {
    let g = Gawahi::init();
    let (v, case) = vault_with_a_case(&g);
    let dir = g.tmp.path().display().to_string();
    let out = format!("{dir}/r.pdf");
    let unknown = "01234567-89ab-7def-8123-456789abcdef";
    let e = g.run(&["report", &v, "--out", &out, "--case", unknown]).fails_with(4).to_owned();
    assert!(!e.contains(unknown), "{e}");
    let e = g.run(&["report", &v, "--out", &out, "--lang", "xx-secretlang"]).fails_with(2).to_owned();
    assert!(!e.contains("secretlang"), "{e}");
    let missing = format!("{dir}/no-such-folder-canary/r.pdf");
    let e = g.run(&["report", &v, "--out", &missing]).fails_with(1).to_owned();
    assert!(!e.contains("no-such-folder-canary"), "the message names no path typed: {e}");
    std::fs::write(&out, b"mine").expect("write");
    g.run(&["report", &v, "--out", &out, "--case", &case]).fails_with(5);
    assert_eq!(std::fs::read(&out).expect("read"), b"mine", "never overwritten");
    g.run(&["report", &v, "--out", &out, "--from", "2026-01-01"]).fails_with(2);
    g.run(&["report", &v, "--out", &format!("{dir}/c.pdf"), "--cause-list", "--from", "2026-13-01"]).fails_with(5);
    g.run(&["report", &v, "--out", &format!("{dir}/c.pdf"), "--cause-list", "--case", &case]).fails_with(2);
    assert!(!g.tmp.path().join("c.pdf").exists(), "no report from a refused request");
    g.run(&["export", &v, "--csv", "--exact-dates"]).fails_with(2);
    g.run(&["export", &v, "--csv", "--keep-cities"]).fails_with(2);
    g.run(&["export", &v, "--csv", "--json"]).fails_with(2);
    g.run(&["export", &v]).fails_with(2);
    g.run(&["export", &v, "--csv", "--kind", "task"]).fails_with(5);
    let e = g.run(&["export", &v, "--csv", "--kind", "kindcanary"]).fails_with(2).to_owned();
    assert!(!e.contains("kindcanary"), "{e}");
}

#[test]
fn fail_a_full_disk_or_read_only_media_leaves_no_report_behind() {
    let g = Gawahi::init();
    let (v, case) = vault_with_a_case(&g);
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=64k,mode=0700 gawahi-test "$MNT" || exit 99
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
echo "full $("$GAWAHI" report "$VAULT" --out "$MNT/r.pdf" --case {case} >/dev/null 2>&1; echo $?)"
echo "left $(ls "$MNT" | grep -c pdf)"
rm -f "$MNT/fill" "$MNT/fill2"
mount -o remount,ro "$MNT" || exit 97
echo "ro $("$GAWAHI" report "$VAULT" --out "$MNT/r.pdf" >/dev/null 2>&1; echo $?)"
echo "after $(ls "$MNT" | grep -c pdf)"
echo "check $("$GAWAHI" check "$VAULT" >/dev/null 2>&1; echo $?)"
"#
    );
    let text = in_mount_namespace(g.tmp.path(), &script, &[("VAULT", &v)]);
    assert!(text.contains("full 7"), "a full disk exits 7: {text}");
    assert!(text.contains("left 0"), "no partial report is left on the full disk: {text}");
    assert!(text.contains("ro 8"), "read-only media exit 8: {text}");
    assert!(text.contains("after 0"), "{text}");
    assert!(text.contains("check 0"), "the vault checks clean: {text}");
}

#[test]
fn fail_an_export_cut_off_by_a_full_disk_is_taken_out_of_its_file() {
    let g = Gawahi::init();
    let v = g.vault_str();
    // About 80 KB of export, for a disk with about 24 KB left.
    let lines: String = (0..200)
        .map(|i| {
            json!({"kind": "incident", "title": format!("zqexported {i}"), "description": "x".repeat(300)}).to_string()
                + "\n"
        })
        .collect();
    let file = g.tmp.path().join("many.jsonl");
    std::fs::write(&file, lines).expect("write");
    g.run(&["import", &v, &file.display().to_string()]).ok();
    let script = r#"set -u
mount -t tmpfs -o size=256k,mode=0700 gawahi-test "$MNT" || exit 99
printf 'mine\n' > "$MNT/kept.jsonl"
dd if=/dev/zero of="$MNT/fill" bs=4k count=56 2>/dev/null
echo "new $("$GAWAHI" export "$VAULT" --json > "$MNT/new.jsonl" 2>"$MNT/../err"; echo $?) $(stat -c %s "$MNT/new.jsonl")"
echo "appended $("$GAWAHI" export "$VAULT" --csv >> "$MNT/kept.jsonl" 2>/dev/null; echo $?) $(cat "$MNT/kept.jsonl")"
echo "said $(cat "$MNT/../err")"
rm -f "$MNT/fill"
echo "room $("$GAWAHI" export "$VAULT" --json > "$MNT/new.jsonl" 2>/dev/null; echo $?) $(grep -c zqexported "$MNT/new.jsonl")"
"#;
    let text = in_mount_namespace(g.tmp.path(), script, &[("VAULT", &v)]);
    assert!(text.contains("new 7 0\n"), "a full disk exits 7 and the new file is empty again: {text}");
    assert!(text.contains("appended 7 mine\n"), "what the file held before stays, and only that: {text}");
    assert!(text.contains("taken out") && !text.contains("zqexported 1"), "{text}");
    assert!(text.contains("room 0 200"), "with room, the whole export: {text}");
}

#[test]
fn fail_kill_9_while_writing_a_report_leaves_the_vault_whole_and_no_other_file() {
    let g = Gawahi::init();
    let (v, case) = vault_with_a_case(&g);
    let out = g.tmp.path().join("reports");
    std::fs::create_dir(&out).expect("mkdir");
    for round in 0..8u64 {
        let dest = out.join(format!("r{round}.pdf")).display().to_string();
        let child = g
            .command(&["report", &v, "--out", &dest, "--case", &case, "--lang", "ur"])
            .env("GAWAHI_PASSPHRASE", PASSPHRASE)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(30 + round * 40));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait_with_output();
    }
    for entry in std::fs::read_dir(&out).expect("read dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let is_report = name.starts_with('r') && path.extension().is_some_and(|e| e == "pdf");
        assert!(is_report, "a stray file {name}: no temporary copy is ever made");
        let bytes = std::fs::read(&path).expect("read");
        // The report is written unnamed and named only when whole: a file there is whole.
        assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"), "{name} is cut short");
    }
    g.run(&["check", &v]).ok();
}
