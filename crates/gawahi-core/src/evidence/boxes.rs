//! The boxes of an ISO base media file (MP4, QuickTime, 3GP, M4A, HEIC), walked as the file
//! streams past during intake, for what its metadata says of the place and the device.
//!
//! A phone's video keeps its metadata in `moov` (often at the end, after gigabytes of `mdat`):
//! `moov/udta` holds QuickTime's `©xyz` (an ISO 6709 position), `©mak` and `©mod`; `moov/meta`
//! holds Apple's `keys` and `ilst` (`com.apple.quicktime.location.ISO6709`, `…make`, `…model`).
//! A HEIC photo keeps a top-level `meta` whose `iinf` and `iloc` say where its EXIF item lies.
//!
//! The walk reads headers and counts past bodies: only `moov/udta`, `moov/meta` and a top-level
//! `meta` (each at most [`MAX_KEPT`] bytes) and a HEIC's EXIF item (at most [`MAX_EXIF`]) are
//! kept. Sizes are checked arithmetic: a box of 2^64−1 bytes, one smaller than its header or one
//! running past its parent ends the walk (what was found so far stands); nesting is at most
//! [`MAX_DEPTH`] deep and every step consumes bytes, so no file makes it loop.

use super::Capture;
use super::sniff::{clean_text, coordinate};

/// The largest metadata box kept to be parsed.
const MAX_KEPT: u64 = 1024 * 1024;
/// The largest EXIF item of a HEIC kept.
const MAX_EXIF: u64 = 256 * 1024;
/// How deep boxes are followed inside a kept box.
const MAX_DEPTH: usize = 8;
/// How many boxes of a kept box are looked at, at most.
const MAX_BOXES: usize = 10_000;

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct BoxFindings {
    pub has_location: bool,
    pub has_device_info: bool,
    pub capture: Capture,
    /// A HEIC's EXIF (the TIFF structure).
    pub exif: Option<Vec<u8>>,
}

#[derive(Debug, Default)]
enum Mode {
    /// Collecting a box header.
    #[default]
    Header,
    /// Counting past a body up to this offset.
    Skip(u64),
    /// Keeping a body up to this offset, to parse it then.
    Keep { end: u64, kind: [u8; 4] },
    /// Nothing more to learn (the end was reached or the structure is broken).
    Done,
}

/// The walker's state between chunks.
#[derive(Debug, Default)]
pub(crate) struct BoxWalker {
    /// The offset of the next byte fed.
    at: u64,
    mode: Mode,
    /// The header bytes collected so far.
    header: Vec<u8>,
    /// The containers entered (`moov`), each with its end.
    open: Vec<([u8; 4], u64)>,
    /// The body being kept.
    kept: Vec<u8>,
    /// Where a HEIC's EXIF item lies (offset, length), once its `meta` was read.
    exif_at: Option<(u64, u64)>,
    exif: Vec<u8>,
    found: BoxFindings,
}

