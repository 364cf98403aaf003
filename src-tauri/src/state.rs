//! The app's state: the unlocked vault (or none), the settings file and the idle time. The
//! commands (`commands.rs`) reach the core through [`AppState::with_vault`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use gawahi_core::Vault;
use gawahi_core::error::Error;
use gawahi_core::files::NameSet;

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
    /// The vault this run offers and last opened, kept in memory only: the settings file never
    /// names the vault's folder (anyone who opens the file would learn where the vault is, on a
    /// stick or in a folder chosen to be inconspicuous). At start it is the one an old settings
    /// file named, which is then removed from the file; after a restart the app offers the
    /// default location, and a vault elsewhere is chosen on the unlock screen.
    vault_path: Mutex<Option<PathBuf>>,
    /// Shows the settings' camouflage (or its absence) in the window: title and icon. Set once
    /// the window exists (`window.rs`).
    on_camouflage: OnceLock<CamouflageHook>,
    /// Puts a value in the clipboard for a while (`clipboard.rs`, on the GTK main thread). Set
    /// once the app runs (`main.rs`).
    on_copy: OnceLock<CopyHook>,
}

/// What the app does with a value the window copies.
pub struct CopyHook(pub Box<dyn Fn(zeroize::Zeroizing<String>) + Send + Sync>);

impl std::fmt::Debug for CopyHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CopyHook")
    }
}

/// What the window does when the camouflage setting or the language changes.
pub struct CamouflageHook(pub Box<dyn Fn(&Settings) + Send + Sync>);

