//! The list rows the index keeps beside each record's document (`search::ListRow`), which the
//! window's filtered lists read instead of the records: the same as the row made from the record
//! after every kind of change, carrying only the label and the list columns, never a withheld
//! name, gone with the record, filled by their migration, untouched by a refused write, and
//! checked by `Vault::check`.

use std::io::Cursor;

use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::model::rules::{kind_rules, list_columns};
use gawahi_core::search::{Facet, Filters, ListRow};
use gawahi_core::{Kind, Vault};
use serde_json::{Map, Value, json};

use crate::support::{PASSPHRASE, add_every_kind, new_vault, obj, pass};

/// The rows of `kind` a filtered list reads from the index, and the rows made from the records
/// the same list holds, in the same order.
fn kept_and_made(v: &Vault, kind: Kind, query: &str, filters: &Filters) -> (Vec<ListRow>, Vec<ListRow>) {
    let kept = v.list_rows_matching(kind, query, filters, None, 1000).expect("list rows");
    let made = v.list_matching(kind, query, filters, None, 1000).expect("records").iter().map(ListRow::of).collect();
    (kept, made)
}

/// Every kind's kept rows are the rows of its records, and the vault's check is clean.
fn assert_rows_are_true(v: &Vault, after: &str) {
    for kind in Kind::ALL {
        let (kept, made) = kept_and_made(v, kind, "", &Filters::default());
        assert_eq!(kept, made, "after {after}: {kind}");
        assert_eq!(kept.len() as u64, v.count(kind).expect("count"), "after {after}: every {kind} has its row");
    }
    let report = v.check().expect("check");
    assert!(report.is_ok(), "after {after}: {:?}", report.problems);
}

fn incident(title: &str, district: &str, day: &str) -> Map<String, Value> {
    obj(json!({"title": title, "description": "zqdescription never listed", "province": "sindh",
        "district": district, "occurred_on": day, "occurred_precision": "day",
        "incident_types": ["raid_search"], "perpetrator_types": ["state.police"]}))
}

#[test]
fn list_rows_follow_adds_batches_edits_deletes_evidence_imports_and_an_unlock() {
    let (_tmp, dir, mut v) = new_vault();
    assert_rows_are_true(&v, "creation");
    let ids = add_every_kind(&mut v);
    assert_rows_are_true(&v, "single adds");
    let batch = v
        .add_batch(
            (0..30).map(|i| (Kind::Incident, incident(&format!("raid {i}"), "sindh.karachi_south", "2023-01-02"))),
        )
        .expect("batch");
    assert_rows_are_true(&v, "a batch");

    // An edit of the label and of a listed field, and one of a field no list shows.
    v.update(&batch[1], obj(json!({"title": "renamed raid", "district": "sindh.hyderabad"}))).expect("update");
    v.update(&batch[2], obj(json!({"description": "only the description"}))).expect("update");
    assert_rows_are_true(&v, "edits");
    let renamed = v.list_rows_matching(Kind::Incident, "renamed", &Filters::default(), None, 10).expect("rows");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0].label, "renamed raid");
    assert_eq!(renamed[0].fields.get("district"), Some(&json!("sindh.hyderabad")));

    // Evidence has no row; adding and deleting it leaves the records' rows as they were.
    let item = v.add_evidence(&batch[0], Cursor::new(b"photo".to_vec()), EvidenceMeta::default()).expect("evidence");
    assert_rows_are_true(&v, "evidence added");
    v.delete_evidence(&item.id).expect("delete evidence");
    assert_rows_are_true(&v, "evidence deleted");

    // A task's deadline is kept in its row: the window warns before deleting one.
    let task = ids.iter().find(|(k, _)| *k == Kind::Task).expect("a task").1.clone();
    let rows = v.list_rows_matching(Kind::Task, "", &Filters::default(), None, 10).expect("rows");
    assert_eq!(
        rows.iter().find(|r| r.id == task).map(|r| r.is_deadline),
        Some(v.get(&task).expect("task").data.is_deadline())
    );

    v.delete(&batch[1]).expect("delete");
    let hearing = ids.iter().find(|(k, _)| *k == Kind::Hearing).expect("a hearing").1.clone();
    v.delete(&hearing).expect("delete the hearing");
    assert_rows_are_true(&v, "deletes");
    assert!(v.list_rows_matching(Kind::Incident, "renamed", &Filters::default(), None, 10).expect("rows").is_empty());

    let text = json!({"kind": "incident", "title": "imported", "province": "balochistan",
        "district": "balochistan.quetta", "occurred_on": "2022-11"})
    .to_string();
    v.import_jsonl(Cursor::new(text)).expect("import");
    assert_rows_are_true(&v, "an import");

    let before: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).0).collect();
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let after: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).0).collect();
    assert_eq!(after, before, "the rows are the vault's own");
}

