//! Anonymised tables and PDF reports: a canary in every field that must not leave (a
//! non-consenting person, CNIC, phone, address, GPS, free text, evidence metadata and the EXIF
//! inside an evidence file) searched for in every export in UTF-8, UTF-16 and base64; stable
//! pseudonyms; coarsening only when asked; the Urdu PDF rendered (pdftoppm) and compared with a
//! reference image, and its text extracted (pdftotext) back to the same words; hostile text
//! rendered inert; bad requests refused.
//!
//! The reference image is `data/reports/summary-ur.png`. After a deliberate change to the
//! layout, regenerate it with
//! `GAWAHI_WRITE_REFERENCE=1 cargo test -p gawahi-core --test integration reports::urdu_summary`
//! and look at it before committing it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use base64::Engine;
use gawahi_core::Kind;
use gawahi_core::error::{Error, ErrorCode};
use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::export::ExportOptions;
use gawahi_core::report::anonymise::{TableFormat, TableOptions};
use gawahi_core::vault::{ReportKind, ReportRequest};
use gawahi_core::vocab::Lang;
use gawahi_core::{Vault, records::Record};
use serde_json::{Value, json};

use crate::support::{PASSPHRASE, data_dir, new_vault, obj, pass};

const TODAY: &str = "2026-11-30";

