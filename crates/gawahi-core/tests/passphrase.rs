use std::time::Duration;

use gawahi_core::error::Error;
use gawahi_core::header::KeyHeader;
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, new_vault, obj, pass};

#[test]
fn fail_wrong_passphrase_is_told_apart() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    assert!(matches!(Vault::unlock(&dir, &pass("not the passphrase")), Err(Error::WrongPassphrase)));
    assert!(matches!(Vault::unlock(&dir, &pass("")), Err(Error::WrongPassphrase)));
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the right one still works");
}

#[test]
fn fail_no_vault_here() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert!(matches!(Vault::unlock(&tmp.path().join("nothing"), &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
    assert!(matches!(Vault::unlock(tmp.path(), &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
}

#[test]
fn fail_create_refuses_an_occupied_directory_and_a_short_passphrase() {
    let (tmp, dir, _v) = new_vault();
    assert!(matches!(Vault::create(&dir, &pass(PASSPHRASE), Duration::ZERO), Err(Error::VaultExists(_))));
    let err = Vault::create(&tmp.path().join("other"), &pass("short"), Duration::ZERO).expect_err("short");
    assert!(matches!(err, Error::Invalid(ref i) if i.field.as_deref() == Some("passphrase")), "{err}");
    assert!(!tmp.path().join("other").exists(), "a refused vault leaves nothing behind");
}

#[test]
fn changing_the_passphrase_keeps_the_data_and_retires_the_old_one() {
    let (_tmp, dir, mut v) = new_vault();
    let id = v.add(Kind::Task, obj(json!({"title": "ضمانت"}))).expect("add").id;
    let db_before = std::fs::metadata(dir.join("vault.db")).expect("db").len();
    v.change_passphrase(&pass(PASSPHRASE), &pass("a whole new passphrase")).expect("change");
    v.lock();
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::WrongPassphrase)));
    let v = Vault::unlock(&dir, &pass("a whole new passphrase")).expect("new works");
    assert_eq!(v.get(&id).expect("get").to_json()["title"], json!("ضمانت"));
    assert!(v.check().expect("check").is_ok());
    assert_eq!(std::fs::metadata(dir.join("vault.header")).expect("header").len(), gawahi_core::header::LEN as u64);
    assert!(db_before > 0);
}

#[test]
fn fail_changing_with_the_wrong_current_passphrase_changes_nothing() {
    let (_tmp, dir, mut v) = new_vault();
    let header = std::fs::read(dir.join("vault.header")).expect("header");
    assert!(matches!(
        v.change_passphrase(&pass("guessing wrong"), &pass("attacker's choice")),
        Err(Error::WrongPassphrase)
    ));
    assert!(matches!(v.change_passphrase(&pass(PASSPHRASE), &pass("short")), Err(Error::Invalid(_))));
    assert_eq!(std::fs::read(dir.join("vault.header")).expect("header"), header);
}

#[test]
fn kdf_parameters_are_at_least_the_floor_and_read_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    Vault::create(&dir, &pass(PASSPHRASE), Duration::from_millis(400)).expect("create").lock();
    let kdf = KeyHeader::read(&dir).expect("header").kdf;
    assert!(kdf.memory_kib >= gawahi_core::kdf::MIN_MEMORY_KIB, "{kdf:?}");
    assert!(kdf.iterations >= gawahi_core::kdf::MIN_ITERATIONS, "{kdf:?}");
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("opens with the parameters in its header");
}

#[test]
fn the_header_has_spare_slots_of_the_same_shape() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let a = std::fs::read(dir.join("vault.header")).expect("header");
    assert_eq!(a.len(), gawahi_core::header::LEN);
    // Slots 1..4 hold random bytes, not zeros: a spare slot is indistinguishable from a used one.
    let slots = &a[56..56 + 4 * 60];
    for s in slots.chunks(60).skip(1) {
        assert!(!s.starts_with(&[0; 8]) && !s.ends_with(&[0; 8]), "spare slot looks empty");
    }
}

#[test]
fn locking_closes_the_database() {
    let (_tmp, dir, v) = new_vault();
    assert!(dir.join("vault.db-wal").exists());
    v.lock();
    assert!(!dir.join("vault.db-wal").exists(), "the last connection checkpoints and removes the WAL");
}
