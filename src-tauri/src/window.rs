//! The main window. It is made here rather than in `tauri.conf.json` because its webview's data
//! store depends on who drives it.
//!
//! For people it is incognito: an ephemeral data store, so no disk cache, local storage,
//! IndexedDB or cookie ever reaches disk. WebKitGTK lets WebDriver attach only to the one context
//! with automation enabled, which Tauri makes persistent; so when tauri-driver launches the app
//! (it sets `TAURI_WEBVIEW_AUTOMATION`), the window uses that persistent store instead, and the
//! end-to-end test then proves that nothing the UI showed reached it either.

use tauri::{App, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};

use crate::camouflage;
use crate::ipc::WindowSize;
use crate::state::{AppState, CamouflageHook};

/// The first size: fits a 1366×768 laptop screen with its panel and the window's title bar.
const FIRST_SIZE: WindowSize = WindowSize { width: 1200, height: 680 };
/// The smallest the layout works at.
const MIN_SIZE: WindowSize = WindowSize { width: 800, height: 560 };
/// Larger than any screen; a size beyond it in the settings file is not one the window had.
const MAX_SIDE: u32 = 16_384;

/// Opens the main window.
pub fn open_main(app: &App) -> tauri::Result<()> {
    let driven = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    let state = app.state::<AppState>();
    let settings = state.settings();
    let size = opening_size(settings.window_size);
    let mut builder = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title(camouflage::title(&settings))
        .inner_size(f64::from(size.width), f64::from(size.height))
        .min_inner_size(f64::from(MIN_SIZE.width), f64::from(MIN_SIZE.height))
        .incognito(!driven)
        .initialization_script(app.state::<AppState>().status().start_script());
    // Camouflaged from its first frame: the app's own icon is never shown.
    if settings.camouflage
        && let Some(icon) = camouflage::neutral_icon()
    {
        builder = builder.icon(icon)?;
    }
    let window = builder.build()?;
    allow_cors_on_evidence_protocol(&window)?;
    let camouflaged = window.clone();
    state.on_camouflage(CamouflageHook(Box::new(move |settings| camouflage::apply(&camouflaged, settings))));
    // The window opens next time at the size the person left it at (not maximised or
    // minimised: those are states, not sizes).
    let watched = window.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::CloseRequested { .. } | WindowEvent::Destroyed = event {
            // Closing the window ends the app: the vault is locked first, so its keys are
            // zeroized rather than left to the process's exit (which runs no destructors).
            closing(&watched.state::<AppState>());
            return;
        }
        if let WindowEvent::Resized(physical) = event {
            if watched.is_maximized().unwrap_or(true) || watched.is_minimized().unwrap_or(true) {
                return;
            }
            let logical = physical.to_logical::<f64>(watched.scale_factor().unwrap_or(1.0));
            let size = WindowSize { width: logical.width.round() as u32, height: logical.height.round() as u32 };
            if size.width >= MIN_SIZE.width && size.height >= MIN_SIZE.height {
                watched.state::<AppState>().remember_window_size(size);
            }
        }
    });
    Ok(())
}

/// The main window is closing: the vault locks (its previews emptied, its keys zeroized).
pub fn closing(state: &AppState) {
    state.lock();
}

/// The size to open at: the one kept in the settings if it is one a window can have, else the
/// first size.
fn opening_size(kept: Option<WindowSize>) -> WindowSize {
    match kept {
        Some(s)
            if (MIN_SIZE.width..=MAX_SIDE).contains(&s.width) && (MIN_SIZE.height..=MAX_SIDE).contains(&s.height) =>
        {
            s
        }
        _ => FIRST_SIZE,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept size opens the window; a size no window had (a hand-edited or damaged settings
    /// file: zero, below the layout's minimum, beyond any screen) gives the first size instead.
    #[test]
    fn the_window_opens_at_a_kept_size_only_if_a_window_could_have_had_it() {
        let kept = WindowSize { width: 1000, height: 640 };
        assert_eq!(opening_size(Some(kept)), kept);
        assert_eq!(opening_size(None), FIRST_SIZE);
        for bad in [(0, 0), (799, 700), (1000, 559), (MAX_SIDE + 1, 700), (u32::MAX, u32::MAX)] {
            assert_eq!(opening_size(Some(WindowSize { width: bad.0, height: bad.1 })), FIRST_SIZE, "{bad:?}");
        }
    }
}
