use std::io::Read;

use gawahi_core::evidence::{EvidenceMeta, EvidenceReader};
use gawahi_core::{Error, Kind, Vault};
use ring::digest::{SHA256, digest};
use serde_json::json;

use crate::support::{PASSPHRASE, data, new_vault, obj, pass};

const CHUNK: usize = 64 * 1024;

fn sha(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    digest(&SHA256, bytes).as_ref().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn incident(v: &mut Vault) -> String {
    v.add(Kind::Incident, obj(json!({"title": "raid on the office"}))).expect("incident").id
}

fn read_all(v: &mut Vault, id: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    v.open_evidence(id)?.read_to_end(&mut out).map_err(EvidenceReader::vault_error)?;
    Ok(out)
}

fn named(name: &str) -> EvidenceMeta {
    EvidenceMeta { original_name: Some(name.to_owned()), ..Default::default() }
}

#[test]
fn empty_small_and_multi_chunk_files_round_trip_byte_for_byte() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    for len in [0, 5, CHUNK, 3 * CHUNK + 5] {
        let bytes = data(len, 0);
        let item = v.add_evidence(&rec, bytes.as_slice(), named("f.bin")).expect("add");
        assert_eq!(item.size, len as u64);
        assert_eq!(item.sha256, sha(&bytes), "the evidentiary hash is the SHA-256 of the original bytes");
        assert_eq!(read_all(&mut v, &item.id).expect("read"), bytes, "{len} bytes");
        assert_eq!(v.verify_evidence(&item.id).expect("verify").sha256, item.sha256);
        let actions: Vec<String> = v.custody(&item.id).expect("custody").into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["intake", "view", "verify"]);
    }
    assert_eq!(v.list_evidence(Some(&rec)).expect("list").len(), 4);
    assert!(v.check().expect("check").is_ok());
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let items = v.list_evidence(None).expect("list");
    assert_eq!(items.len(), 4, "nothing was taken for a leftover at unlock");
    assert_eq!(read_all(&mut v, &items[3].id).expect("read"), data(3 * CHUNK + 5, 0));
}

#[test]
fn metadata_is_kept_media_types_are_sniffed_and_locations_flagged() {
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let hostile = "..\u{202e}gpj.exe\n\u{1b}[2J/../../etc/passwd".to_owned() + &"ب".repeat(900);
    let meta = EvidenceMeta {
        original_name: Some(hostile.clone()),
        acquired_at: Some("2024-03".into()),
        acquired_by: Some("Advocate S.".into()),
        source: Some("Samsung A14 of the complainant".into()),
        notes: Some("WhatsApp screenshot\nof the threat".into()),
    };
    let item = v.add_evidence(&rec, b"%PDF-1.7 FIR".as_slice(), meta).expect("add");
    assert_eq!(v.evidence(&item.id).expect("get"), item);
    assert_eq!(item.original_name.as_deref(), Some(hostile.as_str()));
    assert_eq!(item.media_type, "application/pdf");
    assert!(!item.has_location);
    let jpeg = jpeg_with_gps();
    let photo = v.add_evidence(&rec, jpeg.as_slice(), named("IMG_0001.jpg")).expect("add");
    assert_eq!(photo.media_type, "image/jpeg");
    assert!(photo.has_location, "EXIF GPS is flagged");
    let chat = v.add_evidence(&rec, "[12/03/2024] علی: کل عدالت".as_bytes(), named("chat.txt")).expect("add");
    assert_eq!(chat.media_type, "text/plain");
}

/// A source that fails part way, as a USB stick pulled out during a copy.
struct Broken(usize);
impl Read for Broken {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0 > 200_000 {
            return Err(std::io::Error::other("the USB stick was pulled out"));
        }
        let n = buf.len().min(4096);
        self.0 += n;
        Ok(n)
    }
}
#[test]
fn fail_bad_targets_and_metadata_add_nothing() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let task = v.add(Kind::Task, obj(json!({"title": "file the petition"}))).expect("task").id;
    assert!(matches!(v.add_evidence(&task, b"x".as_slice(), EvidenceMeta::default()), Err(Error::Invalid(_))));
    let missing = "01900000-0000-7000-8000-000000000000";
    assert!(matches!(v.add_evidence(missing, b"x".as_slice(), EvidenceMeta::default()), Err(Error::RecordNotFound(_))));
    assert!(matches!(v.add_evidence(&rec, b"x".as_slice(), named("a\0b")), Err(Error::Invalid(_))));
    let err = v.add_evidence(&rec, Broken(0), EvidenceMeta::default()).expect_err("unreadable");
    assert!(matches!(err, Error::EvidenceUnreadable), "{err:?}");
    assert!(v.list_evidence(None).expect("list").is_empty());
    assert_eq!(std::fs::read_dir(dir.join("blobs")).expect("blobs").count(), 0, "no partial blob is left");
    assert!(matches!(v.evidence("nope"), Err(Error::EvidenceNotFound(_))));
}

