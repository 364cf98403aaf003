//! Errors of the vault, one variant per failure a user or a script can act on.
//!
//! Messages never contain record contents, passphrases or keys; they say what went wrong and
//! what to do next. [`Error::code`] gives the stable machine-readable code that the CLI prints
//! with `--json` and the desktop shell sends over IPC.

use std::path::PathBuf;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when using a vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The passphrase does not open any key slot of this vault.
    #[error("wrong passphrase: it does not open this vault; check the keyboard layout and try again")]
    WrongPassphrase,

    /// There is no vault at this path. (The path is kept for the caller; the message does not
    /// repeat it, since it is something the user typed.)
    #[error("no vault at the path given: check the path, or create one with `gawahi init`")]
    VaultNotFound(PathBuf),

    /// A vault (or some other non-empty directory) already exists where a new one was asked for.
    #[error("the directory given already exists and is not empty: choose a new directory for the vault")]
    VaultExists(PathBuf),

    /// The key header is damaged: its checksum or structure is wrong.
    #[error("the vault's key header is damaged ({0}); restore the vault directory from a backup")]
    CorruptHeader(&'static str),

    /// The key header was written by a newer Gawahi.
    #[error("this vault was made by a newer Gawahi (format {0}); update Gawahi to open it")]
    UnsupportedVersion(u32),

    /// The database records schema changes this build does not know: a newer Gawahi made or
    /// opened the vault. Nothing was changed.
    #[error(
        "this vault was made or opened by a newer Gawahi (its database has changes this version does not know); update Gawahi to open it. Nothing was changed"
    )]
    NewerSchema,

    /// The encrypted database is damaged or was tampered with: a page failed its MAC, the file is
    /// truncated, or SQLite found it malformed.
    #[error(
        "the vault database is damaged or was tampered with; nothing from the damaged part is shown. Run `gawahi check` and restore from a backup"
    )]
    CorruptDatabase,

    /// The key header is there but the database it belongs to is not.
    #[error(
        "the vault's database (vault.db) is missing: the records are gone from this copy. Restore the whole vault directory from a backup"
    )]
    DatabaseMissing,

    /// The database file is empty: it was truncated to nothing or replaced by an empty file.
    #[error(
        "the vault's database (vault.db) is empty: it was emptied or replaced, and every record is gone from this copy. Do not write to it; restore the vault directory from a backup"
    )]
    DatabaseEmpty,

    /// The database file is shorter than it must be: cut off part way.
    #[error(
        "the vault's database (vault.db) is truncated: part of it is missing. Do not write to it; restore the vault directory from a backup"
    )]
    DatabaseTruncated,

    /// The database file is not the one this key header belongs to: another vault's database, an
    /// older copy from before a key rotation, or some other file put in its place.
    #[error(
        "the vault's database (vault.db) does not belong to this key header: it is another vault's, an old copy from before a key rotation, or another file put in its place. Restore the vault directory from a backup, keeping header and database together"
    )]
    DatabaseForeign,

    /// The disk is full: nothing could be written, and nothing already saved was lost.
    #[error("the disk is full: nothing was changed. Free some space and try again; what is saved is safe")]
    DiskFull,

    /// The vault is on read-only media (or its files cannot be written): reading works, writing
    /// does not.
    #[error(
        "the vault is on read-only media (or its files cannot be written): reading works, writing does not. Copy the vault to writable storage to change it"
    )]
    ReadOnly,

    /// The vault cannot be written where it is (read-only media, a full disk) and was not closed
    /// cleanly: its last changes are in the write-ahead log, which SQLite reads only where it
    /// can write. Reading it without them would show an older state, so it is not read.
    #[error(
        "the vault was not closed cleanly and its last changes are still in its journal (vault.db-wal), which can only be read where the vault can be written: copy the vault's folder to writable storage, or free some space, to open it. Nothing was changed"
    )]
    UnsavedJournal,

    /// The key header is fine and the passphrase opened it, but this build cannot open the
    /// database because another Gawahi is in the middle of replacing the vault's key.
    #[error("the vault is being re-keyed by another Gawahi right now; wait for it to finish, then try again")]
    RotationInProgress,

    /// A cryptographic operation failed (the system's random number generator, sealing a key).
    /// This is a bug or a broken system, never bad input; nothing was changed.
    #[error("a cryptographic operation failed ({0}); nothing was changed. This is a bug or a broken system library")]
    Crypto(&'static str),

    /// Something this build ships is broken (a vocabulary file that does not parse): a bug in
    /// Gawahi, never the user's doing. Nothing was changed.
    #[error("an internal error ({0}): this is a bug in this build of Gawahi; nothing was changed")]
    Bug(&'static str),

    /// There is not enough free memory to derive the key from the passphrase.
    #[error("not enough free memory to derive the key from the passphrase; close other programs and try again")]
    OutOfMemory,

    /// An integrity check found problems (see [`crate::vault::CheckReport`]).
    #[error("integrity check failed: {0}")]
    CheckFailed(String),

    /// The vault is locked: unlock it before reading or writing records.
    #[error("the vault is locked: unlock it with the passphrase first")]
    Locked,

    /// No record with this id exists in the vault. (The id is kept for the caller; the message does
    /// not repeat it.)
    #[error("no record has the id given: it may have been deleted; list records to find the right id")]
    RecordNotFound(String),

    /// No evidence item with this id exists in the vault. (The id is kept for the caller; the
    /// message does not repeat it.)
    #[error("no evidence item has the id given: it may have been deleted; list the evidence to find the right id")]
    EvidenceNotFound(String),

    /// An evidence file in `blobs/` failed authentication: a flipped bit, a cut, chunks reordered,
    /// bytes appended or another file put in its place. Nothing from the damaged part was returned.
    #[error(
        "an evidence file was damaged or tampered with: nothing from the damaged part is shown. Run `gawahi evidence verify` and restore the vault from a backup"
    )]
    EvidenceTampered,

    /// An evidence item's encrypted file is missing from `blobs/`.
    #[error(
        "an evidence item's encrypted file is missing from the vault's blobs folder: restore the vault from a backup"
    )]
    EvidenceMissing,

    /// An evidence file decrypted and authenticated, but its SHA-256 is not the one recorded at
    /// intake: the database's record of it was changed.
    #[error(
        "an evidence item's SHA-256 does not match the one recorded at intake: do not rely on it; run `gawahi check` and restore from a backup"
    )]
    EvidenceMismatch,

    /// The file given to be added as evidence could not be read to its end. Nothing was added.
    #[error("the file given could not be read to its end: nothing was added")]
    EvidenceUnreadable,

    /// A file to write (an export of evidence) already exists; nothing is ever overwritten.
    #[error("the file given already exists: choose a new name; nothing was overwritten")]
    OutputExists,

    /// Input was rejected; nothing was saved.
    #[error("{0}")]
    Invalid(#[from] Invalid),

    /// A sealed bundle failed one of its checks (which one is in the message and in
    /// [`crate::bundle::reader::BundleCheck`]). Nothing from it was imported.
    #[error("the bundle failed a check: {0}. Nothing from it was imported; ask the sender for a new one")]
    BundleRejected(crate::bundle::reader::BundleCheck),

    /// A sealed bundle was made by a newer Gawahi, in a format version this build cannot read.
    #[error("the bundle was made by a newer Gawahi (format version {0}): update Gawahi to open it")]
    BundleTooNew(u32),

    /// A panic wipe could not do every step (a read-only folder or file inside the vault, say);
    /// every other step was done. Whether the key header was destroyed is said: while it is, what
    /// is left cannot be opened. Running the wipe again (or opening the vault) retries.
    #[error("the wipe is incomplete: {0}. Fix the cause (read-only media or folder) and run the wipe again")]
    WipeIncomplete(crate::vault::WipeFailures),

    /// The vault's folder holds one of its files under both its own name and its neutral one
    /// (camouflage, `crate::files`): a copy put back beside the vault, say. Neither is used, so
    /// that the wrong one is never opened or written; nothing was changed. Move the one that does
    /// not belong out of the folder.
    #[error(
        "the vault's folder holds one of its files twice, under its own name and under a neutral one: nothing was \
         changed. Move the copy that does not belong out of the folder"
    )]
    FileNamesClash,

    /// The recovery shares given cannot restore this vault's key (which share and why is in
    /// [`crate::shares::ShareProblem`]). Nothing was changed.
    #[error("the recovery shares cannot restore this vault: {0}. Nothing was changed")]
    RecoveryShares(crate::shares::ShareProblem),

    /// No contact has the name or id given. (Neither is repeated in the message.)
    #[error("no contact has the name or id given: list the contacts to find it")]
    ContactNotFound,

    /// The work was stopped as asked (a progress callback said so); nothing was left behind.
    #[error("stopped as asked: nothing was kept of what was being written")]
    Cancelled,

    /// The database is busy with another program (for instance an import in a second Gawahi on
    /// the same vault). Nothing was changed.
    #[error(
        "the vault is busy in another program (an import, or the app): nothing was changed. Try again when it is done"
    )]
    Busy,

    /// A file-system operation failed. The message names the file only if it is one of the
    /// vault's own (`vault.header`), never the path, which holds what the user typed.
    #[error("could not {action} {}: {source}", shown_name(path))]
    Io {
        /// What was being done, in a few words ("read", "write", "create directory").
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The database reported an error that is none of the above (a full disk, read-only media,
    /// damage and a busy vault have their own variants): a bug or a failing disk. The message
    /// names SQLite's error code only, never a value.
    #[error(
        "database error: {0}; nothing was changed. If it happens again, the disk may be failing: copy the vault elsewhere"
    )]
    Database(String),
}