/// Every form in which a canary could leave: UTF-8, UTF-16 both ways, and base64 at each of the
/// three alignments (the middle of the encoding, which does not depend on the bytes around it).
fn forms(canary: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("UTF-8".to_owned(), canary.as_bytes().to_vec()),
        ("UTF-16LE".to_owned(), canary.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        ("UTF-16BE".to_owned(), canary.encode_utf16().flat_map(u16::to_be_bytes).collect()),
    ];
    for shift in 0..3 {
        let mut bytes = vec![b'x'; shift];
        bytes.extend_from_slice(canary.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let start = if shift == 0 { 0 } else { 4 };
        out.push((format!("base64+{shift}"), encoded.as_bytes()[start..encoded.len() - 4].to_vec()));
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The text `pdftotext` extracts from a PDF (UTF-8, in reading order).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A small JPEG whose EXIF names the camera (`Make`) and holds a GPS block with a map datum,
/// each carrying a canary.
fn jpeg_with_device_and_gps(make: &str, datum: &str) -> Vec<u8> {
    let (make, datum) = ([make.as_bytes(), b"\0"].concat(), [datum.as_bytes(), b"\0"].concat());
    let ifd0_len = 2 + 2 * 12 + 4;
    let make_at = 8 + ifd0_len;
    let gps_at = make_at + make.len() + make.len() % 2;
    let datum_at = gps_at + 2 + 12 + 4;
    let entry = |tag: u16, kind: u16, count: usize, value: usize| {
        [
            tag.to_be_bytes().as_slice(),
            &kind.to_be_bytes(),
            &(count as u32).to_be_bytes(),
            &(value as u32).to_be_bytes(),
        ]
        .concat()
    };
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend(entry(0x010f, 2, make.len(), make_at));
    tiff.extend(entry(0x8825, 4, 1, gps_at));
    tiff.extend_from_slice(&[0; 4]);
    tiff.extend_from_slice(&make);
    tiff.resize(gps_at, 0);
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend(entry(0x0012, 2, datum.len(), datum_at));
    tiff.extend_from_slice(&[0; 4]);
    tiff.extend_from_slice(&datum);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(b"\xff\xda\x00\x02image data\xff\xd9");
    jpeg
}

/// The canaries, each in one place of the vault.
struct Canaries {
    /// The real name of a person who did not consent to publication.
    refusing_name: &'static str,
    /// The real name of a person who consented to anonymised publication.
    consenting_name: &'static str,
    /// The pseudonym the user typed for the consenting person.
    typed_pseudonym: &'static str,
    cnic: &'static str,
    phone: &'static str,
    address: &'static str,
    /// An incident's latitude and longitude, as written.
    latitude: &'static str,
    longitude: &'static str,
    /// Free text: an incident's narrative, a case's FIR number, a hearing's purpose.
    narrative: &'static str,
    fir_number: &'static str,
    hearing_purpose: &'static str,
    /// A case's and an incident's titles.
    case_title: &'static str,
    incident_title: &'static str,
    /// Evidence metadata: the file's name, source, notes.
    evidence_name: &'static str,
    evidence_source: &'static str,
    evidence_notes: &'static str,
    /// An incident's city: published only in a table whose places are not coarsened.
    city: &'static str,
    /// Inside the evidence file: the camera's make and a GPS datum.
    exif_make: &'static str,
    exif_gps: &'static str,
}

const C: Canaries = Canaries {
    refusing_name: "Refusingname Qxv",
    consenting_name: "Consentingname Qxv",
    typed_pseudonym: "Typedpseudonym Qxv",
    cnic: "35202-7731773-1",
    phone: "+92 300 7731885",
    address: "House 9 Addresscanary Qxv Road",
    latitude: "31.5204771",
    longitude: "74.3587117",
    narrative: "Narrativecanary Qxv",
    fir_number: "FIR 7788-Qxv",
    hearing_purpose: "Purposecanary Qxv",
    case_title: "Casetitle Qxv",
    incident_title: "Incidenttitle Qxv",
    evidence_name: "evidencename-qxv.jpg",
    evidence_source: "Sourcecanary Qxv",
    evidence_notes: "Notescanary Qxv",
    city: "Citycanary Qxv",
    exif_make: "Exifmakecanary Qxv",
    exif_gps: "Exifgpscanary Qxv",
};

/// A vault holding every canary: a case with a hearing, an incident linked to it with
/// coordinates, a person who refused publication, one who consented (with CNIC, phone, address),
/// and a photo on the incident whose EXIF names the camera and holds GPS.
fn canary_vault() -> (tempfile::TempDir, std::path::PathBuf, Vault, String) {
    let (tmp, dir, mut v) = new_vault();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": C.case_title, "case_kind": "criminalisation", "fir_number": C.fir_number,
                "fir_date": "2024-03-05", "court": "judicial_magistrate", "status": "on_trial",
                "charges": [{"statute": "peca_2016", "section": "20"}]})),
        )
        .expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2024-04-02", "purpose": C.hearing_purpose})))
        .expect("hearing");
    let incident = v
        .add(
            Kind::Incident,
            obj(json!({"title": C.incident_title, "description": C.narrative, "occurred_on": "2024-03-04",
                "province": "punjab", "district": "punjab.lahore", "city": C.city,
                "latitude": C.latitude.parse::<f64>().expect("lat"), "longitude": C.longitude.parse::<f64>().expect("lon"),
                "incident_types": ["raid_search"]})),
        )
        .expect("incident");
    let refusing = v
        .add(Kind::Person, obj(json!({"name": C.refusing_name, "consent_to_store": true, "roles": ["victim"]})))
        .expect("refusing person");
    let consenting = v
        .add(
            Kind::Person,
            obj(json!({"name": C.consenting_name, "pseudonym": C.typed_pseudonym, "cnic": C.cnic, "phone": C.phone,
                "address": C.address, "consent_to_store": true, "consent_to_publish_anonymised": true,
                "roles": ["defender"], "gender": "female"})),
        )
        .expect("consenting person");
    v.link(&incident.id, &case.id, "arises_from").expect("link");
    v.link(&refusing.id, &incident.id, "victim").expect("link");
    v.link(&consenting.id, &case.id, "accused").expect("link");
    let photo = jpeg_with_device_and_gps(C.exif_make, C.exif_gps);
    let item = v
        .add_evidence(
            &incident.id,
            photo.as_slice(),
            EvidenceMeta {
                original_name: Some(C.evidence_name.into()),
                source: Some(C.evidence_source.into()),
                notes: Some(C.evidence_notes.into()),
                ..EvidenceMeta::default()
            },
        )
        .expect("evidence");
    assert!(item.has_device_info || item.has_location, "the photo's EXIF is seen at intake");
    (tmp, dir, v, case.id)
}

fn table(v: &mut Vault, kind: Kind, options: TableOptions, format: TableFormat) -> Vec<u8> {
    let mut out = Vec::new();
    v.export_table(kind, options, format, &mut out).expect("table");
    out
}

fn report(v: &mut Vault, kind: ReportKind, lang: Lang, anonymise: bool) -> Vec<u8> {
    v.report_pdf(&ReportRequest { kind, lang, anonymise, today: TODAY.into() }).expect("report")
}

