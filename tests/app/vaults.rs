//! Vaults made directly through the core (faster than typing them in) and opened in the app.

use std::time::Duration;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;

/// The passphrase of every vault made here.
pub const PASSPHRASE: &str = "end-to-end test passphrase 7";
/// How long a step may take before the test gives up.
pub const LONG: Duration = Duration::from_secs(30);

/// A vault, in a temporary directory, holding one incident per title (the KDF at its floor).
pub struct TestVault {
    _home: tempfile::TempDir,
    /// The vault's directory.
    pub path: std::path::PathBuf,
}

/// A vault of incidents with these titles, all on one day in Karachi South.
pub fn vault_of_incidents(titles: impl IntoIterator<Item = String>) -> TestVault {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let items = titles.into_iter().map(|title| {
        let body = serde_json::json!({"title": title, "occurred_on": "2024-03-05", "province": "sindh",
                                      "district": "sindh.karachi_south", "incident_types": ["raid_search"]});
        (Kind::Incident, body.as_object().expect("object").clone())
    });
    v.add_batch(items).expect("add");
    v.lock();
    TestVault { _home: home, path }
}

/// The app opened on `vault` and unlocked, showing the dashboard.
pub fn unlocked_app(name: &str, vault: &TestVault) -> App {
    let app = App::launch_with_vault(name, &vault.path);
    unlock(&app);
    app
}

/// Unlocks from the unlock screen and waits for the dashboard.
pub fn unlock(app: &App) {
    app.s().wait("#unlock-passphrase", LONG);
    app.s().type_into("#unlock-passphrase", PASSPHRASE);
    app.s().click_on("[data-testid=unlock]");
    app.s().wait("[data-testid=nav-dashboard]", LONG);
    app.settle();
}

/// The Latin words on the page that are not a person's own text: the page with every element of
/// user text (`dir="auto"`, `<bdi>`), every control's value (and the elements `also_removed`
/// names) and every record id taken out, and the labels screen readers hear (`aria-label`,
/// `title`, `placeholder`) put in; less the words in `kept`.
pub fn untranslated_english(app: &App, kept: &[&str], also_removed: &str) -> Vec<String> {
    let found = app.s().execute(
        "const root = document.body.cloneNode(true);
         root.querySelectorAll('[dir=auto], bdi, .code, input, textarea, script, style' + arguments[0]).forEach((e) => e.remove());
         const said = [...document.querySelectorAll('[aria-label], [title], [placeholder]')]
           .filter((e) => !e.closest('[dir=auto], bdi'))
           .map((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].join(' '));
         const text = root.textContent + ' ' + said.join(' ') + ' ' + document.title;
         return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])];",
        &[serde_json::json!(also_removed)],
    );
    let words: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    words.into_iter().filter(|w| !kept.contains(&w.as_str())).collect()
}

/// Takes a screenshot of `screen`, and in Urdu asserts that it shows no untranslated English.
pub fn scan_screen(app: &mut App, lang: &str, screen: &str, kept: &[&str], also_removed: &str) {
    app.shot(&format!("{lang}-{screen}"));
    if lang == "ur" {
        let words = untranslated_english(app, kept, also_removed);
        assert!(words.is_empty(), "English on the Urdu {screen} screen: {words:?}");
    }
}
