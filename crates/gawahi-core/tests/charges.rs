//! Charges as lawyers type them: every spelling of a section finds it, in English and Urdu; the
//! sections a criminal lawyer expects are shipped with their titles; a section outside the list
//! is kept as the user's own entry and found like the others.

use gawahi_core::Kind;
use gawahi_core::error::{Error, Reason};
use serde_json::json;

use crate::support::{new_vault, obj};

fn codes(v: &gawahi_core::Vault, query: &str) -> Vec<String> {
    v.find_sections(query).expect("find").into_iter().map(|m| m.code).collect()
}

#[test]
fn every_spelling_of_a_section_finds_it() {
    let (_tmp, _dir, v) = new_vault();
    for query in [
        "26A",
        "26-A",
        "26 A",
        "26a",
        "s.26A",
        "s. 26-A",
        "S.26-A",
        "PECA 26A",
        "PECA s. 26-A",
        "peca s.26a",
        "u/s 26-A",
        "section 26A",
        "دفعہ 26A",
        "۲۶A",
        "fake",
        "False",
        "fake information",
    ] {
        let found = codes(&v, query);
        assert_eq!(found.first().map(String::as_str), Some("peca_2016.26a"), "{query}: {found:?}");
    }
    assert_eq!(codes(&v, "PECA 20"), ["peca_2016.20"]);
    assert_eq!(codes(&v, "dignity").first().map(String::as_str), Some("peca_2016.20"), "the offence first");
    let blasphemy = codes(&v, "blasphemy");
    for code in ["ppc_1860.295-a", "ppc_1860.295-b", "ppc_1860.295-c", "ppc_1860.298-a"] {
        assert!(blasphemy.contains(&code.to_owned()), "{code} in {blasphemy:?}");
    }
    assert!(codes(&v, "توہین").contains(&"ppc_1860.295-c".to_owned()), "Urdu words of the title");
    assert_eq!(codes(&v, "وقار").first().map(String::as_str), Some("peca_2016.20"));
    assert_eq!(codes(&v, "295-C"), ["ppc_1860.295-c"]);
    assert_eq!(codes(&v, "PPC 295C"), ["ppc_1860.295-c"]);
    // A number alone finds the exact section first, then those that start with it.
    let all_295 = codes(&v, "PPC 295");
    assert_eq!(all_295, ["ppc_1860.295-a", "ppc_1860.295-b", "ppc_1860.295-c"]);
    assert_eq!(codes(&v, "ATA 11-EE"), ["ata_1997.11-ee"]);
    assert_eq!(codes(&v, "ata 11 ee"), ["ata_1997.11-ee"]);
    assert_eq!(codes(&v, "2(1)(d)"), ["army_act_1952.2-1-d"]);
    assert_eq!(codes(&v, "ppc_1860.295-c"), ["ppc_1860.295-c"], "an entry's own code");
    // Several sections on one line: each is found.
    assert_eq!(codes(&v, "PECA 20, 26A"), ["peca_2016.20", "peca_2016.26a"]);
    // "29" is not a start of "295".
    assert!(!codes(&v, "PPC 29").iter().any(|c| c.starts_with("ppc_1860.295")));
}

#[test]
fn the_sections_a_criminal_lawyer_expects_are_shipped() {
    let (_tmp, _dir, v) = new_vault();
    for (query, code, title) in [
        ("PPC 34", "ppc_1860.34", "common intention"),
        ("PPC 109", "ppc_1860.109", "abetment"),
        ("PPC 120-B", "ppc_1860.120-b", "criminal conspiracy"),
        ("PPC 147", "ppc_1860.147", "rioting"),
        ("PPC 186", "ppc_1860.186", "Obstructing public servant"),
        ("PPC 188", "ppc_1860.188", "Disobedience to order"),
        ("PPC 353", "ppc_1860.353", "deter public servant"),
        ("CrPC 22-A", "crpc_1898.22-a", "Justice of the Peace"),
        ("CrPC 144", "crpc_1898.144", "urgent cases of nuisance"),
        ("CrPC 561-A", "crpc_1898.561-a", "inherent power of High Court"),
        ("CrPC 265-K", "crpc_1898.265-k", "acquit"),
    ] {
        let found = v.find_sections(query).expect("find");
        let first = found.first().unwrap_or_else(|| panic!("{query} finds nothing"));
        assert_eq!(first.code, code, "{query}");
        assert!(first.en.contains(title), "{query}: {}", first.en);
        assert!(first.ur.starts_with("دفعہ"), "{query}: an Urdu title");
    }
}

