//! The app's state: the unlocked vault (or none), the settings file and the idle time. The
//! commands (`commands.rs`) reach the core through [`AppState::with_vault`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use gawahi_core::Vault;
use gawahi_core::error::Error;

use crate::ipc::{AppStatus, IpcError, IpcResult, Settings, VaultInfo, WindowSize};
use crate::preview::{Preview, Previews};

/// What the app holds between commands.
#[derive(Debug)]
pub struct AppState {
    vault: Mutex<Option<Vault>>,
    settings_file: PathBuf,
    default_vault: PathBuf,
    /// When the person last did something in the window (or unlocked), for auto-lock. Wall-clock
    /// time on purpose: the monotonic clock stops while a laptop sleeps, and a vault left open
    /// before the lid closed must count that time as idle.
    last_activity: Mutex<SystemTime>,
    /// The auto-lock setting, kept here so that the idle check does not read the settings file.
    auto_lock_minutes: AtomicU32,
    /// Evidence files open for preview, served by the evidence protocol (`preview.rs`). Only
    /// changed while `vault` is held (locking empties it), so nothing is served once locked.
    previews: Mutex<Previews>,
    /// Set by `cancel_intake`: the intake running stops at its next read.
    cancel_intake: AtomicBool,
}

/// Whether `minutes` of inactivity have passed since `last` (never, when `minutes` is 0, nor when
/// the clock reads earlier than `last`).
pub fn idle_expired(last: SystemTime, now: SystemTime, minutes: u32) -> bool {
    minutes > 0 && now.duration_since(last).unwrap_or(Duration::ZERO) >= Duration::from_secs(u64::from(minutes) * 60)
}

impl AppState {
    /// State with settings in `config_dir` and the default vault in `data_dir`.
    pub fn new(config_dir: &Path, data_dir: &Path) -> Self {
        let state = Self {
            vault: Mutex::new(None),
            settings_file: config_dir.join("settings.json"),
            default_vault: data_dir.join("vault"),
            last_activity: Mutex::new(SystemTime::now()),
            auto_lock_minutes: AtomicU32::new(0),
            previews: Mutex::new(Previews::new()),
            cancel_intake: AtomicBool::new(false),
        };
        state.auto_lock_minutes.store(state.settings().auto_lock_minutes, Ordering::Relaxed);
        state
    }

    /// The person is using the app: the idle time starts again.
    pub fn note_activity(&self) {
        *self.last_activity.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = SystemTime::now();
    }

    /// Locks the vault if it is open and has been idle for the auto-lock minutes; says whether it
    /// did.
    pub fn lock_if_idle(&self, now: SystemTime) -> bool {
        let last = {
            let mut last = self.last_activity.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // The clock was set back: the idle time starts again from now, not from the future.
            if *last > now {
                *last = now;
            }
            *last
        };
        if !idle_expired(last, now, self.auto_lock_minutes.load(Ordering::Relaxed)) {
            return false;
        }
        let mut vault = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A command may have held the vault while the person acted: look again now that it is ours.
        let last = *self.last_activity.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !idle_expired(last, now, self.auto_lock_minutes.load(Ordering::Relaxed)) {
            return false;
        }
        self.previews().clear();
        match vault.take() {
            Some(v) => {
                v.lock();
                true
            }
            None => false,
        }
    }

    /// The previews open (empty while the vault is locked).
    pub fn previews(&self) -> std::sync::MutexGuard<'_, Previews> {
        self.previews.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens the evidence file `id` for preview (one `view` in its custody log) and returns its
    /// media type and size. Done while the vault is held, so a lock cannot come in between and
    /// leave a preview open after it.
    pub fn open_preview(&self, id: &str) -> IpcResult<(String, u64)> {
        let mut guard = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let vault = guard.as_mut().ok_or(Error::Locked)?;
        let item = vault.evidence(id)?;
        let reader = vault.open_evidence(&item.id)?;
        let size = reader.len();
        self.previews().insert(item.id, Preview::new(reader, item.media_type.clone()));
        Ok((item.media_type, size))
    }

    /// Asks the intake running (if any) to stop, and clears the request before the next one.
    pub fn intake_cancel_flag(&self) -> &AtomicBool {
        &self.cancel_intake
    }