#[test]
fn fail_every_tampering_of_a_blob_is_refused_and_nothing_unauthenticated_is_returned() {
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let bytes = data(3 * CHUNK + 100, 0);
    let item = v.add_evidence(&rec, bytes.as_slice(), EvidenceMeta::default()).expect("add");
    let path = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let original = std::fs::read(&path).expect("blob");
    let (h, c) = (16, CHUNK + 16);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for at in [0, 12, h, h + 7, h + c - 1, h + c + 40_000, h + 3 * c + 50, original.len() - 1] {
        let mut b = original.clone();
        b[at] ^= 0x04;
        cases.push((format!("bit flipped at {at}"), b));
    }
    cases.push(("truncated at a chunk boundary".into(), original[..h + 2 * c].to_vec()));
    cases.push(("truncated inside a chunk".into(), original[..original.len() - 10].to_vec()));
    cases.push(("bytes appended".into(), [original.as_slice(), b"more"].concat()));
    let mut swapped = original.clone();
    swapped[h..h + c].copy_from_slice(&original[h + c..h + 2 * c]);
    swapped[h + c..h + 2 * c].copy_from_slice(&original[h..h + c]);
    cases.push(("two chunks swapped".into(), swapped));
    for (what, damaged) in cases {
        std::fs::write(&path, &damaged).expect("damage");
        let read = read_all(&mut v, &item.id);
        assert!(matches!(read, Err(Error::EvidenceTampered)), "{what}: {read:?}");
        let verified = v.verify_evidence(&item.id);
        assert!(matches!(verified, Err(Error::EvidenceTampered)), "{what}: {verified:?}");
        // Streaming: whatever was handed out before the damage was found is authenticated plaintext.
        if damaged.len() == original.len() {
            // Damage to the header or the last chunk is found when the file is opened (both are
            // checked before anything is returned); damage elsewhere when its chunk is read.
            let mut r = match v.open_evidence(&item.id) {
                Ok(r) => r,
                Err(Error::EvidenceTampered) => continue,
                Err(e) => panic!("{what}: {e:?}"),
            };
            let mut got = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            assert!(got.len() < bytes.len(), "{what}: the damage went unnoticed");
            assert_eq!(got, bytes[..got.len()], "{what}: only authentic bytes came out");
        } else {
            assert!(!v.check().expect("check").is_ok(), "{what}: check sees the size change");
        }
    }
    std::fs::remove_file(&path).expect("remove");
    assert!(matches!(read_all(&mut v, &item.id), Err(Error::EvidenceMissing)));
    assert!(v.check().expect("check").problems.iter().any(|p| p.contains("missing")));
    std::fs::write(&path, &original).expect("restore");
    assert_eq!(read_all(&mut v, &item.id).expect("intact again"), bytes);
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_metadata_and_custody_changed_behind_the_vaults_back_are_found() {
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let item = v.add_evidence(&rec, b"the original screenshot".as_slice(), EvidenceMeta::default()).expect("add");
    let forged = "0".repeat(64);
    v.tamper_for_tests(&format!("UPDATE evidence SET sha256 = '{forged}' WHERE id = '{}'", item.id)).expect("sql");
    assert!(matches!(v.verify_evidence(&item.id), Err(Error::EvidenceMismatch)));
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("without an audit entry")), "{report:?}");
    assert!(report.problems.iter().any(|p| p.contains("custody log recorded at intake")), "{report:?}");
    v.tamper_for_tests(&format!("UPDATE evidence SET sha256 = '{}' WHERE id = '{}'", item.sha256, item.id))
        .expect("sql");
    assert!(v.check().expect("check").is_ok());
    v.tamper_for_tests(&format!("UPDATE custody_log SET detail = 'edited' WHERE item_id = '{}' AND seq = 2", item.id))
        .expect("sql");
    assert!(v.check().expect("check").problems.iter().any(|p| p.contains("was altered")));
    v.tamper_for_tests(&format!("DELETE FROM custody_log WHERE item_id = '{}' AND seq = 1", item.id)).expect("sql");
    assert!(!v.check().expect("check").is_ok());
}

