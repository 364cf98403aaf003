//! Drafts: what the user was typing, kept encrypted in the vault so an auto-lock loses nothing.

use gawahi_core::Vault;
use gawahi_core::error::{Error, Reason};
use gawahi_core::vault::{MAX_DRAFT_BYTES, MAX_DRAFT_KEY, MAX_DRAFTS};
use serde_json::json;

use crate::support::{PASSPHRASE, files_holding, new_vault, pass};

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
