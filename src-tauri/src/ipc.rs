//! Everything that crosses the IPC boundary: one request type per command, the views the UI
//! receives, and the one error type. This module is the only place where Gawahi's data is
//! serialised for the webview; the TypeScript types in `ui/src/bindings` are generated from it.
//!
//! Requests are camelCase (TypeScript's convention); record fields inside them keep the data
//! model's snake_case names, the same the CLI and exports use.

use gawahi_core::error::{Error, ErrorCode, Reason};
use gawahi_core::links::Link;
use gawahi_core::model::{self, Kind};
use gawahi_core::model::{DeadlineFor, HearingStatus};
use gawahi_core::records::Record;
use gawahi_core::search::{ListPage, ListRow};
use gawahi_core::views::{DeadlineRow, Detail, HearingWithCase, LinkedRecord, Summary, TimelineEvent};
use gawahi_core::vocab::Entry;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// The identity's, the contacts' and the bundles' requests and views.
pub mod bundle;
pub mod insights;

/// The error every command returns: a stable code the UI matches on, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// What went wrong, as a stable code (the same the CLI prints with `--json`).
    pub code: ErrorCode,
    /// What went wrong and what to do next, in English (the UI shows its own translation of
    /// the code, and this text only for codes it has no translation for). For invalid input, the
    /// bare explanation: the field is in `field`, never written into the message.
    pub message: String,
    /// The field at fault, for invalid input (`charges[0].section`).
    pub field: Option<String>,
    /// Why the input was invalid, for the UI to say in the user's language.
    pub reason: Option<Reason>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        match e {
            // The core's own text for invalid input starts with "line N: " and "field `…`: ",
            // which the CLI prints; the window gets the parts apart.
            Error::Invalid(i) => {
                Self { code: ErrorCode::InvalidInput, message: i.message, field: i.field, reason: Some(i.reason) }
            }
            e => Self { code: e.code(), message: e.to_string(), field: None, reason: None },
        }
    }
}

/// The result of every command.
pub type IpcResult<T> = Result<T, IpcError>;

/// The event `vault-locked`: the app locked the vault by itself.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultLocked {
    /// Why it locked.
    pub reason: LockReason,
}

/// Why the app locked the vault by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// No activity for the auto-lock minutes.
    Idle,
    /// The computer is going to sleep (logind's `PrepareForSleep`).
    Suspend,
    /// The screen was locked (logind's `Lock`, or a screensaver became active).
    ScreenLock,
}

/// A label, and whether it stands for a withheld name: then the label is empty, and the window
/// says it in its own language (no English wording crosses IPC for the UI to match).
fn label_of(label: String, name_withheld: bool) -> (String, bool) {
    if name_withheld { (String::new(), true) } else { (label, false) }
}

/// A record as the UI sees it: the envelope, and the body typed by its kind (`{kind: 'person',
/// fields: Person} | …`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
    /// UUIDv7.
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// A one-line label; empty when `nameWithheld`.
    pub label: String,
    /// A person without a pseudonym: the list shows a placeholder, never the name.
    pub name_withheld: bool,
    /// A deadline (a task with a deadline's purpose): the UI warns before deleting it, because a
    /// forgotten limitation period cannot be undone.
    pub is_deadline: bool,
    /// The kind and its fields.
    #[serde(flatten)]
    #[ts(flatten)]
    pub body: RecordBody,
}

