//! The app's state: the unlocked vault (or none) and the settings file. Each method here is the
//! body of one command: it turns a request into calls on `gawahi-core` and the result into views.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use gawahi_core::Vault;
use gawahi_core::error::Error;

use crate::ipc::{
    AddRecordRequest, AppStatus, CaseTimelineRequest, ChangePassphraseRequest, DashboardRequest, DashboardView,
    DeleteRecordRequest, DetailView, GetRecordRequest, HearingView, HearingsCalendarRequest, IpcError, IpcResult,
    KindCount, LinkRecordsRequest, ListRecordsRequest, PassphraseChangeView, RecordPage, RecordView,
    SaveSettingsRequest, Settings, TimelineView, UnlinkRecordsRequest, UpdateRecordRequest, VaultInfo, VocabularyView,
};

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
        match vault.take() {
            Some(v) => {
                v.lock();
                true
            }
            None => false,
        }
    }

    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> gawahi_core::Result<T>) -> IpcResult<T> {
        let mut guard = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let vault = guard.as_mut().ok_or(Error::Locked)?;
        Ok(f(vault)?)
    }

    /// The settings, or the defaults if there are none (or they cannot be read).
    pub fn settings(&self) -> Settings {
        std::fs::read(&self.settings_file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
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
        let settings = self.settings();
        let path = settings.last_vault_path.clone().map_or_else(|| self.default_vault.clone(), PathBuf::from);
        let unlocked = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner).is_some();
        AppStatus {
            unlocked,
            vault_exists: path.join(gawahi_core::header::FILE_NAME).is_file(),
            vault_path: path.display().to_string(),
            settings,
        }
    }

    pub fn save_settings(&self, r: SaveSettingsRequest) -> IpcResult<Settings> {
        if r.language != "en" && r.language != "ur" {
            return Err(Error::from(gawahi_core::error::Invalid::field(
                "language",
                gawahi_core::error::Reason::NotInVocabulary,
                "expected en or ur",
            ))
            .into());
        }
        let settings = Settings { language: r.language, auto_lock_minutes: r.auto_lock_minutes, ..self.settings() };
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

    pub fn lock(&self) {
        if let Some(v) = self.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            v.lock();
        }
    }

    pub fn change_passphrase(
        &self,
        r: &ChangePassphraseRequest,
        progress: impl FnMut(f64) + Send + 'static,
    ) -> IpcResult<PassphraseChangeView> {
        self.with_vault(|v| {
            let done = if r.rotate {
                v.rotate_key(&r.current, &r.new, progress)
            } else {
                v.change_passphrase(&r.current, &r.new)
            }?;
            Ok(PassphraseChangeView { rotated: done.rotated })
        })
        // Watching a long rotation is using the app: the idle time starts again when it ends.
        .inspect(|_| self.note_activity())
    }

    pub fn dashboard(&self, r: &DashboardRequest) -> IpcResult<DashboardView> {
        self.with_vault(|v| {
            let d = v.dashboard(&r.today)?;
            Ok(DashboardView {
                counts: d.counts.into_iter().map(|(kind, count)| KindCount { kind, count }).collect(),
                active_threats: d.active_threats.into_iter().map(Into::into).collect(),
                upcoming_hearings: d.upcoming_hearings.into_iter().map(Into::into).collect(),
                open_tasks: d.open_tasks.into_iter().map(Into::into).collect(),
                recent_incidents: d.recent_incidents.into_iter().map(Into::into).collect(),
            })
        })
    }

    pub fn list_records(&self, r: &ListRecordsRequest) -> IpcResult<RecordPage> {
        let limit = r.limit.clamp(1, 1000) as usize;
        self.with_vault(|v| {
            let items = match r.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                Some(q) => v.search(r.kind, q, r.after.as_deref(), limit)?,
                None => v.list(r.kind, r.after.as_deref(), limit)?,
            };
            let next_after = (items.len() == limit).then(|| items.last().map(|i| i.id.clone())).flatten();
            Ok(RecordPage { total: v.count(r.kind)?, next_after, items: items.into_iter().map(Into::into).collect() })
        })
    }

    pub fn get_record(&self, r: &GetRecordRequest) -> IpcResult<DetailView> {
        self.with_vault(|v| Ok(v.detail(&r.id)?.into()))
    }

    pub fn add_record(&self, r: AddRecordRequest) -> IpcResult<RecordView> {
        self.with_vault(|v| Ok(v.add(r.kind, r.fields)?.into()))
    }

    pub fn update_record(&self, r: UpdateRecordRequest) -> IpcResult<RecordView> {
        self.with_vault(|v| Ok(v.update(&r.id, r.fields)?.into()))
    }

    pub fn delete_record(&self, r: &DeleteRecordRequest) -> IpcResult<()> {
        self.with_vault(|v| v.delete(&r.id))
    }

    pub fn link_records(&self, r: &LinkRecordsRequest) -> IpcResult<gawahi_core::links::Link> {
        self.with_vault(|v| v.link(&r.from_id, &r.to_id, &r.role))
    }

    pub fn unlink_records(&self, r: &UnlinkRecordsRequest) -> IpcResult<()> {
        self.with_vault(|v| v.unlink(&r.link_id))
    }

    pub fn vocabularies(&self) -> IpcResult<Vec<VocabularyView>> {
        self.with_vault(|v| {
            v.vocab_names()?.into_iter().map(|name| Ok(VocabularyView { entries: v.vocab(&name)?, name })).collect()
        })
    }

    pub fn hearings_calendar(&self, r: &HearingsCalendarRequest) -> IpcResult<Vec<HearingView>> {
        self.with_vault(|v| Ok(v.hearings_between(&r.from, &r.to)?.into_iter().map(Into::into).collect()))
    }

    pub fn case_timeline(&self, r: &CaseTimelineRequest) -> IpcResult<TimelineView> {
        self.with_vault(|v| Ok(TimelineView { events: v.case_timeline(&r.case_id)? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn idle_expires_after_the_set_minutes_and_not_before() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(!idle_expired(t, t + 5 * MINUTE - Duration::from_secs(1), 5));
        assert!(idle_expired(t, t + 5 * MINUTE, 5));
        assert!(idle_expired(t, t + 3 * 60 * MINUTE, 5), "a laptop asleep for hours comes back locked");
    }

    #[test]
    fn idle_never_expires_when_off_or_when_the_clock_goes_back() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(!idle_expired(t, t + 1000 * MINUTE, 0));
        assert!(!idle_expired(t, t - 60 * MINUTE, 5));
    }

    /// The canary sweep over IPC: a value the person typed, in every field of every kind, as the
    /// wrong type, an unknown code, an unknown field name, a huge or multi-line text, through
    /// `add_record`, `update_record`, `get_record`, `delete_record` and `link_records`: no error
    /// the window receives (code, message, field, reason, as serialised) repeats it.
    #[test]
    fn fail_no_error_sent_to_the_window_repeats_what_was_typed() {
        use serde_json::{Map, Value, json};

        use crate::ipc::{
            AddRecordRequest, DeleteRecordRequest, GetRecordRequest, LinkRecordsRequest, UpdateRecordRequest,
        };

        const CANARY: &str = "zqxcanary4417";
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let vault = Vault::create(
            &tmp.path().join("vault"),
            &secrecy::SecretString::from("correct horse battery staple"),
            Duration::ZERO,
        )
        .expect("vault");
        state.opened(vault).expect("open");
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/gawahi-core/tests/data/records");
        let body = |kind: gawahi_core::Kind, case: &str, person: &str| -> Map<String, Value> {
            let text = std::fs::read_to_string(fixtures.join(format!("{kind}.json"))).expect("fixture");
            serde_json::from_str(&text.replace("{case_id}", case).replace("{person_id}", person)).expect("json")
        };
        let add = |kind, fields| state.add_record(AddRecordRequest { kind, fields });
        let person = add(gawahi_core::Kind::Person, body(gawahi_core::Kind::Person, "", "")).expect("person").id;
        let case = add(gawahi_core::Kind::Case, body(gawahi_core::Kind::Case, "", "")).expect("case").id;
        let mut checked = 0;
        let mut assert_clean = |e: &IpcError, what: &str| {
            let sent = serde_json::to_string(e).expect("serialise");
            assert!(!sent.contains(CANARY), "{what}: {sent}");
            checked += 1;
        };
        let bad = [
            json!(CANARY),
            json!([CANARY]),
            json!({ CANARY: CANARY }),
            json!(format!("{CANARY}\n\u{1b}[2J")),
            json!(CANARY.repeat(30_000)),
        ];
        for kind in gawahi_core::Kind::ALL {
            let good = body(kind, &case, &person);
            let target = add(kind, good.clone()).unwrap_or_else(|e| panic!("{kind}: {e:?}")).id;
            let mut variants: Vec<Map<String, Value>> = Vec::new();
            for key in good.keys() {
                for value in &bad {
                    let mut b = good.clone();
                    b.insert(key.clone(), value.clone());
                    variants.push(b);
                }
            }
            let mut unknown = good.clone();
            unknown.insert(CANARY.to_owned(), json!(CANARY));
            variants.push(unknown);
            for fields in variants {
                if let Err(e) = add(kind, fields.clone()) {
                    assert_clean(&e, &format!("add {kind}"));
                }
                if let Err(e) = state.update_record(UpdateRecordRequest { id: target.clone(), fields }) {
                    assert_clean(&e, &format!("update {kind}"));
                }
            }
        }
        let id = format!("{CANARY}-id");
        assert_clean(&state.get_record(&GetRecordRequest { id: id.clone() }).expect_err("get"), "get");
        assert_clean(&state.delete_record(&DeleteRecordRequest { id: id.clone() }).expect_err("delete"), "delete");
        let link = |from: &str, to: &str, role: &str| {
            state.link_records(&LinkRecordsRequest { from_id: from.into(), to_id: to.into(), role: role.into() })
        };
        assert_clean(&link(&person, &id, "victim").expect_err("link"), "link to nothing");
        assert_clean(&link(&person, &case, CANARY).expect_err("role"), "unknown role");
        assert!(checked > 200, "the sweep must reach the errors: {checked}");
    }
}
