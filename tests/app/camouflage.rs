use std::process::Command;

use crate::vaults::{LONG, unlock, unlocked_app, vault_of_incidents};

const TITLE: &str = "Raid on the office";

/// Whether a window of the test's display has exactly this title (the window manager's, not
/// the page's: WebDriver sees only `document.title`).
fn window_titled(title: &str) -> bool {
    Command::new("xdotool")
        .args(["search", "--name", &format!("^{title}$")])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// Fails unless the vault's folder holds its files under neutral names only.
fn assert_neutral_names(dir: &std::path::Path) {
    let names = names_in(dir);
    for expected in ["settings.bin", "notes.db", "cache.db", "session.bin", "attachments"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing: {names:?}");
    }
    for name in &names {
        let lower = name.to_lowercase();
        assert!(!["vault", "gawahi", "evidence", "blob"].iter().any(|w| lower.contains(w)), "{name}: {names:?}");
    }
}

/// Fails unless the vault's folder holds its files under their own names.
fn assert_own_names(dir: &std::path::Path) {
    let names = names_in(dir);
    for expected in ["vault.header", "vault.db", "vault.aux", "vault.tries", "blobs"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing: {names:?}");
    }
    assert!(!names.iter().any(|n| n == "settings.bin" || n == "notes.db"), "{names:?}");
}

fn names_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir).expect("ls").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect()
}

/// Locks from the top bar, unlocks again and finds the vault's incident on the dashboard.
fn lock_and_unlock(app: &gawahi_e2e::app::App) {
    app.s().click_on("[data-testid=lock]");
    app.s().wait("#unlock-passphrase", LONG);
    unlock(app);
    app.s().wait_until("the incident after unlocking", LONG, |s| s.text_of("#main").contains(TITLE));
}

#[test]
fn camouflage_gives_the_window_a_neutral_title_and_the_vaults_files_neutral_names_in_english_and_urdu() {
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let mut app = unlocked_app("camouflage-en", &vault);
    assert!(window_titled("Gawahi — گواہی"), "the app's own title before");

    // The app hardened itself first thing (`process::harden`): no core file can hold what the
    // window shows.
    let pid = app.process_tree_memory().into_iter().find(|p| p.name == "gawahi-app").expect("the app's process").pid;
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("limits");
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).expect("core limit");
    assert_eq!(core.split_whitespace().skip(4).take(2).collect::<Vec<_>>(), ["0", "0"], "{core}");

    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("[data-testid=camouflage]", LONG);
    app.s().click_on("[data-testid=camouflage]");
    app.s().wait_until("the neutral name in the top bar", LONG, |s| s.text_of(".brand").trim() == "Notes");
    app.s().wait_until("the window retitled", LONG, |_| window_titled("Notes"));
    assert!(!window_titled("Gawahi — گواہی"));
    assert_eq!(app.s().execute("return document.title", &[]), serde_json::json!("Notes"));
    assert!(!app.s().text_of(".brand").contains("Gawahi"));
    // The vault's files have neutral names now, the open vault still works, and it unlocks again.
    assert_neutral_names(&vault.path);
    app.shot("camouflaged-en");
    lock_and_unlock(&app);
    assert_neutral_names(&vault.path);

    // Off again gives the files their own names back.
    app.s().click_on("[data-testid=nav-settings]");
    app.s().wait("[data-testid=camouflage]", LONG);
    app.s().click_on("[data-testid=camouflage]");
    app.s().wait_until("the own title again", LONG, |_| window_titled("Gawahi — گواہی"));
    assert_own_names(&vault.path);

    // In Urdu: camouflage turned on from the Urdu screen, with the Urdu neutral title.
    app.s().execute(
        "const l = document.getElementById('setting-language'); l.value = 'ur'; l.dispatchEvent(new Event('change', {bubbles: true}))",
        &[],
    );
    app.s().wait_until("the Urdu screen", LONG, |s| s.text_of("#settings-camouflage-h").trim() == "بھیس");
    app.s().click_on("[data-testid=camouflage]");
    app.s().wait_until("the Urdu neutral title", LONG, |_| window_titled("نوٹس"));
    app.s().wait_until("the Urdu neutral name", LONG, |s| s.text_of(".brand").trim() == "نوٹس");
    assert_neutral_names(&vault.path);
    app.shot("camouflaged-ur");
    lock_and_unlock(&app);
    assert_neutral_names(&vault.path);

    // The settings file on disk says camouflage, and nothing of where the vault is.
    let settings = app.home.path().join("config/org.gawahi.app/settings.json");
    let bytes = std::fs::read(&settings).expect("settings written");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("\"camouflage\": true"), "{text}");
    let folder = vault.path.display().to_string();
    assert!(!text.contains(&folder) && !text.contains("vault"), "the settings name the vault: {text}");

    // Started again: camouflaged from the first frame; the vault, kept elsewhere than the
    // default place, is not remembered, so the app asks for it (the first-run screen offers to
    // open an existing one).
    let app = app.restart("camouflage-again");
    app.s().wait("#main", LONG);
    app.s().wait_until("the neutral title at start", LONG, |_| window_titled("نوٹس"));
    assert!(!window_titled("Gawahi — گواہی"));
    let shown = app.s().execute("return document.documentElement.outerHTML", &[]);
    assert!(!shown.as_str().unwrap_or_default().contains(&folder), "the window was told the vault's folder");
}
