//! Recovery shares against a real vault: any k restore a new passphrase, k-1 give an error, shares
//! of another vault or from before a key rotation are refused, nothing changes on a failure.

use gawahi_core::shares::{RecoveryShare, ShareProblem};
use gawahi_core::vault::{read_recovery_share, write_recovery_shares};
use gawahi_core::{Error, Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, new_vault, obj, pass};

const NEW: &str = "a brand new passphrase";

#[test]
fn any_k_shares_set_a_new_passphrase_and_the_records_are_there() {
    let (_tmp, dir, mut v) = new_vault();
    let id = v.add(Kind::Incident, obj(json!({"title": "raid on the office"}))).expect("add").id;
    let shares = v.recovery_split(3, 5).expect("split");
    assert_eq!(shares.len(), 5);
    assert!(v.audit_tail(1).expect("log")[0].action == "recovery.split");
    v.lock();
    let picked = [shares[4].clone(), shares[1].clone(), shares[2].clone()];
    Vault::restore_from_shares(&dir, &picked, &pass(NEW)).expect("restore");
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::WrongPassphrase)));
    let v = Vault::unlock(&dir, &pass(NEW)).expect("the new passphrase opens it");
    assert_eq!(v.get(&id).expect("record").data.label(), "raid on the office");
    assert_eq!(v.audit_tail(1).expect("log")[0].action, "recovery.restore");
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_k_minus_one_shares_give_an_error_and_change_nothing() {
    let (_tmp, dir, mut v) = new_vault();
    let shares = v.recovery_split(3, 5).expect("split");
    v.lock();
    let before = std::fs::read(dir.join("vault.header")).expect("header");
    let err = Vault::restore_from_shares(&dir, &shares[..2], &pass(NEW)).expect_err("two of three");
    assert!(matches!(err, Error::RecoveryShares(ShareProblem::TooFew { have: 2, need: 3 })), "{err:?}");
    assert_eq!(std::fs::read(dir.join("vault.header")).expect("header"), before);
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the old passphrase still works");
}

#[test]
fn fail_shares_of_another_vault_or_from_before_a_rotation_are_refused() {
    let (_tmp, dir, mut v) = new_vault();
    let (_tmp2, _dir2, mut other) = new_vault();
    let foreign = other.recovery_split(2, 2).expect("split");
    let old = v.recovery_split(2, 2).expect("split");
    let err = Vault::restore_from_shares(&dir, &foreign, &pass(NEW)).expect_err("another vault's");
    assert!(matches!(err, Error::RecoveryShares(ShareProblem::OtherVault { share: 1 })), "{err:?}");
    v.rotate_key(&pass(PASSPHRASE), &pass("rotated passphrase"), |_| {}).expect("rotate");
    v.lock();
    let err = Vault::restore_from_shares(&dir, &old, &pass(NEW)).expect_err("from before the rotation");
    assert!(matches!(err, Error::RecoveryShares(ShareProblem::OtherVault { .. })), "{err:?}");
    Vault::unlock(&dir, &pass("rotated passphrase")).expect("unchanged");
}

#[test]
fn a_damaged_or_missing_header_is_restored_from_shares() {
    let (_tmp, dir, mut v) = new_vault();
    let shares = v.recovery_split(2, 3).expect("split");
    v.lock();
    std::fs::remove_file(dir.join("vault.header")).expect("lose the header");
    Vault::restore_from_shares(&dir, &shares[1..], &pass(NEW)).expect("restore without a header");
    Vault::unlock(&dir, &pass(NEW)).expect("opens");
}

#[test]
fn fail_a_weak_new_passphrase_or_no_vault_is_refused() {
    let (_tmp, dir, mut v) = new_vault();
    let shares = v.recovery_split(1, 1).expect("split");
    v.lock();
    assert!(matches!(Vault::restore_from_shares(&dir, &shares, &pass("short")), Err(Error::Invalid(_))));
    let nowhere = dir.parent().expect("parent").join("none");
    assert!(matches!(Vault::restore_from_shares(&nowhere, &shares, &pass(NEW)), Err(Error::VaultNotFound(_))));
}

#[test]
fn fail_bad_counts_are_refused_on_a_vault() {
    let (_tmp, _dir, mut v) = new_vault();
    for (k, n) in [(0, 1), (2, 1), (1, 256), (300, 300)] {
        assert!(matches!(v.recovery_split(k, n), Err(Error::Invalid(_))), "{k} of {n}");
    }
}

#[test]
fn share_files_are_private_never_overwritten_and_read_back() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, dir, mut v) = new_vault();
    let shares = v.recovery_split(2, 3).expect("split");
    v.lock();
    let out = tmp.path().join("shares");
    let names = write_recovery_shares(&out, &shares).expect("write");
    assert_eq!(names.len(), 6);
    for name in &names {
        let mode = std::fs::metadata(out.join(name)).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    assert!(matches!(write_recovery_shares(&out, &shares), Err(Error::OutputExists)));
    let read: Vec<RecoveryShare> = ["share-1-of-3.txt", "share-3-of-3.txt"]
        .iter()
        .enumerate()
        .map(|(i, n)| read_recovery_share(&out.join(n), i + 1).expect("read"))
        .collect();
    Vault::restore_from_shares(&dir, &read, &pass(NEW)).expect("restore from files");
    // A file that is not a share, or too big to be one, is refused without being read whole.
    std::fs::write(out.join("big"), vec![b'a'; 200_000]).expect("write");
    assert!(read_recovery_share(&out.join("big"), 1).is_err());
    assert!(matches!(read_recovery_share(&out.join("missing"), 1), Err(Error::Invalid(_))));
    assert!(read_recovery_share(&out.join("share-1-of-3.svg"), 1).is_err());
}