#[test]
fn fail_deleted_evidence_is_gone_with_its_key_and_keeps_its_custody_log() {
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let item = v.add_evidence(&rec, b"voice note".as_slice(), EvidenceMeta::default()).expect("add");
    let path = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let refused = v.delete(&rec);
    assert!(matches!(refused, Err(Error::Invalid(_))), "a record with evidence is not deleted: {refused:?}");
    v.delete_evidence(&item.id).expect("delete");
    assert!(!path.exists());
    assert!(matches!(v.open_evidence(&item.id), Err(Error::EvidenceNotFound(_))));
    let log = v.custody(&item.id).expect("custody");
    assert_eq!(log.last().map(|e| e.action.as_str()), Some("delete"));
    assert!(v.check().expect("check").is_ok());
    v.delete(&rec).expect("now the record goes");
}

#[test]
fn evidence_survives_a_key_rotation_and_its_files_are_not_rewritten() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let bytes = data(2 * CHUNK + 3, 0);
    let item = v.add_evidence(&rec, bytes.as_slice(), EvidenceMeta::default()).expect("add");
    let path = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let before =
        (std::fs::read(&path).expect("blob"), std::fs::metadata(&path).expect("meta").modified().expect("mtime"));
    v.rotate_key(&pass(PASSPHRASE), &pass("a new long passphrase"), |_| {}).expect("rotate");
    assert_eq!(read_all(&mut v, &item.id).expect("read after rotation"), bytes);
    drop(v);
    let mut v = Vault::unlock(&dir, &pass("a new long passphrase")).expect("unlock");
    assert_eq!(read_all(&mut v, &item.id).expect("read after unlock"), bytes);
    assert!(v.check().expect("check").is_ok());
    let after =
        (std::fs::read(&path).expect("blob"), std::fs::metadata(&path).expect("meta").modified().expect("mtime"));
    assert!(before == after, "the blob was not rewritten: same bytes, same modification time");
    assert_eq!(std::fs::read_dir(dir.join("blobs")).expect("blobs").count(), 1);
}

#[test]
fn fail_leftovers_of_a_crashed_intake_go_but_whole_blobs_are_never_deleted() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let item = v.add_evidence(&rec, b"kept".as_slice(), EvidenceMeta::default()).expect("add");
    let kept = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let blobs = dir.join("blobs");
    // A crash while sealing leaves a temporary file: it goes. One an intake is writing right now
    // (in another program) is locked by it and stays.
    let stale = blobs.join("0123456789abcdef0123456789abcdef.part");
    std::fs::write(&stale, b"half a blob").expect("part");
    let fresh = blobs.join("00112233445566778899aabbccddeeff.part");
    std::fs::write(&fresh, b"being written").expect("part");
    let writer = std::fs::File::options().write(true).open(&fresh).expect("open");
    writer.lock().expect("the intake's lock");
    // A whole blob no row names (an older copy of the database put back) is kept: deleting it
    // could lose evidence. check notes it.
    let orphan = blobs.join("fedcba9876543210fedcba9876543210");
    std::fs::copy(&kept, &orphan).expect("orphan");
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert!(!stale.exists(), "the stale temporary file went");
    assert!(fresh.exists(), "a temporary file being written stays");
    drop(writer);
    assert!(orphan.exists() && kept.exists(), "whole blobs are never deleted");
    assert_eq!(read_all(&mut v, &item.id).expect("read"), b"kept");
    let report = v.check().expect("check");
    assert!(report.is_ok() && report.notes.iter().any(|n| n.contains("belong to no evidence item")), "{report:?}");
    // A second program opening the vault meanwhile is fine, and rotation still needs it alone.
    let second = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("second unlock");
    assert!(matches!(v.rotate_key(&pass(PASSPHRASE), &pass("another passphrase"), |_| {}), Err(Error::Busy)));
    drop(second);
    v.rotate_key(&pass(PASSPHRASE), &pass("another passphrase"), |_| {}).expect("alone, it rotates");
    assert_eq!(read_all(&mut v, &item.id).expect("read after rotation"), b"kept");
}

