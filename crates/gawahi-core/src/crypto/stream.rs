//! The evidence blob format: STREAM (Hoang, Reyhanitabar, Rogaway and Vizár's online
//! authenticated encryption, as age uses it) built from ring's ChaCha20-Poly1305.
//!
//! ```text
//! header   16 bytes  "gawahi.blob\n" (12) ‖ version 1 ‖ algorithm 1 (ChaCha20-Poly1305)
//!                    ‖ log2 of the chunk size 16 ‖ reserved 0
//! chunk i  the i-th 64 KiB of plaintext (the last one 0 to 64 KiB), sealed:
//!          ciphertext ‖ 16-byte Poly1305 tag
//!          nonce = i as an 11-byte big-endian counter ‖ 0x01 for the last chunk, else 0x00
//!          associated data = the 16-byte header
//! ```
//!
//! Every blob has its own random 256-bit key, so a counter nonce never repeats under a key. The
//! tag authenticates each chunk, the counter its place, the flag the end: a flipped bit, a cut
//! (at a chunk boundary or not), chunks swapped or bytes appended all fail to open, and nothing is
//! returned from a chunk before its tag has been checked. Only an empty file has an empty last
//! chunk. docs/evidence-format.md describes the format for other implementations.

use std::io::{self, Read, Write};

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use crate::error::Error;

/// The plaintext size of every chunk but the last.
pub const CHUNK: usize = 64 * 1024;
/// The Poly1305 tag after each chunk.
pub const TAG: usize = 16;
/// The blob header: magic, version, algorithm, log2 of the chunk size, reserved.
pub const HEADER: [u8; 16] = *b"gawahi.blob\n\x01\x01\x10\x00";
/// The magic the header starts with.
const MAGIC_LEN: usize = 12;

/// The size of a blob holding `plaintext` bytes.
pub fn sealed_len(plaintext: u64) -> u64 {
    let chunks = plaintext.div_ceil(CHUNK as u64).max(1);
    HEADER.len() as u64 + plaintext + chunks * TAG as u64
}

fn nonce(counter: u64, last: bool) -> Nonce {
    let mut n = [0u8; NONCE_LEN];
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

fn aead(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).expect("ChaCha20-Poly1305 takes a 32-byte key"))
}

/// Reads until `buf` is full or the input ends; returns how much was read.
pub fn fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Why sealing stopped: the input could not be read, or the output not written.
#[derive(Debug)]
pub enum SealError {
    /// Reading the plaintext failed.
    Read,
    /// Writing the blob failed.
    Write(io::Error),
}

/// Seals everything `input` holds into `output`, one fixed-size buffer at a time, handing each
/// plaintext chunk to `look` first (to hash it, and to sniff the first one). Returns the
/// plaintext's length.
pub fn seal(
    key: &[u8; 32],
    input: &mut impl Read,
    output: &mut impl Write,
    mut look: impl FnMut(&[u8]),
) -> Result<u64, SealError> {
    let key = aead(key);
    output.write_all(&HEADER).map_err(SealError::Write)?;
    let mut buf = Zeroizing::new(Vec::with_capacity(CHUNK + TAG));
    let mut carry: Option<u8> = None;
    let mut counter: u64 = 0;
    let mut total: u64 = 0;
    loop {
        buf.clear();
        buf.resize(CHUNK, 0);
        let start = match carry.take() {
            Some(b) => {
                buf[0] = b;
                1
            }
            None => 0,
        };
        let n = start + fill(input, &mut buf[start..]).map_err(|_| SealError::Read)?;
        buf.truncate(n);
        // A full chunk is the last only if nothing follows it: one byte is read ahead.
        let last = n < CHUNK || {
            let mut one = [0u8; 1];
            let more = fill(input, &mut one).map_err(|_| SealError::Read)? == 1;
            if more {
                carry = Some(one[0]);
            }
            !more
        };
        look(&buf);
        total += n as u64;
        key.seal_in_place_append_tag(nonce(counter, last), Aad::from(&HEADER), &mut *buf)
            .map_err(|_| SealError::Write(io::Error::other("sealing a chunk failed")))?;
        output.write_all(&buf).map_err(SealError::Write)?;
        if last {
            return Ok(total);
        }
        counter = counter.checked_add(1).ok_or_else(|| SealError::Write(io::Error::other("too many chunks")))?;
    }
}

