//! The facet counts the vault keeps (`search_facet_counts`), which the statistics and facet
//! counts with no filter read instead of grouping every facet row: true after every kind of
//! change, untouched by a change that fails, filled by their migration, and checked by
//! `Vault::check`.

use std::io::Cursor;

use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::search::{Facet, Filters};
use gawahi_core::{Kind, Vault};
use serde_json::{Map, Value, json};

use crate::support::{PASSPHRASE, add_every_kind, new_vault, obj, pass};

/// `facet`'s counts with no filter (read from the kept counts), sorted by value.
fn kept(v: &Vault, facet: Facet) -> Vec<(String, u64)> {
    let mut c: Vec<(String, u64)> =
        v.stats(facet, &Filters::default()).expect("stats").into_iter().map(|c| (c.value, c.count)).collect();
    c.sort();
    c
}

/// `facet`'s counts grouped from the facet rows themselves: a filter naming every kind and
/// evidence selects every document, but is a filter, so the rows are counted.
fn over_the_rows(v: &Vault, facet: Facet) -> Vec<(String, u64)> {
    let every: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).chain(["evidence"]).collect();
    let all = Filters::default().with(Facet::Kind, &every);
    let mut c: Vec<(String, u64)> =
        v.stats(facet, &all).expect("stats").into_iter().map(|c| (c.value, c.count)).collect();
    c.sort();
    c
}

/// Every facet's kept counts equal a count over its rows, and the vault's check is clean.
pub fn assert_kept_counts_are_true(v: &Vault, after: &str) {
    for facet in Facet::ALL {
        if facet == Facet::Kind {
            continue;
        }
        assert_eq!(kept(v, facet), over_the_rows(v, facet), "after {after}: {facet:?}");
    }
    let report = v.check().expect("check");
    assert!(report.is_ok(), "after {after}: {:?}", report.problems);
}

fn incident(province: &str, district: &str, day: &str, types: &[&str]) -> Map<String, Value> {
    obj(json!({"title": "x", "province": province, "district": district, "occurred_on": day,
        "incident_types": types, "perpetrator_types": ["state.police"]}))
}

fn abroad(charge: &str) -> Map<String, Value> {
    obj(json!({"title": "abroad", "case_kind": "detained_abroad", "status": "on_trial",
        "detention_abroad": {"country": "sa", "legal_status": "death_row", "charge": charge}}))
}

fn pairs(p: &[(&str, u64)]) -> Vec<(String, u64)> {
    p.iter().map(|(v, n)| ((*v).to_owned(), *n)).collect()
}

/// Fails with a constraint error when the kept counts hold a row for `value` (a NULL count
/// inserted only if one exists), so a test can ask the table itself what it holds.
fn fails_if_a_count_is_kept_for(value: &str) -> String {
    format!(
        "INSERT INTO search_facet_counts (field, value, id, n) SELECT 'zqprobe', 'zqprobe', 0, NULL
         WHERE EXISTS (SELECT 1 FROM search_facet_counts WHERE value = '{value}')"
    )
}

