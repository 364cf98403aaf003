//! The Gawahi desktop app: a Tauri 2 window over `gawahi-core`.
//!
//! This is the only crate that depends on Tauri. It holds no logic of its own beyond turning
//! requests into calls on the core and results into views (see `command_list.rs`, `commands`,
//! `ipc`, `state`).
#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod camouflage;
mod clipboard;
mod commands;
#[cfg(target_os = "linux")]
mod desktop_lock;
mod idle;
mod ipc;
mod preview;
mod state;
mod window;

#[cfg(test)]
mod bindings;

use tauri::Manager;

fn main() {
    // First, before any secret exists: no core dumps, and no reading of this process's memory or
    // environment by other processes of the same user.
    if gawahi_core::process::harden().is_err() {
        eprintln!("gawahi-app: warning: could not disable core dumps or keep other processes out of this one's memory");
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let config = app.path().app_config_dir()?;
            let data = app.path().app_data_dir()?;
            app.manage(state::AppState::new(&config, &data));
            idle::watch(app.handle().clone())?;
            #[cfg(target_os = "linux")]
            {
                let handle = app.handle().clone();
                app.state::<state::AppState>().on_copy(state::CopyHook(Box::new(move |text| {
                    // GTK's clipboard lives on its main thread. If the app is ending, nothing
                    // is copied; the window's notice is then wrong for a moment that no one sees.
                    let _ = handle.run_on_main_thread(move || clipboard::copy_for_a_while(text));
                })));
            }
            #[cfg(target_os = "linux")]
            {
                let handle = app.handle().clone();
                let on_lock: desktop_lock::OnLock = std::sync::Arc::new(move |reason| {
                    if handle.state::<state::AppState>().lock() {
                        // A lost event leaves the window to meet `locked` at its next command.
                        let _ = tauri::Emitter::emit(&handle, "vault-locked", ipc::VaultLocked { reason });
                    }
                });
                desktop_lock::watch(&on_lock);
            }
            window::forget_chosen_files();
            window::open_main(app)?;
            Ok(())
        })
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, |ctx, request, responder| {
            // Off the GTK main thread: decrypting a range takes a few milliseconds, and the
            // window keeps drawing meanwhile.
            let app = ctx.app_handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                let state = app.state::<state::AppState>();
                let response = preview::respond(&mut state.previews(), &request);
                responder.respond(response);
            });
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("gawahi-app: could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // However the app ends (its window closed, a signal, the session ending), the vault
            // locks first: its keys are zeroized, not left to an exit that runs no destructors.
            if let tauri::RunEvent::ExitRequested { .. } | tauri::RunEvent::Exit = event {
                app.state::<state::AppState>().lock();
            }
        });
}