/// A record's kind and its fields, snake_case, as in `ui/src/bindings/<Kind>.ts`. Serialised from
/// the core's JSON of the body, which is the struct's own.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", content = "fields", rename_all = "snake_case")]
pub enum RecordBody {
    /// A person.
    Person(#[ts(as = "model::Person")] Map<String, Value>),
    /// An organisation.
    Organisation(#[ts(as = "model::Organisation")] Map<String, Value>),
    /// An incident.
    Incident(#[ts(as = "model::Incident")] Map<String, Value>),
    /// A threat.
    Threat(#[ts(as = "model::Threat")] Map<String, Value>),
    /// A risk assessment.
    Risk(#[ts(as = "model::Risk")] Map<String, Value>),
    /// A case.
    Case(#[ts(as = "model::Case")] Map<String, Value>),
    /// A hearing.
    Hearing(#[ts(as = "model::Hearing")] Map<String, Value>),
    /// A referral.
    Referral(#[ts(as = "model::Referral")] Map<String, Value>),
    /// A task.
    Task(#[ts(as = "model::Task")] Map<String, Value>),
}

impl RecordBody {
    fn of(kind: Kind, fields: Map<String, Value>) -> Self {
        match kind {
            Kind::Person => Self::Person(fields),
            Kind::Organisation => Self::Organisation(fields),
            Kind::Incident => Self::Incident(fields),
            Kind::Threat => Self::Threat(fields),
            Kind::Risk => Self::Risk(fields),
            Kind::Case => Self::Case(fields),
            Kind::Hearing => Self::Hearing(fields),
            Kind::Referral => Self::Referral(fields),
            Kind::Task => Self::Task(fields),
        }
    }
}

impl From<Record> for RecordView {
    fn from(r: Record) -> Self {
        let kind = r.kind();
        let (label, name_withheld) = label_of(r.data.label(), r.data.name_withheld());
        Self {
            id: r.id,
            label,
            name_withheld,
            is_deadline: r.data.is_deadline(),
            body: RecordBody::of(kind, r.data.to_json()),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A record as a list shows it: its label and its kind's list columns
/// (`FIELD_RULES`' `list_columns`, with a partial date's precision), kept by the vault beside its
/// search index so that a page of them costs little to read (see `gawahi_core::search::ListRow`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListRowView {
    /// UUIDv7.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// When it last changed (RFC 3339), only where its kind's list shows that
    /// (`FIELD_RULES`' `list_updated`).
    pub updated_at: Option<String>,
    /// A one-line label; empty when `nameWithheld`.
    pub label: String,
    /// A person without a pseudonym: the list shows a placeholder, never the name.
    pub name_withheld: bool,
    /// A deadline (a task with a deadline's purpose).
    pub is_deadline: bool,
    /// The list columns' fields that have a value, snake_case as in the record's body.
    #[ts(type = "Record<string, unknown>")]
    pub fields: Map<String, Value>,
}

impl From<ListRow> for ListRowView {
    fn from(r: ListRow) -> Self {
        let (label, name_withheld) = label_of(r.label, r.name_withheld);
        Self {
            id: r.id,
            kind: r.kind,
            updated_at: r.updated_at,
            label,
            name_withheld,
            is_deadline: r.is_deadline,
            fields: r.fields,
        }
    }
}

/// Enough of a record to show it in a list or a link.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    /// The record's id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Its one-line label; empty when `nameWithheld`.
    pub label: String,
    /// A person without a pseudonym: shown by a placeholder, never the name.
    pub name_withheld: bool,
}

impl From<Summary> for SummaryView {
    fn from(s: Summary) -> Self {
        let (label, name_withheld) = label_of(s.label, s.name_withheld);
        Self { id: s.id, kind: s.kind, label, name_withheld }
    }
}

/// A record at the other end of a link, with the link.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkedView {
    /// The link.
    pub link: Link,
    /// The other record.
    pub other: SummaryView,
    /// Whether the link goes out of the record shown.
    pub outgoing: bool,
}

impl From<LinkedRecord> for LinkedView {
    fn from(l: LinkedRecord) -> Self {
        Self { link: l.link, other: l.other.into(), outgoing: l.outgoing }
    }
}

/// A record with its links, parent and children.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DetailView {
    /// The record.
    pub record: RecordView,
    /// Links both ways.
    pub links: Vec<LinkedView>,
    /// The record it belongs to.
    pub parent: Option<SummaryView>,
    /// The records that belong to it.
    pub children: Vec<SummaryView>,
}

impl From<Detail> for DetailView {
    fn from(d: Detail) -> Self {
        Self {
            record: d.record.into(),
            links: d.links.into_iter().map(Into::into).collect(),
            parent: d.parent.map(Into::into),
            children: d.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// A hearing and its case.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HearingView {
    /// The hearing.
    pub hearing: RecordView,
    /// Its case.
    pub case: SummaryView,
    /// The day this entry stands for: the hearing's date, or a next date noted on it.
    pub date: String,
    /// Whether this entry is a next date noted on the hearing (with no hearing made for it yet),
    /// not the hearing itself.
    pub noted_next_date: bool,
}

impl From<HearingWithCase> for HearingView {
    fn from(h: HearingWithCase) -> Self {
        Self { hearing: h.hearing.into(), case: h.case.into(), date: h.date, noted_next_date: h.noted_next_date }
    }
}

/// The number of records of one kind.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    /// The kind.
    pub kind: Kind,
    /// How many.
    #[ts(type = "number")]
    pub count: u64,
}

/// The dashboard.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// Records per kind.
    pub counts: Vec<KindCount>,
    /// Active threats.
    pub active_threats: Vec<RecordView>,
    /// Hearings in the next 14 days.
    pub upcoming_hearings: Vec<HearingView>,
    /// Open tasks.
    pub open_tasks: Vec<RecordView>,
    /// Recent incidents.
    pub recent_incidents: Vec<RecordView>,
    /// Deadlines overdue or due within the warning days, soonest first.
    pub deadlines: Vec<DeadlineView>,
}

/// A deadline as the dashboard and the deadlines list show it: its due day, what it is for,
/// the record it comes from and how many days are left.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineView {
    /// The day it falls due (`YYYY-MM-DD`).
    pub due_on: String,
    /// What it is for.
    pub deadline: DeadlineFor,
    /// The deadline task's title; absent for a date read from another record, which the UI
    /// names by `deadline`.
    pub title: Option<String>,
    /// The record it comes from: the deadline task, or the hearing or case holding the date.
    pub record_id: String,
    /// That record's kind.
    pub record_kind: Kind,
    /// Whether it is a deadline task (deleted only after a warning) rather than a date read
    /// from another record.
    pub is_task: bool,
    /// The case it concerns, if any.
    pub case: Option<SummaryView>,
    /// The rule its due date was worked out by (`deadline_rules`), if any.
    pub rule: Option<String>,
    /// Days from today to the due date; negative when overdue.
    #[ts(type = "number")]
    pub days_left: i64,
    /// Whether the due date has passed.
    pub overdue: bool,
}

impl From<DeadlineRow> for DeadlineView {
    fn from(d: DeadlineRow) -> Self {
        Self {
            due_on: d.due_on,
            deadline: d.deadline,
            title: d.title,
            record_id: d.record_id,
            record_kind: d.record_kind,
            is_task: d.is_task,
            case: d.case.map(Into::into),
            rule: d.rule,
            days_left: d.days_left,
            overdue: d.overdue,
        }
    }
}

/// What recording a hearing's outcome changed: the hearing, and the next hearing it made when a
/// next date was given.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HearingOutcomeView {
    /// The hearing, marked with its status and outcome.
    pub hearing: RecordView,
    /// The next hearing on the same case.
    pub next: Option<RecordView>,
}

/// A page of a list.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordPage {
    /// The records' list rows, newest first.
    pub items: Vec<ListRowView>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<String>,
    /// How many records of the kind exist (not only those matching a query).
    #[ts(type = "number")]
    pub total: u64,
    /// How many records match the query and filters: given with a filtered list's first page
    /// (counting every match costs more than a page, so not again for each next page); absent
    /// for an unfiltered list and for later pages.
    #[ts(type = "number | null")]
    pub matched: Option<u64>,
}

impl From<ListPage> for RecordPage {
    fn from(p: ListPage) -> Self {
        Self {
            items: p.rows.into_iter().map(Into::into).collect(),
            next_after: p.next_after,
            total: p.total,
            matched: p.matched,
        }
    }
}

/// A vocabulary and its entries.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VocabularyView {
    /// Its name (`districts`).
    pub name: String,
    /// Its entries.
    pub entries: Vec<Entry>,
}

/// The vault that is open.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultInfo {
    /// Its directory.
    pub path: String,
}

/// The user's settings, kept outside the vault (the unlock screen needs them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// `en` or `ur`.
    pub language: String,
    /// Minutes of inactivity before the vault locks itself; 0 never.
    pub auto_lock_minutes: u32,
    /// The vault opened last, as settings files written before this version named it. Read
    /// (the app offers that vault once more, and so can a test's settings file) but never
    /// written back and never sent to the window: the file is rewritten without it at start,
    /// because anyone who opens it would learn where the vault is (`state.rs`).
    #[serde(default, skip_serializing)]
    #[ts(skip)]
    pub last_vault_path: Option<String>,
    /// The main window's size when it was last changed; the window opens at it.
    #[serde(default)]
    pub window_size: Option<WindowSize>,
    /// Camouflage: the window shows a neutral title, name and icon (`camouflage.rs`).
    #[serde(default)]
    pub camouflage: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: "en".into(),
            auto_lock_minutes: 5,
            last_vault_path: None,
            window_size: None,
            camouflage: false,
        }
    }
}