impl std::fmt::Debug for CamouflageHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CamouflageHook")
    }
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
            vault_path: Mutex::new(None),
            on_camouflage: OnceLock::new(),
            on_copy: OnceLock::new(),
        };
        let settings = state.settings();
        state.auto_lock_minutes.store(settings.auto_lock_minutes, Ordering::Relaxed);
        if let Some(old) = settings.last_vault_path.clone() {
            *state.vault_path() = Some(PathBuf::from(old));
            // Written back without the path (it is never serialised). If that fails the file
            // keeps it until the next start tries again; nothing else depends on it.
            let _ = state.write_settings(&Settings { last_vault_path: None, ..settings });
        }
        state
    }

    fn vault_path(&self) -> std::sync::MutexGuard<'_, Option<PathBuf>> {
        self.vault_path.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The vault to offer: the one opened last in this run, or the default location.
    fn offered_vault(&self) -> PathBuf {
        self.vault_path().clone().unwrap_or_else(|| self.default_vault.clone())
    }

    /// Sets what copying to the clipboard does (the first call wins).
    pub fn on_copy(&self, hook: CopyHook) {
        let _ = self.on_copy.set(hook);
    }

    /// Copies `text` to the clipboard for a while (nothing without a window, as in tests).
    pub fn copy_to_clipboard(&self, text: zeroize::Zeroizing<String>) {
        if let Some(hook) = self.on_copy.get() {
            (hook.0)(text);
        }
    }

    /// Sets what the window does when the camouflage setting changes (the first call wins).
    pub fn on_camouflage(&self, hook: CamouflageHook) {
        let _ = self.on_camouflage.set(hook);
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
        let path = self.offered_vault();
        let unlocked = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner).is_some();
        // A panic wipe cut off half-way (the app killed, the power cut) is finished at the next
        // start, before anything is shown; its settings file goes with it.
        // Under either set of names: a camouflaged vault's files have neutral ones.
        if !unlocked && Vault::has_unfinished_wipe(&path) {
            let _ = Vault::finish_interrupted_wipe(&path);
            let _ = std::fs::remove_file(&self.settings_file);
            settings = Settings::default();
        }
        let vault_exists = path.join(gawahi_core::files::names(&path).header).is_file();
        AppStatus { unlocked, vault_exists, vault_path: path.display().to_string(), settings }
    }

    /// Saves the language (`en` or `ur`, checked by the command), the auto-lock minutes and,
    /// when given, the camouflage; the window shows the camouflage (or drops it) at once. A
    /// change of camouflage renames the vault's files first (neutral names, or their own), and
    /// is not saved if they cannot be renamed (the vault open in another program, a full disk,
    /// read-only media): the error says why.
    pub fn save_settings(
        &self,
        language: String,
        auto_lock_minutes: u32,
        camouflage: Option<bool>,
    ) -> IpcResult<Settings> {
        let before = self.settings();
        let camouflage = camouflage.unwrap_or(before.camouflage);
        if camouflage != before.camouflage {
            self.rename_vault_files(camouflage)?;
        }
        let settings = Settings { language, auto_lock_minutes, camouflage, ..before.clone() };
        self.write_settings(&settings)?;
        self.auto_lock_minutes.store(settings.auto_lock_minutes, Ordering::Relaxed);
        self.note_activity();
        if (settings.camouflage != before.camouflage || settings.language != before.language)
            && let Some(hook) = self.on_camouflage.get()
        {
            (hook.0)(&settings);
        }
        Ok(settings)
    }

    /// Puts an unlocked vault in place and remembers where it is, for this run only.
    #[allow(
        clippy::unnecessary_wraps,
        reason = "it wrote the settings file until that stopped naming the vault; the callers keep the Result"
    )]
    pub fn opened(&self, mut vault: Vault) -> IpcResult<VaultInfo> {
        let path = vault.dir().to_path_buf();
        // With camouflage on, a vault opened (or made) with its own names gets neutral ones.
        // Best effort: a vault on read-only media, or open in another program, keeps its names
        // until a later unlock. Never the other way: a vault someone camouflaged stays so.
        if self.settings().camouflage && Vault::file_names(&path) == NameSet::Own {
            let _ = vault.change_file_names(NameSet::Neutral);
        }
        self.note_activity();
        *self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(vault);
        *self.vault_path() = Some(path.clone());
        Ok(VaultInfo { path: path.display().to_string() })
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
            let path = self.offered_vault();
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
        *self.vault_path() = None;
        wiped?;
        settings
    }

    /// Gives the vault's files neutral names (`camouflage`) or their own: the open vault's, or
    /// if none is open the offered one's, if there is a vault there.
    fn rename_vault_files(&self, camouflage: bool) -> IpcResult<()> {
        let to = if camouflage { NameSet::Neutral } else { NameSet::Own };
        let mut guard = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(vault) = guard.as_mut() {
            return Ok(vault.change_file_names(to)?);
        }
        match Vault::set_file_names(&self.offered_vault(), to) {
            // No vault there yet: the one made later gets the names at its first opening.
            Err(Error::VaultNotFound(_)) => Ok(()),
            other => Ok(other?),
        }
    }

    /// Locks the vault (if open): the previews are emptied and the vault's keys zeroized.
    /// Says whether a vault was open.
    pub fn lock(&self) -> bool {
        let mut vault = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.previews().clear();
        vault.take().map(Vault::lock).is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    const PASSPHRASE: &str = "correct horse battery staple";

    /// An app state in `tmp` (settings in `config`, default vault in `data/vault`) with a vault
    /// made at `vault` and open.
    fn open_at(tmp: &Path, vault: &Path) -> AppState {
        let state = AppState::new(&tmp.join("config"), &tmp.join("data"));
        let made = Vault::create(vault, &secrecy::SecretString::from(PASSPHRASE), Duration::ZERO).expect("vault");
        state.opened(made).expect("opened");
        state
    }

    fn settings_bytes(tmp: &Path) -> Vec<u8> {
        std::fs::read(tmp.join("config/settings.json")).unwrap_or_default()
    }

    fn is_locked(state: &AppState) -> bool {
        matches!(state.with_vault(|_| Ok(())), Err(e) if e.code == gawahi_core::ErrorCode::Locked)
    }

    #[test]
    fn fail_the_settings_file_never_names_the_vaults_folder() {
        let tmp = tempfile::tempdir().expect("tmp");
        let vault = tmp.path().join("hidden-place-7f3a");
        let state = open_at(tmp.path(), &vault);
        state.save_settings("ur".into(), 7, Some(true)).expect("save");
        state.remember_window_size(WindowSize { width: 900, height: 600 });
        let bytes = settings_bytes(tmp.path());
        assert!(!bytes.is_empty(), "settings were written");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("hidden-place-7f3a"), "{text}");
        assert!(!text.contains(&*tmp.path().to_string_lossy()), "{text}");
        assert!(!text.contains("astVaultPath"), "{text}");
        // This run still offers the vault it opened.
        state.lock();
        assert_eq!(state.status().vault_path, vault.display().to_string());
        assert!(state.status().vault_exists);
    }

    #[test]
    fn after_a_restart_the_default_vault_is_found_and_another_is_asked_for() {
        let tmp = tempfile::tempdir().expect("tmp");
        let default = tmp.path().join("data/vault");
        drop(open_at(tmp.path(), &default));
        let again = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let status = again.status();
        assert_eq!((status.vault_path, status.vault_exists), (default.display().to_string(), true));

        let elsewhere = tempfile::tempdir().expect("elsewhere");
        let tmp = tempfile::tempdir().expect("tmp");
        let default = tmp.path().join("data/vault");
        drop(open_at(tmp.path(), &elsewhere.path().join("v")));
        let again = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let status = again.status();
        // Nothing remembered it: the default location is offered, where there is no vault, and
        // the unlock screen asks for the folder.
        assert_eq!((status.vault_path, status.vault_exists), (default.display().to_string(), false));
    }

    #[test]
    fn an_old_settings_file_naming_the_vault_is_used_once_and_rewritten_without_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let vault = tmp.path().join("old-place-91c2");
        drop(open_at(tmp.path(), &vault));
        let old =
            serde_json::json!({"language": "ur", "autoLockMinutes": 9, "lastVaultPath": vault.display().to_string()});
        std::fs::create_dir_all(tmp.path().join("config")).expect("config");
        std::fs::write(tmp.path().join("config/settings.json"), old.to_string()).expect("old settings");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let status = state.status();
        assert_eq!((status.vault_path.as_str(), status.vault_exists), (vault.to_str().expect("utf-8"), true));
        assert_eq!((status.settings.language.as_str(), status.settings.auto_lock_minutes), ("ur", 9), "kept");
        let text = String::from_utf8_lossy(&settings_bytes(tmp.path())).into_owned();
        assert!(!text.contains("old-place-91c2") && text.contains("\"autoLockMinutes\": 9"), "{text}");
        assert!(!status.start_script().contains("lastVaultPath"), "nor sent to the window with the settings");
    }

    #[test]
    fn fail_a_damaged_or_hostile_settings_file_gives_the_defaults() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(tmp.path().join("config")).expect("config");
        for bad in [
            &b"{\"language\": 5}"[..],
            b"{\"language\": \"en\", \"autoLockMinutes\": 5, \"camouflage\": \"yes\"}",
            b"{\"language\": \"en\", \"autoLockMinutes\": 99999999999, \"lastVaultPath\": null}",
            b"\x00\xff\xfe",
            b"[]",
        ] {
            std::fs::write(tmp.path().join("config/settings.json"), bad).expect("write");
            let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
            assert_eq!(state.settings(), Settings::default(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn camouflage_is_saved_shown_at_once_and_kept_when_not_given() {
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let shown = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&shown);
        state.on_camouflage(CamouflageHook(Box::new(move |s: &Settings| {
            seen.lock().expect("seen").push((s.camouflage, s.language.clone()));
        })));
        assert!(state.save_settings("en".into(), 5, Some(true)).expect("on").camouflage);
        assert!(state.save_settings("ur".into(), 5, None).expect("language").camouflage, "kept");
        assert!(state.save_settings("ur".into(), 6, None).expect("minutes").camouflage);
        assert!(!state.save_settings("ur".into(), 6, Some(false)).expect("off").camouflage);
        let shown = shown.lock().expect("shown").clone();
        assert_eq!(shown, [(true, "en".to_owned()), (true, "ur".to_owned()), (false, "ur".to_owned())]);
        assert!(!AppState::new(&tmp.path().join("config"), &tmp.path().join("data")).settings().camouflage);
    }

    #[test]
    fn camouflage_renames_the_vaults_files_open_or_locked_and_is_not_saved_when_it_cannot() {
        let tmp = tempfile::tempdir().expect("tmp");
        let vault = tmp.path().join("v");
        let state = open_at(tmp.path(), &vault);
        assert!(state.save_settings("en".into(), 5, Some(true)).expect("on").camouflage);
        assert_eq!(Vault::file_names(&vault), NameSet::Neutral);
        assert!(vault.join("notes.db").is_file() && !vault.join("vault.db").exists());
        // The open vault keeps working under its new names.
        state
            .with_vault(|v| {
                v.add(gawahi_core::Kind::Incident, serde_json::from_str(r#"{"title": "t"}"#).expect("json"))
            })
            .expect("add");
        state.lock();
        let status = state.status();
        assert!(status.vault_exists, "found under its neutral names");
        // Locked: the offered vault is renamed back.
        assert!(!state.save_settings("en".into(), 5, Some(false)).expect("off").camouflage);
        assert_eq!(Vault::file_names(&vault), NameSet::Own);
        // Open in another program: refused, and the setting stays as it was.
        let other = Vault::unlock(&vault, &secrecy::SecretString::from(PASSPHRASE)).expect("another program");
        let err = state.save_settings("en".into(), 5, Some(true)).expect_err("busy");
        assert_eq!(err.code, gawahi_core::ErrorCode::Busy);
        assert!(!state.settings().camouflage);
        assert_eq!(Vault::file_names(&vault), NameSet::Own);
        drop(other);
        // With the setting on, a vault opened with its own names gets neutral ones.
        std::fs::write(
            tmp.path().join("config/settings.json"),
            br#"{"language": "en", "autoLockMinutes": 5, "camouflage": true}"#,
        )
        .expect("settings");
        let again = Vault::unlock(&vault, &secrecy::SecretString::from(PASSPHRASE)).expect("unlock");
        state.opened(again).expect("opened");
        assert_eq!(Vault::file_names(&vault), NameSet::Neutral);
    }

    #[test]
    fn closing_the_window_locks_the_vault() {
        let tmp = tempfile::tempdir().expect("tmp");
        let state = open_at(tmp.path(), &tmp.path().join("v"));
        assert!(!is_locked(&state));
        crate::window::closing(&state);
        assert!(is_locked(&state), "the next command is told: locked");
        assert!(!state.lock(), "nothing left to lock");
    }

    /// The whole way, on a private bus: a `PrepareForSleep` signal from any program reaches the
    /// watch, which locks the app's vault.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_suspend_signal_on_the_bus_locks_the_open_vault() {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let tmp = tempfile::tempdir().expect("tmp");
        let state = Arc::new(open_at(tmp.path(), &tmp.path().join("v")));
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut address).expect("address");
        let address = address.trim().to_owned();
        let locker = Arc::clone(&state);
        let on_lock: crate::desktop_lock::OnLock = Arc::new(move |_| {
            locker.lock();
        });
        let bus = crate::desktop_lock::connect(&address, crate::desktop_lock::Bus::System, &on_lock).expect("connect");
        let sent = Command::new("dbus-send")
            .args([&format!("--bus={address}"), "--type=signal", "/org/freedesktop/login1"])
            .args(["org.freedesktop.login1.Manager.PrepareForSleep", "boolean:true"])
            .status()
            .expect("dbus-send");
        assert!(sent.success());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !is_locked(&state) && std::time::Instant::now() < deadline {
            bus.process(Duration::from_millis(100)).expect("process");
        }
        let _ = daemon.kill();
        let _ = daemon.wait();
        assert!(is_locked(&state), "the vault locked on the signal");
    }

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
