//! What crosses IPC for the vault's identity, its contacts and sealed bundles: requests and
//! views. The views are the core's own types reshaped for the window: counts and fingerprints, and a
//! failed check as a code the window says in its own language (the core's English sentence names
//! the check for the CLI).

use gawahi_core::bundle::reader::{BundleCheck, BundleFile, BundleReport};
use gawahi_core::bundle::{Carries, Selection};
use gawahi_core::vault::{BundleExported, BundleImported};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Request of `identity`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityRequest {}

/// The vault's public identity: what another vault needs to seal bundles to it and to recognise
/// its signature. Nothing secret.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    /// The fingerprint of both keys, six groups of five digits, to read out over the phone.
    pub fingerprint: String,
    /// The age recipient (`age1…`) others seal bundles to.
    pub age_recipient: String,
    /// The Ed25519 signing key as an OpenSSH line (`ssh-ed25519 AAAA… gawahi`).
    pub signing_key: String,
    /// The signing key's SSH fingerprint (`SHA256:…`), as `ssh-keygen -l` prints it.
    pub ssh_fingerprint: String,
}

impl From<gawahi_core::vault::Identity> for IdentityView {
    fn from(i: gawahi_core::vault::Identity) -> Self {
        Self {
            fingerprint: i.fingerprint,
            age_recipient: i.age_recipient,
            signing_key: i.signing_key,
            ssh_fingerprint: i.ssh_fingerprint,
        }
    }
}

/// Request of `list_contacts`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListContactsRequest {}

/// Request of `add_contact`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddContactRequest {
    /// The name to know them by (unique in the vault).
    pub name: String,
    /// Their age recipient, `age1…`.
    pub age_recipient: String,
    /// Their signing key (`ssh-ed25519 AAAA…`), if they use Gawahi: their bundles are then
    /// recognised and their fingerprint shown.
    pub signing_key: Option<String>,
}

/// Request of `remove_contact`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemoveContactRequest {
    /// The contact's id.
    pub id: String,
}

/// A saved contact.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactView {
    /// Its id.
    pub id: String,
    /// The name the user gave.
    pub name: String,
    /// Their age recipient.
    pub age_recipient: String,
    /// Their fingerprint, when their signing key is known, to compare with the one they read out.
    pub fingerprint: Option<String>,
    /// When the contact was added (RFC 3339).
    pub added_at: String,
}

impl From<gawahi_core::vault::Contact> for ContactView {
    fn from(c: gawahi_core::vault::Contact) -> Self {
        Self {
            id: c.id,
            name: c.name,
            age_recipient: c.age_recipient,
            fingerprint: c.fingerprint,
            added_at: c.added_at,
        }
    }
}

/// Request of `export_bundle`: what to seal, for whom, and where to write it.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportBundleRequest {
    /// A case: the case and everything linked to it. Either this or `recordIds`.
    pub case_id: Option<String>,
    /// Chosen records (when no case is given).
    pub record_ids: Vec<String>,
    /// Saved contacts to seal it to, by id.
    pub contact_ids: Vec<String>,
    /// age recipients (`age1…`) to seal it to besides the contacts.
    pub age_recipients: Vec<String>,
    /// A passphrase to seal it with, instead of recipients.
    #[ts(type = "string | null")]
    pub passphrase: Option<SecretString>,
    /// Carry working copies instead of originals.
    pub working_copies: bool,
    /// The file to write (from the save dialog); it must not exist yet.
    pub path: String,
}

/// What `export_bundle` sealed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleExportedView {
    /// Records in it.
    pub records: u64,
    /// Links in it.
    pub links: u64,
    /// Evidence files in it.
    pub evidence: u64,
    /// Bytes of evidence in it.
    pub evidence_bytes: u64,
    /// Originals left out because working copies were asked for and they have none.
    pub withheld: u64,
    /// People whose name and contact were withheld (flagged anonymous).
    pub anonymised: u64,
    /// Whether it carries working copies (else originals).
    pub working_copies: bool,
    /// The names of the contacts it was sealed to, in the order chosen.
    pub contacts: Vec<String>,
    /// How many age recipients besides the contacts.
    pub other_recipients: u64,
    /// Whether it was sealed with a passphrase.
    pub passphrase: bool,
    /// The fingerprint it was signed with (this vault's).
    pub signer_fingerprint: String,
}

impl BundleExportedView {
    /// The view of `e`, sealed for `contacts` and `other_recipients` keys, or a passphrase.
    pub fn of(e: BundleExported, working_copies: bool, contacts: Vec<String>, other: usize, passphrase: bool) -> Self {
        Self {
            records: e.records,
            links: e.links,
            evidence: e.evidence,
            evidence_bytes: e.evidence_bytes,
            withheld: e.withheld,
            anonymised: e.anonymised,
            working_copies,
            contacts,
            other_recipients: other as u64,
            passphrase,
            signer_fingerprint: e.signer_fingerprint,
        }
    }
}

