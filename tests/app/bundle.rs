//! Sealed bundles in the window: a case with a hearing and a linked incident in vault A is sealed
//! to a contact (vault B's key) through the export wizard; vault A itself cannot open it ("sealed
//! for someone else") and calls a file that is no bundle by that name; vault B checks it (the
//! report names vault A's fingerprint, in English and in Urdu) and imports it, and the case is in
//! its list. The identity screen shows the vault's fingerprint, and a contact's beside it.

use std::time::Duration;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;
use serde_json::json;

use crate::vaults::{LONG, PASSPHRASE, unlock};

const CASE_TITLE: &str = "State v. Gul Bano — ریاست بنام گل\u{200c}بانو";
const INCIDENT_TITLE: &str = "Raid on the press club";
const BUNDLE_PASSPHRASE: &str = "granite meadow copper violin 93";
const CONTACT: &str = "Advocate Sana — ایڈووکیٹ ثنا";

struct Made {
    path: std::path::PathBuf,
    fingerprint: String,
    recipient: String,
    signing_key: String,
}

/// A vault at `path` (the KDF at its floor); with a case, a hearing and a linked incident when
/// `with_case`. Its identity.
fn make_vault(path: std::path::PathBuf, with_case: bool) -> Made {
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    if with_case {
        let obj = |j: serde_json::Value| j.as_object().expect("object").clone();
        let case = v.add(Kind::Case, obj(json!({"title": CASE_TITLE, "case_kind": "criminalisation"}))).expect("case");
        v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": "2026-12-01", "purpose": "Bail arguments"})))
            .expect("hearing");
        let incident = v
            .add(
                Kind::Incident,
                obj(json!({"title": INCIDENT_TITLE, "occurred_on": "2024-03-05", "province": "sindh",
                           "district": "sindh.karachi_south"})),
            )
            .expect("incident");
        v.link(&incident.id, &case.id, "arises_from").expect("link");
    }
    let id = v.identity().expect("identity");
    v.lock();
    Made { path, fingerprint: id.fingerprint, recipient: id.age_recipient, signing_key: id.signing_key }
}

/// Opens the Receive screen, checks the bundle at `path` with the vault's own key and waits for the
/// report or the failed check.
fn check_bundle(app: &App, path: &std::path::Path) {
    app.s().click_on("[data-testid=nav-receive]");
    app.settle();
    app.s().wait("[data-testid=receive-path]", LONG);
    // GTK's file dialog is not WebDriver's to drive: the path goes into the field the dialog fills.
    assert!(app.s().find("[data-testid=receive-choose]").is_some(), "the file dialog's button is there");
    app.s().set_value("[data-testid=receive-path]", &path.display().to_string());
    app.s().click_on("[data-testid=receive-with-key]");
    app.s().click_on("[data-testid=receive-verify]");
    app.s().wait_until("a report or a failed check", LONG, |s| {
        s.find("[data-testid=bundle-report]").is_some() || s.find("[data-testid=bundle-failed]").is_some()
    });
    app.settle();
}

fn failed_check(app: &App) -> (String, String) {
    let s = app.s();
    let check = s.execute("return document.querySelector('[data-testid=bundle-failed]')?.dataset.check ?? null;", &[]);
    (check.as_str().unwrap_or("none").to_owned(), s.text_of("[data-testid=bundle-failed-why]"))
}