/// Why input was rejected, as a stable code: the message says it in English for the CLI, and the
/// UI says it in the user's language from this code (never from the English wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A required field is empty or missing.
    Required,
    /// A text is longer than its field allows.
    TooLong,
    /// A one-line field has a line break.
    NotOneLine,
    /// A code is not in the vocabulary the field draws from.
    NotInVocabulary,
    /// A district is not in the province given.
    DistrictNotInProvince,
    /// A case status does not apply to the case's kind.
    StatusNotForCaseKind,
    /// Details of one kind of case (a disappearance, say) on a case of another kind.
    DetailsNotForCaseKind,
    /// A person has neither a name nor a pseudonym.
    NameOrPseudonym,
    /// A community (ethnic or religious) without consent to store it.
    CommunityWithoutConsent,
    /// A level (threat, vulnerability, capacity) outside 1 to 5.
    NotALevel,
    /// A latitude or longitude out of range.
    NotACoordinate,
    /// Not a calendar date (`2024-03-05`).
    NotADay,
    /// Not a date of any precision.
    NotAPartialDate,
    /// A date whose shape and stated precision disagree.
    PrecisionMismatch,
    /// A precision without a date.
    PrecisionWithoutDate,
    /// A reference to a record that does not exist.
    NoSuchRecord,
    /// A reference to a record of the wrong kind.
    WrongKind,
    /// A field the record kind does not have.
    UnknownField,
    /// A value of the wrong JSON type.
    WrongType,
    /// A field the vault keeps itself (id, timestamps), given or changed by the caller.
    KeptByVault,
    /// An id given for a new record (in an import) that another record has.
    IdTaken,
    /// A record that others depend on, asked to be deleted.
    HasDependents,
    /// A link to the record itself.
    LinkToItself,
    /// A link that already exists.
    AlreadyLinked,
    /// A new passphrase that is too short.
    PassphraseTooShort,
    /// A code or label for a vocabulary that is malformed or taken.
    BadVocabularyEntry,
    /// An import line that is not a JSON object with a known `kind`.
    BadImportLine,
    /// A file named in the input cannot be read.
    UnreadableFile,
    /// A new passphrase and its confirmation differ.
    PassphrasesDiffer,
    /// A text holds a NUL character, which no field accepts.
    NulCharacter,
    /// Not a CNIC: 13 digits, as 12345-1234567-1 or without dashes.
    NotACnic,
    /// Not a phone number.
    NotAPhoneNumber,
    /// A hearing's outcome must be what happened (held, adjourned, not taken up, decided).
    NotAnOutcome,
    /// The next date must come after the hearing's date.
    NextDateNotAfter,
    /// This hearing's outcome was already recorded with a next hearing; change that one instead.
    OutcomeAlreadyRecorded,
    /// A public key (an age recipient, an SSH key, a fingerprint) is not in the form expected.
    BadKey,
    /// Another entry already has this name (a contact's).
    NameTaken,
    /// A number outside the range the field allows (a recovery share count).
    OutOfRange,
    /// A duress passphrase that is the vault's own passphrase.
    SameAsPassphrase,
}

