//! What each fuzz target does with its input. The same functions run in `make test` over the
//! committed corpus and a few thousand mutated inputs (crates/gawahi-core/tests/fuzz_inputs.rs
//! includes this file), so a panic found by libFuzzer and one found there are the same defect.
//!
//! Each function must return normally for every input: a parser's answer to bad bytes is an
//! error, never a panic, and never wrong data. Where the input alone would be stopped at the
//! first check (a checksum, an age header, a Poly1305 tag), the function also builds the valid
//! outer layer around it, so that the parser behind that check is reached.

use std::cell::RefCell;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use gawahi_core::bundle::Progress;
use gawahi_core::bundle::reader::{BundleOpener, verify_bundle};
use gawahi_core::header::KeyHeader;
use gawahi_core::stream::{self, CHUNK, Opener, Seekable};
use gawahi_core::{SecretString, Vault};

/// The key header parser: the input as a header file, and the input with a right checksum
/// after it (the fields are then parsed); a header it accepts writes back the same bytes.
pub fn key_header(data: &[u8]) {
    let _ = KeyHeader::from_bytes(data);
    let mut summed = data.to_vec();
    summed.extend_from_slice(ring::digest::digest(&ring::digest::SHA256, data).as_ref());
    if let Ok(header) = KeyHeader::from_bytes(&summed) {
        assert_eq!(header.to_bytes(), summed, "a header read and written again changed");
    }
}

/// A vault for the targets that need one, made once per thread (a vault's creation costs more
/// than thousands of inputs), with its age identity and a scratch file for bundles.
struct Fixture {
    _dir: tempfile::TempDir,
    vault: Vault,
    opener: BundleOpener,
    recipient: age::x25519::Recipient,
    scratch: PathBuf,
}

thread_local! {
    static FIXTURE: RefCell<Option<Fixture>> = const { RefCell::new(None) };
}

fn with_fixture(f: impl FnOnce(&mut Fixture)) {
    FIXTURE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let fixture = slot.get_or_insert_with(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join("vault");
            let mut vault = Vault::create(&path, &SecretString::from("fuzzing passphrase 1"), Duration::from_millis(1))
                .expect("a vault");
            let identity_file = dir.path().join("identity.txt");
            vault.export_age_identity(&identity_file).expect("the vault's identity");
            let text = std::fs::read_to_string(&identity_file).expect("the identity file");
            let recipient = vault.identity().expect("identity").age_recipient;
            Fixture {
                scratch: dir.path().join("bundle.gawahi"),
                opener: BundleOpener::Identity(SecretString::from(text)),
                recipient: age::x25519::Recipient::from_str(&recipient).expect("the vault's age recipient"),
                vault,
                _dir: dir,
            }
        });
        f(fixture);
    });
}

/// JSON Lines import into a vault: all or nothing, so a refused input leaves nothing behind.
pub fn jsonl_import(data: &[u8]) {
    with_fixture(|f| {
        let _ = f.vault.import_jsonl(data);
    });
}

fn go(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// The bundle reader (what verification and import share): the input as a bundle file (the
/// age layer's parser), and the input as the tar stream inside a bundle sealed to the vault's
/// key (the tar, manifest, signature and evidence checks).
pub fn bundle_reader(data: &[u8]) {
    with_fixture(|f| {
        std::fs::write(&f.scratch, data).expect("write the bundle");
        let _ = verify_bundle(&f.scratch, &f.opener, None, &mut go);
        let encryptor = age::Encryptor::with_recipients(std::iter::once(&f.recipient as &dyn age::Recipient))
            .expect("an encryptor");
        let mut sealed = Vec::new();
        let mut writer = encryptor.wrap_output(&mut sealed).expect("age output");
        writer.write_all(data).expect("age write");
        writer.finish().expect("age finish");
        std::fs::write(&f.scratch, &sealed).expect("write the bundle");
        let _ = verify_bundle(&f.scratch, &f.opener, None, &mut go);
    });
}

/// The key every blob here is sealed under.
const KEY: [u8; 32] = [0x5a; 32];

/// The blob reader (crypto/stream.rs), both ways it reads (whole, and seeking). The input as a
/// blob; then a blob sealed from a plaintext the input chooses (its first three bytes: length
/// up to a little over three chunks, and a pattern), damaged as the rest of the input says, four
/// bytes an operation: flip a byte, cut, append, or read a range. An intact blob reads back
/// exactly; a damaged one fails, and anything read before the failure is the true plaintext.
pub fn blob_reader(data: &[u8]) {
    let mut out = Vec::new();
    let _ = Opener::new(&KEY, data).read_to_end(&mut out);
    if let Ok(mut s) = Seekable::new(&KEY, Cursor::new(data), out.len() as u64) {
        let _ = s.read_to_end(&mut Vec::new());
    }

    let Some((head, ops)) = data.split_first_chunk::<3>() else { return };
    let len = (usize::from(head[0]) << 8 | usize::from(head[1])) * 3 % (2 * CHUNK + 17);
    let plaintext: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(31) ^ head[2]).collect();
    let mut blob = Vec::new();
    stream::seal(&KEY, &mut plaintext.as_slice(), &mut blob, |_| {}).expect("seal into memory");
    let original = blob.clone();
    let mut reads = Vec::new();
    for op in ops.chunks_exact(4) {
        let at = usize::from(u16::from_le_bytes([op[1], op[2]]));
        match op[0] % 4 {
            0 if !blob.is_empty() => {
                let i = at % blob.len();
                blob[i] ^= op[3] | 1;
            }
            1 => blob.truncate(at % (blob.len() + 1)),
            2 => blob.push(op[3]),
            _ => reads.push((at * 4 % (len + 1), usize::from(op[3]) * 521)),
        }
    }
    let damaged = blob != original;

    let mut whole = Vec::new();
    let read = Opener::new(&KEY, blob.as_slice()).read_to_end(&mut whole);
    assert!(plaintext.starts_with(&whole), "the reader returned bytes that are not the plaintext");
    if damaged {
        assert!(read.is_err(), "a damaged blob read without an error");
    } else {
        assert!(read.is_ok() && whole == plaintext, "an intact blob did not read back");
    }

    match Seekable::new(&KEY, Cursor::new(blob.as_slice()), len as u64) {
        Ok(mut s) => {
            for (at, want) in reads {
                // After a failed chunk the reader refuses everything; only damage may cause that.
                if s.seek(SeekFrom::Start(at as u64)).is_err() {
                    assert!(damaged, "an intact blob refused a seek");
                    return;
                }
                let mut buf = vec![0u8; want];
                let mut got = 0;
                while got < want {
                    match s.read(&mut buf[got..]) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got += n,
                    }
                }
                assert_eq!(&buf[..got], &plaintext[at..at + got], "a seek read the wrong bytes");
                if !damaged {
                    assert_eq!(got, want.min(len - at), "an intact blob read short");
                }
            }
            if s.seek(SeekFrom::Start(0)).is_err() {
                assert!(damaged, "an intact blob refused a seek");
                return;
            }
            let mut all = Vec::new();
            let read = s.read_to_end(&mut all);
            assert!(plaintext.starts_with(&all), "the seeking reader returned bytes that are not the plaintext");
            assert_eq!(read.is_err(), damaged, "the seeking reader and the damage disagree");
        }
        Err(_) => assert!(damaged, "an intact blob did not open"),
    }
}
