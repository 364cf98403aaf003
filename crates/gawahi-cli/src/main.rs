//! `gawahi`: the vault core on the command line, for scripts, verification and tests.
//!
//! The command line is a stable contract (see README.md): commands, exit codes and the JSON
//! error shape do not change without a major version. Exit codes: 0 ok, 2 usage, 3 wrong
//! passphrase, 4 no such vault or record, 5 invalid input, 6 corrupt, tampered, or not this
//! vault's database (missing, empty, truncated, swapped), 7 disk full, 8 read-only media, 9 busy
//! in another program (nothing was changed), 10 made by a newer Gawahi (nothing was changed),
//! 1 anything else. Errors are one line on stderr that
//! says what to do next; with `--json` anywhere among the arguments (usage errors included), that
//! line is `{"code": …, "message": …}`.
#![forbid(unsafe_code)]

mod bundle;
mod output;
mod passphrase;
mod safety;
mod usage;

use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use gawahi_core::error::{Error, ErrorCode, Invalid, Reason};
use gawahi_core::evidence::{CopyKind, EvidenceMeta};
use gawahi_core::export::ExportOptions;
use gawahi_core::model::HearingStatus;
use gawahi_core::report::anonymise::{TableFormat, TableOptions};
use gawahi_core::search::{Facet, FacetFilter, Filters, SavedSearch};
use gawahi_core::vault::{ReportKind, ReportRequest};
use gawahi_core::vocab::{Entry, Lang};
use gawahi_core::{Kind, Vault};
use serde_json::{Map, Value, json};

use crate::output::{note, print_fields, print_hit, print_json};
use crate::passphrase::{PassphraseSource, read_current, read_new};

