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