/// A window's inner size in logical pixels (whole ones: the screen's scale is applied by GTK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowSize {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Where the app stands, asked for at start.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// Whether a vault is unlocked.
    pub unlocked: bool,
    /// The vault to offer: the last one opened, or the default location.
    pub vault_path: String,
    /// Whether a vault exists there (unlock) or not (first run).
    pub vault_exists: bool,
    /// The settings.
    pub settings: Settings,
}

impl AppStatus {
    /// A script for the window to run before the page's own, which hands the page this status
    /// as `window.__GAWAHI_START__`: the first screen then needs no IPC round trip (the first
    /// one costs tens of milliseconds while the webview starts). The page still asks `app_status`
    /// afterwards and follows it if it differs (after a reload, say).
    pub fn start_script(&self) -> String {
        // JSON is a JavaScript expression; serde escapes every quote and control character, but
        // not the line and paragraph separators, which JavaScript engines before ES2019 end a
        // string at.
        let json = serde_json::to_string(self)
            .unwrap_or_else(|_| "null".to_owned())
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
        format!("Object.defineProperty(window, '__GAWAHI_START__', {{ value: {json}, configurable: true }});")
    }
}

/// Progress of a long operation, sent as the `vault-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultProgress {
    /// `calibrating`, `deriving`, `rotating` or `done`.
    pub stage: String,
    /// How far the stage has got, from 0 to 1, when that is known (`rotating`).
    pub fraction: Option<f64>,
}

