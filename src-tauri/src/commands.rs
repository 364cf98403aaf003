//! The commands the webview may call. `command_list.rs` names each with its request and its
//! response; the function of the same name here is its body: a few lines that call the core
//! through the app's state and turn the result into a view. The `commands!` macro below makes
//! from the list the Tauri handler (`handler`) and the TypeScript command map (`Commands`).
//!
//! Every command runs on a blocking thread: not on the GTK main thread, so a slow query (a filter
//! over a large vault) never freezes the window and the window can draw while one runs, and not
//! on the async runtime's workers, which a few slow queries would otherwise all hold. Slow work
//! (the KDF, a key rotation) reports progress through the `vault-progress` event.

#![allow(clippy::needless_pass_by_value, reason = "every body takes its request by value, as the macro hands it over")]
#![allow(clippy::unnecessary_wraps, reason = "every body returns an IpcResult, as the macro expects")]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use gawahi_core::Vault;
use gawahi_core::error::{Error, Invalid, Reason};
use gawahi_core::links::Link;
use gawahi_core::vault::Draft;
use gawahi_core::views::{CauseListCourt, HearingRow};
use gawahi_core::vocab::{Entry, SectionMatch};

use crate::ipc::{
    AddDeadlineFromEventRequest, AddOwnSectionRequest, AddRecordRequest, AppStatus, AppStatusRequest,
    CaseTimelineRequest, CauseListRequest, ChangePassphraseRequest, CreateVaultRequest, DashboardRequest,
    DashboardView, DeadlineView, DeadlinesRequest, DeleteRecordRequest, DetailView, DraftKeyRequest,
    FindSectionsRequest, GetRecordRequest, HearingOutcomeView, HearingView, HearingsCalendarRequest,
    HearingsListRequest, IpcError, IpcResult, KindCount, LinkRecordsRequest, ListRecordsRequest, LockVaultRequest,
    NoteActivityRequest, PassphraseChangeView, RecordHearingOutcomeRequest, RecordPage, RecordView, SaveDraftRequest,
    SaveSettingsRequest, Settings, TimelineView, UnlinkRecordsRequest, UnlockVaultRequest, UpcomingHearingsRequest,
    UpdateRecordRequest, VaultInfo, VaultProgress, VocabulariesRequest, VocabularyView,
};
use crate::state::AppState;

/// What a command's body gets: the app's state, and a way to report progress.
pub struct Cx<'a> {
    /// The vault (or none) and the settings.
    pub state: &'a AppState,
    progress: Progress,
}

/// Reports progress of a stage (`calibrating`, `deriving`, `rotating`, `done`), with how far it
/// has got when that is known.
type Progress = Arc<dyn Fn(&str, Option<f64>) + Send + Sync>;

impl std::fmt::Debug for Cx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cx").field("state", &self.state).finish_non_exhaustive()
    }
}

#[cfg(test)]
impl<'a> Cx<'a> {
    /// A context that reports progress nowhere.
    pub fn quiet(state: &'a AppState) -> Self {
        Self { state, progress: Arc::new(|_, _| {}) }
    }
}

impl Cx<'_> {
    fn progress(&self, stage: &str) {
        (self.progress)(stage, None);
    }

    /// Runs `f` on the unlocked vault (`locked` if there is none).
    fn vault<T>(&self, f: impl FnOnce(&mut Vault) -> gawahi_core::Result<T>) -> IpcResult<T> {
        self.state.with_vault(f)
    }
}

/// Turns the command list into the Tauri handler and the TypeScript command map.
macro_rules! commands {
    ($($name:ident: $request:ty => $response:ty),* $(,)?) => {
        /// The Tauri commands: each runs its body (the function of the same name in `commands`)
        /// on a blocking thread.
        mod tauri_commands {
            use super::*;

            $(
                #[tauri::command]
                async fn $name(app: tauri::AppHandle, request: $request) -> IpcResult<$response> {
                    run(app, move |cx| super::$name(cx, request)).await
                }
            )*

            /// The handler for `tauri::Builder::invoke_handler`: every command of the list.
            pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
                tauri::generate_handler![$($name),*]
            }
        }

        pub use tauri_commands::handler;

        /// Every command's name, in the list's order.
        #[cfg(test)]
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The command map for TypeScript (`ui/src/bindings/Commands.ts`): each command's name
        /// with its request and response. `ui/src/lib/ipc.ts` types every call by it.
        #[cfg(test)]
        #[derive(ts_rs::TS)]
        #[allow(dead_code, reason = "only its TypeScript is used")]
        pub struct Commands {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                pub $name: Command<$request, $response>,
            )*
        }
    };
}