/// Request of `cancel_bundle`: stop the export, check or import under way.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelBundleRequest {}

/// Request of `verify_bundle` and `import_bundle`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenBundleRequest {
    /// The bundle file (from the file dialog).
    pub path: String,
    /// The passphrase it was sealed with; without one, the vault's own identity opens it.
    #[ts(type = "string | null")]
    pub passphrase: Option<SecretString>,
}

/// A check a bundle passes or fails, as a code the window translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BundleCheckCode {
    /// Not an age file at all, or its age header is damaged.
    NotABundle,
    /// Sealed to someone else: this vault's key does not open it.
    NotAddressedToYou,
    /// Sealed with a passphrase, and none was given.
    NeedsPassphrase,
    /// Sealed to recipients, and a passphrase was given.
    NeedsIdentity,
    /// The passphrase does not open it.
    WrongPassphrase,
    /// Decryption: the encrypted data opened whole (failed: damaged, cut short or lengthened).
    Decryption,
    /// The archive inside is sound.
    Archive,
    /// `manifest.json` is present, first and well formed.
    Manifest,
    /// The signatures over the manifest verify with the signer's key.
    Signature,
    /// The signer is the one expected.
    UnexpectedSigner,
    /// Every file's SHA-256 and size are the manifest's.
    FileHash,
    /// Every file the manifest lists is present.
    MissingFile,
    /// No file the manifest does not list.
    ExtraFile,
    /// No link, device or name that escapes its folder.
    UnsafeEntry,
    /// `SHA256SUMS` lists exactly the files with their hashes.
    Checksums,
    /// A check this window does not know by name (the English message says which).
    Other,
}

/// The checks a bundle that passed has passed, in the order they run.
pub const PASSED_CHECKS: [BundleCheckCode; 7] = [
    BundleCheckCode::Decryption,
    BundleCheckCode::Manifest,
    BundleCheckCode::Signature,
    BundleCheckCode::UnsafeEntry,
    BundleCheckCode::FileHash,
    BundleCheckCode::ExtraFile,
    BundleCheckCode::Checksums,
];

impl BundleCheckCode {
    /// The code of a failed check, and the place (from 1) in the manifest's list of the evidence
    /// file it names, if it names one (never its name: that came from someone else's vault).
    pub fn of(check: &BundleCheck) -> (Self, Option<u64>) {
        let file = |f: &BundleFile| match f {
            BundleFile::Evidence { index, .. } => Some(*index as u64 + 1),
            _ => None,
        };
        match check {
            BundleCheck::NotABundle => (Self::NotABundle, None),
            BundleCheck::NotAddressedToYou => (Self::NotAddressedToYou, None),
            BundleCheck::NeedsPassphrase => (Self::NeedsPassphrase, None),
            BundleCheck::NeedsIdentity => (Self::NeedsIdentity, None),
            BundleCheck::WrongPassphrase => (Self::WrongPassphrase, None),
            BundleCheck::Decryption => (Self::Decryption, None),
            BundleCheck::Archive => (Self::Archive, None),
            BundleCheck::Manifest => (Self::Manifest, None),
            BundleCheck::Signature => (Self::Signature, None),
            BundleCheck::UnexpectedSigner => (Self::UnexpectedSigner, None),
            BundleCheck::FileHash { file: f } => (Self::FileHash, file(f)),
            BundleCheck::MissingFile { file: f } => (Self::MissingFile, file(f)),
            BundleCheck::ExtraFile => (Self::ExtraFile, None),
            BundleCheck::UnsafeEntry => (Self::UnsafeEntry, None),
            BundleCheck::Checksums => (Self::Checksums, None),
            _ => (Self::Other, None),
        }
    }
}

/// One evidence file of a checked bundle.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleFileView {
    /// Its path in the bundle (`evidence/<id>-<name>`; the name is the sender's, shown isolated).
    pub path: String,
    /// Its SHA-256, checked.
    pub sha256: String,
    /// Its size in bytes, checked.
    pub size: u64,
    /// Its media type.
    pub media_type: String,
    /// Whether it carries location or device identifiers.
    pub has_location: bool,
}

