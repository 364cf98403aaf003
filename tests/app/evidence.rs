//! The evidence locker in the real window: an image carrying a GPS location and a PDF attached
//! to a case (through the same path a drop on the window takes: the page's `gawahi-add-paths`
//! event and the `add_evidence_files` command), the location warning, both previewed from the
//! evidence protocol (the image decoded, the PDF drawn), a redacted working copy drawn on the
//! canvas and listed under its original, the custody log, the panel in Urdu; then no byte of the
//! files' plaintext anywhere under the app's home, its XDG folders or /tmp. The file dialog
//! itself is GTK's, driven with xdotool (WebDriver cannot reach it): the file chosen there is
//! added, and GTK writes no list of chosen files. And a long voice note, read from the protocol
//! in ranges into memory, plays and seeks near its end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;
use gawahi_e2e::plaintext::{as_text, files_holding};
use serde_json::{Value, json};

use crate::vaults::{LONG, PASSPHRASE, unlock};

/// Text put inside a file or its name (a JPEG comment, a PDF comment, a WAV comment) and looked for on disk
/// afterwards: made at run time, so that no file that existed before (this test's own source,
/// a shell's history) can hold it.
fn canary(what: &str) -> String {
    static RUN: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let run = RUN.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
            ^ u128::from(std::process::id())
    });
    format!("zqx{what}{run:x}")
}
const CASE_TITLE: &str = "State v. Evidence Test";

/// A real, decodable JPEG (240×160, made by ImageMagick) with an EXIF block whose IFD0 names the
/// camera's make and points at a GPS IFD (what phones write), and a comment holding the canary.
fn jpeg_with_gps() -> Vec<u8> {
    let out = Command::new("convert")
        .args(["-size", "240x160", "gradient:teal-orange", "-fill", "white", "-draw", "circle 120,80 120,40", "jpeg:-"])
        .output()
        .expect("ImageMagick's convert");
    assert!(out.status.success() && out.stdout.starts_with(b"\xff\xd8"), "convert made a JPEG");
    // IFD0: Make ("Nok", inline) and the GPS IFD pointer, big-endian as many phones write it.
    let mut tiff = b"MM\0*\0\0\0\x08\0\x02".to_vec();
    tiff.extend_from_slice(&[0x01, 0x0f, 0, 2, 0, 0, 0, 4, b'N', b'o', b'k', 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x26]);
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend_from_slice(&u16::try_from(app1.len() + 2).expect("short").to_be_bytes());
    jpeg.extend_from_slice(&app1);
    let comment = format!("{} taken at the protest", canary("Image"));
    jpeg.extend_from_slice(b"\xff\xfe");
    jpeg.extend_from_slice(&u16::try_from(comment.len() + 2).expect("short").to_be_bytes());
    jpeg.extend_from_slice(comment.as_bytes());
    jpeg.extend_from_slice(&out.stdout[2..]);
    jpeg
}

/// A one-page PDF with a line of text, its cross-reference table at the right offsets.
fn pdf() -> Vec<u8> {
    gawahi_e2e::pdf::one_page("FIR copy: Gawahi test", Some(&canary("Pdf")), None)
}

/// A vault holding one case, locked.
fn vault_with_case(dir: &Path) -> PathBuf {
    let path = dir.join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let body = json!({"title": CASE_TITLE, "case_kind": "criminalisation",
                      "charges": [{"statute": "peca_2016", "section": "20"}]});
    v.add(Kind::Case, body.as_object().expect("object").clone()).expect("case");
    v.lock();
    path
}

fn open_case(app: &App) {
    let s = app.s();
    s.click_on("[data-testid=nav-case]");
    app.settle();
    s.wait_until("the case row", LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains(CASE_TITLE))
    });
    let row = s.find_all("[data-testid=record-row]").into_iter().find(|r| s.text(r).contains(CASE_TITLE)).expect("row");
    s.click(&row);
    app.settle();
    s.wait("[data-testid=evidence-panel]", LONG);
}