/// One command's request and response, for TypeScript.
#[cfg(test)]
#[derive(ts_rs::TS)]
#[allow(dead_code, reason = "only its TypeScript is used")]
pub struct Command<Request: ts_rs::TS, Response: ts_rs::TS> {
    /// What the window sends (as `{ request }`).
    pub request: Request,
    /// What the command resolves with; it rejects with an `IpcError`.
    pub response: Response,
}

include!("command_list.rs");

/// Runs a command's body on a blocking thread: neither the GTK main thread (the window keeps
/// drawing) nor one of the async runtime's few workers (a slow filter would stall every other
/// task).
async fn run<T: Send + 'static>(
    app: tauri::AppHandle,
    body: impl FnOnce(&Cx<'_>) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    use tauri::{Emitter, Manager};
    let task = tauri::async_runtime::spawn_blocking(move || {
        let reporter = app.clone();
        let progress: Progress = Arc::new(move |stage: &str, fraction: Option<f64>| {
            // A lost progress event only leaves a spinner without its caption; not an error.
            let _ = reporter.emit("vault-progress", VaultProgress { stage: stage.to_owned(), fraction });
        });
        body(&Cx { state: &app.state::<AppState>(), progress })
    });
    match task.await {
        Ok(result) => result,
        Err(_) => Err(stopped()),
    }
}

/// A blocking task that panicked or was cancelled.
fn stopped() -> IpcError {
    IpcError {
        code: gawahi_core::ErrorCode::Database,
        message: "the operation stopped unexpectedly; try again".into(),
        field: None,
        reason: None,
    }
}

fn app_status(cx: &Cx<'_>, AppStatusRequest {}: AppStatusRequest) -> IpcResult<AppStatus> {
    Ok(cx.state.status())
}

fn save_settings(cx: &Cx<'_>, r: SaveSettingsRequest) -> IpcResult<Settings> {
    if r.language != "en" && r.language != "ur" {
        return Err(Error::from(Invalid::field("language", Reason::NotInVocabulary, "expected en or ur")).into());
    }
    cx.state.save_settings(r.language, r.auto_lock_minutes)
}

fn create_vault(cx: &Cx<'_>, r: CreateVaultRequest) -> IpcResult<VaultInfo> {
    let target = Duration::from_millis(u64::from(r.kdf_target_ms.unwrap_or(1000)));
    cx.progress("calibrating");
    let vault = Vault::create(Path::new(&r.path), &r.passphrase, target)?;
    cx.progress("done");
    cx.state.opened(vault)
}

fn unlock_vault(cx: &Cx<'_>, r: UnlockVaultRequest) -> IpcResult<VaultInfo> {
    cx.progress("deriving");
    let vault = Vault::unlock(Path::new(&r.path), &r.passphrase)?;
    cx.progress("done");
    cx.state.opened(vault)
}

fn lock_vault(cx: &Cx<'_>, LockVaultRequest {}: LockVaultRequest) -> IpcResult<()> {
    cx.state.lock();
    Ok(())
}

fn note_activity(cx: &Cx<'_>, NoteActivityRequest {}: NoteActivityRequest) -> IpcResult<()> {
    cx.state.note_activity();
    Ok(())
}

fn change_passphrase(cx: &Cx<'_>, r: ChangePassphraseRequest) -> IpcResult<PassphraseChangeView> {
    let progress = Arc::clone(&cx.progress);
    let report = move |fraction: f64| progress("rotating", Some(fraction));
    let done = cx.vault(|v| {
        if r.rotate { v.rotate_key(&r.current, &r.new, report) } else { v.change_passphrase(&r.current, &r.new) }
    });
    // Watching a long rotation is using the app: the idle time starts again when it ends.
    cx.state.note_activity();
    Ok(PassphraseChangeView { rotated: done?.rotated })
}

fn dashboard(cx: &Cx<'_>, r: DashboardRequest) -> IpcResult<DashboardView> {
    let d = cx.vault(|v| v.dashboard(&r.today))?;
    Ok(DashboardView {
        counts: d.counts.into_iter().map(|(kind, count)| KindCount { kind, count }).collect(),
        active_threats: d.active_threats.into_iter().map(Into::into).collect(),
        upcoming_hearings: d.upcoming_hearings.into_iter().map(Into::into).collect(),
        open_tasks: d.open_tasks.into_iter().map(Into::into).collect(),
        recent_incidents: d.recent_incidents.into_iter().map(Into::into).collect(),
        deadlines: d.deadlines.into_iter().map(Into::into).collect(),
    })
}

