use std::time::Duration;

use gawahi_e2e::app::App;

/// A person who made the window smaller (a laptop, a second screen) finds it at that size when
/// the app starts again; the size is kept in the settings file, outside the vault.
#[test]
fn the_window_opens_at_the_size_it_was_left_at() {
    let app = App::launch("window-size");
    app.s().wait("#main", Duration::from_secs(30));
    let inner = |app: &App| {
        let v = app.s().execute("return [window.innerWidth, window.innerHeight];", &[]);
        (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
    };
    let first = inner(&app);
    app.s().set_window_size(1000, 640);
    let settings = app.home.path().join("config/org.gawahi.app/settings.json");
    let kept = || -> Option<(u64, u64)> {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings).ok()?).ok()?;
        Some((v["windowSize"]["width"].as_u64()?, v["windowSize"]["height"].as_u64()?))
    };
    app.s().wait_until("the new size kept in the settings", Duration::from_secs(10), |_| {
        kept().is_some_and(|k| k != first)
    });
    let kept_size = kept().expect("kept");
    assert_eq!(inner(&app), kept_size, "what is kept is the page's size");
    let app = app.restart("window-size-again");
    app.s().wait("#main", Duration::from_secs(30));
    assert_eq!(inner(&app), kept_size, "the window opened at the size it was left at, not at {first:?}");
}