impl BoxWalker {
    /// Takes the next bytes of the file.
    pub fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let start = self.at;
            let used = self.step(data);
            self.copy_exif(start, &data[..used]);
            data = &data[used..];
        }
    }

    /// What was found.
    pub fn finish(mut self) -> BoxFindings {
        if let Some((_, len)) = self.exif_at
            && self.exif.len() as u64 == len
        {
            // A HEIC EXIF item starts with the offset of the TIFF header within the rest.
            let skip = self.exif.get(..4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
            self.found.exif = self.exif.get(4usize.saturating_add(skip)..).map(<[u8]>::to_vec);
        }
        self.found
    }

    /// Copies what of `piece` (which starts at offset `start`) falls inside the EXIF item.
    fn copy_exif(&mut self, start: u64, piece: &[u8]) {
        let Some((off, len)) = self.exif_at else { return };
        let end = off.saturating_add(len);
        let from = start.max(off);
        let to = start.saturating_add(piece.len() as u64).min(end);
        if from < to {
            let a = (from - start) as usize;
            let b = (to - start) as usize;
            self.exif.extend_from_slice(&piece[a..b]);
        }
    }

    /// Consumes some of `data` (at least one byte unless the walk is done, in which case all).
    fn step(&mut self, data: &[u8]) -> usize {
        let used = match self.mode {
            Mode::Done => data.len(),
            Mode::Skip(end) => {
                let n = usize::try_from(end - self.at).unwrap_or(usize::MAX).min(data.len());
                if self.at + n as u64 == end {
                    self.mode = Mode::Header;
                }
                n
            }
            Mode::Keep { end, kind } => {
                let n = usize::try_from(end - self.at).unwrap_or(usize::MAX).min(data.len());
                self.kept.extend_from_slice(&data[..n]);
                if self.at + n as u64 == end {
                    let body = std::mem::take(&mut self.kept);
                    let parent = self.open.last().map(|(k, _)| *k);
                    self.parse_kept(parent, kind, &body);
                    self.mode = Mode::Header;
                }
                n
            }
            Mode::Header => self.read_header(data),
        };
        self.at += used as u64;
        used
    }

    /// Collects header bytes; with a whole header, decides what to do with the box.
    fn read_header(&mut self, data: &[u8]) -> usize {
        // Leave the containers that end here.
        while self.open.last().is_some_and(|&(_, end)| end <= self.at) {
            self.open.pop();
        }
        let need = if self.header.len() >= 8 && self.header[..4] == [0, 0, 0, 1] { 16 } else { 8 };
        let n = (need - self.header.len()).min(data.len());
        self.header.extend_from_slice(&data[..n]);
        if self.header.len() < need {
            return n;
        }
        if need == 8 && self.header[..4] == [0, 0, 0, 1] {
            // A 64-bit size follows: collect it first.
            return n;
        }
        let header = std::mem::take(&mut self.header);
        let kind = [header[4], header[5], header[6], header[7]];
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let body_start = self.at + n as u64;
        let parent_end = self.open.last().map_or(u64::MAX, |&(_, end)| end);
        let end = match size32 {
            // To the end of the file (or of its parent).
            0 => parent_end,
            1 => {
                let size = u64::from_be_bytes(header[8..16].try_into().unwrap_or([0xff; 8]));
                (self.at + n as u64 - 16).checked_add(size).filter(|_| size >= 16)
            }
            .unwrap_or(0),
            s => (self.at + n as u64 - 8).checked_add(u64::from(s)).filter(|_| s >= 8).unwrap_or(0),
        };
        if end < body_start || end > parent_end {
            self.mode = Mode::Done;
            return n;
        }
        let parent = self.open.last().map(|(k, _)| *k);
        let body = end - body_start;
        self.mode = match (parent.as_ref(), &kind) {
            (None, b"moov") if self.open.len() < MAX_DEPTH => {
                self.open.push((kind, end));
                Mode::Header
            }
            (None, b"meta") | (Some(b"moov"), b"udta" | b"meta") if body <= MAX_KEPT => {
                self.kept = Vec::with_capacity(body as usize);
                Mode::Keep { end, kind }
            }
            _ => Mode::Skip(end),
        };
        if body == 0 {
            // An empty box is done at once.
            if let Mode::Keep { kind, .. } = self.mode {
                self.parse_kept(parent, kind, &[]);
            }
            if !matches!(self.mode, Mode::Header) {
                self.mode = Mode::Header;
            }
        }
        n
    }

    /// Reads a kept box's body.
    fn parse_kept(&mut self, parent: Option<[u8; 4]>, kind: [u8; 4], body: &[u8]) {
        match (parent, &kind) {
            (Some(_), b"udta") => self.read_udta(body),
            (Some(_), b"meta") => self.read_movie_meta(body),
            (None, b"meta") => self.read_item_meta(body),
            _ => {}
        }
    }

    /// QuickTime user data: `©xyz`, `©mak`, `©mod` (a 16-bit length, a 16-bit language, the text).
    fn read_udta(&mut self, body: &[u8]) {
        for (kind, data) in children(body).take(MAX_BOXES) {
            let text = || {
                let len = usize::from(u16::from_be_bytes([*data.first()?, *data.get(1)?]));
                clean_text(data.get(4..4usize.checked_add(len)?.min(data.len()))?)
            };
            match &kind {
                b"\xa9xyz" => {
                    self.found.has_location = true;
                    if let Some(t) = text() {
                        self.take_position(&t);
                    }
                }
                b"\xa9mak" => {
                    self.found.has_device_info = true;
                    self.found.capture.camera_make = self.found.capture.camera_make.take().or_else(text);
                }
                b"\xa9mod" => {
                    self.found.has_device_info = true;
                    self.found.capture.camera_model = self.found.capture.camera_model.take().or_else(text);
                }
                b"meta" => self.read_movie_meta(&data),
                _ => {}
            }
        }
    }

    /// Apple's movie metadata: `keys` names each entry of `ilst` by its 1-based index.
    fn read_movie_meta(&mut self, body: &[u8]) {
        // QuickTime's `meta` has no version and flags; ISO's (and iTunes') has four bytes of them.
        let body = if body.get(4..8) == Some(b"hdlr") || body.get(4..8) == Some(b"keys") {
            body
        } else {
            body.get(4..).unwrap_or_default()
        };
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut values: Vec<(u32, Vec<u8>)> = Vec::new();
        for (kind, data) in children(body).take(MAX_BOXES) {
            match &kind {
                b"keys" => {
                    // Version and flags, a count, then (size, namespace, name) each.
                    let mut i = 8;
                    while let Some(b) = data.get(i..i + 4) {
                        let size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
                        if size < 8 || keys.len() >= MAX_BOXES {
                            break;
                        }
                        keys.push(data.get(i + 8..i.saturating_add(size).min(data.len())).unwrap_or_default().to_vec());
                        i = i.saturating_add(size);
                    }
                }
                b"ilst" => {
                    for (index, entry) in children(&data).take(MAX_BOXES) {
                        // Each entry holds a `data` box: a type, a locale, the value.
                        if let Some((_, d)) = children(&entry).find(|(k, _)| k == b"data") {
                            values.push((u32::from_be_bytes(index), d.get(8..).unwrap_or_default().to_vec()));
                        }
                    }
                }
                _ => {}
            }
        }
        for (index, value) in values {
            let Some(key) = (index as usize).checked_sub(1).and_then(|i| keys.get(i)) else { continue };
            let key = String::from_utf8_lossy(key);
            if key.ends_with("location.ISO6709") {
                self.found.has_location = true;
                if let Some(t) = clean_text(&value) {
                    self.take_position(&t);
                }
            } else if key.ends_with("quicktime.make") {
                self.found.has_device_info = true;
                self.found.capture.camera_make = self.found.capture.camera_make.take().or_else(|| clean_text(&value));
            } else if key.ends_with("quicktime.model") {
                self.found.has_device_info = true;
                self.found.capture.camera_model = self.found.capture.camera_model.take().or_else(|| clean_text(&value));
            } else if key.ends_with("camera.identifier") || key.ends_with("camera.lens_model") {
                self.found.has_device_info = true;
            }
        }
        // Keys with no value still say what the file was made to carry.
        for key in &keys {
            let key = String::from_utf8_lossy(key);
            self.found.has_location |= key.ends_with("location.ISO6709");
            self.found.has_device_info |= key.ends_with("quicktime.make") || key.ends_with("quicktime.model");
        }
    }

    /// A HEIC's item metadata: where its `Exif` item lies in the file.
    fn read_item_meta(&mut self, body: &[u8]) {
        let body = body.get(4..).unwrap_or_default();
        let mut exif_id = None;
        let mut locations = Vec::new();
        for (kind, data) in children(body).take(MAX_BOXES) {
            match &kind {
                b"iinf" => exif_id = exif_item(&data),
                b"iloc" => locations = item_locations(&data),
                _ => {}
            }
        }
        let Some(id) = exif_id else { return };
        if let Some(&(_, off, len)) = locations.iter().find(|(i, _, _)| *i == id)
            && len <= MAX_EXIF
            && off >= self.at
        {
            self.exif_at = Some((off, len));
        }
    }

    /// Keeps the position of an ISO 6709 string, if it reads as one and none was kept.
    fn take_position(&mut self, text: &str) {
        if self.found.capture.latitude.is_none()
            && let Some((lat, lon, alt)) = iso6709(text)
        {
            self.found.capture.latitude = Some(coordinate(lat));
            self.found.capture.longitude = Some(coordinate(lon));
            self.found.capture.altitude = alt.map(|m| format!("{m:.1}"));
        }
    }
}