/// An intake killed after its commit and before its rename leaves its file under the temporary
/// name: readable at once, counted present by `check`, and renamed at the next unlock; a
/// temporary file no row names (killed before the commit) is removed, never renamed.
#[test]
fn fail_an_intake_cut_off_between_its_commit_and_its_rename_is_finished_at_the_next_unlock() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let item = v.add_evidence(&rec, bytes.as_slice(), EvidenceMeta::default()).expect("add");
    let path = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let mut part = path.clone().into_os_string();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    // The state such a kill leaves: the row committed, the file not yet renamed.
    std::fs::rename(&path, &part).expect("back to its temporary name");
    let blobs = dir.join("blobs");
    let stray = blobs.join("0123456789abcdef0123456789abcdef.part");
    std::fs::write(&stray, b"sealed, never committed").expect("stray");
    // Before any unlock, in the program that still has it open: read, verified, counted present.
    assert_eq!(read_all(&mut v, &item.id).expect("read under its temporary name"), bytes);
    v.verify_evidence(&item.id).expect("verify under its temporary name");
    let report = v.check().expect("check");
    assert!(report.is_ok() && report.evidence == 1, "{report:?}");
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert!(path.exists() && !part.exists(), "the committed file has its final name");
    assert!(!stray.exists(), "the temporary file no row names went");
    assert!(!blobs.join("0123456789abcdef0123456789abcdef").exists(), "and was not renamed");
    assert_eq!(std::fs::read_dir(&blobs).expect("blobs").count(), 1);
    assert_eq!(read_all(&mut v, &item.id).expect("read"), bytes);
    let report = v.check().expect("check");
    assert!(report.is_ok() && report.notes.iter().all(|n| !n.contains("belong to no evidence item")), "{report:?}");
}

/// A JPEG whose EXIF IFD0 points at a GPS IFD (tag 0x8825), big-endian as many phones write it.
/// A small JPEG whose APP1 segment holds `tiff` as its EXIF block.
fn jpeg_with_exif(tiff: &[u8]) -> Vec<u8> {
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff);
    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(b"\xff\xda\x00\x02image data\xff\xd9");
    jpeg
}

pub fn jpeg_with_gps() -> Vec<u8> {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x1a]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0]);
    jpeg_with_exif(&tiff)
}

