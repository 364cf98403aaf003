use std::process::Command;

use crate::vaults::{LONG, unlocked_app, vault_of_incidents};

const TITLE: &str = "Raid on the office";

/// Whether a window of the test's display has exactly this title (the window manager's, not
/// the page's: WebDriver sees only `document.title`).
fn window_titled(title: &str) -> bool {
    Command::new("xdotool")
        .args(["search", "--name", &format!("^{title}$")])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

#[test]
fn camouflage_gives_the_window_a_neutral_title_in_english_and_urdu_and_the_settings_name_no_vault() {
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
    app.shot("camouflaged-en");

    // In Urdu the neutral title is Urdu too.
    app.s().execute(
        "const l = document.getElementById('setting-language'); l.value = 'ur'; l.dispatchEvent(new Event('change', {bubbles: true}))",
        &[],
    );
    app.s().wait_until("the Urdu neutral title", LONG, |_| window_titled("نوٹس"));
    app.s().wait_until("the Urdu neutral name", LONG, |s| s.text_of(".brand").trim() == "نوٹس");
    app.shot("camouflaged-ur");

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
