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
    AddDeadlineFromEventRequest, AddEvidenceFilesRequest, AddOwnSectionRequest, AddRecordRequest,
    AddWorkingCopyRequest, AddedEvidenceView, AppStatus, AppStatusRequest, CancelIntakeRequest, CaseTimelineRequest,
    CauseListRequest, ChangePassphraseRequest, ClearDuressRequest, ClosePreviewRequest, CreateVaultRequest,
    CustodyEntryView, DashboardRequest, DashboardView, DeadlineView, DeadlinesRequest, DeleteEvidenceRequest,
    DeleteRecordRequest, DetailView, DraftKeyRequest, DuressChoice, EvidenceCustodyRequest, EvidenceProgress,
    EvidenceThumbnailRequest, EvidenceView, ExportEvidenceRequest, FacetCountsRequest, FindSectionsRequest,
    GetRecordRequest, HearingOutcomeView, HearingView, HearingsCalendarRequest, HearingsListRequest, IpcError,
    IpcResult, KindCount, LinkRecordsRequest, ListEvidenceRequest, ListRecordsRequest, LockVaultRequest,
    NoteActivityRequest, OpenPreviewRequest, PassphraseChangeView, PreviewView, RecordHearingOutcomeRequest,
    RecordPage, RecordView, SaveDraftRequest, SaveSettingsRequest, SearchRequest, SetDuressRequest,
    SetUnlockLimitRequest, Settings, ThumbnailView, TimelineView, UnlinkRecordsRequest, UnlockAttemptsRequest,
    UnlockAttemptsView, UnlockLimitRequest, UnlockLimitView, UnlockVaultRequest, UpcomingHearingsRequest,
    UpdateRecordRequest, VaultInfo, VaultProgress, VocabulariesRequest, VocabularyView, WipeVaultRequest,
};
use crate::ipc::{CopyToClipboardRequest, RecoveryShareView, RecoverySplitRequest};
use crate::state::AppState;
use gawahi_core::search::{Count, HitGroup};
use gawahi_core::vault::Draft;
use gawahi_core::views::{CauseListCourt, HearingsPage};
use gawahi_core::vocab::{Entry, SectionMatch};

// The identity, contact and bundle commands, in a module of their own.
mod bundle;
use crate::ipc::bundle::{
    AddContactRequest, BundleExportedView, BundleOutcome, CancelBundleRequest, ContactView, ExportBundleRequest,
    IdentityRequest, IdentityView, ListContactsRequest, OpenBundleRequest, RemoveContactRequest,
};
use bundle::{
    add_contact, cancel_bundle, export_bundle, identity, import_bundle, list_contacts, remove_contact, verify_bundle,
};

// Statistics, the anonymised table export, PDF reports and saved charts, in a module of their own.
mod insights;
use crate::ipc::insights::{
    ExportTableRequest, ReportWrittenView, SaveChartRequest, StatView, StatsRequest, TableExportedView,
    WriteReportRequest,
};
use insights::{export_table, save_chart, stats, write_report};

/// What a command's body gets: the app's state, and a way to report progress.
pub struct Cx<'a> {
    /// The vault (or none) and the settings.
    pub state: &'a AppState,
    progress: Progress,
    evidence_progress: EvidenceProgressSink,
}

/// Reports how far the intake of evidence files has got (the `evidence-progress` event).
type EvidenceProgressSink = Arc<dyn Fn(EvidenceProgress) + Send + Sync>;

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
        Self { state, progress: Arc::new(|_, _| {}), evidence_progress: Arc::new(|_| {}) }
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
        let reporter = app.clone();
        let evidence_progress: EvidenceProgressSink = Arc::new(move |p: EvidenceProgress| {
            // A lost progress event only leaves the bar where it was.
            let _ = reporter.emit("evidence-progress", p);
        });
        body(&Cx { state: &app.state::<AppState>(), progress, evidence_progress })
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
    cx.state.save_settings(r.language, r.auto_lock_minutes, r.camouflage)
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

fn wipe_vault(cx: &Cx<'_>, WipeVaultRequest {}: WipeVaultRequest) -> IpcResult<()> {
    cx.state.wipe()
}

