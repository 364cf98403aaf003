//! The bulk inserts, `Vault::add_batch` and `Vault::import_jsonl` (which writes the index the same
//! way): what a batch's search index holds the moment it returns (its facet rows are written
//! together at the batch's end, sorted), what a change or a delete afterwards leaves of them, and
//! what a kill -9 or a full disk in the middle of a batch or an import leaves.

use gawahi_core::search::{Facet, Filters};
use gawahi_core::{Error, Kind, Vault};
use serde_json::{Map, Value, json};

use crate::support::{CHILD_VAULT, PASSPHRASE, kill_child_after, new_vault, obj, pass};

/// Fails unless FTS5's own integrity check of the full-text index against its stored text
/// passes: FTS5 raises an error on any mismatch.
const FTS5_INTEGRITY_CHECK: &str = "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1);";

/// The provinces and districts the batches below spread their records over.
const PLACES: [(&str, &str); 3] =
    [("sindh", "sindh.karachi_south"), ("punjab", "punjab.lahore"), ("balochistan", "balochistan.quetta")];

/// Incident `i` of batch `batch`: its place, date, types and text all follow from `i`, and its
/// description carries a word of its batch (`zqbatch7z`: no batch's word begins another's, since a
/// query's last word is a prefix) so a batch's records can be counted by
/// search.
fn nth_incident(batch: u64, i: usize) -> Map<String, Value> {
    let (province, district) = PLACES[i % PLACES.len()];
    obj(json!({
        "title": format!("بلک چھاپہ raid {i}"),
        "description": format!("zqbatch{batch}z police station number {i}"),
        "occurred_on": format!("20{:02}-0{}-1{}", 18 + i % 4, 1 + i % 9, i % 10),
        "province": province,
        "district": district,
        "incident_types": ["raid_search"],
        "perpetrator_types": [if i.is_multiple_of(2) { "state.police" } else { "unknown" }],
    }))
}

/// Batch `batch`'s `n` incidents (`nth_incident`) as an import file, one JSON object a line.
fn jsonl(batch: u64, n: usize) -> String {
    (0..n)
        .map(|i| {
            let mut line = nth_incident(batch, i);
            line.insert("kind".into(), json!("incident"));
            Value::Object(line).to_string() + "\n"
        })
        .collect()
}

/// Adds batch `batch` of `n` incidents, through `add_batch` when `batch` is odd and as an import
/// of JSON Lines when it is even, so that the kill and full-disk tests below cut off both.
fn add_either_way(v: &mut Vault, batch: u64, n: usize) -> Result<(), Error> {
    if batch % 2 == 1 {
        v.add_batch((0..n).map(|i| (Kind::Incident, nth_incident(batch, i)))).map(drop)
    } else {
        v.import_jsonl(jsonl(batch, n).as_bytes()).map(drop)
    }
}

fn counts(v: &Vault, facet: Facet, filters: &Filters) -> Vec<(String, u64)> {
    let mut c: Vec<(String, u64)> =
        v.stats(facet, filters).expect("stats").into_iter().map(|c| (c.value, c.count)).collect();
    c.sort();
    c
}

