//! Search over English and Urdu: folding (aerab, ZWNJ, letter variants, digits), prefixes,
//! vocabulary labels in both languages, field names never matching, facets with text, the
//! index kept in step by every write path, deleted words gone from the database, statistics and
//! saved searches.

use std::io::Cursor;
use std::ops::ControlFlow;

use gawahi_core::Error;
use gawahi_core::bundle::Progress;
use gawahi_core::error::Reason;
use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::search::{Facet, Filters, HitGroup, SavedSearch};
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::bundle::{case_request, populate, to_vault};
use crate::support::{new_vault, obj};

/// The ids found for `query`, every kind together, in the order returned.
fn ids(v: &Vault, query: &str) -> Vec<String> {
    ids_within(v, query, &Filters::default())
}

fn ids_within(v: &Vault, query: &str, filters: &Filters) -> Vec<String> {
    v.search(query, filters, 50).expect("search").into_iter().flat_map(|g| g.hits).map(|h| h.id).collect()
}

fn incident(v: &mut Vault, body: serde_json::Value) -> String {
    v.add(Kind::Incident, obj(body)).expect("incident").id
}

#[test]
fn urdu_matches_with_or_without_aerab_zwnj_letter_variants_and_digits() {
    let (_tmp, _dir, mut v) = new_vault();
    let diacritics = incident(&mut v, json!({"title": "مُقدّمہ درج نہیں ہُوا"}));
    let zwnj = incident(&mut v, json!({"title": "لیپ\u{200c}ٹاپ ضبط"}));
    let arabic_ye = incident(&mut v, json!({"title": "علي کا گھر"}));
    let arabic_kaf = incident(&mut v, json!({"title": "كراچی پریس کلب"}));
    let heh_variant = incident(&mut v, json!({"title": "مدرسه پر حملہ"}));
    let urdu_digits = incident(&mut v, json!({"title": "ایف آئی آر ۱۱۲"}));
    let madda = incident(&mut v, json!({"title": "آج کا واقعہ"}));
    assert_eq!(ids(&v, "مقدمہ"), vec![diacritics.clone()], "without aerab finds the word written with them");
    assert_eq!(ids(&v, "مُقَدَّمہ"), [diacritics], "with other aerab finds it too");
    assert_eq!(ids(&v, "لیپٹاپ"), vec![zwnj.clone()], "without the ZWNJ");
    assert_eq!(ids(&v, "لیپ\u{200c}ٹاپ"), [zwnj], "with it");
    assert_eq!(ids(&v, "علی"), [arabic_ye], "ی finds ي");
    assert_eq!(ids(&v, "کراچی"), [arabic_kaf], "ک finds ك");
    assert_eq!(ids(&v, "مدرسۃ"), vec![heh_variant.clone()], "ۃ finds ه");
    assert_eq!(ids(&v, "مدرسہ"), [heh_variant], "ہ finds ه");
    assert_eq!(ids(&v, "112"), vec![urdu_digits.clone()], "Western digits find Urdu ones");
    assert_eq!(ids(&v, "۱۱۲"), [urdu_digits], "and Urdu digits themselves");
    assert_eq!(ids(&v, "اج"), [madda], "a bare alef finds alef madda");
    assert!(ids(&v, "ضبطی").is_empty(), "a longer word is not found by a shorter one");
}

#[test]
fn english_is_case_blind_and_the_last_word_is_a_prefix() {
    let (_tmp, _dir, mut v) = new_vault();
    let raid = incident(&mut v, json!({"title": "Night raid in Quetta", "description": "Devices CONFISCATED"}));
    let other = incident(&mut v, json!({"title": "Quiet week"}));
    assert_eq!(ids(&v, "QUETTA"), vec![raid.clone()]);
    assert_eq!(ids(&v, "confisc"), vec![raid.clone()], "a prefix of the last word");
    assert_eq!(ids(&v, "qu"), [raid.clone(), other], "in the order they were added");
    assert_eq!(ids(&v, "night quet"), [raid], "earlier words whole, the last a prefix");
    assert!(ids(&v, "nig quetta").is_empty(), "an earlier word is a whole word");
}

#[test]
fn vocabulary_labels_match_in_english_and_urdu() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": "State v. A.", "case_kind": "criminalisation", "court": "balochistan_high_court",
                "status": "bail_granted", "charges": [{"statute": "peca_2016", "section": "20"}]})),
        )
        .expect("case")
        .id;
    let abroad = v
        .add(
            Kind::Case,
            obj(json!({"title": "Detained in Kabul", "case_kind": "detained_abroad",
                "detention_abroad": {"country": "af"}})),
        )
        .expect("abroad")
        .id;
    let raid = incident(
        &mut v,
        json!({"title": "R.", "province": "sindh", "district": "sindh.karachi_south", "perpetrator_types": ["state.police"]}),
    );
    assert_eq!(ids(&v, "Balochistan High Court"), vec![case.clone()]);
    assert_eq!(ids(&v, "bail granted"), vec![case.clone()]);
    assert_eq!(ids(&v, "ضمانت منظور"), vec![case.clone()], "the status's Urdu label");
    assert_eq!(ids(&v, "dignity"), vec![case.clone()], "the section's title");
    assert_eq!(ids(&v, "PECA"), [case], "the statute's short name");
    assert_eq!(ids(&v, "Afghanistan"), vec![abroad.clone()]);
    assert_eq!(ids(&v, "افغانستان"), [abroad]);
    assert_eq!(ids(&v, "سندھ"), vec![raid.clone()]);
    assert_eq!(ids(&v, "Sindh"), vec![raid.clone()]);
    assert_eq!(ids(&v, "پولیس"), vec![raid.clone()]);
    assert_eq!(ids(&v, "police"), [raid]);
}

