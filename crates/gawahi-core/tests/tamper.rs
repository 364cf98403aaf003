use gawahi_core::error::Error;
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, new_vault, obj, pass};

const PAGE: usize = gawahi_core::db::PAGE_SIZE;

fn flip(path: &std::path::Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x01;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn fail_a_damaged_header_is_not_a_wrong_passphrase() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let header = dir.join("vault.header");
    for offset in [20, 60, 200, 300] {
        let original = std::fs::read(&header).expect("read");
        flip(&header, offset);
        let err = Vault::unlock(&dir, &pass(PASSPHRASE)).expect_err("damaged");
        assert!(matches!(err, Error::CorruptHeader(_)), "offset {offset}: {err:?}");
        std::fs::write(&header, original).expect("restore");
    }
    std::fs::write(&header, b"").expect("truncate");
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::CorruptHeader(_))));
}

#[test]
fn fail_a_missing_database_is_named_missing() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    std::fs::remove_file(dir.join("vault.db")).expect("rm");
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::DatabaseMissing)));
    assert!(!dir.join("vault.db").exists(), "nothing was created in its place");
}

#[test]
fn fail_a_flipped_first_page_is_damage_not_a_wrong_passphrase() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    flip(&dir.join("vault.db"), 200);
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::CorruptDatabase)));
}

#[test]
fn fail_a_flipped_page_withholds_only_the_damaged_record() {
    let (_tmp, dir, mut v) = new_vault();
    let intact = v.add(Kind::Task, obj(json!({"title": "intact"}))).expect("add").id;
    v.lock();
    let size_before = std::fs::metadata(dir.join("vault.db")).expect("db").len() as usize;
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    // A long narrative spills into overflow pages appended at the end of the file.
    let damaged =
        v.add(Kind::Incident, obj(json!({"title": "big", "description": "ب".repeat(6 * PAGE)}))).expect("add").id;
    v.lock();
    let db = dir.join("vault.db");
    let size_after = std::fs::metadata(&db).expect("db").len() as usize;
    assert!(size_after > size_before + 2 * PAGE);
    // Damage every page the big record added; the pages holding the first record are older.
    for page_start in (size_before..size_after).step_by(PAGE) {
        flip(&db, page_start + PAGE / 2);
    }

    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("page 1 is intact, so the vault opens");
    assert!(matches!(v.get(&damaged), Err(Error::CorruptDatabase)), "nothing from the damaged page is returned");
    assert_eq!(v.get(&intact).expect("the rest reads").to_json()["title"], json!("intact"));
    let report = v.check().expect("check runs");
    assert!(!report.is_ok());
    assert!(report.problems[0].contains("fail their MAC"), "{:?}", report.problems);
}

#[test]
fn fail_an_edited_audit_row_is_named_by_check() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add(Kind::Task, obj(json!({"title": "one"}))).expect("add");
    v.add(Kind::Task, obj(json!({"title": "two"}))).expect("add");
    assert!(v.check().expect("check").is_ok());
    // Entry 1 is the vault's creation; entry 3 is the second task.
    v.tamper_for_tests("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 3").expect("tamper");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.starts_with("audit entry 3 ")), "{:?}", report.problems);
}

#[test]
fn fail_removed_audit_rows_are_found() {
    let (_tmp, _dir, mut v) = new_vault();
    for t in ["one", "two", "three"] {
        v.add(Kind::Task, obj(json!({"title": t}))).expect("add");
    }
    v.tamper_for_tests("DELETE FROM audit_log WHERE seq = 2").expect("tamper");
    let report = v.check().expect("check");
    assert!(report.problems.iter().any(|p| p.contains("audit entries 2 to 2 are missing")), "{:?}", report.problems);
}

