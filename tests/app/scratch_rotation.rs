//! SCRATCH (not committed): a rotation of a big vault, watched in English and Urdu.
use std::time::{Duration, Instant};

use crate::vaults::{LONG, PASSPHRASE, unlocked_app, vault_of_incidents};

fn run(lang: &str, n: usize) {
    let t0 = Instant::now();
    let vault = vault_of_incidents((0..n).map(|i| format!("Incident {i:06} recorded in the field, with notes enough to fill a good part of a page of the database, and a little more to be sure of it")));
    eprintln!("{n} records in {:?}", t0.elapsed());
    let mut app = unlocked_app(&format!("scratch-rotation-{lang}"), &vault);
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("#current-passphrase", LONG);
    if lang == "ur" {
        app.s().set_value("#setting-language", "ur");
        app.settle();
    }
    app.s().type_into("#current-passphrase", PASSPHRASE);
    app.s().type_into("#settings-new-passphrase", "kettle monsoon ledger 19 saffron");
    app.s().type_into("#settings-confirm-passphrase", "kettle monsoon ledger 19 saffron");
    app.s().click_on("[data-testid=rotate-key]");
    app.shot("chosen");
    app.s().click_on("[data-testid=change-passphrase]");
    let start = Instant::now();
    let mut i = 0;
    while app.s().find("[data-testid=settings-saved]").is_none() && start.elapsed() < Duration::from_secs(300) {
        if i < 6 {
            app.shot("rotating");
            i += 1;
        }
        std::thread::sleep(Duration::from_millis(700));
    }
    eprintln!("rotation took {:?}", start.elapsed());
    std::thread::sleep(Duration::from_millis(300));
    app.shot("done");
    app.close();
}

#[test]
fn scratch_rotation_en() {
    run("en", std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(30000));
}

#[test]
fn scratch_rotation_ur() {
    run("ur", std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(30000));
}