/// Every export of the vault, named, with the bytes a reader gets (a PDF's extracted text
/// beside its bytes).
fn every_export(v: &mut Vault, case: &str, anonymise: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let kinds =
        [Kind::Incident, Kind::Case, Kind::Person, Kind::Threat, Kind::Hearing, Kind::Referral, Kind::Organisation];
    let coarse = [(false, false), (true, true), (true, false), (false, true)];
    for kind in kinds {
        for (coarsen_dates, coarsen_places) in coarse {
            let options = TableOptions { anonymise, coarsen_dates, coarsen_places };
            for format in [TableFormat::Csv, TableFormat::Json] {
                let name = format!("{kind:?} table {format:?} {options:?}");
                out.push((name, table(v, kind, options, format)));
            }
        }
    }
    let mut jsonl = Vec::new();
    v.export_jsonl(ExportOptions { anonymise }, &mut jsonl).expect("jsonl");
    out.push(("JSON Lines export".into(), jsonl));
    for lang in [Lang::En, Lang::Ur] {
        let kinds = [
            ReportKind::Summary,
            ReportKind::Dossier { case_id: case.to_owned() },
            ReportKind::CauseList { from: "2024-01-01".into(), to: "2024-12-31".into() },
        ];
        for kind in kinds {
            let pdf = report(v, kind.clone(), lang, anonymise);
            out.push((format!("{kind:?} {lang:?} PDF text"), pdf_text(&pdf).into_bytes()));
            out.push((format!("{kind:?} {lang:?} PDF"), pdf));
        }
    }
    out
}

fn leaks(exports: &[(String, Vec<u8>)], canaries: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for canary in canaries {
        for (form, needle) in forms(canary) {
            for (name, bytes) in exports {
                if holds(bytes, &needle) {
                    found.push(format!("{name} holds {canary:?} as {form}"));
                }
            }
        }
    }
    found
}

#[test]
fn fail_no_export_carries_a_canary_where_it_must_not() {
    let (_tmp, _dir, mut v, case) = canary_vault();
    // Anonymised: nothing that names, numbers or locates anyone, nor any free text.
    let anonymised = every_export(&mut v, &case, true);
    let never_published = [
        C.refusing_name,
        C.consenting_name,
        C.typed_pseudonym,
        C.cnic,
        C.phone,
        C.address,
        C.latitude,
        C.longitude,
        C.narrative,
        C.fir_number,
        C.hearing_purpose,
        C.case_title,
        C.incident_title,
        C.evidence_name,
        C.evidence_source,
        C.evidence_notes,
        C.exif_make,
        C.exif_gps,
        "7731773",
        "Lahore ",
    ];
    let found = leaks(&anonymised, &never_published);
    assert!(found.is_empty(), "anonymised exports leak:\n{}", found.join("\n"));
    // Not even the consenting person's row is missing: they are there under a pseudonym.
    let persons = String::from_utf8(table(
        &mut v,
        Kind::Person,
        TableOptions { anonymise: true, ..Default::default() },
        TableFormat::Csv,
    ))
    .expect("utf-8");
    assert_eq!(persons.lines().count(), 2, "a header and the one consenting person: {persons}");
    assert!(persons.lines().nth(1).is_some_and(|l| l.starts_with("Person ")), "{persons}");

    // The owner's own exports: the EXIF inside the file never (no export reads a file's
    // content), and the sensitive fields of a person marked anonymous never.
    let full = every_export(&mut v, &case, false);
    let found = leaks(&full, &[C.exif_make, C.exif_gps]);
    assert!(found.is_empty(), "full exports carry the file's EXIF:\n{}", found.join("\n"));
    assert!(!leaks(&full, &[C.cnic]).is_empty(), "a full export does carry a person's CNIC: the scan finds it");
    let consenting = v
        .list(Kind::Person, None, 10)
        .expect("people")
        .into_iter()
        .find(|r: &Record| r.data.label() == C.typed_pseudonym);
    let consenting = consenting.expect("the consenting person");
    v.update(&consenting.id, obj(json!({"anonymous": true}))).expect("mark anonymous");
    let full = every_export(&mut v, &case, false);
    let found = leaks(&full, &[C.consenting_name, C.cnic, C.phone, C.address, C.exif_make, C.exif_gps, "7731773"]);
    assert!(found.is_empty(), "full exports carry an anonymous person's sensitive fields:\n{}", found.join("\n"));
}

#[test]
fn pseudonyms_are_stable_across_exports_and_unlocks_and_are_not_the_ids() {
    let (_tmp, dir, mut v, case) = canary_vault();
    let anon = TableOptions { anonymise: true, ..Default::default() };
    let first = table(&mut v, Kind::Case, anon, TableFormat::Csv);
    let mut jsonl = Vec::new();
    v.export_jsonl(ExportOptions { anonymise: true }, &mut jsonl).expect("jsonl");
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(table(&mut v, Kind::Case, anon, TableFormat::Csv), first, "the same pseudonyms after unlocking again");
    let mut again = Vec::new();
    v.export_jsonl(ExportOptions { anonymise: true }, &mut again).expect("jsonl");
    assert_eq!(again, jsonl, "the anonymised JSON's ids are stable too");
    let first = String::from_utf8(first).expect("utf-8");
    let text = first.clone() + &String::from_utf8(jsonl).expect("utf-8");
    assert!(!text.contains(&case) && !text.contains(&case[..8]), "the case's id does not leave");
    let title = first.lines().nth(1).and_then(|l| l.split(',').next()).expect("a row").to_owned();
    assert!(title.starts_with("Case ") && title.len() == "Case ".len() + 8, "{title}");
    // A key rotation unlinks: every pseudonym changes.
    v.rotate_key(&pass(PASSPHRASE), &pass("another long passphrase"), |_| {}).expect("rotate");
    let rotated = String::from_utf8(table(&mut v, Kind::Case, anon, TableFormat::Csv)).expect("utf-8");
    assert!(!rotated.contains(&title), "{title} survived the rotation: {rotated}");
}

