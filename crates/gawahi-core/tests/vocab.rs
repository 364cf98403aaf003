use std::collections::{HashMap, HashSet};

use gawahi_core::Kind;
use gawahi_core::error::Error;
use gawahi_core::vocab::{Entry, shipped_files};
use serde_json::{Map, json};

use crate::support::{new_vault, obj};

#[test]
fn shipped_vocabularies_are_bilingual_unique_and_resolve() {
    let files = shipped_files().expect("every shipped file parses");
    let codes: HashMap<&str, HashSet<&str>> =
        files.iter().map(|f| (f.name.as_str(), f.entries.iter().map(|e| e.code.as_str()).collect())).collect();
    for f in &files {
        assert_eq!(codes[f.name.as_str()].len(), f.entries.len(), "{}: duplicate codes", f.name);
        for e in &f.entries {
            assert!(!e.en.trim().is_empty(), "{}/{}: no English label", f.name, e.code);
            assert!(
                e.ur.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{}/{}: Urdu label not in Urdu script",
                f.name,
                e.code
            );
            assert!(
                e.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b)),
                "{}/{}",
                f.name,
                e.code
            );
            if let Some(parent) = &e.parent {
                let in_vocab = f.parent.as_deref().unwrap_or(&f.name);
                assert!(
                    codes[in_vocab].contains(parent.as_str()),
                    "{}/{}: parent {parent} not in {in_vocab}",
                    f.name,
                    e.code
                );
            }
        }
    }
    // The domain's core facts are there.
    for (vocab, code) in [
        ("sections", "peca_2016.26a"),
        ("sections", "ppc_1860.295-c"),
        ("sections", "ata_1997.11-ee"),
        ("sections", "foreigners_act_1946.14"),
        ("courts", "anti_terrorism_court"),
        ("bodies", "nccia"),
        ("districts", "balochistan.quetta"),
        ("case_kinds", "enforced_disappearance"),
    ] {
        assert!(codes[vocab].contains(code), "{vocab} lacks {code}");
    }
}

#[test]
fn a_user_can_extend_a_vocabulary_and_use_the_new_entry() {
    let (_tmp, _dir, mut v) = new_vault();
    let entry = Entry {
        code: "punjab.new_district".into(),
        parent: Some("punjab".into()),
        en: "New District".into(),
        ur: "نیا ضلع".into(),
        extra: Map::new(),
    };
    v.vocab_add("districts", &entry).expect("add");
    assert!(v.vocab("districts").expect("list").contains(&entry));
    v.add(Kind::Incident, obj(json!({"title": "t", "province": "punjab", "district": "punjab.new_district"})))
        .expect("usable at once");
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_bad_vocabulary_entries_are_refused() {
    let (_tmp, _dir, mut v) = new_vault();
    let good = Entry { code: "x".into(), parent: None, en: "X".into(), ur: "ایکس".into(), extra: Map::new() };
    for (name, entry, field) in [
        ("districts", Entry { parent: Some("atlantis".into()), ..good.clone() }, "parent"),
        ("courts", Entry { code: "supreme_court".into(), ..good.clone() }, "code"),
        ("courts", Entry { code: "Has Spaces".into(), ..good.clone() }, "code"),
        ("courts", Entry { ur: " ".into(), ..good.clone() }, "ur"),
        ("no_such_list", good.clone(), "name"),
    ] {
        let err = v.vocab_add(name, &entry).expect_err("refused");
        assert!(matches!(err, Error::Invalid(ref i) if i.field.as_deref() == Some(field)), "{name}: {err}");
    }
    assert!(matches!(v.vocab("no_such_list"), Err(Error::Invalid(_))));
}
