//! Search in the real window, in English and Urdu: an Urdu word typed without its diacritics
//! (aerab) finds the record written with them, a facet narrows the results with its count
//! beside it, and a result opens its record.

use std::time::Duration;

use serde_json::json;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;

use crate::vaults::{LONG, PASSPHRASE, unlock};

/// "Journalist" with its diacritics, as a careful writer types it; the search types it bare.
const WITH_AERAB: &str = "صَحَافِی";
const BARE: &str = "صحافی";

/// Two incidents that carry the word (Sindh and Punjab) and one that does not.
fn search_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let obj = |v: serde_json::Value| v.as_object().expect("object").clone();
    for (title, province, district) in [
        (format!("{WITH_AERAB} پر حملہ کراچی میں"), "sindh", "sindh.karachi_south"),
        (format!("{WITH_AERAB} کو دھمکی لاہور میں"), "punjab", "punjab.lahore"),
        ("Raid on a press club".to_owned(), "punjab", "punjab.lahore"),
    ] {
        v.add(
            Kind::Incident,
            obj(json!({"title": title, "occurred_on": "2026-03-05", "province": province,
                       "district": district, "incident_types": ["raid_search"]})),
        )
        .expect("incident");
    }
    v.lock();
    (home, path)
}

fn hits(app: &App) -> Vec<String> {
    serde_json::from_value(app.s().execute(
        "return [...document.querySelectorAll('[data-testid=search-hit]')].map((b) => b.textContent.trim())",
        &[],
    ))
    .unwrap_or_default()
}

fn search_in(lang: &str) {
    let (_home, vault) = search_vault();
    let mut app = App::launch_with_vault_and_settings(&format!("search-{lang}"), &vault, lang, 5);
    unlock(&app);

    // The word without its diacritics finds both records written with them, and not the third.
    app.s().type_into("[data-testid=search-box]", &format!("{BARE}\u{E007}"));
    app.s().wait("[data-testid=search-hit]", LONG);
    app.s().wait_until("both Urdu incidents found", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 2);
    let found = hits(&app);
    assert!(found.iter().all(|h| h.contains(WITH_AERAB)), "{found:?}");
    assert!(app.s().find("[data-testid=search-results] mark").is_some(), "the matched word is marked in the snippet");
    app.shot(&format!("search-{lang}-results"));

    // A facet with its count narrows the results to Sindh.
    let sindh = "[data-testid=facet-province-sindh]";
    app.s().wait(sindh, LONG);
    let label =
        app.s().execute("return document.querySelector(arguments[0]).closest('label').textContent", &[json!(sindh)]);
    let label = label.as_str().unwrap_or_default().to_owned();
    assert!(label.contains('1') || label.contains('۱'), "the facet shows its count: {label}");
    app.s().click_on(sindh);
    app.settle();
    app.s().wait_until("only the Sindh incident", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 1);
    let found = hits(&app);
    assert!(found[0].contains("کراچی"), "{found:?}");
    app.shot(&format!("search-{lang}-facet"));

    // Punjab ticked too (either province), then Karachi South: Punjab's count within Karachi South
    // is 0, and its box, still ticked, used to vanish from the list (it came back only when
    // Karachi South was unticked). It stays listed, ticked, at 0; the clear button unticks all.
    let punjab = "[data-testid=facet-province-punjab]";
    app.s().click_on(punjab);
    app.s().wait_until("both provinces", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 2);
    app.s().click_on("[data-testid=\"facet-district-sindh.karachi_south\"]");
    app.s().wait_until("Karachi South alone", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 1);
    app.settle();
    let ticked = app.s().execute(
        "const b = document.querySelector(arguments[0]); return b !== null && b.checked && b.closest('label').textContent",
        &[json!(punjab)],
    );
    let ticked = ticked.as_str().unwrap_or_default().to_owned();
    assert!(ticked.contains('0') || ticked.contains('۰'), "Punjab stays listed, ticked, at 0: {ticked:?}");
    app.shot(&format!("search-{lang}-ticked-at-zero"));
    app.s().click_on("[data-testid=search-clear-facets]");
    app.s().wait_until("every result once unticked", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 2);
    assert!(app.s().find("[data-testid=search-clear-facets]").is_none(), "nothing ticked: no clear button");
    app.s().click_on(sindh);
    app.s().wait_until("only the Sindh incident again", LONG, |s| s.find_all("[data-testid=search-hit]").len() == 1);

    // The result opens its record.
    app.s().click_on("[data-testid=search-hit]");
    app.s().wait("[data-testid=record-title]", LONG);
    let title = app.s().text_of("[data-testid=record-title]");
    assert!(title.contains("کراچی"), "{title}");
    app.shot(&format!("search-{lang}-opened"));
}

#[test]
fn an_urdu_word_without_aerab_is_found_narrowed_by_a_facet_and_opened_in_english() {
    search_in("en");
}

#[test]
fn an_urdu_word_without_aerab_is_found_narrowed_by_a_facet_and_opened_in_urdu() {
    search_in("ur");
}
