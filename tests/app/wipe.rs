//! The panic wipe in Settings: a five-second countdown that can be cancelled; then the vault's
//! folder and the app's settings are gone and the first-run screen shows. Recovery shares shown
//! as words and QR codes, written nowhere. English and Urdu.

use std::path::Path;

use crate::vaults::{LONG, unlock, vault_of_incidents};
use gawahi_e2e::app::App;
use gawahi_e2e::plaintext::files_holding;

/// Opens Settings and starts the wipe's countdown.
fn start_countdown(app: &App) {
    app.s().click_on("[data-testid=wipe-start]");
    app.s().wait("[data-testid=wipe-countdown]", LONG);
}

/// The countdown can be cancelled and then nothing is wiped; let run, it wipes the vault and the
/// app's settings and the first-run screen shows. In English and in Urdu, right to left.
fn countdown_cancel_then_wipe(name: &str, language: &str, cancelled: &str, first_run: &str) {
    let vault = vault_of_incidents(["Raid on the office".to_owned()]);
    let mut app = App::launch_with_vault_and_settings(name, &vault.path, language, 5);
    unlock(&app);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("[data-testid=wipe-start]", LONG);
    app.shot("settings with the panic wipe");

    let clicked = std::time::Instant::now();
    start_countdown(&app);
    let countdown = app.s().find("[data-testid=wipe-countdown]").expect("the countdown");
    let seconds = app.s().attribute(&countdown, "data-seconds");
    // The countdown started at five: what it shows now is five less the whole seconds since the
    // click, or one more (a second may be just about to tick). On a loaded machine the page can
    // take seconds to answer, so the time taken is counted rather than assumed short.
    let elapsed = clicked.elapsed().as_secs();
    let shown: u64 = seconds.as_deref().and_then(|s| s.parse().ok()).expect("the countdown shows its seconds");
    assert!(
        (5u64.saturating_sub(elapsed + 1)..=5).contains(&shown),
        "the countdown starts at five: {shown} shown {elapsed} s after the click"
    );
    app.shot("the countdown");
    app.s().click_on("[data-testid=wipe-cancel]");
    app.s().wait_until("the wipe cancelled", LONG, |s| s.text_of("#main").contains(cancelled));
    // Well past the five seconds: nothing was wiped.
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert!(vault.path.join("vault.header").is_file(), "cancelled, yet the vault is gone");
    assert!(app.s().find("[data-testid=nav-settings]").is_some(), "still in the app");

    start_countdown(&app);
    app.s().wait("#first-run-title", LONG);
    app.shot("the first-run screen after the wipe");
    assert!(app.s().text_of("body").contains(first_run), "{}", app.s().text_of("body"));
    assert!(!vault.path.exists(), "the vault's folder is gone");
    let settings = app.home.path().join("config/org.gawahi.app/settings.json");
    assert!(!Path::new(&settings).exists(), "the app's settings, naming the vault's folder, are gone");
    let html = app.s().execute("return document.documentElement.outerHTML", &[]);
    assert!(!html.as_str().unwrap_or_default().contains("Raid on the office"), "the page still holds a record");
}

#[test]
fn panic_wipe_counts_down_can_be_cancelled_then_wipes_the_vault_and_the_settings() {
    countdown_cancel_then_wipe("wipe-en", "en", "Not wiped", "Create your vault");
}

#[test]
fn panic_wipe_in_urdu() {
    countdown_cancel_then_wipe("wipe-ur", "ur", "نہیں مٹایا گیا", "اپنا والٹ بنائیں");
}

/// Recovery shares in Settings: made on request, each shown as its 38 words and a QR code, in
/// English and Urdu; no file is written (the home folder holds none of the words).
fn shares_are_shown_as_words_and_qr(name: &str, language: &str) {
    let vault = vault_of_incidents(["Raid on the office".to_owned()]);
    let mut app = App::launch_with_vault_and_settings(name, &vault.path, language, 5);
    unlock(&app);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("[data-testid=make-shares]", LONG);
    app.s().type_into("#recovery-threshold", "2");
    app.s().type_into("#recovery-count", "3");
    app.s().click_on("[data-testid=make-shares]");
    app.s().wait("[data-testid=shares]", LONG);
    let count = app.s().execute("return document.querySelectorAll('[data-testid=share]').length", &[]);
    assert_eq!(count.as_u64(), Some(3));
    let words = app
        .s()
        .execute("return [...document.querySelectorAll('[data-testid=share-words]')].map(o => o.children.length)", &[]);
    assert_eq!(words, serde_json::json!([38, 38, 38]));
    let first = app.s().execute(
        "return [...document.querySelector('[data-testid=share-words]').children].map(li => li.textContent).join(' ')",
        &[],
    );
    let first = first.as_str().unwrap_or_default().to_owned();
    app.s().execute("document.querySelector('[data-testid=shares]').scrollIntoView()", &[]);
    app.shot("recovery shares as words and QR codes");
    let loaded = app.s().execute("return [...document.querySelectorAll('img.qr')].every(i => i.naturalWidth > 0)", &[]);
    assert_eq!(loaded.as_bool(), Some(true), "every QR code is drawn");
    // The words are on screen only: nothing under the app's home holds them.
    let words = first.split(' ').take(6).collect::<Vec<_>>().join(" ");
    let hits = files_holding(app.home.path(), &[("the first share's words".to_owned(), words.into_bytes())], None, &[]);
    assert!(hits.is_empty(), "{hits:?}");
    // Scrolled to the shares, the button above them is out of the view: pressed as a person
    // would after scrolling back.
    app.s().execute("document.querySelector('[data-testid=hide-shares]').scrollIntoView({block: 'center'})", &[]);
    app.s().click_on("[data-testid=hide-shares]");
    app.s().wait_until("the shares hidden", LONG, |s| s.find("[data-testid=shares]").is_none());
}

#[test]
fn recovery_shares_are_shown_as_words_and_qr_codes() {
    shares_are_shown_as_words_and_qr("shares-en", "en");
}

#[test]
fn recovery_shares_in_urdu() {
    shares_are_shown_as_words_and_qr("shares-ur", "ur");
}