#[test]
fn a_batch_is_searchable_by_text_facets_and_dates_when_add_batch_returns() {
    let (_tmp, _dir, mut v) = new_vault();
    let before = v.add(Kind::Incident, nth_incident(0, 1)).expect("one record before the batch").id;
    let ids = v.add_batch((0..900).map(|i| (Kind::Incident, nth_incident(1, i)))).expect("batch");
    assert_eq!(ids.len(), 900);
    // Text, in both languages, and a vocabulary label in Urdu (پنجاب: Punjab).
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch1z", &Filters::default()).expect("count"), 900);
    assert_eq!(v.count_matching(Kind::Incident, "بلک", &Filters::default()).expect("count"), 901);
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch1z پنجاب", &Filters::default()).expect("count"), 300);
    // Facets, each value counted once per record, the record added before the batch included.
    let all = Filters::default();
    assert_eq!(
        counts(&v, Facet::Province, &all),
        [("balochistan".to_owned(), 300), ("punjab".to_owned(), 301), ("sindh".to_owned(), 300)]
    );
    assert_eq!(counts(&v, Facet::District, &all).iter().map(|c| c.1).sum::<u64>(), 901);
    assert_eq!(counts(&v, Facet::IncidentType, &all), [("raid_search".to_owned(), 901)]);
    // A facet combined with a date range: records 0, 12, 24… of 2018 in Sindh (i % 3 == 0 and
    // i % 4 == 0), i.e. every twelfth.
    let sindh_2018 = Filters { date_from: Some("2018".into()), date_to: Some("2018".into()), ..Filters::default() }
        .with(Facet::Province, &["sindh"]);
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch1z", &sindh_2018).expect("count"), 75);
    let page = v.list_matching(Kind::Incident, "", &sindh_2018, None, 100).expect("list");
    assert_eq!(page.len(), 75);
    assert!(page.iter().all(|r| ids.contains(&r.id)), "only the batch's records are of 2018 in Sindh");
    // A month, from the record's date.
    let months = counts(&v, Facet::Month, &Filters::default().with(Facet::Province, &["sindh"]));
    assert_eq!(months.iter().map(|c| c.1).sum::<u64>(), 300);
    assert!(v.check().expect("check").is_ok());
    crate::facet_counts::assert_kept_counts_are_true(&v, "a batch");
    v.tamper_for_tests(FTS5_INTEGRITY_CHECK).expect("FTS5's integrity check passes after a batch");
    assert!(!ids.contains(&before));
    // The check this module relies on does fail when the index and its text disagree.
    v.tamper_for_tests(
        "UPDATE search_fts_content SET c1 = 'zqchangedword' WHERE rowid = (SELECT max(rowid) FROM search_fts_content)",
    )
    .expect("tamper");
    assert!(v.tamper_for_tests(FTS5_INTEGRITY_CHECK).is_err(), "FTS5's check finds the changed text");
}

#[test]
fn an_import_is_indexed_like_a_batch_with_vocabulary_lines_among_its_records() {
    let (_tmp, _dir, mut v) = new_vault();
    let section = |code: &str, section: &str, en: &str| {
        let entry = json!({"code": code, "parent": "ppc_1860", "en": en, "ur": "دفعہ", "extra": {"section": section}});
        json!({"kind": "vocab", "vocab": "sections", "entry": entry}).to_string() + "\n"
    };
    let case = |section: &str| {
        json!({"kind": "case", "title": "t", "charges": [{"statute": "ppc_1860", "section": section}]}).to_string()
            + "\n"
    };
    // A section, a batch of incidents, a case charged under it, then a second section and a case
    // charged under that: each record indexed with what the lines before it added.
    let file = [
        section("ppc_1860.506-ii", "506-II", "Zqfirstentry intimidation"),
        jsonl(4, 300),
        case("506-II"),
        section("ppc_1860.999-a", "999-A", "Zqsecondentry offence"),
        case("999-A"),
    ]
    .concat();
    let summary = v.import_jsonl(file.as_bytes()).expect("import");
    assert_eq!(summary.records, 302);
    let all = Filters::default();
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch4z", &all).expect("count"), 300);
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch4z پنجاب", &all).expect("count"), 100);
    assert_eq!(v.count_matching(Kind::Case, "zqfirstentry", &all).expect("count"), 1);
    assert_eq!(v.count_matching(Kind::Case, "zqsecondentry", &all).expect("count"), 1);
    assert_eq!(
        counts(&v, Facet::Province, &all),
        [("balochistan".to_owned(), 100), ("punjab".to_owned(), 100), ("sindh".to_owned(), 100)]
    );
    assert_eq!(counts(&v, Facet::Section, &all), [("ppc_1860.506-ii".to_owned(), 1), ("ppc_1860.999-a".to_owned(), 1)]);
    let sindh_2018 = Filters { date_from: Some("2018".into()), date_to: Some("2018".into()), ..Filters::default() }
        .with(Facet::Province, &["sindh"]);
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch4z", &sindh_2018).expect("count"), 25);
    assert!(v.check().expect("check").is_ok());
    crate::facet_counts::assert_kept_counts_are_true(&v, "an import");
    v.tamper_for_tests(FTS5_INTEGRITY_CHECK).expect("FTS5's integrity check passes after an import");
    // A second import on top, and a record added on its own between: one index, in step.
    v.add(Kind::Incident, nth_incident(5, 0)).expect("one record");
    v.import_jsonl(jsonl(5, 30).as_bytes()).expect("a second import");
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch5z", &all).expect("count"), 31);
    assert_eq!(counts(&v, Facet::Province, &all).iter().map(|c| c.1).sum::<u64>(), 331);
    assert!(v.check().expect("check").is_ok());
    crate::facet_counts::assert_kept_counts_are_true(&v, "a second import");
}