#[test]
fn fail_field_names_json_and_null_never_match() {
    let (_tmp, _dir, mut v) = new_vault();
    // Every field of a case left empty: its stored JSON names `refugee`, `judge`, `notes`,
    // `title`, `police_station` and holds `null` many times.
    v.add(Kind::Case, obj(json!({"title": "State v. B."}))).expect("case");
    incident(&mut v, json!({"title": "Something happened"}));
    for word in ["refugee", "police", "judge", "notes", "title", "null", "case_kind", "charges", "true", "id"] {
        assert!(ids(&v, word).is_empty(), "{word} matched a field name or JSON");
        let listed = v.list_matching(Kind::Case, word, &Filters::default(), None, 50).expect("list");
        assert!(listed.is_empty(), "the list filter matched {word}");
    }
    // JSON syntax is no query at all: refused in the search box, no filter in a list.
    assert!(matches!(v.search("{\":", &Filters::default(), 10), Err(Error::Invalid(_))));
}

#[test]
fn fail_a_section_is_found_as_lawyers_write_it_and_in_any_letter_case() {
    let (_tmp, _dir, mut v) = new_vault();
    let case = |v: &mut Vault, title: &str, statute: &str, section: &str| {
        let body = json!({"title": title, "case_kind": "criminalisation",
            "charges": [{"statute": statute, "section": section}]});
        v.add(Kind::Case, obj(body)).expect("case").id
    };
    let c = case(&mut v, "First", "ppc_1860", "295-C");
    let a = case(&mut v, "Second", "ppc_1860", "295-A");
    // Accepted in upper case, as validation compares sections in any case.
    let army = case(&mut v, "Third", "army_act_1952", "2(1)(D)");
    // The section as lawyers type it, joined or as written: the 295-C case alone. (Before, `295C`
    // found nothing, and `295-C` every Penal Code case: `295` and a word beginning with `c`.)
    for typed in ["295C", "295c", "295-C", "s.295-C", "۲۹۵-C"] {
        assert_eq!(ids(&v, typed), [c.as_str()], "{typed}");
    }
    assert_eq!(ids(&v, "295-A"), [a.as_str()]);
    // Its snippet marks the section where the record writes it.
    let groups = v.search("295C", &Filters::default(), 10).expect("search");
    let marked: Vec<&str> =
        groups[0].hits[0].snippet.iter().filter(|s| s.highlighted).map(|s| s.text.as_str()).collect();
    assert!(marked.iter().any(|m| m.contains("295-C")), "{:?}", groups[0].hits[0].snippet);
    // The upper-case section gets its entry's value and words.
    let section = Filters::default().with(Facet::Section, &["army_act_1952.2-1-d"]);
    assert_eq!(ids_within(&v, "", &section), [army.as_str()]);
    assert_eq!(ids(&v, "military court civilians"), [army.as_str()], "the section's label");
    assert_eq!(ids(&v, "2(1)(d)"), [army]);
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_a_range_from_the_first_day_holds_the_records_known_only_by_their_year_or_month() {
    // Abuses are often known only by their year or month. The list's From day is a whole day:
    // from 1 January 2018, the records of 2018 and of January 2018 were left out.
    let (_tmp, _dir, mut v) = new_vault();
    let mut id = |day: &str| incident(&mut v, json!({"title": "t", "occurred_on": day, "province": "sindh"}));
    let (year, january, march, march_5, before) =
        (id("2018"), id("2018-01"), id("2018-03"), id("2018-03-05"), id("2017-12-31"));
    let range =
        |from: &str, to: &str| Filters { date_from: Some(from.into()), date_to: Some(to.into()), ..Filters::default() };
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    let all_2018 = sorted(vec![year.clone(), january.clone(), march.clone(), march_5.clone()]);
    for (from, to) in [("2018-01-01", "2018-12-31"), ("2018-01", "2018-12"), ("2018", "2018")] {
        for filters in [range(from, to), range(from, to).with(Facet::Province, &["sindh"])] {
            assert_eq!(sorted(ids_within(&v, "", &filters)), all_2018, "{from}..{to}");
            assert_eq!(v.count_matching(Kind::Incident, "", &filters).expect("count"), 4, "{from}..{to}");
        }
    }
    // From the first of March: March and its days, not a record of 2018 alone (it may be of
    // January), nor January's.
    let from_march = sorted(ids_within(&v, "", &range("2018-03-01", "2018-12-31")));
    assert_eq!(from_march, sorted(vec![march, march_5]));
    assert!(!ids_within(&v, "", &range("2018-01-01", "2018-12-31")).contains(&before));
}

#[test]
fn snippets_mark_the_matched_words_and_never_show_a_name() {
    let (_tmp, _dir, mut v) = new_vault();
    let long = "one two three four five six seven eight nine ten eleven twelve quetta thirteen fourteen \
                fifteen sixteen seventeen eighteen nineteen twenty twentyone";
    incident(&mut v, json!({"title": "T", "description": long}));
    let groups = v.search("quetta", &Filters::default(), 10).expect("search");
    let hit = &groups[0].hits[0];
    let marked: Vec<&str> = hit.snippet.iter().filter(|s| s.highlighted).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, ["quetta"]);
    let text: String = hit.snippet.iter().map(|s| s.text.as_str()).collect();
    assert!(text.starts_with("… five") && text.ends_with("twenty …"), "{text}");
    let person = v.add(Kind::Person, obj(json!({"name": "Zarmeena Secretname"}))).expect("person").id;
    let groups = v.search("secretname", &Filters::default(), 10).expect("search");
    assert_eq!(groups[0].hits[0].id, person, "a name is searchable");
    assert!(groups[0].hits[0].snippet.is_empty() && groups[0].hits[0].title.is_empty(), "but never shown");
    let anonymous =
        v.add(Kind::Person, obj(json!({"name": "Hiddenname", "anonymous": true, "pseudonym": "P"}))).expect("p").id;
    assert!(!ids(&v, "hiddenname").contains(&anonymous), "an anonymous person's name is not indexed");
}