#[test]
fn a_list_row_carries_the_label_and_the_list_columns_only() {
    let (_tmp, _dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.add(Kind::Incident, incident("zqlisted raid", "sindh.karachi_south", "2023-01-02")).expect("incident");
    for kind in Kind::ALL {
        let rules = kind_rules(kind);
        assert_eq!(rules.list_columns, list_columns(kind), "{kind}: the rules the window reads name the same columns");
        for row in v.list_rows_matching(kind, "", &Filters::default(), None, 100).expect("rows") {
            for field in row.fields.keys() {
                let column = list_columns(kind).contains(&field.as_str());
                // A partial date's precision comes with it: the window shows "March 2023".
                let precision = rules.fields.iter().any(|f| {
                    list_columns(kind).contains(&f.name)
                        && matches!(&f.value, gawahi_core::model::rules::ValueRule::PartialDate { precision_field } if precision_field == field)
                });
                assert!(column || precision, "{kind}: {field} is not a list column");
            }
        }
    }
    let rows = v.list_rows_matching(Kind::Incident, "zqlisted", &Filters::default(), None, 10).expect("rows");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.label, "zqlisted raid");
    assert_eq!(row.kind, Kind::Incident);
    assert_eq!(
        row.fields,
        obj(json!({"occurred_on": "2023-01-02", "occurred_precision": "day", "district": "sindh.karachi_south",
            "incident_types": ["raid_search"]}))
    );
}

#[test]
fn a_person_whose_name_is_withheld_has_no_name_in_their_list_row() {
    let (_tmp, dir, mut v) = new_vault();
    let named = v
        .add(Kind::Person, obj(json!({"name": "Zqrealname Khan", "roles": ["defender"], "risk_level": "high"})))
        .expect("person")
        .id;
    let known = v.add(Kind::Person, obj(json!({"pseudonym": "Bulbul", "name": "Zqother Name"}))).expect("person").id;
    let rows = v.list_rows_matching(Kind::Person, "", &Filters::default(), None, 10).expect("rows");
    let row = |id: &str| rows.iter().find(|r| r.id == id).expect("row").clone();
    assert!(row(&named).name_withheld);
    assert_eq!(row(&named).label, "", "a withheld name's row keeps no label");
    assert_eq!(row(&named).fields, obj(json!({"roles": ["defender"], "risk_level": "high"})));
    assert!(!row(&known).name_withheld);
    assert_eq!(row(&known).label, "Bulbul");
    // Nothing of either real name is in the rows the index keeps.
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    for probe in ["Zqrealname", "Zqother"] {
        v.tamper_for_tests(&format!(
            "INSERT INTO search_rows (doc, id, row) SELECT 0, 'x', NULL WHERE EXISTS
                 (SELECT 1 FROM search_rows WHERE instr(row, '{probe}') > 0)"
        ))
        .unwrap_or_else(|e| panic!("{probe} is in a list row: {e}"));
    }
}