#[test]
fn a_change_or_a_delete_after_a_batch_takes_the_records_old_facet_rows_out() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = v.add_batch((0..300).map(|i| (Kind::Incident, nth_incident(2, i)))).expect("batch");
    // Record 0 is in Sindh in 2018: moved to Punjab in 2021; record 1 (Punjab) is deleted.
    v.update(&ids[0], obj(json!({"province": "punjab", "district": "punjab.lahore", "occurred_on": "2021-06-01"})))
        .expect("update");
    v.delete(&ids[1]).expect("delete");
    let all = Filters::default();
    assert_eq!(
        counts(&v, Facet::Province, &all),
        [("balochistan".to_owned(), 100), ("punjab".to_owned(), 100), ("sindh".to_owned(), 99)]
    );
    assert_eq!(counts(&v, Facet::District, &all).iter().map(|c| c.1).sum::<u64>(), 299);
    let sindh_2018 = Filters { date_from: Some("2018".into()), date_to: Some("2018".into()), ..Filters::default() }
        .with(Facet::Province, &["sindh"]);
    let found = v.list_matching(Kind::Incident, "", &sindh_2018, None, 100).expect("list");
    assert!(!found.iter().any(|r| r.id == ids[0]), "the old province and date are gone");
    let punjab_2021 =
        Filters { date_from: Some("2021-06".into()), date_to: Some("2021-06".into()), ..Filters::default() }
            .with(Facet::Province, &["punjab"]);
    let found: Vec<String> =
        v.list_matching(Kind::Incident, "", &punjab_2021, None, 100).expect("list").into_iter().map(|r| r.id).collect();
    assert_eq!(found, [ids[0].clone()], "the new ones are found");
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch2z", &all).expect("count"), 299);
    crate::facet_counts::assert_kept_counts_are_true(&v, "a change and a delete");
    assert!(v.check().expect("check").is_ok());
    v.tamper_for_tests(FTS5_INTEGRITY_CHECK).expect("FTS5's integrity check passes");
}

#[test]
fn fail_a_facet_list_changed_behind_the_vaults_back_is_corruption_not_a_panic() {
    let (_tmp, _dir, mut v) = new_vault();
    let ids = v.add_batch((0..3).map(|i| (Kind::Incident, nth_incident(3, i)))).expect("batch");
    for broken in ["'not json'", "'[[\"province\"]]'", "'{\"a\": 1}'", "'[[1, 2]]'"] {
        v.tamper_for_tests(&format!("UPDATE search_docs SET facets = {broken}")).expect("tamper");
        assert!(matches!(v.delete(&ids[0]), Err(Error::CorruptDatabase)), "{broken}");
        assert!(v.get(&ids[0]).is_ok(), "{broken}: the refused delete changed nothing");
    }
}

/// How many records each of the child's batches holds.
const CHILD_BATCH: usize = 400;

#[test]
#[ignore = "a child process of fail_kill_9_during_a_batch_leaves_none_of_it_and_a_clean_index"]
fn child_adds_batches_in_a_loop() {
    use std::io::Write;
    let Some(dir) = std::env::var_os(CHILD_VAULT) else { return };
    let mut v = Vault::unlock(std::path::Path::new(&dir), &pass(PASSPHRASE)).expect("unlock");
    let mut out = std::io::stdout().lock();
    for batch in 1.. {
        add_either_way(&mut v, batch, CHILD_BATCH).expect("batch");
        // Said only once the batch has returned: it is then committed.
        writeln!(out, "added {batch}").and_then(|()| out.flush()).expect("stdout");
    }
}

#[test]
fn fail_kill_9_during_a_batch_leaves_none_of_it_and_a_clean_index() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let mut said_before = 0;
    // How many rounds found as many batches as the child said it added, and how many found the
    // one it was adding when it died committed too (it had returned but not yet been said).
    let mut found = [0u32; 2];
    for round in 0..4u64 {
        // Killed after one or two batches, a different while into the next one each round.
        let said = kill_child_after(
            "bulk_insert::child_adds_batches_in_a_loop",
            &dir,
            "added ",
            1 + round % 2,
            std::time::Duration::from_millis(20 + round * 35),
        );
        // Each round's child numbers its batches from 1 again, into the same vault, so the vault
        // holds this round's batches on top of the earlier rounds'.
        let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the vault opens after the kill");
        let total = batches_whole_or_absent_since(&v, round, said_before, said);
        found[usize::from(total - said_before > said)] += 1;
        said_before = total;
        v.lock();
    }
    eprintln!("batches found after a kill: as said {}, one more {}", found[0], found[1]);
}

