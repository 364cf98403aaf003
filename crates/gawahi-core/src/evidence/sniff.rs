//! What a file is, from its first bytes (never from its name), and whether it carries a location.
//!
//! A short table of magic numbers covers what defenders bring: phone photos and screenshots
//! (JPEG, PNG, WebP, HEIC), PDFs (FIR copies, court orders), videos (MP4, 3GP, QuickTime), voice
//! notes (Ogg Opus, M4A, AMR, MP3), chat exports (plain text, ZIP). A dependency would add little
//! over these dozen lines. Unknown content is `application/octet-stream`.
//!
//! Location: EXIF's GPS IFD pointer (tag 0x8825) in IFD0, found in a JPEG's APP1 segment, a TIFF,
//! a PNG's `eXIf` chunk or a WebP's `EXIF` chunk, within the first bytes given (the first 64 KiB
//! chunk; EXIF sits at the start of these files). The flag is conservative: a GPS IFD counts even
//! if its fields are empty.
//!
//! Values: the camera's make and model, the time taken and the GPS position are read from the
//! same EXIF blocks with `kamadak-exif` (a parser that refuses IFD loops and reads nothing past
//! the bytes it is given) into a [`Capture`]. MP4, QuickTime, 3GP and HEIC files are walked box
//! by box as they stream past ([`super::boxes`]): location (`©xyz`, ISO 6709 keys), device keys
//! and a HEIC's EXIF item are found wherever they sit, without keeping more than a few small
//! boxes in memory.

use super::{Capture, MAX_CAPTURE_TEXT};

/// The media type of content starting with `head`.
pub fn media_type(head: &[u8]) -> &'static str {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if head.is_empty() {
        return "application/octet-stream";
    }
    if at(0, b"\xff\xd8\xff") {
        "image/jpeg"
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        "image/gif"
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        "image/webp"
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        "audio/wav"
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        "image/tiff"
    } else if at(0, b"%PDF-") {
        "application/pdf"
    } else if at(4, b"ftyp") {
        match head.get(8..12) {
            Some(b"M4A " | b"M4B ") => "audio/mp4",
            Some(b"qt  ") => "video/quicktime",
            Some(b"heic" | b"heix" | b"mif1" | b"msf1") => "image/heic",
            Some(brand) if brand.starts_with(b"3gp") || brand.starts_with(b"3g2") => "video/3gpp",
            _ => "video/mp4",
        }
    } else if at(0, b"OggS") {
        "audio/ogg"
    } else if at(0, b"#!AMR") {
        "audio/amr"
    } else if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe6 == 0xe2) {
        // An ID3 tag, or an MPEG audio frame sync with layer III.
        "audio/mpeg"
    } else if at(0, b"PK\x03\x04") || at(0, b"PK\x05\x06") {
        "application/zip"
    } else if at(0, b"\x1aE\xdf\xa3") {
        "video/webm"
    } else if is_text(head) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// UTF-8 (a character cut at the end of `head` allowed) with no NUL and only the usual controls.
fn is_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        // A multi-byte character cut by the end of the sniffed bytes is still text.
        Err(e) if e.error_len().is_none() && head.len() - e.valid_up_to() < 4 => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
}

/// What intake learns of a file from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// Its media type.
    pub media_type: &'static str,
    /// Whether it carries a location.
    pub has_location: bool,
    /// Whether it names the device that made it.
    pub has_device_info: bool,
    /// The camera, time and place its metadata states, if any.
    pub capture: Option<Capture>,
}

/// Looks at a file as it streams past, chunk by chunk: the first chunk for the media type and
/// EXIF, and for MP4, QuickTime and HEIC every chunk's box structure (skipped by counting, never
/// kept, except the few small metadata boxes).
#[derive(Debug, Default)]
pub struct Sniffer {
    head: Option<Findings>,
    /// The first bytes, while fewer than [`HEAD_LEN`] came (intake hands whole chunks, but a
    /// reader may give less); wiped when dropped.
    pending: zeroize::Zeroizing<Vec<u8>>,
    boxes: Option<super::boxes::BoxWalker>,
}

/// How many first bytes the media type and EXIF are looked for in.
pub const HEAD_LEN: usize = 64 * 1024;

