//! The evidence locker: files of any size attached to a record, encrypted at rest in `blobs/`
//! (the format is in [`crate::crypto::stream`] and docs/evidence-format.md), each with its own
//! random key wrapped under the vault's blob key-wrapping key, its SHA-256 taken at intake, and a
//! hash-chained custody log of everything done with it.
//!
//! This module holds the types and their validation, and [`sniff`] (media type, location). The
//! tables are in `store/evidence.rs` and `store/custody.rs`; the operations are `impl Vault` in
//! `vault/evidence.rs`.

mod boxes;
pub mod sniff;
pub mod thumbnail;

use serde::{Deserialize, Serialize};

use crate::audit::hash_fields;
use crate::date::{Precision, check_partial};
use crate::error::{Invalid, Reason};
use crate::model::Kind;
use crate::model::validate::{SHORT_TEXT, long, short};

/// The kinds of record evidence can be attached to.
pub const EVIDENCE_KINDS: [Kind; 6] =
    [Kind::Incident, Kind::Threat, Kind::Case, Kind::Hearing, Kind::Person, Kind::Referral];

/// The longest original file name kept, in characters.
pub const MAX_NAME_CHARS: usize = SHORT_TEXT;

/// What the person adding a file knows about it. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceMeta {
    /// The file's name as it was (free text: kept exactly, shown escaped; never used as a path).
    pub original_name: Option<String>,
    /// When it was obtained: a partial date (`2024-03-05T14:30:00+05:00`, `2024-03-05`,
    /// `2024-03`, `2024`).
    pub acquired_at: Option<String>,
    /// Who obtained it.
    pub acquired_by: Option<String>,
    /// Where it came from: a device, a URL, a person.
    pub source: Option<String>,
    /// Anything else.
    pub notes: Option<String>,
}

