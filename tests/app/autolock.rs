use serde_json::json;

use crate::vaults::{LONG, unlock, unlocked_app, vault_of_incidents};

const TITLE: &str = "Threatening calls after the press conference";

/// Moves the page's clock `ms` ahead: the idle check compares `Date.now()` with the last input,
/// and waiting out real minutes would make this test slow for no gain.
const SKIP_AHEAD: &str = "const skip = arguments[0];
     window.realNow ??= Date.now.bind(Date);
     Date.now = () => window.realNow() + skip;";

#[test]
fn idle_for_the_set_minutes_locks_the_vault_and_forgets_what_was_shown() {
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let mut app = unlocked_app("autolock", &vault);

    // Set auto-lock to one minute in Settings.
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#setting-autolock", LONG);
    app.s().type_into("#setting-autolock", "1");
    app.s().execute(
        "document.getElementById('setting-autolock').dispatchEvent(new Event('change', {bubbles: true}))",
        &[],
    );
    app.s().wait_until("the settings saved", LONG, |s| s.text_of("#main").contains("Settings saved."));

    // The record is on screen.
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.s().wait_until("the incident in the list", LONG, |s| s.text_of("#main").contains(TITLE));

    // Fifty seconds without input, and six more: still open.
    app.s().execute(SKIP_AHEAD, &[json!(50_000)]);
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert!(app.s().find("[data-testid=record-row]").is_some(), "locked before the minute was up");
    app.shot("idle-56-seconds");

    // A minute and more: the vault locks itself within the next check (every 5 s).
    app.s().execute(SKIP_AHEAD, &[json!(61_000)]);
    app.s().wait("#unlock-passphrase", LONG);
    app.shot("locked-when-idle");
    let screen = app.s().text_of("body");
    assert!(screen.contains("locked itself"), "no word of why it locked: {screen}");
    let html = app.s().execute("return document.documentElement.outerHTML", &[]);
    assert!(!html.as_str().unwrap_or_default().contains(TITLE), "the page still holds the record's title");

    // The vault itself is locked, not just the screen: the core refuses to list.
    let listed = app.s().execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__
           .invoke('list_records', {request: {kind: 'incident', after: null, limit: 50, query: null}})
           .then(() => done('listed'), (e) => done(e.code));",
        &[],
    );
    assert_eq!(listed, json!("locked"));

    // Unlocking brings everything back.
    app.s().execute("Date.now = window.realNow;", &[]);
    unlock(&app);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("the incident after unlocking", LONG, |s| s.text_of("#main").contains(TITLE));
    app.close();
}