/// What a vault that held `earlier` whole batches holds after a round's batches `1..` were cut
/// off by a kill: every batch whole or absent, in the records, the text index and the facet
/// rows alike, and FTS5's own check clean. Each round's batches share the earlier rounds' words
/// (`zqbatch1z`…), so the words are counted over the whole vault.
fn batches_whole_or_absent_since(v: &Vault, round: u64, earlier: u64, said: u64) -> u64 {
    assert!(v.check().expect("check").is_ok(), "round {round}: check is clean");
    v.tamper_for_tests(FTS5_INTEGRITY_CHECK).unwrap_or_else(|e| panic!("round {round}: FTS5 check: {e}"));
    let records = v.count(Kind::Incident).expect("count");
    let per_batch = CHILD_BATCH as u64;
    assert_eq!(records % per_batch, 0, "round {round}: {records} records is no whole number of batches");
    let total = records / per_batch;
    let this_round = total - earlier;
    assert!(this_round == said || this_round == said + 1, "round {round}: {this_round} batches, {said} said added");
    let provinces: u64 = counts(v, Facet::Province, &Filters::default()).iter().map(|c| c.1).sum();
    assert_eq!(provinces, records, "round {round}: one province row per record, none of a lost batch");
    crate::facet_counts::assert_kept_counts_are_true(v, &format!("round {round}"));
    let words: u64 = (1..=total + 1)
        .map(|b| v.count_matching(Kind::Incident, &format!("zqbatch{b}z"), &Filters::default()).expect("count"))
        .sum();
    assert_eq!(words, records, "round {round}: every record's words indexed, no lost batch's");
    total
}

#[test]
#[ignore = "a child process of fail_a_full_disk_refuses_a_batch_whole_and_keeps_the_index_clean"]
fn child_adds_a_batch_on_a_full_disk() {
    use std::io::Write;
    let Some(dir) = std::env::var_os(CHILD_VAULT) else { return };
    let dir = std::path::PathBuf::from(dir);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    v.add_batch((0..CHILD_BATCH).map(|i| (Kind::Incident, nth_incident(1, i)))).expect("a batch while there is room");
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
    let small = vec![0u8; 512];
    while f.write_all(&small).and_then(|()| f.sync_all()).is_ok() {}
    drop(f);
    // Refused both ways: as a batch and as an import.
    for how in [1, 2] {
        match add_either_way(&mut v, how, CHILD_BATCH) {
            Err(Error::DiskFull) => {}
            other => panic!("a full disk is said as such ({how}): {other:?}"),
        }
    }
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch1z", &Filters::default()).expect("count"), CHILD_BATCH as u64);
    assert_eq!(v.count(Kind::Incident).expect("count"), CHILD_BATCH as u64, "nothing of the refused batches");
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch2z", &Filters::default()).expect("count"), 0);
    std::fs::remove_file(&fill).expect("room again");
    v.add_batch((0..CHILD_BATCH).map(|i| (Kind::Incident, nth_incident(3, i)))).expect("a batch once there is room");
    v.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock again");
    let total = batches_whole_or_absent_since(&v, 0, 0, 2);
    assert_eq!(total, 2, "the first and the last batch, not the refused one");
    assert_eq!(v.count_matching(Kind::Incident, "zqbatch3z", &Filters::default()).expect("count"), CHILD_BATCH as u64);
    println!("full disk refused the batch whole and kept the index clean");
}

#[test]
fn fail_a_full_disk_refuses_a_batch_whole_and_keeps_the_index_clean() {
    let (tmp, dir, v) = new_vault();
    v.lock();
    // The child runs in a private mount namespace on a small tmpfs holding a copy of the vault,
    // so nothing outside the test sees the full disk. Needs root or user namespaces.
    let text = crate::support::child_on_a_small_tmpfs(
        tmp.path(),
        &dir,
        "bulk_insert::child_adds_a_batch_on_a_full_disk",
        "16m",
    );
    assert!(text.contains("full disk refused the batch whole and kept the index clean"), "the child ran: {text}");
}