#[test]
fn a_filtered_page_of_list_rows_is_the_page_of_records() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add_batch((0..120).map(|i| {
        let district = if i % 3 == 0 { "sindh.hyderabad" } else { "sindh.karachi_south" };
        (Kind::Incident, incident(&format!("zqpage raid {i}"), district, &format!("2023-0{}-01", 1 + i % 9)))
    }))
    .expect("batch");
    let filters =
        Filters { date_from: Some("2023-03".into()), ..Filters::default() }.with(Facet::District, &["sindh.hyderabad"]);
    // One value of one facet, alone or within dates, is read from the facet's rows without
    // `search_docs`; with words, through the full-text index.
    let one_value = Filters::default().with(Facet::District, &["sindh.hyderabad"]);
    for (query, filters) in [("", &one_value), ("", &filters), ("zqpage", &filters), ("raid", &Filters::default())] {
        // Page by page, as the window does, after the last row of the page before.
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let kept = v.list_rows_matching(Kind::Incident, query, filters, after.as_deref(), 7).expect("rows");
            let made: Vec<ListRow> = v
                .list_matching(Kind::Incident, query, filters, after.as_deref(), 7)
                .expect("records")
                .iter()
                .map(ListRow::of)
                .collect();
            assert_eq!(kept, made, "{query:?}, page {pages}");
            pages += 1;
            match kept.last() {
                Some(last) if kept.len() == 7 => after = Some(last.id.clone()),
                _ => break,
            }
        }
        assert!(pages > 1, "{query:?}: more than one page");
    }
}

#[test]
fn fail_a_refused_batch_or_import_leaves_no_list_row() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add(Kind::Incident, incident("kept", "sindh.karachi_south", "2021-01-01")).expect("incident");
    let refused = (0..20)
        .map(|i| (Kind::Incident, incident(&format!("zqrefused {i}"), "sindh.karachi_south", "2021-01-01")))
        .chain([(Kind::Incident, incident("bad", "zqnowhere", "2021-01-01"))]);
    v.add_batch(refused).expect_err("a bad record refuses its batch");
    let text = format!("{}\nnot json\n", json!({"kind": "incident", "title": "zqrefused import"}));
    v.import_jsonl(Cursor::new(text)).expect_err("a bad line refuses the import");
    v.tamper_for_tests(
        "INSERT INTO search_rows (doc, id, row) SELECT 0, 'x', NULL WHERE (SELECT count(*) FROM search_rows) <> 1",
    )
    .expect("only the kept record has a row");
    assert_rows_are_true(&v, "refused writes");
}

#[test]
fn the_migration_fills_the_rows_of_a_vault_from_before_them() {
    let (_tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.add_batch((0..25).map(|i| (Kind::Incident, incident(&format!("old {i}"), "sindh.karachi_south", "2022-02-02"))))
        .expect("batch");
    let expected: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).1).collect();
    // A vault from before the rows: no table, no record of its migration.
    v.tamper_for_tests("DROP TABLE search_rows; DELETE FROM schema_migrations WHERE key = 'search/0006_list_rows';")
        .expect("tamper");
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock migrates");
    let kept: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).0).collect();
    assert_eq!(kept, expected);
    assert_rows_are_true(&v, "the migration");
}

#[test]
fn the_migration_to_compact_rows_remakes_every_row_of_the_old_shape() {
    let (_tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.add_batch((0..25).map(|i| (Kind::Incident, incident(&format!("old {i}"), "sindh.karachi_south", "2022-02-02"))))
        .expect("batch");
    let expected: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).1).collect();
    // A vault whose rows are the keyed objects written before the migration.
    v.tamper_for_tests(
        "UPDATE search_rows SET row = '{\"updated_at\":\"2026-12-03T11:36:01.684Z\",\"label\":\"old\",\"fields\":{}}';
         DELETE FROM schema_migrations WHERE key = 'search/0007_compact_list_rows';",
    )
    .expect("tamper");
    assert!(
        v.list_rows_matching(Kind::Incident, "old", &Filters::default(), None, 10).is_err(),
        "the old shape is not read"
    );
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock migrates");
    let kept: Vec<_> = Kind::ALL.iter().map(|k| kept_and_made(&v, *k, "", &Filters::default()).0).collect();
    assert_eq!(kept, expected);
    assert_rows_are_true(&v, "the migration to compact rows");
}