/// One record of a checked bundle, read before importing (see
/// `gawahi_core::bundle::reader::ReportRecord`): the sender's texts, shown isolated.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleRecordView {
    /// Its id.
    pub id: String,
    /// Its kind code (`case`, `hearing`…).
    pub kind: String,
    /// Its one-line title; empty when it has none.
    pub title: String,
    /// A person whose name is withheld: show the placeholder in the reader's language.
    pub name_withheld: bool,
    /// Its main date (a partial date), if it has one.
    pub date: Option<String>,
}

/// What a bundle that passed every check holds, and who signed it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleReportView {
    /// When it was sealed (RFC 3339).
    pub created_at: String,
    /// The signer's fingerprint, computed from the keys that verified the signature.
    pub signer_fingerprint: String,
    /// The signer's age recipient and signing key, to save them as a contact.
    pub signer_age_recipient: String,
    /// The signer's signing key (`ssh-ed25519 AAAA… gawahi`).
    pub signer_signing_key: String,
    /// The name of the saved contact with that fingerprint, if there is one.
    pub signer_contact: Option<String>,
    /// Whether this vault signed it.
    pub signer_is_this_vault: bool,
    /// Whether it carries working copies (else originals).
    pub working_copies: bool,
    /// Whether the sender sealed a case (else chosen records).
    pub whole_case: bool,
    /// The case's id, when a whole case was sealed: the window opens it after the import.
    pub case_id: Option<String>,
    /// Records in it.
    pub records: u64,
    /// Each record in it, in the manifest's order.
    pub record_list: Vec<BundleRecordView>,
    /// Links in it.
    pub links: u64,
    /// Its evidence files.
    pub evidence: Vec<BundleFileView>,
    /// Every file in the archive.
    pub files: u64,
    /// The checks it passed, in the order they ran.
    pub checks: Vec<BundleCheckCode>,
}

impl BundleReportView {
    /// The view of `r`, with the name of the contact who signed it and whether this vault did.
    pub fn of(r: BundleReport, signer_contact: Option<String>, signer_is_this_vault: bool) -> Self {
        Self {
            created_at: r.created_at,
            signer_fingerprint: r.signer_fingerprint,
            signer_age_recipient: r.signer_age_recipient,
            signer_signing_key: r.signer_signing_key,
            signer_contact,
            signer_is_this_vault,
            working_copies: r.carries == Carries::WorkingCopies,
            whole_case: matches!(r.selection, Selection::Case(_)),
            case_id: match &r.selection {
                Selection::Case(id) => Some(id.clone()),
                _ => None,
            },
            records: r.records,
            record_list: r
                .record_list
                .into_iter()
                .map(|x| BundleRecordView {
                    id: x.id,
                    kind: x.kind,
                    title: x.title,
                    name_withheld: x.name_withheld,
                    date: x.date,
                })
                .collect(),
            links: r.links,
            evidence: r
                .evidence
                .into_iter()
                .map(|i| BundleFileView {
                    path: i.path,
                    sha256: i.sha256,
                    size: i.size,
                    media_type: i.media_type,
                    has_location: i.has_location,
                })
                .collect(),
            files: r.files,
            checks: PASSED_CHECKS.to_vec(),
        }
    }
}

/// What an import added and what the vault already had.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleImportedView {
    /// Records added.
    pub records_added: u64,
    /// Records already in the vault (same id), left as they were.
    pub records_present: u64,
    /// Links added.
    pub links_added: u64,
    /// Links already in the vault.
    pub links_present: u64,
    /// Evidence files added.
    pub evidence_added: u64,
    /// Evidence files already in the vault (same SHA-256 on the same record).
    pub evidence_present: u64,
}

impl From<&BundleImported> for BundleImportedView {
    fn from(i: &BundleImported) -> Self {
        Self {
            records_added: i.records_added,
            records_present: i.records_present,
            links_added: i.links_added,
            links_present: i.links_present,
            evidence_added: i.evidence_added,
            evidence_present: i.evidence_present,
        }
    }
}

/// The outcome of `verify_bundle` or `import_bundle`: the report (and for an import, what it
/// added), or the check the bundle failed. A failed check is an answer, not an error: the window
/// shows it in the report's place. Other failures (locked, disk full, stopped) are errors.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum BundleOutcome {
    /// It passed every check (and was imported, for an import).
    #[serde(rename_all = "camelCase")]
    Passed {
        /// What it holds (boxed: it is much larger than a failed check).
        report: Box<BundleReportView>,
        /// What the import added; none for a check only.
        imported: Option<BundleImportedView>,
    },
    /// It failed a check; nothing of it was kept.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// The check.
        check: BundleCheckCode,
        /// The place (from 1) in the sender's list of the evidence file the check names.
        file_number: Option<u64>,
        /// The version of the format, when a newer Gawahi made it (`check` is then `other`).
        too_new: Option<u32>,
    },
}
