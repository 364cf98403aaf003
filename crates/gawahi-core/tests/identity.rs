//! A vault proves that its database is its own: the key header records the database's salt, the
//! audit chain begins with the vault's creation, and a missing, emptied, truncated or swapped
//! database is refused by name before anything is written to it.

use std::path::Path;

use gawahi_core::error::Error;
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, new_vault, obj, pass};

const PAGE: u64 = gawahi_core::db::PAGE_SIZE as u64;

fn vault_with_a_record() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, dir, mut v) = new_vault();
    v.add(Kind::Task, obj(json!({"title": "something to lose"}))).expect("add");
    v.lock();
    (tmp, dir)
}

fn unlock(dir: &Path) -> Result<Vault, Error> {
    Vault::unlock(dir, &pass(PASSPHRASE))
}

/// Unlocking must leave the database file exactly as it was: nothing may be written into a file
/// that is not the vault's (the defect: an emptied database was migrated into a new, empty vault).
fn assert_refused_untouched(dir: &Path, expected: fn(&Error) -> bool, what: &str) {
    let db = dir.join("vault.db");
    let before = std::fs::read(&db).ok();
    let err = unlock(dir).expect_err(what);
    assert!(expected(&err), "{what}: {err:?}");
    assert_eq!(std::fs::read(&db).ok(), before, "{what}: the database file was changed");
    assert!(!err.to_string().is_empty());
}

#[test]
fn fail_an_emptied_database_is_refused_not_made_into_a_new_vault() {
    let (_tmp, dir) = vault_with_a_record();
    std::fs::write(dir.join("vault.db"), b"").expect("empty it");
    assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseEmpty), "an empty database");
    // A second try must not find anything different: nothing was migrated into it.
    assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseEmpty), "an empty database, again");
    assert!(Error::DatabaseEmpty.to_string().contains("empty"));
}

#[test]
fn fail_a_truncated_database_is_refused_as_truncated() {
    let (_tmp, dir) = vault_with_a_record();
    let db = dir.join("vault.db");
    let whole = std::fs::read(&db).expect("read");
    for len in [1, 15, 16, 100, PAGE - 1, PAGE + 1, whole.len() as u64 / 2 + 7] {
        std::fs::write(&db, &whole[..len as usize]).expect("truncate");
        assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseTruncated), &format!("cut at {len}"));
    }
    std::fs::write(&db, &whole).expect("restore");
    unlock(&dir).expect("the whole file opens again");
}

#[test]
fn fail_a_page_aligned_truncation_is_never_reported_healthy() {
    let (_tmp, dir, mut v) = new_vault();
    // Enough records that the database is several pages long.
    for i in 0..40 {
        v.add(Kind::Incident, obj(json!({"title": format!("incident {i}"), "description": "x".repeat(2_000)})))
            .expect("add");
    }
    v.lock();
    let db = dir.join("vault.db");
    let whole = std::fs::read(&db).expect("read");
    let pages = whole.len() as u64 / PAGE;
    assert!(pages >= 4, "{pages} pages");
    // The usual shape of an interrupted copy: whole pages, the last ones missing.
    for keep in [pages / 2, pages - 1] {
        std::fs::write(&db, &whole[..(PAGE * keep) as usize]).expect("cut at a page boundary");
        assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseTruncated), &format!("{keep} of {pages} pages"));
    }
}

#[test]
fn fail_an_older_copy_of_the_database_after_a_passphrase_change_is_noted_by_check() {
    let (_tmp, dir, mut v) = new_vault();
    v.add(Kind::Task, obj(json!({"title": "A"}))).expect("add");
    v.lock();
    let older = std::fs::read(dir.join("vault.db")).expect("copy");
    let mut v = unlock(&dir).expect("unlock");
    v.add(Kind::Task, obj(json!({"title": "B"}))).expect("add");
    v.change_passphrase(&pass(PASSPHRASE), &pass("a whole new passphrase")).expect("change");
    assert!(v.check().expect("check").notes.is_empty(), "nothing to note after a clean change");
    v.lock();
    std::fs::write(dir.join("vault.db"), older).expect("put the older copy back");
    // The same database file, older: it cannot be told from a change cut off by a crash, but
    // check says so rather than only "ok".
    let v = Vault::unlock(&dir, &pass("a whole new passphrase")).expect("opens");
    let report = v.check().expect("check");
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.notes.len(), 1, "{report:?}");
    assert!(report.notes[0].contains("older copy of this database"), "{report:?}");
}

