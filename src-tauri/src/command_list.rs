// Every command the webview may call: its name, its request and its response (every command
// rejects with `IpcError`). This list is the one source: `commands.rs` turns it into the Tauri
// handlers and the TypeScript command map (`ui/src/bindings/Commands.ts`), and `build.rs` into the
// permissions the window's capability grants. A command's body is the function of the same name
// in `commands.rs`.
commands! {
    app_status: AppStatusRequest => AppStatus,
    save_settings: SaveSettingsRequest => Settings,
    create_vault: CreateVaultRequest => VaultInfo,
    unlock_vault: UnlockVaultRequest => VaultInfo,
    lock_vault: LockVaultRequest => (),
    note_activity: NoteActivityRequest => (),
    change_passphrase: ChangePassphraseRequest => PassphraseChangeView,
    dashboard: DashboardRequest => DashboardView,
    list_records: ListRecordsRequest => RecordPage,
    get_record: GetRecordRequest => DetailView,
    add_record: AddRecordRequest => RecordView,
    update_record: UpdateRecordRequest => RecordView,
    delete_record: DeleteRecordRequest => (),
    link_records: LinkRecordsRequest => Link,
    unlink_records: UnlinkRecordsRequest => (),
    vocabularies: VocabulariesRequest => Vec<VocabularyView>,
    hearings_calendar: HearingsCalendarRequest => Vec<HearingView>,
    case_timeline: CaseTimelineRequest => TimelineView,
    list_evidence: ListEvidenceRequest => Vec<EvidenceView>,
    add_evidence_files: AddEvidenceFilesRequest => AddedEvidenceView,
    cancel_intake: CancelIntakeRequest => (),
    add_working_copy: AddWorkingCopyRequest => EvidenceView,
    evidence_custody: EvidenceCustodyRequest => Vec<CustodyEntryView>,
    export_evidence: ExportEvidenceRequest => EvidenceView,
    delete_evidence: DeleteEvidenceRequest => (),
    open_preview: OpenPreviewRequest => PreviewView,
    close_preview: ClosePreviewRequest => (),
    // The vault's identity, its contacts and sealed bundles.
    identity: IdentityRequest => IdentityView,
    list_contacts: ListContactsRequest => Vec<ContactView>,
    add_contact: AddContactRequest => ContactView,
    remove_contact: RemoveContactRequest => (),
    export_bundle: ExportBundleRequest => BundleExportedView,
    verify_bundle: OpenBundleRequest => BundleOutcome,
    import_bundle: OpenBundleRequest => BundleOutcome,
    cancel_bundle: CancelBundleRequest => (),
}