/// Request of `app_status`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppStatusRequest {}

/// Request of `save_settings`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveSettingsRequest {
    /// `en` or `ur`.
    pub language: String,
    /// Minutes before auto-lock; 0 never.
    pub auto_lock_minutes: u32,
    /// Camouflage on or off; left as it is when not given.
    #[serde(default)]
    #[ts(optional)]
    pub camouflage: Option<bool>,
}

/// Request of `create_vault`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateVaultRequest {
    /// The new vault's directory.
    pub path: String,
    /// The passphrase.
    #[ts(type = "string")]
    pub passphrase: SecretString,
    /// How long unlocking should take, in ms (default 1000; a floor applies).
    pub kdf_target_ms: Option<u32>,
}

/// Request of `unlock_vault`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockVaultRequest {
    /// The vault's directory.
    pub path: String,
    /// The passphrase.
    #[ts(type = "string")]
    pub passphrase: SecretString,
}

/// Request of `lock_vault`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LockVaultRequest {}

/// Request of `wipe_vault`: the panic wipe of the open vault and of the app's settings.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WipeVaultRequest {}

/// Request of `note_activity`: the person is using the window (the UI sends it at most every few
/// seconds while they do).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteActivityRequest {}

/// Request of `copy_to_clipboard`: a value the window shows (a hash, a fingerprint, a key),
/// put in the clipboard and cleared from it after 30 seconds.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyToClipboardRequest {
    /// The text, at most 4,096 bytes.
    pub text: String,
}

/// Request of `change_passphrase`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePassphraseRequest {
    /// The current passphrase.
    #[ts(type = "string")]
    pub current: SecretString,
    /// The new one.
    #[ts(type = "string")]
    pub new: SecretString,
    /// Also replace the vault's master key (a key rotation): old copies of the key header and
    /// of the database then open nothing. Takes as long as copying the database.
    pub rotate: bool,
}

/// What a duress passphrase does when entered at the unlock screen.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DuressChoice {
    /// Opens a decoy vault (empty at first; filled by unlocking with the duress passphrase).
    Decoy,
    /// Wipes the vault silently and opens a fresh, empty one.
    Wipe,
}

/// Request of `set_duress`: set the duress passphrase of the open vault, replacing any earlier.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetDuressRequest {
    /// The duress passphrase.
    #[ts(type = "string")]
    pub passphrase: SecretString,
    /// What it does.
    pub mode: DuressChoice,
}

/// Request of `clear_duress`: remove the duress passphrase, if one is set.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClearDuressRequest {}

/// Request of `unlock_limit`: the open vault's failed-unlock limit.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockLimitRequest {}

/// Request of `set_unlock_limit`: wipe after 5, 10 or 20 wrong passphrases in a row, or never.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetUnlockLimitRequest {
    /// 5, 10 or 20; null for no limit.
    pub limit: Option<u32>,
}

/// The failed-unlock limit set.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnlockLimitView {
    /// 5, 10 or 20; null for no limit.
    pub limit: Option<u32>,
}

/// Request of `unlock_attempts`: how many wrong passphrases the vault at `path` still takes
/// (asked by the unlock screen, before unlocking, for the warning before the last try).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockAttemptsRequest {
    /// The vault's directory.
    pub path: String,
}

/// How many wrong passphrases are left before the vault is wiped.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnlockAttemptsView {
    /// Null without a limit; 1 means the next wrong passphrase wipes the vault.
    pub left: Option<u32>,
}

/// Request of `recovery_split`: split the open vault's key into `shares`, any `threshold` of
/// which set a new passphrase.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecoverySplitRequest {
    /// How many shares restore the vault (1 to `shares`).
    pub threshold: u32,
    /// How many shares to make (1 to 255).
    pub shares: u32,
}

/// One recovery share, to be shown and printed (never written to a file by the app).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryShareView {
    /// This share's number (1 to `count`).
    pub number: u8,
    /// How many shares were made.
    pub count: u8,
    /// How many restore the vault.
    pub threshold: u8,
    /// The vault it belongs to, as printed on it.
    pub vault_id: String,
    /// The share's 38 words.
    pub words: Vec<String>,
    /// Its QR code, an SVG document.
    pub qr_svg: String,
}

