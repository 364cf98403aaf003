//! The smallest app this shell can be: Tauri's runtime and one WebKitGTK window showing a page
//! of two words, with no vault, no commands and no UI. `make bench` measures its memory beside
//! Gawahi's, so that the figure for Gawahi can be read against what the platform itself costs,
//! and its cold start the same way as the app's, under tauri-driver.

const PAGE: &[u8] = b"<!doctype html><title>empty window</title><p>empty window</p>";

fn main() {
    let built = tauri::Builder::default()
        // The page comes from a scheme of its own: Tauri's asset scheme would fall back to
        // Gawahi's UI, and a data: URL needs a Tauri feature the app does not enable.
        .register_uri_scheme_protocol("empty", |_, _| {
            tauri::http::Response::builder().header("content-type", "text/html").body(PAGE.to_vec()).unwrap_or_default()
        })
        .setup(|app| {
            // Incognito like the app's window, except when tauri-driver launches it: WebKitGTK lets
            // WebDriver attach only to Tauri's automation context, which is persistent.
            let driven = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
            let url = "empty://localhost/".parse().map_err(|e| Box::new(e) as Box<dyn std::error::Error>)?;
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::External(url))
                .title("empty window")
                .inner_size(1200.0, 800.0)
                .incognito(!driven)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = built {
        eprintln!("empty_window: {e}");
        std::process::exit(1);
    }
}
