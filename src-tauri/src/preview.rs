//! The evidence protocol: `gawahi-evidence://localhost/<item id>` serves an evidence file the
//! window has opened for preview (`open_preview`), decrypted in memory as it is read, with HTTP
//! range requests, so that `<video>` and `<audio>` seek without the file ever being decrypted
//! whole, and never to disk.
//!
//! Only items opened in the unlocked vault are served; locking the vault closes every preview, and
//! then the protocol answers 404 to everything. Responses say `Cache-Control: no-store` and
//! `X-Content-Type-Options: nosniff`, carry the type the content was sniffed as at intake (never
//! one from the file's name), and a sandboxing `Content-Security-Policy` so that a text or PDF
//! shown in a frame runs nothing. One opening is one `view` in the item's custody log, however
//! many ranges the player asks for.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

use gawahi_core::evidence::EvidenceReader;
use tauri::http::{Request, Response, StatusCode, header};

/// The protocol's scheme.
pub const SCHEME: &str = "gawahi-evidence";

/// The most one response carries. A player asking for `bytes=0-` of a large video gets this much
/// and asks again from where it ended, so memory stays flat whatever the file's size.
pub const MAX_RANGE: u64 = 4 * 1024 * 1024;

/// The largest file served whole to a request without a range (an image, a PDF, a text); larger
/// ones are served only in ranges.
pub const MAX_WHOLE: u64 = 256 * 1024 * 1024;

/// The window's own origin: the only one that may read the protocol across origins (the
/// redaction canvas draws an image from it and must stay untainted to be saved).
pub const APP_ORIGIN: &str = "tauri://localhost";

/// An evidence file open for preview.
pub struct Preview {
    reader: EvidenceReader,
    media_type: String,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preview").field("media_type", &self.media_type).finish_non_exhaustive()
    }
}

impl Preview {
    /// A preview of a file of `media_type` read through `reader`.
    pub fn new(reader: EvidenceReader, media_type: String) -> Self {
        Self { reader, media_type }
    }
}

/// The previews open, by item id.
pub type Previews = HashMap<String, Preview>;

/// The address of the item `id` on the protocol (Linux and macOS; Windows would use
/// `http://gawahi-evidence.localhost/`).
pub fn url_of(id: &str) -> String {
    format!("{SCHEME}://localhost/{id}")
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// No range: the whole file.
    Whole,
    /// Bytes `start..=end`.
    Range(u64, u64),
    /// A range the file cannot satisfy (416).
    Unsatisfiable,
}

/// Parses a `Range` header (RFC 9110 §14.1.2): one range of bytes, `a-b`, `a-` or `-n`. Several
/// ranges, other units or anything malformed are served as the whole file, as the RFC allows a
/// server to ignore a range it does not understand.
pub fn wanted(range: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else { return Wanted::Whole };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((a, b)) = spec.split_once('-') else { return Wanted::Whole };
    let (a, b) = (a.trim(), b.trim());
    let number = |s: &str| if s.bytes().all(|c| c.is_ascii_digit()) { s.parse::<u64>().ok() } else { None };
    match (a.is_empty(), b.is_empty()) {
        // A suffix: the last n bytes.
        (true, false) => match number(b) {
            Some(0) => Wanted::Unsatisfiable,
            Some(n) if len > 0 => Wanted::Range(len.saturating_sub(n), len - 1),
            Some(_) => Wanted::Unsatisfiable,
            None => Wanted::Whole,
        },
        (false, _) => {
            let Some(start) = number(a) else { return Wanted::Whole };
            let end = if b.is_empty() { Some(u64::MAX) } else { number(b) };
            match end {
                None => Wanted::Whole,
                Some(end) if end < start => Wanted::Whole,
                Some(_) if start >= len => Wanted::Unsatisfiable,
                Some(end) => Wanted::Range(start, end.min(len - 1)),
            }
        }
        (true, true) => Wanted::Whole,
    }
}

/// The item id a request asks for: the path's one segment, if it looks like an id.
fn item_of(request: &Request<Vec<u8>>) -> Option<&str> {
    let id = request.uri().path().strip_prefix('/')?;
    (!id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')).then_some(id)
}

fn plain(status: StatusCode) -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = status;
    common_headers(r.headers_mut());
    r
}

fn common_headers(h: &mut tauri::http::HeaderMap) {
    h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    // A text shown in a frame is a document of its own: it may run nothing, load nothing and
    // reach nothing. (Images and media are subresources; the header does not bind them.)
    h.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(SANDBOX));
    h.insert(header::ACCEPT_RANGES, header::HeaderValue::from_static("bytes"));
}