#[test]
fn fail_a_records_or_an_items_words_taken_out_of_the_index_are_found_by_check() {
    // Through FTS5 itself, so its index and its text agree and its own check sees nothing: the
    // record, or the item by its notes, could no longer be found, and `check` said all was well.
    for which in ["record", "evidence"] {
        let (_tmp, _dir, mut v) = new_vault();
        let id = v.add(Kind::Incident, obj(json!({"title": "zqfindable raid"}))).expect("add").id;
        let meta = gawahi_core::evidence::EvidenceMeta { notes: Some("zqnoted".into()), ..Default::default() };
        let item = v.add_evidence(&id, &b"a photo"[..], meta).expect("evidence").id;
        assert!(v.check().expect("check").is_ok());
        let (target, said) = if which == "record" {
            (&id, "the search index holds other words, filter values or date than 1 record(s) have".to_owned())
        } else {
            (&item, format!("the search index holds other words than evidence {item} has"))
        };
        v.tamper_for_tests(&format!(
            "UPDATE search_fts SET title = '', body = '' WHERE rowid = (SELECT doc FROM search_docs WHERE target = '{target}')"
        ))
        .expect("tamper");
        v.tamper_for_tests("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
            .expect("FTS5's own check sees nothing");
        let report = v.check().expect("check");
        assert!(report.problems.iter().any(|p| p.starts_with(&said)), "{which}: {:?}", report.problems);
    }
}

#[test]
fn fail_a_record_edited_behind_the_apps_back_is_named_by_check() {
    let (_tmp, _dir, mut v) = new_vault();
    let id = v.add(Kind::Incident, obj(json!({"title": "original"}))).expect("add").id;
    v.tamper_for_tests(&format!("UPDATE records SET body = json_set(body, '$.title', 'forged') WHERE id = '{id}'"))
        .expect("tamper");
    let report = v.check().expect("check");
    // The list row still shows the title the record had: the window's list would show it too.
    assert_eq!(
        report.problems,
        vec![
            format!("incident {id} was changed without an audit entry"),
            "the list rows of 1 record(s) do not match the records: something was changed behind the app's back"
                .to_owned(),
            // And the index: 'forged' would not be found, 'original' would.
            "the search index holds other words, filter values or date than 1 record(s) have: something was changed behind the app's back"
                .to_owned()
        ]
    );
}

#[test]
fn fail_a_record_inserted_behind_the_apps_back_is_named_by_check() {
    let (_tmp, _dir, v) = new_vault();
    let id = "01900000-0000-7000-8000-0000000000ff";
    v.tamper_for_tests(&format!(
        "INSERT INTO records (id, kind, created_at, updated_at, body)
         VALUES ('{id}', 'task', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '{{\"title\": \"planted\"}}')"
    ))
    .expect("tamper");
    let report = v.check().expect("check");
    // The vault counts a record in its own code (records/0003) and indexes it for search, so a
    // row planted in SQL is also missing from the counts and from the index.
    assert_eq!(
        report.problems,
        vec![
            "the record counts of 1 kind(s) do not match the records".to_owned(),
            "the search index and the records disagree in 1 place(s): something was changed behind the app's back"
                .to_owned(),
            format!("task {id} has no audit entry: it was added behind the app's back"),
        ]
    );
}

#[test]
fn a_clean_vault_checks_ok_and_counts() {
    let (_tmp, _dir, mut v) = new_vault();
    crate::support::add_every_kind(&mut v);
    let report = v.check().expect("check");
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.records, 9);
    assert_eq!(report.audit_entries, 10);
}

#[test]
fn fail_counts_changed_behind_the_apps_back_are_found() {
    let (_tmp, _dir, mut v) = new_vault();
    v.add(Kind::Task, obj(json!({"title": "one"}))).expect("add");
    assert_eq!(v.count(Kind::Task).expect("count"), 1);
    v.tamper_for_tests("UPDATE record_counts SET n = 7 WHERE kind = 'task'").expect("tamper");
    let report = v.check().expect("check");
    assert_eq!(report.problems, vec!["the record counts of 1 kind(s) do not match the records".to_owned()]);
}

