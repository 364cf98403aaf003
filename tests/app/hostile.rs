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
         <script>window.__TAURI_INTERNALS__.invoke('lock_vault'); parent.__pwned='html-ipc'</script></body></html>"
    );
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"parent.__pwned='svg-file'\">\
               <script>parent.__pwned='svg-script'; window.__TAURI_INTERNALS__.invoke('lock_vault')</script></svg>";
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
                 imgs: document.querySelectorAll('img[src=x], svg[onload], body script:not([src])').length,
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
    assert_shows_literally(&text, "list", &[IMG, SCRIPT, SVG, RLO, ZERO_WIDTH]);
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
    assert_shows_literally(&text, "search", &[RLO, "onerror"]);
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
    assert_shows_literally(&text, "case", &[SCRIPT, RLO, IMG, &format!("{IMG}.html"), &"N".repeat(990)]);
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
    assert!(timeline.as_str().is_some_and(|t| t.contains(RLO)), "the hearing's purpose on the timeline: {timeline}");
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