#[derive(Parser)]
#[command(name = "gawahi", version, about = "An offline vault for human rights documentation and legal cases.")]
struct Cli {
    /// Read the passphrase from this file (its first line) instead of GAWAHI_PASSPHRASE or a prompt.
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Read a new passphrase (init, passwd) from this file instead of GAWAHI_NEW_PASSPHRASE or a prompt.
    #[arg(long, global = true, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault in an empty or new directory.
    Init {
        /// The vault directory.
        vault: PathBuf,
        /// How long unlocking should take on this machine, in milliseconds (a floor applies).
        #[arg(long, default_value_t = 1000, value_name = "N")]
        kdf_target_ms: u64,
    },
    /// Verify every page's MAC, SQLite's integrity and the audit chain.
    Check {
        /// The vault directory.
        vault: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase. Without --rotate only the key header changes, so a copy of the old
    /// header (a backup) still opens the vault with the old passphrase.
    Passwd {
        /// The vault directory.
        vault: PathBuf,
        /// Also replace the vault's master key: the database is copied under a new key, and old
        /// copies of the key header or the database open nothing. Close the app first.
        #[arg(long)]
        rotate: bool,
    },
    /// Add a record; prints its id.
    Add {
        /// The vault directory.
        vault: PathBuf,
        /// person, organisation, incident, threat, risk, case, hearing, referral or task.
        kind: String,
        /// The record's fields as a JSON object.
        #[arg(long, value_name = "JSON", conflicts_with = "file", required_unless_present = "file")]
        json: Option<String>,
        /// Read the JSON object from this file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Print a record as JSON.
    Get {
        /// The vault directory.
        vault: PathBuf,
        /// The record's id.
        id: String,
    },
    /// Change the fields given (a JSON merge patch; null clears a field); prints the record.
    Update {
        /// The vault directory.
        vault: PathBuf,
        /// The record's id.
        id: String,
        /// The fields to change, as a JSON object.
        #[arg(long, value_name = "JSON", conflicts_with = "file", required_unless_present = "file")]
        json: Option<String>,
        /// Read the JSON object from this file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Delete a record and its links.
    Delete {
        /// The vault directory.
        vault: PathBuf,
        /// The record's id.
        id: String,
    },
    /// Link two records with a role (from the link_roles vocabulary); prints the link's id.
    Link {
        /// The vault directory.
        vault: PathBuf,
        /// The source record.
        from: String,
        /// The target record.
        to: String,
        /// The role, such as victim, witness, counsel, arises_from.
        #[arg(long)]
        role: String,
    },
    /// Remove a link.
    Unlink {
        /// The vault directory.
        vault: PathBuf,
        /// The link's id.
        link: String,
    },
    /// Show the links of a record, both ways, as JSON.
    Links {
        /// The vault directory.
        vault: PathBuf,
        /// The record's id.
        id: String,
    },
    /// List records of a kind, newest first.
    List {
        /// The vault directory.
        vault: PathBuf,
        /// The kind of record.
        kind: String,
        /// How many to show.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Start after this record (the last id of the previous page).
        #[arg(long, value_name = "ID")]
        after: Option<String>,
        /// Print whole records as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Import a JSON Lines file: one record per line with its kind; all or nothing.
    Import {
        /// The vault directory.
        vault: PathBuf,
        /// The file.
        file: PathBuf,
    },
    /// Export every record and link as JSON Lines (--json), or one kind as a table (--csv, the
    /// columns Uwazi imports), in plaintext, to standard output.
    #[command(group = clap::ArgGroup::new("format").required(true).args(["json", "csv"]))]
    Export {
        /// The vault directory.
        vault: PathBuf,
        /// JSON Lines of every record and link (the shape `import` reads). Says you know the
        /// output is plaintext.
        #[arg(long)]
        json: bool,
        /// A CSV table of one kind of record (--kind), one row a record. Says you know the output
        /// is plaintext.
        #[arg(long)]
        csv: bool,
        /// The kind of record the CSV table holds.
        #[arg(long, default_value = "incident", requires = "csv")]
        kind: String,
        /// Keep only what may be published: people who consented, under pseudonyms; categories;
        /// dates by their month and places by their district; no names, numbers or free text.
        #[arg(long)]
        anonymise: bool,
        /// In an anonymised CSV, keep each date as exact as it was recorded (a day points to an
        /// event, and through it to the people in it).
        #[arg(long, requires = "anonymise")]
        exact_dates: bool,
        /// In an anonymised CSV, keep each incident's city or town as it was typed: free text,
        /// which may hold a house, a street or a name. Read it before publishing.
        #[arg(long, requires = "anonymise")]
        keep_cities: bool,
    },
    /// Make a PDF report (a summary; a case's dossier with --case; the cause list with
    /// --cause-list), written to a new file.
    #[command(group = clap::ArgGroup::new("which").args(["case", "cause_list"]))]
    Report {
        /// The vault directory.
        vault: PathBuf,
        /// The new PDF file (never overwritten).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The report's language.
        #[arg(long, default_value = "en", value_parser = ["en", "ur"])]
        lang: String,
        /// Make the dossier of this case.
        #[arg(long, value_name = "ID")]
        case: Option<String>,
        /// Make the cause list (hearings by court; this week unless --from and --to say).
        #[arg(long)]
        cause_list: bool,
        /// The cause list's first day (YYYY-MM-DD); today if left out.
        #[arg(long, value_name = "DATE", requires = "cause_list")]
        from: Option<String>,
        /// The cause list's last day (YYYY-MM-DD); six days after --from if left out.
        #[arg(long, value_name = "DATE", requires = "cause_list")]
        to: Option<String>,
        /// People only with consent and under pseudonyms, no free text, counts under 3 hidden.
        #[arg(long)]
        anonymise: bool,
        /// Print what was written as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a vocabulary (statutes, sections, courts, districts…), or the list of them.
    Vocab {
        /// The vault directory.
        vault: PathBuf,
        /// The vocabulary's name; leave out to list the names.
        name: Option<String>,
        /// The language of the labels.
        #[arg(long, default_value = "en", value_parser = ["en", "ur"])]
        lang: String,
        /// Print whole entries as JSON.
        #[arg(long)]
        json: bool,
        /// Add an entry with this code (needs --en and --ur).
        #[arg(long, value_name = "CODE", requires_all = ["en", "ur"])]
        add: Option<String>,
        /// English label of the entry to add.
        #[arg(long)]
        en: Option<String>,
        /// Urdu label of the entry to add.
        #[arg(long)]
        ur: Option<String>,
        /// Parent code of the entry to add (a district's province).
        #[arg(long)]
        parent: Option<String>,
        /// Find sections as lawyers write them ("26-A", "PECA s.26A", "blasphemy", "توہین"); only
        /// with the sections vocabulary. The same matching as the app's charge picker.
        #[arg(long, value_name = "QUERY", conflicts_with = "add")]
        find: Option<String>,
        /// Add a section the list lacks as your own, as the statute writes it (34, 26-A, 2(1)(d)),
        /// to the statute given with --parent; --en and --ur label it (default s.N, دفعہ N). Prints
        /// its code. Only with the sections vocabulary.
        #[arg(long, value_name = "SECTION", conflicts_with_all = ["add", "find"], requires = "parent")]
        add_section: Option<String>,
    },
    /// Search every record and evidence item (text fields, vocabulary labels in English and
    /// Urdu, file names and notes); results by kind, newest first, the matched words marked.
    Search {
        /// The vault directory.
        vault: PathBuf,
        /// The words to find (the last one also as the start of a word); may be left out when a
        /// filter is given.
        #[arg(conflicts_with_all = ["saved", "list_saved"])]
        query: Option<String>,
        #[command(flatten)]
        filters: FilterArgs,
        /// At most this many hits of each kind.
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Keep this search (the query and filters) in the vault under NAME, then run it.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["saved", "list_saved"])]
        save: Option<String>,
        /// Run the search saved under NAME. Filters given as well are added to its own: a value of
        /// a facet it filters is one more alternative of it; dates, a link or evidence replace its own.
        #[arg(long, value_name = "NAME", conflicts_with = "list_saved")]
        saved: Option<String>,
        /// List the saved searches.
        #[arg(long)]
        list_saved: bool,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Count records by a field (kind, case_kind, incident_type, channel, province, district,
    /// perpetrator_type, statute, section, court, status, month, country, legal_status, offence),
    /// most first, within the filters given.
    Stats {
        /// The vault directory.
        vault: PathBuf,
        /// The field to count by.
        #[arg(long, value_name = "FIELD")]
        by: String,
        #[command(flatten)]
        filters: FilterArgs,
        /// The language of the labels.
        #[arg(long, default_value = "en", value_parser = ["en", "ur"])]
        lang: String,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Hearings: record what happened at one.
    Hearing {
        #[command(subcommand)]
        command: HearingCommand,
    },
    /// The hearings of a date range across all cases, by court (default: today and the next 6 days).
    CauseList {
        /// The vault directory.
        vault: PathBuf,
        /// The first day (YYYY-MM-DD); today if left out.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// The last day (YYYY-MM-DD); six days after --from if left out.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Print the courts and their hearings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deadlines overdue or due within DAYS (deadline tasks, compliance dates, papers' expiry,
    /// deportation dates), soonest first.
    Deadlines {
        /// The vault directory.
        vault: PathBuf,
        /// How many days ahead to look.
        #[arg(long, default_value_t = 14, value_name = "DAYS")]
        within: u32,
        /// Print the deadlines as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The evidence locker: add files to a record, list, export and verify them.
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// The vault's public keys (age recipient, signing key) and its fingerprint to read out.
    Identity {
        /// The vault directory.
        vault: PathBuf,
        /// Also write the vault's age identity (its SECRET key) to this new file, readable only by
        /// you, for `age -d -i FILE`.
        #[arg(long, value_name = "FILE")]
        export_age_identity: Option<PathBuf>,
        /// Print the identity as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The people bundles are sealed to: add, list and remove contacts.
    Contact {
        #[command(subcommand)]
        command: ContactCommand,
    },
    /// Sealed bundles: export a case signed and encrypted, verify one, import one.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Panic wipe: destroy the vault's keys, then everything else of it. Irreversible: afterwards
    /// the right passphrase opens nothing. Needs --yes.
    Wipe {
        /// The vault directory.
        vault: PathBuf,
        /// Says you mean it: the vault is destroyed without another question.
        #[arg(long)]
        yes: bool,
        /// Print errors as JSON.
        #[arg(long)]
        json: bool,
    },
    /// A duress passphrase: entered where the vault's passphrase goes, it opens a decoy vault or
    /// wipes this one silently and shows a fresh, empty vault. Nothing on disk shows it is set.
    Duress {
        /// The vault directory.
        vault: PathBuf,
        #[command(subcommand)]
        command: DuressCommand,
    },
    /// Wipe the vault after 5, 10 or 20 wrong passphrases in a row (off by default). Without
    /// --set, prints the limit.
    UnlockLimit {
        /// The vault directory.
        vault: PathBuf,
        /// 5, 10, 20, or off.
        #[arg(long, value_name = "N|off")]
        set: Option<String>,
        /// Print the setting as JSON, and errors as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Camouflage: give the vault's files neutral names a notes program might have (on), or their
    /// own names back (off). No passphrase is asked: names hide nothing inside the files. Close
    /// the app first. Without on or off, says which names the files have.
    Camouflage {
        /// The vault directory.
        vault: PathBuf,
        /// on or off.
        #[arg(value_enum)]
        state: Option<CamouflageArg>,
        /// Print the state as JSON, and errors as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Recovery shares: split the vault's key among people you trust; restore with enough of them.
    Recovery {
        #[command(subcommand)]
        command: RecoveryCommand,
    },
    /// Show the newest audit log entries.
    Log {
        /// The vault directory.
        vault: PathBuf,
        /// How many entries.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum DuressCommand {
    /// Set the duress passphrase (from --duress-passphrase-file, GAWAHI_DURESS_PASSPHRASE or a
    /// prompt), replacing any set before. The vault's own passphrase is asked first.
    Set {
        /// decoy: it opens a decoy vault, empty until you unlock with it and add what an
        /// onlooker may see; wipe: it wipes this vault silently and opens a fresh, empty one.
        #[arg(long, value_enum)]
        mode: DuressModeArg,
        /// Read the duress passphrase from this file (its first line).
        #[arg(long, value_name = "FILE")]
        duress_passphrase_file: Option<PathBuf>,
    },
    /// Remove the duress passphrase, if one is set.
    Clear,
}

/// Whether the vault's files carry neutral names.
#[derive(Clone, Copy, clap::ValueEnum)]
enum CamouflageArg {
    /// Neutral names (settings.bin, notes.db, attachments/…).
    On,
    /// The vault's own names (vault.header, vault.db, blobs/…).
    Off,
}

/// What the duress passphrase does.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DuressModeArg {
    /// Opens a decoy vault.
    Decoy,
    /// Wipes the vault and opens a fresh, empty one.
    Wipe,
}

#[derive(Subcommand)]
enum RecoveryCommand {
    /// Split the vault's key into N shares, any K of which set a new passphrase. Writes each share
    /// as words (share-X-of-N.txt) and as a QR code (share-X-of-N.svg), readable only by you.
    Split {
        /// The vault directory.
        vault: PathBuf,
        /// How many shares restore the vault (K, from 1 to N).
        #[arg(long, value_name = "K")]
        threshold: usize,
        /// How many shares to make (N, from 1 to 255).
        #[arg(long, value_name = "N")]
        shares: usize,
        /// The folder to write the share files to (made if it is not there; nothing overwritten).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Print the files written as JSON, and errors as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a new passphrase with recovery shares (the new one read as for passwd).
    Restore {
        /// The vault directory.
        vault: PathBuf,
        /// The share files (their text as split wrote it, or the text of their QR codes).
        #[arg(required = true, value_name = "SHARE_FILE")]
        share_files: Vec<PathBuf>,
        /// Print errors as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum HearingCommand {
    /// Record what happened at a hearing and the next date fixed; prints the new hearing's id
    /// when a next date is given. One step: the hearing is marked and the next one created, or
    /// neither.
    Record {
        /// The vault directory.
        vault: PathBuf,
        /// The hearing's id.
        hearing_id: String,
        /// What happened.
        #[arg(long, value_parser = ["held", "adjourned", "not_taken_up", "decided"])]
        status: String,
        /// The outcome or order, in words.
        #[arg(long, value_name = "TEXT")]
        outcome: Option<String>,
        /// The next date fixed (YYYY-MM-DD): creates the next hearing on the same case.
        #[arg(long, value_name = "DATE")]
        next_date: Option<String>,
        /// Print both records as JSON (`{"hearing": …, "next": … or null}`), and errors as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Add files to a record (encrypted in the vault, any size); prints each item's id and SHA-256.
    Add {
        /// The vault directory.
        vault: PathBuf,
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The record (incident, threat, case, hearing, person or referral).
        #[arg(long, value_name = "ID")]
        record: String,
        /// When the files were obtained: 2024-03-05T14:30:00+05:00, 2024-03-05, 2024-03 or 2024.
        #[arg(long, value_name = "DATE")]
        acquired_at: Option<String>,
        /// Who obtained them.
        #[arg(long, value_name = "TEXT")]
        acquired_by: Option<String>,
        /// Where they came from: a device, a URL, a person.
        #[arg(long, value_name = "TEXT")]
        source: Option<String>,
        /// Notes.
        #[arg(long, value_name = "TEXT")]
        notes: Option<String>,
        /// Add the files as working copies of this item (a redacted image, say): new items on its
        /// record that record its SHA-256; the item itself is never altered.
        #[arg(long, value_name = "ITEM")]
        copy_of: Option<String>,
        /// With --copy-of: the copies hide parts of the original (logged as a redaction).
        #[arg(long, requires = "copy_of")]
        redaction: bool,
    },
    /// List evidence items (id, record, size, media type, location flag, SHA-256, name).
    List {
        /// The vault directory.
        vault: PathBuf,
        /// Only the items of this record.
        #[arg(long, value_name = "ID")]
        record: Option<String>,
        /// Print the items as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Decrypt an evidence file to a new file (never overwrites); recorded in its custody log.
    Export {
        /// The vault directory.
        vault: PathBuf,
        /// The item's id.
        item: String,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Decrypt evidence files and compare their SHA-256 with the one taken at intake.
    Verify {
        /// The vault directory.
        vault: PathBuf,
        /// Only this item.
        item: Option<String>,
    },
    /// Show an item's custody log as JSON.
    Custody {
        /// The vault directory.
        vault: PathBuf,
        /// The item's id.
        item: String,
    },
}

#[derive(Subcommand)]
enum ContactCommand {
    /// Save a contact: a name, their age recipient and, if they use Gawahi, their signing key.
    Add {
        /// The vault directory.
        vault: PathBuf,
        /// A name for them (unique).
        #[arg(long)]
        name: String,
        /// Their age recipient, `age1…`.
        #[arg(long, value_name = "RECIPIENT")]
        age: String,
        /// Their signing key, `ssh-ed25519 AAAA…` (as `gawahi identity` prints it).
        #[arg(long, value_name = "KEY")]
        signing_key: Option<String>,
        /// Print the contact as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the contacts with their fingerprints.
    List {
        /// The vault directory.
        vault: PathBuf,
        /// Print them as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Remove a contact (by id or exact name).
    Remove {
        /// The vault directory.
        vault: PathBuf,
        /// The contact's id or name.
        contact: String,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Seal a case (with everything linked to it) or chosen records, with their evidence, into
    /// one signed, encrypted file.
    Export {
        /// The vault directory.
        vault: PathBuf,
        /// The case to export, with its hearings, the records linked to it and their evidence.
        #[arg(long, value_name = "ID", conflicts_with = "record", required_unless_present = "record")]
        case: Option<String>,
        /// A record to export (repeat for several).
        #[arg(long, value_name = "ID")]
        record: Vec<String>,
        /// An age recipient to seal it to, `age1…` (repeat for several).
        #[arg(long, value_name = "RECIPIENT")]
        to: Vec<String>,
        /// A saved contact to seal it to, by name or id (repeat for several).
        #[arg(long, value_name = "NAME")]
        to_contact: Vec<String>,
        /// Seal it to the passphrase in this file (its first line) instead of recipients.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["to", "to_contact"])]
        bundle_passphrase_file: Option<PathBuf>,
        /// The file to write (never overwritten).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Carry the redacted working copies instead of the originals.
        #[arg(long)]
        working_copies: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a bundle: decryption, signatures, signer, every file's SHA-256; print what it holds.
    /// A bundle sealed to a passphrase is opened with the global --passphrase-file.
    Verify {
        /// The bundle.
        file: PathBuf,
        /// An age identity file (`AGE-SECRET-KEY-1…`) to open it with.
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
        /// The fingerprint the signer must have (30 digits, as `gawahi identity` prints it).
        #[arg(long, value_name = "FINGERPRINT")]
        signer: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Verify bundles and merge them into the vault (records by id, evidence by SHA-256).
    Import {
        /// The vault directory.
        vault: PathBuf,
        /// The bundles.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// An age identity file to open them with (default: the vault's own identity).
        #[arg(long, value_name = "KEYFILE", conflicts_with = "bundle_passphrase_file")]
        identity: Option<PathBuf>,
        /// Open them with the passphrase in this file (its first line).
        #[arg(long, value_name = "FILE")]
        bundle_passphrase_file: Option<PathBuf>,
        /// The fingerprint the signer must have.
        #[arg(long, value_name = "FINGERPRINT")]
        signer: Option<String>,
        /// Print the summaries as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The filters `search` and `stats` take: values within one option are alternatives (repeat the
/// option), the options must all hold.
#[derive(clap::Args)]
struct FilterArgs {
    /// Only records of this kind (person … task, or evidence).
    #[arg(long, value_name = "KIND")]
    kind: Vec<String>,
    /// Only cases of this kind (criminalisation, enforced_disappearance, detained_abroad…).
    #[arg(long, value_name = "CODE")]
    case_kind: Vec<String>,
    /// Only incidents of this type (incident_types).
    #[arg(long, value_name = "CODE")]
    incident_type: Vec<String>,
    /// Only threats by this channel (threat_channels).
    #[arg(long, value_name = "CODE")]
    channel: Vec<String>,
    /// Only records in this province (provinces).
    #[arg(long, value_name = "CODE")]
    province: Vec<String>,
    /// Only records in this district (districts).
    #[arg(long, value_name = "CODE")]
    district: Vec<String>,
    /// Only incidents by this perpetrator type (perpetrator_types).
    #[arg(long, value_name = "CODE")]
    perpetrator_type: Vec<String>,
    /// Only cases charged under this statute (statutes).
    #[arg(long, value_name = "CODE")]
    statute: Vec<String>,
    /// Only cases charged under this section (sections, such as peca_2016.20).
    #[arg(long, value_name = "CODE")]
    section: Vec<String>,
    /// Only cases and hearings in this court (courts).
    #[arg(long, value_name = "CODE")]
    court: Vec<String>,
    /// Only records with this status (a case's from case_statuses; a threat's or referral's).
    #[arg(long, value_name = "CODE")]
    status: Vec<String>,
    /// Only records dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only records dated on or before this day (a month or a year includes all of it).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only records linked to this record (either way) or belonging to it.
    #[arg(long, value_name = "ID")]
    linked_to: Option<String>,
    /// Only records with evidence.
    #[arg(long, conflicts_with = "no_evidence")]
    has_evidence: bool,
    /// Only records without evidence.
    #[arg(long)]
    no_evidence: bool,
}

impl FilterArgs {
    fn into_filters(self) -> Filters {
        let mut f = Filters {
            date_from: self.from,
            date_to: self.to,
            linked_to: self.linked_to,
            has_evidence: match (self.has_evidence, self.no_evidence) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            ..Filters::default()
        };
        for (facet, values) in [
            (Facet::Kind, self.kind),
            (Facet::CaseKind, self.case_kind),
            (Facet::IncidentType, self.incident_type),
            (Facet::Channel, self.channel),
            (Facet::Province, self.province),
            (Facet::District, self.district),
            (Facet::PerpetratorType, self.perpetrator_type),
            (Facet::Statute, self.statute),
            (Facet::Section, self.section),
            (Facet::Court, self.court),
            (Facet::Status, self.status),
        ] {
            if !values.is_empty() {
                f.facets.push(FacetFilter { facet, values });
            }
        }
        f
    }
}

impl Command {
    /// Whether errors should be printed as JSON.
    fn wants_json(&self) -> bool {
        match self {
            Self::Check { json, .. }
            | Self::List { json, .. }
            | Self::Export { json, .. }
            | Self::Vocab { json, .. }
            | Self::CauseList { json, .. }
            | Self::Report { json, .. }
            | Self::Deadlines { json, .. }
            | Self::Search { json, .. }
            | Self::Stats { json, .. }
            | Self::Hearing { command: HearingCommand::Record { json, .. } }
            | Self::Evidence { command: EvidenceCommand::List { json, .. } }
            | Self::Identity { json, .. }
            | Self::Wipe { json, .. }
            | Self::UnlockLimit { json, .. }
            | Self::Camouflage { json, .. }
            | Self::Recovery { command: RecoveryCommand::Split { json, .. } | RecoveryCommand::Restore { json, .. } }
            | Self::Contact { command: ContactCommand::Add { json, .. } | ContactCommand::List { json, .. } }
            | Self::Bundle {
                command:
                    BundleCommand::Export { json, .. }
                    | BundleCommand::Verify { json, .. }
                    | BundleCommand::Import { json, .. },
            } => *json,
            Self::Add { json, .. } | Self::Update { json, .. } => json.is_some(),
            _ => false,
        }
    }
}

fn main() -> ExitCode {
    if gawahi_core::process::harden().is_err() {
        note("warning: could not disable core dumps or keep other processes out of this one's memory");
    }
    let cli = match usage::parse() {
        Ok(cli) => cli,
        Err(exit) => return exit,
    };
    let json_errors = cli.command.wants_json();
    let sources = PassphraseSource { file: cli.passphrase_file, new_file: cli.new_passphrase_file };
    match run(cli.command, &sources) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e, json_errors),
    }
}

/// A failure of the command line itself, or of the vault.
#[derive(Debug)]
enum Failure {
    /// The command was used wrongly in a way clap cannot see (no passphrase source, say).
    Usage(String),
    /// The vault said no.
    Vault(Error),
    /// An export failed part way, after which what it had written to the file standard output
    /// goes to was taken out again (see `export_to`).
    ExportStopped(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Vault(e)
    }
}

impl From<Invalid> for Failure {
    fn from(e: Invalid) -> Self {
        Self::Vault(e.into())
    }
}

/// Runs an export into standard output. When that is a regular file (`> FILE`), the export
/// writes to the file itself, buffered by us, and if it fails part way (a full disk, say) the
/// file is cut back to the length it had before: a half-written plaintext export is of no use
/// and must not be left behind believed complete. Anything else (a pipe) gets `out` as it is.
fn export_to<T>(
    out: &mut impl std::io::Write,
    export: impl FnOnce(&mut dyn std::io::Write) -> gawahi_core::Result<T>,
) -> Result<T, Failure> {
    // The same file opened again, for appending: a `>>` keeps what was there.
    let file = std::fs::OpenOptions::new().append(true).open("/proc/self/fd/1").ok();
    let Some((file, before)) =
        file.and_then(|f| f.metadata().ok().filter(std::fs::Metadata::is_file).map(|m| (f, m.len())))
    else {
        return Ok(export(out)?);
    };
    let mut writer = std::io::BufWriter::with_capacity(1 << 16, file);
    let done = export(&mut writer);
    let done = done.and_then(|t| {
        std::io::Write::flush(&mut writer).map_err(Error::io("write", "export"))?;
        Ok(t)
    });
    match done {
        Ok(t) => Ok(t),
        Err(e) => {
            // What is still buffered is dropped unwritten; what was written is cut off.
            let (file, _unwritten) = writer.into_parts();
            let _ = file.set_len(before).and_then(|()| file.sync_all());
            Err(Failure::ExportStopped(e))
        }
    }
}

/// The exit status of a failure the vault reported, by what the user can do about it.
fn exit_status(e: &Error) -> u8 {
    match e.code() {
        ErrorCode::WrongPassphrase => 3,
        ErrorCode::VaultNotFound
        | ErrorCode::RecordNotFound
        | ErrorCode::EvidenceNotFound
        | ErrorCode::ContactNotFound => 4,
        ErrorCode::InvalidInput
        | ErrorCode::OutputExists
        | ErrorCode::EvidenceUnreadable
        | ErrorCode::RecoveryShares => 5,
        ErrorCode::CorruptHeader
        | ErrorCode::CorruptDatabase
        | ErrorCode::CheckFailed
        | ErrorCode::DatabaseMissing
        | ErrorCode::DatabaseEmpty
        | ErrorCode::DatabaseTruncated
        | ErrorCode::DatabaseForeign
        | ErrorCode::EvidenceTampered
        | ErrorCode::EvidenceMissing
        | ErrorCode::EvidenceMismatch
        | ErrorCode::BundleRejected
        | ErrorCode::FileNamesClash => 6,
        ErrorCode::DiskFull => 7,
        ErrorCode::ReadOnly | ErrorCode::UnsavedJournal => 8,
        ErrorCode::Busy | ErrorCode::RotationInProgress => 9,
        ErrorCode::UnsupportedVersion | ErrorCode::NewerSchema | ErrorCode::BundleTooNew => 10,
        _ => 1,
    }
}

fn report(failure: &Failure, json: bool) -> ExitCode {
    let (code, status, message, invalid) = match failure {
        Failure::Usage(m) => ("usage", 2, m.clone(), None),
        Failure::Vault(e) => {
            let status = exit_status(e);
            let invalid = if let Error::Invalid(i) = e { Some(i) } else { None };
            (e.code().as_str(), status, e.to_string(), invalid)
        }
        Failure::ExportStopped(e) => {
            let status = exit_status(e);
            let message =
                format!("{e}. The export stopped part way; what it had written to the output file was taken out");
            (e.code().as_str(), status, message, None)
        }
    };
    if json {
        let mut obj = json!({"code": code, "message": message});
        if let Some(i) = invalid {
            obj["field"] = json!(i.field);
            obj["line"] = json!(i.line);
            obj["reason"] = json!(i.reason);
        }
        eprintln!("{obj}");
    } else {
        note(&message);
    }
    ExitCode::from(status)
}

fn run(command: Command, sources: &PassphraseSource) -> Result<(), Failure> {
    let unlock = |vault: &Path| -> Result<Vault, Failure> {
        // Look for the header before asking for a passphrase: nobody should type one for a
        // vault that is not there (or that a wipe cut off half-way is finished with first).
        Vault::finish_interrupted_wipe(vault)?;
        gawahi_core::header::KeyHeader::read(vault)?;
        safety::warn_before_last_try(vault);
        Ok(Vault::unlock(vault, &read_current(sources)?)?)
    };
    let mut out = std::io::stdout().lock();
    match command {
        Command::Init { vault, kdf_target_ms } => {
            let new = read_new(sources)?;
            if std::io::stderr().is_terminal() {
                eprintln!("gawahi: calibrating the key derivation (about {kdf_target_ms} ms)…");
            }
            Vault::create(&vault, &new, Duration::from_millis(kdf_target_ms))?;
            // The path is what the user typed, so it is not repeated back (it may name a person
            // or a case); the vault's own files are named instead.
            note("created the vault (vault.header and its encrypted database) in the folder given");
        }
        Command::Check { vault, json } => {
            let report = unlock(&vault)?.check()?;
            if json {
                print_json(&mut out, &serde_json::to_value(&report).unwrap_or_default())?;
            } else {
                for p in &report.problems {
                    print_fields(&mut out, &[p])?;
                }
                for n in &report.notes {
                    print_fields(&mut out, &[&format!("note: {n}")])?;
                }
            }
            if !report.is_ok() {
                return Err(Error::CheckFailed(format!(
                    "{} problem(s); do not trust this copy: restore from a backup and keep this one for investigation",
                    report.problems.len()
                ))
                .into());
            }
            if !json {
                print_fields(
                    &mut out,
                    &[&format!(
                        "ok: {} records, {} links, {} audit entries, {} evidence items; every page, the audit chain, every custody chain and every evidence file's presence and size verified",
                        report.records, report.links, report.audit_entries, report.evidence
                    )],
                )?;
            }
        }
        Command::Passwd { vault, rotate } => {
            let current = {
                Vault::finish_interrupted_wipe(&vault)?;
                gawahi_core::header::KeyHeader::read(&vault)?;
                safety::warn_before_last_try(&vault);
                read_current(sources)?
            };
            let mut v = Vault::unlock(&vault, &current)?;
            let new = read_new(sources)?;
            if rotate {
                let show = std::io::stderr().is_terminal();
                let progress = move |fraction: f64| {
                    if show {
                        eprint!("\rgawahi: re-encrypting the vault under a new key… {:>3.0}%", fraction * 100.0);
                    }
                };
                let done = v.rotate_key(&current, &new, progress);
                if show {
                    eprintln!();
                }
                done?;
                eprintln!(
                    "gawahi: passphrase changed and the vault's key replaced. Old copies of the key header \
                     (vault.header) and of the database no longer open anything of this vault, with any passphrase."
                );
            } else {
                v.change_passphrase(&current, &new)?;
                eprintln!(
                    "gawahi: passphrase changed. The old passphrase no longer opens this vault's key header, but a \
                     copy of the old vault.header made before now (a backup, or one taken from this computer) still \
                     opens the vault with it, records added later included. To make old copies useless, run \
                     `gawahi passwd --rotate`."
                );
            }
        }
        Command::Add { vault, kind, json, file } => {
            let kind = parse_kind(&kind)?;
            let body = read_object(json, file.as_deref())?;
            let record = unlock(&vault)?.add(kind, body)?;
            print_fields(&mut out, &[&record.id])?;
        }
        Command::Get { vault, id } => {
            let record = unlock(&vault)?.get(&id)?;
            print_json(&mut out, &Value::Object(record.to_json()))?;
        }
        Command::Update { vault, id, json, file } => {
            let patch = read_object(json, file.as_deref())?;
            let record = unlock(&vault)?.update(&id, patch)?;
            print_json(&mut out, &Value::Object(record.to_json()))?;
        }
        Command::Delete { vault, id } => {
            unlock(&vault)?.delete(&id)?;
            note("deleted the record and its links");
        }
        Command::Link { vault, from, to, role } => {
            let link = unlock(&vault)?.link(&from, &to, &role)?;
            print_fields(&mut out, &[&link.id])?;
        }
        Command::Unlink { vault, link } => {
            unlock(&vault)?.unlink(&link)?;
        }
        Command::Links { vault, id } => {
            let links = unlock(&vault)?.links_of(&id)?;
            print_json(&mut out, &serde_json::to_value(&links).unwrap_or_default())?;
        }
        Command::List { vault, kind, limit, after, json } => {
            let kind = parse_kind(&kind)?;
            let records = unlock(&vault)?.list(kind, after.as_deref(), limit)?;
            if json {
                let all: Vec<Value> = records.iter().map(|r| Value::Object(r.to_json())).collect();
                print_json(&mut out, &Value::Array(all))?;
            } else {
                for r in &records {
                    print_fields(&mut out, &[&r.id, &r.data.label()])?;
                }
            }
        }
        Command::Import { vault, file } => {
            let f = std::fs::File::open(&file).map_err(|e| {
                Invalid::field("file", Reason::UnreadableFile, format!("cannot open the file given: {}", io_reason(&e)))
            })?;
            let summary = unlock(&vault)?.import_jsonl(BufReader::new(f))?;
            eprintln!("gawahi: imported {} records and {} links", summary.records, summary.links);
        }
        Command::Export { vault, json: _, csv, kind, anonymise, exact_dates, keep_cities } => {
            // A plaintext export is for a file: on a terminal it would stay in the scrollback,
            // and a record's text (a control sequence imported or brought by a bundle) would
            // reach the terminal as it is.
            if std::io::stdout().is_terminal() {
                return Err(Failure::Usage(
                    "an export is plaintext for a file, not the screen: gawahi export VAULT --csv > FILE.csv".into(),
                ));
            }
            let mut v = unlock(&vault)?;
            if csv {
                let kind = parse_kind(&kind)?;
                // Anonymised, dates are cut to their month and cities left out unless asked,
                // as in the window.
                let options = TableOptions { anonymise, coarsen_dates: !exact_dates, coarsen_places: !keep_cities };
                let summary = export_to(&mut out, |w| v.export_table(kind, options, TableFormat::Csv, w))?;
                eprintln!(
                    "gawahi: exported {} rows in PLAINTEXT; {} withheld for consent",
                    summary.rows, summary.withheld
                );
            } else {
                let summary = export_to(&mut out, |w| v.export_jsonl(ExportOptions { anonymise }, w))?;
                eprintln!(
                    "gawahi: exported {} records and {} links in PLAINTEXT; {} withheld for consent or anonymity",
                    summary.records, summary.links, summary.withheld
                );
            }
        }
        Command::Report { vault, out: dest, lang, case, cause_list, from, to, anonymise, json } => {
            let today = gawahi_core::date::today_local();
            let kind = match (case, cause_list) {
                (Some(case_id), _) => ReportKind::Dossier { case_id },
                (None, true) => {
                    let (from, to) = week_from(from, to, &today);
                    ReportKind::CauseList { from, to }
                }
                (None, false) => ReportKind::Summary,
            };
            let lang = if lang == "ur" { Lang::Ur } else { Lang::En };
            let request = ReportRequest { kind, lang, anonymise, today };
            let bytes = unlock(&vault)?.write_report(&request, &dest)?;
            if json {
                print_json(&mut out, &json!({"bytes": bytes}))?;
            } else {
                note(&format!("wrote the report ({bytes} bytes) in PLAINTEXT"));
            }
        }
        Command::Vocab { vault, name, lang, json, add, en, ur, parent, find, add_section } => {
            if find.is_some() && name.as_deref() != Some("sections") {
                return Err(Failure::Usage(
                    "--find searches the sections vocabulary: gawahi vocab VAULT sections --find QUERY".into(),
                ));
            }
            if add_section.is_some() && name.as_deref() != Some("sections") {
                return Err(Failure::Usage(
                    "--add-section adds to the sections vocabulary: gawahi vocab VAULT sections --add-section N --parent STATUTE".into(),
                ));
            }
            let mut v = unlock(&vault)?;
            if let Some(section) = add_section {
                let statute = parent.unwrap_or_default();
                let entry = v.add_own_section(&statute, &section, en.as_deref(), ur.as_deref())?;
                print_fields(&mut out, &[&entry.code])?;
                return Ok(());
            }
            if let Some(query) = find {
                let found = v.find_sections(&query)?;
                if json {
                    print_json(&mut out, &serde_json::to_value(&found).unwrap_or_default())?;
                } else {
                    for m in &found {
                        let label = if lang == "ur" { &m.ur } else { &m.en };
                        print_fields(&mut out, &[&m.statute, &m.section, label])?;
                    }
                }
                return Ok(());
            }
            let Some(name) = name else {
                for n in v.vocab_names()? {
                    print_fields(&mut out, &[&n])?;
                }
                return Ok(());
            };
            if let Some(code) = add {
                let entry =
                    Entry { code, parent, en: en.unwrap_or_default(), ur: ur.unwrap_or_default(), extra: Map::new() };
                v.vocab_add(&name, &entry)?;
                return Ok(());
            }
            let entries = v.vocab(&name)?;
            if json {
                print_json(&mut out, &serde_json::to_value(&entries).unwrap_or_default())?;
            } else {
                let lang = if lang == "ur" { Lang::Ur } else { Lang::En };
                for e in &entries {
                    print_fields(&mut out, &[&e.code, e.label(lang)])?;
                }
            }
        }
        Command::Evidence { command } => evidence(command, &unlock, &mut out)?,
        Command::Hearing {
            command: HearingCommand::Record { vault, hearing_id, status, outcome, next_date, json },
        } => {
            // The value parser admits only these four; anything else is a usage error before here.
            let status = HearingStatus::parse(&status)
                .ok_or_else(|| Failure::Usage("--status is one of held, adjourned, not_taken_up, decided".into()))?;
            let done = unlock(&vault)?.record_hearing_outcome(
                &hearing_id,
                status,
                outcome.as_deref(),
                next_date.as_deref(),
            )?;
            if json {
                let next = done.next.map_or(Value::Null, |n| Value::Object(n.to_json()));
                print_json(&mut out, &json!({"hearing": Value::Object(done.hearing.to_json()), "next": next}))?;
            } else if let Some(next) = done.next {
                print_fields(&mut out, &[&next.id])?;
            }
        }
        Command::CauseList { vault, from, to, json } => {
            let today = gawahi_core::date::today_local();
            let (from, to) = week_from(from, to, &today);
            let list = unlock(&vault)?.cause_list(&from, &to, &today)?;
            if json {
                print_json(&mut out, &serde_json::to_value(&list).unwrap_or_default())?;
            } else {
                for court in &list {
                    print_fields(
                        &mut out,
                        &[&format!("# {}", court.court.as_deref().unwrap_or("(court not recorded)"))],
                    )?;
                    for h in &court.hearings {
                        print_fields(
                            &mut out,
                            &[
                                &h.date,
                                h.status.as_str(),
                                &h.case_title,
                                h.case_number.as_deref().unwrap_or("-"),
                                &h.hearing_id,
                            ],
                        )?;
                    }
                }
            }
        }
        Command::Search { vault, query, filters, limit, save, saved, list_saved, json } => {
            let mut v = unlock(&vault)?;
            if list_saved {
                let all = v.saved_searches()?;
                if json {
                    print_json(&mut out, &serde_json::to_value(&all).unwrap_or_default())?;
                } else {
                    for s in &all {
                        print_fields(&mut out, &[&s.name, &s.query])?;
                    }
                }
                return Ok(());
            }
            let mut filters = filters.into_filters();
            let query = match saved {
                Some(name) => {
                    let s = v.saved_search(&name)?;
                    let mut kept = s.filters;
                    // A value of a facet the saved search already filters is one more
                    // alternative of it (Sindh as well as Balochistan): a second filter on the
                    // same facet would have to hold too, and would leave nothing.
                    for extra in filters.facets.drain(..) {
                        match kept.facets.iter_mut().find(|f| f.facet == extra.facet) {
                            Some(own) => {
                                for value in extra.values {
                                    if !own.values.contains(&value) {
                                        own.values.push(value);
                                    }
                                }
                            }
                            None => kept.facets.push(extra),
                        }
                    }
                    kept.date_from = filters.date_from.or(kept.date_from);
                    kept.date_to = filters.date_to.or(kept.date_to);
                    kept.linked_to = filters.linked_to.or(kept.linked_to);
                    kept.has_evidence = filters.has_evidence.or(kept.has_evidence);
                    filters = kept;
                    s.query
                }
                None => query.unwrap_or_default(),
            };
            if let Some(name) = save {
                v.save_search(&SavedSearch { name, query: query.clone(), filters: filters.clone() })?;
            }
            let groups = v.search(&query, &filters, limit)?;
            if json {
                print_json(&mut out, &serde_json::to_value(&groups).unwrap_or_default())?;
            } else {
                // Bold on a terminal; square brackets where the output goes to a file or a pipe.
                let tty = std::io::stdout().is_terminal();
                for g in &groups {
                    let more = if g.more { " (more)" } else { "" };
                    print_fields(&mut out, &[&format!("# {}{more}", g.kind)])?;
                    for h in &g.hits {
                        print_hit(&mut out, &h.id, &h.title, &h.snippet, tty)?;
                    }
                }
            }
        }
        Command::Stats { vault, by, filters, lang, json } => {
            let Some(facet) = Facet::parse(&by) else {
                let all: Vec<&str> = Facet::ALL.iter().map(|f| f.as_str()).collect();
                return Err(Failure::Usage(format!("unknown field for --by; use one of: {}", all.join(", "))));
            };
            let counts = unlock(&vault)?.stats(facet, &filters.into_filters())?;
            if json {
                print_json(&mut out, &serde_json::to_value(&counts).unwrap_or_default())?;
            } else {
                for c in &counts {
                    let label = if lang == "ur" { c.ur.as_deref() } else { c.en.as_deref() };
                    print_fields(&mut out, &[&c.value, label.unwrap_or("-"), &c.count.to_string()])?;
                }
            }
        }
        Command::Deadlines { vault, within, json } => {
            let today = gawahi_core::date::today_local();
            // The core names its argument `days`; here it is `--within`.
            let rows = unlock(&vault)?.deadlines(&today, within).map_err(|e| match e {
                Error::Invalid(mut i) if i.field.as_deref() == Some("days") => {
                    i.field = Some("within".to_owned());
                    Error::Invalid(i)
                }
                e => e,
            })?;
            if json {
                print_json(&mut out, &serde_json::to_value(&rows).unwrap_or_default())?;
            } else {
                for r in &rows {
                    let when = if r.overdue {
                        format!("OVERDUE {} day(s)", -r.days_left)
                    } else {
                        format!("in {} day(s)", r.days_left)
                    };
                    let case = r.case.as_ref().map_or("-", |c| c.label.as_str());
                    print_fields(
                        &mut out,
                        &[&r.due_on, &when, r.deadline.as_str(), r.title.as_deref().unwrap_or("-"), case, &r.record_id],
                    )?;
                }
            }
        }
        Command::Identity { vault, export_age_identity, json } => {
            let mut v = unlock(&vault)?;
            let id = v.identity()?;
            if let Some(dest) = export_age_identity {
                v.export_age_identity(&dest)?;
                note("wrote the vault's age identity (a SECRET key) to the file given, readable only by you");
            }
            if json {
                print_json(&mut out, &serde_json::to_value(&id).unwrap_or_default())?;
            } else {
                print_fields(&mut out, &["age recipient", &id.age_recipient])?;
                print_fields(&mut out, &["signing key", &id.signing_key])?;
                print_fields(&mut out, &["signing key (hex)", &id.signing_key_hex])?;
                print_fields(&mut out, &["signing key (base64)", &id.signing_key_base64])?;
                print_fields(&mut out, &["ssh fingerprint", &id.ssh_fingerprint])?;
                print_fields(&mut out, &["fingerprint", &id.fingerprint])?;
            }
        }
        Command::Contact { command } => bundle::contact(command, &unlock, &mut out)?,
        Command::Bundle { command } => bundle::bundle(command, &unlock, sources, &mut out)?,
        Command::Wipe { vault, yes, json: _ } => safety::wipe(&vault, yes)?,
        Command::Recovery { command } => safety::recovery(command, &unlock, sources, &mut out)?,
        Command::Duress { vault, command } => safety::duress(&vault, command, &unlock)?,
        Command::UnlockLimit { vault, set, json } => {
            safety::unlock_limit(&vault, set.as_deref(), json, &unlock, &mut out)?;
        }
        Command::Camouflage { vault, state, json } => {
            let to = state.map(|s| match s {
                CamouflageArg::On => gawahi_core::files::NameSet::Neutral,
                CamouflageArg::Off => gawahi_core::files::NameSet::Own,
            });
            safety::camouflage(&vault, to, json, &mut out)?;
        }
        Command::Log { vault, limit } => {
            let entries = unlock(&vault)?.audit_tail(limit)?;
            print_json(&mut out, &serde_json::to_value(&entries).unwrap_or_default())?;
        }
    }
    Ok(())
}

fn evidence(
    command: EvidenceCommand,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
    out: &mut impl std::io::Write,
) -> Result<(), Failure> {
    match command {
        EvidenceCommand::Add { vault, files, record, acquired_at, acquired_by, source, notes, copy_of, redaction } => {
            // Every file is opened before anything is added, so a typo adds nothing.
            let mut opened = Vec::new();
            for path in &files {
                let unreadable = |why: &str| {
                    Failure::from(Invalid::field(
                        "file",
                        Reason::UnreadableFile,
                        format!("cannot read a file given: {why}"),
                    ))
                };
                let f = std::fs::File::open(path).map_err(|e| unreadable(io_reason(&e)))?;
                if !f.metadata().is_ok_and(|m| m.is_file()) {
                    return Err(unreadable("it is not a regular file"));
                }
                // The name is kept as it was, whatever its bytes; the path before it is not kept.
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                opened.push((f, name));
            }
            let mut v = unlock(&vault)?;
            for (f, original_name) in opened {
                let meta = EvidenceMeta {
                    original_name,
                    acquired_at: acquired_at.clone(),
                    acquired_by: acquired_by.clone(),
                    source: source.clone(),
                    notes: notes.clone(),
                };
                let item = match &copy_of {
                    Some(parent) => {
                        let kind = if redaction { CopyKind::Redaction } else { CopyKind::Copy };
                        v.add_working_copy(&record, parent, f, meta, kind)?
                    }
                    None => v.add_evidence(&record, f, meta)?,
                };
                print_fields(out, &[&item.id, &item.sha256])?;
                if item.has_location {
                    note("warning: this file carries a location (EXIF GPS); remove it before sharing the file");
                }
                if item.has_device_info {
                    note("warning: this file names the device that made it (EXIF make, model or serial number)");
                }
            }
        }
        EvidenceCommand::List { vault, record, json } => {
            let items = unlock(&vault)?.list_evidence(record.as_deref())?;
            if json {
                print_json(out, &serde_json::to_value(&items).unwrap_or_default())?;
            } else {
                for i in &items {
                    let (camera, taken_at, position) = capture_fields(i.capture.as_ref());
                    print_fields(
                        out,
                        &[
                            &i.id,
                            &i.record_id,
                            &i.size.to_string(),
                            &i.media_type,
                            if i.has_location { "location" } else { "-" },
                            &i.sha256,
                            &camera,
                            &taken_at,
                            &position,
                            i.original_name.as_deref().unwrap_or(""),
                        ],
                    )?;
                }
            }
        }
        EvidenceCommand::Export { vault, item, out: dest } => {
            let item = unlock(&vault)?.export_evidence(&item, &dest)?;
            note(&format!("exported {} in PLAINTEXT ({} bytes, SHA-256 {} verified)", item.id, item.size, item.sha256));
        }
        EvidenceCommand::Verify { vault, item } => {
            let mut v = unlock(&vault)?;
            // Ids as the vault has them: nothing typed is repeated.
            let ids: Vec<String> = match item {
                Some(id) => vec![v.evidence(&id)?.id],
                None => v.list_evidence(None)?.into_iter().map(|i| i.id).collect(),
            };
            let single = ids.len() == 1;
            let mut failed = Vec::new();
            for id in &ids {
                match v.verify_evidence(id) {
                    Ok(item) => print_fields(out, &["ok", &item.id, &item.sha256])?,
                    Err(e @ Error::EvidenceNotFound(_)) => return Err(e.into()),
                    Err(e) if single => {
                        print_fields(out, &["FAILED", id, e.code().as_str()])?;
                        return Err(Error::CheckFailed(format!("the evidence item failed verification: {e}")).into());
                    }
                    Err(e) => {
                        print_fields(out, &["FAILED", id, e.code().as_str()])?;
                        failed.push(id.clone());
                    }
                }
            }
            if !failed.is_empty() {
                return Err(Error::CheckFailed(format!(
                    "{} evidence item(s) failed verification (listed above as FAILED); do not rely on them, restore from a backup",
                    failed.len()
                ))
                .into());
            }
        }
        EvidenceCommand::Custody { vault, item } => {
            let entries = unlock(&vault)?.custody(&item)?;
            print_json(out, &serde_json::to_value(&entries).unwrap_or_default())?;
        }
    }
    Ok(())
}

/// The capture metadata as three fields of `evidence list`: the camera (make and model), the time
/// taken, and the position (`latitude,longitude` and `,altitude` in metres when known), each
/// `-` when the file does not say. Escaped with the rest of the line: a camera's make is the
/// file's text, not the vault's.
fn capture_fields(capture: Option<&gawahi_core::evidence::Capture>) -> (String, String, String) {
    let Some(c) = capture else { return ("-".into(), "-".into(), "-".into()) };
    let camera =
        [c.camera_make.as_deref(), c.camera_model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let position = match (&c.latitude, &c.longitude, &c.altitude) {
        (Some(lat), Some(lon), Some(alt)) => format!("{lat},{lon},{alt}"),
        (Some(lat), Some(lon), None) => format!("{lat},{lon}"),
        _ => String::new(),
    };
    let dash = |s: String| if s.is_empty() { "-".to_owned() } else { s };
    (dash(camera), dash(c.taken_at.clone().unwrap_or_default()), dash(position))
}

fn parse_kind(kind: &str) -> Result<Kind, Failure> {
    Kind::parse(kind).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        // What was typed is not repeated: it may be anything, control characters included.
        Failure::Usage(format!("unknown kind of record; use one of: {}", all.join(", ")))
    })
}

fn read_object(json: Option<String>, file: Option<&Path>) -> Result<Map<String, Value>, Failure> {
    let text = match (json, file) {
        (Some(j), _) => j,
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| {
            Invalid::field("file", Reason::UnreadableFile, format!("cannot read the file given: {}", io_reason(&e)))
        })?,
        (None, None) => return Err(Failure::Usage("give the record as --json '{…}' or --file F".into())),
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Invalid::whole(Reason::WrongType, "expected a JSON object such as {\"title\": \"…\"}").into()),
        // serde_json's syntax errors name no values, but only the position is kept all the same.
        Err(e) => Err(Invalid::whole(
            Reason::WrongType,
            format!("not valid JSON (a syntax error at line {}, column {})", e.line(), e.column()),
        )
        .into()),
    }
}

/// What went wrong with a file, in words that hold nothing of the path or its contents.
pub(crate) fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "it does not exist",
        K::PermissionDenied => "permission denied",
        K::InvalidData => "it is not UTF-8 text",
        K::IsADirectory => "it is a directory",
        _ => "a read error",
    }
}

/// The days a cause list covers: from `from` (today if not given) to `to` (six days on if not
/// given, but not past the calendar's end: `--from 9999-12-31` alone is a one-day list, not an
/// error about a `--to` that was never given).
fn week_from(from: Option<String>, to: Option<String>, today: &str) -> (String, String) {
    let from = from.unwrap_or_else(|| today.to_owned());
    let to = match to {
        Some(to) => to,
        None => gawahi_core::date::add_days(&from, 6)
            .filter(|d| gawahi_core::date::check_day("to", Some(d)).is_ok())
            .unwrap_or_else(|| "9999-12-31".to_owned()),
    };
    (from, to)
}