impl EvidenceMeta {
    /// Checks lengths, lines, NUL characters and the date; returns the date's precision.
    pub(crate) fn validate(&self) -> Result<Precision, Invalid> {
        let fields = [
            ("original_name", &self.original_name),
            ("acquired_at", &self.acquired_at),
            ("acquired_by", &self.acquired_by),
            ("source", &self.source),
            ("notes", &self.notes),
        ];
        for (field, value) in fields {
            if value.as_deref().is_some_and(|v| v.contains('\0')) {
                return Err(Invalid::field(field, Reason::NulCharacter, "holds a NUL character"));
            }
        }
        // A file name may hold anything a file system allows (line breaks, controls, bidi
        // overrides): it is kept as it is and escaped wherever it is shown.
        if self.original_name.as_deref().is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
            return Err(Invalid::field(
                "original_name",
                Reason::TooLong,
                format!("is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        short("acquired_by", self.acquired_by.as_deref())?;
        short("source", self.source.as_deref())?;
        long("notes", self.notes.as_deref())?;
        check_partial("acquired_at", self.acquired_at.as_deref(), None)
    }
}

/// What a photo's or a video's own metadata says about how it was made: the camera, the time
/// and the place. Read at intake from the file's EXIF (JPEG, TIFF, PNG `eXIf`, WebP, HEIC) or a
/// QuickTime/MP4 movie's metadata; every field is as the file states it (a camera's clock and a
/// phone's fix can both be wrong), and none was entered by a person.
///
/// Coordinates are decimal degrees (WGS 84, south and west negative) and the altitude metres
/// above sea level (below negative), each written as a decimal string so that no reader rounds
/// them. The time is `YYYY-MM-DDTHH:MM:SS`, followed by the offset from UTC (`+05:00`) when the
/// file records it: without an offset it is the camera's local time, whatever zone that was.
/// Texts (make, model) are kept as the file has them, up to [`MAX_CAPTURE_TEXT`] characters,
/// and escaped wherever they are shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// The camera's or phone's maker (EXIF Make, QuickTime `©mak`).
    pub camera_make: Option<String>,
    /// Its model (EXIF Model, QuickTime `©mod`).
    pub camera_model: Option<String>,
    /// When the picture was taken (EXIF DateTimeOriginal and OffsetTimeOriginal).
    pub taken_at: Option<String>,
    /// Latitude in decimal degrees.
    pub latitude: Option<String>,
    /// Longitude in decimal degrees.
    pub longitude: Option<String>,
    /// Altitude in metres.
    pub altitude: Option<String>,
}

/// The longest make or model kept from a file's metadata, in characters.
pub const MAX_CAPTURE_TEXT: usize = 120;

impl Capture {
    /// Whether the file said nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether it holds a position.
    pub fn has_position(&self) -> bool {
        self.latitude.is_some() && self.longitude.is_some()
    }

    /// Whether it names the device.
    pub fn names_device(&self) -> bool {
        self.camera_make.is_some() || self.camera_model.is_some()
    }

    /// Fills the fields this one lacks from `other` (a later source of the same file).
    pub(crate) fn or(self, other: Self) -> Self {
        Self {
            camera_make: self.camera_make.or(other.camera_make),
            camera_model: self.camera_model.or(other.camera_model),
            taken_at: self.taken_at.or(other.taken_at),
            latitude: self.latitude.or(other.latitude),
            longitude: self.longitude.or(other.longitude),
            altitude: self.altitude.or(other.altitude),
        }
    }

    /// `Some(self)` unless it is empty.
    pub(crate) fn non_empty(self) -> Option<Self> {
        (!self.is_empty()).then_some(self)
    }

    /// The form the vault stores and hashes: compact JSON with the fields in a fixed order.
    pub(crate) fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An evidence item as the vault keeps it (the encrypted file's name and key are not part of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// UUIDv7.
    pub id: String,
    /// The record it belongs to.
    pub record_id: String,
    /// The file's name as given, if any.
    pub original_name: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes as they were at intake (lowercase hex): the evidentiary hash.
    pub sha256: String,
    /// The media type its content shows (never its name).
    pub media_type: String,
    /// Whether it carries a location (EXIF GPS): think before sharing it.
    pub has_location: bool,
    /// Whether it names the device that made it (EXIF make, model, serial number or owner).
    pub has_device_info: bool,
    /// What its own metadata says of the camera, the time and the place, when it says anything.
    pub capture: Option<Capture>,
    /// When it was obtained (partial date).
    pub acquired_at: Option<String>,
    /// How precisely `acquired_at` is known.
    pub acquired_at_precision: Precision,
    /// Who obtained it.
    pub acquired_by: Option<String>,
    /// Where it came from.
    pub source: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was added to the vault (RFC 3339, UTC).
    pub added_at: String,
    /// For a working copy (a redacted image, say): the item it was made from. The original is
    /// never altered; the copy is an item of its own on the same record.
    pub parent_id: Option<String>,
    /// For a working copy: its parent's SHA-256 when the copy was made, which `check` compares
    /// with the parent's.
    pub parent_sha256: Option<String>,
}

impl EvidenceItem {
    /// The SHA-256 (hex) of everything the vault keeps about the item, which its audit entries
    /// record so that `check` can tell metadata changed behind the vault's back.
    pub fn content_hash(&self) -> String {
        let size = self.size.to_string();
        let precision = serde_json::to_string(&self.acquired_at_precision).unwrap_or_default();
        let none = "\u{0}";
        let fields: [&str; 13] = [
            &self.id,
            &self.record_id,
            self.original_name.as_deref().unwrap_or(none),
            &size,
            &self.sha256,
            &self.media_type,
            if self.has_location { "1" } else { "0" },
            self.acquired_at.as_deref().unwrap_or(none),
            &precision,
            self.acquired_by.as_deref().unwrap_or(none),
            self.source.as_deref().unwrap_or(none),
            self.notes.as_deref().unwrap_or(none),
            &self.added_at,
        ];
        // The later fields are hashed only when set (a working copy, a device named), so that
        // the hash of every item added before they existed (as its audit entry recorded it)
        // stays the same.
        if self.parent_id.is_none() && self.parent_sha256.is_none() && !self.has_device_info && self.capture.is_none() {
            return hash_fields(&fields);
        }
        let mut all = fields.to_vec();
        all.push(self.parent_id.as_deref().unwrap_or(none));
        all.push(self.parent_sha256.as_deref().unwrap_or(none));
        all.push(if self.has_device_info { "1" } else { "0" });
        // Likewise the capture metadata (read at intake since schema order 16).
        let capture = self.capture.as_ref().map(Capture::to_stored);
        if let Some(c) = &capture {
            all.push(c);
        }
        hash_fields(&all)
    }

    /// What the first entry of the item's custody log records: its SHA-256 and size, and for a
    /// working copy its parent's SHA-256.
    pub fn intake_detail(&self) -> String {
        match &self.parent_sha256 {
            Some(parent) => format!("{} parent_sha256={parent}", intake_detail(&self.sha256, self.size)),
            None => intake_detail(&self.sha256, self.size),
        }
    }
}

/// What a custody entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CustodyAction {
    /// The file was taken in (its SHA-256 and size in the detail).
    Intake,
    /// The file was opened for reading.
    View,
    /// The file was decrypted to a file outside the vault.
    Export,
    /// The file was decrypted and its SHA-256 compared (the outcome in the detail).
    Verify,
    /// The item and its file were deleted.
    Delete,
    /// A redacted working copy was made from the item (the copy's id in the detail).
    Redaction,
    /// A working copy was made from the item (the copy's id in the detail).
    Copy,
    /// The file came in from a sealed bundle (the bundle, its signer and when it was sealed in
    /// the detail); the entry follows the item's intake entry in this vault.
    Import,
}

/// What a working copy is: a redaction (boxes drawn over faces or names) or a plain copy (say,
/// with its metadata stripped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CopyKind {
    /// Parts of the original are hidden.
    Redaction,
    /// Any other working copy.
    Copy,
}

impl CustodyAction {
    /// The action's code as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::View => "view",
            Self::Export => "export",
            Self::Verify => "verify",
            Self::Delete => "delete",
            Self::Redaction => "redaction",
            Self::Copy => "copy",
            Self::Import => "import",
        }
    }
}