#[test]
fn a_charge_outside_the_list_is_kept_as_the_users_own_section() {
    let (_tmp, dir, mut v) = new_vault();
    let refused = v
        .add(Kind::Case, obj(json!({"title": "t", "charges": [{"statute": "ppc_1860", "section": "337-A"}]})))
        .expect_err("not in the list yet");
    assert!(matches!(&refused, Error::Invalid(i) if i.reason == Reason::NotInVocabulary), "{refused:?}");
    let entry = v.add_own_section("ppc_1860", "337-A", Some("s.337-A Shajjah"), None).expect("own section");
    assert_eq!(entry.code, "ppc_1860.337-a");
    assert_eq!(entry.ur, "دفعہ 337-A");
    v.add(Kind::Case, obj(json!({"title": "t", "charges": [{"statute": "ppc_1860", "section": "337-A"}]})))
        .expect("now accepted");
    assert_eq!(codes(&v, "PPC 337A"), ["ppc_1860.337-a"]);
    assert_eq!(codes(&v, "shajjah"), ["ppc_1860.337-a"]);
    // Adding it again returns the same entry and adds nothing.
    assert_eq!(v.add_own_section("ppc_1860", "337-a", None, None).expect("again"), entry);
    // Kept across a lock, and as the user's own entry (which a full export carries).
    drop(v);
    let mut v = gawahi_core::Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    assert_eq!(codes(&v, "337-A"), ["ppc_1860.337-a"]);
    let mut out = Vec::new();
    v.export_jsonl(gawahi_core::export::ExportOptions::default(), &mut out).expect("export");
    assert!(String::from_utf8(out).expect("utf-8").contains("ppc_1860.337-a"));
}

#[test]
fn fail_bad_queries_and_sections_are_handled() {
    let (_tmp, _dir, mut v) = new_vault();
    for query in ["", "   ", "s.", "\u{1b}[2J", "\0", "zzzzqqq", "99999"] {
        assert!(v.find_sections(query).expect("no error").is_empty(), "{query:?}");
    }
    // A huge query is read only as far as a charge line goes, and finds nothing odd.
    let huge = format!("26A {}", "x".repeat(1_000_000));
    assert!(v.find_sections(&huge).expect("huge").is_empty());
    for (statute, section, field) in [
        ("ppc_1860", "", "section"),
        ("ppc_1860", "34\n35", "section"),
        ("ppc_1860", "\u{1b}[2J", "section"),
        ("ppc_1860", &"1".repeat(21), "section"),
        ("no_such_act", "1", "statute"),
    ] {
        let err = v.add_own_section(statute, section, None, None).expect_err(section);
        assert!(matches!(&err, Error::Invalid(i) if i.field.as_deref() == Some(field)), "{err:?}");
        assert!(!err.to_string().contains('\u{1b}'), "the error repeats no input");
    }
    let nul = v.add_own_section("ppc_1860", "34-Z", Some("a\0b"), None).expect_err("NUL");
    assert!(matches!(&nul, Error::Invalid(i) if i.reason == Reason::NulCharacter), "{nul:?}");
}

#[test]
fn fail_a_shipped_section_in_another_spelling_is_not_added_twice() {
    let (_tmp, _dir, mut v) = new_vault();
    let before = v.vocab("sections").expect("sections").len();
    for (statute, typed, code) in [
        ("peca_2016", "26-A", "peca_2016.26a"),
        ("peca_2016", "26(A)", "peca_2016.26a"),
        ("peca_2016", "26.a", "peca_2016.26a"),
        ("ppc_1860", "120B", "ppc_1860.120-b"),
        ("ppc_1860", "120(b)", "ppc_1860.120-b"),
    ] {
        let entry = v.add_own_section(statute, typed, None, None);
        assert_eq!(entry.map(|e| e.code).ok().as_deref(), Some(code), "{typed}");
    }
    // The user's own section is found in any spelling too, and its code has single dashes.
    let own = v.add_own_section("ppc_1860", "337.A", None, None).expect("own");
    assert_eq!(own.code, "ppc_1860.337-a");
    assert_eq!(v.add_own_section("ppc_1860", "337A", None, None).expect("again"), own);
    assert_eq!(v.add_own_section("ppc_1860", "337-A", None, None).expect("again"), own);
    assert_eq!(v.vocab("sections").expect("sections").len(), before + 1, "one entry added in all");
}

#[test]
fn fail_little_words_and_slashes_of_a_charge_line_are_read_as_lawyers_mean_them() {
    let (_tmp, _dir, v) = new_vault();
    assert_eq!(codes(&v, "section 20 of PECA"), ["peca_2016.20"]);
    assert_eq!(codes(&v, "s. 26 A of PECA"), ["peca_2016.26a"]);
    let both = codes(&v, "506/34 PPC");
    assert_eq!(both, ["ppc_1860.34", "ppc_1860.506"]);
    assert_eq!(codes(&v, "PPC 506 r/w 34"), ["ppc_1860.34", "ppc_1860.506"]);
    assert_eq!(codes(&v, "u/s 295-C PPC"), ["ppc_1860.295-c"]);
    assert_eq!(codes(&v, "ransom").first().map(String::as_str), Some("ppc_1860.365-a"));
    assert_eq!(codes(&v, "اغوا برائے تاوان").first().map(String::as_str), Some("ppc_1860.365-a"));
}

#[test]
fn fail_an_own_sections_labels_are_one_line_without_direction_controls() {
    let (_tmp, _dir, mut v) = new_vault();
    for (en, ur, field) in [
        (Some("s.34-Z\nsecond line"), None, "en"),
        (Some("s.34-Z \u{1b}[2J"), None, "en"),
        (Some("s.34-Z \u{202E}evil"), None, "en"),
        (None, Some("دفعہ \u{2067}34-Z"), "ur"),
    ] {
        let err = v.add_own_section("ppc_1860", "34-Z", en, ur).expect_err("refused");
        assert!(matches!(&err, Error::Invalid(i) if i.field.as_deref() == Some(field)), "{err:?}");
    }
    assert!(codes(&v, "34-Z").is_empty(), "nothing added");
}