/// The evidence items listed: (id, name, parent id, has the GPS badge).
fn items(app: &App) -> Vec<(String, String, String, bool)> {
    let v = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=evidence-item]')].map(e => [e.dataset.id, \
         e.querySelector('[data-testid=evidence-name]').textContent, e.dataset.parent, \
         !!e.querySelector('[data-testid=evidence-gps]')]);",
        &[],
    );
    v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    let s = |i: usize| r[i].as_str().unwrap_or_default().to_owned();
                    (s(0), s(1), s(2), r[3].as_bool().unwrap_or(false))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn click_in_item(app: &App, id: &str, action: &str) {
    app.s().click_on(&format!("[data-testid=evidence-item][data-id='{id}'] [data-testid={action}]"));
}

fn custody_actions(app: &App, id: &str) -> Vec<String> {
    click_in_item(app, id, "evidence-custody");
    app.s().wait("[data-testid=custody-entry]", LONG);
    let v = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=custody-entry]')].map(e => e.dataset.action);",
        &[],
    );
    app.s().click_on("[data-testid=custody-close]");
    app.s().wait_until("the custody log to close", LONG, |s| s.find("[data-testid=custody-dialog]").is_none());
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

#[test]
fn an_image_and_a_pdf_on_a_case_previewed_redacted_and_never_on_disk_in_plaintext() {
    let started = std::time::SystemTime::now();
    let vault_home = tempfile::tempdir().expect("vault home");
    let vault = vault_with_case(vault_home.path());
    // The person's own files, outside the app's home: the scan afterwards leaves this folder out.
    let originals = tempfile::tempdir().expect("originals");
    let photo = originals.path().join("protest photo.jpg");
    let fir = originals.path().join("FIR copy.pdf");
    std::fs::write(&photo, jpeg_with_gps()).expect("photo");
    std::fs::write(&fir, pdf()).expect("pdf");

    let mut app = App::launch_with_vault("evidence", &vault);
    unlock(&app);
    open_case(&app);
    let s = app.s();
    s.wait("[data-testid=evidence-add]", LONG);
    assert!(s.text_of("[data-testid=evidence-add]").contains("Add files"), "the file dialog's button is there");

    // Two files at once, the way a drop on the window hands them to the panel.
    s.execute(
        "window.dispatchEvent(new CustomEvent('gawahi-add-paths', {detail: {paths: arguments[0]}}));",
        &[json!([photo.display().to_string(), fir.display().to_string()])],
    );
    s.wait_until("two evidence items", LONG, |_| items(&app).len() == 2);
    app.settle();
    let listed = items(&app);
    let image = listed.iter().find(|i| i.1 == "protest photo.jpg").expect("the photo is listed").clone();
    let document = listed.iter().find(|i| i.1 == "FIR copy.pdf").expect("the PDF is listed").clone();
    assert!(image.3, "the photo carries a location: the warning shows");
    let device = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=evidence-item]')].map(e => !!e.querySelector('[data-testid=evidence-device]'));",
        &[],
    );
    let flagged: Vec<bool> = listed.iter().map(|i| i.1 == "protest photo.jpg").collect();
    assert_eq!(device, json!(flagged), "the photo names its camera: that warning shows too, on it alone");
    assert!(!document.3, "the PDF carries none");
    // The camera the photo names is shown, isolated; its GPS pointer has no position to show.
    assert_eq!(app.s().text_of("[data-testid=evidence-camera] dd"), "Nok");
    assert!(app.s().find("[data-testid=evidence-position]").is_none(), "no position is invented");
    // The photo's thumbnail, made in memory by the core and drawn into a canvas; the PDF has none.
    app.s().wait("[data-testid=evidence-thumbnail][data-shown=true]", LONG);
    let thumbs = app.s().execute("return document.querySelectorAll('[data-testid=evidence-thumbnail]').length;", &[]);
    assert_eq!(thumbs, json!(1), "one thumbnail: the image's");
    // A run of its pixels (RGBA, across the circle's edge on the middle row), to look for on disk afterwards.
    let row = app.s().execute(
        "const c = document.querySelector('[data-testid=evidence-thumbnail]'); \
         const y = Math.floor(c.height / 2); \
         return Array.from(c.getContext('2d').getImageData(0, y, c.width, 1).data.slice(160, 256));",
        &[],
    );
    let thumbnail_pixels: Vec<u8> =
        row.as_array().expect("pixels").iter().filter_map(Value::as_u64).map(|b| b as u8).collect();
    assert_eq!(thumbnail_pixels.len(), 96);
    app.s().execute("document.querySelector('[data-testid=evidence-panel]').scrollIntoView();", &[]);
    app.shot("attached");

    // The image, decoded from the protocol.
    click_in_item(&app, &image.0, "evidence-preview");
    app.s().wait_until("the image decoded", LONG, |s| {
        s.execute(
            "const i = document.querySelector('[data-testid=preview-image]'); return !!i && i.complete && i.naturalWidth;",
            &[],
        ) == json!(240)
    });
    app.shot("image-preview");
    app.s().click_on("[data-testid=preview-close]");
    app.s().wait_until("the preview to close", LONG, |s| s.find("[data-testid=evidence-preview-dialog]").is_none());

    // The PDF, drawn in its sandboxed frame: the window's pixels inside the frame are not blank.
    click_in_item(&app, &document.0, "evidence-preview");
    app.s().wait("[data-testid=preview-frame]", LONG);
    let rendered = wait_for_page_in(&app, "[data-testid=preview-frame]");
    app.shot("pdf-preview");
    assert!(rendered, "the PDF was drawn in its frame");
    app.s().click_on("[data-testid=preview-close]");
    app.s().wait_until("the preview to close", LONG, |s| s.find("[data-testid=evidence-preview-dialog]").is_none());

    // A redacted copy: one box dragged over the image, saved as a PNG working copy.
    click_in_item(&app, &image.0, "evidence-redact");
    app.s().wait("[data-testid=redact-canvas][data-ready=true]", LONG);
    app.s().execute(
        "const c = document.querySelector('[data-testid=redact-canvas]'); const r = c.getBoundingClientRect(); \
         const ev = (type, fx, fy) => c.dispatchEvent(new PointerEvent(type, {bubbles: true, pointerId: 1, \
           clientX: r.left + r.width * fx, clientY: r.top + r.height * fy})); \
         ev('pointerdown', 0.3, 0.25); ev('pointermove', 0.5, 0.5); ev('pointermove', 0.7, 0.75); ev('pointerup', 0.7, 0.75);",
        &[],
    );
    app.s().wait("[data-testid=redact-canvas][data-boxes='1']", LONG);
    // Without a mouse: the canvas takes focus, the arrows move the cursor box, Shift with them
    // resizes it, Enter blacks it out, Delete takes away the box under it.
    let key = |k: &str, shift: bool| {
        app.s().execute(
            "const c = document.querySelector('[data-testid=redact-canvas]'); c.focus(); \
             c.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], shiftKey: arguments[1], bubbles: true, cancelable: true}));",
            &[json!(k), json!(shift)],
        )
    };
    let cursor =
        || app.s().execute("return document.querySelector('[data-testid=redact-canvas]').dataset.cursor;", &[]);
    let start = cursor();
    key("ArrowLeft", false);
    key("ArrowUp", true);
    assert_ne!(cursor(), start, "the arrows moved and resized the cursor box");
    assert!(
        app.s()
            .execute("return document.activeElement === document.querySelector('[data-testid=redact-canvas]');", &[])
            == json!(true),
        "the canvas has the focus"
    );
    key("Enter", false);
    app.s().wait("[data-testid=redact-canvas][data-boxes='2']", LONG);
    key("Enter", false);
    app.s().wait("[data-testid=redact-canvas][data-boxes='3']", LONG);
    key("Delete", false);
    app.s().wait("[data-testid=redact-canvas][data-boxes='2']", LONG);
    let announced =
        app.s().execute("return document.querySelector('[data-testid=redact-announcement]').textContent;", &[]);
    assert!(announced.as_str().is_some_and(|a| a.contains('2')), "each step is announced: {announced}");
    app.shot("redaction-drawn");
    app.s().click_on("[data-testid=redact-save]");
    app.s().wait_until("the redacted copy listed", LONG, |_| items(&app).len() == 3);
    app.settle();
    let listed = items(&app);
    let copy = listed.iter().find(|i| i.2 == image.0).expect("a copy whose parent is the photo").clone();
    assert_eq!(copy.1, "protest photo-redacted.png");
    assert!(!copy.3, "the re-encoded copy carries no location");
    let order: Vec<&str> = listed.iter().map(|i| i.0.as_str()).collect();
    let at = |id: &str| order.iter().position(|x| *x == id).expect("listed");
    assert_eq!(at(&copy.0), at(&image.0) + 1, "the copy is listed right under its original");
    app.s().execute(
        "document.querySelector(`[data-testid=evidence-item][data-id='${arguments[0]}']`).scrollIntoView();",
        &[json!(image.0)],
    );
    app.shot("redacted-copy-listed");

    assert_eq!(custody_actions(&app, &image.0), ["intake", "view", "view", "redaction"]);
    assert_eq!(custody_actions(&app, &copy.0), ["intake"]);

    // Deleting asks first; kept, nothing changes; confirmed, the item goes and its log stays.
    click_in_item(&app, &document.0, "evidence-delete");
    app.s().click_on("[data-testid=confirm-cancel]");
    assert_eq!(items(&app).len(), 3, "kept");
    click_in_item(&app, &document.0, "evidence-delete");
    app.s().click_on("[data-testid=confirm-delete]");
    app.s().wait_until("the PDF gone", LONG, |_| items(&app).len() == 2);

    // The panel in Urdu, right to left, the file names isolated.
    app.s().click_on("[data-testid=nav-settings]");
    app.settle();
    app.s().set_value("#setting-language", "ur");
    app.s().wait_until("dir=rtl", LONG, |s| {
        s.execute("return document.documentElement.getAttribute('dir');", &[]) == json!("rtl")
    });
    open_case(&app);
    let heading = app.s().text_of("#evidence-h");
    assert!(heading.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "the panel in Urdu: {heading}");
    app.s().wait_until("the items in Urdu", LONG, |_| items(&app).len() == 2);
    app.s().execute("document.getElementById('evidence-h').scrollIntoView();", &[]);
    app.shot("evidence-urdu");

    app.close();
    // Nothing of the files' contents reached the disk outside the encrypted vault: not the
    // webview's caches or stores under the app's home and XDG folders, not /tmp (new files only:
    // other programs use it too).
    let (image_canary, pdf_canary) = (canary("Image"), canary("Pdf"));
    let needles = [image_canary.as_str(), pdf_canary.as_str()];
    let mut leaks = files_holding(app.home.path(), &as_text(&needles), None, &[]);
    leaks.extend(files_holding(Path::new("/tmp"), &as_text(&needles), Some(started), &[originals.path()]));
    // Nor the thumbnail's pixels (a cache of a drawn canvas, or of a decoded image, holds them raw).
    let pixels = [("the thumbnail's pixels".to_owned(), thumbnail_pixels)];
    leaks.extend(files_holding(app.home.path(), &pixels, None, &[]));
    leaks.extend(files_holding(Path::new("/tmp"), &pixels, Some(started), &[originals.path()]));
    assert!(leaks.is_empty(), "plaintext on disk: {leaks:#?}");
}