#[test]
fn kept_counts_follow_adds_batches_edits_deletes_evidence_and_imports() {
    let (_tmp, dir, mut v) = new_vault();
    assert_kept_counts_are_true(&v, "creation");
    assert_eq!(kept(&v, Facet::Province), []);
    // One of every kind: the case fixture charges two sections of one statute, which is one
    // statute row for the case and so one count.
    let ids = add_every_kind(&mut v);
    assert_kept_counts_are_true(&v, "single adds");
    assert!(kept(&v, Facet::Statute).contains(&("peca_2016".to_owned(), 1)), "{:?}", kept(&v, Facet::Statute));
    let case = ids.iter().find(|(k, _)| *k == Kind::Case).expect("a case").1.clone();
    let before = kept(&v, Facet::Province);
    let in_sindh = before.iter().find(|(p, _)| p == "sindh").map_or(0, |c| c.1);

    let batch = v
        .add_batch((0..30).map(|i| {
            let (p, d) = if i % 3 == 0 { ("punjab", "punjab.lahore") } else { ("sindh", "sindh.karachi_south") };
            (
                Kind::Incident,
                incident(p, d, &format!("2023-0{}-01", 1 + i % 2), &["raid_search", "arbitrary_arrest_detention"]),
            )
        }))
        .expect("batch");
    assert_kept_counts_are_true(&v, "a batch");
    assert!(kept(&v, Facet::Province).contains(&("sindh".to_owned(), in_sindh + 20)));
    assert!(kept(&v, Facet::Month).contains(&("2023-01".to_owned(), 15)));

    // An edit moving a record to another province, month and type, and one leaving the facets
    // as they were.
    v.update(
        &batch[1],
        obj(json!({"province": "punjab", "district": "punjab.lahore", "occurred_on": "2023-05-01",
            "incident_types": ["arbitrary_arrest_detention"]})),
    )
    .expect("update");
    v.update(&batch[2], obj(json!({"title": "renamed"}))).expect("update");
    assert_kept_counts_are_true(&v, "edits");
    assert!(kept(&v, Facet::Province).contains(&("sindh".to_owned(), in_sindh + 19)));
    assert!(kept(&v, Facet::Month).contains(&("2023-05".to_owned(), 1)));

    // Evidence has no facet rows; adding and deleting it leaves the counts true.
    let item = v.add_evidence(&batch[0], Cursor::new(b"photo".to_vec()), EvidenceMeta::default()).expect("evidence");
    assert_kept_counts_are_true(&v, "evidence added");
    v.delete_evidence(&item.id).expect("delete evidence");
    assert_kept_counts_are_true(&v, "evidence deleted");

    // Deleting the only record of a month leaves no count of it behind.
    v.delete(&batch[1]).expect("delete");
    let hearing = ids.iter().find(|(k, _)| *k == Kind::Hearing).expect("a hearing").1.clone();
    v.delete(&hearing).expect("delete the case's hearing");
    v.delete(&case).expect("delete the case");
    assert!(!kept(&v, Facet::Statute).iter().any(|(s, _)| s == "peca_2016"), "the case's statute went with it");
    assert_kept_counts_are_true(&v, "deletes");
    assert!(!kept(&v, Facet::Month).iter().any(|(m, _)| m == "2023-05"));

    // An import writes through the same index writes, in its own transaction.
    let lines = [
        json!({"kind": "incident", "title": "imported", "province": "balochistan",
            "district": "balochistan.quetta", "occurred_on": "2022-11-02", "incident_types": ["arbitrary_arrest_detention"]}),
        json!({"kind": "incident", "title": "imported too", "province": "balochistan",
            "occurred_on": "2022-11-03"}),
    ];
    let text = lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
    v.import_jsonl(Cursor::new(text)).expect("import");
    assert_kept_counts_are_true(&v, "an import");
    assert!(kept(&v, Facet::Month).contains(&("2022-11".to_owned(), 2)));

    // The counts are the vault's own: the same after a lock and an unlock.
    let kept_before: Vec<_> = Facet::ALL.iter().map(|f| kept(&v, *f)).collect();
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(Facet::ALL.iter().map(|f| kept(&v, *f)).collect::<Vec<_>>(), kept_before);
    assert_kept_counts_are_true(&v, "an unlock");
}

#[test]
fn a_deleted_or_edited_records_offence_text_leaves_no_count_behind() {
    let (_tmp, _dir, mut v) = new_vault();
    let first = v.add(Kind::Case, abroad("zqsmuggling  goods")).expect("case").id;
    let second = v.add(Kind::Case, abroad("zqsmuggling goods")).expect("case").id;
    assert_eq!(kept(&v, Facet::Offence), pairs(&[("zqsmuggling goods", 2)]));
    v.tamper_for_tests(&fails_if_a_count_is_kept_for("zqsmuggling goods")).expect_err("the probe sees a kept count");
    v.update(&first, obj(json!({"detention_abroad": {"country": "sa", "charge": "zqother"}}))).expect("update");
    assert_eq!(kept(&v, Facet::Offence), pairs(&[("zqother", 1), ("zqsmuggling goods", 1)]));
    v.delete(&second).expect("delete");
    assert_eq!(kept(&v, Facet::Offence), pairs(&[("zqother", 1)]));
    assert_kept_counts_are_true(&v, "the offence's last record went");
    // No row at all, not a row counting zero.
    v.tamper_for_tests(&fails_if_a_count_is_kept_for("zqsmuggling goods")).expect("no count is kept for the text");
}