#[test]
fn fail_a_list_row_changed_behind_the_vaults_back_is_found_by_check() {
    let tampering = [
        // A label changed: the list would show what the record does not say.
        "UPDATE search_rows SET row = replace(row, 'raid 1', 'raid 9') WHERE row LIKE '%raid 1\"%'",
        // A row given another record's id: the list would open the wrong record.
        "UPDATE search_rows SET id = (SELECT max(id) FROM search_rows) WHERE doc = (SELECT min(doc) FROM search_rows)",
        // A row removed: the list would fail to show the record.
        "DELETE FROM search_rows WHERE doc = (SELECT min(doc) FROM search_rows)",
        // A row left behind without its record: a deleted record's text kept.
        "INSERT INTO search_rows (doc, id, row) VALUES (1, 'x', '{}')",
        // A row of another shape (the keyed object of the format before): the list cannot read it.
        "UPDATE search_rows SET row = '{\"label\":\"raid 0\",\"fields\":{}}' WHERE doc = (SELECT min(doc) FROM search_rows)",
    ];
    for sql in tampering {
        let (_tmp, dir, mut v) = new_vault();
        let ids = v
            .add_batch(
                (0..3).map(|i| (Kind::Incident, incident(&format!("raid {i}"), "sindh.karachi_south", "2021-01-01"))),
            )
            .expect("batch");
        assert_rows_are_true(&v, "the batch");
        v.tamper_for_tests(sql).expect("tamper");
        let report = v.check().expect("check");
        assert!(
            report.problems.iter().any(|p| p.contains("list rows of 1 record(s)")
                || p.contains("search index and the records disagree in 1 place")),
            "{sql}: {:?}",
            report.problems
        );
        // The damage is reported, not a panic, a refused delete or a refusal to open.
        v.delete(&ids[2]).unwrap_or_else(|e| panic!("{sql}: the delete goes ahead: {e}"));
        v.lock();
        Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a vault with a wrong row still opens");
    }
}

#[test]
fn fail_a_list_of_rows_refuses_bad_input_with_a_specific_error_and_no_echo() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = v
        .add_batch(
            (0..3).map(|i| (Kind::Incident, incident(&format!("raid {i}"), "sindh.karachi_south", "2021-01-01"))),
        )
        .expect("batch");
    let hostile = "zq\u{202e}\u{0007}";
    let one = |value: &str| Filters::default().with(Facet::District, &[value]);
    // A value too long for any facet, on the one-value path and with a second filter.
    let long = "x".repeat(201);
    for filters in [one(&long), Filters { date_from: Some("2021".into()), ..one(&long) }] {
        match v.list_rows_matching(Kind::Incident, "", &filters, None, 50) {
            Err(gawahi_core::Error::Invalid(i)) => {
                assert_eq!((i.field.as_deref(), i.reason), (Some("district"), gawahi_core::error::Reason::TooLong));
                assert!(!i.to_string().contains("xxxx"), "{i}");
            }
            other => panic!("a value of 201 characters: {other:?}"),
        }
    }
    // A NUL in a value is refused; a value no record has, control and bidi characters included,
    // matches nothing.
    assert!(v.list_rows_matching(Kind::Incident, "", &one("a\0b"), None, 50).is_err());
    assert_eq!(v.list_rows_matching(Kind::Incident, "", &one(hostile), None, 50).expect("rows"), []);
    // A page after a record that does not exist, or after one of another kind.
    match v.list_rows_matching(Kind::Incident, "", &one("sindh.karachi_south"), Some("no-such-record"), 50) {
        Err(gawahi_core::Error::RecordNotFound(_)) => {}
        other => panic!("after an unknown record: {other:?}"),
    }
    let person = v.add(Kind::Person, obj(json!({"pseudonym": "Bulbul"}))).expect("person").id;
    // A person's document lies below every incident's (kinds in their order), so no incident comes
    // after it: an empty page, as the command line's list gives.
    let after_person = v.list_rows_matching(Kind::Incident, "", &one("sindh.karachi_south"), Some(&person), 50);
    assert_eq!(after_person.expect("rows"), []);
    let records = v.list_matching(Kind::Incident, "", &one("sindh.karachi_south"), Some(&person), 50);
    assert!(records.expect("records").is_empty());
    // Limits are clamped: none gives one row, a huge one the page's most.
    assert_eq!(v.list_rows_matching(Kind::Incident, "", &one("sindh.karachi_south"), None, 0).expect("rows").len(), 1);
    let all = v.list_rows_matching(Kind::Incident, "", &one("sindh.karachi_south"), None, usize::MAX).expect("rows");
    assert_eq!(all.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), ids.iter().rev().cloned().collect::<Vec<_>>());
}

