use serde_json::json;

use gawahi_e2e::app::App;

use crate::vaults::{LONG, PASSPHRASE, unlocked_app, vault_of_incidents};

const NEW: &str = "kettle monsoon ledger 19 saffron";
const TITLE: &str = "Summons served without a copy of the FIR";

fn change_enabled(app: &App) -> bool {
    app.s().execute("return !document.querySelector('[data-testid=change-passphrase]').disabled", &[]) == json!(true)
}

fn unlock_with(app: &App, passphrase: &str) {
    app.s().wait("#unlock-passphrase", LONG);
    app.s().type_into("#unlock-passphrase", passphrase);
    app.s().click_on("[data-testid=unlock]");
    app.settle();
}

#[test]
fn a_changed_passphrase_opens_the_vault_and_the_old_one_no_longer_does() {
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let mut app = unlocked_app("passphrase", &vault);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#current-passphrase", LONG);
    app.s().type_into("#current-passphrase", PASSPHRASE);

    // Refused until the new passphrase is strong enough and typed the same twice.
    app.s().type_into("#settings-new-passphrase", "abc");
    app.s().type_into("#settings-confirm-passphrase", "abc");
    assert!(!change_enabled(&app), "a weak passphrase can be set");
    app.s().type_into("#settings-new-passphrase", NEW);
    app.s().type_into("#settings-confirm-passphrase", "kettle monsoon ledger 19 saffro");
    app.s().wait("[data-testid=error-confirm]", LONG);
    assert!(!change_enabled(&app), "two different passphrases can be set");
    app.s().type_into("#settings-confirm-passphrase", NEW);
    assert!(change_enabled(&app), "a strong, confirmed passphrase cannot be set");
    app.shot("new-passphrase-typed");

    app.s().click_on("[data-testid=change-passphrase]");
    app.s().wait("[data-testid=settings-saved]", LONG);
    app.shot("passphrase-changed");

    // Lock: the old passphrase is now wrong, the new one opens the same records.
    app.s().click_on("[data-testid=lock]");
    unlock_with(&app, PASSPHRASE);
    app.s().wait_until("the wrong-passphrase message", LONG, |s| {
        s.find("[role=alert]").is_some_and(|e| s.text(&e).contains("Wrong passphrase"))
    });
    unlock_with(&app, NEW);
    app.s().wait("[data-testid=nav-incident]", LONG);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("the incident under the new passphrase", LONG, |s| s.text_of("#main").contains(TITLE));
    app.close();
}