#[test]
fn fail_another_vaults_database_is_refused_as_foreign() {
    let (_tmp, dir) = vault_with_a_record();
    let (_tmp2, other, v2) = new_vault();
    v2.lock();
    std::fs::copy(other.join("vault.db"), dir.join("vault.db")).expect("swap in the other vault's database");
    assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseForeign), "another vault's database");
    assert!(Error::DatabaseForeign.to_string().contains("does not belong"));
}

#[test]
fn fail_a_file_of_random_bytes_in_its_place_is_refused_as_foreign() {
    let (_tmp, dir) = vault_with_a_record();
    let db = dir.join("vault.db");
    let len = std::fs::metadata(&db).expect("db").len() as usize;
    let noise: Vec<u8> = (0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8).collect();
    std::fs::write(&db, noise).expect("replace");
    assert_refused_untouched(&dir, |e| matches!(e, Error::DatabaseForeign), "random bytes");
}

#[test]
fn fail_an_older_copy_of_the_database_after_a_rotation_is_refused_as_foreign() {
    let (_tmp, dir) = vault_with_a_record();
    let old_db = std::fs::read(dir.join("vault.db")).expect("read");
    let mut v = unlock(&dir).expect("unlock");
    v.rotate_key(&pass(PASSPHRASE), &pass("a brand new passphrase"), |_| {}).expect("rotate");
    v.lock();
    std::fs::write(dir.join("vault.db"), old_db).expect("put the old copy back");
    let err = Vault::unlock(&dir, &pass("a brand new passphrase")).expect_err("old copy");
    assert!(matches!(err, Error::DatabaseForeign), "{err:?}");
}

#[test]
fn fail_check_names_an_audit_log_that_does_not_begin_with_the_vaults_creation() {
    let (_tmp, dir, v) = new_vault();
    assert!(v.check().expect("check").is_ok());
    assert_eq!(v.audit_tail(1000).expect("log").last().expect("first entry").action, "vault.create");
    v.tamper_for_tests("DELETE FROM audit_log WHERE seq = 1").expect("remove the head");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("does not begin with the vault's creation")), "{report:?}");
    drop(v);
    let _ = dir;
}

#[test]
fn the_creation_entry_records_the_header_the_vault_was_made_with() {
    let (_tmp, dir, v) = new_vault();
    let header = gawahi_core::header::KeyHeader::read(&dir).expect("header");
    assert_eq!(header.version(), gawahi_core::header::FORMAT_VERSION);
    let salt = std::fs::read(dir.join("vault.db")).expect("db")[..16].to_vec();
    assert_eq!(header.db_salt().expect("format 2 records it").to_vec(), salt);
    let first = v.audit_tail(1000).expect("log").pop().expect("entry");
    assert_eq!(first.content_sha256.as_deref(), Some(header.sha256_hex().as_str()));
}

#[cfg(unix)]
#[test]
fn fail_a_new_vault_is_readable_only_by_its_owner_even_in_a_folder_made_0755() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut v = Vault::create(&dir, &pass(PASSPHRASE), std::time::Duration::ZERO).expect("create");
    // Some writes, so the journal files exist too.
    v.add(Kind::Task, obj(json!({"title": "t"}))).expect("add");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the vault folder");
    for entry in std::fs::read_dir(&dir).expect("ls") {
        let path = entry.expect("entry").path();
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
}