impl Sniffer {
    /// A sniffer that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bytes of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.is_some() {
            if let Some(walker) = &mut self.boxes {
                walker.feed(chunk);
            }
        } else if self.pending.is_empty() && chunk.len() >= HEAD_LEN {
            self.look_at_head(chunk);
        } else {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() >= HEAD_LEN {
                let head = std::mem::take(&mut self.pending);
                self.look_at_head(&head);
            }
        }
    }

    /// Examines the first bytes and starts the box walk for MP4, QuickTime and HEIC.
    fn look_at_head(&mut self, head: &[u8]) {
        self.head = Some(examine(head));
        if head.get(4..8) == Some(b"ftyp") {
            let mut walker = super::boxes::BoxWalker::default();
            walker.feed(head);
            self.boxes = Some(walker);
        }
    }

    /// What was found in everything fed.
    pub fn finish(mut self) -> Findings {
        if self.head.is_none() {
            let head = std::mem::take(&mut self.pending);
            self.look_at_head(&head);
        }
        let mut found = self.head.take().unwrap_or_else(|| examine(&[]));
        if let Some(walker) = self.boxes {
            let boxed = walker.finish();
            found.has_location |= boxed.has_location;
            found.has_device_info |= boxed.has_device_info;
            if let Some(exif) = boxed.exif.as_deref() {
                found.has_location |= tiff_has_gps(exif);
                found.has_device_info |= tiff_has_device_info(exif);
            }
            let from_exif = boxed.exif.as_deref().map(capture_of_tiff).unwrap_or_default();
            let from_boxes = boxed.capture;
            found.capture = found.capture.unwrap_or_default().or(from_exif).or(from_boxes).non_empty();
        }
        if let Some(c) = &found.capture {
            // What the values show is flagged even where the flags' own tests missed it.
            found.has_location |= c.has_position();
            found.has_device_info |= c.names_device();
        }
        found
    }
}

/// What the first bytes of a file show: its media type, its flags and its EXIF values.
pub fn examine(head: &[u8]) -> Findings {
    Findings {
        media_type: media_type(head),
        has_location: has_location(head),
        has_device_info: has_device_info(head),
        capture: capture(head),
    }
}

/// The camera, time and place stated by the EXIF in content starting with `head`: the first
/// EXIF block that states any of them.
pub fn capture(head: &[u8]) -> Option<Capture> {
    exif_blocks(head).into_iter().map(capture_of_tiff).find(|c| !c.is_empty())
}

/// The values of one EXIF (TIFF) block; empty if it cannot be read.
pub(super) fn capture_of_tiff(tiff: &[u8]) -> Capture {
    use exif::{In, Tag};
    // A block with one broken entry still gives the others.
    let exif = match exif::Reader::new().continue_on_error(true).read_raw(tiff.to_vec()) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => partial.into_inner().0,
        Err(_) => return Capture::default(),
    };
    let field = |tag: Tag| exif.get_field(tag, In::PRIMARY).map(|f| &f.value);
    let text = |tag: Tag| match field(tag) {
        Some(exif::Value::Ascii(parts)) => parts.first().and_then(|b| clean_text(b)),
        _ => None,
    };
    let reference = |tag: Tag| match field(tag) {
        Some(exif::Value::Ascii(parts)) => parts.first().and_then(|b| b.first().copied()),
        _ => None,
    };
    let taken_at = text(Tag::DateTimeOriginal).and_then(|t| exif_time(&t, text(Tag::OffsetTimeOriginal).as_deref()));
    let latitude = field(Tag::GPSLatitude)
        .and_then(degrees)
        .filter(|d| *d <= 90.0)
        .map(|d| if reference(Tag::GPSLatitudeRef) == Some(b'S') { -d } else { d });
    let longitude = field(Tag::GPSLongitude)
        .and_then(degrees)
        .filter(|d| *d <= 180.0)
        .map(|d| if reference(Tag::GPSLongitudeRef) == Some(b'W') { -d } else { d });
    let below_sea = matches!(field(Tag::GPSAltitudeRef), Some(exif::Value::Byte(b)) if b.first() == Some(&1));
    let altitude = match field(Tag::GPSAltitude) {
        Some(exif::Value::Rational(r)) => r.first().filter(|r| r.denom != 0).map(exif::Rational::to_f64),
        _ => None,
    }
    .filter(|m| m.is_finite() && *m < 100_000.0)
    .map(|m| if below_sea { -m } else { m });
    // A position needs both coordinates; an altitude alone places nothing.
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(lat), Some(lon)) => (Some(coordinate(lat)), Some(coordinate(lon))),
        _ => (None, None),
    };
    Capture {
        camera_make: text(Tag::Make),
        camera_model: text(Tag::Model),
        taken_at,
        altitude: altitude.filter(|_| latitude.is_some()).map(|m| format!("{m:.1}")),
        latitude,
        longitude,
    }
}

