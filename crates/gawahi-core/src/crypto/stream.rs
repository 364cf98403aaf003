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

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::mpsc;

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

/// How many chunks travel together from the thread that reads to the one that seals: 1 MiB of
/// plaintext, handed over with one message.
const BATCH_CHUNKS: usize = 16;
/// How many batches exist at once (being read, waiting, being sealed and written): the memory an
/// intake takes stays at about 3 MiB whatever the file's size.
const BATCHES: usize = 3;
/// A sealed chunk's size: its plaintext's and its tag's.
const SLOT: usize = CHUNK + TAG;

/// Consecutive chunks of the stream, laid out in `buf` as they are in the blob: chunk `j`'s
/// plaintext at `j × SLOT`, the room for its tag after it.
struct Batch {
    buf: Zeroizing<Vec<u8>>,
    /// How many plaintext bytes it holds: every chunk is full but maybe the stream's last.
    plain: usize,
    /// Whether the stream's last chunk is in it.
    last: bool,
}

impl Batch {
    /// How many chunks it holds: an empty batch is only ever sent for an empty stream, whose one
    /// chunk is empty.
    fn chunks(&self) -> usize {
        self.plain.div_ceil(CHUNK).max(1)
    }
}

/// Seals everything `input` holds into `output`, handing each plaintext chunk to `look` first (to
/// hash it, and to sniff the first one). Returns the plaintext's length.
///
/// Two threads share the work, so that on two cores hashing hides behind encryption and both
/// behind the disk: this one reads and looks (where `input` and `look` live, so neither need be
/// `Send`), a second one seals and writes. They pass a few batches of 16 chunks back and forth,
/// so memory stays flat. The blob is the same, byte for byte, as one thread would write.
pub fn seal(
    key: &[u8; 32],
    input: &mut impl Read,
    output: &mut (impl Write + Send),
    mut look: impl FnMut(&[u8]),
) -> Result<u64, SealError> {
    let key = aead(key);
    output.write_all(&HEADER).map_err(SealError::Write)?;
    std::thread::scope(|scope| {
        let (full, to_seal) = mpsc::sync_channel::<Batch>(BATCHES - 1);
        let (spare, spares) = mpsc::channel::<Zeroizing<Vec<u8>>>();
        let sealer = scope.spawn(move || seal_batches(&key, &to_seal, &spare, output));
        let read = read_batches(input, &mut look, &full, &spares);
        // Dropping the sending end ends the sealer's loop once it has sealed what was sent.
        drop(full);
        let outcome = sealer.join().unwrap_or_else(|_| Err(io::Error::other("the sealing thread failed")));
        match (read, outcome) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(SealError::Write(e)),
            (Ok(total), Ok(true)) => Ok(total),
            (Ok(_), Ok(false)) => Err(SealError::Write(io::Error::other("the sealing thread stopped early"))),
        }
    })
}

/// Reads `input` into batches, hands each chunk to `look`, and sends the batches to be sealed.
/// Returns the plaintext's length; stops early (with `Ok`) if the sealer is gone, which then
/// holds the reason.
fn read_batches(
    input: &mut impl Read,
    look: &mut impl FnMut(&[u8]),
    full: &mpsc::SyncSender<Batch>,
    spares: &mpsc::Receiver<Zeroizing<Vec<u8>>>,
) -> Result<u64, SealError> {
    let mut made = 0;
    let mut carry: Option<u8> = None;
    let mut total: u64 = 0;
    loop {
        let buf = match spares.try_recv() {
            Ok(b) => Some(b),
            Err(_) if made < BATCHES => {
                made += 1;
                Some(Zeroizing::new(vec![0u8; BATCH_CHUNKS * SLOT]))
            }
            Err(_) => spares.recv().ok(),
        };
        // No buffer comes back once the sealer has stopped: it holds the reason.
        let Some(mut buf) = buf else { return Ok(total) };
        let mut plain = 0;
        let mut last = false;
        for j in 0..BATCH_CHUNKS {
            let slot = &mut buf[j * SLOT..j * SLOT + CHUNK];
            let start = match carry.take() {
                Some(b) => {
                    slot[0] = b;
                    1
                }
                None => 0,
            };
            let n = start + fill(input, &mut slot[start..]).map_err(|_| SealError::Read)?;
            // An empty read after a full chunk is no chunk: that full one was the last. Only an
            // empty stream has an empty chunk (the first one is never empty otherwise: a byte
            // read ahead is carried into it).
            if n > 0 || j == 0 {
                look(&slot[..n]);
            }
            plain += n;
            if n < CHUNK {
                last = true;
                break;
            }
        }
        if !last {
            // A full batch ends the stream only if nothing follows it: one byte is read ahead.
            let mut one = [0u8; 1];
            if fill(input, &mut one).map_err(|_| SealError::Read)? == 1 {
                carry = Some(one[0]);
            } else {
                last = true;
            }
        }
        total += plain as u64;
        if full.send(Batch { buf, plain, last }).is_err() || last {
            return Ok(total);
        }
    }
}

