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
//! if its fields are empty. Location inside MP4/HEIC metadata is not detected yet.

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
    exif_blocks(head).into_iter().filter_map(Tiff::new).any(|t| {
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