/// Every single-bit flip of the key header, at every offset, is refused before any key is
/// derived: never opened, never taken for a wrong passphrase. The header is small, so every bit
/// is tried (its length is read from the file, whatever its format version). A flip in the
/// format version field (bytes 8..12) is damage too, not a header from a newer Gawahi: the
/// checksum matches the header with its own version put back.
#[test]
fn fail_every_bit_flip_of_the_key_header_is_refused_before_any_key_is_derived() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let header = dir.join("vault.header");
    let original = std::fs::read(&header).expect("read");
    for offset in 0..original.len() {
        for bit in 0..8 {
            let mut bytes = original.clone();
            bytes[offset] ^= 1 << bit;
            std::fs::write(&header, &bytes).expect("write");
            match Vault::unlock(&dir, &pass(PASSPHRASE)) {
                Err(Error::CorruptHeader(_)) => {}
                Ok(_) => panic!("offset {offset} bit {bit}: a damaged header opened the vault"),
                Err(e) => panic!("offset {offset} bit {bit}: {e:?}"),
            }
        }
    }
    std::fs::write(&header, &original).expect("restore");
    assert!(Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the original opens").check().expect("check").is_ok());
}

/// A byte flipped in any page of the database, each in a copy of its own: the vault either
/// refuses to open with a specific error, or opens and returns every record exactly as it was
/// or refuses that one as damaged; and `check` never passes. Pages are taken at a stride across
/// the whole file (the first, the schema, records, their overflow pages, the vocabularies and
/// the index), each at a different offset inside the page.
#[test]
fn fail_a_byte_flipped_in_any_page_of_the_database_never_returns_wrong_data() {
    let (tmp, dir, mut v) = new_vault();
    let mut originals = Vec::new();
    for i in 0..12 {
        let body = json!({"title": format!("incident {i}"), "description": "ج".repeat(500 * i)});
        let r = v.add(Kind::Incident, obj(body)).expect("add");
        originals.push((r.id.clone(), r.to_json()));
    }
    v.lock();
    let db = std::fs::read(dir.join("vault.db")).expect("db");
    let header = std::fs::read(dir.join("vault.header")).expect("header");
    let pages = db.len() / PAGE;
    let stride = (pages / 24).max(1);
    let (mut tried, mut opened) = (0, 0);
    for page in (0..pages).step_by(stride).chain([pages - 1]) {
        let copy = tmp.path().join(format!("copy-{page}"));
        std::fs::create_dir_all(copy.join("blobs")).expect("mkdir");
        std::fs::write(copy.join("vault.header"), &header).expect("header");
        let mut bytes = db.clone();
        // A different place in each page: the salt, the data, the IV and MAC at the page's end.
        let offset = page * PAGE + (page * 977 + 13) % PAGE;
        bytes[offset] ^= 0x20;
        std::fs::write(copy.join("vault.db"), &bytes).expect("db");
        tried += 1;
        let v = match Vault::unlock(&copy, &pass(PASSPHRASE)) {
            Ok(v) => v,
            Err(Error::CorruptDatabase | Error::DatabaseForeign | Error::DatabaseTruncated | Error::DatabaseEmpty) => {
                continue;
            }
            Err(e) => panic!("page {page}: not a specific error: {e:?}"),
        };
        opened += 1;
        for (id, original) in &originals {
            match v.get(id) {
                Ok(r) => assert_eq!(&r.to_json(), original, "page {page}: a record read back changed"),
                Err(Error::CorruptDatabase) => {}
                Err(e) => panic!("page {page}: {e:?}"),
            }
        }
        match v.list(Kind::Incident, None, 100) {
            Ok(list) => {
                for r in list {
                    let original = originals.iter().find(|(id, _)| *id == r.id).map(|(_, o)| o);
                    assert_eq!(Some(&r.to_json()), original, "page {page}: a listed record changed");
                }
            }
            Err(Error::CorruptDatabase) => {}
            Err(e) => panic!("page {page}: {e:?}"),
        }
        match v.check() {
            Ok(report) => assert!(!report.is_ok(), "page {page}: check passed a damaged database"),
            Err(Error::CorruptDatabase) => {}
            Err(e) => panic!("page {page}: {e:?}"),
        }
    }
    assert!(tried >= 20 && opened >= tried / 2, "{tried} pages tried, {opened} of them opened and read");
}
