//! The commands the webview may call. Each is a thin adapter: it takes one request type, hands it
//! to [`AppState`] (which calls `gawahi-core`), and returns a view or an [`IpcError`]. Slow work
//! (the KDF) runs on a blocking thread so the window stays responsive, and reports progress
//! through the `vault-progress` event. Commands that read or write the vault run on a blocking
//! thread too (`with_state`): not on the GTK main thread, so a slow query (a filter over a large
//! vault) never freezes the window and the window can draw while one runs, and not on the async
//! runtime's workers, which a few slow queries would otherwise all hold.

#![allow(clippy::needless_pass_by_value, reason = "Tauri hands command arguments over by value")]

use std::path::PathBuf;
use std::time::Duration;

use gawahi_core::Vault;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::ipc::{
    AddRecordRequest, AppStatus, AppStatusRequest, CaseTimelineRequest, ChangePassphraseRequest, CreateVaultRequest,
    DashboardRequest, DashboardView, DeleteRecordRequest, DetailView, GetRecordRequest, HearingView,
    HearingsCalendarRequest, IpcError, IpcResult, LinkRecordsRequest, ListRecordsRequest, LockVaultRequest,
    NoteActivityRequest, PassphraseChangeView, RecordPage, RecordView, SaveSettingsRequest, Settings, TimelineView,
    UnlinkRecordsRequest, UnlockVaultRequest, UpdateRecordRequest, VaultInfo, VaultProgress, VocabulariesRequest,
    VocabularyView,
};
use crate::state::AppState;

#[tauri::command]
pub fn app_status(state: State<'_, AppState>, request: AppStatusRequest) -> AppStatus {
    let AppStatusRequest {} = request;
    state.status()
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, request: SaveSettingsRequest) -> IpcResult<Settings> {
    state.save_settings(request)
}

#[tauri::command]
pub async fn create_vault(app: AppHandle, request: CreateVaultRequest) -> IpcResult<VaultInfo> {
    let target = Duration::from_millis(u64::from(request.kdf_target_ms.unwrap_or(1000)));
    progress(&app, "calibrating");
    let vault = blocking(move || Vault::create(&PathBuf::from(request.path), &request.passphrase, target)).await?;
    progress(&app, "done");
    app.state::<AppState>().opened(vault)
}

#[tauri::command]
pub async fn unlock_vault(app: AppHandle, request: UnlockVaultRequest) -> IpcResult<VaultInfo> {
    progress(&app, "deriving");
    let vault = blocking(move || Vault::unlock(&PathBuf::from(request.path), &request.passphrase)).await?;
    progress(&app, "done");
    app.state::<AppState>().opened(vault)
}

#[tauri::command]
pub fn lock_vault(state: State<'_, AppState>, request: LockVaultRequest) {
    let LockVaultRequest {} = request;
    state.lock();
}

#[tauri::command]
pub fn note_activity(state: State<'_, AppState>, request: NoteActivityRequest) {
    let NoteActivityRequest {} = request;
    state.note_activity();
}

#[tauri::command]
pub async fn change_passphrase(app: AppHandle, request: ChangePassphraseRequest) -> IpcResult<PassphraseChangeView> {
    let reporter = app.clone();
    let report = move |fraction: f64| progress_of(&reporter, "rotating", Some(fraction));
    blocking(move || Ok(app.state::<AppState>().change_passphrase(&request, report))).await?
}

#[tauri::command]
pub async fn dashboard(app: AppHandle, request: DashboardRequest) -> IpcResult<DashboardView> {
    with_state(app, move |s| s.dashboard(&request)).await
}

#[tauri::command]
pub async fn list_records(app: AppHandle, request: ListRecordsRequest) -> IpcResult<RecordPage> {
    with_state(app, move |s| s.list_records(&request)).await
}

#[tauri::command]
pub async fn get_record(app: AppHandle, request: GetRecordRequest) -> IpcResult<DetailView> {
    with_state(app, move |s| s.get_record(&request)).await
}

#[tauri::command]
pub async fn add_record(app: AppHandle, request: AddRecordRequest) -> IpcResult<RecordView> {
    with_state(app, move |s| s.add_record(request)).await
}

#[tauri::command]
pub async fn update_record(app: AppHandle, request: UpdateRecordRequest) -> IpcResult<RecordView> {
    with_state(app, move |s| s.update_record(request)).await
}

#[tauri::command]
pub async fn delete_record(app: AppHandle, request: DeleteRecordRequest) -> IpcResult<()> {
    with_state(app, move |s| s.delete_record(&request)).await
}

#[tauri::command]
pub async fn link_records(app: AppHandle, request: LinkRecordsRequest) -> IpcResult<gawahi_core::links::Link> {
    with_state(app, move |s| s.link_records(&request)).await
}

#[tauri::command]
pub async fn unlink_records(app: AppHandle, request: UnlinkRecordsRequest) -> IpcResult<()> {
    with_state(app, move |s| s.unlink_records(&request)).await
}

#[tauri::command]
pub async fn vocabularies(app: AppHandle, request: VocabulariesRequest) -> IpcResult<Vec<VocabularyView>> {
    with_state(app, move |s| {
        let VocabulariesRequest {} = request;
        s.vocabularies()
    })
    .await
}

#[tauri::command]
pub async fn hearings_calendar(app: AppHandle, request: HearingsCalendarRequest) -> IpcResult<Vec<HearingView>> {
    with_state(app, move |s| s.hearings_calendar(&request)).await
}

#[tauri::command]
pub async fn case_timeline(app: AppHandle, request: CaseTimelineRequest) -> IpcResult<TimelineView> {
    with_state(app, move |s| s.case_timeline(&request)).await
}

fn progress(app: &AppHandle, stage: &str) {
    progress_of(app, stage, None);
}

fn progress_of(app: &AppHandle, stage: &str, fraction: Option<f64>) {
    // A lost progress event only leaves a spinner without its caption; it is not an error.
    let _ = app.emit("vault-progress", VaultProgress { stage: stage.to_owned(), fraction });
}

/// Runs vault work on a blocking thread: neither the GTK main thread (the window keeps drawing)
/// nor one of the async runtime's few workers (a slow filter would stall every other task).
async fn with_state<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    match tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>())).await {
        Ok(result) => result,
        Err(_) => Err(stopped()),
    }
}

/// Runs slow vault work (Argon2id) off the async runtime's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> gawahi_core::Result<T> + Send + 'static) -> IpcResult<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => Ok(result?),
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
