//! Hostile content in the real window: record text and evidence file names carrying script,
//! HTML with event handlers, a right-to-left override (U+202E), zero-width characters, an
//! unclosed isolate and very long strings (a 1,000-character word, a 100,000-character
//! description) are shown inert and readable on every screen that shows them (the list, the
//! record, search results, the evidence list, a case's timeline): no script runs (the payloads
//! set a global and the document's title; neither changes), the text appears literally, each
//! piece of it in a bidi isolate, and the page never scrolls sideways. HTML and SVG evidence is
//! previewed as text in a sandboxed frame the page cannot reach into and in which nothing runs;
//! frames the page is made to open (inline, `data:`, the evidence protocol) run nothing either,
//! and inside the preview frame there is no Tauri IPC to call.
//!
//! Script run inside the PDF preview's frame (the one frame whose scripts run) and inside a frame
//! injected on the evidence protocol finds no IPC, no way into the window and no answer from the
//! IPC protocol. File names and listed titles show each bidi control and zero-width character as
//! a visible marker, in English and in Urdu, so that `invoice<U+202E>fdp.exe` never reads as
//! `invoiceexe.pdf`.

use std::time::Duration;

use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;
use serde_json::{Value, json};

use crate::vaults::{LONG, PASSPHRASE, unlock};

/// A word every hostile record carries, to find them all with one search.
const WORD: &str = "zanzibarqx";

/// What each payload does if it ever runs: set `window.__pwned` and the document's title.
const IMG: &str = "<img src=x onerror=\"window.__pwned='img';document.title='pwned'\">";
const SCRIPT: &str = "<script>window.__pwned='script';document.title='pwned'</script>";
const SVG: &str = "<svg onload=\"window.__pwned='svg'\"></svg>";
const RLO: &str = "Invoice \u{202E}fdp.exe\u{202C} from the SHO";
/// [`RLO`] as every screen shows it in English: each control a visible marker.
const RLO_SHOWN: &str = "Invoice [hidden U+202E]fdp.exe[hidden U+202C] from the SHO";
const ZERO_WIDTH: &str = "Zero\u{200B}width\u{200C}non\u{200D}joiner\u{FEFF}mark \u{2066}unclosed isolate";

fn titles() -> Vec<String> {
    vec![
        format!("{IMG} {WORD} raid"),
        format!("{SCRIPT} {WORD} threat"),
        format!("{SVG} {WORD}"),
        format!("{RLO} {WORD}"),
        format!("{ZERO_WIDTH} {WORD}"),
        // The longest title there may be, one unbroken word.
        format!("{WORD} {}", "W".repeat(1_000 - WORD.len() - 1)),
    ]
}

/// A vault with the hostile incidents (the first with a 100,000-character description), a case
/// with a hostile title and a hearing whose purpose is hostile (for the timeline), and evidence
/// on the case: an HTML file and an SVG file, both with scripts, under hostile names.
fn hostile_vault() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let obj = |j: Value| j.as_object().expect("object").clone();
    let long: String = format!("{WORD} {IMG} {}", "Y".repeat(100_000));
    for (i, title) in titles().into_iter().enumerate() {
        let mut body = json!({"title": title, "occurred_on": "2026-03-05", "province": "sindh",
                              "district": "sindh.karachi_south", "incident_types": ["raid_search"]});
        if i == 0 {
            body["description"] = json!(long);
        }
        v.add(Kind::Incident, obj(body)).expect("incident");
    }
    let case = v
        .add(Kind::Case, obj(json!({"title": format!("{SCRIPT} State v. {RLO}"), "case_kind": "criminalisation"})))
        .expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2026-03-09", "purpose": format!("{IMG} {RLO}")})))
        .expect("hearing");
    let html = format!(
        "<!doctype html><html><body onload=\"parent.__pwned='html'\">{SCRIPT}\
         <script>window.__TAURI_INTERNALS__.invoke('lock_vault', {{request: {{}}}}); parent.__pwned='html-ipc'</script></body></html>"
    );
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"parent.__pwned='svg-file'\">\
               <script>parent.__pwned='svg-script'; window.__TAURI_INTERNALS__.invoke('lock_vault', {request: {}})</script></svg>";
    for (name, bytes) in [
        (format!("{IMG}.html"), html.as_bytes()),
        (format!("report\u{202E}gvs.exe{ZERO_WIDTH}"), svg.as_bytes()),
        (format!("{}.txt", "N".repeat(990)), b"a long name".as_slice()),
    ] {
        let meta = EvidenceMeta { original_name: Some(name), ..Default::default() };
        v.add_evidence(&case.id, bytes, meta).expect("evidence");
    }
    v.lock();
    (home, path, case.id)
}

