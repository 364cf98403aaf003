//! A person's CNIC, phone and address: validated as lawyers write them, refused with the field
//! named and nothing repeated, and marked sensitive (exports are in `canary.rs`).

use gawahi_core::Kind;
use gawahi_core::error::{Error, Reason};
use serde_json::{Value, json};

use crate::support::{new_vault, obj};

#[test]
fn cnic_phone_and_address_are_kept_as_written() {
    let (_tmp, _dir, mut v) = new_vault();
    for (cnic, phone) in [
        ("35202-1234567-1", "+92 300 1234567"),
        ("3520212345671", "0300-1234567"),
        ("42101-0000000-0", "(021) 3456 7890"),
    ] {
        let p = v
            .add(Kind::Person, obj(json!({"pseudonym": "P", "cnic": cnic, "phone": phone, "address": "گلی 4، کوئٹہ"})))
            .unwrap_or_else(|e| panic!("{cnic} {phone}: {e}"));
        let back = v.get(&p.id).expect("get").to_json();
        assert_eq!((back["cnic"].as_str(), back["phone"].as_str()), (Some(cnic), Some(phone)));
        assert_eq!(back["address"], json!("گلی 4، کوئٹہ"));
    }
    // Left out, they are not written at all.
    let plain = v.add(Kind::Person, obj(json!({"pseudonym": "Q"}))).expect("plain");
    assert!(!plain.to_json().contains_key("cnic"));
}

#[test]
fn fail_bad_cnics_phones_and_addresses_are_named_without_repeating_them() {
    let (_tmp, _dir, mut v) = new_vault();
    let bad: Vec<(&str, Value, Reason)> = vec![
        ("cnic", json!("35202-123456-71"), Reason::NotACnic),
        ("cnic", json!("3520212345671-"), Reason::NotACnic),
        ("cnic", json!("352021234567"), Reason::NotACnic),
        ("cnic", json!("35202123456712"), Reason::NotACnic),
        ("cnic", json!("3520A-1234567-1"), Reason::NotACnic),
        ("cnic", json!("۳۵۲۰۲-۱۲۳۴۵۶۷-۱"), Reason::NotACnic),
        ("cnic", json!("35202-1234567-1\n"), Reason::NotACnic),
        ("cnic", json!("35202\u{1b}[2J1234567-1"), Reason::NotACnic),
        ("cnic", json!("1".repeat(100_000)), Reason::NotACnic),
        ("cnic", json!(3_520_212_345_671_u64), Reason::WrongType),
        ("phone", json!("call me"), Reason::NotAPhoneNumber),
        ("phone", json!("12"), Reason::NotAPhoneNumber),
        ("phone", json!("+92+300"), Reason::NotAPhoneNumber),
        ("phone", json!("0300\u{202e}1234567"), Reason::NotAPhoneNumber),
        ("phone", json!("9".repeat(33)), Reason::NotAPhoneNumber),
        ("phone", json!(["0300"]), Reason::WrongType),
        ("address", json!("line one\nline two"), Reason::NotOneLine),
        ("address", json!("a".repeat(1_001)), Reason::TooLong),
        ("address", json!("a\u{0}b"), Reason::NulCharacter),
    ];
    for (field, value, why) in bad {
        let mut body = obj(json!({"pseudonym": "P"}));
        body.insert(field.into(), value.clone());
        let err = v.add(Kind::Person, body).expect_err(field);
        let text = err.to_string();
        assert!(
            matches!(&err, Error::Invalid(i) if i.field.as_deref() == Some(field) && i.reason == why),
            "{field} {value}: {err:?}"
        );
        if let Some(s) = value.as_str() {
            assert!(s.len() < 8 || !text.contains(s), "the message repeats the value: {text}");
        }
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");
    }
    assert_eq!(v.count(Kind::Person).expect("count"), 0);
}