/// Waits until the element's box in the window's own picture (ImageMagick's `import` of the X
/// display) is mostly white, as a drawn page is (WebKit's PDF viewer shows a grey, empty area
/// until the page is drawn), and holds some dark text; says whether it did.
pub(crate) fn wait_for_page_in(app: &App, css: &str) -> bool {
    let rect = app.s().execute(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
         return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];",
        &[json!(css)],
    );
    let n = |i: usize| rect[i].as_i64().unwrap_or(0);
    let crop = format!("{}x{}+{}+{}", n(2), n(3), n(0), n(1));
    let picture = tempfile::NamedTempFile::with_suffix(".png").expect("temporary picture");
    // The share of the box's pixels lighter than `threshold` (or, negated, darker).
    let share = |threshold: &str, negate: bool| -> f64 {
        let mut cmd = Command::new("convert");
        cmd.arg(picture.path()).args(["-crop", &crop, "-colorspace", "gray", "-threshold", threshold]);
        if negate {
            cmd.arg("-negate");
        }
        let out = cmd.args(["-format", "%[fx:mean]", "info:"]).output();
        out.ok().and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok()).unwrap_or(0.0)
    };
    // Up to a minute: WebKit's PDF.js renders in software, slowly on a loaded machine.
    for _ in 0..240 {
        let taken = Command::new("import").args(["-window", "root"]).arg(picture.path()).status();
        if !taken.is_ok_and(|s| s.success()) {
            return false;
        }
        let (white, dark) = (share("95%", false), share("30%", true));
        if white > 0.4 && dark > 0.001 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    false
}