/// The child boxes of a body held in memory: (type, body), stopping at the first malformed one.
fn children(body: &[u8]) -> impl Iterator<Item = ([u8; 4], Vec<u8>)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let h = body.get(i..i.checked_add(8)?)?;
        let kind = [h[4], h[5], h[6], h[7]];
        let (start, size) = match u32::from_be_bytes([h[0], h[1], h[2], h[3]]) {
            0 => (i + 8, body.len() - i),
            1 => {
                let b = body.get(i + 8..i + 16)?;
                (i + 16, usize::try_from(u64::from_be_bytes(b.try_into().ok()?)).ok()?)
            }
            s => (i + 8, s as usize),
        };
        let end = i.checked_add(size)?;
        if end > body.len() || end < start {
            return None;
        }
        let child = body[start..end].to_vec();
        i = end;
        Some((kind, child))
    })
}

/// The id of the `Exif` item listed in an `iinf` body, if any.
fn exif_item(iinf: &[u8]) -> Option<u32> {
    let version = *iinf.first()?;
    let skip = if version == 0 { 6 } else { 8 };
    children(iinf.get(skip..)?).take(MAX_BOXES).find_map(|(kind, infe)| {
        if &kind != b"infe" {
            return None;
        }
        match infe.first()? {
            2 => (infe.get(8..12)? == b"Exif").then(|| u32::from(u16::from_be_bytes([infe[4], infe[5]]))),
            3 => (infe.get(10..14)? == b"Exif").then(|| u32::from_be_bytes([infe[4], infe[5], infe[6], infe[7]])),
            _ => None,
        }
    })
}