#[test]
fn fail_anonymised_rows_do_not_come_in_the_order_records_were_entered() {
    // Incidents logged the day they happened, entered in the order of their days: in id order
    // (UUIDv7, the moment of entry) the rows of a month-cut table would give the days' order.
    let (_tmp, _dir, mut v) = new_vault();
    for day in 1..=8 {
        v.add(Kind::Incident, obj(json!({"title": format!("t{day}"), "occurred_on": format!("2024-05-0{day}")})))
            .expect("incident");
    }
    let options = TableOptions { anonymise: true, coarsen_dates: true, coarsen_places: true };
    let csv = String::from_utf8(table(&mut v, Kind::Incident, options, TableFormat::Csv)).expect("utf-8");
    let titles: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().expect("title")).collect();
    assert_eq!(titles.len(), 8, "{csv}");
    assert!(titles.is_sorted(), "rows by pseudonym: {titles:?}");
    let mut out = Vec::new();
    v.export_jsonl(ExportOptions { anonymise: true }, &mut out).expect("export");
    let ids: Vec<String> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 8);
    assert!(ids.is_sorted(), "lines by alias: {ids:?}");
}

#[test]
fn tables_are_uwazi_shaped_and_coarsen_only_when_asked() {
    let (_tmp, _dir, mut v, _case) = canary_vault();
    let csv = |v: &mut Vault, o| String::from_utf8(table(v, Kind::Incident, o, TableFormat::Csv)).expect("utf-8");
    let fine = csv(&mut v, TableOptions { anonymise: true, ..Default::default() });
    let header: Vec<&str> = fine.lines().next().expect("header").split(',').collect();
    assert_eq!(header[0], "title", "Uwazi needs a title column first: {fine}");
    let row = fine.lines().nth(1).expect("row");
    // Select values by their English label; several joined with `|`; a day kept as a day.
    assert!(row.contains(&format!(",2024-03-04,day,Punjab,Lahore,{},Raid or search,", C.city)), "{row}");
    assert!(row.contains(",Case "), "the case by its pseudonym: {row}");
    let coarse = csv(&mut v, TableOptions { anonymise: true, coarsen_dates: true, coarsen_places: true });
    assert!(!coarse.lines().next().expect("header").contains("city"), "{coarse}");
    assert!(coarse.contains(",2024-03,month,Punjab,Lahore,Raid or search,"), "{coarse}");
    assert!(!coarse.contains("2024-03-04"), "{coarse}");
    let cases = String::from_utf8(table(
        &mut v,
        Kind::Case,
        TableOptions { anonymise: true, ..Default::default() },
        TableFormat::Csv,
    ))
    .expect("utf-8");
    assert!(cases.contains("Prevention of Electronic Crimes Act 2016::s.20"), "a charge as a grouped value: {cases}");
    let json = String::from_utf8(table(
        &mut v,
        Kind::Incident,
        TableOptions { anonymise: true, ..Default::default() },
        TableFormat::Json,
    ))
    .expect("utf-8");
    let first: Value = serde_json::from_str(json.lines().next().expect("line")).expect("json");
    assert_eq!(first["type_of_act"], json!(["Raid or search"]), "{json}");
    // The owner's table keeps everything but what the anonymous flag withholds.
    let full = csv(&mut v, TableOptions::default());
    assert!(full.contains(C.narrative) && full.contains(&format!("{}|{}", C.latitude, C.longitude)), "{full}");
}