#[test]
fn a_list_page_gives_its_rows_the_kinds_total_and_on_a_filtered_first_page_the_matches() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add_batch((0..20).map(|i| {
        let district = if i % 4 == 0 { "sindh.hyderabad" } else { "sindh.karachi_south" };
        (Kind::Incident, incident(&format!("zqlist raid {i}"), district, "2022-05-06"))
    }))
    .expect("batch");
    v.add(Kind::Person, obj(json!({"pseudonym": "Bulbul"}))).expect("person");
    let none = Filters::default();

    // The whole list, page by page: every page has the kind's total and no count of matches; a
    // full page names the row to go on after, the last one nothing.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = v.list_page(Kind::Incident, "", &none, after.as_deref(), 7).expect("page");
        assert_eq!((page.total, page.matched), (20, None));
        seen.extend(page.rows.iter().map(|r| r.id.clone()));
        assert_eq!(page.next_after, (page.rows.len() == 7).then(|| seen.last().cloned()).flatten());
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let unfiltered: Vec<String> =
        v.list(Kind::Incident, None, 1000).expect("list").iter().map(|r| r.id.clone()).collect();
    assert_eq!(seen, unfiltered);

    // A filtered list: its first page counts the matches, later pages do not count again; the
    // rows are those of `list_rows_matching`.
    let hyderabad = Filters::default().with(Facet::District, &["sindh.hyderabad"]);
    let first = v.list_page(Kind::Incident, "", &hyderabad, None, 3).expect("first page");
    assert_eq!((first.total, first.matched, first.rows.len()), (20, Some(5), 3));
    assert_eq!(first.rows, v.list_rows_matching(Kind::Incident, "", &hyderabad, None, 3).expect("rows"));
    let second = v.list_page(Kind::Incident, "", &hyderabad, first.next_after.as_deref(), 3).expect("second");
    assert_eq!((second.matched, second.rows.len(), second.next_after), (None, 2, None));
    let words = v.list_page(Kind::Incident, "zqlist", &none, None, 50).expect("words");
    assert_eq!((words.matched, words.rows.len()), (Some(20), 20));

    // A query of nothing but spaces and punctuation is no query: the plain list, uncounted.
    let blank = v.list_page(Kind::Incident, "  ?! ", &none, None, 50).expect("blank");
    assert_eq!((blank.matched, blank.rows.len()), (None, 20));
    // Limits are clamped: none gives one row, a huge one every row (within the page's most).
    let one = v.list_page(Kind::Incident, "", &hyderabad, None, 0).expect("limit 0");
    assert_eq!((one.rows.len(), one.matched), (1, Some(5)));
    assert!(one.next_after.is_some(), "a page of one, full, goes on");
    assert_eq!(v.list_page(Kind::Incident, "", &none, None, usize::MAX).expect("huge").rows.len(), 20);
    // Bad input is refused as the filtered list refuses it, without echoing it.
    let long = Filters::default().with(Facet::District, &["x".repeat(201).as_str()]);
    match v.list_page(Kind::Incident, "", &long, None, 50) {
        Err(gawahi_core::Error::Invalid(i)) => assert!(!i.to_string().contains("xxxx"), "{i}"),
        other => panic!("a value of 201 characters: {other:?}"),
    }
    match v.list_page(Kind::Incident, "", &hyderabad, Some("no-such-record"), 50) {
        Err(gawahi_core::Error::RecordNotFound(_)) => {}
        other => panic!("after an unknown record: {other:?}"),
    }
    // The unfiltered list goes on in the order of ids, so "more" still works after the last row
    // of the page before was deleted (here or by another process) in between.
    let page = v.list_page(Kind::Incident, "", &none, None, 7).expect("page");
    let last = page.next_after.expect("a full page");
    v.delete(&last).expect("delete");
    let next = v.list_page(Kind::Incident, "", &none, Some(&last), 7).expect("after a deleted row");
    assert_eq!(next.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), unfiltered[7..14]);
    assert_eq!(next.total, 19);
}