/// What `change_passphrase` did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseChangeView {
    /// Whether the master key was replaced too.
    pub rotated: bool,
}

/// Request of `dashboard`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DashboardRequest {
    /// The user's local date, `YYYY-MM-DD`.
    pub today: String,
}

/// Request of `list_records`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListRecordsRequest {
    /// The kind to list.
    pub kind: Kind,
    /// Start after this id (the previous page's `nextAfter`).
    pub after: Option<String>,
    /// Page size (at most 1000).
    pub limit: u32,
    /// Only records whose text contains this.
    pub query: Option<String>,
    /// Only records within these facets (the search screen's, or the list's own filter bar).
    pub filters: Option<gawahi_core::search::Filters>,
}

/// Request of `get_record`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRecordRequest {
    /// The record's id.
    pub id: String,
}

/// Request of `add_record`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddRecordRequest {
    /// The kind.
    pub kind: Kind,
    /// The fields, snake_case.
    #[ts(type = "Record<string, unknown>")]
    pub fields: Map<String, Value>,
}

/// Request of `update_record`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateRecordRequest {
    /// The record's id.
    pub id: String,
    /// The fields to change (null clears).
    #[ts(type = "Record<string, unknown>")]
    pub fields: Map<String, Value>,
}

/// Request of `delete_record`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteRecordRequest {
    /// The record's id.
    pub id: String,
}

/// Request of `link_records`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkRecordsRequest {
    /// The source record.
    pub from_id: String,
    /// The target record.
    pub to_id: String,
    /// The role, from `link_roles`.
    pub role: String,
}

/// Request of `unlink_records`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlinkRecordsRequest {
    /// The link's id.
    pub link_id: String,
}

/// Request of `vocabularies`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VocabulariesRequest {}

/// Request of `hearings_calendar`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HearingsCalendarRequest {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
}

/// Request of `case_timeline`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseTimelineRequest {
    /// The case's id.
    pub case_id: String,
}

/// Request of `record_hearing_outcome`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordHearingOutcomeRequest {
    /// The hearing's id.
    pub hearing_id: String,
    /// What became of it (anything but scheduled).
    pub status: HearingStatus,
    /// What the court did, if written.
    pub outcome: Option<String>,
    /// The next date the court fixed (`YYYY-MM-DD`): creates the next hearing.
    pub next_date: Option<String>,
}

/// Request of `hearings_list`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HearingsListRequest {
    /// First day, `YYYY-MM-DD`; from the first hearing when absent.
    pub from: Option<String>,
    /// Last day, inclusive; to the last hearing when absent.
    pub to: Option<String>,
    /// The user's local date, which a stored hearing's status is read against.
    pub today: String,
    /// Where the page starts in the whole list; the page holding today's hearings when absent.
    pub offset: Option<u32>,
    /// The most rows on the page (at most `MAX_HEARINGS_PAGE`).
    pub limit: u32,
}

/// Request of `cause_list`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CauseListRequest {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// The user's local date.
    pub today: String,
}

/// Request of `upcoming_hearings`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpcomingHearingsRequest {
    /// The user's local date.
    pub today: String,
    /// How many days ahead.
    pub days: u32,
}

/// Request of `deadlines`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeadlinesRequest {
    /// The user's local date.
    pub today: String,
    /// How many days ahead; overdue ones are always included.
    pub within_days: u32,
}

/// Request of `add_deadline_from_event`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddDeadlineFromEventRequest {
    /// The rule (`deadline_rules` code).
    pub rule: String,
    /// The record whose date the deadline runs from.
    pub record_id: String,
    /// The period in days, when the user sets one other than the rule's.
    pub days: Option<u32>,
    /// The deadline's title, when the user writes one.
    pub title: Option<String>,
}

/// Request of `search`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchRequest {
    /// What the user typed (may be empty when a filter is chosen).
    pub query: String,
    /// The facets chosen.
    pub filters: gawahi_core::search::Filters,
    /// At most this many hits of each kind (at most 100).
    pub limit: u32,
}

/// Request of `facet_counts`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FacetCountsRequest {
    /// What the user typed (may be empty).
    pub query: String,
    /// The facets chosen.
    pub filters: gawahi_core::search::Filters,
}

/// Request of `find_sections`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FindSectionsRequest {
    /// What the lawyer typed (`26A`, `PECA 26-A`, `dignity`).
    pub query: String,
}

/// Request of `add_own_section`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddOwnSectionRequest {
    /// The statute's code (`ppc_1860`).
    pub statute: String,
    /// The section as the statute writes it (`34`, `26-A`).
    pub section: String,
    /// English label, if written.
    pub en: Option<String>,
    /// Urdu label, if written.
    pub ur: Option<String>,
}