#[test]
fn fail_tables_of_private_kinds_and_bad_report_requests_are_refused() {
    let (_tmp, _dir, mut v, case) = canary_vault();
    for kind in [Kind::Risk, Kind::Task] {
        let mut out = Vec::new();
        let e = v.export_table(kind, TableOptions::default(), TableFormat::Csv, &mut out).expect_err("private kind");
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(out.is_empty(), "nothing written");
    }
    let ask = |kind| ReportRequest { kind, lang: Lang::En, anonymise: false, today: TODAY.into() };
    let unknown = v.report_pdf(&ask(ReportKind::Dossier { case_id: "01234567-89ab-7def-8123-456789abcdef".into() }));
    assert!(matches!(unknown, Err(Error::RecordNotFound(_))), "{unknown:?}");
    let person = v.list(Kind::Person, None, 1).expect("people").remove(0);
    let not_a_case = v.report_pdf(&ask(ReportKind::Dossier { case_id: person.id }));
    assert_eq!(not_a_case.expect_err("a person").code(), ErrorCode::InvalidInput);
    for (from, to) in [("2024-13-01", "2024-12-31"), ("2024-12-31", "2024-01-01"), ("x", "y")] {
        let e = v.report_pdf(&ask(ReportKind::CauseList { from: from.into(), to: to.into() })).expect_err("bad days");
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{from}..{to}");
    }
    let mut bad_today = ask(ReportKind::Summary);
    bad_today.today = "soon".into();
    assert_eq!(v.report_pdf(&bad_today).expect_err("today").code(), ErrorCode::InvalidInput);
    // Written only where asked, never over a file, never into a folder that is not there.
    let tmp = tempfile::tempdir().expect("tmp");
    let missing = tmp.path().join("no such folder").join("r.pdf");
    let e = v.write_report(&ask(ReportKind::Dossier { case_id: case.clone() }), &missing).expect_err("missing folder");
    assert!(!e.to_string().contains("no such folder"), "the message names no path the user gave: {e}");
    let taken = tmp.path().join("taken.pdf");
    std::fs::write(&taken, b"mine").expect("write");
    let e = v.write_report(&ask(ReportKind::Summary), &taken).expect_err("exists");
    assert_eq!(e.code(), ErrorCode::OutputExists);
    assert_eq!(std::fs::read(&taken).expect("read"), b"mine", "never overwritten");
    let fresh = tmp.path().join("fresh.pdf");
    let bytes = v.write_report(&ask(ReportKind::Summary), &fresh).expect("written");
    assert_eq!(std::fs::metadata(&fresh).expect("meta").len(), bytes);
    assert_eq!(std::fs::metadata(&fresh).expect("meta").permissions().mode() & 0o777, 0o600);
    // Every report and table is in the audit log, and the log still vouches for every record.
    v.report_pdf(&ask(ReportKind::Dossier { case_id: case })).expect("dossier");
    let report = v.check().expect("check");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn fail_hostile_record_text_is_rendered_inert() {
    let (_tmp, _dir, mut v) = new_vault();
    // A title as long as a title may be, with an override, an isolate and a terminal escape.
    let title = format!("Evil\u{202E}fdp.exe\u{2066}\x1b[31m\r name {}", "long ".repeat(190));
    let case =
        v.add(Kind::Case, obj(json!({"title": title.trim_end(), "case_kind": "criminalisation"}))).expect("case");
    // A hearing's outcome of 100 KB, overrides and controls throughout.
    let outcome =
        format!("Outcome \u{202D}\u{202E}\u{0007}\u{0085} {}", "فیصلہ محفوظ \u{202E}reserved\r ".repeat(4_000));
    assert!(outcome.len() > 100_000);
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2024-05-01", "outcome": outcome}))).expect("hearing");
    for lang in [Lang::En, Lang::Ur] {
        let pdf = report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, lang, false);
        let text = pdf_text(&pdf);
        for c in ['\u{202D}', '\u{202E}', '\u{2066}', '\u{1b}', '\u{7}', '\u{85}', '\r'] {
            assert!(!text.contains(c), "{c:?} reached the page");
        }
        assert!(text.contains("Evil") && text.contains("fdp.exe"), "the title is there, inert: {text}");
        assert!(text.contains('…'), "the long texts say they are cut");
        // pdftotext ends every page with a form feed.
        let pages = text.matches('\u{c}').count();
        assert!((1..6).contains(&pages), "100 KB is cut, not laid out over {pages} pages");
    }
}

/// Renders page 1 of `pdf` at 60 dpi to PNG bytes.
fn render(pdf: &[u8], dir: &Path) -> Vec<u8> {
    let path = dir.join("r.pdf");
    std::fs::write(&path, pdf).expect("pdf");
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    std::fs::read(dir.join("page.png")).expect("png")
}