/// Input that was rejected, naming the field (and the line of an import) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default(), field.as_ref().map(|f| format!("field `{f}`: ")).unwrap_or_default())]
pub struct Invalid {
    /// The JSON path of the offending field (`charges[0].section`), if one field is at fault.
    pub field: Option<String>,
    /// The 1-based line of an import file, if the input came from one.
    pub line: Option<usize>,
    /// Why, as a code.
    pub reason: Reason,
    /// What is wrong and what is expected, in English.
    pub message: String,
}

impl Invalid {
    /// Rejects the field at `field` for `reason`, explained by `message`.
    pub fn field(field: impl Into<String>, reason: Reason, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), line: None, reason, message: message.into() }
    }

    /// Rejects the input as a whole for `reason`, explained by `message`.
    pub fn whole(reason: Reason, message: impl Into<String>) -> Self {
        Self { field: None, line: None, reason, message: message.into() }
    }

    /// Attaches the line of an import file.
    #[must_use]
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Prefixes the field path with `parent`, for errors found inside a nested object.
    #[must_use]
    pub fn within(mut self, parent: &str) -> Self {
        self.field = Some(match self.field {
            Some(f) if f.starts_with('[') => format!("{parent}{f}"),
            Some(f) => format!("{parent}.{f}"),
            None => parent.to_owned(),
        });
        self
    }
}