#[test]
fn results_are_grouped_by_kind_with_evidence_by_file_name_and_notes() {
    let (_tmp, _dir, mut v) = new_vault();
    let inc = incident(&mut v, json!({"title": "Lahore march"}));
    let case = v.add(Kind::Case, obj(json!({"title": "Lahore case"}))).expect("case").id;
    let meta = EvidenceMeta {
        original_name: Some("lahore-video.mp4".into()),
        notes: Some("filmed from the roof".into()),
        ..Default::default()
    };
    let item = v.add_evidence(&inc, Cursor::new(b"video".to_vec()), meta).expect("evidence");
    let groups: Vec<(String, Vec<String>)> = v
        .search("lahore", &Filters::default(), 10)
        .expect("search")
        .into_iter()
        .map(|g: HitGroup| (g.kind, g.hits.into_iter().map(|h| h.id).collect()))
        .collect();
    assert_eq!(
        groups,
        [
            ("incident".into(), vec![inc.clone()]),
            ("case".into(), vec![case]),
            ("evidence".into(), vec![item.id.clone()])
        ]
    );
    assert_eq!(ids(&v, "roof"), vec![item.id.clone()]);
    v.delete_evidence(&item.id).expect("delete evidence");
    assert!(ids(&v, "roof").is_empty(), "a deleted item leaves the index");
}

#[test]
fn facets_combine_with_text() {
    let (_tmp, _dir, mut v) = new_vault();
    let sindh_raid = incident(&mut v, json!({"title": "raid", "province": "sindh", "occurred_on": "2024-03-05"}));
    let punjab_raid = incident(&mut v, json!({"title": "raid", "province": "punjab", "occurred_on": "2025-01-10"}));
    incident(&mut v, json!({"title": "march", "province": "sindh"}));
    let in_sindh = Filters::default().with(Facet::Province, &["sindh"]);
    assert_eq!(ids_within(&v, "raid", &in_sindh), vec![sindh_raid.clone()]);
    let in_2024 = Filters { date_from: Some("2024".into()), date_to: Some("2024-12".into()), ..Filters::default() };
    assert_eq!(ids_within(&v, "raid", &in_2024), vec![sindh_raid.clone()]);
    assert_eq!(ids_within(&v, "", &Filters::default().with(Facet::Province, &["punjab"])), vec![punjab_raid.clone()]);
    // Linked records and evidence.
    let person = v.add(Kind::Person, obj(json!({"pseudonym": "P"}))).expect("p").id;
    v.link(&punjab_raid, &person, "victim").expect("link");
    let linked = Filters { linked_to: Some(person), ..Filters::default() };
    assert_eq!(ids_within(&v, "raid", &linked), vec![punjab_raid.clone()]);
    v.add_evidence(&sindh_raid, Cursor::new(b"x".to_vec()), EvidenceMeta::default()).expect("evidence");
    let with_evidence = Filters { has_evidence: Some(true), ..Filters::default() }.with(Facet::Kind, &["incident"]);
    assert_eq!(ids_within(&v, "raid", &with_evidence), [sindh_raid]);
    // Counts: the province facet ignores its own filter; the others follow it.
    let counts = v.facet_counts("raid", &in_sindh).expect("counts");
    let province: Vec<(String, u64)> =
        counts.iter().filter(|c| c.facet == Facet::Province).map(|c| (c.value.clone(), c.count)).collect();
    assert_eq!(province, [("punjab".to_owned(), 1), ("sindh".to_owned(), 1)]);
    let sindh = counts.iter().find(|c| c.value == "sindh").expect("sindh");
    assert_eq!((sindh.en.as_deref(), sindh.ur.as_deref()), (Some("Sindh"), Some("سندھ")));
    let kinds: Vec<(String, u64)> =
        counts.iter().filter(|c| c.facet == Facet::Kind).map(|c| (c.value.clone(), c.count)).collect();
    assert_eq!(kinds, [("incident".to_owned(), 1)]);
}

/// A search shows records holding the last word whole first when they fill the page (the
/// words it begins are then not gathered, which took most of a search's time); with fewer, every
/// record the word begins a word of, in the order indexed. The list screens page through every
/// match in that order.
#[test]
fn a_whole_last_word_fills_the_page_first_and_a_prefix_finds_the_rest() {
    let (_tmp, _dir, mut v) = new_vault();
    let begun = incident(&mut v, json!({"title": "raiders came"}));
    let whole: Vec<String> = (0..3).map(|i| incident(&mut v, json!({"title": format!("raid {i}")}))).collect();
    // Three whole matches fill a page of two: the record the word only begins is not shown.
    let page = v.search("raid", &Filters::default(), 2).expect("search");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>(), whole[..2]);
    assert!(page[0].more);
    // A page they do not fill has every match, in the order indexed.
    let mut all = vec![begun.clone()];
    all.extend(whole.iter().cloned());
    assert_eq!(ids(&v, "raid"), all);
    assert_eq!(ids(&v, "raide"), std::slice::from_ref(&begun));
    // The list pages through every match, newest indexed last, with the prefix.
    let listed: Vec<String> = v
        .list_matching(Kind::Incident, "raid", &Filters::default(), None, 10)
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, all);
}