/// What must hold on every screen: nothing ran, nothing was made from the text, the page does
/// not scroll sideways, and every visible copy of a bidi-control-carrying text sits in an
/// isolate. Returns the page's text (textContent, whitespace kept).
fn inert_and_isolated(app: &App, screen: &str, title: &Value) -> String {
    let state = app.s().execute(
        "const bidi = /[\\u202A-\\u202E\\u2066-\\u2069]/;
         const isolated = (el) => {
           for (let e = el; e && e !== document.body; e = e.parentElement) {
             const ub = getComputedStyle(e).unicodeBidi;
             if (e.tagName === 'BDI' || ['isolate', 'plaintext', 'isolate-override'].includes(ub)) return true;
           }
           return false;
         };
         const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
         const open = [];
         for (let n = walker.nextNode(); n; n = walker.nextNode()) {
           if (bidi.test(n.data) && !isolated(n.parentElement)) open.push(n.parentElement.outerHTML.slice(0, 120));
         }
         const root = document.documentElement;
         const main = document.getElementById('main') ?? root;
         // The innermost elements that reach past the main region's edge, to name in a failure.
         const edge = main.getBoundingClientRect();
         const past = [...main.querySelectorAll('*')]
           .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > edge.right + 1 || r.left < edge.left - 1); })
           .filter((e, _, all) => !all.some((o) => o !== e && e.contains(o)))
           .slice(0, 5)
           .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.dataset.testid ?? ''}] ${Math.round(e.getBoundingClientRect().width)}px`);
         return {pwned: window.__pwned ?? null, title: document.title, past,
                 // The page's own inline scripts are children of <body> (ui/build/firstScreens.ts);
                 // markup made from text would sit inside an element of the page.
                 imgs: document.querySelectorAll('img[src=x], svg[onload], body * script').length,
                 wide: [root.scrollWidth, root.clientWidth, document.body.scrollWidth, main.scrollWidth, main.clientWidth],
                 open, text: document.body.textContent};",
        &[],
    );
    assert_eq!(state["pwned"], Value::Null, "a payload ran on the {screen} screen");
    assert_eq!(&state["title"], title, "the document's title changed on the {screen} screen");
    assert_eq!(state["imgs"], json!(0), "markup from the text became elements on the {screen} screen");
    let wide: Vec<i64> = serde_json::from_value(state["wide"].clone()).unwrap_or_default();
    // [page scrollWidth, page clientWidth, body scrollWidth, main region scrollWidth, its clientWidth]
    assert!(
        wide.len() == 5 && wide[0] <= wide[1] + 1 && wide[2] <= wide[1] + 1 && wide[3] <= wide[4] + 1,
        "the {screen} screen scrolls sideways: {wide:?}, past the edge: {}",
        state["past"]
    );
    assert_eq!(state["open"], json!([]), "bidi controls outside an isolate on the {screen} screen");
    state["text"].as_str().unwrap_or_default().to_owned()
}

fn assert_shows_literally(text: &str, screen: &str, pieces: &[&str]) {
    for p in pieces {
        assert!(text.contains(p), "the {screen} screen does not show {p:?} literally");
    }
}

#[test]
fn hostile_text_and_file_names_are_shown_inert_isolated_and_without_sideways_scrolling() {
    let (_home, vault, case_id) = hostile_vault();
    let mut app = App::launch_with_vault("hostile", &vault);
    unlock(&app);
    let title = app.s().execute("return document.title;", &[]);
    let titles = titles();

    // The list of incidents.
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.s().wait_until("every hostile incident listed", LONG, |s| {
        s.find_all("[data-testid=record-row]").len() == titles.len()
    });
    let text = inert_and_isolated(&app, "list", &title);
    // The list shows each disguising character of a title as a visible marker (see the test
    // of names below); the markup stays literal.
    assert_shows_literally(&text, "list", &[IMG, SCRIPT, SVG, RLO_SHOWN]);
    assert_shows_literally(
        &text,
        "list",
        &[
            "Zero[hidden U+200B]width[hidden U+200C]non[hidden U+200D]joiner[hidden U+FEFF]mark [hidden U+2066]unclosed isolate",
        ],
    );
    app.shot("list");

    // The record with the 100,000-character description.
    let row = app
        .s()
        .find_all("[data-testid=record-row]")
        .into_iter()
        .find(|r| app.s().text(r).contains("onerror"))
        .expect("the first incident's row");
    app.s().click(&row);
    app.settle();
    app.s().wait("[data-testid=record-title]", LONG);
    let text = inert_and_isolated(&app, "record", &title);
    assert_shows_literally(&text, "record", &[&titles[0], &"Y".repeat(100_000)]);
    app.shot("record");

    // Search results.
    app.s().type_into("[data-testid=search-box]", &format!("{WORD}\u{E007}"));
    app.s().wait_until("the hostile records found", LONG, |s| {
        s.find_all("[data-testid=search-hit]").len() >= titles.len()
    });
    app.settle();
    let text = inert_and_isolated(&app, "search", &title);
    assert_shows_literally(&text, "search", &[RLO_SHOWN, "onerror"]);
    app.shot("search");

    // The case: its timeline and its evidence list.
    app.s().click_on("[data-testid=nav-case]");
    app.settle();
    app.s().wait("[data-testid=record-row]", LONG);
    app.s().click_on("[data-testid=record-row]");
    app.settle();
    app.s().wait("[data-testid=timeline-event]", LONG);
    app.s().wait_until("the three evidence files", LONG, |s| s.find_all("[data-testid=evidence-item]").len() == 3);
    app.settle();
    let text = inert_and_isolated(&app, "case", &title);
    assert_shows_literally(&text, "case", &[SCRIPT, RLO_SHOWN, IMG, &format!("{IMG}.html"), &"N".repeat(990)]);
    let names = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=evidence-name]')].map(e => [e.tagName, e.textContent]);",
        &[],
    );
    for n in names.as_array().expect("names") {
        assert_eq!(n[0], json!("BDI"), "each file name is isolated: {n}");
    }
    let timeline = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=timeline-event]')].map(e => e.textContent).join('\\n');",
        &[],
    );
    assert!(
        timeline.as_str().is_some_and(|t| t.contains(RLO_SHOWN)),
        "the hearing's purpose on the timeline: {timeline}"
    );
    app.shot("case");

    // The HTML and the SVG previewed: text in a sandboxed frame; nothing in them runs, the page
    // cannot reach into it, and the vault stays unlocked (their scripts would lock it).
    let items = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=evidence-item]')].map(e => [e.dataset.id, e.querySelector('[data-testid=evidence-name]').textContent]);",
        &[],
    );
    let ids: Vec<(String, String)> = serde_json::from_value(items).expect("items");
    for (id, name) in ids.iter().filter(|(_, n)| !n.starts_with('N')) {
        app.s().click_on(&format!("[data-testid=evidence-item][data-id='{id}'] [data-testid=evidence-preview]"));
        app.s().wait("[data-testid=preview-frame]", LONG);
        std::thread::sleep(Duration::from_secs(2));
        let frame = app.s().execute(
            "const f = document.querySelector('[data-testid=preview-frame]');
             let reach; try { reach = f.contentDocument === null ? 'no document' : 'document'; } catch (e) { reach = 'refused'; }
             let ipc; try { ipc = typeof f.contentWindow.__TAURI_INTERNALS__; } catch (e) { ipc = 'refused'; }
             return {sandbox: f.getAttribute('sandbox'), reach, ipc};",
            &[],
        );
        assert_eq!(frame["sandbox"], json!(""), "{name}: the frame allows nothing");
        assert_ne!(frame["reach"], json!("document"), "{name}: the page reached into the preview: {frame}");
        assert!(frame["ipc"] == json!("refused") || frame["ipc"] == json!("undefined"), "{name}: {frame}");
        app.shot("preview");
        inert_and_isolated(&app, "preview", &title);
        app.s().click_on("[data-testid=preview-close]");
        app.s().wait_until("the preview closed", LONG, |s| s.find("[data-testid=evidence-preview-dialog]").is_none());
    }

    // Frames the page is made to open run nothing: inline (the page's policy forbids inline
    // script), data: (not an allowed frame source), and an evidence file on the protocol (its
    // own policy is a sandbox). Opened here by script, as an injection would.
    app.s().click_on(&format!("[data-testid=evidence-item][data-id='{}'] [data-testid=evidence-preview]", ids[0].0));
    app.s().wait("[data-testid=preview-frame]", LONG);
    let url = app.s().execute("return document.querySelector('[data-testid=preview-frame]').src;", &[]);
    app.s().execute(
        "for (const src of [null, 'data:text/html,<script>parent.__pwned=\"data\"</script>', arguments[0]]) {
           const f = document.createElement('iframe');
           f.style.width = '1px';
           f.style.height = '1px';
           if (src) f.src = src; else f.srcdoc = '<script>parent.__pwned=\"srcdoc\"; parent.document.title=\"pwned\"</script>';
           document.body.appendChild(f);
         }",
        &[url],
    );
    std::thread::sleep(Duration::from_secs(2));
    inert_and_isolated(&app, "injected frames", &title);
    app.s().click_on("[data-testid=preview-close]");
    let _ = case_id;

    // The vault is still unlocked: no script in any preview reached the IPC to lock it.
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    assert!(app.s().find("#unlock-passphrase").is_none(), "the vault was locked from a preview");
    assert_eq!(app.s().find_all("[data-testid=record-row]").len(), titles.len());
    app.close();
}

/// A one-page PDF whose opening action is JavaScript that tries the app's IPC (as a malicious PDF
/// would, should a viewer ever run it), its cross-reference table at the right offsets.
fn scripted_pdf() -> Vec<u8> {
    let js = "try { window.__TAURI_INTERNALS__.invoke('lock_vault', {request: {}}); } catch (e) {} \
              try { parent.parent.__pwned = 'pdf'; } catch (e) {} app.alert('pwned');";
    gawahi_e2e::pdf::one_page("A PDF that tries to lock the vault", None, Some(js))
}

/// Whether the core answers a command (the vault unlocked) when the window's own script asks.
fn core_answers(app: &App) -> bool {
    let listed = app.s().execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__
           .invoke('list_records', {request: {kind: 'case', after: null, limit: 50, query: null}})
           .then(() => done('listed'), (e) => done(e.code));",
        &[],
    );
    listed == json!("listed")
}

/// What script running in the current frame finds of the app's IPC, and what becomes of each way
/// it could try to call `lock_vault`: the custom protocol with the window's real invoke key and
/// with a guessed one, and the webview's message handler with a guessed one.
///
/// Not tried: the message handler with the real key. WebKitGTK offers the handler
/// (`window.webkit.messageHandlers.ipc`) to every frame, and wry hands Tauri each message with the
/// window's top-level address, not the frame's, so Tauri's origin check cannot tell a frame from
/// the window: the invoke key, which lives only in a closure of the window's own script, is then
/// all that stands between a frame and the commands. The first run of this test sent it and the
/// vault locked. A frame of another origin cannot read the key (shown here: `parent` is refused).
const FRAME_ATTACK: &str = "
    const [key, done] = [arguments[0], arguments[arguments.length - 1]];
    const found = {
      href: String(location.href),
      origin: String(window.origin),
      internals: typeof window.__TAURI_INTERNALS__,
      ipc: typeof window.ipc,
      handler: (() => { try { return typeof window.webkit.messageHandlers.ipc; } catch (e) { return 'none'; } })(),
      parent: (() => { try { return typeof window.top.document.body; } catch (e) { return 'refused'; } })(),
      frames: window.frames.length,
    };
    const call = (k) => fetch('ipc://localhost/lock_vault', {
        method: 'POST', body: JSON.stringify({request: {}}),
        headers: {'Content-Type': 'application/json', 'Tauri-Callback': '1', 'Tauri-Error': '2', 'Tauri-Invoke-Key': k},
      }).then((r) => `${r.status} ${r.headers.get('Tauri-Response')}`, (e) => `refused: ${e}`);
    const post = (k) => {
      try {
        window.webkit.messageHandlers.ipc.postMessage(JSON.stringify(
          {cmd: 'lock_vault', callback: 1, error: 2, payload: {request: {}}, __TAURI_INVOKE_KEY__: k}));
        return 'posted';
      } catch (e) { return `refused: ${e}`; }
    };
    Promise.all([call(key), call('guessed')]).then(([real, guessed]) => {
      found.fetchRealKey = real;
      found.fetchGuessedKey = guessed;
      found.postGuessedKey = post('guessed');
      done(found);
    });";

/// Script in a preview frame cannot reach the app's commands. The PDF preview (drawn by
/// WebKitGTK's PDF.js, the one frame whose scripts run) and a frame injected into the page on the
/// evidence protocol are entered through WebDriver, which runs script there as the frame's own
/// would: none has `__TAURI_INTERNALS__` or wry's `window.ipc` (Tauri injects them into the
/// window's main frame only), none has the window's origin or can reach the window's document, a
/// call on the IPC protocol fails even with the window's real invoke key (taken from the
/// window's own traffic, as the strongest attacker could; the frame's policy allows it no
/// connection there), and a message with a guessed key is dropped. The vault stays unlocked
/// throughout, and the PDF's own script (an opening action calling the IPC) does nothing either.
#[test]
fn fail_ipc_from_a_preview_frame_or_an_injected_frame_is_refused() {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let obj = |j: Value| j.as_object().expect("object").clone();
    let case =
        v.add(Kind::Case, obj(json!({"title": "State v. frames", "case_kind": "criminalisation"}))).expect("case");
    let meta = EvidenceMeta { original_name: Some("scripted.pdf".to_owned()), ..Default::default() };
    v.add_evidence(&case.id, scripted_pdf().as_slice(), meta).expect("pdf");
    v.lock();

    let mut app = App::launch_with_vault("hostile-frames", &path);
    unlock(&app);
    let title = app.s().execute("return document.title;", &[]);
    app.s().click_on("[data-testid=nav-case]");
    app.settle();
    app.s().click_on("[data-testid=record-row]");
    app.s().wait_until("the PDF listed", LONG, |s| s.find_all("[data-testid=evidence-item]").len() == 1);
    assert!(core_answers(&app), "the vault is unlocked to begin with");

    // The window's invoke key, read off its own next IPC call (the key lives in a closure the
    // page cannot otherwise read): what an attacker who had broken everything else would hold.
    let key = app.s().execute_async(
        "const done = arguments[arguments.length - 1];
         const real = window.fetch;
         let key = null;
         window.fetch = function (url, init) {
           if (String(url).startsWith('ipc:') && init && init.headers && init.headers.get) key = init.headers.get('Tauri-Invoke-Key');
           return real.apply(this, arguments);
         };
         window.__TAURI_INTERNALS__.invoke('list_records', {request: {kind: 'case', after: null, limit: 1, query: null}})
           .finally(() => { window.fetch = real; done(key); });",
        &[],
    );
    assert!(key.as_str().is_some_and(|k| !k.is_empty()), "the window's invoke key was read: {key}");

    // The PDF previewed, drawn by WebKit's viewer.
    app.s().click_on("[data-testid=evidence-item] [data-testid=evidence-preview]");
    let frame = app.s().wait("[data-testid=preview-frame]", LONG);
    let sandbox = app.s().attribute(&frame, "sandbox").unwrap_or_default();
    assert!(crate::evidence::wait_for_page_in(&app, "[data-testid=preview-frame]"), "the PDF was drawn");
    app.shot("pdf-preview");

    // Script in the PDF's frame, and in each frame inside it (the viewer's own).
    let mut seen = Vec::new();
    app.s().enter_frame(&frame).expect("into the PDF's frame");
    let mut depth = 0;
    loop {
        let found = app.s().try_execute_async(FRAME_ATTACK, std::slice::from_ref(&key));
        let Ok(found) = found else {
            // The driver cannot run script in this frame (WebKit's viewer, on its own scheme).
            eprintln!("frame {depth}: the driver runs no script there: {:?}", found.err());
            seen.push(json!({"depth": depth, "script": "refused"}));
            break;
        };
        eprintln!("frame {depth}: {found}");
        assert_eq!(found["internals"], json!("undefined"), "the IPC is in a preview frame: {found}");
        assert_eq!(found["ipc"], json!("undefined"), "wry's IPC is in a preview frame: {found}");
        assert_eq!(found["parent"], json!("refused"), "a preview frame reached the window's document: {found}");
        for how in ["fetchRealKey", "fetchGuessedKey"] {
            let answer = found[how].as_str().unwrap_or_default();
            assert!(!answer.ends_with(" ok"), "{how}: the IPC answered a preview frame: {found}");
        }
        let frames = found["frames"].as_u64().unwrap_or(0);
        seen.push(found);
        if frames == 0 || depth == 3 {
            break;
        }
        if let Err(e) = app.s().enter_frame_at(0) {
            eprintln!("frame {depth}: its inner frame not entered: {e}");
            break;
        }
        depth += 1;
    }
    app.s().leave_frames();
    std::thread::sleep(Duration::from_secs(2));
    assert!(!seen.is_empty());
    assert!(core_answers(&app), "a call from a preview frame locked the vault: {seen:?}");
    assert!(app.s().find("#unlock-passphrase").is_none(), "the window shows the vault locked");
    let state = app.s().execute("return {pwned: window.__pwned ?? null, title: document.title};", &[]);
    assert_eq!(state, json!({"pwned": null, "title": title}), "the PDF's own script reached the window");

    // Scripts with an origin are a way out of the sandbox only for a frame of the window's own
    // origin (it could reach in and remove its sandbox): the PDF's frame must have another.
    let origins = seen.iter().filter_map(|f| f["origin"].as_str()).collect::<Vec<_>>();
    assert!(!origins.is_empty(), "script ran in the PDF's frame (WebKit's viewer needs it): {seen:?}");
    assert!(
        !(sandbox.contains("allow-scripts") && sandbox.contains("allow-same-origin"))
            || origins.iter().all(|o| *o != "tauri://localhost"),
        "a preview frame with scripts has the window's origin: {sandbox:?} {origins:?}"
    );

    // A frame injected into the page on the evidence protocol, without any sandbox attribute (as
    // an injection would make it): the protocol's own policy is all that binds it.
    let url = app.s().execute("return document.querySelector('[data-testid=preview-frame]').src;", &[]);
    app.s().execute(
        "const f = document.createElement('iframe');
         f.id = 'injected';
         f.src = arguments[0];
         document.body.appendChild(f);",
        &[url],
    );
    std::thread::sleep(Duration::from_secs(3));
    let injected = app.s().find("#injected").expect("the injected frame");
    app.s().enter_frame(&injected).expect("into the injected frame");
    let found = app.s().try_execute_async(FRAME_ATTACK, std::slice::from_ref(&key));
    app.s().leave_frames();
    eprintln!("injected frame: {found:?}");
    if let Ok(found) = &found {
        assert_eq!(found["internals"], json!("undefined"), "the IPC is in an injected frame: {found}");
        assert_eq!(found["parent"], json!("refused"), "an injected frame reached the window's document: {found}");
        for how in ["fetchRealKey", "fetchGuessedKey"] {
            assert!(!found[how].as_str().unwrap_or_default().ends_with(" ok"), "{how}: {found}");
        }
    }
    std::thread::sleep(Duration::from_secs(2));
    assert!(core_answers(&app), "a call from an injected frame locked the vault");
    app.s().click_on("[data-testid=preview-close]");
    app.close();
}

/// The characters that disguise a name wherever they are: none may reach the screen raw in a file
/// name or a shown title. (The joiners pass between Urdu letters, and the directional marks where
/// they cannot reorder what is read: gawahi_core::text; the Urdu title below keeps its RLM.)
const DISGUISING: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    '\u{200B}', '\u{FEFF}', '\u{2060}',
];

/// The texts of the elements matching `css`.
fn texts_of(app: &App, css: &str) -> Vec<String> {
    let v =
        app.s().execute("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);", &[json!(css)]);
    serde_json::from_value(v).unwrap_or_default()
}

fn assert_no_disguise(texts: &[String], screen: &str) {
    for t in texts {
        assert!(!t.contains(DISGUISING), "{screen}: a disguising character reached the screen raw: {t:?}");
    }
}

/// An evidence file named `invoice<U+202E>fdp.exe`, which raw reads as "invoiceexe.pdf", is shown
/// with the override as a visible marker ("[hidden U+202E]", in Urdu "[پوشیدہ U+202E]") wherever
/// its name appears: the evidence list, the preview's title, the custody log; so is an incident's
/// title in the list, on the dashboard and in search results (where the word searched for, inside
/// the disguised part, is still highlighted), and a hearing's purpose on the case's timeline. An
/// Urdu name whose zero-width non-joiner shapes its word is shown as typed, and so is an Urdu title
/// typed with a right-to-left mark after a Latin word, while an RLM that would make "pdf.exe" read
/// as "exe.pdf" is marked. In both languages, screenshots in artifacts/e2e/hostile-names-{en,ur}/.
#[test]
fn names_with_bidi_overrides_and_zero_width_characters_show_each_as_a_visible_marker_in_both_languages() {
    const DISGUISED: &str = "invoice\u{202E}fdp.exe";
    const ZERO_WIDTH_NAME: &str = "pay\u{200B}slip\u{2066}.txt\u{2069}";
    const URDU_NAME: &str = "گواہی\u{200C}نامہ.txt";
    const INCIDENT: &str = "Raid \u{202E}cod.exe\u{202C} at the office";
    // As an Urdu typist writes it: the RLM keeps "PECA" where the sentence puts it.
    const URDU_TITLE: &str = "دفتر پر PECA\u{200F} کے تحت چھاپہ";
    // An RLM alone between two Latin words: in a right-to-left line "pdf.exe" would read "exe.pdf".
    const RLM_SPOOF: &str = "رپورٹ pdf\u{200F}.exe";
    const PURPOSE: &str = "Bail \u{202E}fdp.exe";
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let obj = |j: Value| j.as_object().expect("object").clone();
    v.add(
        Kind::Incident,
        obj(json!({"title": INCIDENT, "occurred_on": "2026-03-05", "province": "sindh",
                                     "district": "sindh.karachi_south", "incident_types": ["raid_search"]})),
    )
    .expect("incident");
    for title in [URDU_TITLE, RLM_SPOOF] {
        v.add(
            Kind::Incident,
            obj(json!({"title": title, "occurred_on": "2026-03-04", "province": "sindh",
                       "district": "sindh.karachi_south", "incident_types": ["raid_search"]})),
        )
        .expect("incident");
    }
    let case =
        v.add(Kind::Case, obj(json!({"title": "State v. names", "case_kind": "criminalisation"}))).expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2026-03-09", "purpose": PURPOSE}))).expect("hearing");
    for name in [DISGUISED, ZERO_WIDTH_NAME, URDU_NAME] {
        let meta = EvidenceMeta { original_name: Some(name.to_owned()), ..Default::default() };
        v.add_evidence(&case.id, b"plain text, not a program".as_slice(), meta).expect("evidence");
    }
    v.lock();

    for (lang, mark) in [("en", "[hidden U+202E]"), ("ur", "[پوشیدہ U+202E]")] {
        let hidden = |code: &str| mark.replace("U+202E", code);
        let shown_disguised = format!("invoice{mark}fdp.exe");
        let shown_zero_width = format!("pay{}slip{}.txt{}", hidden("U+200B"), hidden("U+2066"), hidden("U+2069"));
        let shown_incident = format!("Raid {mark}cod.exe{} at the office", hidden("U+202C"));
        let shown_spoof = format!("رپورٹ pdf{}.exe", hidden("U+200F"));
        let shown_purpose = format!("Bail {mark}fdp.exe");
        let mut app = App::launch_with_vault_and_settings(&format!("hostile-names-{lang}"), &path, lang, 5);
        unlock(&app);

        // The incident's title in the list.
        app.s().click_on("[data-testid=nav-incident]");
        app.settle();
        app.s().wait("[data-testid=record-row]", LONG);
        let rows = texts_of(&app, "[data-testid=record-row]");
        assert_no_disguise(&rows, "the list");
        assert!(rows.iter().any(|r| r.contains(&shown_incident)), "{lang}: the title marked in the list: {rows:?}");
        assert!(rows.iter().any(|r| r.contains(URDU_TITLE)), "{lang}: the Urdu title as typed, its RLM kept: {rows:?}");
        assert!(rows.iter().any(|r| r.contains(&shown_spoof)), "{lang}: the spoofing RLM marked: {rows:?}");
        app.shot("list");

        // The dashboard's recent incidents.
        app.s().click_on("[data-testid=nav-dashboard]");
        app.s().wait("[data-testid=dash-incidents] li", LONG);
        app.settle();
        let recent = texts_of(&app, "[data-testid=dash-incidents] li");
        assert_no_disguise(&recent, "the dashboard");
        assert!(
            recent.iter().any(|r| r.contains(&shown_incident)),
            "{lang}: the title marked on the dashboard: {recent:?}"
        );
        assert!(
            recent.iter().any(|r| r.contains(&shown_spoof)),
            "{lang}: the spoofing RLM on the dashboard: {recent:?}"
        );
        app.shot("dashboard");

        // Search for a word inside the disguised part: the title and the snippet are marked, and
        // the word is still the highlighted one, whole, the marker beside the highlight.
        app.s().type_into("[data-testid=search-box]", "cod\u{E007}");
        app.s().wait("[data-testid=search-hit]", LONG);
        app.settle();
        let hits = texts_of(&app, "[data-testid=search-hit]");
        let snippets = texts_of(&app, "[data-testid=search-results] .snippet");
        let highlighted = texts_of(&app, "[data-testid=search-results] .snippet mark");
        assert_no_disguise(&hits, "search titles");
        assert_no_disguise(&snippets, "search snippets");
        assert!(hits.iter().any(|h| h.contains(&shown_incident)), "{lang}: the title marked in search: {hits:?}");
        assert!(
            snippets.iter().any(|s| s.contains(&format!("{mark}cod.exe"))),
            "{lang}: the snippet marked: {snippets:?}"
        );
        assert!(
            highlighted.iter().any(|h| h == "cod"),
            "{lang}: the word found is highlighted whole, its marker beside it: {highlighted:?}"
        );
        app.shot("search");

        // The evidence list.
        app.s().click_on("[data-testid=nav-case]");
        app.settle();
        app.s().wait("[data-testid=record-row]", LONG);
        app.s().click_on("[data-testid=record-row]");
        app.s().wait_until("the three files", LONG, |s| s.find_all("[data-testid=evidence-item]").len() == 3);
        app.s().wait("[data-testid=timeline-event]", LONG);
        app.settle();
        // The hearing's purpose on the case's timeline.
        let timeline = texts_of(&app, "[data-testid=timeline-event]");
        assert_no_disguise(&timeline, "the timeline");
        assert!(
            timeline.iter().any(|e| e.contains(&shown_purpose)),
            "{lang}: the purpose marked on the timeline: {timeline:?}"
        );
        let names = texts_of(&app, "[data-testid=evidence-name]");
        assert_no_disguise(&names, "the evidence list");
        for expected in [&shown_disguised, &shown_zero_width, &URDU_NAME.to_owned()] {
            assert!(names.contains(expected), "{lang}: {expected:?} among {names:?}");
        }
        // Nothing reads as the PDF the override pretends the program is.
        assert!(!names.iter().any(|n| n.to_lowercase().ends_with(".pdf")), "{names:?}");
        let help = app.s().execute(
            "return [...document.querySelectorAll('[data-testid=evidence-name]')].map(e => e.getAttribute('title'));",
            &[],
        );
        assert_eq!(
            help.as_array().map(|h| h.iter().filter(|t| t.is_string()).count()),
            Some(2),
            "{lang}: the two disguised names, and only they, explain their markers: {help}"
        );
        app.shot("evidence");

        // The preview's title and the frame's accessible name.
        let items = app.s().execute(
            "return [...document.querySelectorAll('[data-testid=evidence-item]')].map(e => [e.dataset.id, e.querySelector('[data-testid=evidence-name]').textContent]);",
            &[],
        );
        let items: Vec<(String, String)> = serde_json::from_value(items).expect("items");
        let (id, _) = items.iter().find(|(_, n)| *n == shown_disguised).expect("the disguised file").clone();
        app.s().click_on(&format!("[data-testid=evidence-item][data-id='{id}'] [data-testid=evidence-preview]"));
        app.s().wait("[data-testid=preview-frame]", LONG);
        let title = app.s().text_of("[data-testid=preview-name]");
        assert_eq!(title, shown_disguised, "{lang}: the preview's title");
        let frame_title = app.s().execute("return document.querySelector('[data-testid=preview-frame]').title;", &[]);
        let frame_title = frame_title.as_str().unwrap_or_default();
        assert!(frame_title.contains(&shown_disguised) && !frame_title.contains(DISGUISING), "{frame_title:?}");
        app.shot("preview");
        app.s().click_on("[data-testid=preview-close]");
        app.s().wait_until("the preview closed", LONG, |s| s.find("[data-testid=evidence-preview-dialog]").is_none());

        // The custody log's title.
        app.s().click_on(&format!("[data-testid=evidence-item][data-id='{id}'] [data-testid=evidence-custody]"));
        app.s().wait("[data-testid=custody-entry]", LONG);
        assert_eq!(app.s().text_of("[data-testid=custody-name]"), shown_disguised, "{lang}: the custody log");
        app.shot("custody");
        app.s().click_on("[data-testid=custody-close]");

        // Nothing anywhere on the page shows the override raw.
        let body = app.s().execute("return document.body.textContent;", &[]);
        assert!(!body.as_str().unwrap_or_default().contains('\u{202E}'), "{lang}: a raw override on the page");
        app.close();
    }
}