#[test]
fn a_case_sealed_in_one_vault_is_checked_and_imported_in_another() {
    let dirs = tempfile::tempdir().expect("vaults");
    let a = make_vault(dirs.path().join("vault-a"), true);
    let b = make_vault(dirs.path().join("vault-b"), false);
    let bundle = dirs.path().join("gul-bano.gawahi");
    let by_passphrase = dirs.path().join("gul-bano-passphrase.gawahi");
    let not_a_bundle = dirs.path().join("notes.gawahi");
    std::fs::write(&not_a_bundle, "these are notes, not a bundle\n").expect("write");

    // Vault A: its fingerprint on the identity screen, vault B saved as a contact.
    let mut app = App::launch_with_vault("bundle-a", &a.path);
    unlock(&app);
    app.s().click_on("[data-testid=nav-contacts]");
    app.s().wait("[data-testid=own-fingerprint]", LONG);
    app.settle();
    assert_eq!(
        app.s().text_of("[data-testid=own-fingerprint]").split_whitespace().collect::<Vec<_>>().join(" "),
        a.fingerprint
    );
    assert_eq!(app.s().execute("return document.getElementById('own-recipient').value;", &[]), json!(a.recipient));
    app.s().type_into("[data-testid=contact-name-input]", CONTACT);
    app.s().type_into("[data-testid=contact-recipient-input]", "age1notakey");
    app.s().click_on("[data-testid=add-contact]");
    app.s().wait("[data-testid=contact-status]", LONG);
    let refused = app.s().text_of("[data-testid=contact-status]");
    assert!(refused.contains("not a key"), "a bad key is refused by name of the problem: {refused}");
    assert!(!refused.contains("age1notakey"), "and not repeated: {refused}");
    app.s().set_value("[data-testid=contact-recipient-input]", &b.recipient);
    app.s().set_value("[data-testid=contact-signing-input]", &b.signing_key);
    app.s().click_on("[data-testid=add-contact]");
    app.s().wait("[data-testid=contact]", LONG);
    app.settle();
    assert_eq!(app.s().text_of("[data-testid=contact-name]"), CONTACT);
    assert_eq!(
        app.s().text_of("[data-testid=contact-fingerprint]").split_whitespace().collect::<Vec<_>>().join(" "),
        b.fingerprint,
        "the contact's fingerprint, to compare with the one read out"
    );
    app.shot("identity-and-contacts");
    // Removing asks first: declined, the contact stays.
    app.s().click_on("[data-testid=remove-contact]");
    app.s().wait("[data-testid=confirm-cancel]", LONG);
    app.shot("remove-contact-asks");
    app.s().click_on("[data-testid=confirm-cancel]");
    app.settle();
    assert_eq!(app.s().find_all("[data-testid=contact]").len(), 1, "kept when declined");

    // The case, sealed to the contact through the wizard.
    app.s().click_on("[data-testid=nav-case]");
    app.settle();
    app.s().wait_until("the case row", LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains("Gul Bano"))
    });
    let row = app.s().find_all("[data-testid=record-row]").remove(0);
    app.s().click(&row);
    app.s().wait("[data-testid=seal-record]", LONG);
    app.s().click_on("[data-testid=seal-record]");
    app.s().wait("[data-testid=seal-start]", LONG);
    app.settle();
    let whole = app.s().execute("return document.querySelector('[data-testid=seal-whole-case]').checked;", &[]);
    assert_eq!(whole, json!(true), "from a case, the whole case is chosen");
    assert_eq!(app.s().find_all("[data-testid=seal-record-choice]").len(), 3, "the case, its hearing, its incident");
    app.s().click_on("[data-testid=seal-contact-choice]");
    assert!(app.s().find("[data-testid=seal-choose]").is_some(), "the save dialog's button is there");
    app.s().set_value("[data-testid=seal-path]", &bundle.display().to_string());
    app.shot("seal-wizard");
    app.s().click_on("[data-testid=seal-start]");
    app.s().wait("[data-testid=seal-result]", LONG);
    app.settle();
    assert!(bundle.is_file(), "the bundle was written where asked");
    assert!(app.s().text_of("[data-testid=sealed-for]").contains("Advocate Sana"), "the result names the contact");
    assert!(app.s().text_of("[data-testid=saved-to]").contains("gul-bano.gawahi"), "and the file");
    assert!(app.s().text_of("[data-testid=seal-result]").contains(&a.fingerprint), "and the signer");
    app.shot("sealed");

    // Again, with a passphrase typed twice (the strength meter's rule applies).
    app.s().click_on("[data-testid=seal-another]");
    app.s().wait("[data-testid=seal-to-passphrase]", LONG);
    app.s().click_on("[data-testid=seal-to-passphrase]");
    app.s().wait("#seal-new-passphrase", LONG);
    app.s().type_into("#seal-new-passphrase", BUNDLE_PASSPHRASE);
    app.s().type_into("#seal-confirm-passphrase", BUNDLE_PASSPHRASE);
    app.s().set_value("[data-testid=seal-path]", &by_passphrase.display().to_string());
    app.shot("seal-with-passphrase");
    app.s().click_on("[data-testid=seal-start]");
    app.s().wait("[data-testid=seal-result]", LONG);
    assert!(app.s().text_of("[data-testid=sealed-for]").contains("passphrase"));
    assert!(by_passphrase.is_file());

    // Vault A cannot open what it sealed for B, and a file that is no bundle is called so.
    check_bundle(&app, &bundle);
    let (check, why) = failed_check(&app);
    assert_eq!(check, "not_addressed_to_you", "{why}");
    assert!(why.contains("someone else"), "{why}");
    app.shot("sealed-for-someone-else");
    check_bundle(&app, &not_a_bundle);
    let (check, why) = failed_check(&app);
    assert_eq!(check, "not_a_bundle", "{why}");
    assert!(!why.contains("notes.gawahi"), "the file's name is not repeated: {why}");
    app.shot("not-a-bundle");
    drop(app);

    // Vault B: the report names vault A's fingerprint (not a contact of B's), then the import.
    let mut app = App::launch_with_vault("bundle-b", &b.path);
    unlock(&app);
    check_bundle(&app, &bundle);
    app.s().wait("[data-testid=bundle-report]", LONG);
    assert_eq!(app.s().text_of("[data-testid=bundle-signer-fingerprint]"), a.fingerprint);
    assert!(app.s().text_of("[data-testid=bundle-signer]").contains("not among your contacts"));
    assert!(
        app.s().text_of("[data-testid=bundle-holds]").contains("Records: 3"),
        "{}",
        app.s().text_of("[data-testid=bundle-holds]")
    );
    assert_eq!(app.s().find_all("[data-testid=bundle-check]").len(), 7, "every check is listed");
    // Before importing, each record it holds: kind, title, date.
    let kinds = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=bundle-record]')].map(e => e.dataset.kind).sort();",
        &[],
    );
    assert_eq!(kinds, json!(["case", "hearing", "incident"]), "the three records are listed");
    let listed = app.s().text_of("[data-testid=bundle-records]");
    assert!(listed.contains("Case") && listed.contains("Hearing"), "kinds named: {listed}");
    app.shot("report");

    // The signer saved as a contact from the report (their keys filled in): next time, named.
    app.s().click_on("[data-testid=save-signer]");
    app.s().wait("[data-testid=contact-name-input]", LONG);
    app.settle();
    let filled = app.s().execute("return document.getElementById('contact-recipient').value;", &[]);
    assert_eq!(filled, json!(a.recipient), "the signer's key is filled in");
    app.s().type_into("[data-testid=contact-name-input]", "Karachi office");
    app.s().click_on("[data-testid=add-contact]");
    app.s().wait("[data-testid=contact]", LONG);
    app.settle();
    assert_eq!(
        app.s().text_of("[data-testid=contact-fingerprint]").split_whitespace().collect::<Vec<_>>().join(" "),
        a.fingerprint
    );
    check_bundle(&app, &bundle);
    app.s().wait("[data-testid=bundle-report]", LONG);
    assert!(app.s().text_of("[data-testid=bundle-signer]").contains("Karachi office"), "the signer is named");
    app.shot("report-known-signer");

    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#setting-language", LONG);
    app.s().set_value("#setting-language", "ur");
    app.s().wait_until("dir=rtl", LONG, |s| {
        s.execute("return document.documentElement.getAttribute('dir');", &[]) == json!("rtl")
    });
    check_bundle(&app, &bundle);
    app.s().wait("[data-testid=bundle-report]", LONG);
    assert_eq!(
        app.s().text_of("[data-testid=bundle-signer-fingerprint]"),
        a.fingerprint,
        "the digits stay in order in Urdu"
    );
    let report = app.s().text_of("[data-testid=bundle-report]");
    assert!(report.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "the report is in Urdu: {report}");
    app.shot("report-urdu");
    app.s().click_on("[data-testid=bundle-import]");
    app.s().wait("[data-testid=bundle-imported]", LONG);
    app.settle();
    app.shot("imported-urdu");
    app.s().click_on("[data-testid=nav-contacts]");
    app.s().wait("[data-testid=own-fingerprint]", LONG);
    app.settle();
    assert_eq!(
        app.s().text_of("[data-testid=own-fingerprint]").split_whitespace().collect::<Vec<_>>().join(" "),
        b.fingerprint,
        "the digits keep their order in Urdu"
    );
    app.shot("identity-urdu");
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#setting-language", LONG);
    app.s().set_value("#setting-language", "en");
    app.s().wait_until("dir=ltr", LONG, |s| {
        s.execute("return document.documentElement.getAttribute('dir');", &[]) == json!("ltr")
    });

    // The passphrase bundle: refused with the vault's key and with a wrong passphrase, then opened.
    check_bundle(&app, &by_passphrase);
    assert_eq!(failed_check(&app).0, "needs_passphrase");
    app.s().click_on("[data-testid=receive-with-passphrase]");
    app.s().wait("#receive-passphrase", LONG);
    app.s().type_into("#receive-passphrase", "not the passphrase at all");
    app.s().click_on("[data-testid=receive-verify]");
    app.s().wait_until("the wrong passphrase", LONG, |s| {
        s.execute("return document.querySelector('[data-testid=bundle-failed]')?.dataset.check ?? null;", &[])
            == json!("wrong_passphrase")
    });
    app.shot("wrong-passphrase");
    app.s().type_into("#receive-passphrase", BUNDLE_PASSPHRASE);
    app.s().click_on("[data-testid=receive-verify]");
    app.s().wait_until("the report or an error", LONG, |s| {
        s.find("[data-testid=bundle-report]").is_some() || s.find("[data-testid=receive-error]").is_some()
    });
    assert!(app.s().find("[data-testid=bundle-report]").is_some(), "{}", app.s().text_of("#main"));
    assert_eq!(app.s().text_of("[data-testid=bundle-signer-fingerprint]"), a.fingerprint);

    // Imported a second time: nothing new.
    check_bundle(&app, &bundle);
    app.s().wait("[data-testid=bundle-report]", LONG);
    app.s().click_on("[data-testid=bundle-import]");
    app.s().wait("[data-testid=bundle-imported]", LONG);
    let again = app.s().text_of("[data-testid=imported-records]");
    assert!(again.contains("0 new, 3 already"), "{again}");
    app.shot("imported-twice");
    app.s().click_on("[data-testid=open-imported-case]");
    app.s().wait("[data-testid=record-title]", LONG);
    assert!(app.s().text_of("[data-testid=record-title]").contains("Gul Bano"), "the imported case opens");

    // The records are in vault B.
    app.s().click_on("[data-testid=nav-case]");
    app.settle();
    app.s().wait_until("the imported case in B's list", LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains("Gul Bano"))
    });
    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.s().wait_until("the imported incident in B's list", LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains(INCIDENT_TITLE))
    });
    app.shot("imported-records");

    // Nothing of the records reached the app's home in the clear (the webview keeps no cache).
    app.close();
    let leaks = gawahi_e2e::plaintext::scan_for(app.home.path(), &["Gul Bano", INCIDENT_TITLE, "Bail arguments"]);
    assert!(leaks.is_empty(), "plaintext on disk: {leaks:#?}");
}