/// Seals the batches it receives, in order, writes them and sends their buffers back. Returns
/// whether it sealed the stream's last chunk (`false`: the reader stopped first).
fn seal_batches(
    key: &LessSafeKey,
    batches: &mpsc::Receiver<Batch>,
    spare: &mpsc::Sender<Zeroizing<Vec<u8>>>,
    output: &mut impl Write,
) -> io::Result<bool> {
    let mut counter: u64 = 0;
    while let Ok(mut batch) = batches.recv() {
        let chunks = batch.chunks();
        for j in 0..chunks {
            let at = j * SLOT;
            let len = (batch.plain - j * CHUNK).min(CHUNK);
            let last = batch.last && j + 1 == chunks;
            let tag = key
                .seal_in_place_separate_tag(nonce(counter, last), Aad::from(&HEADER), &mut batch.buf[at..at + len])
                .map_err(|_| io::Error::other("sealing a chunk failed"))?;
            batch.buf[at + len..at + len + TAG].copy_from_slice(tag.as_ref());
            // Each chunk is written as soon as it is sealed, while it is still in this core's
            // cache: the kernel's copy of a whole 1 MiB batch at once, from beyond the cache, cost
            // four times the system time (measured on the 2-core development machine).
            output.write_all(&batch.buf[at..at + len + TAG])?;
            if !last {
                counter = counter.checked_add(1).ok_or_else(|| io::Error::other("too many chunks"))?;
            }
        }
        if batch.last {
            return Ok(true);
        }
        // The reader may be gone already; the buffer is then just dropped (and wiped).
        let _ = spare.send(batch.buf);
    }
    Ok(false)
}

/// How much is written between two requests that the disk start on it.
const WRITEBACK_STEP: u64 = 8 << 20;

/// A new file being written from its start, whose pages are sent to the disk as they are written
/// rather than all at the final `sync_all`: the disk then works while the next megabytes are
/// hashed and encrypted, and the final sync waits for the last few MiB only. Durability is
/// unchanged: the caller still syncs before the file is renamed into place.
#[derive(Debug)]
pub struct EagerWriteback<'a> {
    file: &'a std::fs::File,
    written: u64,
    started: u64,
}

impl<'a> EagerWriteback<'a> {
    /// Writes to `file`, which is new (empty).
    pub fn new(file: &'a std::fs::File) -> Self {
        Self { file, written: 0, started: 0 }
    }
}

