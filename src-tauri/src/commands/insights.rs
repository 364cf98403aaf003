//! The bodies of the statistics, table export, report and chart commands (listed in
//! `command_list.rs`): thin adapters over the core. Writing reports how far it has got through
//! the `vault-progress` event (stage `writing`, then `done`).

use std::path::Path;

use gawahi_core::error::{Error, Invalid, Reason};
use gawahi_core::report::anonymise::{TableFormat, TableOptions};
use gawahi_core::vault::{ReportKind, ReportRequest, write_new_file};
use gawahi_core::vocab::Lang;

use super::Cx;
use crate::ipc::IpcResult;
use crate::ipc::insights::{
    ChartFileFormat, ExportTableRequest, ReportChoice, ReportLang, ReportWrittenView, SaveChartRequest, StatView,
    StatsRequest, TableExportedView, TableFormatView, WriteReportRequest,
};

/// The largest chart file the window may save: a chart drawn at twice the screen's size is a
/// few hundred kilobytes; anything near this is not a chart.
const MAX_CHART_BYTES: usize = 32 * 1024 * 1024;

/// The first bytes of every PNG file.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

pub(super) fn stats(cx: &Cx<'_>, r: StatsRequest) -> IpcResult<Vec<StatView>> {
    Ok(cx.vault(|v| v.stats(r.by, &r.filters))?.into_iter().map(Into::into).collect())
}

/// The path a request names, refused (by what it is, never by its name) unless absolute: the
/// window always sends what its save dialog returned.
fn chosen(path: &str) -> IpcResult<&Path> {
    if path.is_empty() || !Path::new(path).is_absolute() {
        return Err(Error::from(Invalid::field("path", Reason::UnreadableFile, "choose where to save the file")).into());
    }
    Ok(Path::new(path))
}

pub(super) fn export_table(cx: &Cx<'_>, r: ExportTableRequest) -> IpcResult<TableExportedView> {
    let dest = chosen(&r.path)?;
    let options = TableOptions { anonymise: true, coarsen_dates: r.coarsen_dates, coarsen_places: r.coarsen_places };
    let format = match r.format {
        TableFormatView::Csv => TableFormat::Csv,
        TableFormatView::Json => TableFormat::Json,
    };
    cx.progress("writing");
    let summary = cx.vault(|v| v.write_table(r.kind, options, format, dest))?;
    cx.progress("done");
    Ok(TableExportedView { rows: summary.rows, withheld: summary.withheld })
}

pub(super) fn write_report(cx: &Cx<'_>, r: WriteReportRequest) -> IpcResult<ReportWrittenView> {
    let dest = chosen(&r.path)?;
    let kind = match r.kind {
        ReportChoice::Summary {} => ReportKind::Summary,
        ReportChoice::Dossier { case_id } => ReportKind::Dossier { case_id },
        ReportChoice::CauseList { from, to } => ReportKind::CauseList { from, to },
    };
    let lang = match r.lang {
        ReportLang::En => Lang::En,
        ReportLang::Ur => Lang::Ur,
    };
    let request = ReportRequest { kind, lang, anonymise: r.anonymise, today: r.today };
    cx.progress("writing");
    let bytes = cx.vault(|v| v.write_report(&request, dest))?;
    cx.progress("done");
    Ok(ReportWrittenView { bytes })
}