/// The policy of every response but a PDF's: a unique origin, no script, nothing loaded.
pub const SANDBOX: &str = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

/// The policy of a PDF: WebKitGTK draws it with its own PDF.js viewer (from its internal
/// `webkit-pdfjs-viewer:` scheme), which needs scripts and its own origin to receive the file.
/// It may load nothing from anywhere else, and submits no form; the window's own policy
/// (`frame-src`) keeps the frame from being navigated off the evidence protocol, so a link in a
/// PDF goes nowhere.
pub const PDF_POLICY: &str = "sandbox allow-scripts allow-same-origin; default-src 'self' webkit-pdfjs-viewer: blob: data: 'unsafe-inline'; form-action 'none'";

/// Whether the window previews files of `media_type`: images a webview decodes, PDF, audio and
/// video (GStreamer decides which codecs play), and UTF-8 text.
pub fn previewable(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "application/pdf" | "text/plain")
        || media_type.starts_with("audio/")
        || media_type.starts_with("video/")
}

/// The `Content-Type` to send for `media_type`: the types a preview shows as they are, text as
/// UTF-8 (intake sniffs text only when it is UTF-8), anything else as bytes nothing renders.
fn content_type(media_type: &str) -> String {
    match media_type {
        "text/plain" => "text/plain; charset=utf-8".to_owned(),
        t if previewable(t) => t.to_owned(),
        _ => "application/octet-stream".to_owned(),
    }
}

/// Answers a request on the protocol from the open previews (empty when the vault is locked).
/// `GET` and `HEAD` only.
pub fn respond(previews: &mut Previews, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let head = request.method() == tauri::http::Method::HEAD;
    let origin = request.headers().get(header::ORIGIN).filter(|o| o.as_bytes() == APP_ORIGIN.as_bytes()).cloned();
    // A range fetched by the window's own script is asked for first (CORS preflight).
    if request.method() == tauri::http::Method::OPTIONS {
        let mut r = plain(StatusCode::NO_CONTENT);
        if let Some(origin) = origin {
            let h = r.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, header::HeaderValue::from_static("GET"));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, header::HeaderValue::from_static("range"));
        }
        return r;
    }
    if request.method() != tauri::http::Method::GET && !head {
        return plain(StatusCode::METHOD_NOT_ALLOWED);
    }
    let Some(preview) = item_of(request).and_then(|id| previews.get_mut(id)) else {
        return plain(StatusCode::NOT_FOUND);
    };
    let len = preview.reader.len();
    let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, end) = match wanted(range, len) {
        Wanted::Unsatisfiable => {
            let mut r = plain(StatusCode::RANGE_NOT_SATISFIABLE);
            if let Ok(v) = header::HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return r;
        }
        Wanted::Whole if len > MAX_WHOLE => return plain(StatusCode::PAYLOAD_TOO_LARGE),
        Wanted::Whole => (StatusCode::OK, 0, len),
        // Never more than MAX_RANGE at once: the Content-Range tells the player where it ended.
        Wanted::Range(start, end) => (StatusCode::PARTIAL_CONTENT, start, end.min(start + MAX_RANGE - 1) + 1),
    };
    let body = if head {
        Vec::new()
    } else {
        match read_range(&mut preview.reader, start, end) {
            Ok(b) => b,
            // A damaged file: nothing of the chunk that failed is sent.
            Err(_) => return plain(StatusCode::UNPROCESSABLE_ENTITY),
        }
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    common_headers(h);
    if let Ok(v) = header::HeaderValue::from_str(&content_type(&preview.media_type)) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if preview.media_type == "application/pdf" {
        h.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(PDF_POLICY));
    }
    h.insert(header::CONTENT_LENGTH, header::HeaderValue::from(end - start));
    if let Some(origin) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, header::HeaderValue::from_static("content-range"));
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) = header::HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1))
    {
        h.insert(header::CONTENT_RANGE, v);
    }
    r
}

