//! Generates `ui/src/bindings/*.ts` from the Rust types that cross IPC. `make bindings` runs
//! this test; `make test` runs it and fails if the committed files differ from what it writes.

use ts_rs::TS;

use crate::ipc;

#[test]
fn export_bindings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    // JavaScript numbers hold every count a vault will reach; `bigint` would make the UI's
    // arithmetic awkward for nothing.
    let cfg = ts_rs::Config::new().with_out_dir(dir).with_large_int("number");
    macro_rules! export {
        ($($t:ty),* $(,)?) => {
            $( <$t>::export_all(&cfg).unwrap_or_else(|e| panic!("export {}: {e}", stringify!($t))); )*
        };
    }
    export!(
        ipc::IpcError,
        gawahi_core::ErrorCode,
        ipc::RecordView,
        ipc::DetailView,
        ipc::HearingView,
        ipc::DashboardView,
        ipc::RecordPage,
        ipc::VocabularyView,
        ipc::VaultInfo,
        ipc::Settings,
        ipc::AppStatus,
        ipc::VaultProgress,
        ipc::VaultLocked,
        ipc::NoteActivityRequest,
        ipc::TimelineView,
        ipc::AppStatusRequest,
        ipc::SaveSettingsRequest,
        ipc::CreateVaultRequest,
        ipc::UnlockVaultRequest,
        ipc::LockVaultRequest,
        ipc::ChangePassphraseRequest,
        ipc::PassphraseChangeView,
        ipc::DashboardRequest,
        ipc::ListRecordsRequest,
        ipc::GetRecordRequest,
        ipc::AddRecordRequest,
        ipc::UpdateRecordRequest,
        ipc::DeleteRecordRequest,
        ipc::LinkRecordsRequest,
        ipc::UnlinkRecordsRequest,
        ipc::VocabulariesRequest,
        ipc::HearingsCalendarRequest,
        ipc::CaseTimelineRequest,
        gawahi_core::model::Person,
        gawahi_core::model::Organisation,
        gawahi_core::model::Incident,
        gawahi_core::model::Threat,
        gawahi_core::model::Risk,
        gawahi_core::model::Case,
        gawahi_core::model::Hearing,
        gawahi_core::model::Referral,
        gawahi_core::model::Task,
    );
}