/// The items an `iloc` body places in the file itself (construction method 0), each as (id,
/// offset of its first extent, that extent's length).
fn item_locations(iloc: &[u8]) -> Vec<(u32, u64, u64)> {
    let mut out = Vec::new();
    let Some(&version) = iloc.first() else { return out };
    let mut r = Cursor { bytes: iloc, at: 4 };
    let Some(sizes) = r.take(2, 2) else { return out };
    let (offset_size, length_size) = ((sizes >> 12) as usize & 15, (sizes >> 8) as usize & 15);
    let (base_size, index_size) = ((sizes >> 4) as usize & 15, sizes as usize & 15);
    let count = if version < 2 { r.take(2, 2) } else { r.take(4, 4) }.unwrap_or(0);
    for _ in 0..count.min(MAX_BOXES as u64) {
        let Some(id) = (if version < 2 { r.take(2, 2) } else { r.take(4, 4) }) else { break };
        let method = if version >= 1 { r.take(2, 2).map(|m| m & 15) } else { Some(0) };
        let (Some(method), Some(_), Some(base), Some(extents)) =
            (method, r.take(2, 2), r.take(base_size, 8), r.take(2, 2))
        else {
            break;
        };
        let mut first = None;
        for _ in 0..extents {
            if version >= 1 && index_size > 0 && r.take(index_size, 8).is_none() {
                return out;
            }
            let (Some(off), Some(len)) = (r.take(offset_size, 8), r.take(length_size, 8)) else { return out };
            first.get_or_insert((off, len));
        }
        if let (0, Some((off, len))) = (method, first) {
            out.push((id as u32, base.saturating_add(off), len));
        }
    }
    out
}

/// Big-endian integers of 0 to 8 bytes read in turn.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// The next `n`-byte integer (`n` at most `max`; 0 bytes read as 0).
    fn take(&mut self, n: usize, max: usize) -> Option<u64> {
        if n > max || n > 8 {
            return None;
        }
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x)))
    }
}

