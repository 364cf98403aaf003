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
    let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title("Gawahi — گواہی")
        // Fits a 1366×768 laptop screen with its panel and the window's title bar.
        .inner_size(1200.0, 680.0)
        .min_inner_size(800.0, 560.0)
        .incognito(!driven)
        .initialization_script(app.state::<AppState>().status().start_script())
        .build()?;
    allow_cors_on_evidence_protocol(&window)?;
    Ok(())
}

/// Lets the page read the evidence protocol across origins (the page is `tauri://localhost`, the
/// protocol `gawahi-evidence://localhost`), so that an image drawn on the redaction canvas leaves
/// it untainted and the canvas can be saved. WebKitGTK refuses CORS on a custom scheme unless it
/// is registered for it; the protocol then allows only the app's own origin
/// (`Access-Control-Allow-Origin`, `preview.rs`).
fn allow_cors_on_evidence_protocol(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{SecurityManagerExt, WebContextExt, WebViewExt};
            if let Some(manager) = webview.inner().context().and_then(|c| c.security_manager()) {
                manager.register_uri_scheme_as_cors_enabled(crate::preview::SCHEME);
            }
        }
    })
}

/// Keeps GTK from recording the files chosen in its file dialog (the evidence a person adds, by
/// name) in `~/.local/share/recently-used.xbel`, where any program of the user's, and anyone who
/// takes the laptop, would read them. Both settings: disabled, and a maximum age of 0 days
/// (nothing kept), in case a theme's settings file turns the first back on. Must run on the GTK
/// main thread (Tauri's `setup` does) before any dialog opens.
pub fn forget_chosen_files() {
    #[cfg(target_os = "linux")]
    {
        use gtk::prelude::GtkSettingsExt;
        if let Some(settings) = gtk::Settings::default() {
            settings.set_gtk_recent_files_enabled(false);
            settings.set_gtk_recent_files_max_age(0);
        }
    }
}