/// A blob being read: yields plaintext only from chunks whose tag has been checked. On any
/// damage it fails with an [`io::Error`] of kind `InvalidData` wrapping [`Error::EvidenceTampered`]
/// (see [`tampered`]), and keeps failing.
pub struct Opener<R: Read> {
    key: LessSafeKey,
    input: R,
    buf: Zeroizing<Vec<u8>>,
    pos: usize,
    counter: u64,
    carry: Option<u8>,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Reading,
    Done,
    Failed,
}

impl<R: Read> std::fmt::Debug for Opener<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opener").field("chunk", &self.counter).finish_non_exhaustive()
    }
}

/// The error a damaged blob gives through [`Read`].
pub fn tampered() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Error::EvidenceTampered)
}

/// The vault's error behind an I/O error from an [`Opener`] (or a reader wrapping one): a damaged
/// blob stays [`Error::EvidenceTampered`]; anything else is `otherwise`.
pub fn error_of(e: io::Error, otherwise: impl FnOnce(io::Error) -> Error) -> Error {
    if e.get_ref().and_then(|inner| inner.downcast_ref::<Error>()).is_some_and(|v| matches!(v, Error::EvidenceTampered))
    {
        return Error::EvidenceTampered;
    }
    otherwise(e)
}

impl<R: Read> Opener<R> {
    /// Reads the blob in `input` with `key`.
    pub fn new(key: &[u8; 32], input: R) -> Self {
        Self {
            key: aead(key),
            input,
            buf: Zeroizing::new(Vec::with_capacity(CHUNK + TAG)),
            pos: 0,
            counter: 0,
            carry: None,
            state: State::Start,
        }
    }

    fn fail(&mut self) -> io::Error {
        self.state = State::Failed;
        self.buf.clear();
        self.pos = 0;
        tampered()
    }

    fn header(&mut self) -> io::Result<()> {
        let mut header = [0u8; HEADER.len()];
        if fill(&mut self.input, &mut header)? != HEADER.len() || header[..MAGIC_LEN] != HEADER[..MAGIC_LEN] {
            return Err(self.fail());
        }
        // Every blob a vault refers to was written by a build that knew the vault's schema: a
        // later format comes with a migration, which this build refuses first. So a header that
        // differs (a flipped version byte included) is damage.
        if header != HEADER {
            return Err(self.fail());
        }
        self.state = State::Reading;
        Ok(())
    }

    /// Reads, checks and decrypts the next chunk into the buffer.
    fn next_chunk(&mut self) -> io::Result<()> {
        self.buf.clear();
        self.buf.resize(CHUNK + TAG, 0);
        self.pos = 0;
        let start = match self.carry.take() {
            Some(b) => {
                self.buf[0] = b;
                1
            }
            None => 0,
        };
        // A read error leaves unauthenticated bytes in the buffer: the reader fails for good
        // (and empties the buffer) rather than let a retry return them.
        let n = match fill(&mut self.input, &mut self.buf[start..]) {
            Ok(k) => start + k,
            Err(e) => {
                let _ = self.fail();
                return Err(e);
            }
        };
        let last = n < CHUNK + TAG || {
            let mut one = [0u8; 1];
            let more = match fill(&mut self.input, &mut one) {
                Ok(k) => k == 1,
                Err(e) => {
                    let _ = self.fail();
                    return Err(e);
                }
            };
            if more {
                self.carry = Some(one[0]);
            }
            !more
        };
        if n < TAG {
            return Err(self.fail());
        }
        let opened = self
            .key
            .open_in_place(nonce(self.counter, last), Aad::from(&HEADER), &mut self.buf[..n])
            .map(|plain| plain.len());
        let Ok(len) = opened else { return Err(self.fail()) };
        // Only an empty blob has an empty last chunk: the sealer never writes one after data.
        if last && len == 0 && self.counter > 0 {
            return Err(self.fail());
        }
        self.buf.truncate(len);
        if last {
            self.state = State::Done;
        } else {
            self.counter = self.counter.checked_add(1).ok_or_else(|| self.fail())?;
        }
        Ok(())
    }
}