/// A WAV file of `seconds` of a quiet tone (44.1 kHz, 16-bit stereo: 176 KB a second), so that a
/// long one is larger than what one response of the protocol carries.
fn wav(seconds: u32) -> Vec<u8> {
    let rate = 44_100u32;
    let frames = rate * seconds;
    let data_len = frames * 4;
    // A comment chunk (LIST/INFO/ICMT) holding the canary, 20 bytes of text.
    let mut comment = canary("Audio");
    if comment.len() % 2 == 1 {
        // RIFF chunks are of even length.
        comment.push('x');
    }
    let mut info = b"INFOICMT".to_vec();
    info.extend_from_slice(&u32::try_from(comment.len()).expect("short").to_le_bytes());
    info.extend_from_slice(comment.as_bytes());
    let list_len = u32::try_from(info.len()).expect("short");
    let mut out = Vec::with_capacity(64 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + 8 + list_len + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 4).to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"LIST");
    out.extend_from_slice(&list_len.to_le_bytes());
    out.extend_from_slice(&info);
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let v = ((f64::from(i) * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin() * 2000.0) as i16;
        out.extend_from_slice(&v.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[test]
fn a_voice_note_plays_and_seeks_past_the_first_response() {
    let vault_home = tempfile::tempdir().expect("vault home");
    let vault = vault_with_case(vault_home.path());
    let originals = tempfile::tempdir().expect("originals");
    let note = originals.path().join("voice note.wav");
    // 40 seconds: about 7 MB, so the end lies beyond the first response (at most 4 MiB).
    std::fs::write(&note, wav(40)).expect("wav");
    let mut app = App::launch_with_vault("evidence-audio", &vault);
    unlock(&app);
    open_case(&app);
    app.s().execute(
        "window.dispatchEvent(new CustomEvent('gawahi-add-paths', {detail: {paths: arguments[0]}}));",
        &[json!([note.display().to_string()])],
    );
    app.s().wait_until("the voice note listed", LONG, |_| items(&app).len() == 1);
    let id = items(&app)[0].0.clone();
    click_in_item(&app, &id, "evidence-preview");
    app.s().wait_until("the audio's length known", LONG, |s| {
        s.execute(
            "const a = document.querySelector('[data-testid=preview-audio]'); return !!a && a.readyState >= 1 && Math.round(a.duration);",
            &[],
        ) == json!(40)
    });
    app.s().execute("document.querySelector('[data-testid=preview-audio]').currentTime = 35;", &[]);
    app.s().wait_until("the audio to seek to 35 s", LONG, |s| {
        s.execute(
            "const a = document.querySelector('[data-testid=preview-audio]'); return !a.seeking && a.readyState >= 2 && Math.round(a.currentTime);",
            &[],
        ) == json!(35)
    });
    app.shot("audio-seeked");
    let seekable = app.s().execute(
        "const s = document.querySelector('[data-testid=preview-audio]').seekable; return s.length && Math.round(s.end(0));",
        &[],
    );
    assert_eq!(seekable, json!(40), "the whole length is seekable");
    let started = std::time::SystemTime::now() - Duration::from_mins(2);
    app.close();
    // The recording was held in memory only: no byte of it under the app's home or in /tmp.
    let needle = canary("Audio");
    let mut leaks = files_holding(app.home.path(), &as_text(&[&needle]), None, &[]);
    leaks.extend(files_holding(Path::new("/tmp"), &as_text(&[&needle]), Some(started), &[originals.path()]));
    assert!(leaks.is_empty(), "plaintext on disk: {leaks:#?}");
}

/// Runs xdotool (XTEST input, as a person's keyboard) on the test's display.
fn xdotool(args: &[&str]) -> bool {
    Command::new("xdotool").args(args).status().is_ok_and(|s| s.success())
}

#[test]
fn the_file_dialog_adds_a_file_and_gtk_keeps_no_list_of_chosen_files() {
    let vault_home = tempfile::tempdir().expect("vault home");
    let vault = vault_with_case(vault_home.path());
    let originals = tempfile::tempdir().expect("originals");
    let secret_name = format!("{}.txt", canary("Name"));
    let file = originals.path().join(&secret_name);
    std::fs::write(&file, "a chat export").expect("file");
    let mut app = App::launch_with_vault("evidence-dialog", &vault);
    unlock(&app);
    open_case(&app);
    app.s().click_on("[data-testid=evidence-add]");
    // GTK's own file chooser, driven as a person would: type the path (Ctrl+L), press Enter.
    let title = "Choose evidence files to add";
    let mut found = false;
    for _ in 0..80 {
        if xdotool(&["search", "--name", title]) {
            found = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(found, "the file dialog opened");
    assert!(
        xdotool(&["search", "--name", title, "windowactivate", "--sync"])
            || xdotool(&["search", "--name", title, "windowfocus", "--sync"])
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(xdotool(&["key", "ctrl+l"]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(xdotool(&["type", "--delay", "20", &file.display().to_string()]));
    std::thread::sleep(Duration::from_millis(300));
    app.shot("file-dialog");
    assert!(xdotool(&["key", "Return"]));
    app.s().wait_until("the chosen file listed", LONG, |_| items(&app).len() == 1);
    assert_eq!(items(&app)[0].1, secret_name);
    app.close();
    // GTK records chosen files in recently-used.xbel unless told not to: nothing there names it.
    let leaks = files_holding(app.home.path(), &as_text(&[&canary("Name")]), None, &[]);
    assert!(leaks.is_empty(), "the file's name was written down: {leaks:#?}");
    let recent = ["data/recently-used.xbel", ".local/share/recently-used.xbel"];
    for r in recent {
        // With its maximum age at 0 days GTK may write the list, empty.
        let list = std::fs::read_to_string(app.home.path().join(r)).unwrap_or_default();
        assert!(!list.contains("<bookmark"), "GTK kept a list of chosen files: {list}");
    }
}

#[test]
fn a_large_file_shows_its_progress_and_cancelling_adds_nothing() {
    let vault_home = tempfile::tempdir().expect("vault home");
    let vault = vault_with_case(vault_home.path());
    let originals = tempfile::tempdir().expect("originals");
    let big = originals.path().join("long video.mp4");
    // 1 GiB of zeros, sparse: no disk space, and long enough to watch and to cancel.
    std::fs::File::create(&big).and_then(|f| f.set_len(1 << 30)).expect("sparse file");
    let mut app = App::launch_with_vault("evidence-cancel", &vault);
    unlock(&app);
    open_case(&app);
    app.s().execute(
        "window.dispatchEvent(new CustomEvent('gawahi-add-paths', {detail: {paths: arguments[0]}}));",
        &[json!([big.display().to_string()])],
    );
    app.s().wait_until("the bar moving", LONG, |s| {
        s.execute(
            "const p = document.querySelector('[data-testid=evidence-progress] progress'); return !!p && p.value > 0;",
            &[],
        ) == json!(true)
    });
    app.s().execute("document.querySelector('[data-testid=evidence-panel]').scrollIntoView();", &[]);
    app.s().wait_until("the bytes read shown", LONG, |s| {
        s.find("[data-testid=evidence-progress-bytes]").is_some_and(|e| s.text(&e).ends_with("of 1.0 GB"))
    });
    app.shot("progress");
    app.s().click_on("[data-testid=evidence-cancel]");
    app.s().wait_until("the intake stopped", LONG, |s| s.find("[data-testid=evidence-progress]").is_none());
    let notice = app.s().text_of("[data-testid=evidence-notice]");
    assert!(notice.contains("Stopped"), "{notice}");
    assert!(items(&app).is_empty(), "nothing of the cancelled file was added");
    app.shot("cancelled");
    app.close();
    let blobs = std::fs::read_dir(vault.join("blobs")).map_or(0, Iterator::count);
    assert_eq!(blobs, 0, "no partial blob was left");
}