fn list_records(cx: &Cx<'_>, r: ListRecordsRequest) -> IpcResult<RecordPage> {
    let limit = r.limit.clamp(1, 1000) as usize;
    let query = r.query.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let (items, total) = cx.vault(|v| {
        let items = match query {
            Some(q) => v.search(r.kind, q, r.after.as_deref(), limit)?,
            None => v.list(r.kind, r.after.as_deref(), limit)?,
        };
        Ok((items, v.count(r.kind)?))
    })?;
    let next_after = (items.len() == limit).then(|| items.last().map(|i| i.id.clone())).flatten();
    Ok(RecordPage { total, next_after, items: items.into_iter().map(Into::into).collect() })
}

fn get_record(cx: &Cx<'_>, r: GetRecordRequest) -> IpcResult<DetailView> {
    Ok(cx.vault(|v| v.detail(&r.id))?.into())
}

fn add_record(cx: &Cx<'_>, r: AddRecordRequest) -> IpcResult<RecordView> {
    Ok(cx.vault(|v| v.add(r.kind, r.fields))?.into())
}

fn update_record(cx: &Cx<'_>, r: UpdateRecordRequest) -> IpcResult<RecordView> {
    Ok(cx.vault(|v| v.update(&r.id, r.fields))?.into())
}

fn delete_record(cx: &Cx<'_>, r: DeleteRecordRequest) -> IpcResult<()> {
    cx.vault(|v| v.delete(&r.id))
}

fn link_records(cx: &Cx<'_>, r: LinkRecordsRequest) -> IpcResult<Link> {
    cx.vault(|v| v.link(&r.from_id, &r.to_id, &r.role))
}

fn unlink_records(cx: &Cx<'_>, r: UnlinkRecordsRequest) -> IpcResult<()> {
    cx.vault(|v| v.unlink(&r.link_id))
}

fn vocabularies(cx: &Cx<'_>, VocabulariesRequest {}: VocabulariesRequest) -> IpcResult<Vec<VocabularyView>> {
    cx.vault(|v| {
        v.vocab_names()?.into_iter().map(|name| Ok(VocabularyView { entries: v.vocab(&name)?, name })).collect()
    })
}

fn hearings_calendar(cx: &Cx<'_>, r: HearingsCalendarRequest) -> IpcResult<Vec<HearingView>> {
    Ok(cx.vault(|v| v.hearings_between(&r.from, &r.to))?.into_iter().map(Into::into).collect())
}

fn case_timeline(cx: &Cx<'_>, r: CaseTimelineRequest) -> IpcResult<TimelineView> {
    Ok(TimelineView { events: cx.vault(|v| v.case_timeline(&r.case_id))? })
}

fn record_hearing_outcome(cx: &Cx<'_>, r: RecordHearingOutcomeRequest) -> IpcResult<HearingOutcomeView> {
    let done =
        cx.vault(|v| v.record_hearing_outcome(&r.hearing_id, r.status, r.outcome.as_deref(), r.next_date.as_deref()))?;
    Ok(HearingOutcomeView { hearing: done.hearing.into(), next: done.next.map(Into::into) })
}

fn hearings_list(cx: &Cx<'_>, r: HearingsListRequest) -> IpcResult<Vec<HearingRow>> {
    cx.vault(|v| v.hearings_list(r.from.as_deref(), r.to.as_deref(), &r.today))
}

fn cause_list(cx: &Cx<'_>, r: CauseListRequest) -> IpcResult<Vec<CauseListCourt>> {
    cx.vault(|v| v.cause_list(&r.from, &r.to, &r.today))
}

fn upcoming_hearings(cx: &Cx<'_>, r: UpcomingHearingsRequest) -> IpcResult<Vec<HearingView>> {
    Ok(cx.vault(|v| v.upcoming_hearings(&r.today, r.days))?.into_iter().map(Into::into).collect())
}

fn deadlines(cx: &Cx<'_>, r: DeadlinesRequest) -> IpcResult<Vec<DeadlineView>> {
    Ok(cx.vault(|v| v.deadlines(&r.today, r.within_days))?.into_iter().map(Into::into).collect())
}

fn add_deadline_from_event(cx: &Cx<'_>, r: AddDeadlineFromEventRequest) -> IpcResult<RecordView> {
    Ok(cx.vault(|v| v.add_deadline_from_event(&r.rule, &r.record_id, r.days, r.title.as_deref()))?.into())
}

fn find_sections(cx: &Cx<'_>, r: FindSectionsRequest) -> IpcResult<Vec<SectionMatch>> {
    cx.vault(|v| v.find_sections(&r.query))
}