/// Bytes `start..end` of the file.
fn read_range(reader: &mut EvidenceReader, start: u64, end: u64) -> std::io::Result<Vec<u8>> {
    reader.seek(SeekFrom::Start(start))?;
    let want = usize::try_from(end - start).map_err(std::io::Error::other)?;
    let mut body = vec![0u8; want];
    reader.read_exact(&mut body)?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AppState;
    use gawahi_core::Vault;

    const CHUNK: usize = 64 * 1024;

    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    /// An unlocked vault in the app's state with one file of `bytes` on an incident, opened for
    /// preview.
    fn opened(bytes: &[u8]) -> (tempfile::TempDir, AppState, String) {
        let tmp = tempfile::tempdir().expect("tmp");
        let state = AppState::new(&tmp.path().join("config"), &tmp.path().join("data"));
        let mut vault = Vault::create(
            &tmp.path().join("vault"),
            &secrecy::SecretString::from("correct horse battery staple"),
            std::time::Duration::ZERO,
        )
        .expect("vault");
        let rec = vault
            .add(gawahi_core::Kind::Incident, serde_json::from_str(r#"{"title": "raid"}"#).expect("json"))
            .expect("incident")
            .id;
        let item = vault.add_evidence(&rec, bytes, gawahi_core::evidence::EvidenceMeta::default()).expect("add");
        state.opened(vault).expect("open");
        state.open_preview(&item.id).expect("preview");
        (tmp, state, item.id)
    }

    fn get(state: &AppState, id: &str, range: Option<&str>) -> Response<Vec<u8>> {
        let mut b = Request::builder().uri(url_of(id));
        if let Some(r) = range {
            b = b.header(header::RANGE, r);
        }
        respond(&mut state.previews(), &b.body(Vec::new()).expect("request"))
    }

    fn header_of(r: &Response<Vec<u8>>, name: header::HeaderName) -> &str {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[test]
    fn ranges_are_served_from_the_start_the_middle_and_the_end() {
        let bytes = data(3 * CHUNK + 17);
        let len = bytes.len();
        let (_tmp, state, id) = opened(&bytes);
        let whole = get(&state, &id, None);
        assert_eq!(whole.status(), StatusCode::OK);
        assert_eq!(whole.body(), &bytes);
        for (range, start, end) in [
            ("bytes=0-99", 0, 99),
            ("bytes=0-", 0, len - 1),
            (&format!("bytes={}-{}", CHUNK - 5, 2 * CHUNK + 5) as &str, CHUNK - 5, 2 * CHUNK + 5),
            ("bytes=-10", len - 10, len - 1),
            (&format!("bytes=-{}", len * 4), 0, len - 1),
            (&format!("bytes={}-{}", len - 1, len + 1000), len - 1, len - 1),
        ] {
            let r = get(&state, &id, Some(range));
            assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT, "{range}");
            assert_eq!(r.body(), &bytes[start..=end], "{range}");
            assert_eq!(header_of(&r, header::CONTENT_RANGE), format!("bytes {start}-{end}/{len}"), "{range}");
            assert_eq!(header_of(&r, header::CONTENT_LENGTH), (end - start + 1).to_string(), "{range}");
            assert_eq!(header_of(&r, header::ACCEPT_RANGES), "bytes");
        }
        let views = state.with_vault(|v| v.custody(&id)).expect("custody");
        assert_eq!(
            views.iter().filter(|e| e.action == "view").count(),
            1,
            "one opening, one view, whatever the ranges"
        );
    }

    #[test]
    fn responses_are_never_cached_never_sniffed_and_typed_from_the_content() {
        let (_tmp, state, id) = opened(b"\x89PNG\r\n\x1a\nnot really pixels");
        let r = get(&state, &id, Some("bytes=0-3"));
        assert_eq!(header_of(&r, header::CACHE_CONTROL), "no-store");
        assert_eq!(header_of(&r, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header_of(&r, header::CONTENT_TYPE), "image/png");
        assert_eq!(header_of(&r, header::CONTENT_SECURITY_POLICY), SANDBOX);
        assert_eq!(header_of(&r, header::ACCESS_CONTROL_ALLOW_ORIGIN), "", "no origin asked, none allowed");
        for (origin, allowed) in [(APP_ORIGIN, APP_ORIGIN), ("http://evil.example", ""), ("null", "")] {
            let request = Request::builder().uri(url_of(&id)).header(header::ORIGIN, origin).body(Vec::new());
            let r = respond(&mut state.previews(), &request.expect("request"));
            assert_eq!(header_of(&r, header::ACCESS_CONTROL_ALLOW_ORIGIN), allowed, "{origin}");
        }
        let (_tmp, state, id) = opened("<html><script>alert(1)</script> یہ متن ہے".as_bytes());
        let r = get(&state, &id, None);
        assert_eq!(header_of(&r, header::CONTENT_TYPE), "text/plain; charset=utf-8", "HTML is shown as text");
        assert_eq!(header_of(&r, header::CONTENT_SECURITY_POLICY), SANDBOX, "a text runs nothing");
        let (_tmp, state, id) = opened(b"%PDF-1.4\n% a court order");
        let r = get(&state, &id, None);
        assert_eq!(header_of(&r, header::CONTENT_TYPE), "application/pdf");
        assert_eq!(header_of(&r, header::CONTENT_SECURITY_POLICY), PDF_POLICY, "only WebKit's viewer runs");
        let (_tmp, state, id) = opened(b"\x00\x01\x02 opaque bytes");
        assert_eq!(header_of(&get(&state, &id, None), header::CONTENT_TYPE), "application/octet-stream");
    }

    #[test]
    fn fail_a_range_past_the_end_is_416_and_malformed_ranges_get_the_whole_file() {
        let bytes = data(1000);
        let (_tmp, state, id) = opened(&bytes);
        for range in ["bytes=1000-", "bytes=5000-6000", "bytes=-0"] {
            let r = get(&state, &id, Some(range));
            assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
            assert_eq!(header_of(&r, header::CONTENT_RANGE), "bytes */1000");
            assert!(r.body().is_empty());
        }
        let huge = format!("bytes={}-", "9".repeat(400));
        for range in
            ["bytes=5-2", "items=0-5", "bytes=0-1,5-6", "bytes=x-y", "bytes=-", "", huge.as_str(), "bytes=+1-2"]
        {
            let r = get(&state, &id, Some(range));
            assert_eq!(r.status(), StatusCode::OK, "{range:?} is ignored, as the RFC allows");
            assert_eq!(r.body(), &bytes);
        }
    }

    #[test]
    fn a_large_range_is_served_in_pieces() {
        assert_eq!(wanted(Some("bytes=0-"), 10 * MAX_RANGE), Wanted::Range(0, 10 * MAX_RANGE - 1));
        let bytes = data(MAX_RANGE as usize + CHUNK);
        let (_tmp, state, id) = opened(&bytes);
        let r = get(&state, &id, Some("bytes=10-"));
        assert_eq!(r.body().len() as u64, MAX_RANGE, "no more than MAX_RANGE at once");
        assert_eq!(header_of(&r, header::CONTENT_RANGE), format!("bytes 10-{}/{}", MAX_RANGE + 9, bytes.len()));
        assert_eq!(r.body(), &bytes[10..10 + MAX_RANGE as usize]);
    }

    #[test]
    fn fail_nothing_is_served_when_locked_unknown_or_not_opened() {
        let (_tmp, state, id) = opened(b"secret voice note");
        assert_eq!(get(&state, &id, None).status(), StatusCode::OK);
        for other in ["0190f0e0-0000-7000-8000-000000000000", "", "../vault.header", "%2e%2e", &"a".repeat(5000)] {
            let uri = format!("{SCHEME}://localhost/{other}");
            let Ok(request) = Request::builder().uri(uri).body(Vec::new()) else { continue };
            assert_eq!(respond(&mut state.previews(), &request).status(), StatusCode::NOT_FOUND, "{other:?}");
        }
        let post = Request::builder().method("POST").uri(url_of(&id)).body(Vec::new()).expect("request");
        assert_eq!(respond(&mut state.previews(), &post).status(), StatusCode::METHOD_NOT_ALLOWED);
        for (origin, allowed) in [(APP_ORIGIN, APP_ORIGIN), ("http://evil.example", "")] {
            let preflight =
                Request::builder().method("OPTIONS").uri(url_of(&id)).header(header::ORIGIN, origin).body(Vec::new());
            let r = respond(&mut state.previews(), &preflight.expect("request"));
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
            assert!(r.body().is_empty());
            assert_eq!(header_of(&r, header::ACCESS_CONTROL_ALLOW_ORIGIN), allowed, "{origin}");
        }
        state.lock();
        let r = get(&state, &id, None);
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "locked: nothing");
        assert!(r.body().is_empty());
        assert!(matches!(state.open_preview(&id), Err(e) if e.code == gawahi_core::ErrorCode::Locked));
    }

    #[test]
    fn fail_a_file_damaged_after_opening_sends_nothing_of_the_damaged_chunk() {
        let bytes = data(3 * CHUNK);
        let (tmp, state, id) = opened(&bytes);
        // The vault holds one file: this one.
        let path = std::fs::read_dir(tmp.path().join("vault/blobs"))
            .expect("blobs")
            .next()
            .expect("one")
            .expect("entry")
            .path();
        let mut blob = std::fs::read(&path).expect("blob");
        blob[16 + CHUNK + 16 + 100] ^= 1;
        std::fs::write(&path, &blob).expect("damage");
        let r = get(&state, &id, Some(&format!("bytes={}-{}", CHUNK + 50, CHUNK + 60)));
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body().is_empty());
    }
}
