//! The main window. It is made here rather than in `tauri.conf.json` because its webview's data
//! store depends on who drives it.
//!
//! For people it is incognito: an ephemeral data store, so no disk cache, local storage,
//! IndexedDB or cookie ever reaches disk. WebKitGTK lets WebDriver attach only to the one context
//! with automation enabled, which Tauri makes persistent; so when tauri-driver launches the app
//! (it sets `TAURI_WEBVIEW_AUTOMATION`), the window uses that persistent store instead, and the
//! end-to-end test then proves that nothing the UI showed reached it either.

use tauri::{App, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::AppState;

/// Opens the main window.
pub fn open_main(app: &App) -> tauri::Result<()> {
    let driven = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title("Gawahi — گواہی")
        // Fits a 1366×768 laptop screen with its panel and the window's title bar.
        .inner_size(1200.0, 680.0)
        .min_inner_size(800.0, 560.0)
        .incognito(!driven)
        .initialization_script(app.state::<AppState>().status().start_script())
        .build()?;
    Ok(())
}