impl Write for EagerWriteback<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = (&mut &*self.file).write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= WRITEBACK_STEP {
            start_writeback(self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Asks the kernel to start writing `len` bytes of `file` from `offset` to the disk, without
/// waiting. On Linux, `POSIX_FADV_DONTNEED` does exactly that for pages still dirty (it starts
/// their writeback, `WB_SYNC_NONE`) and can drop only clean pages, so the range just written stays
/// cached. A failure costs only speed: nothing depends on it but the final sync's duration.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn start_writeback(file: &std::fs::File, offset: u64, len: u64) {
    let _ = rustix::fs::fadvise(file, offset, std::num::NonZeroU64::new(len), rustix::fs::Advice::DontNeed);
}

/// Elsewhere the final sync does all the writing.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn start_writeback(_file: &std::fs::File, _offset: u64, _len: u64) {}

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

/// A blob opened for random access, for previews that seek (a video player asks for byte
/// ranges). The nonce of chunk `k` is derived from `k` alone, so seeking is opening chunk `k`
/// where it lies: `HEADER + k × (CHUNK + TAG)`. The plaintext's length comes from the vault's row,
/// and the file must have exactly the length that implies; the header and the last chunk (sealed
/// with the end flag) are checked when the blob is opened, so a cut or lengthened file is refused
/// before any byte is returned, and every chunk is checked before anything of it is returned.
pub struct Seekable<R: Read + Seek> {
    key: LessSafeKey,
    input: R,
    len: u64,
    chunks: u64,
    /// The plaintext of the chunk in `buf`, if any.
    current: Option<u64>,
    buf: Zeroizing<Vec<u8>>,
    pos: u64,
    failed: bool,
}

impl<R: Read + Seek> std::fmt::Debug for Seekable<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seekable").field("len", &self.len).field("pos", &self.pos).finish_non_exhaustive()
    }
}

impl<R: Read + Seek> Seekable<R> {
    /// Opens the blob in `input`, whose plaintext is `len` bytes long: checks the file's length,
    /// its header and its last chunk. Fails with [`Error::EvidenceTampered`] on any damage.
    pub fn new(key: &[u8; 32], mut input: R, len: u64) -> Result<Self, Error> {
        let actual = input.seek(SeekFrom::End(0)).map_err(|_| Error::EvidenceTampered)?;
        if actual != sealed_len(len) {
            return Err(Error::EvidenceTampered);
        }
        input.seek(SeekFrom::Start(0)).map_err(|_| Error::EvidenceTampered)?;
        let mut header = [0u8; HEADER.len()];
        if fill(&mut input, &mut header).map_err(|_| Error::EvidenceTampered)? != HEADER.len() || header != HEADER {
            return Err(Error::EvidenceTampered);
        }
        let mut s = Self {
            key: aead(key),
            input,
            len,
            chunks: len.div_ceil(CHUNK as u64).max(1),
            current: None,
            buf: Zeroizing::new(Vec::with_capacity(CHUNK + TAG)),
            pos: 0,
            failed: false,
        };
        // The last chunk carries the end flag: opening it proves the file ends where it should.
        s.load(s.chunks - 1).map_err(|_| Error::EvidenceTampered)?;
        Ok(s)
    }

    /// The plaintext's length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the plaintext is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads, checks and decrypts chunk `k` into the buffer.
    fn load(&mut self, k: u64) -> io::Result<()> {
        if self.failed {
            return Err(tampered());
        }
        if self.current == Some(k) {
            return Ok(());
        }
        self.current = None;
        let last = k + 1 == self.chunks;
        let plain = if last { self.len - k * CHUNK as u64 } else { CHUNK as u64 };
        let sealed = usize::try_from(plain).map_err(|_| tampered())? + TAG;
        let at = HEADER.len() as u64 + k * (CHUNK + TAG) as u64;
        self.buf.clear();
        self.buf.resize(sealed, 0);
        let read = self.input.seek(SeekFrom::Start(at)).and_then(|_| fill(&mut self.input, &mut self.buf));
        match read {
            Ok(n) if n == sealed => {}
            // A short read or an error leaves unchecked bytes in the buffer: empty it and fail
            // for good, as the sequential reader does.
            _ => return Err(self.fail()),
        }
        let opened = self.key.open_in_place(nonce(k, last), Aad::from(&HEADER), &mut self.buf[..]).map(|p| p.len());
        let Ok(n) = opened else { return Err(self.fail()) };
        self.buf.truncate(n);
        self.current = Some(k);
        Ok(())
    }

    fn fail(&mut self) -> io::Error {
        self.failed = true;
        self.current = None;
        self.buf.clear();
        tampered()
    }
}