/// An ISO 6709 position as phones write it (`+24.8607+067.0011+012.300/`, degrees with
/// decimals; degrees and minutes, or degrees, minutes and seconds, by the width of the integer
/// part): latitude, longitude and altitude, or none if it is not one.
pub(crate) fn iso6709(text: &str) -> Option<(f64, f64, Option<f64>)> {
    let body = text.strip_suffix('/').unwrap_or(text);
    let body = body.split("CRS").next()?;
    let mut parts = Vec::new();
    let mut start = None;
    for (i, c) in body.char_indices() {
        if c == '+' || c == '-' {
            if let Some(s) = start {
                parts.push(&body[s..i]);
            }
            start = Some(i);
        } else if !(c.is_ascii_digit() || c == '.') {
            return None;
        }
    }
    parts.push(&body[start?..]);
    let angle = |s: &str, degree_digits: usize| -> Option<f64> {
        let (sign, digits) = s.split_at(1);
        let int_len = digits.find('.').unwrap_or(digits.len());
        let value: f64 = digits.parse().ok()?;
        let (d, m, sec) = match int_len - degree_digits.min(int_len) {
            0 => (value, 0.0, 0.0),
            2 => ((value / 100.0).trunc(), value % 100.0, 0.0),
            4 => ((value / 10_000.0).trunc(), (value % 10_000.0 / 100.0).trunc(), value % 100.0),
            _ => return None,
        };
        if m >= 60.0 || sec >= 60.0 {
            return None;
        }
        let v = d + m / 60.0 + sec / 3600.0;
        Some(if sign == "-" { -v } else { v })
    };
    let lat = angle(parts.first()?, 2).filter(|v| v.abs() <= 90.0)?;
    let lon = angle(parts.get(1)?, 3).filter(|v| v.abs() <= 180.0)?;
    let alt = parts.get(2).and_then(|a| a.parse::<f64>().ok()).filter(|m| m.is_finite() && m.abs() < 100_000.0);
    Some((lat, lon, alt))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::evidence::sniff::{Sniffer, tests::expected_capture, tests::tiff_with_values};

    /// A box of `kind` around `body`.
    pub fn bx(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&kind);
        out.extend_from_slice(body);
        out
    }

    /// A QuickTime text entry of `udta`.
    fn qt_text(text: &str) -> Vec<u8> {
        let mut out = (text.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(&[0x15, 0xc7]);
        out.extend_from_slice(text.as_bytes());
        out
    }

    /// A phone video: `ftyp`, a large `mdat` first (as phones write it), then `moov` with a
    /// track and `udta` (©xyz, ©mak, ©mod).
    pub fn mp4_with_udta(mdat_len: usize) -> Vec<u8> {
        let udta = [
            bx(*b"\xa9xyz", &qt_text("+24.8607+067.0011+012.300/")),
            bx(*b"\xa9mak", &qt_text("samsung")),
            bx(*b"\xa9mod", &qt_text("SM-A515F")),
        ]
        .concat();
        let moov = [bx(*b"mvhd", &[0; 100]), bx(*b"trak", &[7; 3000]), bx(*b"udta", &udta)].concat();
        [bx(*b"ftyp", b"isom\0\0\x02\0isomiso2mp41"), bx(*b"mdat", &vec![0xa5; mdat_len]), bx(*b"moov", &moov)].concat()
    }

    /// An iPhone video's `moov/meta` with Apple's keys and their values.
    pub fn mov_with_keys() -> Vec<u8> {
        let key = |name: &str| {
            let mut k = ((name.len() + 8) as u32).to_be_bytes().to_vec();
            k.extend_from_slice(b"mdta");
            k.extend_from_slice(name.as_bytes());
            k
        };
        let mut keys = vec![0, 0, 0, 0, 0, 0, 0, 3];
        keys.extend(key("com.apple.quicktime.make"));
        keys.extend(key("com.apple.quicktime.model"));
        keys.extend(key("com.apple.quicktime.location.ISO6709"));
        let entry = |i: u32, v: &str| {
            let mut data = vec![0, 0, 0, 1, 0, 0, 0, 0];
            data.extend_from_slice(v.as_bytes());
            bx(i.to_be_bytes(), &bx(*b"data", &data))
        };
        let ilst = [entry(1, "Apple"), entry(2, "iPhone 12"), entry(3, "+33.6844+073.0479+540.123/")].concat();
        let meta = [bx(*b"hdlr", &[0; 25]), bx(*b"keys", &keys), bx(*b"ilst", &ilst)].concat();
        let moov = [bx(*b"mvhd", &[0; 100]), bx(*b"meta", &meta)].concat();
        [bx(*b"ftyp", b"qt  \0\0\x02\0qt  "), bx(*b"moov", &moov), bx(*b"mdat", &[1; 5000])].concat()
    }

    /// A HEIC whose `meta` lists an `Exif` item (id 1) placed in `mdat`.
    pub fn heic_with_exif(tiff: &[u8]) -> Vec<u8> {
        let ftyp = bx(*b"ftyp", b"heic\0\0\0\0mif1heic");
        let mut infe = vec![2, 0, 0, 0, 0, 1, 0, 0];
        infe.extend_from_slice(b"Exif");
        let mut iinf = vec![0, 0, 0, 0, 0, 1];
        iinf.extend(bx(*b"infe", &infe));
        let exif_item = [&[0u8, 0, 0, 0][..], tiff].concat();
        // The item's offset depends on the meta box's own length, which does not depend on it.
        let build = |offset: u32| {
            let mut iloc = vec![0, 0, 0, 0, 0x44, 0x00, 0, 1, 0, 1, 0, 0, 0, 1];
            iloc.extend_from_slice(&offset.to_be_bytes());
            iloc.extend_from_slice(&(exif_item.len() as u32).to_be_bytes());
            let meta =
                [&[0u8, 0, 0, 0][..], &bx(*b"hdlr", &[0; 25]), &bx(*b"iinf", &iinf), &bx(*b"iloc", &iloc)].concat();
            [ftyp.clone(), bx(*b"meta", &meta)].concat()
        };
        let head_len = build(0).len();
        let mut file = build((head_len + 8) as u32);
        file.extend(bx(*b"mdat", &exif_item));
        file
    }

    /// What the sniffer finds in `file` fed in pieces of `step` bytes.
    pub fn sniff_in_pieces(file: &[u8], step: usize) -> crate::evidence::sniff::Findings {
        let mut s = Sniffer::new();
        for piece in file.chunks(step) {
            s.feed(piece);
        }
        s.finish()
    }

    #[test]
    fn fail_movie_and_heic_metadata_is_found_in_any_pieces_and_not_invented() {
        let mp4 = mp4_with_udta(200_000);
        for step in [1, 7, 4096, 65_536, mp4.len()] {
            let found = sniff_in_pieces(&mp4, step);
            assert_eq!(found.media_type, "video/mp4");
            assert!(found.has_location && found.has_device_info, "step {step}");
            let c = found.capture.expect("values");
            assert_eq!(c.latitude.as_deref(), Some("24.860700"));
            assert_eq!(c.longitude.as_deref(), Some("67.001100"));
            assert_eq!(c.altitude.as_deref(), Some("12.3"));
            assert_eq!((c.camera_make.as_deref(), c.camera_model.as_deref()), (Some("samsung"), Some("SM-A515F")));
        }
        let mov = mov_with_keys();
        let found = sniff_in_pieces(&mov, 4096);
        assert_eq!(found.media_type, "video/quicktime");
        let c = found.capture.expect("values");
        assert_eq!((c.camera_make.as_deref(), c.camera_model.as_deref()), (Some("Apple"), Some("iPhone 12")));
        assert_eq!((c.latitude.as_deref(), c.longitude.as_deref()), (Some("33.684400"), Some("73.047900")));
        let heic = heic_with_exif(&tiff_with_values(false));
        for step in [1, 100, 65_536] {
            let found = sniff_in_pieces(&heic, step);
            assert_eq!(found.media_type, "image/heic");
            assert_eq!(found.capture, Some(expected_capture()), "step {step}");
            assert!(found.has_location && found.has_device_info);
        }
        // The same files without their metadata say nothing.
        let bare =
            [bx(*b"ftyp", b"isom\0\0\x02\0isom"), bx(*b"mdat", &[0; 100]), bx(*b"moov", &bx(*b"mvhd", &[0; 100]))]
                .concat();
        let found = sniff_in_pieces(&bare, 10);
        assert!(!found.has_location && !found.has_device_info && found.capture.is_none(), "{found:?}");
        // A ©xyz inside a track's udta is not the movie's, but text naming a place elsewhere (an
        // mdat's bytes) is never read as one.
        let mut decoy = bare.clone();
        decoy.extend(bx(*b"free", b"\xa9xyz+24.8607+067.0011/"));
        assert!(!sniff_in_pieces(&decoy, 3).has_location);
    }

    #[test]
    fn fail_hostile_boxes_neither_panic_nor_hang_nor_invent() {
        let ftyp = bx(*b"ftyp", b"isom\0\0\x02\0isom");
        let udta_moov = bx(*b"moov", &bx(*b"udta", &bx(*b"\xa9xyz", &qt_text("+24.8607+067.0011/"))));
        let mut huge = ftyp.clone();
        // A 64-bit size of 2^64-1: the box "runs to" beyond any file; what follows is its body.
        huge.extend_from_slice(&[0, 0, 0, 1]);
        huge.extend_from_slice(b"mdat");
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        huge.extend_from_slice(&udta_moov);
        let mut smaller_than_header = ftyp.clone();
        smaller_than_header.extend_from_slice(&[0, 0, 0, 3]);
        smaller_than_header.extend_from_slice(b"free");
        smaller_than_header.extend_from_slice(&udta_moov);
        let mut large_too_small = ftyp.clone();
        large_too_small.extend_from_slice(&[0, 0, 0, 1]);
        large_too_small.extend_from_slice(b"free");
        large_too_small.extend_from_slice(&8u64.to_be_bytes());
        large_too_small.extend_from_slice(&udta_moov);
        // A child running past its parent, and moov nested in moov nested in moov…
        let past_parent = [
            ftyp.clone(),
            bx(*b"moov", &{
                let mut b = bx(*b"udta", &[0; 10]);
                b[3] = 200;
                b
            }),
        ]
        .concat();
        let mut nested = bx(*b"udta", &bx(*b"\xa9xyz", &qt_text("+24.8607+067.0011/")));
        for _ in 0..10_000 {
            nested = bx(*b"moov", &nested);
        }
        let nested = [ftyp.clone(), nested].concat();
        // Huge counts: keys and iloc claiming four billion entries, iinf as many.
        let mut keys = vec![0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        keys.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        let counted =
            [ftyp.clone(), bx(*b"moov", &bx(*b"meta", &[bx(*b"hdlr", &[0; 25]), bx(*b"keys", &keys)].concat()))]
                .concat();
        let iloc = [2u8, 0, 0, 0, 0x44, 0x00, 0xff, 0xff, 0xff, 0xff].to_vec();
        let iinf = [1u8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff].to_vec();
        let heic_counts = [
            bx(*b"ftyp", b"heic\0\0\0\0mif1heic"),
            bx(*b"meta", &[&[0u8, 0, 0, 0][..], &bx(*b"iinf", &iinf), &bx(*b"iloc", &iloc)].concat()),
        ]
        .concat();
        // A HEIC whose EXIF item lies before its meta, or is bigger than kept, or past the end.
        let mut exif_behind = heic_with_exif(&tiff_with_values(true));
        let len = exif_behind.len();
        exif_behind.truncate(len - 10);
        let cases: [(&str, &[u8], bool); 9] = [
            ("size 2^64-1", &huge, false),
            ("smaller than its header", &smaller_than_header, false),
            ("64-bit size smaller than its header", &large_too_small, false),
            ("child past its parent", &past_parent, false),
            ("moov in moov", &nested, false),
            ("four billion keys", &counted, false),
            ("four billion items", &heic_counts, false),
            ("EXIF item cut short", &exif_behind, false),
            ("the real thing", &[ftyp.clone(), udta_moov.clone()].concat(), true),
        ];
        for (what, file, located) in cases {
            for step in [1, 5, 65_536] {
                let found = sniff_in_pieces(file, step);
                assert_eq!(found.has_location, located, "{what}, step {step}");
            }
            // Every cut of it, too.
            for cut in (0..file.len()).step_by((file.len() / 200).max(1)) {
                let _ = sniff_in_pieces(&file[..cut], 64);
            }
        }
    }

    #[test]
    fn iso6709_reads_the_forms_phones_write_and_refuses_the_rest() {
        assert_eq!(iso6709("+24.8607+067.0011/"), Some((24.8607, 67.0011, None)));
        assert_eq!(iso6709("-33.8688+151.2093+058.000/"), Some((-33.8688, 151.2093, Some(58.0))));
        let (lat, lon, _) = iso6709("+2451.642+06700.066/").expect("degrees and minutes");
        assert!((lat - 24.8607).abs() < 1e-4 && (lon - 67.0011).abs() < 1e-4, "{lat} {lon}");
        assert!(iso6709("+245138.5+0670003.9CRSWGS_84/").is_some());
        for bad in ["", "/", "+", "++", "+91.0+000.0/", "+00.0+181.0/", "+24.8607", "+24.86x+067.0/", "+2460.0+067.0/"]
        {
            assert_eq!(iso6709(bad), None, "{bad:?}");
        }
    }
}