/// Request of `save_draft`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveDraftRequest {
    /// The form's key (`edit/<record id>`, `new/case`).
    pub key: String,
    /// The form's values.
    #[ts(type = "unknown")]
    pub body: Value,
}

/// Request of `load_draft` and `discard_draft`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DraftKeyRequest {
    /// The form's key.
    pub key: String,
}

/// A case's timeline.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineView {
    /// Events in date order.
    pub events: Vec<TimelineEvent>,
}

/// An evidence item as the window shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceView {
    /// UUIDv7.
    pub id: String,
    /// The record it belongs to.
    pub record_id: String,
    /// The file's name as it was (shown isolated: it may hold any script or control).
    pub original_name: Option<String>,
    /// Bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// The SHA-256 taken at intake (lowercase hex).
    pub sha256: String,
    /// The media type its content shows.
    pub media_type: String,
    /// It carries a location (EXIF GPS).
    pub has_location: bool,
    /// It names the device that made it (EXIF make, model, serial number, owner).
    pub has_device_info: bool,
    /// When it was obtained (a partial date), if known.
    pub acquired_at: Option<String>,
    /// Who obtained it.
    pub acquired_by: Option<String>,
    /// Where it came from.
    pub source: Option<String>,
    /// When it was added (RFC 3339, UTC).
    pub added_at: String,
    /// For a working copy: the item it was made from.
    pub parent_id: Option<String>,
    /// For a working copy: the parent's SHA-256 when the copy was made.
    pub parent_sha256: Option<String>,
    /// What the file's own metadata says of the camera, the time and the place.
    pub capture: Option<CaptureView>,
}

/// The camera, time and place a file's metadata states (see `gawahi_core::evidence::Capture`):
/// texts as the file has them, coordinates as decimal strings.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaptureView {
    /// The camera's maker.
    pub camera_make: Option<String>,
    /// Its model.
    pub camera_model: Option<String>,
    /// When it was taken (`YYYY-MM-DDTHH:MM:SS`, and the offset from UTC when known).
    pub taken_at: Option<String>,
    /// Latitude, decimal degrees.
    pub latitude: Option<String>,
    /// Longitude, decimal degrees.
    pub longitude: Option<String>,
    /// Altitude, metres.
    pub altitude: Option<String>,
}

impl From<gawahi_core::evidence::Capture> for CaptureView {
    fn from(c: gawahi_core::evidence::Capture) -> Self {
        Self {
            camera_make: c.camera_make,
            camera_model: c.camera_model,
            taken_at: c.taken_at,
            latitude: c.latitude,
            longitude: c.longitude,
            altitude: c.altitude,
        }
    }
}

impl From<gawahi_core::evidence::EvidenceItem> for EvidenceView {
    fn from(i: gawahi_core::evidence::EvidenceItem) -> Self {
        Self {
            id: i.id,
            record_id: i.record_id,
            original_name: i.original_name,
            size: i.size,
            sha256: i.sha256,
            media_type: i.media_type,
            has_location: i.has_location,
            has_device_info: i.has_device_info,
            acquired_at: i.acquired_at,
            acquired_by: i.acquired_by,
            source: i.source,
            added_at: i.added_at,
            parent_id: i.parent_id,
            parent_sha256: i.parent_sha256,
            capture: i.capture.map(CaptureView::from),
        }
    }
}

/// One entry of an item's custody log.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustodyEntryView {
    /// Its place in the chain, from 1.
    #[ts(type = "number")]
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What was done (`intake`, `view`, `export`, `verify`, `delete`, `redaction`, `copy`).
    pub action: String,
    /// What the vault adds (hashes, the copy made), never anything typed.
    pub detail: Option<String>,
    /// This entry's hash.
    pub hash: String,
}

impl From<gawahi_core::evidence::CustodyEntry> for CustodyEntryView {
    fn from(e: gawahi_core::evidence::CustodyEntry) -> Self {
        Self { seq: e.seq, at: e.at, action: e.action, detail: e.detail, hash: e.hash }
    }
}

/// Request of `list_evidence`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListEvidenceRequest {
    /// The record.
    pub record_id: String,
}

/// Request of `add_evidence_files`: files the person chose in the file dialog or dropped on the
/// window.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddEvidenceFilesRequest {
    /// The record they go to.
    pub record_id: String,
    /// Their paths, as the dialog or the drop gave them.
    pub paths: Vec<String>,
}

/// What `add_evidence_files` did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddedEvidenceView {
    /// The items added, in the order given.
    pub added: Vec<EvidenceView>,
    /// The person cancelled: the file being read then was not added, nor those after it.
    pub cancelled: bool,
}