impl<R: Read + Seek> Read for Seekable<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(tampered());
        }
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let k = self.pos / CHUNK as u64;
        self.load(k)?;
        // Both are below CHUNK, so the casts cannot truncate.
        let offset = (self.pos - k * CHUNK as u64) as usize;
        let n = out.len().min(self.buf.len() - offset);
        out[..n].copy_from_slice(&self.buf[offset..offset + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Seekable<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a seek before the start"))?;
        // Past the end is allowed, as for files: a read there returns nothing.
        self.pos = target;
        Ok(target)
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

    /// The blob as docs/evidence-format.md describes it, sealed one chunk at a time.
    fn by_the_format(key: &[u8; 32], data: &[u8]) -> Vec<u8> {
        let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).expect("key"));
        let mut out = HEADER.to_vec();
        let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[][..]] } else { data.chunks(CHUNK).collect() };
        for (i, chunk) in chunks.iter().enumerate() {
            let mut n = [0u8; NONCE_LEN];
            n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
            n[11] = u8::from(i + 1 == chunks.len());
            let mut sealed = chunk.to_vec();
            key.seal_in_place_append_tag(Nonce::assume_unique_for_key(n), Aad::from(&HEADER), &mut sealed)
                .expect("seal");
            out.extend_from_slice(&sealed);
        }
        out
    }

    /// Hands out its bytes in pieces of at most `piece`, as a pipe or a slow disk may.
    struct Trickle<'a> {
        data: &'a [u8],
        piece: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.piece).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn sealing_on_two_threads_writes_the_blob_the_format_describes_at_every_batch_boundary() {
        let b = BATCH_CHUNKS * CHUNK;
        for len in [0, 1, CHUNK, b - 1, b, b + 1, b + CHUNK, 2 * b, 3 * b + 7, 5 * b - CHUNK] {
            let data: Vec<u8> = (0..len).map(|i| (i * 13 % 251) as u8).collect();
            for piece in [usize::MAX, 1000] {
                let mut out = Vec::new();
                let mut looked: Vec<Vec<u8>> = Vec::new();
                let n = seal(&[5; 32], &mut Trickle { data: &data, piece }, &mut out, |c| looked.push(c.to_vec()))
                    .expect("seal");
                assert_eq!(n, len as u64);
                assert!(
                    out == by_the_format(&[5; 32], &data),
                    "{len} bytes in pieces of {piece}: not the format's blob"
                );
                // Each chunk is looked at once, in order; an empty file's one chunk too.
                let expected: Vec<Vec<u8>> =
                    if len == 0 { vec![Vec::new()] } else { data.chunks(CHUNK).map(<[u8]>::to_vec).collect() };
                assert!(looked == expected, "{len} bytes: the chunks looked at");
            }
        }
    }

    /// Yields `len` bytes, then fails, counting what was read.
    struct FailsAfter {
        len: usize,
        read: usize,
    }

    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.read >= self.len {
                return Err(io::Error::other("the source failed"));
            }
            let n = buf.len().min(self.len - self.read);
            buf[..n].fill(3);
            self.read += n;
            Ok(n)
        }
    }

    /// Takes `room` bytes, then fails as a full disk does.
    struct FullAfter {
        room: usize,
        taken: usize,
    }

    impl Write for FullAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.taken + buf.len() > self.room {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            self.taken += buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn fail_a_source_that_fails_part_way_stops_the_sealing() {
        let mut input = FailsAfter { len: 5 * BATCH_CHUNKS * CHUNK + 100, read: 0 };
        let mut out = Vec::new();
        let err = seal(&[5; 32], &mut input, &mut out, |_| {}).expect_err("a read error");
        assert!(matches!(err, SealError::Read), "{err:?}");
        // What was written before is whole chunks, never the failed read's bytes.
        assert!(out.len() <= sealed_len(5 * (BATCH_CHUNKS * CHUNK) as u64) as usize);
    }

    #[test]
    fn fail_a_full_disk_stops_the_reading_within_a_few_batches() {
        // 64 MiB on offer, room for 2 MiB: the reader must stop soon after the writer does, not
        // read (and hold) the rest.
        let mut input = FailsAfter { len: 64 << 20, read: 0 };
        let mut out = FullAfter { room: 2 << 20, taken: 0 };
        let err = seal(&[5; 32], &mut input, &mut out, |_| {}).expect_err("a full disk");
        assert!(matches!(&err, SealError::Write(e) if e.kind() == io::ErrorKind::StorageFull), "{err:?}");
        assert!(input.read <= (2 << 20) + (BATCHES + 2) * BATCH_CHUNKS * CHUNK, "read {} bytes", input.read);
    }

    fn seekable(blob: &[u8], len: usize) -> Result<Seekable<io::Cursor<Vec<u8>>>, Error> {
        Seekable::new(&[9; 32], io::Cursor::new(blob.to_vec()), len as u64)
    }

    #[test]
    fn random_access_returns_every_range_at_and_across_chunk_boundaries() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let mut r = seekable(&sealed(&data), len).expect("open");
            assert_eq!(r.len(), len as u64);
            let mut all = Vec::new();
            r.read_to_end(&mut all).expect("whole");
            assert_eq!(all, data, "{len} bytes read through");
            for (start, want) in
                [(0, 10), (CHUNK - 3, 6), (CHUNK, 1), (2 * CHUNK - 1, CHUNK + 2), (len, 5), (len + 9, 1)]
            {
                r.seek(SeekFrom::Start(start as u64)).expect("seek");
                let mut got = vec![0u8; want];
                let n = fill(&mut r, &mut got).expect("read");
                let end = (start + want).min(len);
                let expected = if start < len { &data[start..end] } else { &[][..] };
                assert_eq!(&got[..n], expected, "{len} bytes, {start}+{want}");
            }
            // Backwards, from the end, as a player seeking back does.
            if len > 4 {
                r.seek(SeekFrom::End(-4)).expect("from the end");
                let mut tail = [0u8; 4];
                r.read_exact(&mut tail).expect("tail");
                assert_eq!(tail, data[len - 4..]);
                r.seek(SeekFrom::Current(-4)).expect("back");
                r.read_exact(&mut tail).expect("tail again");
                assert_eq!(tail, data[len - 4..]);
            }
            r.seek(SeekFrom::Start(10)).expect("seek");
            assert!(r.seek(SeekFrom::Current(-11)).is_err(), "before the start");
        }
    }

    #[test]
    fn fail_random_access_refuses_every_kind_of_damage() {
        let len = 3 * CHUNK + 100;
        let data: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let blob = sealed(&data);
        let c = CHUNK + TAG;
        let h = HEADER.len();
        // Cut, lengthened, or not this length: refused at opening.
        assert!(seekable(&blob[..h + 2 * c], len).is_err(), "cut at a chunk boundary");
        assert!(seekable(&blob[..blob.len() - 1], len).is_err(), "last byte cut");
        assert!(seekable(&[blob.as_slice(), b"x"].concat(), len).is_err(), "appended");
        assert!(seekable(&blob[..h + 2 * c], 2 * CHUNK).is_err(), "cut where a full chunk ends, length to match");
        assert!(seekable(&blob, len + 1).is_err(), "the wrong length");
        let mut header = blob.clone();
        header[12] ^= 1;
        assert!(seekable(&header, len).is_err(), "header");
        let mut last = blob.clone();
        last[h + 3 * c + 5] ^= 1;
        assert!(seekable(&last, len).is_err(), "the last chunk is checked at opening");
        assert!(Seekable::new(&[8; 32], io::Cursor::new(blob.clone()), len as u64).is_err(), "another key");
        // A flipped bit or swapped chunks in the middle: nothing of that chunk is returned.
        let mut flipped = blob.clone();
        flipped[h + c + 3] ^= 0x80;
        let mut swapped = blob.clone();
        swapped[h..h + c].copy_from_slice(&blob[h + c..h + 2 * c]);
        swapped[h + c..h + 2 * c].copy_from_slice(&blob[h..h + c]);
        for (what, b, at) in [("flipped", flipped, CHUNK + 10), ("swapped", swapped, 5)] {
            let mut r = seekable(&b, len).expect(what);
            r.seek(SeekFrom::Start(at as u64)).expect("seek");
            let mut buf = [0u8; 16];
            let err = r.read(&mut buf).expect_err(what);
            assert!(matches!(error_of(err, |_| Error::Bug("x")), Error::EvidenceTampered), "{what}");
            r.seek(SeekFrom::Start(2 * CHUNK as u64)).expect("seek");
            assert!(r.read(&mut buf).is_err(), "{what}: it keeps failing");
        }
    }
}