/// The stable, machine-readable code of an [`Error`]. These strings are a contract: the CLI prints
/// them with `--json`, the desktop shell sends them over IPC and the UI matches on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// See [`Error::WrongPassphrase`].
    WrongPassphrase,
    /// See [`Error::VaultNotFound`].
    VaultNotFound,
    /// See [`Error::VaultExists`].
    VaultExists,
    /// See [`Error::CorruptHeader`].
    CorruptHeader,
    /// See [`Error::UnsupportedVersion`].
    UnsupportedVersion,
    /// See [`Error::NewerSchema`].
    NewerSchema,
    /// See [`Error::CorruptDatabase`].
    CorruptDatabase,
    /// See [`Error::DatabaseMissing`].
    DatabaseMissing,
    /// See [`Error::DatabaseEmpty`].
    DatabaseEmpty,
    /// See [`Error::DatabaseTruncated`].
    DatabaseTruncated,
    /// See [`Error::DatabaseForeign`].
    DatabaseForeign,
    /// See [`Error::DiskFull`].
    DiskFull,
    /// See [`Error::ReadOnly`].
    ReadOnly,
    /// See [`Error::RotationInProgress`].
    RotationInProgress,
    /// See [`Error::UnsavedJournal`].
    UnsavedJournal,
    /// See [`Error::Crypto`].
    Crypto,
    /// See [`Error::OutOfMemory`].
    OutOfMemory,
    /// See [`Error::Bug`].
    Bug,
    /// See [`Error::CheckFailed`].
    CheckFailed,
    /// See [`Error::Locked`].
    Locked,
    /// See [`Error::RecordNotFound`].
    RecordNotFound,
    /// See [`Error::EvidenceNotFound`].
    EvidenceNotFound,
    /// See [`Error::EvidenceTampered`].
    EvidenceTampered,
    /// See [`Error::EvidenceMissing`].
    EvidenceMissing,
    /// See [`Error::EvidenceMismatch`].
    EvidenceMismatch,
    /// See [`Error::EvidenceUnreadable`].
    EvidenceUnreadable,
    /// See [`Error::OutputExists`].
    OutputExists,
    /// See [`Error::Invalid`].
    InvalidInput,
    /// See [`Error::Busy`].
    Busy,
    /// See [`Error::Io`].
    Io,
    /// See [`Error::Database`].
    Database,
    /// See [`Error::BundleRejected`].
    BundleRejected,
    /// See [`Error::BundleTooNew`].
    BundleTooNew,
    /// See [`Error::ContactNotFound`].
    ContactNotFound,
    /// See [`Error::Cancelled`].
    Cancelled,
    /// See [`Error::WipeIncomplete`].
    WipeIncomplete,
    /// See [`Error::RecoveryShares`].
    RecoveryShares,
    /// See [`Error::FileNamesClash`].
    FileNamesClash,
}