/// A vault whose summary in Urdu has tables, a chart and an Urdu label with a Latin word in it.
fn urdu_vault() -> (tempfile::TempDir, Vault) {
    let (tmp, _dir, mut v) = new_vault();
    for (i, (province, types)) in [
        ("punjab", vec!["raid_search"]),
        ("punjab", vec!["death_threat"]),
        ("sindh", vec!["death_threat", "raid_search"]),
        ("sindh", vec!["death_threat"]),
        ("balochistan", vec!["enforced_disappearance"]),
    ]
    .into_iter()
    .enumerate()
    {
        v.add(
            Kind::Incident,
            obj(json!({"title": format!("واقعہ {i}"), "occurred_on": format!("2024-0{}-10", i % 3 + 1),
                "province": province, "incident_types": types})),
        )
        .expect("incident");
    }
    v.add(Kind::Case, obj(json!({"title": "مقدمہ PECA", "case_kind": "criminalisation", "status": "on_trial"})))
        .expect("case");
    (tmp, v)
}

#[test]
fn urdu_summary_renders_like_the_reference_image() {
    let (_tmp, mut v) = urdu_vault();
    let pdf = report(&mut v, ReportKind::Summary, Lang::Ur, false);
    let work = tempfile::tempdir().expect("tmp");
    let png = render(&pdf, work.path());
    let reference = data_dir().join("reports").join("summary-ur.png");
    if std::env::var_os("GAWAHI_WRITE_REFERENCE").is_some() {
        std::fs::create_dir_all(reference.parent().expect("parent")).expect("mkdir");
        std::fs::write(&reference, &png).expect("write reference");
    }
    // ImageMagick counts the pixels that differ by more than a little (anti-aliasing may move
    // with a newer poppler or FreeType); a few hundred of 175,000 is noise, a moved word is not.
    let rendered = work.path().join("page.png");
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "20%"])
        .arg(&rendered)
        .arg(&reference)
        .arg("null:")
        .output()
        .expect("compare (imagemagick)");
    let differing: f64 =
        String::from_utf8_lossy(&out.stderr).split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(f64::MAX);
    assert!(differing < 400.0, "{differing} pixels differ from {}", reference.display());
}

#[test]
fn urdu_text_comes_back_from_the_pdf_in_order() {
    let (_tmp, mut v) = urdu_vault();
    let pdf = report(&mut v, ReportKind::Summary, Lang::Ur, false);
    let text = pdf_text(&pdf);
    // pdftotext marks right-to-left runs with embeddings; the words are what matter.
    let clean: String = text.chars().filter(|c| !('\u{202A}'..='\u{202E}').contains(c)).collect();
    for words in
        ["خلاصہ رپورٹ", "واقعات بلحاظ قسم", "جان سے مارنے کی دھمکی", "پنجاب", "سندھ", "بلوچستان", "مقدمات بلحاظ حیثیت"]
    {
        assert!(clean.contains(words), "{words} is not in the extracted text:\n{clean}");
    }
    // A dossier: the Latin word inside the Urdu title comes back between its Urdu neighbours.
    let case = v.list(Kind::Case, None, 1).expect("cases").remove(0);
    let pdf = report(&mut v, ReportKind::Dossier { case_id: case.id }, Lang::Ur, false);
    let clean: String = pdf_text(&pdf).chars().filter(|c| !('\u{202A}'..='\u{202E}').contains(c)).collect();
    assert!(clean.contains("مقدمہ PECA") || clean.contains("PECA مقدمہ"), "{clean}");
    assert!(clean.contains("مقدمے کی فائل") && clean.contains("الزامات"), "{clean}");
    let english = pdf_text(&report(&mut v, ReportKind::Summary, Lang::En, false));
    assert!(english.contains("Incidents by type") && english.contains("Death threat"), "{english}");
}

#[test]
fn fail_an_anonymised_dossier_gives_no_hash_or_size_of_its_evidence() {
    // Whoever holds an exhibit (the police, the sender of a threat) could match its hash or size
    // and so tie the case's pseudonym to the named case.
    let (_tmp, _dir, mut v) = new_vault();
    let case = v.add(Kind::Case, obj(json!({"title": "t", "case_kind": "criminalisation"}))).expect("case").id;
    let exhibit = b"the FIR copy the police also hold, 1234567 bytes or so".repeat(37);
    let item = v.add_evidence(&case, exhibit.as_slice(), EvidenceMeta::default()).expect("evidence");
    let size = item.size.to_string();
    for lang in [Lang::En, Lang::Ur] {
        // A hash is broken over lines in its table cell (and, in Urdu, each piece set in
        // embedding marks): looked for among the Latin letters and digits alone.
        let compact = |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
        let owner = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.clone() }, lang, false));
        assert!(compact(&owner).contains(&item.sha256), "{lang:?}: the owner's dossier has the hash:\n{owner}");
        assert!(owner.contains(&size), "{lang:?}: the owner's dossier has the size:\n{owner}");
        let anonymised = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.clone() }, lang, true));
        assert!(!compact(&anonymised).contains(&item.sha256[..12]), "{lang:?}: the hash is in:\n{anonymised}");
        assert!(!anonymised.contains(&size), "{lang:?}: the size is in:\n{anonymised}");
        assert!(anonymised.contains(if lang == Lang::En { "not shown" } else { "نہیں دکھائے" }), "{anonymised}");
    }
}