#[test]
fn seeking_returns_any_range_and_one_opening_is_one_view() {
    use std::io::{Seek, SeekFrom};
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let bytes = data(3 * CHUNK + 11, 0);
    let item = v.add_evidence(&rec, bytes.as_slice(), named("video.mp4")).expect("add");
    let mut r = v.open_evidence(&item.id).expect("open");
    assert_eq!(r.len(), bytes.len() as u64);
    // A player's pattern: the start, the end (an index), the middle, back to the start.
    for (at, n) in [(0, 100), (bytes.len() - 50, 50), (CHUNK + CHUNK / 2, CHUNK), (10, 5)] {
        r.seek(SeekFrom::Start(at as u64)).expect("seek");
        let mut got = vec![0u8; n];
        r.read_exact(&mut got).expect("range");
        assert_eq!(got, bytes[at..at + n], "{at}+{n}");
    }
    r.seek(SeekFrom::Start(bytes.len() as u64 + 1)).expect("past the end");
    assert_eq!(r.read(&mut [0u8; 8]).expect("nothing there"), 0);
    drop(r);
    let views = v.custody(&item.id).expect("custody").iter().filter(|e| e.action == "view").count();
    assert_eq!(views, 1, "ranges read from one opening are one view");
    v.open_evidence(&item.id).expect("again");
    let views = v.custody(&item.id).expect("custody").iter().filter(|e| e.action == "view").count();
    assert_eq!(views, 2, "each opening is a view");
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_a_blob_cut_at_a_chunk_boundary_is_refused_when_opened_for_reading() {
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let item = v.add_evidence(&rec, data(3 * CHUNK, 0).as_slice(), EvidenceMeta::default()).expect("add");
    let path = v.evidence_blob_path_for_tests(&item.id).expect("path");
    let blob = std::fs::read(&path).expect("blob");
    std::fs::write(&path, &blob[..blob.len() - CHUNK - 16]).expect("cut");
    assert!(matches!(v.open_evidence(&item.id), Err(Error::EvidenceTampered)));
    // Swapping the last two chunks keeps the length; the end flag gives it away at opening.
    let mut swapped = blob.clone();
    let (a, b) = (16 + CHUNK + 16, 16 + 2 * (CHUNK + 16));
    swapped[a..b].copy_from_slice(&blob[b..]);
    swapped[b..].copy_from_slice(&blob[a..b]);
    std::fs::write(&path, &swapped).expect("swap");
    assert!(matches!(v.open_evidence(&item.id), Err(Error::EvidenceTampered)));
    let views = v.custody(&item.id).expect("custody").iter().filter(|e| e.action == "view").count();
    assert_eq!(views, 0, "a refused opening is no view");
}

#[test]
fn working_copies_record_their_parent_and_both_custody_logs_say_so() {
    use gawahi_core::evidence::CopyKind;
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let original = jpeg_with_gps();
    let parent = v.add_evidence(&rec, original.as_slice(), named("photo.jpg")).expect("parent");
    assert!(parent.has_location);
    let png = b"\x89PNG\r\n\x1a\n redacted pixels".to_vec();
    let copy = v
        .add_working_copy(&rec, &parent.id, png.as_slice(), named("photo (redacted).png"), CopyKind::Redaction)
        .expect("copy");
    assert_eq!(copy.record_id, rec, "the copy is on its parent's record");
    assert_eq!(copy.parent_id.as_deref(), Some(parent.id.as_str()));
    assert_eq!(copy.parent_sha256.as_deref(), Some(parent.sha256.as_str()));
    assert_eq!(copy.sha256, sha(&png));
    assert_eq!(copy.media_type, "image/png");
    assert!(!copy.has_location, "the re-encoded copy carries no location");
    assert_eq!(read_all(&mut v, &parent.id).expect("parent"), original, "the original is never altered");
    let parent_log = v.custody(&parent.id).expect("custody");
    let redaction = &parent_log[1];
    assert_eq!(redaction.action, "redaction");
    assert_eq!(redaction.detail.as_deref(), Some(format!("working_copy={} sha256={}", copy.id, copy.sha256).as_str()));
    let copy_log = v.custody(&copy.id).expect("custody");
    assert_eq!(copy_log.len(), 1);
    assert_eq!(copy_log[0].action, "intake");
    assert_eq!(
        copy_log[0].detail.as_deref(),
        Some(format!("sha256={} size={} parent_sha256={}", copy.sha256, copy.size, parent.sha256).as_str())
    );
    let plain = v
        .add_working_copy(&rec, &parent.id, b"plain copy".as_slice(), EvidenceMeta::default(), CopyKind::Copy)
        .expect("plain copy");
    assert_eq!(v.custody(&parent.id).expect("custody").last().map(|e| e.action.clone()).as_deref(), Some("copy"));
    // A copy of a copy names the copy.
    let second = v
        .add_working_copy(&rec, &copy.id, b"again".as_slice(), EvidenceMeta::default(), CopyKind::Redaction)
        .expect("copy of a copy");
    assert_eq!(second.parent_sha256.as_deref(), Some(copy.sha256.as_str()));
    assert!(v.check().expect("check").is_ok());
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let listed = v.list_evidence(Some(&rec)).expect("list");
    assert_eq!(listed.iter().filter(|i| i.parent_id.as_deref() == Some(parent.id.as_str())).count(), 2);
    assert!(listed.contains(&plain));
    // The parent may go; its copies stay, and check finds the parent's hash in its custody log.
    v.delete_evidence(&parent.id).expect("delete the parent");
    assert!(v.evidence(&copy.id).is_ok());
    assert!(v.check().expect("check").is_ok(), "{:?}", v.check());
}

#[test]
fn fail_working_copies_of_unknown_or_foreign_parents_add_nothing() {
    use gawahi_core::evidence::CopyKind;
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let other = incident(&mut v);
    let parent = v.add_evidence(&rec, b"original".as_slice(), EvidenceMeta::default()).expect("parent");
    let copy = |v: &mut Vault, rec: &str, parent: &str, meta: EvidenceMeta| {
        v.add_working_copy(rec, parent, b"copy".as_slice(), meta, CopyKind::Redaction)
    };
    let unknown = "0190f0e0-0000-7000-8000-000000000000";
    assert!(matches!(copy(&mut v, &rec, unknown, EvidenceMeta::default()), Err(Error::EvidenceNotFound(_))));
    assert!(matches!(
        copy(&mut v, &rec, "not an id\n\u{1b}[2J", EvidenceMeta::default()),
        Err(Error::EvidenceNotFound(_))
    ));
    assert!(matches!(
        copy(&mut v, &rec, &"x".repeat(100_000), EvidenceMeta::default()),
        Err(Error::EvidenceNotFound(_))
    ));
    match copy(&mut v, &other, &parent.id, EvidenceMeta::default()) {
        Err(Error::Invalid(i)) => assert_eq!(i.field.as_deref(), Some("record_id")),
        other => panic!("a parent on another record: {other:?}"),
    }
    match copy(&mut v, &rec, &parent.id, named("a\0b")) {
        Err(Error::Invalid(i)) => assert_eq!(i.field.as_deref(), Some("original_name")),
        other => panic!("bad metadata: {other:?}"),
    }
    // A record id is not an item id.
    assert!(matches!(copy(&mut v, &rec, &rec, EvidenceMeta::default()), Err(Error::EvidenceNotFound(_))));
    v.delete_evidence(&parent.id).expect("delete");
    assert!(matches!(copy(&mut v, &rec, &parent.id, EvidenceMeta::default()), Err(Error::EvidenceNotFound(_))));
    assert!(v.list_evidence(None).expect("list").is_empty(), "nothing was added");
    assert_eq!(std::fs::read_dir(dir.join("blobs")).expect("blobs").count(), 0, "no blob was left");
    assert_eq!(v.custody(&parent.id).expect("custody").len(), 2, "intake and delete only");
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_a_working_copys_parent_hash_changed_behind_the_vaults_back_is_found() {
    use gawahi_core::evidence::CopyKind;
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let parent = v.add_evidence(&rec, b"original".as_slice(), EvidenceMeta::default()).expect("parent");
    let copy = v
        .add_working_copy(&rec, &parent.id, b"copy".as_slice(), EvidenceMeta::default(), CopyKind::Redaction)
        .expect("copy");
    let forged = "0".repeat(64);
    v.tamper_for_tests(&format!("UPDATE evidence SET parent_sha256 = '{forged}' WHERE id = '{}'", copy.id))
        .expect("sql");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("parent hash is not its parent's")), "{report:?}");
    assert!(report.problems.iter().any(|p| p.contains("without an audit entry")), "{report:?}");
    v.tamper_for_tests(&format!("UPDATE evidence SET parent_sha256 = '{}' WHERE id = '{}'", parent.sha256, copy.id))
        .expect("sql");
    assert!(v.check().expect("check").is_ok());
    // The parent's own hash changed instead: the copy no longer matches it either.
    v.tamper_for_tests(&format!("UPDATE evidence SET sha256 = '{forged}' WHERE id = '{}'", parent.id)).expect("sql");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("parent hash is not its parent's")), "{report:?}");
    v.tamper_for_tests(&format!("UPDATE evidence SET parent_id = NULL WHERE id = '{}'", copy.id)).expect("sql");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("only in part")), "{report:?}");
}