#[test]
fn the_count_of_matches_is_the_number_of_rows_listed_for_every_shape_of_filter() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add_batch((0..60).map(|i| {
        let district = ["sindh.hyderabad", "sindh.karachi_south", "sindh.sukkur"][i % 3];
        let mut body =
            incident(&format!("zqcount raid {i}"), district, &format!("20{:02}-0{}-01", 15 + i % 8, 1 + i % 9));
        if i % 4 == 0 {
            body.insert("perpetrator_types".into(), json!(["state.police", "non_state.religious_extremist_group"]));
        }
        (Kind::Incident, body)
    }))
    .expect("batch");
    let hyderabad = Filters::default().with(Facet::District, &["sindh.hyderabad"]);
    let dated = Filters { date_from: Some("2017".into()), date_to: Some("2020-06".into()), ..hyderabad.clone() };
    let two_facets = hyderabad.clone().with(Facet::PerpetratorType, &["non_state.religious_extremist_group"]);
    let mut twice = hyderabad.clone();
    twice.facets.extend(Filters::default().with(Facet::District, &["sindh.sukkur"]).facets);
    let two_values = Filters::default().with(Facet::District, &["sindh.hyderabad", "sindh.sukkur"]);
    let with_kind = hyderabad.clone().with(Facet::Kind, &["incident"]);
    let no_such = Filters::default().with(Facet::District, &["sindh.no_such_place"]);
    let other_kind = hyderabad.clone().with(Facet::Kind, &["case"]);
    let first = v.list_rows_matching(Kind::Incident, "", &hyderabad, None, 1).expect("rows").remove(0).id;
    let person = v.add(Kind::Person, obj(json!({"pseudonym": "Bulbul"}))).expect("person").id;
    v.link(&person, &first, "victim").expect("link");
    let linked = Filters { linked_to: Some(person.clone()), ..hyderabad.clone() };
    let without_evidence = Filters { has_evidence: Some(false), ..dated.clone() };
    let cases = [
        ("", &other_kind),
        ("", &linked),
        ("", &without_evidence),
        ("", &hyderabad),
        ("", &dated),
        ("", &two_facets),
        ("", &twice),
        ("", &two_values),
        ("", &with_kind),
        ("", &no_such),
        ("zqcount", &hyderabad),
        ("raid 1", &dated),
    ];
    for (query, filters) in cases {
        let listed = v.list_rows_matching(Kind::Incident, query, filters, None, 1000).expect("rows").len() as u64;
        let counted = v.count_matching(Kind::Incident, query, filters).expect("count");
        assert_eq!(counted, listed, "{query:?} {filters:?}");
    }
    // The counts are those the data gives, not merely equal to each other.
    assert_eq!(v.count_matching(Kind::Incident, "", &hyderabad).expect("count"), 20);
    assert_eq!(v.count_matching(Kind::Incident, "", &two_facets).expect("count"), 5);
    assert_eq!(v.count_matching(Kind::Incident, "", &twice).expect("count"), 0, "two districts at once");
    assert_eq!(v.count_matching(Kind::Incident, "", &two_values).expect("count"), 40);
    assert_eq!(v.count_matching(Kind::Incident, "", &linked).expect("count"), 1);
    assert_eq!(v.count_matching(Kind::Incident, "", &other_kind).expect("count"), 0);
    // Another kind holds none of an incident's values.
    assert_eq!(v.count_matching(Kind::Case, "", &hyderabad).expect("count"), 0);
}