/// The event `evidence-progress`: how far the intake of several files has got.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceProgress {
    /// The file being read, from 0.
    pub file: u32,
    /// How many files.
    pub files: u32,
    /// Bytes of it read so far.
    #[ts(type = "number")]
    pub done: u64,
    /// Its size, when known.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// Request of `cancel_intake`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelIntakeRequest {}

/// Request of `add_working_copy`. It is not JSON: the image travels as the raw body of the call
/// (no megabytes of JSON numbers), and these fields as JSON in the `Gawahi-Request` header
/// (`ui/src/lib/ipc.ts` sends both).
#[derive(Debug, TS)]
#[ts(rename_all = "camelCase")]
pub struct AddWorkingCopyRequest {
    /// The record the window shows.
    pub record_id: String,
    /// The item the copy was made from.
    pub parent_id: String,
    /// The copy's name.
    pub name: Option<String>,
    /// The copy's bytes (the raw body; never in the header).
    #[ts(skip)]
    pub bytes: Vec<u8>,
}

/// The header of `add_working_copy`'s call: its fields but the bytes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WorkingCopyHeader {
    record_id: String,
    parent_id: String,
    name: Option<String>,
}

/// The name of the header that carries a raw call's fields.
pub const REQUEST_HEADER: &str = "gawahi-request";

impl AddWorkingCopyRequest {
    /// Reads the call: the fields from the header, the bytes from the raw body. Anything else (a
    /// JSON body, no header, a header that is not the fields) is invalid input, named without
    /// repeating it.
    pub fn from_parts(header: Option<&[u8]>, body: &tauri::ipc::InvokeBody) -> Result<Self, IpcError> {
        let invalid = |field: &str, message: &str| IpcError {
            code: ErrorCode::InvalidInput,
            message: message.to_owned(),
            field: Some(field.to_owned()),
            reason: Some(Reason::WrongType),
        };
        let tauri::ipc::InvokeBody::Raw(bytes) = body else {
            return Err(invalid("bytes", "expected the image as the raw body of the call"));
        };
        let header = header.ok_or_else(|| invalid("request", "expected the request's fields in its header"))?;
        let h: WorkingCopyHeader = serde_json::from_slice(header)
            .map_err(|_| invalid("request", "expected recordId, parentId and name as JSON in the header"))?;
        Ok(Self { record_id: h.record_id, parent_id: h.parent_id, name: h.name, bytes: bytes.clone() })
    }
}

impl<'de, R: tauri::Runtime> tauri::ipc::CommandArg<'de, R> for AddWorkingCopyRequest {
    fn from_command(command: tauri::ipc::CommandItem<'de, R>) -> Result<Self, tauri::ipc::InvokeError> {
        let header = command.message.headers().get(REQUEST_HEADER).map(tauri::http::HeaderValue::as_bytes);
        Self::from_parts(header, command.message.payload())
            .map_err(|e| tauri::ipc::InvokeError(serde_json::to_value(e).unwrap_or_default()))
    }
}

/// Request of `evidence_custody`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvidenceCustodyRequest {
    /// The item.
    pub id: String,
}

/// Request of `export_evidence`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportEvidenceRequest {
    /// The item.
    pub id: String,
    /// Where to write the original (a new file; nothing is overwritten).
    pub path: String,
}

/// Request of `delete_evidence`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteEvidenceRequest {
    /// The item.
    pub id: String,
}

/// Request of `open_preview`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenPreviewRequest {
    /// The item.
    pub id: String,
}

/// Request of `evidence_thumbnail`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvidenceThumbnailRequest {
    /// The item (a JPEG or PNG).
    pub id: String,
}

/// A thumbnail made in memory (see `gawahi_core::evidence::thumbnail`): the window draws its
/// pixels into a canvas, so no URL is loaded and nothing reaches a cache.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ThumbnailView {
    /// Width in pixels (at most 160).
    pub width: u32,
    /// Height in pixels (at most 160).
    pub height: u32,
    /// Its RGBA pixels, row by row, base64.
    pub rgba_base64: String,
}

impl Drop for ThumbnailView {
    /// The pixels are a picture of the evidence: wiped once the view has been sent (the core's
    /// `Thumbnail` wipes its own; this is the copy made for the window). Tauri's serialised
    /// copy of the response is Tauri's, freed without wiping.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.rgba_base64);
    }
}

/// Request of `close_preview`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClosePreviewRequest {
    /// The item.
    pub id: String,
}