    /// Runs `f` on the unlocked vault; `locked` if there is none.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> gawahi_core::Result<T>) -> IpcResult<T> {
        let mut guard = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let vault = guard.as_mut().ok_or(Error::Locked)?;
        Ok(f(vault)?)
    }

    /// The settings, or the defaults if there are none (or they cannot be read).
    pub fn settings(&self) -> Settings {
        std::fs::read(&self.settings_file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Remembers the main window's size for the next start (nothing is written if it is the one
    /// already kept). A failure to write it is not worth telling anyone about.
    pub fn remember_window_size(&self, size: WindowSize) {
        let settings = self.settings();
        if settings.window_size != Some(size) {
            let _ = self.write_settings(&Settings { window_size: Some(size), ..settings });
        }
    }

    fn write_settings(&self, settings: &Settings) -> IpcResult<()> {
        let io =
            |e| IpcError::from(Error::Io { action: "save settings to", path: self.settings_file.clone(), source: e });
        if let Some(dir) = self.settings_file.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_vec_pretty(settings).unwrap_or_default();
        std::fs::write(&self.settings_file, text).map_err(io)
    }

    pub fn status(&self) -> AppStatus {
        let mut settings = self.settings();
        let path = settings.last_vault_path.clone().map_or_else(|| self.default_vault.clone(), PathBuf::from);
        let unlocked = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner).is_some();
        // A panic wipe cut off half-way (the app killed, the power cut) is finished at the next
        // start, before anything is shown; its settings file goes with it.
        if !unlocked && path.join(gawahi_core::vault::WIPE_MARKER).is_file() {
            let _ = Vault::finish_interrupted_wipe(&path);
            let _ = std::fs::remove_file(&self.settings_file);
            settings = Settings::default();
        }
        AppStatus {
            unlocked,
            vault_exists: path.join(gawahi_core::header::FILE_NAME).is_file(),
            vault_path: path.display().to_string(),
            settings,
        }
    }

    /// Saves the language (`en` or `ur`, checked by the command) and the auto-lock minutes.
    pub fn save_settings(&self, language: String, auto_lock_minutes: u32) -> IpcResult<Settings> {
        let settings = Settings { language, auto_lock_minutes, ..self.settings() };
        self.write_settings(&settings)?;
        self.auto_lock_minutes.store(settings.auto_lock_minutes, Ordering::Relaxed);
        self.note_activity();
        Ok(settings)
    }

    /// Puts an unlocked vault in place and remembers where it is.
    pub fn opened(&self, vault: Vault) -> IpcResult<VaultInfo> {
        let path = vault.dir().display().to_string();
        self.note_activity();
        *self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(vault);
        let settings = Settings { last_vault_path: Some(path.clone()), ..self.settings() };
        self.write_settings(&settings)?;
        Ok(VaultInfo { path })
    }

    /// The panic wipe: the open vault (or, if none is open, the one the settings name) is wiped
    /// with [`Vault::wipe`], and the app's settings file, which names the vault's folder, is
    /// removed. Both are tried whatever happens to the other; the vault's failure is reported.
    pub fn wipe(&self) -> IpcResult<()> {
        let open = {
            let mut vault = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            self.previews().clear();
            vault.take()
        };
        let wiped = if let Some(v) = open {
            v.wipe_and_close()
        } else {
            let path = self.settings().last_vault_path.map_or_else(|| self.default_vault.clone(), PathBuf::from);
            match Vault::wipe(&path) {
                // Nothing there (wiped before, never made): nothing left to wipe.
                Err(Error::VaultNotFound(_)) => Ok(()),
                other => other,
            }
        };
        let settings = match std::fs::remove_file(&self.settings_file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(IpcError::from(Error::Io { action: "remove", path: self.settings_file.clone(), source: e }))
            }
            _ => Ok(()),
        };
        self.auto_lock_minutes.store(Settings::default().auto_lock_minutes, Ordering::Relaxed);
        wiped?;
        settings
    }

    pub fn lock(&self) {
        let mut vault = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.previews().clear();
        if let Some(v) = vault.take() {
            v.lock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_mins(1);

    #[test]
    fn idle_expires_after_the_set_minutes_and_not_before() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
        assert!(!idle_expired(t, t + 5 * MINUTE - Duration::from_secs(1), 5));
        assert!(idle_expired(t, t + 5 * MINUTE, 5));
        assert!(idle_expired(t, t + 3 * 60 * MINUTE, 5), "a laptop asleep for hours comes back locked");
    }

    #[test]
    fn idle_never_expires_when_off_or_when_the_clock_goes_back() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
        assert!(!idle_expired(t, t + 1000 * MINUTE, 0));
        assert!(!idle_expired(t, t - 60 * MINUTE, 5));
    }
}
