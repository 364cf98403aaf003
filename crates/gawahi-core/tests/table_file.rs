//! `Vault::write_table`, the window's way to write an anonymised table: to a new file only, made
//! in memory first, so a refused request or an existing file leaves nothing written or changed.

use gawahi_core::Kind;
use gawahi_core::error::Error;
use gawahi_core::report::anonymise::{TableFormat, TableOptions};
use serde_json::json;

use crate::support::{new_vault, obj};

const WITHHELD: &str = "Zarmina Canarywala";

const ANONYMISED: TableOptions = TableOptions { anonymise: true, coarsen_dates: true, coarsen_places: true };

#[test]
fn write_table_writes_a_new_file_without_the_non_consenting_person() {
    let (dir, _path, mut v) = new_vault();
    v.add(Kind::Person, obj(json!({"name": WITHHELD, "consent_to_store": true}))).expect("person");
    let dest = dir.path().join("people.csv");
    let summary = v.write_table(Kind::Person, ANONYMISED, TableFormat::Csv, &dest).expect("written");
    assert_eq!((summary.rows, summary.withheld), (0, 1));
    let written = std::fs::read_to_string(&dest).expect("read");
    assert!(written.starts_with("title,"), "Uwazi's header: {written}");
    assert!(!written.contains(WITHHELD));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&dest).expect("meta").permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn fail_write_table_over_an_existing_file_leaves_it_as_it_was() {
    let (dir, _path, mut v) = new_vault();
    let dest = dir.path().join("mine.csv");
    std::fs::write(&dest, "the user's own file").expect("write");
    let e = v.write_table(Kind::Incident, ANONYMISED, TableFormat::Json, &dest).expect_err("exists");
    assert!(matches!(e, Error::OutputExists), "{e:?}");
    assert_eq!(std::fs::read_to_string(&dest).expect("read"), "the user's own file");
}

#[test]
fn fail_write_table_of_a_private_kind_writes_nothing() {
    let (dir, _path, mut v) = new_vault();
    let dest = dir.path().join("risks.csv");
    for kind in [Kind::Risk, Kind::Task] {
        v.write_table(kind, ANONYMISED, TableFormat::Csv, &dest).expect_err("private");
        assert!(!dest.exists());
    }
}

#[test]
fn fail_write_table_into_a_missing_folder_writes_nothing() {
    let (dir, _path, mut v) = new_vault();
    let dest = dir.path().join("no such folder").join("t.csv");
    v.write_table(Kind::Case, ANONYMISED, TableFormat::Csv, &dest).expect_err("no folder");
    assert!(!dest.exists());
}
