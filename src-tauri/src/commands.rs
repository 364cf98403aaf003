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

use crate::ipc::{
    AddRecordRequest, AppStatus, AppStatusRequest, CaseTimelineRequest, ChangePassphraseRequest, CreateVaultRequest,
    DashboardRequest, DashboardView, DeleteRecordRequest, DetailView, GetRecordRequest, HearingView,
    HearingsCalendarRequest, IpcError, IpcResult, KindCount, LinkRecordsRequest, ListRecordsRequest, LockVaultRequest,
    NoteActivityRequest, PassphraseChangeView, RecordPage, RecordView, SaveSettingsRequest, Settings, TimelineView,
    UnlinkRecordsRequest, UnlockVaultRequest, UpdateRecordRequest, VaultInfo, VaultProgress, VocabulariesRequest,
    VocabularyView,
};
use crate::state::AppState;

// The identity, contact and bundle commands, in a module of their own.
mod bundle;
use crate::ipc::bundle::{
    AddContactRequest, BundleExportedView, BundleOutcome, CancelBundleRequest, ContactView, ExportBundleRequest,
    IdentityRequest, IdentityView, ListContactsRequest, OpenBundleRequest, RemoveContactRequest,
};
use bundle::{
    add_contact, cancel_bundle, export_bundle, identity, import_bundle, list_contacts, remove_contact, verify_bundle,
};

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

#[cfg(test)]
mod tests {
    use super::*;

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
        // The app's own commands (the set), events (progress, auto-lock), the file and folder
        // pickers and the save dialog (where an exported original goes);
        // and the app's version, for the About section.
        let needed = [
            "allow-commands",
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
            "dialog:allow-save",
        ];
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
}