#[test]
fn fail_a_refused_batch_or_import_leaves_the_counts_as_they_were() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add_batch((0..5).map(|_| {
        (Kind::Incident, incident("sindh", "sindh.karachi_south", "2021-01-01", &["arbitrary_arrest_detention"]))
    }))
    .expect("batch");
    let before: Vec<_> = Facet::ALL.iter().map(|f| kept(&v, *f)).collect();
    // The batch's last record names a province no vocabulary holds: nothing of it is kept.
    let refused =
        (0..50).map(|_| (Kind::Incident, incident("punjab", "punjab.lahore", "2020-02-01", &["raid_search"]))).chain([
            (Kind::Incident, incident("zqnowhere", "punjab.lahore", "2020-02-01", &["arbitrary_arrest_detention"])),
        ]);
    v.add_batch(refused).expect_err("a bad record refuses its batch");
    assert_eq!(Facet::ALL.iter().map(|f| kept(&v, *f)).collect::<Vec<_>>(), before, "the batch");
    // An import whose second line is not JSON: the first line's counts are not kept either.
    let text = format!(
        "{}\nnot json\n",
        json!({"kind": "incident", "title": "i", "province": "punjab", "occurred_on": "2019-01-01"})
    );
    v.import_jsonl(Cursor::new(text)).expect_err("a bad line refuses the import");
    assert_eq!(Facet::ALL.iter().map(|f| kept(&v, *f)).collect::<Vec<_>>(), before, "the import");
    assert_kept_counts_are_true(&v, "refused writes");
}

#[test]
fn the_migration_fills_the_counts_from_the_facet_rows_a_vault_already_has() {
    let (_tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.add_batch((0..40).map(|i| {
        (
            Kind::Incident,
            incident(
                "sindh",
                "sindh.karachi_south",
                &format!("2024-0{}-01", 1 + i % 3),
                &["arbitrary_arrest_detention"],
            ),
        )
    }))
    .expect("batch");
    let expected: Vec<_> = Facet::ALL.iter().map(|f| over_the_rows(&v, *f)).collect();
    // A vault from before the counts: no table, no record of its migration or the later ones,
    // and the facet rows of then, which named their value (migration
    // `search/0008_facet_value_ids` came later).
    v.tamper_for_tests(
        "DROP TABLE search_facet_counts; DROP TABLE search_facets;
         CREATE TABLE search_facets (field TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL,
             PRIMARY KEY (field, value, doc)) STRICT, WITHOUT ROWID;
         DELETE FROM schema_migrations WHERE key IN ('search/0005_facet_counts', 'search/0008_facet_value_ids',
             'search/0009_docs_by_day', 'search/0010_days_as_numbers');",
    )
    .expect("tamper");
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock migrates");
    assert_eq!(Facet::ALL.iter().map(|f| kept(&v, *f)).collect::<Vec<_>>(), expected);
    assert!(kept(&v, Facet::Month).contains(&("2024-01".to_owned(), 14)));
    assert_kept_counts_are_true(&v, "the migration");
}

#[test]
fn fail_a_count_changed_behind_the_vaults_back_is_found_by_check() {
    let tampering = [
        "UPDATE search_facet_counts SET n = n + 1 WHERE field = 'province'",
        "DELETE FROM search_facet_counts WHERE field = 'month'",
        "INSERT INTO search_facet_counts (field, value, id, n) VALUES ('province', 'punjab', 9999, 3)",
        "INSERT INTO search_facet_counts (field, value, id, n) VALUES ('offence', 'zqleftover', 9999, 0)",
        "DELETE FROM search_facets WHERE value_id IN (SELECT id FROM search_facet_counts WHERE field = 'incident_type')",
        // Two values given one id: the rows of one would be counted, filtered and listed as the other's.
        "UPDATE search_facet_counts SET id = (SELECT id FROM search_facet_counts WHERE field = 'province')
             WHERE field = 'district'",
        // A facet row whose value has no count row, so no name: a value left behind.
        "INSERT INTO search_facets (value_id, doc) VALUES (9999, (SELECT min(doc) FROM search_facets))",
    ];
    for sql in tampering {
        let (_tmp, dir, mut v) = new_vault();
        let ids = v
            .add_batch((0..4).map(|_| {
                (
                    Kind::Incident,
                    incident("sindh", "sindh.karachi_south", "2021-01-01", &["arbitrary_arrest_detention"]),
                )
            }))
            .expect("batch");
        assert_kept_counts_are_true(&v, "the batch");
        v.tamper_for_tests(sql).expect("tamper");
        let report = v.check().expect("check");
        assert!(
            report.problems.iter().any(|p| p.contains("counts of 1 filter value(s) do not match")
                || (sql.contains("SET id") && p.contains("counts of 2 filter value(s) do not match"))),
            "{sql}: {:?}",
            report.problems
        );
        // The damage is reported, not a panic, a refused delete (which may be urgent) or a
        // refusal to open.
        v.delete(&ids[0]).unwrap_or_else(|e| panic!("{sql}: the delete goes ahead: {e}"));
        v.lock();
        Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a vault with a wrong count still opens");
    }
}

#[test]
fn fail_facet_rows_moved_to_another_value_are_found_by_check() {
    let tampering = [
        // Sindh's and Punjab's ids swapped, with the counts swapped to match: every count still
        // agrees with the rows under its id, yet a filter by Sindh would list Punjab's records.
        "UPDATE search_facet_counts SET
             id = CASE value WHEN 'sindh' THEN (SELECT id FROM search_facet_counts WHERE value = 'punjab')
                             ELSE (SELECT id FROM search_facet_counts WHERE value = 'sindh') END,
             n = CASE value WHEN 'sindh' THEN 2 ELSE 3 END
         WHERE field = 'province'",
        // A document's listing of its values changed, or made unreadable.
        "UPDATE search_docs SET facets = '[]' WHERE doc = (SELECT min(doc) FROM search_docs)",
        "UPDATE search_docs SET facets = 'not json' WHERE doc = (SELECT min(doc) FROM search_docs)",
        // One facet row's day moved a month on: a filter by the value within dates would list the
        // record in a month it is not in, and count it there.
        "UPDATE search_facets SET day = day + 32 WHERE (value_id, doc) = (SELECT value_id, doc FROM search_facets LIMIT 1)",
        // A document's own day changed, its facet rows left as they were.
        "UPDATE search_docs SET day = day + 1 WHERE doc = (SELECT min(doc) FROM search_docs)",
    ];
    for sql in tampering {
        let (_tmp, dir, mut v) = new_vault();
        let ids = v
            .add_batch((0..5).map(|i| {
                let (province, district) =
                    if i < 3 { ("sindh", "sindh.karachi_south") } else { ("punjab", "punjab.lahore") };
                (Kind::Incident, incident(province, district, "2021-01-01", &["arbitrary_arrest_detention"]))
            }))
            .expect("batch");
        assert_kept_counts_are_true(&v, "the batch");
        v.tamper_for_tests(sql).expect("tamper");
        let report = v.check().expect("check");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.contains("filter rows of") && p.contains("do not match the values and the day they list")),
            "{sql}: {:?}",
            report.problems
        );
        // The message says how many documents, never a value.
        assert!(
            report.problems.iter().all(|p| !p.contains("sindh") && !p.contains("punjab")),
            "{sql}: {:?}",
            report.problems
        );
        v.delete(&ids[1]).unwrap_or_else(|e| panic!("{sql}: the delete goes ahead: {e}"));
        v.lock();
        Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a vault with misfiled rows still opens");
    }
}

