use serde_json::{Value, json};

use gawahi_e2e::app::App;

use crate::vaults::{LONG, unlocked_app, vault_of_incidents};

const KINDS: [&str; 9] =
    ["person", "organisation", "incident", "threat", "risk", "case", "hearing", "referral", "task"];

/// Checks the page as a screen reader and a keyboard meet it, and returns what fails: every
/// control has an accessible name, ids are unique (labels point at one control), no positive
/// `tabindex` reorders the keyboard's path, images have text, and the page has one `h1`.
const AUDIT: &str = r#"
const problems = [];
const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const nameOf = (el) => {
  if (el.getAttribute('aria-label')?.trim()) return el.getAttribute('aria-label').trim();
  const by = el.getAttribute('aria-labelledby');
  if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
  if (el.labels && el.labels.length) return [...el.labels].map(text).join(' ').trim();
  if (['BUTTON', 'A', 'SUMMARY', 'OPTION'].includes(el.tagName)) return text(el) || el.getAttribute('title') || '';
  return el.getAttribute('title') || '';
};
const describe = (el) => el.outerHTML.slice(0, 120);
for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary, [role=button], [role=combobox], [role=listbox]')) {
  if (el.type === 'hidden' || !visible(el)) continue;
  if (!nameOf(el)) problems.push('no accessible name: ' + describe(el));
  if (el.tabIndex > 0) problems.push('positive tabindex: ' + describe(el));
}
const ids = new Map();
for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" used ${n} times`);
for (const img of document.querySelectorAll('img, svg[role=img]')) {
  if (!img.getAttribute('alt') && !img.getAttribute('aria-label') && img.getAttribute('aria-hidden') !== 'true') problems.push('image without text: ' + describe(img));
}
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(`${h1} h1 elements`);
if (!document.documentElement.lang) problems.push('no lang on <html>');
return problems;
"#;

fn audit(app: &App, screen: &str, lang: &str) -> Vec<String> {
    app.settle();
    let found = app.s().execute(AUDIT, &[]);
    let problems: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    problems.into_iter().map(|p| format!("{lang} {screen}: {p}")).collect()
}

fn go(app: &App, nav: &str) {
    app.s().click_on(&format!("[data-testid=nav-{nav}]"));
    app.settle();
}

/// Every screen, in one language: dashboard, each kind's list and new-record editor, a
/// record's detail, the bundle screens, the calendar and settings.
fn every_screen(app: &App, lang: &str) -> Vec<String> {
    let mut problems = Vec::new();
    go(app, "dashboard");
    problems.extend(audit(app, "dashboard", lang));
    for kind in KINDS {
        go(app, kind);
        problems.extend(audit(app, &format!("{kind} list"), lang));
        app.s().click_on("[data-testid=new-record]");
        app.s().wait("[data-testid=save-record]", LONG);
        problems.extend(audit(app, &format!("new {kind}"), lang));
    }
    go(app, "incident");
    app.s().click_on("[data-testid=record-row] button");
    app.s().wait("[data-testid=record-title]", LONG);
    problems.extend(audit(app, "incident detail", lang));
    app.s().click_on("[data-testid=link-record]");
    app.settle();
    problems.extend(audit(app, "link dialog", lang));
    app.s().execute("document.querySelector('dialog[open]')?.dispatchEvent(new Event('cancel'))", &[]);
    app.settle();
    // The bundle screens: the export wizard (with its passphrase fields shown), identity and
    // contacts, receiving a bundle.
    app.s().click_on("[data-testid=seal-record]");
    app.s().wait("[data-testid=seal-start]", LONG);
    app.s().click_on("[data-testid=seal-to-passphrase]");
    problems.extend(audit(app, "seal wizard", lang));
    go(app, "contacts");
    app.s().wait("[data-testid=own-fingerprint]", LONG);
    problems.extend(audit(app, "identity and contacts", lang));
    go(app, "receive");
    app.s().click_on("[data-testid=receive-with-passphrase]");
    problems.extend(audit(app, "receive a bundle", lang));
    go(app, "calendar");
    problems.extend(audit(app, "calendar", lang));
    go(app, "settings");
    problems.extend(audit(app, "settings", lang));
    problems
}

#[test]
fn every_screen_names_its_controls_in_english_and_urdu() {
    let vault = vault_of_incidents(["Police refused to register the FIR".to_owned()]);
    let mut app = unlocked_app("accessibility", &vault);

    // The audit finds what it looks for: an unnamed field and a button that jumps the tab order.
    app.s().execute(
        "const probe = document.createElement('div');
         probe.id = 'audit-probe';
         probe.innerHTML = '<input id=\"unnamed\"><button tabindex=\"3\">x</button>';
         document.body.append(probe);",
        &[],
    );
    let found = audit(&app, "probe", "en");
    assert!(found.iter().any(|p| p.contains("no accessible name") && p.contains("unnamed")), "{found:?}");
    assert!(found.iter().any(|p| p.contains("positive tabindex")), "{found:?}");
    app.s().execute("document.getElementById('audit-probe').remove()", &[]);

    let mut problems = every_screen(&app, "en");
    go(&app, "settings");
    app.s().set_value("#setting-language", "ur");
    app.s().wait_until("dir=rtl", LONG, |s| {
        s.execute("return document.documentElement.getAttribute('dir');", &[]) == json!("rtl")
    });
    problems.extend(every_screen(&app, "ur"));
    app.shot("settings-urdu");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(app.s().execute("return document.documentElement.lang", &[]), Value::from("ur"));
    app.close();
}