impl ErrorCode {
    /// The code as a snake_case string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WrongPassphrase => "wrong_passphrase",
            Self::VaultNotFound => "vault_not_found",
            Self::VaultExists => "vault_exists",
            Self::CorruptHeader => "corrupt_header",
            Self::UnsupportedVersion => "unsupported_version",
            Self::NewerSchema => "newer_schema",
            Self::CorruptDatabase => "corrupt_database",
            Self::DatabaseMissing => "database_missing",
            Self::DatabaseEmpty => "database_empty",
            Self::DatabaseTruncated => "database_truncated",
            Self::DatabaseForeign => "database_foreign",
            Self::DiskFull => "disk_full",
            Self::ReadOnly => "read_only",
            Self::RotationInProgress => "rotation_in_progress",
            Self::UnsavedJournal => "unsaved_journal",
            Self::Crypto => "crypto",
            Self::OutOfMemory => "out_of_memory",
            Self::Bug => "bug",
            Self::CheckFailed => "check_failed",
            Self::Locked => "locked",
            Self::RecordNotFound => "record_not_found",
            Self::EvidenceNotFound => "evidence_not_found",
            Self::EvidenceTampered => "evidence_tampered",
            Self::EvidenceMissing => "evidence_missing",
            Self::EvidenceMismatch => "evidence_mismatch",
            Self::EvidenceUnreadable => "evidence_unreadable",
            Self::OutputExists => "output_exists",
            Self::InvalidInput => "invalid_input",
            Self::Busy => "busy",
            Self::Io => "io",
            Self::Database => "database",
            Self::BundleRejected => "bundle_rejected",
            Self::BundleTooNew => "bundle_too_new",
            Self::ContactNotFound => "contact_not_found",
            Self::Cancelled => "cancelled",
            Self::WipeIncomplete => "wipe_incomplete",
            Self::RecoveryShares => "recovery_shares",
            Self::FileNamesClash => "file_names_clash",
        }
    }
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::WrongPassphrase => ErrorCode::WrongPassphrase,
            Self::VaultNotFound(_) => ErrorCode::VaultNotFound,
            Self::VaultExists(_) => ErrorCode::VaultExists,
            Self::CorruptHeader(_) => ErrorCode::CorruptHeader,
            Self::UnsupportedVersion(_) => ErrorCode::UnsupportedVersion,
            Self::NewerSchema => ErrorCode::NewerSchema,
            Self::CorruptDatabase => ErrorCode::CorruptDatabase,
            Self::DatabaseMissing => ErrorCode::DatabaseMissing,
            Self::DatabaseEmpty => ErrorCode::DatabaseEmpty,
            Self::DatabaseTruncated => ErrorCode::DatabaseTruncated,
            Self::DatabaseForeign => ErrorCode::DatabaseForeign,
            Self::DiskFull => ErrorCode::DiskFull,
            Self::ReadOnly => ErrorCode::ReadOnly,
            Self::RotationInProgress => ErrorCode::RotationInProgress,
            Self::UnsavedJournal => ErrorCode::UnsavedJournal,
            Self::Crypto(_) => ErrorCode::Crypto,
            Self::OutOfMemory => ErrorCode::OutOfMemory,
            Self::Bug(_) => ErrorCode::Bug,
            Self::CheckFailed(_) => ErrorCode::CheckFailed,
            Self::Locked => ErrorCode::Locked,
            Self::RecordNotFound(_) => ErrorCode::RecordNotFound,
            Self::EvidenceNotFound(_) => ErrorCode::EvidenceNotFound,
            Self::EvidenceTampered => ErrorCode::EvidenceTampered,
            Self::EvidenceMissing => ErrorCode::EvidenceMissing,
            Self::EvidenceMismatch => ErrorCode::EvidenceMismatch,
            Self::EvidenceUnreadable => ErrorCode::EvidenceUnreadable,
            Self::OutputExists => ErrorCode::OutputExists,
            Self::Invalid(_) => ErrorCode::InvalidInput,
            Self::Busy => ErrorCode::Busy,
            Self::Io { .. } => ErrorCode::Io,
            Self::Database(_) => ErrorCode::Database,
            Self::BundleRejected(_) => ErrorCode::BundleRejected,
            Self::BundleTooNew(_) => ErrorCode::BundleTooNew,
            Self::ContactNotFound => ErrorCode::ContactNotFound,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::WipeIncomplete(_) => ErrorCode::WipeIncomplete,
            Self::RecoveryShares(_) => ErrorCode::RecoveryShares,
            Self::FileNamesClash => ErrorCode::FileNamesClash,
        }
    }

    /// Wraps an I/O error with what was being done and where. A full disk and read-only media
    /// become their own variants, since the user acts on them differently from a broken disk.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| match source.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => Self::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => Self::ReadOnly,
            _ => Self::Io { action, path, source },
        }
    }

    /// Whether the error means the vault's files cannot be written here (a full disk, read-only
    /// media), as opposed to anything being wrong with the vault.
    pub fn is_unwritable(&self) -> bool {
        matches!(self, Self::DiskFull | Self::ReadOnly)
    }
}

