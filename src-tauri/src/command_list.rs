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
    record_hearing_outcome: RecordHearingOutcomeRequest => HearingOutcomeView,
    hearings_list: HearingsListRequest => Vec<HearingRow>,
    cause_list: CauseListRequest => Vec<CauseListCourt>,
    upcoming_hearings: UpcomingHearingsRequest => Vec<HearingView>,
    deadlines: DeadlinesRequest => Vec<DeadlineView>,
    add_deadline_from_event: AddDeadlineFromEventRequest => RecordView,
    find_sections: FindSectionsRequest => Vec<SectionMatch>,
    add_own_section: AddOwnSectionRequest => Entry,
    save_draft: SaveDraftRequest => (),
    load_draft: DraftKeyRequest => Option<Draft>,
    discard_draft: DraftKeyRequest => bool,
}
