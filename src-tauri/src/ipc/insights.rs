//! What crosses IPC for statistics, the anonymised table export, PDF reports and the charts the
//! window saves: requests and views. Every file is written only where the user chose in the
//! page's save dialog, as a new file (nothing is overwritten).

use gawahi_core::model::Kind;
use gawahi_core::search::{Count, Facet, Filters};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{IpcError, REQUEST_HEADER};
use gawahi_core::error::{ErrorCode, Reason};

/// Request of `stats`: how many records within `filters` have each value of `by`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatsRequest {
    /// The field counted by.
    pub by: Facet,
    /// What is counted (the same filters as a search).
    #[serde(default)]
    pub filters: Filters,
}

/// One bar of a chart: a value, its labels and its count.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatView {
    /// The value (a vocabulary code, a month `YYYY-MM`, a kind, or an offence as written).
    pub value: String,
    /// Its English label, for a vocabulary's code.
    pub en: Option<String>,
    /// Its Urdu label, for a vocabulary's code.
    pub ur: Option<String>,
    /// How many.
    #[ts(type = "number")]
    pub count: u64,
}

impl From<Count> for StatView {
    fn from(c: Count) -> Self {
        Self { value: c.value, en: c.en, ur: c.ur, count: c.count }
    }
}

/// The format of an exported table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TableFormatView {
    /// CSV with the columns Uwazi imports.
    Csv,
    /// JSON Lines, one object a row.
    Json,
}

/// Request of `export_table`. The window only makes anonymised tables: persons without consent
/// are always left out, names are always pseudonyms.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportTableRequest {
    /// The kind of record, one row each.
    pub kind: Kind,
    /// CSV or JSON Lines.
    pub format: TableFormatView,
    /// Cut every date to its month.
    pub coarsen_dates: bool,
    /// Leave out cities and towns, keeping province and district.
    pub coarsen_places: bool,
    /// Where to write (an absolute path the user chose; a new file).
    pub path: String,
}

/// A table written.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TableExportedView {
    /// Rows written.
    #[ts(type = "number")]
    pub rows: u64,
    /// Records left out for want of consent.
    #[ts(type = "number")]
    pub withheld: u64,
}

/// Which PDF report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "report", deny_unknown_fields)]
pub enum ReportChoice {
    /// Counts by type, province, month, case kind and status. A variant with braces rather than a
    /// unit one: serde's internally tagged unit variant accepts any other field, and this one
    /// refuses them like its siblings.
    Summary {},
    /// One case for a lawyer.
    Dossier {
        /// The case.
        #[serde(rename = "caseId")]
        case_id: String,
    },
    /// Hearings between two days, by court.
    CauseList {
        /// The first day (`YYYY-MM-DD`).
        from: String,
        /// The last day.
        to: String,
    },
}

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportLang {
    /// English.
    En,
    /// Urdu, right to left.
    Ur,
}

/// Request of `write_report`.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WriteReportRequest {
    /// Which report.
    pub kind: ReportChoice,
    /// Its language.
    pub lang: ReportLang,
    /// Persons only with consent and by pseudonym, no free text, small counts suppressed.
    pub anonymise: bool,
    /// The user's local date (`YYYY-MM-DD`).
    pub today: String,
    /// Where to write (an absolute path the user chose; a new file).
    pub path: String,
}

/// A report written.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportWrittenView {
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a saved chart is: the image the page drew, or its numbers as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartFileFormat {
    /// A PNG image.
    Png,
    /// CSV text (UTF-8), the chart's numbers.
    Csv,
}

/// Request of `save_chart`. It is not JSON: the file the page made travels as the raw body of
/// the call, and the other fields as JSON in the `Gawahi-Request` header (as `add_working_copy`
/// does).
#[derive(Debug, TS)]
#[ts(rename_all = "camelCase")]
pub struct SaveChartRequest {
    /// Where to write (an absolute path the user chose; a new file).
    pub path: String,
    /// What the bytes are.
    pub format: ChartFileFormat,
    /// The file's bytes (the raw body; never in the header).
    #[ts(skip)]
    pub bytes: Vec<u8>,
}

/// The header of `save_chart`'s call.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SaveChartHeader {
    path: String,
    format: ChartFileFormat,
}

impl SaveChartRequest {
    /// Reads the call: the path from the header, the bytes from the raw body. Anything else is
    /// invalid input, named without repeating it.
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
        let h: SaveChartHeader = serde_json::from_slice(header)
            .map_err(|_| invalid("request", "expected path and format as JSON in the header"))?;
        Ok(Self { path: h.path, format: h.format, bytes: bytes.clone() })
    }
}

impl<'de, R: tauri::Runtime> tauri::ipc::CommandArg<'de, R> for SaveChartRequest {
    fn from_command(command: tauri::ipc::CommandItem<'de, R>) -> Result<Self, tauri::ipc::InvokeError> {
        let header = command.message.headers().get(REQUEST_HEADER).map(tauri::http::HeaderValue::as_bytes);
        Self::from_parts(header, command.message.payload())
            .map_err(|e| tauri::ipc::InvokeError(serde_json::to_value(e).unwrap_or_default()))
    }
}