fn add_own_section(cx: &Cx<'_>, r: AddOwnSectionRequest) -> IpcResult<Entry> {
    cx.vault(|v| v.add_own_section(&r.statute, &r.section, r.en.as_deref(), r.ur.as_deref()))
}

fn save_draft(cx: &Cx<'_>, r: SaveDraftRequest) -> IpcResult<()> {
    cx.vault(|v| v.save_draft(&r.key, &r.body))
}

fn load_draft(cx: &Cx<'_>, r: DraftKeyRequest) -> IpcResult<Option<Draft>> {
    cx.vault(|v| v.load_draft(&r.key))
}

fn discard_draft(cx: &Cx<'_>, r: DraftKeyRequest) -> IpcResult<bool> {
    cx.vault(|v| v.discard_draft(&r.key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The status handed to the page before its scripts run carries a vault path the user chose;
    /// whatever it holds (quotes, a line break, `</script>`, U+2028) must come back as the same
    /// string and never end the statement early.
    #[test]
    fn the_start_script_carries_any_vault_path_intact() {
        let path = "/home/a'b\"c\\d\n</script>\u{2028}e`${x}";
        let status = AppStatus {
            unlocked: false,
            vault_path: path.to_owned(),
            vault_exists: true,
            settings: Settings::default(),
        };
        let script = status.start_script();
        assert!(!script.contains('\n') && !script.contains('\u{2028}'), "{script}");
        let json = script
            .strip_prefix("Object.defineProperty(window, '__GAWAHI_START__', { value: ")
            .and_then(|s| s.strip_suffix(", configurable: true });"))
            .expect("the script's shape");
        let back: serde_json::Value = serde_json::from_str(json).expect("json");
        assert_eq!(back["vaultPath"], path);
        assert_eq!(back["vaultExists"], true);
    }

    /// The window's capability grants the set of every command (generated by build.rs from the
    /// list), the folder picker, events and the app's version; nothing else.
    #[test]
    fn the_window_may_call_exactly_the_listed_commands() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        let capability: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).expect("json");
        let mut granted: Vec<&str> =
            capability["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str()).collect();
        granted.sort_unstable();
        // The app's own commands (the set), events (progress, auto-lock) and the folder picker;
        // and the app's version, for the About section.
        let needed = ["allow-commands", "core:event:allow-listen", "core:event:allow-unlisten", "dialog:allow-open"];
        let about = "core:app:allow-version";
        assert!(needed.iter().all(|p| granted.contains(p)), "{granted:?}");
        assert!(granted.iter().all(|p| needed.contains(p) || *p == about), "nothing else: {granted:?}");
        let set = read("permissions/commands.toml");
        let listed: Vec<String> = set
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"allow-"))
            .map(|l| l.trim_end_matches("\",").replace('-', "_"))
            .collect();
        assert_eq!(listed, NAMES, "permissions/commands.toml is written by build.rs from command_list.rs");
        let dirs = std::fs::read_dir(dir.join("capabilities")).expect("capabilities").count();
        assert_eq!(dirs, 1, "one capability, main.json");
    }

    /// The canary sweep over IPC: a value the person typed, in every field of every kind, as the
    /// wrong type, an unknown code, an unknown field name, a huge or multi-line text, through
    /// `add_record`, `update_record`, `get_record`, `delete_record` and `link_records`: no error
    /// the window receives (code, message, field, reason, as serialised) repeats it.
    #[test]
    fn fail_no_error_sent_to_the_window_repeats_what_was_typed() {
        use serde_json::{Map, Value, json};

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
        let cx = Cx::quiet(&state);
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/gawahi-core/tests/data/records");
        let body = |kind: gawahi_core::Kind, case: &str, person: &str| -> Map<String, Value> {
            let text = std::fs::read_to_string(fixtures.join(format!("{kind}.json"))).expect("fixture");
            serde_json::from_str(&text.replace("{case_id}", case).replace("{person_id}", person)).expect("json")
        };
        let add = |kind, fields| add_record(&cx, AddRecordRequest { kind, fields });
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
                if let Err(e) = update_record(&cx, UpdateRecordRequest { id: target.clone(), fields }) {
                    assert_clean(&e, &format!("update {kind}"));
                }
            }
        }
        let id = format!("{CANARY}-id");
        assert_clean(&get_record(&cx, GetRecordRequest { id: id.clone() }).expect_err("get"), "get");
        assert_clean(&delete_record(&cx, DeleteRecordRequest { id: id.clone() }).expect_err("delete"), "delete");
        let link = |from: &str, to: &str, role: &str| {
            link_records(&cx, LinkRecordsRequest { from_id: from.into(), to_id: to.into(), role: role.into() })
        };
        assert_clean(&link(&person, &id, "victim").expect_err("link"), "link to nothing");
        assert_clean(&link(&person, &case, CANARY).expect_err("role"), "unknown role");
        assert!(checked > 200, "the sweep must reach the errors: {checked}");
    }

    /// The court commands take ids, dates, section numbers and draft keys the window sends: a
    /// value the person typed, in any of them, as an unknown id, a bad date, a hostile section
    /// or a key too long, is refused with an error that does not repeat it, and a draft saved
    /// under a key comes back whole and is gone once discarded.
    #[test]
    fn fail_court_commands_refuse_bad_input_without_repeating_it() {
        use gawahi_core::model::HearingStatus;
        use serde_json::json;

        const CANARY: &str = "zqxcanary5521";
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let vault = Vault::create(
            &tmp.path().join("vault"),
            &secrecy::SecretString::from("correct horse battery staple"),
            Duration::ZERO,
        )
        .expect("vault");
        state.opened(vault).expect("open");
        let cx = Cx::quiet(&state);
        let clean = |e: IpcError, what: &str| {
            let sent = serde_json::to_string(&e).expect("serialise");
            assert!(!sent.contains(CANARY), "{what}: {sent}");
            e.code
        };
        let invalid = gawahi_core::ErrorCode::InvalidInput;
        let outcome = record_hearing_outcome(
            &cx,
            RecordHearingOutcomeRequest {
                hearing_id: CANARY.into(),
                status: HearingStatus::Adjourned,
                outcome: Some(CANARY.into()),
                next_date: Some(CANARY.into()),
            },
        );
        assert_ne!(clean(outcome.expect_err("no such hearing"), "outcome"), gawahi_core::ErrorCode::Database);
        let bad_day = format!("2026-02-30{CANARY}");
        let list = cause_list(
            &cx,
            CauseListRequest { from: bad_day.clone(), to: "2026-01-01".into(), today: "2026-01-01".into() },
        );
        assert_eq!(clean(list.expect_err("bad from"), "cause list"), invalid);
        let long = cause_list(
            &cx,
            CauseListRequest { from: "1000-01-01".into(), to: "9999-12-31".into(), today: "2026-01-01".into() },
        );
        assert_eq!(clean(long.expect_err("a window of millennia"), "cause list span"), invalid);
        let rows = hearings_list(
            &cx,
            HearingsListRequest { from: None, to: Some(bad_day.clone()), today: "2026-01-01".into() },
        );
        assert_eq!(clean(rows.expect_err("bad to"), "hearings list"), invalid);
        let due = deadlines(&cx, DeadlinesRequest { today: bad_day, within_days: u32::MAX });
        assert_eq!(clean(due.expect_err("bad today"), "deadlines"), invalid);
        let rule = add_deadline_from_event(
            &cx,
            AddDeadlineFromEventRequest {
                rule: CANARY.into(),
                record_id: CANARY.into(),
                days: Some(u32::MAX),
                title: None,
            },
        );
        assert_eq!(clean(rule.expect_err("unknown rule"), "deadline rule"), invalid);
        let hostile = format!("{CANARY}\u{1b}[2J\u{202e}");
        let found =
            find_sections(&cx, FindSectionsRequest { query: hostile.repeat(1000) }).expect("a query never fails");
        assert!(found.is_empty(), "{found:?}");
        let own = add_own_section(
            &cx,
            AddOwnSectionRequest { statute: "ppc_1860".into(), section: hostile, en: None, ur: None },
        );
        assert_eq!(clean(own.expect_err("hostile section"), "own section"), invalid);
        let key = CANARY.repeat(50);
        let saved = save_draft(&cx, SaveDraftRequest { key, body: json!({}) });
        assert_eq!(clean(saved.expect_err("key too long"), "draft key"), invalid);
        let huge = save_draft(&cx, SaveDraftRequest { key: "new/case".into(), body: json!(CANARY.repeat(200_000)) });
        assert_eq!(clean(huge.expect_err("draft too big"), "draft body"), invalid);
        let body = json!({ "title": "Karachi FIR 12/2026", "notes": "کراچی" });
        save_draft(&cx, SaveDraftRequest { key: "new/case".into(), body: body.clone() }).expect("save");
        let back = load_draft(&cx, DraftKeyRequest { key: "new/case".into() }).expect("load").expect("a draft");
        assert_eq!(back.body, body);
        assert!(discard_draft(&cx, DraftKeyRequest { key: "new/case".into() }).expect("discard"));
        assert!(load_draft(&cx, DraftKeyRequest { key: "new/case".into() }).expect("load").is_none());
    }
}