/// The last word is looked up in the index's list of words and asked for by the words it
/// begins: every path of that (a few words, more than a search names, none, the word alone, Urdu,
/// a word of another script) must find what the prefix query finds.
#[test]
fn a_last_word_finds_every_word_it_begins_however_many() {
    let (_tmp, _dir, mut v) = new_vault();
    let few: Vec<String> = ["campaign", "camped", "camp"]
        .iter()
        .map(|w| incident(&mut v, json!({"title": format!("smear {w}")})))
        .collect();
    // Twenty words beginning `zulu`: more than a search names one by one.
    let many: Vec<String> =
        (0..20u8).map(|i| incident(&mut v, json!({"title": format!("zulu{} story", char::from(b'a' + i))}))).collect();
    let urdu = incident(&mut v, json!({"title": "پولیس اسٹیشن", "description": "پولیسی"}));
    let greek = incident(&mut v, json!({"title": "αλφάβητο"}));
    assert_eq!(ids(&v, "smear cam"), few, "a few words begun, with an earlier word whole");
    assert_eq!(ids(&v, "camp"), few, "the whole word and the words it begins");
    assert_eq!(ids(&v, "zulu"), many, "more words than are named: the prefix query");
    assert_eq!(ids(&v, "zulub"), many[1..2], "one of them");
    assert!(ids(&v, "zuluzz").is_empty(), "a prefix no word has");
    assert!(ids(&v, "smear zulu").is_empty(), "every word must match");
    assert_eq!(ids(&v, "پولی"), std::slice::from_ref(&urdu), "an Urdu prefix");
    assert_eq!(ids(&v, "اسٹیشن"), [urdu], "an Urdu word only itself begins");
    assert_eq!(ids(&v, "αλφ"), [greek], "another script goes by the prefix query");
    let listed: Vec<String> = v
        .list_matching(Kind::Incident, "smear cam", &Filters::default(), None, 10)
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, few, "the list filter takes the same words");
    assert!(v.list_matching(Kind::Incident, "zuluzz", &Filters::default(), None, 10).expect("list").is_empty());
}

/// A list filtered by one facet value walks that value's records only, newest first, page after
/// page, with the other filters holding.
#[test]
fn a_faceted_list_pages_through_a_rare_value_newest_first() {
    let (_tmp, _dir, mut v) = new_vault();
    let mut rare = Vec::new();
    for i in 0..30 {
        let province = if i % 10 == 0 { "islamabad" } else { "punjab" };
        let day = if i < 15 { "2019-05-01" } else { "2024-05-01" };
        let id = incident(&mut v, json!({"title": format!("n{i}"), "province": province, "occurred_on": day}));
        if province == "islamabad" {
            rare.push(id);
        }
    }
    rare.reverse();
    let f = Filters::default().with(Facet::Province, &["islamabad"]);
    let page = |after: Option<&str>, f: &Filters| -> Vec<String> {
        v.list_matching(Kind::Incident, "", f, after, 2).expect("list").into_iter().map(|r| r.id).collect()
    };
    assert_eq!(page(None, &f), rare[..2]);
    assert_eq!(page(Some(&rare[1]), &f), rare[2..]);
    let dated = Filters { date_from: Some("2018".into()), date_to: Some("2022".into()), ..f.clone() };
    assert_eq!(page(None, &dated), rare[1..]);
    let none = Filters::default().with(Facet::Province, &["sindh"]);
    assert!(page(None, &none).is_empty());
    assert_eq!(v.count_matching(Kind::Incident, "", &f).expect("count"), 3);
}

