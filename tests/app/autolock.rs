use std::time::{Duration, Instant};

use serde_json::json;

use crate::vaults::{LONG, unlock, unlocked_app, vault_of_incidents};

const TITLE: &str = "Threatening calls after the press conference";

/// The shortest auto-lock the settings allow. The app process keeps the time (the page's clock
/// cannot hurry it), so this test waits it out for real, twice: once in use, once idle.
const MINUTE: Duration = Duration::from_mins(1);

#[test]
fn idle_for_the_set_minutes_locks_the_vault_and_forgets_what_was_shown_but_use_keeps_it_open() {
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let mut app = unlocked_app("autolock", &vault);

    // Set auto-lock to one minute in Settings, and show the record.
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#setting-autolock", LONG);
    app.s().type_into("#setting-autolock", "1");
    app.s().execute(
        "document.getElementById('setting-autolock').dispatchEvent(new Event('change', {bubbles: true}))",
        &[],
    );
    app.s().wait_until("the settings saved", LONG, |s| s.text_of("#main").contains("Settings saved."));
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.s().wait_until("the incident in the list", LONG, |s| s.text_of("#main").contains(TITLE));

    // Someone still at work (a click every 8 s) for more than the minute: it stays open.
    let working = Instant::now();
    while working.elapsed() < MINUTE + Duration::from_secs(10) {
        app.s().click_on("[data-testid=list-total]");
        std::thread::sleep(Duration::from_secs(8));
        assert!(app.s().find("#unlock-passphrase").is_none(), "locked while in use, after {:?}", working.elapsed());
    }
    app.s().click_on("[data-testid=list-total]");
    let last_input = Instant::now();

    // Without input, the vault locks itself after the minute (checked every 5 s), not before.
    app.s().wait("#unlock-passphrase", MINUTE + LONG);
    let idle = last_input.elapsed();
    // The window reports activity at most every 5 s, so idle time may count from up to 5 s
    // before the last click.
    assert!(idle + Duration::from_secs(6) >= MINUTE, "locked after {idle:?} of a minute");
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
    unlock(&app);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("the incident after unlocking", LONG, |s| s.text_of("#main").contains(TITLE));
    app.close();
}
