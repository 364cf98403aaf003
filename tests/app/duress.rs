//! The duress passphrase in Settings, in English and Urdu: set it (decoy or wipe), lock, unlock
//! with it, and see the decoy or a fresh, empty vault, never the real records; the unlock screen
//! looks the same with or without one. The warning before the last try of a failed-unlock limit.

use gawahi_core::{SecretString, Vault};
use gawahi_e2e::app::App;

use crate::vaults::{LONG, PASSPHRASE, unlock, vault_of_incidents};

const DURESS: &str = "kettle monsoon ledger 19 saffron";
const REAL: &str = "REAL-CANARY raid on the office";

fn unlock_with(app: &App, passphrase: &str) {
    app.s().wait("#unlock-passphrase", LONG);
    app.s().type_into("#unlock-passphrase", passphrase);
    app.s().click_on("[data-testid=unlock]");
    app.settle();
}

/// The unlock screen's controls (each one's id, type and label) and whether any text speaks of
/// duress: the same whatever is set.
fn unlock_screen(app: &App) -> String {
    app.s().wait("#unlock-passphrase", LONG);
    let controls = app.s().execute(
        "return [...document.querySelectorAll('input, button, select')].map(e => `${e.id}|${e.type}|${e.textContent.trim()}`).join('\\n')",
        &[],
    );
    let text = app.s().text_of("body").to_lowercase();
    assert!(!text.contains("duress") && !text.contains("مجبوری"), "the unlock screen speaks of duress: {text}");
    controls.as_str().unwrap_or_default().to_owned()
}

fn duress_flow(name: &str, language: &str, mode: &str, set_note: &str) {
    let vault = vault_of_incidents([REAL.to_owned()]);
    let mut app = App::launch_with_vault_and_settings(name, &vault.path, language, 5);
    let before = unlock_screen(&app);
    unlock(&app);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#duress-new-passphrase", LONG);
    app.s().type_into("#duress-new-passphrase", DURESS);
    app.s().type_into("#duress-confirm-passphrase", DURESS);
    app.s().click_on(&format!("[data-testid=duress-{mode}]"));
    app.s().execute("document.querySelector('[data-testid=set-duress]').scrollIntoView({block: 'center'})", &[]);
    app.shot("the duress passphrase typed");
    app.s().click_on("[data-testid=set-duress]");
    app.s().wait_until("the duress passphrase set", LONG, |s| {
        s.find("[data-testid=duress-note]").is_some_and(|e| s.text(&e).contains(set_note))
    });
    app.shot("the duress passphrase set");

    app.s().click_on("[data-testid=lock]");
    assert_eq!(unlock_screen(&app), before, "the unlock screen looks the same with a duress passphrase set");
    unlock_with(&app, DURESS);
    app.s().wait("[data-testid=nav-incident]", LONG);
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.shot("after unlocking with the duress passphrase");
    let page = app.s().text_of("#main");
    assert!(!page.contains(REAL), "the real records are never shown: {page}");
    app.close();
    if mode == "wipe" {
        let after = Vault::unlock(&vault.path, &SecretString::from(PASSPHRASE));
        assert!(matches!(after, Err(gawahi_core::Error::WrongPassphrase)), "the real vault is wiped");
    } else {
        let real = Vault::unlock(&vault.path, &SecretString::from(PASSPHRASE)).expect("the real vault is intact");
        assert_eq!(real.list(gawahi_core::Kind::Incident, None, 10).expect("list").len(), 1);
    }
}

#[test]
fn a_decoy_duress_passphrase_opens_the_decoy_in_english() {
    duress_flow("duress-decoy-en", "en", "decoy", "decoy vault");
}

#[test]
fn a_decoy_duress_passphrase_opens_the_decoy_in_urdu() {
    duress_flow("duress-decoy-ur", "ur", "decoy", "نقلی والٹ");
}

#[test]
fn a_wiping_duress_passphrase_shows_a_fresh_vault_in_english() {
    duress_flow("duress-wipe-en", "en", "wipe", "wipes this vault");
}

#[test]
fn a_wiping_duress_passphrase_shows_a_fresh_vault_in_urdu() {
    duress_flow("duress-wipe-ur", "ur", "wipe", "خالی والٹ");
}

#[test]
fn the_unlock_screen_warns_before_the_last_try() {
    let vault = vault_of_incidents([REAL.to_owned()]);
    {
        let mut v = Vault::unlock(&vault.path, &SecretString::from(PASSPHRASE)).expect("unlock");
        v.set_unlock_limit(Some(5)).expect("limit");
    }
    let mut app = App::launch_with_vault_and_settings("duress-last-try", &vault.path, "en", 5);
    for _ in 0..4 {
        unlock_with(&app, "a wrong guess here");
        app.s().wait("[data-testid=unlock-error]", LONG);
    }
    app.s().wait("[data-testid=last-try]", LONG);
    app.shot("the warning before the last try");
    unlock(&app);
    app.close();
}