/// Degrees from EXIF's three rationals (degrees, minutes, seconds); none if any is undefined.
fn degrees(value: &exif::Value) -> Option<f64> {
    let exif::Value::Rational(parts) = value else { return None };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|r| r.denom == 0) {
        return None;
    }
    let d = parts.iter().zip([1.0, 60.0, 3600.0]).map(|(r, scale)| r.to_f64() / scale).sum::<f64>();
    d.is_finite().then_some(d)
}

/// A coordinate as stored: six decimals (about 11 cm), no negative zero.
pub(super) fn coordinate(d: f64) -> String {
    let s = format!("{d:.6}");
    if s == "-0.000000" { "0.000000".to_owned() } else { s }
}

/// A text from a file's metadata: trailing NULs and spaces cut, NULs dropped, invalid UTF-8
/// replaced, cut at [`MAX_CAPTURE_TEXT`] characters; none if nothing is left.
pub(super) fn clean_text(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let text: String =
        text.trim_end_matches(['\0', ' ']).chars().filter(|&c| c != '\0').take(MAX_CAPTURE_TEXT).collect();
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// EXIF's `YYYY:MM:DD HH:MM:SS` (and its `+HH:MM` offset) as `YYYY-MM-DDTHH:MM:SS[+HH:MM]`;
/// none for a blank or impossible time.
fn exif_time(time: &str, offset: Option<&str>) -> Option<String> {
    let t = chrono::NaiveDateTime::parse_from_str(time, "%Y:%m:%d %H:%M:%S").ok()?;
    let mut out = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    if let Some(offset) = offset.filter(|o| {
        let b = o.as_bytes();
        b.len() == 6
            && matches!(b[0], b'+' | b'-')
            && b[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit())
            && o[1..3] <= *"14"
            && o[4..6] < *"60"
    }) {
        out.push_str(offset);
    }
    Some(out)
}

/// Whether content starting with `head` carries EXIF GPS data.
pub fn has_location(head: &[u8]) -> bool {
    exif_blocks(head).into_iter().any(tiff_has_gps)
}

/// The TIFF structures (EXIF payloads) found in the first bytes of a JPEG, TIFF, PNG or WebP.
fn exif_blocks(head: &[u8]) -> Vec<&[u8]> {
    let mut found = Vec::new();
    if head.starts_with(b"\xff\xd8") {
        // JPEG: markers and their segments until the image data starts.
        let mut i = 2;
        while i + 4 <= head.len() && head[i] == 0xff {
            let marker = head[i + 1];
            if marker == 0xd8 || (0xd0..=0xd7).contains(&marker) || marker == 0x01 || marker == 0xff {
                i += if marker == 0xff { 1 } else { 2 };
                continue;
            }
            if marker == 0xda || marker == 0xd9 {
                break;
            }
            let len = usize::from(u16::from_be_bytes([head[i + 2], head[i + 3]]));
            let body = head.get(i + 4..(i + 2 + len).min(head.len())).unwrap_or_default();
            if marker == 0xe1 && body.starts_with(b"Exif\0\0") {
                found.push(&body[6..]);
            }
            i += 2 + len;
        }
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        found.push(head);
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut i = 8;
        while i + 8 <= head.len() {
            let len = u32::from_be_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]) as usize;
            let body = head.get(i + 8..(i + 8).saturating_add(len).min(head.len())).unwrap_or_default();
            if &head[i + 4..i + 8] == b"eXIf" {
                found.push(body);
            }
            if &head[i + 4..i + 8] == b"IDAT" {
                break;
            }
            i = i.saturating_add(12).saturating_add(len);
        }
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        let mut i = 12;
        while i + 8 <= head.len() {
            let len = u32::from_le_bytes([head[i + 4], head[i + 5], head[i + 6], head[i + 7]]) as usize;
            let body = head.get(i + 8..(i + 8).saturating_add(len).min(head.len())).unwrap_or_default();
            if &head[i..i + 4] == b"EXIF" {
                // Some writers keep JPEG's "Exif\0\0" before the TIFF header.
                found.push(body.strip_prefix(b"Exif\0\0").unwrap_or(body));
            }
            i = i.saturating_add(8).saturating_add(len).saturating_add(len & 1);
        }
    }
    found
}

