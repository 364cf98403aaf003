use std::time::Duration;

use serde_json::json;

use gawahi_core::{Kind, SecretString, Vault};
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

/// Records enough for the copy under the new key to report its progress a few times.
const ROTATED_RECORDS: usize = 2000;

/// The incident ids of the vault at `path`, read through the core with `passphrase`.
fn ids_through_core(path: &std::path::Path, passphrase: &str) -> Result<Vec<String>, gawahi_core::Error> {
    let v = Vault::unlock(path, &SecretString::from(passphrase))?;
    let mut ids: Vec<String> = Vec::new();
    loop {
        let page = v.list(Kind::Incident, ids.last().map(String::as_str), 500).expect("list");
        if page.is_empty() {
            break;
        }
        ids.extend(page.into_iter().map(|r| r.id));
    }
    v.lock();
    Ok(ids)
}

#[test]
fn a_passphrase_change_that_replaces_the_key_leaves_old_copies_of_the_key_file_useless() {
    let titles = std::iter::once(TITLE.to_owned()).chain(
        (1..ROTATED_RECORDS)
            .map(|i| format!("Incident {i:04} recorded in the field, with notes enough to fill a page")),
    );
    let vault = vault_of_incidents(titles);
    let before = ids_through_core(&vault.path, PASSPHRASE).expect("the vault opens before");
    assert_eq!(before.len(), ROTATED_RECORDS);
    // What someone could have copied from this computer, or a backup holds: the key file as it
    // was before the change.
    let copies = tempfile::tempdir().expect("copies");
    let old_header = copies.path().join("vault.header");
    std::fs::copy(vault.path.join("vault.header"), &old_header).expect("copy the key file");

    let mut app = unlocked_app("passphrase-rotation", &vault);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#current-passphrase", LONG);
    app.s().type_into("#current-passphrase", PASSPHRASE);
    app.s().type_into("#settings-new-passphrase", NEW);
    app.s().type_into("#settings-confirm-passphrase", NEW);
    app.s().click_on("[data-testid=rotate-key]");
    assert_eq!(app.s().execute("return document.getElementById('rotate-key').checked", &[]), json!(true));
    app.shot("rotation-chosen");

    // Watch the form from the page itself while it works: the progress, what it said, and
    // whether every control was disabled meanwhile.
    app.s().execute(
        "window.__rotation = {shown: false, fractions: [], enabledWhileRotating: []};
         const look = () => {
           const p = document.querySelector('[data-testid=rotation-progress]');
           if (!p) return;
           window.__rotation.shown = true;
           const f = p.dataset.fraction;
           if (f && !window.__rotation.fractions.includes(f)) window.__rotation.fractions.push(f);
           for (const c of p.closest('form').querySelectorAll('input, button'))
             if (!c.disabled && !window.__rotation.enabledWhileRotating.includes(c.id || c.dataset.testid || c.type))
               window.__rotation.enabledWhileRotating.push(c.id || c.dataset.testid || c.type);
         };
         new MutationObserver(look).observe(document.body, {subtree: true, childList: true, attributes: true});",
        &[],
    );
    app.s().click_on("[data-testid=change-passphrase]");
    app.shot("rotating");
    app.s().wait("[data-testid=settings-saved]", Duration::from_mins(2));
    app.shot("key-replaced");
    let seen = app.s().execute("return window.__rotation", &[]);
    eprintln!("rotation as the page saw it: {seen}");
    assert_eq!(seen["shown"], json!(true), "no progress was shown while the key was replaced");
    assert_eq!(seen["enabledWhileRotating"], json!([]), "controls stayed enabled while the key was replaced");
    assert!(seen["fractions"].as_array().is_some_and(|f| !f.is_empty()), "the progress bar never moved");
    assert_eq!(
        app.s().execute("return document.querySelector('[data-testid=settings-saved]').dataset.rotated", &[]),
        json!("true")
    );
    let said = app.s().text_of("[data-testid=settings-saved]");
    assert!(said.contains("vault key replaced"), "the message does not say the key was replaced: {said}");
    assert!(said.contains("vault.header") && said.contains("vault.db"), "{said}");
    assert_eq!(app.s().execute("return document.getElementById('current-passphrase').value", &[]), json!(""));

    // The app opens the vault under its new key, with the same records.
    app.s().click_on("[data-testid=lock]");
    unlock_with(&app, NEW);
    app.s().wait("[data-testid=nav-incident]", LONG);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait("[data-testid=list-filter]", LONG);
    app.s().type_into("[data-testid=list-filter]", "Summons served");
    app.s().wait_until("the incident under the new key", LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains(TITLE))
    });
    app.s().click_on("[data-testid=lock]");
    app.s().wait("#unlock-passphrase", LONG);
    app.close();

    // Through the core: the old passphrase is wrong, the new one opens the same records.
    assert!(matches!(ids_through_core(&vault.path, PASSPHRASE), Err(gawahi_core::Error::WrongPassphrase)));
    assert_eq!(ids_through_core(&vault.path, NEW).expect("the new passphrase opens the vault"), before);

    // The key file copied before the change, with the old passphrase, opens nothing of it.
    let new_header = copies.path().join("vault.header.new");
    std::fs::copy(vault.path.join("vault.header"), &new_header).expect("keep the new key file");
    std::fs::copy(&old_header, vault.path.join("vault.header")).expect("put the old key file back");
    match ids_through_core(&vault.path, PASSPHRASE) {
        Err(e) => assert_eq!(e.code(), gawahi_core::ErrorCode::DatabaseForeign, "{e}"),
        Ok(ids) => panic!("the old key file still opens the vault with the old passphrase ({} records)", ids.len()),
    }
    std::fs::copy(&new_header, vault.path.join("vault.header")).expect("put the new key file back");
    assert_eq!(ids_through_core(&vault.path, NEW).expect("the vault still opens"), before);
}
