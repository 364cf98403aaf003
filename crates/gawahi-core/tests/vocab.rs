use std::collections::{HashMap, HashSet};

use gawahi_core::error::Error;
use gawahi_core::search::{Facet, Filters};
use gawahi_core::vocab::{Entry, shipped_files};
use gawahi_core::{Kind, Vault};
use serde_json::{Map, json};

use crate::support::{PASSPHRASE, new_vault, obj, pass};

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

/// The district statistic's labels for `code`, as a chart shows them.
fn district_labels(v: &Vault, code: &str) -> Option<(Option<String>, Option<String>)> {
    v.stats(Facet::District, &Filters::default())
        .expect("stats")
        .into_iter()
        .find(|c| c.value == code)
        .map(|c| (c.en, c.ur))
}

fn new_district(code: &str, en: &str) -> Entry {
    Entry {
        code: code.into(), parent: Some("sindh".into()), en: en.into(), ur: "نیا ضلع".into(), extra: Map::new()
    }
}

#[test]
fn statistics_label_an_entry_added_after_the_labels_were_first_read() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add(Kind::Incident, obj(json!({"title": "t", "province": "sindh", "district": "sindh.karachi_south"})))
        .expect("incident");
    let shipped = district_labels(&v, "sindh.karachi_south").expect("counted");
    assert!(shipped.0.is_some() && shipped.1.is_some(), "{shipped:?}");
    // The labels kept since the vault opened are read again once this vault adds an entry.
    v.vocab_add("districts", &new_district("sindh.new_one", "New One")).expect("add");
    v.add(Kind::Incident, obj(json!({"title": "t", "province": "sindh", "district": "sindh.new_one"})))
        .expect("incident");
    assert_eq!(district_labels(&v, "sindh.new_one"), Some((Some("New One".into()), Some("نیا ضلع".into()))));
}

#[test]
fn statistics_label_an_entry_another_program_added_while_the_vault_was_open() {
    let (_tmp, dir, v) = new_vault();
    assert_eq!(district_labels(&v, "sindh.from_elsewhere"), None, "the labels are read and kept");
    // Another program (the CLI, say) has the same vault open and adds an entry and a record.
    let mut other = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a second program");
    other.vocab_add("districts", &new_district("sindh.from_elsewhere", "From Elsewhere")).expect("add");
    other
        .add(Kind::Incident, obj(json!({"title": "t", "province": "sindh", "district": "sindh.from_elsewhere"})))
        .expect("incident");
    drop(other);
    assert_eq!(
        district_labels(&v, "sindh.from_elsewhere"),
        Some((Some("From Elsewhere".into()), Some("نیا ضلع".into()))),
        "the kept labels were read again"
    );
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