#[test]
fn fail_hostile_queries_and_filters_are_refused_or_harmless() {
    let (_tmp, _dir, mut v) = new_vault();
    incident(&mut v, json!({"title": "near and or not"}));
    for q in ["\"", "\"\"\"", "*", "near(", "NEAR(a b)", "a AND", "OR", "-x", "^x", "a:b", "(", "x\u{0}y", "\u{1b}[31m"]
    {
        // Never an FTS5 syntax error: a result, or a clear refusal.
        match v.search(q, &Filters::default(), 10) {
            Ok(_) | Err(Error::Invalid(_)) => {}
            Err(e) => panic!("{q:?}: {e}"),
        }
    }
    assert_eq!(ids(&v, "NEAR and OR not").len(), 1, "operators are words");
    let long = "a".repeat(100_000);
    match v.search(&long, &Filters::default(), 10) {
        Err(Error::Invalid(i)) => assert_eq!((i.field.as_deref(), i.reason), (Some("query"), Reason::TooLong)),
        other => panic!("{other:?}"),
    }
    match v.search("  ", &Filters::default(), 10) {
        Err(Error::Invalid(i)) => assert_eq!(i.reason, Reason::Required),
        other => panic!("{other:?}"),
    }
    // A bound that is no day at all, or whose month or day is out of range, is refused by every
    // reader of filters, never taken as no bound.
    for bad in
        ["yesterday", "2024-13", "2024-00", "2024-02-32", "2024-01-00", "2024-1-05", "24", "2024-01-05T10:00:00Z"]
    {
        for (from, to) in [(Some(bad), None), (None, Some(bad))] {
            let filters =
                Filters { date_from: from.map(str::to_owned), date_to: to.map(str::to_owned), ..Filters::default() };
            let refused = |r: Result<(), Error>| match r {
                Err(Error::Invalid(i)) => assert_eq!(i.reason, Reason::NotAPartialDate, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            };
            refused(v.search("x", &filters, 10).map(drop));
            refused(v.list_rows_matching(Kind::Incident, "", &filters, None, 10).map(drop));
            refused(v.count_matching(Kind::Incident, "", &filters).map(drop));
            refused(v.stats(Facet::Province, &filters).map(drop));
            refused(v.facet_counts("", &filters).map(drop));
        }
    }
    let huge = Filters::default().with(Facet::Province, &vec!["p"; 1_000]);
    assert!(matches!(v.search("x", &huge, 10), Err(Error::Invalid(_))));
}

#[test]
fn the_index_follows_updates_deletes_and_outcomes() {
    let (_tmp, _dir, mut v) = new_vault();
    let id = incident(&mut v, json!({"title": "original wording"}));
    v.update(&id, obj(json!({"title": "changed wording", "province": "punjab"}))).expect("update");
    assert!(ids(&v, "original").is_empty());
    assert_eq!(ids(&v, "changed"), vec![id.clone()]);
    assert_eq!(ids(&v, "پنجاب"), vec![id.clone()], "a vocabulary value set by an update");
    v.delete(&id).expect("delete");
    assert!(ids(&v, "changed").is_empty());
    assert!(v.facet_counts("", &Filters::default()).expect("counts").is_empty(), "no facet left");
    // A hearing's outcome, recorded through the courts' path, and its next hearing.
    let case = v.add(Kind::Case, obj(json!({"title": "C"}))).expect("case").id;
    let hearing =
        v.add(Kind::Hearing, obj(json!({"case_id": case, "date": "2024-01-10", "purpose": "arguments"}))).expect("h");
    v.record_hearing_outcome(
        &hearing.id,
        gawahi_core::model::HearingStatus::Adjourned,
        Some("prosecutor absent"),
        Some("2024-02-01"),
    )
    .expect("outcome");
    assert_eq!(ids(&v, "prosecutor"), [hearing.id]);
    // Batches (the generator's path).
    let added = v.add_batch([(Kind::Incident, obj(json!({"title": "batched"})))]).expect("batch");
    assert_eq!(ids(&v, "batched"), added);
}

#[test]
fn the_index_follows_imports_and_bundle_imports() {
    let (tmp, _dir, mut v) = new_vault();
    let lines = "{\"kind\": \"incident\", \"title\": \"imported raid\"}\n";
    v.import_jsonl(Cursor::new(lines)).expect("import");
    assert_eq!(ids(&v, "imported").len(), 1);
    // A bundle brings its records and evidence into another vault's index.
    let f = populate(&mut v, 10);
    let (_tmp_b, _dir_b, mut b) = new_vault();
    let to = to_vault(&b.identity().expect("id").age_recipient);
    let out = tmp.path().join("case.gawahi");
    v.export_bundle(&case_request(&f.case, to), &out, &mut |_: Progress| ControlFlow::Continue(())).expect("export");
    let case_title = v.get(&f.case).expect("case").data.label();
    let word = case_title.split_whitespace().nth(2).expect("a word").to_owned();
    b.import_bundle(&out, None, None, &mut |_: Progress| ControlFlow::Continue(())).expect("import");
    assert_eq!(ids(&b, &word), vec![f.case.clone()], "{word}");
    assert!(!ids(&b, "FIR 112.pdf").is_empty(), "the case's evidence, by file name");
}

#[test]
fn every_kind_is_indexed_and_the_index_is_built_for_an_existing_vault() {
    let (_tmp, dir, mut v) = new_vault();
    crate::support::add_every_kind(&mut v);
    let before = v.search("a", &Filters::default(), 100).expect("search");
    // An index dropped behind the vault's back (as a vault made before the index had none) is
    // built again at the next unlock, when the migration runs.
    v.tamper_for_tests(
        "DROP TABLE search_fts; DROP TABLE search_docs; DROP TABLE search_facets; DROP TABLE search_facet_counts;
         DROP TABLE saved_searches; DROP TABLE search_rows;
         DELETE FROM schema_migrations WHERE key LIKE 'search/%';",
    )
    .expect("drop");
    drop(v);
    let v = Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    assert_eq!(v.search("a", &Filters::default(), 100).expect("search"), before);
    assert!(v.check().expect("check").is_ok());
    let kinds: Vec<String> = before.iter().map(|g| g.kind.clone()).collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
}

#[test]
fn the_committed_fixture_vaults_are_searchable_after_their_migration() {
    for name in ["v1", "v2"] {
        let src = crate::support::data_dir().join("vaults").join(name);
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        std::fs::create_dir(&dir).expect("mkdir");
        for e in std::fs::read_dir(src.join("vault")).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, dir.join(p.file_name().expect("name"))).expect("copy");
            }
        }
        let pass = std::fs::read_to_string(src.join("passphrase.txt")).expect("pass");
        let v = Vault::unlock(&dir, &crate::support::pass(pass.lines().next().expect("line"))).expect("unlock");
        let found = ids(&v, "لیپٹاپ");
        assert_eq!(found.len(), 1, "{name}: the incident's Urdu description, without its ZWNJ");
        assert_eq!(ids(&v, "Karachi South").len(), 1, "{name}: its district's label");
    }
}

#[test]
fn a_deleted_word_leaves_the_index_and_every_table_of_the_database() {
    // The canary is a word no label or other text shares a first letter with, so the FTS5
    // index (which stores a term after the prefix it shares with the one before) would hold it
    // whole: the check before the delete proves the scan finds it there.
    const CANARY: &str = "xqzvjcanary";
    let (tmp, _dir, mut v) = new_vault();
    let id = incident(&mut v, json!({"title": "kept", "description": format!("the word {CANARY} here")}));
    incident(&mut v, json!({"title": "another record so the index is not emptied"}));
    let plaintext_holds = |v: &Vault, name: &str| -> bool {
        // `sqlcipher_export` copies every table of the decrypted database (FTS5's shadow tables
        // and their segment blobs included) into a plaintext file: a scan of its bytes sees
        // everything a query could. Free pages and the log are not copied: the scans of an
        // unencrypted database below read those.
        let plain = tmp.path().join(name);
        // The connection may not create files (as for a key rotation's copy, the file is made
        // first, empty).
        std::fs::write(&plain, b"").expect("create");
        let path = plain.to_str().expect("utf-8").replace('\'', "''");
        v.tamper_for_tests(&format!(
            "ATTACH DATABASE '{path}' AS plain KEY ''; SELECT sqlcipher_export('plain'); DETACH DATABASE plain;"
        ))
        .expect("export");
        let bytes = std::fs::read(&plain).expect("read");
        bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes())
    };
    assert!(plaintext_holds(&v, "before.db"), "the scan finds the word while it is there");
    v.delete(&id).expect("delete");
    v.tamper_for_tests("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    assert!(ids(&v, CANARY).is_empty());
    assert!(!plaintext_holds(&v, "after.db"), "the deleted word is in no table of the database");
}

/// A vault of the same schema and code paths whose database is not encrypted (the benchmarks'
/// baseline), so a scan of its raw bytes sees what the encrypted file hides: every page, the free
/// ones included, and the write-ahead log.
fn unencrypted_vault() -> (tempfile::TempDir, std::path::PathBuf, Vault) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    let v = Vault::create_unencrypted_baseline(&dir).expect("baseline vault");
    // The baseline leaves out the evidence folder, which `Vault::create` makes.
    std::fs::create_dir(dir.join("blobs")).expect("blobs");
    (tmp, dir, v)
}