/// A preview opened: where the webview reads it from.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewView {
    /// The item's address on the app's evidence protocol, decrypted in memory as it is read.
    pub url: String,
    /// Its media type.
    pub media_type: String,
    /// Bytes.
    #[ts(type = "number")]
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use gawahi_core::error::Invalid;

    #[test]
    fn every_error_crosses_ipc_with_its_snake_case_code() {
        let cases: Vec<(Error, &str)> = vec![
            (Error::WrongPassphrase, "wrong_passphrase"),
            (Error::VaultNotFound("/x".into()), "vault_not_found"),
            (Error::VaultExists("/x".into()), "vault_exists"),
            (Error::CorruptHeader("checksum mismatch"), "corrupt_header"),
            (Error::UnsupportedVersion(9), "unsupported_version"),
            (Error::CorruptDatabase, "corrupt_database"),
            (Error::CheckFailed("x".into()), "check_failed"),
            (Error::Locked, "locked"),
            (Error::RecordNotFound("id".into()), "record_not_found"),
            (Invalid::field("title", Reason::Required, "is required").into(), "invalid_input"),
            (Error::Busy, "busy"),
            (Error::Database("x".into()), "database"),
        ];
        for (error, code) in cases {
            let json = serde_json::to_value(IpcError::from(error)).expect("json");
            assert_eq!(json["code"], code);
            assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }

    #[test]
    fn invalid_input_carries_the_field() {
        let e: Error = Invalid::field("charges[0].section", Reason::NotInVocabulary, "unknown section").into();
        let json = serde_json::to_value(IpcError::from(e)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "unknown section",
                "field": "charges[0].section",
                "reason": "not_in_vocabulary"
            })
        );
    }

    #[test]
    fn invalid_input_from_an_import_line_carries_neither_prefix() {
        let e: Error = Invalid::field("title", Reason::Required, "is required").at_line(7).into();
        assert_eq!(e.to_string(), "line 7: field `title`: is required", "the CLI's wording");
        let sent = IpcError::from(e);
        assert_eq!((sent.message.as_str(), sent.field.as_deref()), ("is required", Some("title")));
    }

    #[test]
    fn a_withheld_name_is_a_flag_not_a_label() {
        use gawahi_core::model::{Person, RecordData};
        let record = |person: Person| Record {
            id: "id".into(),
            created_at: String::new(),
            updated_at: String::new(),
            data: RecordData::Person(person),
        };
        let named = RecordView::from(record(Person { name: Some("Real Name".into()), ..Person::default() }));
        assert!(named.name_withheld);
        assert_eq!(named.label, "");
        let anonymous = RecordView::from(record(Person { anonymous: true, ..Person::default() }));
        assert!(anonymous.name_withheld);
        let literal =
            RecordView::from(record(Person { pseudonym: Some("(name withheld)".into()), ..Person::default() }));
        assert!(!literal.name_withheld, "a pseudonym that reads like the placeholder is still a pseudonym");
        let known = RecordView::from(record(Person { pseudonym: Some("Bulbul".into()), ..Person::default() }));
        assert!(!known.name_withheld);
        assert_eq!(known.label, "Bulbul");
        let json = serde_json::to_value(&known).expect("json");
        assert_eq!(json["kind"], "person");
        assert_eq!(json["fields"]["pseudonym"], "Bulbul");
        assert_eq!(json["nameWithheld"], false);
    }

    #[test]
    fn requests_are_camel_case_and_strict() {
        let r: LinkRecordsRequest =
            serde_json::from_str(r#"{"fromId": "a", "toId": "b", "role": "victim"}"#).expect("parse");
        assert_eq!((r.from_id.as_str(), r.to_id.as_str()), ("a", "b"));
        assert!(serde_json::from_str::<LinkRecordsRequest>(r#"{"from_id": "a", "toId": "b", "role": "v"}"#).is_err());
    }

    /// `deny_unknown_fields` on the internally tagged `ReportChoice` is one ts-rs 12.0.1 does not
    /// read on an enum (it warns and ignores it; the TypeScript type is the same either way), so
    /// this shows that serde still keeps to it: a misspelt field of a report is refused, not
    /// dropped.
    #[test]
    fn fail_a_report_choice_with_a_field_it_does_not_have_is_refused() {
        use insights::ReportChoice;
        let parse = |s: &str| serde_json::from_str::<ReportChoice>(s);
        assert_eq!(
            parse(r#"{"report": "dossier", "caseId": "c"}"#).expect("dossier"),
            ReportChoice::Dossier { case_id: "c".into() }
        );
        assert!(parse(r#"{"report": "dossier", "caseId": "c", "case_id": "d"}"#).is_err());
        assert!(parse(r#"{"report": "cause_list", "from": "2026-01-01", "to": "2026-01-07", "until": "x"}"#).is_err());
        assert_eq!(parse(r#"{"report": "summary"}"#).expect("summary"), ReportChoice::Summary {});
        assert!(parse(r#"{"report": "summary", "anonymise": true}"#).is_err());
    }
}