/// Whether IFD0 of the TIFF structure `tiff` has a GPS IFD pointer (tag 0x8825).
fn tiff_has_gps(tiff: &[u8]) -> bool {
    Tiff::new(tiff).is_some_and(|t| t.ifd0_tags().any(|(tag, _)| tag == GPS_IFD))
}

/// EXIF's GPS IFD pointer.
const GPS_IFD: u16 = 0x8825;
/// EXIF's Exif IFD pointer (camera settings, serial numbers).
const EXIF_IFD: u16 = 0x8769;
/// Tags that name the device or its owner: Make and Model (IFD0); CameraOwnerName,
/// BodySerialNumber and LensSerialNumber (Exif IFD).
const DEVICE_TAGS: [u16; 5] = [0x010f, 0x0110, 0xa430, 0xa431, 0xa435];

/// Whether content starting with `head` carries EXIF that identifies the device that made it
/// (its make, model, serial number or owner's name): a phone's model alone narrows down who
/// took a photo.
pub fn has_device_info(head: &[u8]) -> bool {
    exif_blocks(head).into_iter().any(tiff_has_device_info)
}

/// Whether the TIFF structure `tiff` names the device (see [`has_device_info`]).
fn tiff_has_device_info(tiff: &[u8]) -> bool {
    Tiff::new(tiff).is_some_and(|t| {
        t.ifd0_tags().any(|(tag, _)| DEVICE_TAGS.contains(&tag))
            || t.ifd0_tags()
                .filter(|&(tag, _)| tag == EXIF_IFD)
                .any(|(_, at)| t.tags_at(at as usize).any(|(tag, _)| DEVICE_TAGS.contains(&tag)))
    })
}

/// A TIFF structure and its byte order.
#[derive(Clone, Copy)]
struct Tiff<'a> {
    bytes: &'a [u8],
    little: bool,
}

