//! The panic wipe: nothing of the vault is left and the passphrase opens nothing; a wipe stopped
//! after any step is finished by the next unlock; folders that are not vaults are never touched.

use std::path::Path;

use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::vault::{WIPE_MARKER, WipeStep};
use gawahi_core::{Error, Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, add_every_kind, data, new_vault, obj, pass};

/// A vault with records of every kind, a draft, two evidence files and a changed passphrase left
/// as a temporary header, closed; returns its folder.
fn full_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    let inc = v.add(Kind::Incident, obj(json!({"title": "raid"}))).expect("incident").id;
    for seed in 0..2 {
        v.add_evidence(&inc, data(200_000, seed).as_slice(), EvidenceMeta::default()).expect("evidence");
    }
    v.save_draft("editor", &json!({"route": "x", "values": {"title": "half typed"}})).expect("draft");
    v.lock();
    // A passphrase change cut off after writing its temporary header leaves a second copy of the
    // wrapped key beside the first: the wipe must destroy it too.
    std::fs::copy(dir.join("vault.header"), dir.join("vault.header.new")).expect("copy header");
    (tmp, dir)
}

fn assert_gone(dir: &Path) {
    assert!(!dir.exists(), "the vault's folder is still there: {:?}", std::fs::read_dir(dir).map(Iterator::count));
    assert!(matches!(Vault::unlock(dir, &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
}

#[test]
fn a_wipe_leaves_nothing_and_the_passphrase_opens_nothing() {
    let (tmp, dir) = full_vault();
    // Keep the header's bytes, as a seizure would need them, to show they are what mattered.
    let header = std::fs::read(dir.join("vault.header")).expect("header");
    Vault::wipe(&dir).expect("wipe");
    assert_gone(&dir);
    // Only the vault's own folder went: its parent and anything beside it stay.
    assert!(tmp.path().is_dir());
    // The header is gone from where it was; a copy taken before the wipe is the threat model's
    // "forensic copy", not something the wipe can reach.
    assert_eq!(header.len(), gawahi_core::header::LEN);
}

#[test]
fn an_unlocked_vault_is_wiped_and_closed() {
    let (_tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.wipe_and_close().expect("wipe");
    assert_gone(&dir);
}

#[test]
fn a_damaged_vault_is_wiped() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    // A header with a broken checksum and a database that is not one: still this vault's folder.
    let mut bytes = std::fs::read(dir.join("vault.header")).expect("header");
    bytes[100] ^= 0xff;
    std::fs::write(dir.join("vault.header"), &bytes).expect("damage");
    std::fs::write(dir.join("vault.db"), b"garbage").expect("damage db");
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::CorruptHeader(_))));
    Vault::wipe(&dir).expect("wipe");
    assert_gone(&dir);
}

#[test]
fn a_wipe_stopped_after_any_step_is_finished_by_the_next_unlock() {
    let steps = [WipeStep::Marker, WipeStep::Keys, WipeStep::Database, WipeStep::Blobs, WipeStep::OtherFiles];
    for stop_after in steps {
        let (_tmp, dir) = full_vault();
        let stopped = Vault::wipe_interrupted(&dir, |step| {
            if step == stop_after { Err(std::io::Error::other("crash")) } else { Ok(()) }
        });
        assert!(stopped.is_err(), "{stop_after:?}");
        assert!(dir.join(WIPE_MARKER).is_file(), "{stop_after:?}: the marker must stay until the end");
        // Whatever step it stopped after, the passphrase opens nothing: the next unlock finishes
        // the wipe and says there is no vault.
        let next = Vault::unlock(&dir, &pass(PASSPHRASE));
        assert!(matches!(next, Err(Error::VaultNotFound(_))), "{stop_after:?}: {next:?}");
        assert_gone(&dir);
    }
}

#[test]
fn fail_a_wipe_stopped_after_the_keys_leaves_a_vault_no_passphrase_opens() {
    let (_tmp, dir) = full_vault();
    let _ = Vault::wipe_interrupted(&dir, |step| {
        if step == WipeStep::Keys { Err(std::io::Error::other("crash")) } else { Ok(()) }
    });
    // Even without finishing, the database is there but its key is gone.
    assert!(dir.join("vault.db").is_file());
    assert!(!dir.join("vault.header").exists());
    assert!(!dir.join("vault.header.new").exists());
    assert!(matches!(gawahi_core::header::KeyHeader::read(&dir), Err(Error::VaultNotFound(_))));
}

#[test]
fn fail_a_folder_that_is_not_a_vault_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mine = tmp.path().join("my documents");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("letter.txt"), b"dear").expect("write");
    // Files named like a vault's are not enough: the header must start with its magic bytes.
    std::fs::write(mine.join("vault.header"), b"not a header at all, just text").expect("write");
    std::fs::write(mine.join("vault.db"), b"x").expect("write");
    for path in [mine.clone(), tmp.path().join("missing"), mine.join("letter.txt")] {
        assert!(matches!(Vault::wipe(&path), Err(Error::VaultNotFound(_))), "{}", path.display());
    }
    assert_eq!(std::fs::read(mine.join("letter.txt")).expect("kept"), b"dear");
    assert!(mine.join("vault.db").is_file());
    assert!(!mine.join(WIPE_MARKER).exists());
}

#[test]
fn fail_links_inside_a_vault_are_removed_never_followed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    std::fs::write(outside.join("keep.txt"), b"keep").expect("write");
    let (_vtmp, dir, v) = new_vault();
    v.lock();
    std::os::unix::fs::symlink(&outside, dir.join("linked-folder")).expect("symlink");
    std::os::unix::fs::symlink(outside.join("keep.txt"), dir.join("blobs").join("linked-file")).expect("symlink");
    Vault::wipe(&dir).expect("wipe");
    assert_gone(&dir);
    assert_eq!(std::fs::read(outside.join("keep.txt")).expect("kept"), b"keep");
}

#[test]
fn a_second_wipe_of_a_wiped_vault_says_there_is_no_vault() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    Vault::wipe(&dir).expect("wipe");
    assert!(matches!(Vault::wipe(&dir), Err(Error::VaultNotFound(_))));
    // A new vault can be made where the old one was.
    Vault::create(&dir, &pass(PASSPHRASE), std::time::Duration::ZERO).expect("a new vault in its place");
}