#[test]
fn fail_an_anonymised_dossier_shows_months_and_leaves_out_tasks_and_unpublished_dates() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": "Detained abroad", "case_kind": "detained_abroad", "status": "detained",
                "fir_date": "2024-03-05", "court": "judicial_magistrate",
                "detention_abroad": {"country": "sa", "arrested_on": "2024-01-17", "sentenced_on": "2024-09-21",
                                     "consular_access_on": "2024-02-13"},
                "bail_events": [{"on": "2024-04-09", "event": "refused", "stage": "post_arrest",
                                 "court": "foreign_court", "order": "bail refused"}]})),
        )
        .expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2024-04-02", "next_date": "2024-05-06"})))
        .expect("hearing");
    v.add(
        Kind::Task,
        obj(json!({"title": "Appeal plan", "due_on": "2024-06-10", "case_id": case.id, "deadline": "appeal"})),
    )
    .expect("task");
    let exact_days = [
        "2024-03-05",
        "2024-01-17",
        "2024-09-21",
        "2024-02-13",
        "2024-04-09",
        "2024-04-02",
        "2024-05-06",
        "2024-06-10",
    ];
    for lang in [Lang::En, Lang::Ur] {
        let owner = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, lang, false));
        // The owner's own dossier has every day, the deadline and the arrest.
        for day in exact_days {
            assert!(owner.contains(day), "{lang:?}: the owner's dossier has {day}");
        }
        let anonymised = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, lang, true));
        for day in exact_days {
            assert!(!anonymised.contains(day), "{lang:?}: an anonymised dossier shows {day}");
        }
        // The FIR, the hearing and its next date, and the bail refusal by their months; the arrest,
        // sentence, consular visit (months that are news) and the task's deadline not at all.
        for month in ["2024-03", "2024-04", "2024-05"] {
            assert!(anonymised.contains(month), "{lang:?}: {month} is in the anonymised dossier:\n{anonymised}");
        }
        for month in ["2024-01", "2024-09", "2024-02", "2024-06"] {
            assert!(!anonymised.contains(month), "{lang:?}: {month} is in the anonymised dossier:\n{anonymised}");
        }
    }
    let english = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, Lang::En, false));
    assert!(english.contains("Arrested") && english.contains("Deadline"), "{english}");
    let english = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id }, Lang::En, true));
    assert!(!english.contains("Arrested") && !english.contains("Deadline"), "{english}");
}

#[test]
fn fail_an_anonymised_summary_gives_no_small_count_away_through_its_totals() {
    let (_tmp, _dir, mut v) = new_vault();
    // The review's case: 5 incidents, 4 in Sindh and 1 in Punjab; the summary shows "Incidents 5".
    let incident = |province: &str| {
        obj(json!({"title": "t", "province": province, "occurred_on": "2024-03-04", "incident_types": ["raid_search"]}))
    };
    v.add_batch(["sindh", "sindh", "sindh", "sindh", "punjab"].map(|p| (Kind::Incident, incident(p)))).expect("batch");
    let text = pdf_text(&report(&mut v, ReportKind::Summary, Lang::En, true));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Incidents 5"), "{flat}");
    // Neither province's count is shown: "Sindh 4" would give Punjab's 1 away.
    assert!(!flat.contains("Sindh 4") && !flat.contains("Punjab 1"), "{flat}");
    assert!(flat.contains("Punjab not shown") && flat.contains("Sindh not shown"), "{flat}");
    // Every incident is a raid in March: the type and month tables are one row each, 5 records:
    // shown, nothing small in them.
    assert!(flat.contains("Raid or search 5") && flat.contains("2024-03 5"), "{flat}");
    // The owner's own summary has the counts.
    let owner = pdf_text(&report(&mut v, ReportKind::Summary, Lang::En, false));
    let flat = owner.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Sindh 4") && flat.contains("Punjab 1"), "{flat}");
}