/// One entry of an item's custody log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CustodyEntry {
    /// The item.
    pub item_id: String,
    /// Position in the item's chain, from 1.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What was done (`intake`, `view`, `export`, `verify`, `delete`, `redaction`, `copy`).
    pub action: String,
    /// What the vault adds (at intake the SHA-256 and size), never anything the user typed.
    pub detail: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl CustodyEntry {
    /// SHA-256 over the previous hash and this entry's fields, each length-prefixed.
    pub fn compute_hash(&self) -> String {
        let seq = self.seq.to_string();
        hash_fields(&[
            &self.prev_hash,
            &self.item_id,
            &seq,
            &self.at,
            &self.action,
            self.detail.as_deref().unwrap_or("\u{0}"),
        ])
    }
}

/// The detail of an intake entry: the evidentiary hash and the size, so the chain anchors them.
pub fn intake_detail(sha256: &str, size: u64) -> String {
    format!("sha256={sha256} size={size}")
}

/// An evidence file being read (from [`crate::Vault::open_evidence`]): plaintext comes only from
/// chunks whose tag has been checked. A damaged file fails the read with an [`std::io::Error`] of
/// kind `InvalidData` whose inner error is [`crate::Error::EvidenceTampered`]
/// ([`EvidenceReader::vault_error`] gets it back), and keeps failing.
///
/// It is seekable (a video player asks for ranges): seeking opens the chunk that holds the
/// position; the file's length, header and last chunk were checked when it was opened.
pub struct EvidenceReader {
    pub(crate) inner: crate::crypto::stream::Seekable<std::fs::File>,
}

impl std::fmt::Debug for EvidenceReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceReader").finish_non_exhaustive()
    }
}

impl std::io::Read for EvidenceReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl std::io::Seek for EvidenceReader {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

impl EvidenceReader {
    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.inner.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The vault's error behind a read error: [`crate::Error::EvidenceTampered`] for a damaged
    /// file, else an I/O error.
    pub fn vault_error(e: std::io::Error) -> crate::Error {
        crate::crypto::stream::error_of(e, |e| crate::Error::Io {
            action: "read",
            path: std::path::PathBuf::from("blobs/blob"),
            source: e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_bad_metadata_is_refused_by_field() {
        let bad = [
            (EvidenceMeta { original_name: Some("a\0b".into()), ..Default::default() }, Reason::NulCharacter),
            (
                EvidenceMeta { original_name: Some("x".repeat(MAX_NAME_CHARS + 1)), ..Default::default() },
                Reason::TooLong,
            ),
            (EvidenceMeta { acquired_at: Some("last spring".into()), ..Default::default() }, Reason::NotAPartialDate),
            (EvidenceMeta { source: Some("two\nlines".into()), ..Default::default() }, Reason::NotOneLine),
            (EvidenceMeta { notes: Some("\0".into()), ..Default::default() }, Reason::NulCharacter),
        ];
        for (meta, reason) in bad {
            assert_eq!(meta.validate().expect_err("refused").reason, reason, "{meta:?}");
        }
        let odd_name = EvidenceMeta {
            original_name: Some("..\u{202e}gpj.exe\n\u{1b}[2J".into()),
            acquired_at: Some("2024-03".into()),
            ..Default::default()
        };
        assert_eq!(odd_name.validate(), Ok(Precision::Month), "odd names are kept; they are escaped when shown");
    }
}