fn recovery_split(cx: &Cx<'_>, r: RecoverySplitRequest) -> IpcResult<Vec<RecoveryShareView>> {
    let made = cx.vault(|v| v.recovery_split(r.threshold as usize, r.shares as usize))?;
    made.iter()
        .map(|s| {
            Ok(RecoveryShareView {
                number: s.number(),
                count: s.count(),
                threshold: s.threshold(),
                vault_id: s.vault_id(),
                words: s.words().split(' ').map(str::to_owned).collect(),
                qr_svg: s.qr_svg()?.to_string(),
            })
        })
        .collect()
}

fn set_duress(cx: &Cx<'_>, r: SetDuressRequest) -> IpcResult<()> {
    let mode = match r.mode {
        DuressChoice::Decoy => gawahi_core::vault::DuressMode::Decoy,
        DuressChoice::Wipe => gawahi_core::vault::DuressMode::Wipe,
    };
    cx.vault(|v| v.set_duress(&r.passphrase, mode))?;
    Ok(())
}

fn clear_duress(cx: &Cx<'_>, ClearDuressRequest {}: ClearDuressRequest) -> IpcResult<()> {
    cx.vault(Vault::clear_duress)?;
    Ok(())
}

fn unlock_limit(cx: &Cx<'_>, UnlockLimitRequest {}: UnlockLimitRequest) -> IpcResult<UnlockLimitView> {
    Ok(UnlockLimitView { limit: cx.vault(|v| Ok(v.unlock_limit()))? })
}

fn set_unlock_limit(cx: &Cx<'_>, r: SetUnlockLimitRequest) -> IpcResult<UnlockLimitView> {
    let limit = cx.vault(|v| {
        v.set_unlock_limit(r.limit)?;
        Ok(v.unlock_limit())
    })?;
    Ok(UnlockLimitView { limit })
}

fn unlock_attempts(_cx: &Cx<'_>, r: UnlockAttemptsRequest) -> IpcResult<UnlockAttemptsView> {
    Ok(UnlockAttemptsView { left: Vault::unlock_attempts(Path::new(&r.path))?.left() })
}

fn note_activity(cx: &Cx<'_>, NoteActivityRequest {}: NoteActivityRequest) -> IpcResult<()> {
    cx.state.note_activity();
    Ok(())
}

fn copy_to_clipboard(cx: &Cx<'_>, r: CopyToClipboardRequest) -> IpcResult<()> {
    let text = zeroize::Zeroizing::new(r.text);
    if text.len() > crate::clipboard::MAX_TEXT {
        return Err(Error::from(Invalid::field("text", Reason::TooLong, "at most 4096 bytes")).into());
    }
    cx.state.copy_to_clipboard(text);
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
    // A filtered list comes from the search index: the same words, folding, labels and facets
    // as the search screen, never the stored JSON's field names.
    let filters = r.filters.unwrap_or_default();
    let query = r.query.as_deref().unwrap_or("");
    let page = cx.vault(|v| v.list_page(r.kind, query, &filters, r.after.as_deref(), r.limit as usize))?;
    Ok(page.into())
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

/// The most files one call adds (a drop of a whole folder's files is fine; a runaway list is not).
const MAX_FILES: usize = 1000;

fn list_evidence(cx: &Cx<'_>, r: ListEvidenceRequest) -> IpcResult<Vec<EvidenceView>> {
    Ok(cx.vault(|v| v.list_evidence(Some(&r.record_id)))?.into_iter().map(Into::into).collect())
}

/// Adds the files at `paths` to the record, one after the other, reporting progress; stops at the
/// first that fails (those before it stay added) or when the person cancels.
fn add_evidence_files(cx: &Cx<'_>, r: AddEvidenceFilesRequest) -> IpcResult<AddedEvidenceView> {
    use std::sync::atomic::Ordering;
    if r.paths.is_empty() || r.paths.len() > MAX_FILES {
        return Err(Error::from(Invalid::field("paths", Reason::TooLong, "expected 1 to 1000 files")).into());
    }
    let cancel = cx.state.intake_cancel_flag();
    cancel.store(false, Ordering::SeqCst);
    let files = u32::try_from(r.paths.len()).unwrap_or(u32::MAX);
    let mut added = Vec::new();
    for (i, path) in r.paths.iter().enumerate() {
        let (file, total, name) = open_for_intake(Path::new(path), i)?;
        let file_index = u32::try_from(i).unwrap_or(u32::MAX);
        let sink = Arc::clone(&cx.evidence_progress);
        sink(EvidenceProgress { file: file_index, files, done: 0, total: Some(total) });
        let reader = Watched {
            inner: file,
            done: 0,
            reported: 0,
            cancel,
            report: Box::new(move |done| sink(EvidenceProgress { file: file_index, files, done, total: Some(total) })),
        };
        let meta = gawahi_core::evidence::EvidenceMeta { original_name: name, ..Default::default() };
        match cx.vault(|v| v.add_evidence(&r.record_id, reader, meta)) {
            Ok(item) => added.push(item.into()),
            Err(_) if cancel.load(Ordering::SeqCst) => return Ok(AddedEvidenceView { added, cancelled: true }),
            Err(e) => return Err(e),
        }
    }
    Ok(AddedEvidenceView { added, cancelled: false })
}

/// Opens the file at `path` for intake: a regular file (a folder, a device or a pipe is refused
/// before it is opened, so a pipe cannot hang the intake), its size and its name as the item's
/// original name. Errors name the file by its place in the list, never by its path.
fn open_for_intake(path: &Path, index: usize) -> IpcResult<(std::fs::File, u64, Option<String>)> {
    let unreadable = || {
        IpcError::from(Error::from(Invalid::field(
            format!("paths[{index}]"),
            Reason::UnreadableFile,
            "is not a file that can be read",
        )))
    };
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Err(unreadable());
    }
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let meta = file.metadata().map_err(|_| unreadable())?;
    if !meta.is_file() {
        return Err(unreadable());
    }
    // The name is kept as it was (escaped and isolated wherever it is shown); a name that is not
    // UTF-8 keeps its readable parts, and one longer than the vault keeps is cut.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(gawahi_core::evidence::MAX_NAME_CHARS).collect::<String>());
    Ok((file, meta.len(), name))
}