#[test]
fn fail_an_anonymised_cause_list_numbers_its_cases_and_never_shows_their_pseudonyms() {
    let (_tmp, _dir, mut v) = new_vault();
    let mut cases = Vec::new();
    for title in ["First case Qzq", "Second case Qzq"] {
        let case = v
            .add(
                Kind::Case,
                obj(json!({"title": title, "case_kind": "criminalisation", "court": "judicial_magistrate"})),
            )
            .expect("case");
        cases.push(case.id);
    }
    for (case, day) in [(&cases[0], "2024-04-02"), (&cases[1], "2024-04-03"), (&cases[0], "2024-04-09")] {
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": day}))).expect("hearing");
    }
    let list = || ReportKind::CauseList { from: "2024-04-01".into(), to: "2024-04-30".into() };
    for lang in [Lang::En, Lang::Ur] {
        // pdftotext marks right-to-left runs with embeddings; the words are what matter.
        let text: String = pdf_text(&report(&mut v, list(), lang, true))
            .chars()
            .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
            .collect();
        // The stable pseudonyms the dossiers (and every anonymised export) publish the cases under
        // are not in it: a day and a court found in a court's own cause list would name them.
        for case in &cases {
            let dossier = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.clone() }, Lang::En, true));
            let words: Vec<&str> = dossier.split_whitespace().collect();
            let pseudonym = words
                .windows(2)
                .find(|w| w[0] == "Case" && w[1].len() == 8 && w[1].chars().all(|c| c.is_ascii_alphanumeric()))
                .map(|w| w[1])
                .expect("the case's pseudonym in its dossier");
            assert!(!text.contains(pseudonym), "{lang:?}: the cause list shows {pseudonym}");
        }
        assert!(!text.contains("Qzq"), "{lang:?}: a title in an anonymised cause list");
        // The exact days stay (they are what a cause list is for), each case under its number.
        let word = if lang == Lang::En { "Case" } else { "مقدمہ" };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for day in ["2024-04-02", "2024-04-03", "2024-04-09"] {
            assert!(flat.contains(day), "{lang:?}: {day}:\n{flat}");
        }
        // (pdftotext may give an Urdu cell's number before or after its word.)
        let tokens: Vec<&str> = flat.split(' ').collect();
        let numbered =
            |n: &str| tokens.windows(2).filter(|w| (w[0] == word && w[1] == n) || (w[0] == n && w[1] == word)).count();
        assert_eq!((numbered("1"), numbered("2")), (2, 1), "{lang:?}: {flat}");
    }
    let owner = pdf_text(&report(&mut v, list(), Lang::En, false));
    assert!(owner.contains("First case Qzq") && owner.contains("Second case Qzq"), "{owner}");
}

#[test]
fn fail_an_anonymised_dossier_gives_no_status_to_a_hearing_of_the_month_it_is_made_in() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(Kind::Case, obj(json!({"title": "c", "case_kind": "criminalisation", "court": "judicial_magistrate"})))
        .expect("case");
    // Made on 2026-11-30: a hearing on the 12th of that month was held (or not recorded), one
    // on the 2nd of December is scheduled. Under a month alone, "held" puts the first in the
    // first part of November.
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2026-11-12"}))).expect("hearing");
    let owner = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, Lang::En, false));
    let flat = owner.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("2026-11-12 held") || flat.contains("2026-11-12 scheduled"), "{flat}");
    let anonymised = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id }, Lang::En, true));
    let flat = anonymised.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("2026-11"), "{flat}");
    for status in ["held", "scheduled", "adjourned", "decided", "not taken up"] {
        assert!(!flat.contains(status), "{status} in {flat}");
    }
}

#[test]
fn an_anonymised_dossier_keeps_a_compliance_date_a_deadline_task_stands_for() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(Kind::Case, obj(json!({"title": "c", "case_kind": "criminalisation", "court": "judicial_magistrate"})))
        .expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2025-02-03", "compliance_on": "2025-03-17"})))
        .expect("hearing");
    // The lawyer's task for the same date: the timeline shows the date once, as the deadline.
    v.add(
        Kind::Task,
        obj(json!({"title": "File the reply Qzq", "due_on": "2025-03-17", "deadline": "compliance", "case_id": case.id})),
    )
    .expect("task");
    let owner = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id.clone() }, Lang::En, false));
    assert!(owner.contains("Deadline") && owner.contains("2025-03-17"), "{owner}");
    let anonymised = pdf_text(&report(&mut v, ReportKind::Dossier { case_id: case.id }, Lang::En, true));
    // The court's date stays, by its month; the task (its title, that it is a deadline) does not.
    assert!(anonymised.contains("Compliance date") && anonymised.contains("2025-03"), "{anonymised}");
    assert!(!anonymised.contains("Deadline") && !anonymised.contains("Qzq"), "{anonymised}");
    assert!(!anonymised.contains("2025-03-17"), "{anonymised}");
}