impl<R: Read> Read for Opener<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.state == State::Failed {
                return Err(tampered());
            }
            if self.pos < self.buf.len() {
                let n = out.len().min(self.buf.len() - self.pos);
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            match self.state {
                State::Start => self.header()?,
                State::Reading => self.next_chunk()?,
                State::Done | State::Failed => return Ok(0),
            }
            if out.is_empty() {
                return Ok(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let n = seal(&[9; 32], &mut &data[..], &mut out, |_| {}).expect("seal");
        assert_eq!(n, data.len() as u64);
        assert_eq!(out.len() as u64, sealed_len(n));
        out
    }

    fn open(blob: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Opener::new(&[9; 32], blob).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 7] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            assert_eq!(open(&sealed(&data)).expect("open"), data, "{len} bytes");
        }
    }

    #[test]
    fn fail_every_kind_of_damage_is_refused() {
        let data: Vec<u8> = (0..3 * CHUNK + 100).map(|i| (i % 253) as u8).collect();
        let blob = sealed(&data);
        let c = CHUNK + TAG;
        let h = HEADER.len();
        let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
        for at in [0, 13, h, h + 1, h + c - 1, h + c, h + 2 * c + 5, blob.len() - 1] {
            let mut b = blob.clone();
            b[at] ^= 0x01;
            cases.push(("flipped bit", b));
        }
        cases.push(("cut at a chunk boundary", blob[..h + 2 * c].to_vec()));
        cases.push(("cut inside a chunk", blob[..h + c + 100].to_vec()));
        cases.push(("last byte cut", blob[..blob.len() - 1].to_vec()));
        cases.push(("header only", blob[..h].to_vec()));
        cases.push(("empty", Vec::new()));
        cases.push(("appended", [blob.as_slice(), b"x"].concat()));
        let mut swapped = blob.clone();
        swapped[h..h + c].copy_from_slice(&blob[h + c..h + 2 * c]);
        swapped[h + c..h + 2 * c].copy_from_slice(&blob[h..h + c]);
        cases.push(("two chunks swapped", swapped));
        let mut empty_last = blob[..h + 3 * c].to_vec();
        empty_last.extend_from_slice(&[0; TAG]);
        cases.push(("an extra empty chunk", empty_last));
        for (what, b) in cases {
            let err = open(&b).expect_err(what);
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{what}");
        }
        let mut other_key = Vec::new();
        assert!(Opener::new(&[8; 32], blob.as_slice()).read_to_end(&mut other_key).is_err());
    }

    #[test]
    fn fail_nothing_is_returned_from_a_damaged_chunk() {
        let data = vec![7u8; 2 * CHUNK + 10];
        let mut blob = sealed(&data);
        let at = HEADER.len() + CHUNK + TAG + 3;
        blob[at] ^= 0x80;
        let mut r = Opener::new(&[9; 32], blob.as_slice());
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let err = loop {
            match r.read(&mut buf) {
                Ok(0) => panic!("the damage went unnoticed"),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert_eq!(got.len(), CHUNK, "only the first, intact chunk was returned");
        assert!(matches!(error_of(err, |_| Error::Bug("x")), Error::EvidenceTampered));
        assert!(r.read(&mut buf).is_err(), "it keeps failing");
    }

    /// Hands out the blob in small pieces and fails once, part way into the second chunk.
    struct FlakyOnce {
        data: Vec<u8>,
        at: usize,
        failed: bool,
    }

    impl Read for FlakyOnce {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !self.failed && self.at > HEADER.len() + CHUNK + TAG + 100 {
                self.failed = true;
                return Err(io::Error::other("a transient read error"));
            }
            let n = buf.len().min(4096).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn fail_a_read_error_mid_chunk_never_lets_a_retry_return_unchecked_bytes() {
        let plain: Vec<u8> = (0..3 * CHUNK).map(|i| (i % 251) as u8).collect();
        let blob = sealed(&plain);
        let mut r = Opener::new(&[9; 32], FlakyOnce { data: blob, at: 0, failed: false });
        let mut got = vec![0u8; CHUNK];
        fill(&mut r, &mut got).expect("the first chunk");
        assert_eq!(got, plain[..CHUNK]);
        let mut buf = vec![0u8; CHUNK];
        assert!(r.read(&mut buf).is_err(), "the read error comes through");
        // A caller that tries again gets an error, never the ciphertext and zeros left behind.
        for _ in 0..3 {
            match r.read(&mut buf) {
                Err(_) => {}
                Ok(n) => assert_eq!(n, 0, "no unauthenticated byte is returned: {:?}", &buf[..n.min(16)]),
            }
        }
    }
}