impl<'a> Tiff<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        match bytes.get(0..4) {
            Some(b"II*\0") => Some(Self { bytes, little: true }),
            Some(b"MM\0*") => Some(Self { bytes, little: false }),
            _ => None,
        }
    }

    fn u16_at(self, o: usize) -> Option<u16> {
        let b = self.bytes.get(o..o.checked_add(2)?)?;
        Some(if self.little { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    }

    fn u32_at(self, o: usize) -> Option<u32> {
        let b = self.bytes.get(o..o.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    /// The tags of IFD0, each with its value field read as an offset.
    fn ifd0_tags(self) -> impl Iterator<Item = (u16, u32)> + 'a {
        let at = self.u32_at(4).map_or(usize::MAX, |o| o as usize);
        self.tags_at(at)
    }

    /// The tags of the IFD at `at` (none if it lies outside the bytes), each with its value
    /// field read as an offset.
    fn tags_at(self, at: usize) -> impl Iterator<Item = (u16, u32)> + 'a {
        let entries = self.u16_at(at).unwrap_or(0);
        (0..usize::from(entries)).map_while(move |n| {
            let entry = at.checked_add(2)?.checked_add(n.checked_mul(12)?)?;
            Some((self.u16_at(entry)?, self.u32_at(entry + 8)?))
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal JPEG whose EXIF IFD0 has `tags` (each with a zero value), big- or little-endian.
    pub fn jpeg_with_exif_tags(tags: &[u16], little: bool) -> Vec<u8> {
        let p16 = |v: u16| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let p32 = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let mut tiff = Vec::new();
        tiff.extend_from_slice(if little { b"II*\0" } else { b"MM\0*" });
        tiff.extend_from_slice(&p32(8));
        tiff.extend_from_slice(&p16(tags.len() as u16));
        for &t in tags {
            tiff.extend_from_slice(&p16(t));
            tiff.extend_from_slice(&p16(4));
            tiff.extend_from_slice(&p32(1));
            tiff.extend_from_slice(&p32(0));
        }
        tiff.extend_from_slice(&p32(0));
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec();
        jpeg.extend_from_slice(&[0xff, 0xe1]);
        jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(b"\xff\xda\x00\x02rest of the image\xff\xd9");
        jpeg
    }

    /// A TIFF (EXIF block) written by kamadak-exif's own writer: a camera, a time with its
    /// offset, and a position south and west with an altitude below the sea.
    pub fn tiff_with_values(little: bool) -> Vec<u8> {
        use exif::{Field, In, Rational, Tag, Value};
        let r = |num, denom| Rational { num, denom };
        let fields = [
            Field { tag: Tag::Make, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"Xiaomi\0".to_vec()]) },
            Field { tag: Tag::Model, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"Redmi Note 9  ".to_vec()]) },
            Field {
                tag: Tag::DateTimeOriginal,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"2024:03:05 14:30:09".to_vec()]),
            },
            Field { tag: Tag::OffsetTimeOriginal, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"+05:00".to_vec()]) },
            Field {
                tag: Tag::GPSLatitude,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![r(24, 1), r(51, 1), r(3852, 100)]),
            },
            Field { tag: Tag::GPSLatitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"S".to_vec()]) },
            Field {
                tag: Tag::GPSLongitude,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![r(67, 1), r(0, 1), r(36, 10)]),
            },
            Field { tag: Tag::GPSLongitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"W".to_vec()]) },
            Field { tag: Tag::GPSAltitude, ifd_num: In::PRIMARY, value: Value::Rational(vec![r(125, 10)]) },
            Field { tag: Tag::GPSAltitudeRef, ifd_num: In::PRIMARY, value: Value::Byte(vec![1]) },
        ];
        let mut writer = exif::experimental::Writer::new();
        for f in &fields {
            writer.push_field(f);
        }
        let mut out = std::io::Cursor::new(Vec::new());
        writer.write(&mut out, little).expect("an EXIF block is written");
        out.into_inner()
    }

    /// `tiff` in a JPEG's APP1 segment.
    pub fn jpeg_with_tiff(tiff: &[u8]) -> Vec<u8> {
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(tiff);
        let mut jpeg = b"\xff\xd8".to_vec();
        jpeg.extend_from_slice(&[0xff, 0xe1]);
        jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(b"\xff\xda\x00\x02rest of the image\xff\xd9");
        jpeg
    }

    /// What [`tiff_with_values`] holds, as read.
    pub fn expected_capture() -> Capture {
        Capture {
            camera_make: Some("Xiaomi".into()),
            camera_model: Some("Redmi Note 9".into()),
            taken_at: Some("2024-03-05T14:30:09+05:00".into()),
            latitude: Some("-24.860700".into()),
            longitude: Some("-67.001000".into()),
            altitude: Some("-12.5".into()),
        }
    }

    #[test]
    fn fail_exif_values_are_read_from_every_container_and_not_invented() {
        for little in [true, false] {
            let tiff = tiff_with_values(little);
            let jpeg = jpeg_with_tiff(&tiff);
            assert_eq!(capture(&jpeg), Some(expected_capture()), "JPEG, little-endian {little}");
            assert_eq!(capture(&tiff), Some(expected_capture()), "TIFF");
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend_from_slice(&(tiff.len() as u32).to_be_bytes());
            png.extend_from_slice(b"eXIf");
            png.extend_from_slice(&tiff);
            png.extend_from_slice(&[0; 4]);
            assert_eq!(capture(&png), Some(expected_capture()), "PNG eXIf");
            let mut webp = b"RIFF\0\0\0\0WEBPEXIF".to_vec();
            webp.extend_from_slice(&(tiff.len() as u32).to_le_bytes());
            webp.extend_from_slice(&tiff);
            assert_eq!(capture(&webp), Some(expected_capture()), "WebP");
            let found = examine(&jpeg);
            assert!(found.has_location && found.has_device_info, "{found:?}");
        }
        // Flags without values (the pointer tags of the older tests) give no values.
        assert_eq!(capture(&jpeg_with_exif_tags(&[0x010f, 0x8769, 0x8825], true)), None);
        assert_eq!(capture(b"plain text"), None);
    }

    #[test]
    fn fail_broken_exif_values_are_dropped_without_a_panic() {
        let good = tiff_with_values(false);
        // Every cut of the block, and every byte of it set to 0xff in turn: no panic, and
        // whatever is read is one of the true values or nothing.
        let truth = expected_capture();
        for cut in 0..good.len() {
            let c = capture(&jpeg_with_tiff(&good[..cut])).unwrap_or_default();
            assert!(c.camera_make.is_none() || c.camera_make == truth.camera_make, "cut {cut}: {c:?}");
        }
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] = 0xff;
            let _ = capture(&jpeg_with_tiff(&bad));
        }
        // Impossible values: a zero denominator, a latitude past 90, a 31st of February, an
        // offset of +99:00.
        assert_eq!(exif_time("2024:02:31 10:00:00", None), None);
        assert_eq!(exif_time("    :  :     :  :  ", None), None);
        assert_eq!(exif_time("2024:02:03 10:00:00", Some("+99:00")).as_deref(), Some("2024-02-03T10:00:00"));
        assert_eq!(exif_time("2024:02:03 10:00:00", Some("-03:30")).as_deref(), Some("2024-02-03T10:00:00-03:30"));
        assert_eq!(degrees(&exif::Value::Rational(vec![exif::Rational { num: 1, denom: 0 }])), None);
        assert_eq!(degrees(&exif::Value::Ascii(vec![b"24".to_vec()])), None);
        // Hostile text: NULs dropped, the length capped, controls kept for the escaping of
        // whoever shows it.
        assert_eq!(clean_text(b"\0\0"), None);
        assert_eq!(clean_text(b"Can\0on\x1b[2J").as_deref(), Some("Canon\u{1b}[2J"));
        assert_eq!(clean_text(&[b'x'; 1000]).map(|t| t.chars().count()), Some(MAX_CAPTURE_TEXT));
        assert_eq!(clean_text(b"\xff\xfeA").as_deref(), Some("\u{fffd}\u{fffd}A"));
    }

    #[test]
    fn magic_numbers_name_the_media_type() {
        let cases: [(&[u8], &str); 14] = [
            (b"\xff\xd8\xff\xe0", "image/jpeg"),
            (b"\x89PNG\r\n\x1a\n\0\0", "image/png"),
            (b"GIF89a..", "image/gif"),
            (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
            (b"%PDF-1.7\n", "application/pdf"),
            (b"\0\0\0\x20ftypisom", "video/mp4"),
            (b"\0\0\0\x20ftypM4A ", "audio/mp4"),
            (b"OggS\0\x02", "audio/ogg"),
            (b"ID3\x04\0", "audio/mpeg"),
            (b"\xff\xfb\x90\x64", "audio/mpeg"),
            (b"PK\x03\x04\x14\0", "application/zip"),
            ("[12/03/2024, 10:15] Ali: آج عدالت".as_bytes(), "text/plain"),
            (b"\0\x01\x02binary", "application/octet-stream"),
            (b"", "application/octet-stream"),
        ];
        for (head, expected) in cases {
            assert_eq!(media_type(head), expected, "{head:?}");
        }
        // Urdu text cut in the middle of a character by the end of the sniffed bytes.
        let text = "گواہی".as_bytes();
        assert_eq!(media_type(&text[..text.len() - 1]), "text/plain");
    }

    #[test]
    fn fail_gps_in_exif_is_found_and_its_absence_is_not_invented() {
        for little in [true, false] {
            assert!(has_location(&jpeg_with_exif_tags(&[0x010f, 0x8769, 0x8825], little)));
            assert!(!has_location(&jpeg_with_exif_tags(&[0x010f, 0x8769], little)));
        }
        assert!(!has_location(b"\xff\xd8\xff\xe1\xff\xff"), "a cut segment is not read past the end");
        assert!(!has_location(b"II*\0\xff\xff\xff\xff"), "an offset past the end");
        assert!(!has_location(b"plain text"));
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let tiff = &jpeg_with_exif_tags(&[0x8825], false)[20 + 4 + 6..];
        png.extend_from_slice(&(tiff.len() as u32).to_be_bytes());
        png.extend_from_slice(b"eXIf");
        png.extend_from_slice(tiff);
        png.extend_from_slice(&[0; 4]);
        assert!(has_location(&png));
    }

    #[test]
    fn fail_device_identifiers_in_exif_are_found_and_not_invented() {
        for little in [true, false] {
            assert!(has_device_info(&jpeg_with_exif_tags(&[0x010f], little)), "Make");
            assert!(has_device_info(&jpeg_with_exif_tags(&[0x0110, 0x8825], little)), "Model");
            assert!(!has_device_info(&jpeg_with_exif_tags(&[0x0112, 0x8825], little)), "orientation and GPS only");
        }
        // A serial number in the Exif IFD, which IFD0 points at.
        let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(&[0x87, 0x69, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x1a]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 1, 0xa4, 0x31, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(has_device_info(&tiff), "BodySerialNumber");
        let mut pointing_nowhere = tiff.clone();
        pointing_nowhere[21] = 0xff;
        assert!(!has_device_info(&pointing_nowhere), "an Exif IFD past the end");
        assert!(!has_device_info(b"II*\0\xff\xff\xff\xff"));
        assert!(!has_device_info(b"\xff\xd8\xff\xe1\xff\xff"));
        assert!(!has_device_info(b"plain text"));
    }
}
