//! Thumbnails made in memory: a JPEG or PNG evidence file decoded as it is decrypted, scaled
//! down to at most [`THUMBNAIL_SIDE`] pixels a side, and handed back as RGBA bytes that the
//! window draws into a canvas. Nothing is written anywhere: no OS thumbnailer, no file, no
//! webview cache (no URL is ever loaded for a thumbnail).
//!
//! Memory stays bounded whatever the image: a JPEG is decoded at 1/2, 1/4 or 1/8 of its size by
//! its inverse DCT (`jpeg-decoder`'s `scale`: a 50-megapixel photo becomes under a megapixel
//! before any pixel is kept), with its decoding buffers capped at [`MAX_DECODE_BYTES`]; a PNG is
//! read one row at a time (`png`, with the same cap) and averaged into the small image as the
//! rows pass. An image past the cap, interlaced, 16-bit grey JPEG or damaged simply has no
//! thumbnail: the panel shows its type instead.

use std::io::{BufReader, Read, Seek};

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 160;

/// The most a decoder may allocate for one image.
pub const MAX_DECODE_BYTES: usize = 48 * 1024 * 1024;

/// A small image: `width` × `height` pixels of RGBA, row by row. The bytes are wiped when dropped
/// (they show the evidence).
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA, 4 bytes a pixel.
    pub rgba: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Thumbnail").field("width", &self.width).field("height", &self.height).finish_non_exhaustive()
    }
}

/// The thumbnail of the image `reader` yields, of media type `media_type` (as sniffed at
/// intake); none for other types or an image that cannot be decoded within the bounds.
pub fn make(reader: impl Read + Seek, media_type: &str) -> Option<Thumbnail> {
    match media_type {
        "image/jpeg" => jpeg(reader),
        "image/png" => png(reader),
        _ => None,
    }
}

fn jpeg(reader: impl Read + Seek) -> Option<Thumbnail> {
    let mut decoder = jpeg_decoder::Decoder::new(BufReader::new(reader));
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES);
    let side = u16::try_from(THUMBNAIL_SIDE).unwrap_or(u16::MAX);
    decoder.scale(side, side).ok()?;
    let pixels = zeroize::Zeroizing::new(decoder.decode().ok()?);
    let info = decoder.info()?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let channels = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
        // 16-bit grey (lossless JPEG) is rare in evidence: no thumbnail.
        jpeg_decoder::PixelFormat::L16 => return None,
    };
    let cmyk = channels == 4;
    let mut down = Downsampler::new(width, height)?;
    let row_len = width as usize * channels;
    let mut rgba_row = zeroize::Zeroizing::new(vec![0u8; width as usize * 4]);
    for (y, row) in pixels.chunks_exact(row_len).take(height as usize).enumerate() {
        for (x, px) in row.chunks_exact(channels).enumerate() {
            let out = &mut rgba_row[x * 4..x * 4 + 4];
            match px {
                [grey] => out.copy_from_slice(&[*grey, *grey, *grey, 255]),
                [red, green, blue] => out.copy_from_slice(&[*red, *green, *blue, 255]),
                // jpeg-decoder gives CMYK as stored by Adobe (inverted): each channel times K.
                [cyan, magenta, yellow, black] if cmyk => {
                    let times_black = |v: u8| ((u16::from(v) * u16::from(*black)) / 255) as u8;
                    out.copy_from_slice(&[times_black(*cyan), times_black(*magenta), times_black(*yellow), 255]);
                }
                _ => return None,
            }
        }
        down.push_row(y as u32, &rgba_row);
    }
    Some(down.finish())
}

fn png(reader: impl Read + Seek) -> Option<Thumbnail> {
    let limits = png::Limits { bytes: MAX_DECODE_BYTES };
    let mut decoder = png::Decoder::new_with_limits(BufReader::new(reader), limits);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    if reader.info().interlaced {
        return None;
    }
    let (width, height) = (reader.info().width, reader.info().height);
    let (color, _) = reader.output_color_type();
    let channels = match color {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return None,
    };
    let mut down = Downsampler::new(width, height)?;
    let mut rgba_row = zeroize::Zeroizing::new(vec![0u8; width as usize * 4]);
    let mut rows = 0;
    while let Ok(Some(row)) = reader.next_row() {
        if rows >= height {
            break;
        }
        for (x, px) in row.data().chunks_exact(channels).take(width as usize).enumerate() {
            let out = &mut rgba_row[x * 4..x * 4 + 4];
            match *px {
                [grey] => out.copy_from_slice(&[grey, grey, grey, 255]),
                [grey, alpha] => out.copy_from_slice(&[grey, grey, grey, alpha]),
                [red, green, blue] => out.copy_from_slice(&[red, green, blue, 255]),
                [red, green, blue, alpha] => out.copy_from_slice(&[red, green, blue, alpha]),
                _ => return None,
            }
        }
        down.push_row(rows, &rgba_row);
        rows += 1;
    }
    // A cut file ends early: its rows so far are a thumbnail, the rest stays blank.
    (rows > 0).then(|| down.finish())
}

/// Averages the rows of a `w` × `h` RGBA image, pushed one at a time, into a thumbnail of at most
/// [`THUMBNAIL_SIDE`] a side, keeping only the thumbnail's sums.
struct Downsampler {
    src_w: u32,
    src_h: u32,
    width: u32,
    height: u32,
    sums: Vec<u32>,
    counts: Vec<u32>,
}

impl Downsampler {
    fn new(src_w: u32, src_h: u32) -> Option<Self> {
        if src_w == 0 || src_h == 0 {
            return None;
        }
        let scale = (f64::from(THUMBNAIL_SIDE) / f64::from(src_w.max(src_h))).min(1.0);
        let width = ((f64::from(src_w) * scale).round() as u32).max(1);
        let height = ((f64::from(src_h) * scale).round() as u32).max(1);
        let n = (width * height) as usize;
        Some(Self { src_w, src_h, width, height, sums: vec![0; n * 4], counts: vec![0; n] })
    }

    fn push_row(&mut self, y: u32, rgba: &[u8]) {
        let ty = (u64::from(y) * u64::from(self.height) / u64::from(self.src_h)) as usize;
        for (x, px) in rgba.chunks_exact(4).take(self.src_w as usize).enumerate() {
            let tx = (x as u64 * u64::from(self.width) / u64::from(self.src_w)) as usize;
            let at = ty * self.width as usize + tx;
            for (sum, &value) in self.sums[at * 4..at * 4 + 4].iter_mut().zip(px) {
                *sum += u32::from(value);
            }
            self.counts[at] += 1;
        }
    }

    fn finish(self) -> Thumbnail {
        let mut rgba = zeroize::Zeroizing::new(vec![0u8; self.sums.len()]);
        for (i, &n) in self.counts.iter().enumerate() {
            for c in 0..4 {
                rgba[i * 4 + c] = self.sums[i * 4 + c].checked_div(n).unwrap_or(0) as u8;
            }
        }
        Thumbnail { width: self.width, height: self.height, rgba }
    }
}
