//! Drafts: what the user was typing, kept encrypted in the vault so an auto-lock loses nothing,
//! and whole through a kill -9 in the middle of a save or a full disk.

use gawahi_core::Vault;
use gawahi_core::error::{Error, Reason};
use gawahi_core::vault::{MAX_DRAFT_BYTES, MAX_DRAFT_KEY, MAX_DRAFTS};
use serde_json::json;

use crate::support::{CHILD_VAULT, PASSPHRASE, files_holding, kill_child_after, new_vault, pass};

#[test]
fn a_draft_survives_a_lock_encrypted_and_goes_when_discarded() {
    let (_tmp, dir, mut v) = new_vault();
    let canary = "DRAFTCANARY4417 مسودہ";
    let body =
        json!({"kind": "case", "values": {"title": canary, "charges": [{"statute": "peca_2016", "section": "26A"}]}});
    assert_eq!(v.load_draft("edit/case").expect("none yet"), None);
    v.save_draft("edit/case", &body).expect("save");
    v.save_draft("edit/case", &body).expect("saved again, replacing");
    v.lock();
    // Locked: nothing on disk holds the draft's text.
    assert_eq!(files_holding(&dir, &[("UTF-8".to_owned(), b"DRAFTCANARY4417".to_vec())]), Vec::<String>::new());
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let draft = v.load_draft("edit/case").expect("load").expect("kept across the lock");
    assert_eq!(draft.body, body);
    assert!(chrono::DateTime::parse_from_rfc3339(&draft.saved_at).is_ok(), "{}", draft.saved_at);
    assert!(v.discard_draft("edit/case").expect("discard"));
    assert!(!v.discard_draft("edit/case").expect("again"), "nothing left to discard");
    assert_eq!(v.load_draft("edit/case").expect("load"), None);
    assert!(v.check().expect("check").is_ok(), "drafts are not records: the check is unaffected");
}

#[test]
fn fail_drafts_are_bounded_and_bad_keys_refused() {
    let (_tmp, _dir, mut v) = new_vault();
    let reason = |e: Error| match e {
        Error::Invalid(i) => (i.field, i.reason),
        other => panic!("{other:?}"),
    };
    let huge = json!({"title": "x".repeat(MAX_DRAFT_BYTES)});
    assert_eq!(reason(v.save_draft("k", &huge).expect_err("huge")), (Some("body".into()), Reason::TooLong));
    let nul = json!({"title": "a\0b"});
    assert_eq!(reason(v.save_draft("k", &nul).expect_err("NUL")), (Some("body".into()), Reason::NulCharacter));
    for (key, why) in [
        ("", Reason::Required),
        ("   ", Reason::Required),
        ("a\nb", Reason::NotOneLine),
        ("\u{1b}[2J", Reason::NotOneLine),
        (&"k".repeat(MAX_DRAFT_KEY + 1), Reason::TooLong),
    ] {
        let err = v.save_draft(key, &json!({})).expect_err(key);
        assert!(!err.to_string().contains('\u{1b}'), "the error repeats no input");
        assert_eq!(reason(err), (Some("key".into()), why), "{key:?}");
        assert_eq!(reason(v.load_draft(key).expect_err(key)), (Some("key".into()), why), "{key:?}");
    }
    for i in 0..MAX_DRAFTS {
        v.save_draft(&format!("form/{i}"), &json!({"i": i})).expect("within the bound");
    }
    let full = v.save_draft("one/more", &json!({})).expect_err("too many");
    assert_eq!(reason(full), (Some("key".into()), Reason::TooLong));
    v.save_draft("form/0", &json!({"replaced": true})).expect("an existing key may still be saved");
    assert_eq!(v.load_draft("form/0").expect("load").expect("there").body, json!({"replaced": true}));
}

/// The draft saved `n`-th by [`child_saves_drafts_in_a_loop`]: its size changes from one save to
/// the next (up to a few hundred KiB, past any page the write-ahead log already holds), and its
/// text says which save it was, so a torn draft could not pass for a whole one.
fn nth_draft(n: u64) -> serde_json::Value {
    let len = usize::try_from(n % 7).unwrap_or(0) * 40_000 + 100;
    json!({"n": n, "values": {"title": format!("مسودہ {n}"), "narrative": format!("{n}:").repeat(len / 4)}})
}

