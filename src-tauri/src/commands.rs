//! The commands the webview may call. Each is a thin adapter: it takes one request type, hands it
//! to [`AppState`] (which calls `gawahi-core`), and returns a view or an [`IpcError`]. Slow work
//! (the KDF) runs on a blocking thread so the window stays responsive, and reports progress
//! through the `vault-progress` event. Commands that read or write the vault are `async` in
//! Tauri's sense: they run on the runtime's threads, not on the GTK main thread, so a slow query
//! (a filter over a large vault) never freezes the window, and the window can draw while one runs.

#![allow(clippy::needless_pass_by_value, reason = "Tauri hands command arguments over by value")]

use std::path::PathBuf;
use std::time::Duration;

use gawahi_core::Vault;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::ipc::{
    AddRecordRequest, AppStatus, AppStatusRequest, CaseTimelineRequest, ChangePassphraseRequest, CreateVaultRequest,
    DashboardRequest, DashboardView, DeleteRecordRequest, DetailView, GetRecordRequest, HearingView,
    HearingsCalendarRequest, IpcError, IpcResult, LinkRecordsRequest, ListRecordsRequest, LockVaultRequest,
    NoteActivityRequest, RecordPage, RecordView, SaveSettingsRequest, Settings, TimelineView, UnlinkRecordsRequest,
    UnlockVaultRequest, UpdateRecordRequest, VaultInfo, VaultProgress, VocabulariesRequest, VocabularyView,
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
pub async fn change_passphrase(app: AppHandle, request: ChangePassphraseRequest) -> IpcResult<()> {
    blocking(move || Ok(app.state::<AppState>().change_passphrase(&request))).await?
}

#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>, request: DashboardRequest) -> IpcResult<DashboardView> {
    state.dashboard(&request)
}

#[tauri::command(async)]
pub fn list_records(state: State<'_, AppState>, request: ListRecordsRequest) -> IpcResult<RecordPage> {
    state.list_records(&request)
}

#[tauri::command(async)]
pub fn get_record(state: State<'_, AppState>, request: GetRecordRequest) -> IpcResult<DetailView> {
    state.get_record(&request)
}

#[tauri::command(async)]
pub fn add_record(state: State<'_, AppState>, request: AddRecordRequest) -> IpcResult<RecordView> {
    state.add_record(request)
}

#[tauri::command(async)]
pub fn update_record(state: State<'_, AppState>, request: UpdateRecordRequest) -> IpcResult<RecordView> {
    state.update_record(request)
}

#[tauri::command(async)]
pub fn delete_record(state: State<'_, AppState>, request: DeleteRecordRequest) -> IpcResult<()> {
    state.delete_record(&request)
}

#[tauri::command(async)]
pub fn link_records(state: State<'_, AppState>, request: LinkRecordsRequest) -> IpcResult<gawahi_core::links::Link> {
    state.link_records(&request)
}

#[tauri::command(async)]
pub fn unlink_records(state: State<'_, AppState>, request: UnlinkRecordsRequest) -> IpcResult<()> {
    state.unlink_records(&request)
}

#[tauri::command(async)]
pub fn vocabularies(state: State<'_, AppState>, request: VocabulariesRequest) -> IpcResult<Vec<VocabularyView>> {
    let VocabulariesRequest {} = request;
    state.vocabularies()
}

#[tauri::command(async)]
pub fn hearings_calendar(state: State<'_, AppState>, request: HearingsCalendarRequest) -> IpcResult<Vec<HearingView>> {
    state.hearings_calendar(&request)
}

#[tauri::command(async)]
pub fn case_timeline(state: State<'_, AppState>, request: CaseTimelineRequest) -> IpcResult<TimelineView> {
    state.case_timeline(&request)
}

fn progress(app: &AppHandle, stage: &str) {
    // A lost progress event only leaves a spinner without its caption; it is not an error.
    let _ = app.emit("vault-progress", VaultProgress { stage: stage.to_owned() });
}

/// Runs slow vault work (Argon2id) off the async runtime's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> gawahi_core::Result<T> + Send + 'static) -> IpcResult<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(IpcError {
            code: gawahi_core::ErrorCode::Database,
            message: "the operation stopped unexpectedly; try again".into(),
            field: None,
            reason: None,
        }),
    }
}