pub(super) fn save_chart(_cx: &Cx<'_>, r: SaveChartRequest) -> IpcResult<()> {
    let dest = chosen(&r.path)?;
    if r.bytes.len() > MAX_CHART_BYTES {
        return Err(Error::from(Invalid::field("bytes", Reason::TooLong, "the image is too large")).into());
    }
    let shaped = match r.format {
        ChartFileFormat::Png => r.bytes.starts_with(&PNG_SIGNATURE),
        ChartFileFormat::Csv => std::str::from_utf8(&r.bytes).is_ok(),
    };
    if !shaped {
        return Err(Error::from(Invalid::field("bytes", Reason::WrongType, "expected a PNG image or UTF-8 CSV")).into());
    }
    Ok(write_new_file(dest, &r.bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::insights::ReportChoice;
    use crate::state::AppState;
    use gawahi_core::error::ErrorCode;
    use gawahi_core::model::Kind;
    use serde_json::json;
    use tauri::ipc::InvokeBody;

    /// The app's state with a new vault open in it.
    fn open_state() -> (tempfile::TempDir, AppState) {
        let (tmp, state, vault) = super::super::tests::new_state();
        state.opened(vault).expect("open");
        (tmp, state)
    }

    /// The name of a person who did not consent to publication: it must appear in no table.
    const WITHHELD_NAME: &str = "Zarmina Canarywala";

    #[test]
    fn export_table_leaves_out_a_non_consenting_person_and_never_overwrites() {
        let (tmp, state) = open_state();
        let cx = Cx::quiet(&state);
        state
            .with_vault(|v| {
                let body = json!({"name": WITHHELD_NAME, "consent_to_store": true});
                v.add(Kind::Person, body.as_object().cloned().unwrap_or_default())
            })
            .expect("person");
        let dest = tmp.path().join("people.csv");
        let request = |path: &Path| ExportTableRequest {
            kind: Kind::Person,
            format: TableFormatView::Csv,
            coarsen_dates: true,
            coarsen_places: true,
            path: path.to_string_lossy().into_owned(),
        };
        let done = export_table(&cx, request(&dest)).expect("exported");
        assert_eq!((done.rows, done.withheld), (0, 1));
        let written = std::fs::read_to_string(&dest).expect("read");
        assert!(!written.is_empty(), "the header is written");
        assert!(!written.contains(WITHHELD_NAME));
        let again = export_table(&cx, request(&dest)).expect_err("exists");
        assert_eq!(again.code, ErrorCode::OutputExists);
        assert_eq!(std::fs::read_to_string(&dest).expect("read"), written, "the first file is untouched");
    }

    #[test]
    fn write_report_makes_an_urdu_summary_where_chosen() {
        let (tmp, state) = open_state();
        let cx = Cx::quiet(&state);
        let dest = tmp.path().join("summary.pdf");
        let request = WriteReportRequest {
            kind: ReportChoice::Summary {},
            lang: ReportLang::Ur,
            anonymise: true,
            today: "2026-11-30".into(),
            path: dest.to_string_lossy().into_owned(),
        };
        let done = write_report(&cx, request).expect("written");
        let bytes = std::fs::read(&dest).expect("read");
        assert_eq!(done.bytes, bytes.len() as u64);
        assert!(bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn fail_write_report_for_a_case_that_is_not_there_writes_nothing() {
        let (tmp, state) = open_state();
        let cx = Cx::quiet(&state);
        let dest = tmp.path().join("dossier.pdf");
        let request = WriteReportRequest {
            kind: ReportChoice::Dossier { case_id: "00000000-0000-4000-8000-000000000000".into() },
            lang: ReportLang::En,
            anonymise: false,
            today: "2026-11-30".into(),
            path: dest.to_string_lossy().into_owned(),
        };
        write_report(&cx, request).expect_err("no such case");
        assert!(!dest.exists());
    }

    #[test]
    fn fail_request_fields_of_the_wrong_type_or_unknown_are_refused() {
        for bad in [
            json!({"kind": "task", "format": "csv", "coarsenDates": true, "coarsenPlaces": true, "path": "/x", "anonymise": false}),
            json!({"kind": "person", "format": "xlsx", "coarsenDates": true, "coarsenPlaces": true, "path": "/x"}),
            json!({"kind": "person", "format": "csv", "coarsenDates": "yes", "coarsenPlaces": true, "path": "/x"}),
        ] {
            assert!(serde_json::from_value::<ExportTableRequest>(bad).is_err());
        }
        for bad in [
            json!({"kind": {"report": "summary"}, "lang": "fr", "anonymise": true, "today": "2026-11-30", "path": "/x"}),
            json!({"kind": {"report": "dossier"}, "lang": "en", "anonymise": true, "today": "2026-11-30", "path": "/x"}),
            json!({"kind": {"report": "everything"}, "lang": "en", "anonymise": true, "today": "2026-11-30", "path": "/x"}),
        ] {
            assert!(serde_json::from_value::<WriteReportRequest>(bad).is_err());
        }
        let ok = json!({"kind": {"report": "cause_list", "from": "2026-11-30", "to": "2026-12-06"}, "lang": "ur",
                        "anonymise": false, "today": "2026-11-30", "path": "/x"});
        assert!(serde_json::from_value::<WriteReportRequest>(ok).is_ok());
    }

    #[test]
    fn fail_save_chart_refuses_what_is_not_a_png_or_a_chosen_path() {
        let dir = tempfile::tempdir().expect("dir");
        let state = AppState::new(&dir.path().join("config"), &dir.path().join("data"));
        let cx = Cx::quiet(&state);
        let dest = dir.path().join("chart.png").to_string_lossy().into_owned();
        let not_png = SaveChartRequest {
            path: dest.clone(),
            format: ChartFileFormat::Png,
            bytes: b"<svg onload=alert(1)>".to_vec(),
        };
        assert_eq!(save_chart(&cx, not_png).expect_err("refused").code, ErrorCode::InvalidInput);
        let relative =
            SaveChartRequest { path: "chart.png".into(), format: ChartFileFormat::Png, bytes: PNG_SIGNATURE.to_vec() };
        assert_eq!(save_chart(&cx, relative).expect_err("refused").code, ErrorCode::InvalidInput);
        let huge = SaveChartRequest {
            path: dest.clone(),
            format: ChartFileFormat::Csv,
            bytes: vec![b'a'; MAX_CHART_BYTES + 1],
        };
        assert_eq!(save_chart(&cx, huge).expect_err("refused").code, ErrorCode::InvalidInput);
        let not_utf8 =
            SaveChartRequest { path: dest.clone(), format: ChartFileFormat::Csv, bytes: vec![0xff, 0xfe, 0x00] };
        assert_eq!(save_chart(&cx, not_utf8).expect_err("refused").code, ErrorCode::InvalidInput);
        assert!(!Path::new(&dest).exists(), "nothing written for a refused file");
    }

    #[test]
    fn save_chart_writes_a_new_file_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("dir");
        let state = AppState::new(&dir.path().join("config"), &dir.path().join("data"));
        let cx = Cx::quiet(&state);
        let dest = dir.path().join("chart.png");
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(b"rest");
        let path = dest.to_string_lossy().into_owned();
        save_chart(&cx, SaveChartRequest { path: path.clone(), format: ChartFileFormat::Png, bytes: png.clone() })
            .expect("saved");
        assert_eq!(std::fs::read(&dest).expect("read"), png);
        let again =
            save_chart(&cx, SaveChartRequest { path, format: ChartFileFormat::Png, bytes: png }).expect_err("exists");
        assert_eq!(again.code, ErrorCode::OutputExists);
    }

    #[test]
    fn fail_save_chart_call_without_raw_body_or_header() {
        let header = br#"{"path":"/tmp/x.png","format":"png"}"#.as_slice();
        assert!(SaveChartRequest::from_parts(Some(header), &InvokeBody::Raw(vec![1])).is_ok());
        for (header, body) in [
            (None, InvokeBody::Raw(vec![1])),
            (Some(header), InvokeBody::Json(serde_json::json!({"path": "/tmp/x.png"}))),
            (Some(br#"{"path":1,"format":"png"}"#.as_slice()), InvokeBody::Raw(vec![1])),
            (Some(br#"{"path":"/x","format":"gif"}"#.as_slice()), InvokeBody::Raw(vec![1])),
            (Some(br#"{"path":"/x","format":"png","extra":true}"#.as_slice()), InvokeBody::Raw(vec![1])),
        ] {
            let e = SaveChartRequest::from_parts(header, &body).expect_err("refused");
            assert_eq!(e.code, ErrorCode::InvalidInput);
        }
    }
}