#[test]
#[ignore = "a child process of fail_kill_9_while_saving_drafts_leaves_the_old_or_the_new_draft"]
fn child_saves_drafts_in_a_loop() {
    use std::io::Write;
    let Some(dir) = std::env::var_os(CHILD_VAULT) else { return };
    let mut v = Vault::unlock(std::path::Path::new(&dir), &pass(PASSPHRASE)).expect("unlock");
    let mut out = std::io::stdout().lock();
    for n in 1.. {
        v.save_draft("edit/case", &nth_draft(n)).expect("save");
        // Said only once the save has returned: the draft `n` is then committed.
        writeln!(out, "saved {n}").and_then(|()| out.flush()).expect("stdout");
    }
}

#[test]
fn fail_kill_9_while_saving_drafts_leaves_the_old_or_the_new_draft() {
    let (_tmp, dir, mut v) = new_vault();
    v.add(gawahi_core::Kind::Task, crate::support::obj(json!({"title": "kept through every crash"}))).expect("task");
    v.save_draft("edit/case", &nth_draft(0)).expect("the first draft");
    v.lock();
    // How many rounds found the draft the child was saving when it died, and how many the one before.
    let mut found = [0u32; 2];
    for round in 0..8u64 {
        // Killed after a different number of saves each round, and a different while after the
        // last one was said: in the middle of the next save's transaction, or between two.
        let last_saved = kill_child_after(
            "drafts::child_saves_drafts_in_a_loop",
            &dir,
            "saved ",
            3 + round * 5,
            std::time::Duration::from_millis(round * 3),
        );
        let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the vault opens after the kill");
        assert!(v.check().expect("check").is_ok(), "round {round}: check is clean");
        let draft = v.load_draft("edit/case").expect("load").expect("a draft is there");
        let n = draft.body["n"].as_u64().expect("n");
        assert!(n == last_saved || n == last_saved + 1, "round {round}: draft {n}, the last said saved {last_saved}");
        assert_eq!(draft.body, nth_draft(n), "round {round}: the draft is whole, never torn");
        found[usize::from(n > last_saved)] += 1;
        assert_eq!(v.list(gawahi_core::Kind::Task, None, 10).expect("tasks").len(), 1, "round {round}");
        v.lock();
    }
    eprintln!("drafts found after a kill: the last one said saved {}, the one being saved {}", found[0], found[1]);
}

#[test]
#[ignore = "a child process of fail_a_full_disk_refuses_a_draft_and_loses_none_saved"]
fn child_saves_drafts_until_the_disk_is_full() {
    use std::io::Write;
    let Some(dir) = std::env::var_os(CHILD_VAULT) else { return };
    let dir = std::path::PathBuf::from(dir);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let kept = json!({"title": "typed before the disk filled"});
    v.save_draft("edit/case", &kept).expect("saved while there is room");
    // Fill what is left of the small file system the vault is on.
    let fill = dir.parent().expect("the mount").join("fill");
    let mut f = std::fs::File::create(&fill).expect("fill");
    let block = vec![0u8; 64 * 1024];
    let no_room = loop {
        if let Err(e) = f.write_all(&block).and_then(|()| f.sync_all()) {
            break e;
        }
    };
    assert_eq!(no_room.kind(), std::io::ErrorKind::StorageFull, "{no_room}");
    // A small write may still find room; whatever is left of the last block goes too.
    let small = vec![0u8; 512];
    while f.write_all(&small).and_then(|()| f.sync_all()).is_ok() {}
    drop(f);
    for (key, body) in [("edit/case", nth_draft(6)), ("new/incident", nth_draft(13))] {
        match v.save_draft(key, &body) {
            Err(Error::DiskFull) => {}
            other => panic!("{key}: a full disk is said as such: {other:?}"),
        }
    }
    assert_eq!(v.load_draft("edit/case").expect("load").expect("kept").body, kept, "the saved draft is intact");
    assert_eq!(v.load_draft("new/incident").expect("load"), None, "nothing half-saved");
    std::fs::remove_file(&fill).expect("room again");
    v.save_draft("edit/case", &nth_draft(6)).expect("saved once there is room");
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock again");
    assert!(v.check().expect("check").is_ok(), "check is clean");
    assert_eq!(v.load_draft("edit/case").expect("load").expect("there").body, nth_draft(6));
    println!("full disk refused the draft and kept the one saved");
}

#[test]
fn fail_a_full_disk_refuses_a_draft_and_loses_none_saved() {
    let (tmp, dir, v) = new_vault();
    v.lock();
    // The child runs in a private mount namespace on a small tmpfs holding a copy of the vault,
    // so nothing outside the test sees the full disk. Needs root or user namespaces.
    let text = crate::support::child_on_a_small_tmpfs(
        tmp.path(),
        &dir,
        "drafts::child_saves_drafts_until_the_disk_is_full",
        "8m",
    );
    assert!(text.contains("full disk refused the draft and kept the one saved"), "the child ran: {text}");
}