/// The name of a file as an error may show it: one of the vault's own files by its name, anything
/// else (a folder or file the user named) by what it is.
fn shown_name(path: &std::path::Path) -> &'static str {
    // Both sets of names (`crate::files`): the vault's own and the neutral ones of camouflage.
    const OURS: [&str; 27] = [
        "vault.header",
        "vault.header.new",
        "vault.db",
        "vault.db-wal",
        "vault.db-shm",
        "vault.lock",
        "vault.db.rotating",
        "vault.aux",
        "vault.aux.new",
        "vault.tries",
        "vault.wiping",
        "blobs",
        "settings.json",
        ".gawahi-write-probe",
        "settings.bin",
        "settings.bin.new",
        "notes.db",
        "notes.db-wal",
        "notes.db-shm",
        "notes.lock",
        "notes.db.tmp",
        "cache.db",
        "cache.db.new",
        "session.bin",
        "cleanup.tmp",
        "attachments",
        ".write-probe",
    ];
    // Evidence files have random names; what matters is what they are.
    if path
        .parent()
        .and_then(std::path::Path::file_name)
        .is_some_and(|p| p == crate::files::OWN.blobs || p == crate::files::NEUTRAL.blobs)
    {
        return "an evidence file in the vault's blobs folder";
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    OURS.iter().find(|ours| **ours == name).copied().unwrap_or("the folder or file given")
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        match e.sqlite_error_code() {
            // SQLCipher reports a page whose MAC fails as "not a database" or "malformed".
            Some(C::NotADatabase | C::DatabaseCorrupt) => Self::CorruptDatabase,
            Some(C::DatabaseBusy | C::DatabaseLocked) => Self::Busy,
            Some(C::DiskFull) => Self::DiskFull,
            Some(C::ReadOnly) => Self::ReadOnly,
            // Only SQLite's generic description crosses this boundary: the detailed message can
            // quote values from a statement.
            Some(code) => Self::Database(format!("{code:?}")),
            None => Self::Database(match e {
                rusqlite::Error::QueryReturnedNoRows => "no rows".to_owned(),
                rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
                    "unexpected column type".to_owned()
                }
                _ => "internal error".to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names() {
        for code in [
            ErrorCode::WrongPassphrase,
            ErrorCode::VaultNotFound,
            ErrorCode::VaultExists,
            ErrorCode::CorruptHeader,
            ErrorCode::UnsupportedVersion,
            ErrorCode::CorruptDatabase,
            ErrorCode::NewerSchema,
            ErrorCode::DatabaseMissing,
            ErrorCode::DatabaseEmpty,
            ErrorCode::DatabaseTruncated,
            ErrorCode::DatabaseForeign,
            ErrorCode::DiskFull,
            ErrorCode::ReadOnly,
            ErrorCode::RotationInProgress,
            ErrorCode::UnsavedJournal,
            ErrorCode::Crypto,
            ErrorCode::OutOfMemory,
            ErrorCode::Bug,
            ErrorCode::CheckFailed,
            ErrorCode::Locked,
            ErrorCode::RecordNotFound,
            ErrorCode::EvidenceNotFound,
            ErrorCode::EvidenceTampered,
            ErrorCode::EvidenceMissing,
            ErrorCode::EvidenceMismatch,
            ErrorCode::EvidenceUnreadable,
            ErrorCode::OutputExists,
            ErrorCode::InvalidInput,
            ErrorCode::Busy,
            ErrorCode::Io,
            ErrorCode::Database,
            ErrorCode::BundleRejected,
            ErrorCode::BundleTooNew,
            ErrorCode::ContactNotFound,
            ErrorCode::Cancelled,
            ErrorCode::WipeIncomplete,
            ErrorCode::RecoveryShares,
            ErrorCode::FileNamesClash,
        ] {
            assert_eq!(serde_json::to_value(code).expect("json"), serde_json::json!(code.as_str()));
        }
    }
}
