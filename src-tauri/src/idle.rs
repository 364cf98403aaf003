//! Auto-lock. The window reports activity (`note_activity`); a thread here locks the vault once
//! the auto-lock minutes pass without any, and tells the window through the `vault-locked` event.
//! The check lives in this process, not in the page: WebKit slows the timers of a hidden or
//! minimised page, and the keys to drop are here.

use std::time::{Duration, SystemTime};

use tauri::{AppHandle, Emitter, Manager};

use crate::ipc::{LockReason, VaultLocked};
use crate::state::AppState;

/// How often the idle time is checked: a lock comes at most this late.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Starts the thread that locks an idle vault. It lives as long as the app.
pub fn watch(app: AppHandle) -> std::io::Result<()> {
    std::thread::Builder::new().name("auto-lock".into()).spawn(move || {
        loop {
            std::thread::sleep(CHECK_EVERY);
            if app.state::<AppState>().lock_if_idle(SystemTime::now()) {
                // A lost event leaves the window showing the app until its next command, which
                // then meets `locked` and goes to the unlock screen; the vault is locked either way.
                let _ = app.emit("vault-locked", VaultLocked { reason: LockReason::Idle });
            }
        }
    })?;
    Ok(())
}