/// A file being read for intake: counts what was read, reports it now and then, and stops with an
/// error when the person cancels (the intake then removes what it wrote).
struct Watched<'a> {
    inner: std::fs::File,
    done: u64,
    reported: u64,
    cancel: &'a std::sync::atomic::AtomicBool,
    report: Box<dyn Fn(u64) + 'a>,
}

impl std::io::Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        // Every 4 MiB: often enough for a bar to move, rarely enough not to flood the window.
        if self.done - self.reported >= 4 * 1024 * 1024 {
            self.reported = self.done;
            (self.report)(self.done);
        }
        Ok(n)
    }
}

fn cancel_intake(cx: &Cx<'_>, CancelIntakeRequest {}: CancelIntakeRequest) -> IpcResult<()> {
    cx.state.intake_cancel_flag().store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

fn add_working_copy(cx: &Cx<'_>, r: AddWorkingCopyRequest) -> IpcResult<EvidenceView> {
    let meta = gawahi_core::evidence::EvidenceMeta { original_name: r.name, ..Default::default() };
    let kind = gawahi_core::evidence::CopyKind::Redaction;
    Ok(cx.vault(|v| v.add_working_copy(&r.record_id, &r.parent_id, r.bytes.as_slice(), meta, kind))?.into())
}

fn evidence_custody(cx: &Cx<'_>, r: EvidenceCustodyRequest) -> IpcResult<Vec<CustodyEntryView>> {
    Ok(cx.vault(|v| v.custody(&r.id))?.into_iter().map(Into::into).collect())
}

fn export_evidence(cx: &Cx<'_>, r: ExportEvidenceRequest) -> IpcResult<EvidenceView> {
    Ok(cx.vault(|v| v.export_evidence(&r.id, Path::new(&r.path)))?.into())
}

fn delete_evidence(cx: &Cx<'_>, r: DeleteEvidenceRequest) -> IpcResult<()> {
    cx.state.previews().remove(&r.id);
    cx.vault(|v| v.delete_evidence(&r.id))
}

fn open_preview(cx: &Cx<'_>, r: OpenPreviewRequest) -> IpcResult<PreviewView> {
    let (media_type, size) = cx.state.open_preview(&r.id)?;
    Ok(PreviewView { url: crate::preview::url_of(&gawahi_core::model::normalise_id(&r.id)), media_type, size })
}

/// A thumbnail of an image item, made in memory; `None` for other types or an image that cannot
/// be decoded within the bounds.
fn evidence_thumbnail(cx: &Cx<'_>, r: EvidenceThumbnailRequest) -> IpcResult<Option<ThumbnailView>> {
    use base64::Engine as _;
    let thumb = cx.vault(|v| v.evidence_thumbnail(&r.id))?;
    Ok(thumb.map(|t| ThumbnailView {
        width: t.width,
        height: t.height,
        rgba_base64: base64::engine::general_purpose::STANDARD.encode(t.rgba.as_slice()),
    }))
}

fn close_preview(cx: &Cx<'_>, r: ClosePreviewRequest) -> IpcResult<()> {
    cx.state.previews().remove(&gawahi_core::model::normalise_id(&r.id));
    Ok(())
}

fn record_hearing_outcome(cx: &Cx<'_>, r: RecordHearingOutcomeRequest) -> IpcResult<HearingOutcomeView> {
    let done =
        cx.vault(|v| v.record_hearing_outcome(&r.hearing_id, r.status, r.outcome.as_deref(), r.next_date.as_deref()))?;
    Ok(HearingOutcomeView { hearing: done.hearing.into(), next: done.next.map(Into::into) })
}

fn hearings_list(cx: &Cx<'_>, r: HearingsListRequest) -> IpcResult<HearingsPage> {
    let limit = usize::try_from(r.limit).unwrap_or(usize::MAX);
    let offset = r.offset.map(|o| usize::try_from(o).unwrap_or(usize::MAX));
    cx.vault(|v| v.hearings_page(r.from.as_deref(), r.to.as_deref(), &r.today, offset, limit))
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

fn search(cx: &Cx<'_>, r: SearchRequest) -> IpcResult<Vec<HitGroup>> {
    cx.vault(|v| v.search(&r.query, &r.filters, r.limit as usize))
}

fn facet_counts(cx: &Cx<'_>, r: FacetCountsRequest) -> IpcResult<Vec<Count>> {
    cx.vault(|v| v.facet_counts(&r.query, &r.filters))
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

    /// The app's state in a temporary folder, and a new vault beside it (not yet opened in it).
    pub(super) fn new_state() -> (tempfile::TempDir, AppState, Vault) {
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let vault = Vault::create(
            &tmp.path().join("vault"),
            &secrecy::SecretString::from("correct horse battery staple"),
            Duration::ZERO,
        )
        .expect("vault");
        (tmp, state, vault)
    }

    /// The app's state with a new, empty vault open in it.
    fn open_state() -> (tempfile::TempDir, AppState) {
        let (tmp, state, vault) = new_state();
        state.opened(vault).expect("open");
        (tmp, state)
    }

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
        let (_tmp, state) = open_state();
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

    /// A vault in the app's state with an incident; the state, its folder and the incident.
    fn with_incident() -> (tempfile::TempDir, AppState, String) {
        let (tmp, state, mut vault) = new_state();
        let rec = vault
            .add(gawahi_core::Kind::Incident, serde_json::from_str(r#"{"title": "raid"}"#).expect("json"))
            .expect("incident")
            .id;
        state.opened(vault).expect("open");
        (tmp, state, rec)
    }

    #[test]
    fn several_files_are_added_in_order_with_their_names_and_progress() {
        let (tmp, state, rec) = with_incident();
        let reports = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&reports);
        let cx = Cx {
            state: &state,
            progress: Arc::new(|_, _| {}),
            evidence_progress: Arc::new(move |p: EvidenceProgress| seen.lock().expect("lock").push((p.file, p.done))),
        };
        let hostile = "\u{202e}gpj.exe\n\u{1b}[2J تصویر.jpg";
        let files = [("a.txt", vec![b'a'; 10]), (hostile, vec![b'b'; 5 * 1024 * 1024 + 3])];
        let mut paths = Vec::new();
        for (name, bytes) in &files {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).expect("write");
            paths.push(p.display().to_string());
        }
        let added = add_evidence_files(&cx, AddEvidenceFilesRequest { record_id: rec.clone(), paths }).expect("add");
        assert!(!added.cancelled);
        let names: Vec<_> = added.added.iter().map(|i| i.original_name.clone().unwrap_or_default()).collect();
        assert_eq!(names, ["a.txt", hostile], "names are kept as they were");
        assert_eq!(added.added[1].size, 5 * 1024 * 1024 + 3);
        let reports = reports.lock().expect("lock").clone();
        assert!(reports.contains(&(0, 0)) && reports.contains(&(1, 0)), "each file starts at 0: {reports:?}");
        assert!(reports.iter().any(|&(f, done)| f == 1 && done >= 4 * 1024 * 1024), "a big file reports as it goes");
        assert_eq!(list_evidence(&cx, ListEvidenceRequest { record_id: rec }).expect("list").len(), 2);
    }

    #[test]
    fn fail_paths_that_are_not_readable_files_are_refused_by_place_never_by_name() {
        const CANARY: &str = "zqxcanary4417";
        let (tmp, state, rec) = with_incident();
        let cx = Cx::quiet(&state);
        let dir = tmp.path().join(CANARY);
        std::fs::create_dir(&dir).expect("dir");
        let fifo = tmp.path().join(format!("{CANARY}.fifo"));
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
        let good = tmp.path().join("good.txt");
        std::fs::write(&good, "kept").expect("write");
        let bad = [
            dir.display().to_string(),
            fifo.display().to_string(),
            "/dev/zero".to_owned(),
            tmp.path().join(format!("{CANARY}-missing")).display().to_string(),
            format!("{CANARY}\n\u{1b}[2J"),
            String::new(),
            format!("/{}", CANARY.repeat(10_000)),
        ];
        for path in bad {
            let paths = vec![good.display().to_string(), path.clone()];
            let e = add_evidence_files(&cx, AddEvidenceFilesRequest { record_id: rec.clone(), paths })
                .expect_err("refused");
            assert_eq!(
                (e.code, e.field.as_deref()),
                (gawahi_core::ErrorCode::InvalidInput, Some("paths[1]")),
                "{path:?}"
            );
            assert!(!serde_json::to_string(&e).expect("json").contains(CANARY), "{path:?}: {e:?}");
        }
        let many = vec![good.display().to_string(); MAX_FILES + 1];
        assert!(add_evidence_files(&cx, AddEvidenceFilesRequest { record_id: rec.clone(), paths: many }).is_err());
        assert!(add_evidence_files(&cx, AddEvidenceFilesRequest { record_id: rec.clone(), paths: vec![] }).is_err());
        let e = add_evidence_files(
            &cx,
            AddEvidenceFilesRequest { record_id: format!("{CANARY}-record"), paths: vec![good.display().to_string()] },
        )
        .expect_err("no such record");
        assert!(!serde_json::to_string(&e).expect("json").contains(CANARY), "{e:?}");
        // The good file before each bad one was added each time; nothing else was.
        assert_eq!(list_evidence(&cx, ListEvidenceRequest { record_id: rec.clone() }).expect("list").len(), 7);
        // An item id that is not one, as every command on items takes it.
        for id in [format!("{CANARY}-item"), format!("{CANARY}\n\u{1b}[2J"), CANARY.repeat(10_000)] {
            let errors = [
                open_preview(&cx, OpenPreviewRequest { id: id.clone() }).map(|_| ()),
                evidence_custody(&cx, EvidenceCustodyRequest { id: id.clone() }).map(|_| ()),
                delete_evidence(&cx, DeleteEvidenceRequest { id: id.clone() }),
                export_evidence(&cx, ExportEvidenceRequest { id: id.clone(), path: format!("/tmp/{CANARY}") })
                    .map(|_| ()),
                add_working_copy(
                    &cx,
                    AddWorkingCopyRequest { record_id: rec.clone(), parent_id: id.clone(), name: None, bytes: vec![1] },
                )
                .map(|_| ()),
            ];
            for e in errors {
                let e = e.expect_err("no such item");
                assert_eq!(e.code, gawahi_core::ErrorCode::EvidenceNotFound, "{e:?}");
                assert!(!serde_json::to_string(&e).expect("json").contains(CANARY), "{e:?}");
            }
        }
        assert!(!Path::new(&format!("/tmp/{CANARY}")).exists(), "nothing was exported");
    }

    #[test]
    fn fail_a_cancelled_intake_adds_nothing_of_the_file_it_was_reading() {
        let (tmp, state, rec) = with_incident();
        let big = tmp.path().join("big.bin");
        std::fs::write(&big, vec![7u8; 9 * 1024 * 1024]).expect("write");
        let state = Arc::new(state);
        let canceller = Arc::clone(&state);
        let cx = Cx {
            state: &state,
            progress: Arc::new(|_, _| {}),
            // The person presses cancel once the first report of the big file arrives.
            evidence_progress: Arc::new(move |p: EvidenceProgress| {
                if p.done > 0 {
                    cancel_intake(&Cx::quiet(&canceller), CancelIntakeRequest {}).expect("cancel");
                }
            }),
        };
        let small = tmp.path().join("small.txt");
        std::fs::write(&small, "first").expect("write");
        let paths = vec![small.display().to_string(), big.display().to_string(), small.display().to_string()];
        let done = add_evidence_files(&cx, AddEvidenceFilesRequest { record_id: rec.clone(), paths }).expect("add");
        assert!(done.cancelled);
        assert_eq!(done.added.len(), 1, "the file before stays; the one being read and those after are not added");
        assert_eq!(list_evidence(&cx, ListEvidenceRequest { record_id: rec.clone() }).expect("list").len(), 1);
        assert_eq!(std::fs::read_dir(tmp.path().join("vault/blobs")).expect("blobs").count(), 1, "no partial blob");
        assert!(state.with_vault(|v| v.check()).expect("check").is_ok());
        // The next intake is not cancelled by the last one's request.
        let again = add_evidence_files(
            &Cx::quiet(&state),
            AddEvidenceFilesRequest { record_id: rec, paths: vec![small.display().to_string()] },
        )
        .expect("again");
        assert!(!again.cancelled && again.added.len() == 1);
    }

    #[test]
    fn fail_a_working_copy_call_without_its_raw_body_or_header_is_refused() {
        use tauri::ipc::InvokeBody;
        let header = br#"{"recordId": "r", "parentId": "p", "name": "x.png"}"#;
        let ok = AddWorkingCopyRequest::from_parts(Some(header), &InvokeBody::Raw(vec![1, 2, 3])).expect("parts");
        assert_eq!((ok.record_id.as_str(), ok.parent_id.as_str(), ok.bytes.as_slice()), ("r", "p", &[1u8, 2, 3][..]));
        let json = InvokeBody::Json(serde_json::json!({"request": {"recordId": "r"}}));
        let canary = br#"{"recordId": "zqxcanary4417", "parentId": 5}"#;
        for (header, body) in [
            (Some(&header[..]), &json),
            (None, &InvokeBody::Raw(vec![1])),
            (Some(&b"not json zqxcanary4417"[..]), &InvokeBody::Raw(vec![1])),
            (Some(&canary[..]), &InvokeBody::Raw(vec![1])),
            (
                Some(&br#"{"recordId": "r", "parentId": "p", "name": null, "zqxcanary4417": 1}"#[..]),
                &InvokeBody::Raw(vec![1]),
            ),
        ] {
            let e = AddWorkingCopyRequest::from_parts(header, body).expect_err("refused");
            assert_eq!(e.code, gawahi_core::ErrorCode::InvalidInput);
            assert!(!serde_json::to_string(&e).expect("json").contains("zqxcanary4417"), "{e:?}");
        }
    }

    #[test]
    fn a_redacted_copy_from_the_window_is_linked_to_its_parent() {
        let (tmp, state, rec) = with_incident();
        let cx = Cx::quiet(&state);
        let photo = tmp.path().join("photo.jpg");
        std::fs::write(&photo, b"\xff\xd8\xff\xe0 a photo").expect("write");
        let parent = add_evidence_files(
            &cx,
            AddEvidenceFilesRequest { record_id: rec.clone(), paths: vec![photo.display().to_string()] },
        )
        .expect("add")
        .added
        .remove(0);
        let request = AddWorkingCopyRequest {
            record_id: rec.clone(),
            parent_id: parent.id.clone(),
            name: Some("photo (redacted).png".into()),
            bytes: b"\x89PNG\r\n\x1a\n pixels".to_vec(),
        };
        let copy = add_working_copy(&cx, request).expect("copy");
        assert_eq!(copy.parent_id.as_deref(), Some(parent.id.as_str()));
        assert_eq!(copy.parent_sha256.as_deref(), Some(parent.sha256.as_str()));
        let log = evidence_custody(&cx, EvidenceCustodyRequest { id: parent.id.clone() }).expect("custody");
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["intake", "redaction"]);
        let out = tmp.path().join("exported.jpg");
        export_evidence(&cx, ExportEvidenceRequest { id: parent.id.clone(), path: out.display().to_string() })
            .expect("export");
        assert_eq!(std::fs::read(&out).expect("exported"), b"\xff\xd8\xff\xe0 a photo");
        let again =
            export_evidence(&cx, ExportEvidenceRequest { id: parent.id.clone(), path: out.display().to_string() });
        assert_eq!(again.expect_err("never overwrites").code, gawahi_core::ErrorCode::OutputExists);
        open_preview(&cx, OpenPreviewRequest { id: copy.id.clone() }).expect("preview");
        delete_evidence(&cx, DeleteEvidenceRequest { id: copy.id.clone() }).expect("delete");
        assert!(state.previews().is_empty(), "a deleted item's preview closes");
        assert_eq!(list_evidence(&cx, ListEvidenceRequest { record_id: rec }).expect("list").len(), 1);
    }

    /// The court commands take ids, dates, section numbers and draft keys the window sends: a
    /// value the person typed, in any of them, as an unknown id, a bad date, a hostile section
    /// or a key too long, is refused with an error that does not repeat it, and a draft saved
    /// under a key comes back whole and is gone once discarded.
    #[test]
    fn fail_a_copy_too_long_or_malformed_is_refused_without_repeating_it() {
        use serde_json::json;
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let copied = Arc::new(std::sync::Mutex::new(Vec::new()));
        let into = Arc::clone(&copied);
        state.on_copy(crate::state::CopyHook(Box::new(move |text| {
            into.lock().expect("copied").push(text.as_str().to_owned());
        })));
        let cx = Cx::quiet(&state);
        // Any text up to the limit, control and bidi characters included: the clipboard takes
        // text as it is, and the value was shown inert in the window.
        let odd = "fp 12345\u{202e}\u{0}\r\n";
        copy_to_clipboard(&cx, CopyToClipboardRequest { text: odd.into() }).expect("copied");
        let longest = "7".repeat(crate::clipboard::MAX_TEXT);
        copy_to_clipboard(&cx, CopyToClipboardRequest { text: longest.clone() }).expect("the longest");
        let canary = format!("zqxcanary{}", "8".repeat(crate::clipboard::MAX_TEXT));
        let refused = copy_to_clipboard(&cx, CopyToClipboardRequest { text: canary }).expect_err("too long");
        assert_eq!(refused.code, gawahi_core::ErrorCode::InvalidInput);
        assert!(!serde_json::to_string(&refused).expect("json").contains("zqxcanary"));
        assert_eq!(*copied.lock().expect("copied"), [odd.to_owned(), longest]);
        for bad in [json!({"text": 5}), json!({}), json!({"text": "a", "clearAfter": 0}), json!({"text": null})] {
            assert!(serde_json::from_value::<CopyToClipboardRequest>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn fail_court_commands_refuse_bad_input_without_repeating_it() {
        use gawahi_core::model::HearingStatus;
        use serde_json::json;

        const CANARY: &str = "zqxcanary5521";
        let (_tmp, state) = open_state();
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
            HearingsListRequest {
                from: None,
                to: Some(bad_day.clone()),
                today: "2026-01-01".into(),
                offset: None,
                limit: u32::MAX,
            },
        );
        assert_eq!(clean(rows.expect_err("bad to"), "hearings list"), invalid);
        // Huge or zero paging values are bounded, not obeyed.
        let far = hearings_list(
            &cx,
            HearingsListRequest { from: None, to: None, today: "2026-01-01".into(), offset: Some(u32::MAX), limit: 0 },
        )
        .expect("a page past the end");
        assert!(far.rows.is_empty() && far.offset == far.total, "{far:?}");
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