/// A JPEG whose EXIF IFD0 has Make ("Nok") and a GPS IFD pointer, little-endian.
fn jpeg_naming_its_camera() -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
    tiff.extend_from_slice(&[0x0f, 0x01, 2, 0, 4, 0, 0, 0, b'N', b'o', b'k', 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    jpeg_with_exif(&tiff)
}

#[test]
fn fail_a_file_naming_its_device_is_marked_and_one_without_is_not() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let named = v.add_evidence(&rec, jpeg_naming_its_camera().as_slice(), EvidenceMeta::default()).expect("add");
    assert!(named.has_device_info && named.has_location);
    let gps_only = v.add_evidence(&rec, jpeg_with_gps().as_slice(), EvidenceMeta::default()).expect("add");
    assert!(!gps_only.has_device_info && gps_only.has_location);
    let text = v.add_evidence(&rec, b"Make Model Nokia serial".as_slice(), EvidenceMeta::default()).expect("add");
    assert!(!text.has_device_info, "words in a text are not EXIF");
    assert!(v.check().expect("check").is_ok());
    // The flag is kept, and is part of what the audit entry recorded.
    v.tamper_for_tests(&format!("UPDATE evidence SET has_device_info = 0 WHERE id = '{}'", named.id)).expect("sql");
    assert!(v.check().expect("check").problems.iter().any(|p| p.contains("without an audit entry")));
    v.tamper_for_tests(&format!("UPDATE evidence SET has_device_info = 1 WHERE id = '{}'", named.id)).expect("sql");
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert!(v.evidence(&named.id).expect("item").has_device_info);
    assert!(v.check().expect("check").is_ok());
}