#[test]
fn fail_a_documents_day_changed_with_its_facet_rows_is_found_by_check() {
    let (_tmp, dir, mut v) = new_vault();
    let ids = v
        .add_batch((0..3).map(|_| {
            (Kind::Incident, incident("sindh", "sindh.karachi_south", "2021-01-01", &["arbitrary_arrest_detention"]))
        }))
        .expect("batch");
    assert!(v.check().expect("check").is_ok());
    // Rows and document agree with each other, so the facet rows' check sees nothing, yet a
    // filter of 2022 would now list a record of 2021.
    v.tamper_for_tests(
        "UPDATE search_facets SET day = day + 416 WHERE doc = (SELECT min(doc) FROM search_docs);
         UPDATE search_docs SET day = day + 416 WHERE doc = (SELECT min(doc) FROM search_docs);",
    )
    .expect("tamper");
    let report = v.check().expect("check");
    assert_eq!(
        report.problems,
        vec![
            "the search index holds other words, filter values or date than 1 record(s) have: something was changed behind the app's back"
                .to_owned()
        ]
    );
    v.delete(&ids[0]).expect("the delete goes ahead");
    v.lock();
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("opens");
}

#[test]
fn a_rebuild_of_the_index_counts_afresh() {
    let (_tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    v.add_batch(
        (0..12).map(|_| {
            (Kind::Incident, incident("punjab", "punjab.lahore", "2024-02-01", &["arbitrary_arrest_detention"]))
        }),
    )
    .expect("batch");
    let expected: Vec<_> = Facet::ALL.iter().map(|f| over_the_rows(&v, *f)).collect();
    // A shipped label changed behind the vault's back is put right on the next unlock, and the
    // index, which holds every label, is built again; wrong counts left before it must not
    // survive the rebuild.
    v.tamper_for_tests(
        "UPDATE vocab SET en = 'zqchanged' WHERE vocab = 'provinces' AND code = 'punjab';
         UPDATE search_facet_counts SET n = 99 WHERE field = 'province';
         INSERT INTO search_facet_counts (field, value, id, n) VALUES ('offence', 'zqleftover', 9999, 2);",
    )
    .expect("tamper");
    assert!(!v.check().expect("check").is_ok(), "the wrong counts are seen before the rebuild");
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(Facet::ALL.iter().map(|f| kept(&v, *f)).collect::<Vec<_>>(), expected);
    assert_kept_counts_are_true(&v, "a rebuild");
}