/// Every file of the vault's folder (`vault.db`, `-wal`, `-shm`, blobs) holding one of `words`
/// in UTF-8, as typed or as the index folds it.
fn raw_files_holding(dir: &std::path::Path, words: &[&str]) -> Vec<String> {
    let needles: Vec<(String, Vec<u8>)> = words
        .iter()
        .flat_map(|w| [w.to_string(), gawahi_core::search::normalise::normalise(w)])
        .map(|w| (format!("{w:?}"), w.into_bytes()))
        .collect();
    crate::support::files_holding(dir, &needles)
}

/// How many pages of the unencrypted database file are on its free list (the file header's
/// big-endian count at offset 36): the scans below must cover free pages, so they check there
/// are some.
fn free_pages(dir: &std::path::Path) -> u32 {
    let bytes = std::fs::read(dir.join("vault.db")).expect("read the database");
    u32::from_be_bytes(bytes[36..40].try_into().expect("four bytes"))
}

/// Text long enough to need overflow pages of its own (16 KiB pages), which a delete frees, and
/// made of words no label shares.
fn filler() -> String {
    "lorem ipsum dolor ".repeat(2_500)
}

#[test]
fn a_deleted_record_leaves_no_byte_of_its_words_in_the_database_file_its_free_pages_or_its_log() {
    // Words no label or other text shares a first letter with, so the FTS5 index (which stores
    // a term after the prefix it shares with the one before) holds each whole; the Urdu one
    // carries a zer, so its folded form (as the index keeps it) differs from the typed one.
    const ENGLISH: &str = "xqzvjcanary";
    const URDU: &str = "ظژغِثچ";
    let (_tmp, dir, mut v) = unencrypted_vault();
    let text = format!("{ENGLISH} {URDU} {} {ENGLISH}", filler());
    let id = incident(&mut v, json!({"title": format!("{ENGLISH} raid"), "description": text}));
    incident(&mut v, json!({"title": "another record so the index is not emptied"}));
    let in_log = raw_files_holding(&dir, &[ENGLISH, URDU]);
    assert!(in_log.iter().any(|f| f.contains("vault.db-wal")), "the scan finds the words in the log: {in_log:?}");
    v.tamper_for_tests("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    let in_file = raw_files_holding(&dir, &[ENGLISH, URDU]);
    let folded_urdu = gawahi_core::search::normalise::normalise(URDU);
    assert_ne!(folded_urdu, URDU, "the Urdu word is kept in two forms");
    for word in [ENGLISH, URDU, &folded_urdu] {
        let needle = format!("vault.db contains the canary as {word:?}");
        assert!(in_file.iter().any(|f| f.ends_with(&needle)), "the scan finds {word:?} in the file: {in_file:?}");
    }
    assert_eq!(ids(&v, URDU), std::slice::from_ref(&id));

    v.delete(&id).expect("delete");
    // The vault is still open: its log is where a crash or a seizure would find it.
    assert_eq!(raw_files_holding(&dir, &[ENGLISH, URDU]), Vec::<String>::new(), "right after the delete");
    assert!(ids(&v, ENGLISH).is_empty() && ids(&v, URDU).is_empty());
    assert!(free_pages(&dir) > 0, "the record's overflow pages were freed, and the scan read them");
    drop(v);
    assert_eq!(raw_files_holding(&dir, &[ENGLISH, URDU]), Vec::<String>::new(), "after the vault is closed");
}

#[test]
fn a_deleted_evidence_item_leaves_no_byte_of_its_file_name_or_notes_in_the_database_file() {
    const NAME: &str = "xqzvjname-of-the-file.jpg";
    const NOTES: &str = "wkpybnotes";
    let (_tmp, dir, mut v) = unencrypted_vault();
    let inc = incident(&mut v, json!({"title": "raid"}));
    let meta = EvidenceMeta {
        original_name: Some(NAME.into()),
        notes: Some(format!("{NOTES} {}", filler())),
        ..Default::default()
    };
    let item = v.add_evidence(&inc, Cursor::new(b"photo".to_vec()), meta).expect("evidence");
    v.tamper_for_tests("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    let before = raw_files_holding(&dir, &[NAME, NOTES]);
    assert!(
        before.iter().any(|f| f.contains("vault.db contains") && f.contains("xqzvjname"))
            && before.iter().any(|f| f.contains("vault.db contains") && f.contains(NOTES)),
        "the scan finds the name and the notes while the item is there: {before:?}"
    );
    assert_eq!(ids(&v, "xqzvjname"), std::slice::from_ref(&item.id));
    assert_eq!(ids(&v, NOTES), std::slice::from_ref(&item.id));

    v.delete_evidence(&item.id).expect("delete");
    assert_eq!(raw_files_holding(&dir, &[NAME, NOTES]), Vec::<String>::new(), "right after the delete");
    assert!(ids(&v, "xqzvjname").is_empty() && ids(&v, NOTES).is_empty());
    assert!(free_pages(&dir) > 0, "the notes' overflow pages were freed, and the scan read them");
    assert_eq!(ids(&v, "raid"), [inc], "the record keeps its own entry");
}

#[test]
fn an_edit_leaves_no_byte_of_the_replaced_words_in_the_database_file_or_its_log() {
    const OLD: &str = "xqzvjbefore";
    const NEW: &str = "wkpybafter";
    let (_tmp, dir, mut v) = unencrypted_vault();
    let id = incident(&mut v, json!({"title": format!("{OLD} raid"), "description": format!("{OLD} {}", filler())}));
    v.tamper_for_tests("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    assert!(
        raw_files_holding(&dir, &[OLD]).iter().any(|f| f.contains("vault.db contains")),
        "the scan finds the old word before the edit"
    );
    v.update(&id, obj(json!({"title": format!("{NEW} raid"), "description": "short now"}))).expect("update");
    assert_eq!(raw_files_holding(&dir, &[OLD]), Vec::<String>::new(), "the replaced word, right after the edit");
    assert!(!raw_files_holding(&dir, &[NEW]).is_empty(), "the same scan finds the new word");
    assert!(ids(&v, OLD).is_empty());
    assert_eq!(ids(&v, NEW), [id]);
    assert!(free_pages(&dir) > 0, "the old description's overflow pages were freed, and the scan read them");
}

#[test]
fn a_delete_while_another_program_reads_succeeds_and_the_log_is_cleared_when_the_vault_closes() {
    const CANARY: &str = "xqzvjreader";
    let (_tmp, dir, mut v) = unencrypted_vault();
    let id = incident(&mut v, json!({"title": "raid", "description": format!("{CANARY} {}", filler())}));
    v.tamper_for_tests("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    // Another program in the middle of reading the vault: its snapshot keeps the pages as they
    // were, so the checkpoint after the delete cannot replace them yet, and must not wait for it.
    let reader = rusqlite::Connection::open(dir.join("vault.db")).expect("reader");
    reader.execute_batch("BEGIN;").expect("begin");
    let before: i64 = reader.query_row("SELECT count(*) FROM records", [], |r| r.get(0)).expect("read");
    v.delete(&id).expect("the delete is committed while another program reads");
    assert!(ids(&v, CANARY).is_empty());
    let seen: i64 = reader.query_row("SELECT count(*) FROM records", [], |r| r.get(0)).expect("read");
    assert_eq!(seen, before, "the reader still sees its snapshot");
    assert!(!raw_files_holding(&dir, &[CANARY]).is_empty(), "the snapshot's pages are still on disk while it is read");
    reader.execute_batch("COMMIT;").expect("end the read");
    drop(reader);
    drop(v);
    assert_eq!(raw_files_holding(&dir, &[CANARY]), Vec::<String>::new(), "after the vault is closed");
}

#[test]
fn statistics_count_by_facet_with_labels() {
    let (_tmp, _dir, mut v) = new_vault();
    for (p, month) in [("sindh", "2024-03-01"), ("sindh", "2024-03-09"), ("punjab", "2024-04-02")] {
        incident(
            &mut v,
            json!({"title": "x", "province": p, "occurred_on": month, "perpetrator_types": ["state.police"]}),
        );
    }
    v.add(
        Kind::Case,
        obj(json!({"title": "abroad", "case_kind": "detained_abroad",
            "detention_abroad": {"country": "sa", "legal_status": "death_row", "charge": "drug  trafficking"}})),
    )
    .expect("case");
    let by = |f: Facet| -> Vec<(String, u64)> {
        v.stats(f, &Filters::default()).expect("stats").into_iter().map(|c| (c.value, c.count)).collect()
    };
    assert_eq!(by(Facet::Province), [("sindh".to_owned(), 2), ("punjab".to_owned(), 1)]);
    assert_eq!(by(Facet::Month), [("2024-03".to_owned(), 2), ("2024-04".to_owned(), 1)]);
    assert_eq!(by(Facet::PerpetratorType), [("state.police".to_owned(), 3)]);
    assert_eq!(by(Facet::Country), [("sa".to_owned(), 1)]);
    assert_eq!(by(Facet::LegalStatus), [("death_row".to_owned(), 1)]);
    assert_eq!(by(Facet::Offence), [("drug trafficking".to_owned(), 1)]);
    let in_sindh = Filters::default().with(Facet::Province, &["sindh"]);
    let months: Vec<(String, u64)> =
        v.stats(Facet::Month, &in_sindh).expect("stats").into_iter().map(|c| (c.value, c.count)).collect();
    assert_eq!(months, [("2024-03".to_owned(), 2)]);
}

/// `stats --by province --province sindh` counts Sindh alone: a statistic keeps a filter on the
/// field it counts (the search screen's facet list, which shows a facet's alternatives, does not).
#[test]
fn fail_statistics_keep_a_filter_on_the_field_they_count() {
    let (_tmp, _dir, mut v) = new_vault();
    for (p, day) in [("sindh", "2024-03-01"), ("sindh", "2024-04-09"), ("punjab", "2024-04-02")] {
        incident(&mut v, json!({"title": "x", "province": p, "occurred_on": day}));
    }
    let counted = |by: Facet, filters: &Filters| -> Vec<(String, u64)> {
        v.stats(by, filters).expect("stats").into_iter().map(|c| (c.value, c.count)).collect()
    };
    let in_sindh = Filters::default().with(Facet::Province, &["sindh"]);
    assert_eq!(counted(Facet::Province, &in_sindh), [("sindh".to_owned(), 2)]);
    let april = Filters::default().with(Facet::Month, &["2024-04"]);
    assert_eq!(counted(Facet::Month, &april), [("2024-04".to_owned(), 2)]);
    let two = Filters::default().with(Facet::Province, &["sindh", "punjab"]).with(Facet::Month, &["2024-04"]);
    assert_eq!(counted(Facet::Province, &two), [("punjab".to_owned(), 1), ("sindh".to_owned(), 1)]);
    // The facet list beside a search still shows the alternatives of a ticked facet.
    let listed: Vec<(String, u64)> = v
        .facet_counts("", &in_sindh)
        .expect("facets")
        .into_iter()
        .filter(|c| c.facet == Facet::Province)
        .map(|c| (c.value, c.count))
        .collect();
    assert_eq!(listed, [("sindh".to_owned(), 2), ("punjab".to_owned(), 1)]);
}

#[test]
fn saved_searches_round_trip_and_bad_names_are_refused() {
    let (_tmp, dir, mut v) = new_vault();
    let saved = SavedSearch {
        name: "PECA in Punjab — پنجاب".into(),
        query: "dignity".into(),
        filters: Filters::default().with(Facet::Province, &["punjab"]),
    };
    v.save_search(&saved).expect("save");
    v.save_search(&saved).expect("saving again replaces");
    drop(v);
    let mut v = Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    assert_eq!(v.saved_searches().expect("list"), vec![saved.clone()]);
    assert_eq!(v.saved_search(&saved.name).expect("get"), saved);
    for bad in ["", "  ", "a\nb", &"n".repeat(101)] {
        let s = SavedSearch { name: bad.to_owned(), ..saved.clone() };
        assert!(matches!(v.save_search(&s), Err(Error::Invalid(_))), "{bad:?}");
    }
    v.delete_saved_search(&saved.name).expect("delete");
    assert!(matches!(v.saved_search(&saved.name), Err(Error::Invalid(_))));
}

#[test]
fn fail_a_record_whose_index_entry_was_removed_behind_the_vaults_back_fails_the_check() {
    let (_tmp, _dir, mut v) = new_vault();
    incident(&mut v, json!({"title": "indexed"}));
    assert!(v.check().expect("check").is_ok());
    v.tamper_for_tests("DELETE FROM search_docs;").expect("tamper");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("search index")), "{report:?}");
}

#[test]
fn changed_vocabulary_labels_are_indexed_again_at_unlock() {
    let (_tmp, dir, mut v) = new_vault();
    let id = incident(&mut v, json!({"title": "x", "province": "sindh"}));
    // A vault made by a build whose label was another: this build's label is put back at the
    // next unlock, and the index follows.
    v.tamper_for_tests("UPDATE vocab SET en = 'Oldlabel' WHERE vocab = 'provinces' AND code = 'sindh';")
        .expect("tamper");
    v.tamper_for_tests("DELETE FROM search_fts; DELETE FROM search_docs; DELETE FROM search_facets;").expect("t");
    drop(v);
    let v = Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    assert_eq!(ids(&v, "Sindh"), vec![id]);
    assert!(ids(&v, "Oldlabel").is_empty());
}

/// Fails (an integer overflow) unless FTS5 merges as it goes, at its default of four segments
/// (set, or never set).
const MERGING_IS_ON: &str = "SELECT CASE WHEN coalesce((SELECT v FROM search_fts_config WHERE k = 'automerge'), 4) = 4
     THEN 1 ELSE abs(-9223372036854775808) END;";

#[test]
fn a_batch_is_indexed_whole_and_leaves_merging_on() {
    let (_tmp, _dir, mut v) = new_vault();
    // Enough documents for FTS5 to flush and merge segments inside the batch.
    let batch: Vec<_> = (0..3_000)
        .map(|i| (Kind::Incident, obj(json!({"title": format!("batched raid {i}"), "description": "zqbatchword"}))))
        .collect();
    let added = v.add_batch(batch).expect("batch");
    assert_eq!(added.len(), 3_000);
    v.tamper_for_tests(MERGING_IS_ON).expect("a batch turns merging back on");
    let found = v.count_matching(Kind::Incident, "zqbatchword", &Filters::default()).expect("count");
    assert_eq!(found, 3_000);
    // A single add after the batch is indexed and found too.
    let one = incident(&mut v, json!({"title": "after the batch zqbatchword"}));
    assert!(ids(&v, "after the batch").contains(&one));
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_a_batch_that_fails_leaves_no_index_entry_and_merging_on() {
    let (_tmp, _dir, mut v) = new_vault();
    let mut batch: Vec<_> = (0..500).map(|_| (Kind::Incident, obj(json!({"title": "doomed zqdoomedword"})))).collect();
    // The last record is refused (a field of the wrong type), so the whole batch is rolled back.
    batch.push((Kind::Incident, obj(json!({"title": 12}))));
    assert!(v.add_batch(batch).is_err());
    v.tamper_for_tests(MERGING_IS_ON).expect("the rolled-back batch leaves merging on");
    assert!(ids(&v, "zqdoomedword").is_empty());
    assert_eq!(v.count_matching(Kind::Incident, "doomed", &Filters::default()).expect("count"), 0);
}

#[test]
fn a_saved_search_narrowed_to_a_record_goes_when_the_record_is_deleted() {
    let (_tmp, dir, mut v) = new_vault();
    let person = v.add(Kind::Person, obj(json!({"name": "Zqsavedname"}))).expect("person").id;
    let other = v.add(Kind::Person, obj(json!({"pseudonym": "Bulbul"}))).expect("person").id;
    let about = |name: &str, linked: &str| SavedSearch {
        name: name.to_owned(),
        query: String::new(),
        filters: Filters { linked_to: Some(linked.to_owned()), ..Filters::default() },
    };
    v.save_search(&about("Everything on Zqsavedname", &person)).expect("save");
    let mixed: String =
        person.chars().enumerate().map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect();
    v.save_search(&about("Everything on Zqsavedname, id in capitals", &mixed)).expect("save");
    // The other spellings of a UUID the filters accept: braced, and without hyphens.
    let braced = format!("{{{person}}}");
    v.save_search(&about("Everything on Zqsavedname, braced", &braced)).expect("save");
    v.save_search(&about("Everything on Zqsavedname, simple", &person.replace('-', ""))).expect("save");
    let listed = v.list_rows_matching(Kind::Person, "", &about("", &braced).filters, None, 10);
    assert!(listed.is_ok(), "a braced id is a filter the vault accepts: {listed:?}");
    v.save_search(&about("Bulbul's", &other)).expect("save");
    let punjab = SavedSearch {
        name: "Punjab".into(),
        query: "raid".into(),
        filters: Filters::default().with(Facet::Province, &["punjab"]),
    };
    v.save_search(&punjab).expect("save");
    v.delete(&person).expect("delete");
    drop(v);
    let v = Vault::unlock(&dir, &crate::support::pass(crate::support::PASSPHRASE)).expect("unlock");
    let names: Vec<String> = v.saved_searches().expect("list").into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Bulbul's", "Punjab"]);
}