/// A JPEG whose EXIF (written by kamadak-exif's writer, code we did not write) states a camera,
/// the time it was taken with its offset, and a position with an altitude: Karachi, a Redmi.
pub fn jpeg_with_capture() -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let r = |num, denom| Rational { num, denom };
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    let fields = [
        Field { tag: Tag::Make, ifd_num: In::PRIMARY, value: ascii("Xiaomi") },
        Field { tag: Tag::Model, ifd_num: In::PRIMARY, value: ascii("Redmi Note 9") },
        Field { tag: Tag::DateTimeOriginal, ifd_num: In::PRIMARY, value: ascii("2024:03:05 14:30:09") },
        Field { tag: Tag::OffsetTimeOriginal, ifd_num: In::PRIMARY, value: ascii("+05:00") },
        Field { tag: Tag::GPSLatitudeRef, ifd_num: In::PRIMARY, value: ascii("N") },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![r(24, 1), r(51, 1), r(3852, 100)]),
        },
        Field { tag: Tag::GPSLongitudeRef, ifd_num: In::PRIMARY, value: ascii("E") },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![r(67, 1), r(0, 1), r(36, 10)]),
        },
        Field { tag: Tag::GPSAltitude, ifd_num: In::PRIMARY, value: Value::Rational(vec![r(8, 1)]) },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).expect("EXIF written");
    jpeg_with_exif(&tiff.into_inner())
}

/// What [`jpeg_with_capture`] states.
pub fn karachi_capture() -> gawahi_core::evidence::Capture {
    gawahi_core::evidence::Capture {
        camera_make: Some("Xiaomi".into()),
        camera_model: Some("Redmi Note 9".into()),
        taken_at: Some("2024-03-05T14:30:09+05:00".into()),
        latitude: Some("24.860700".into()),
        longitude: Some("67.001000".into()),
        altitude: Some("8.0".into()),
    }
}

#[test]
fn fail_capture_values_are_kept_checked_and_absent_when_the_file_has_none() {
    let (_tmp, dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let photo = v.add_evidence(&rec, jpeg_with_capture().as_slice(), named("IMG_0001.jpg")).expect("add");
    assert_eq!(photo.capture, Some(karachi_capture()));
    assert!(photo.has_location && photo.has_device_info);
    // Flags alone (a GPS pointer with no fields) and plain text state nothing.
    let flagged = v.add_evidence(&rec, jpeg_with_gps().as_slice(), EvidenceMeta::default()).expect("add");
    assert!(flagged.has_location && flagged.capture.is_none(), "{flagged:?}");
    let text = b"Make: Canon, Model: EOS, GPS 24.86,67.00".as_slice();
    assert_eq!(v.add_evidence(&rec, text, EvidenceMeta::default()).expect("add").capture, None);
    // A working copy (re-encoded without EXIF) states nothing of its own.
    let copy = v
        .add_working_copy(
            &rec,
            &photo.id,
            b"\xff\xd8\xff\xdb re-encoded".as_slice(),
            EvidenceMeta::default(),
            gawahi_core::evidence::CopyKind::Redaction,
        )
        .expect("copy");
    assert_eq!(copy.capture, None);
    assert!(v.check().expect("check").is_ok());
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(v.evidence(&photo.id).expect("item").capture, Some(karachi_capture()), "kept across unlocks");
    // A position moved behind the vault's back is caught by `check`, as is one added to an item
    // that had none, or one made unreadable.
    for sql in [
        format!("UPDATE evidence SET capture = replace(capture, '24.860700', '31.520400') WHERE id = '{}'", photo.id),
        format!("UPDATE evidence SET capture = '{{\"camera_make\":\"x\"}}' WHERE id = '{}'", flagged.id),
        format!("UPDATE evidence SET capture = 'not json' WHERE id = '{}'", photo.id),
    ] {
        v.tamper_for_tests(&sql).expect("sql");
        let report = v.check().expect("check");
        assert!(report.problems.iter().any(|p| p.contains("without an audit entry")), "{sql}: {report:?}");
        v.tamper_for_tests(&format!(
            "UPDATE evidence SET capture = CASE id WHEN '{}' THEN '{}' ELSE NULL END WHERE id IN ('{}', '{}')",
            photo.id,
            serde_json::to_string(&karachi_capture()).expect("json"),
            photo.id,
            flagged.id
        ))
        .expect("sql");
        assert!(v.check().expect("check").is_ok(), "restored");
    }
}

/// A JPEG made by ImageMagick (code we did not write): `w` × `h`, left half red, right half blue.
fn magick_jpeg(w: u32, h: u32) -> Vec<u8> {
    let out = std::process::Command::new("convert")
        .args([
            "-size",
            &format!("{}x{h}", w / 2),
            "xc:red",
            "-size",
            &format!("{}x{h}", w / 2),
            "xc:blue",
            "+append",
            "-quality",
            "90",
            "jpeg:-",
        ])
        .output()
        .expect("ImageMagick's convert (scripts/bootstrap installs it)");
    assert!(out.status.success() && out.stdout.starts_with(b"\xff\xd8"), "convert made a JPEG");
    out.stdout
}

/// A PNG of `w` × `h`, written by the png crate's encoder: top half green, bottom half opaque white.
fn png_image(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("header");
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for _ in 0..w {
            pixels.extend_from_slice(if y < h / 2 { &[0, 200, 0, 255] } else { &[255, 255, 255, 255] });
        }
    }
    writer.write_image_data(&pixels).expect("data");
    writer.finish().expect("finish");
    out
}

#[test]
fn fail_thumbnails_are_small_true_to_the_image_and_never_made_from_bad_input() {
    use gawahi_core::evidence::thumbnail::THUMBNAIL_SIDE;
    let (_tmp, _dir, mut v) = new_vault();
    let rec = incident(&mut v);
    let jpeg = v.add_evidence(&rec, magick_jpeg(2000, 1000).as_slice(), named("wide.jpg")).expect("add");
    let t = v.evidence_thumbnail(&jpeg.id).expect("thumbnail").expect("a JPEG has one");
    assert_eq!((t.width, t.height), (THUMBNAIL_SIDE, THUMBNAIL_SIDE / 2));
    let px = |x: u32, y: u32| t.rgba[((y * t.width + x) * 4) as usize..][..4].to_vec();
    let (left, right) = (px(10, 40), px(t.width - 10, 40));
    assert!(left[0] > 200 && left[2] < 60, "red on the left: {left:?}");
    assert!(right[2] > 200 && right[0] < 60, "blue on the right: {right:?}");
    let png = v.add_evidence(&rec, png_image(300, 600).as_slice(), named("tall.png")).expect("add");
    let t = v.evidence_thumbnail(&png.id).expect("thumbnail").expect("a PNG has one");
    assert_eq!((t.width, t.height), (80, THUMBNAIL_SIDE));
    assert_eq!(&t.rgba[..4], &[0, 200, 0, 255], "green at the top");
    assert_eq!(&t.rgba[t.rgba.len() - 4..], &[255, 255, 255, 255], "white at the bottom");
    // A thumbnail is not a view: the custody log keeps only the intakes.
    assert_eq!(v.custody(&jpeg.id).expect("custody").len(), 1);
    // Other types have none; damaged or lying images have none, and nothing panics.
    let text = v.add_evidence(&rec, b"just text".as_slice(), EvidenceMeta::default()).expect("add");
    assert_eq!(v.evidence_thumbnail(&text.id).expect("none"), None);
    let mut huge = magick_jpeg(16, 16);
    // The frame header (SOF0) claims 65535 x 65535 pixels: refused by the decoding cap.
    let sof = huge.windows(2).position(|w| w == [0xff, 0xc0]).expect("SOF0");
    huge[sof + 5..sof + 9].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    let cut = magick_jpeg(400, 400)[..300].to_vec();
    let mut png_huge = png_image(4, 4);
    png_huge[16..24].copy_from_slice(&[0, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0xff]);
    for (what, bytes) in [
        ("huge JPEG", huge),
        ("cut JPEG", cut),
        ("huge PNG", png_huge),
        ("JPEG magic only", b"\xff\xd8\xff\xe0".to_vec()),
    ] {
        let item = v.add_evidence(&rec, bytes.as_slice(), EvidenceMeta::default()).expect("add");
        let t = v.evidence_thumbnail(&item.id).expect("no error either");
        assert!(t.as_ref().is_none_or(|t| t.width <= THUMBNAIL_SIDE && t.height <= THUMBNAIL_SIDE), "{what}: {t:?}");
    }
    assert!(matches!(v.evidence_thumbnail("not-an-id"), Err(Error::EvidenceNotFound(_))));
}
