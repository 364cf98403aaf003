//! Vaults that keep opening: every vault fixture under `data/vaults/` (one per format, made by
//! the build that wrote that format with `scripts/make-vault-fixture`, and never regenerated)
//! opens with this build, reads every record exactly as it was written, passes `check`, and is
//! migrated forward. A vault that a newer Gawahi made (unknown migrations, a newer header format)
//! is refused with its own error and left byte for byte as it was.

use std::path::{Path, PathBuf};

use gawahi_core::db::PageMac;
use gawahi_core::error::Error;
use gawahi_core::header::{FORMAT_VERSION, KeyHeader};
use gawahi_core::vault::DuressMode;
use gawahi_core::{Kind, SecretString, Vault};
use serde_json::Value;

use crate::support::data_dir;

fn fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(data_dir().join("vaults"))
        .expect("data/vaults")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("vault").is_dir())
        .collect();
    all.sort();
    assert!(
        all.len() >= 3,
        "the format-1 and format-2 fixtures and the first with SHA-256 pages are committed: {all:?}"
    );
    all
}

fn passphrase(fixture: &Path) -> SecretString {
    let text = std::fs::read_to_string(fixture.join("passphrase.txt")).expect("passphrase.txt");
    SecretString::from(text.lines().next().expect("a line"))
}

/// A copy of the fixture's vault in a temporary directory: the committed files are never opened
/// for writing.
fn copy(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    std::fs::create_dir(&dir).expect("mkdir");
    for entry in std::fs::read_dir(fixture.join("vault")).expect("ls") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    (tmp, dir)
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().expect("name").to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_opens_reads_exactly_checks_clean_and_migrates_forward() {
    for fixture in fixtures() {
        let name = fixture.file_name().expect("name").to_string_lossy().into_owned();
        let (_tmp, dir) = copy(&fixture);
        let v = Vault::unlock(&dir, &passphrase(&fixture)).unwrap_or_else(|e| panic!("{name}: {e}"));
        for kind in Kind::ALL {
            let text = std::fs::read_to_string(fixture.join(format!("expected/{kind}.json"))).expect("expected");
            let expected: Value = serde_json::from_str(&text).expect("json");
            let records: Vec<Value> =
                v.list(kind, None, 1000).expect("list").iter().map(|r| Value::Object(r.to_json())).collect();
            assert_eq!(Value::Array(records), expected, "{name}: the {kind} records read back exactly");
        }
        let person = std::fs::read_to_string(fixture.join("expected/person.json")).expect("person");
        let person: Value = serde_json::from_str(&person).expect("json");
        let links = v.links_of(person[0]["id"].as_str().expect("id")).expect("links");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture.join("expected/links.json")).expect("links"))
                .expect("json");
        assert_eq!(serde_json::to_value(&links).expect("json"), expected, "{name}: links");
        let report = v.check().expect("check");
        assert!(report.is_ok(), "{name}: {report:?}");
        assert!(report.audit_entries >= 15, "{name}: the audit log came along: {report:?}");
        drop(v);
        // Migrated forward: a format-1 header is in today's format (it named no database), a
        // format-2 one is left for a key rotation (`header`: its duress slot could not be carried
        // over), and the vault opens again as it is.
        let expected = if name == "v2" { 2 } else { FORMAT_VERSION };
        assert_eq!(KeyHeader::read(&dir).expect("header").version(), expected, "{name}");
        let v = Vault::unlock(&dir, &passphrase(&fixture)).expect("opens again");
        assert!(v.check().expect("check").is_ok());
        assert_eq!(v.page_mac().expect("page MAC"), written_with(&name), "{name}: the pages are left as they were");
    }
}

/// The page MAC a fixture's database was written with: SQLCipher 4's default until format 3.
fn written_with(fixture: &str) -> PageMac {
    match fixture {
        "v1" | "v2" => PageMac::Sha512,
        _ => PageMac::Sha256,
    }
}

#[test]
fn a_key_rotation_moves_every_fixture_to_sha256_pages_and_reads_the_same() {
    for fixture in fixtures() {
        let name = fixture.file_name().expect("name").to_string_lossy().into_owned();
        let (_tmp, dir) = copy(&fixture);
        let mut v = Vault::unlock(&dir, &passphrase(&fixture)).expect("unlock");
        let before: Vec<_> = Kind::ALL.iter().map(|&k| v.list(k, None, 1000).expect("list")).collect();
        let new = SecretString::from("a new passphrase for the rotated fixture");
        v.rotate_key(&passphrase(&fixture), &new, |_| {}).expect("rotate");
        drop(v);
        assert_eq!(KeyHeader::read(&dir).expect("header").version(), FORMAT_VERSION, "{name}");
        let v = Vault::unlock(&dir, &new).expect("unlock rotated");
        assert_eq!(v.page_mac().expect("page MAC"), PageMac::NEWEST, "{name}");
        let after: Vec<_> = Kind::ALL.iter().map(|&k| v.list(k, None, 1000).expect("list")).collect();
        assert_eq!(after, before, "{name}: every record reads the same");
        assert!(v.check().expect("check").is_ok(), "{name}");
    }
}

#[test]
fn a_decoy_made_in_a_fixture_carries_the_page_mac_its_header_format_promises() {
    for fixture in fixtures() {
        let name = fixture.file_name().expect("name").to_string_lossy().into_owned();
        let (_tmp, dir) = copy(&fixture);
        let mut v = Vault::unlock(&dir, &passphrase(&fixture)).expect("unlock");
        let duress = SecretString::from("a duress passphrase for the fixture");
        v.set_duress(&duress, DuressMode::Decoy).expect("set a decoy");
        drop(v);
        let version = KeyHeader::read(&dir).expect("header").version();
        let decoy = Vault::unlock(&dir, &duress).expect("the decoy opens");
        // A build that reads only format 2 must be able to open every database of a format-2
        // vault, the decoy a coercer is shown included.
        let expected = if version >= 3 { PageMac::Sha256 } else { PageMac::Sha512 };
        assert_eq!(decoy.page_mac().expect("page MAC"), expected, "{name} (format {version})");
    }
}

#[test]
fn fail_a_vault_with_a_migration_this_build_does_not_know_is_refused_untouched() {
    let newest = fixtures().pop().expect("a fixture");
    let (_tmp, dir) = copy(&newest);
    let v = Vault::unlock(&dir, &passphrase(&newest)).expect("unlock");
    v.tamper_for_tests(
        "INSERT INTO schema_migrations (key, applied_at) VALUES ('records/9999_from_the_future', '2030-01-01T00:00:00Z')",
    )
    .expect("a newer Gawahi's migration");
    drop(v);
    let before = snapshot(&dir);
    let err = Vault::unlock(&dir, &passphrase(&newest)).expect_err("refused");
    assert!(matches!(err, Error::NewerSchema), "{err:?}");
    assert!(err.to_string().contains("newer Gawahi"), "{err}");
    assert_eq!(snapshot(&dir), before, "the vault is left exactly as it was");
}

#[test]
fn fail_a_vault_with_a_newer_header_format_is_refused_untouched() {
    let newest = fixtures().pop().expect("a fixture");
    let (_tmp, dir) = copy(&newest);
    let path = dir.join("vault.header");
    let mut bytes = std::fs::read(&path).expect("header");
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let body = bytes.len() - 32;
    let sum = ring::digest::digest(&ring::digest::SHA256, &bytes[..body]);
    bytes[body..].copy_from_slice(sum.as_ref());
    std::fs::write(&path, &bytes).expect("write");
    let before = snapshot(&dir);
    let err = Vault::unlock(&dir, &passphrase(&newest)).expect_err("refused");
    assert!(matches!(err, Error::UnsupportedVersion(v) if v == FORMAT_VERSION + 1), "{err:?}");
    assert!(err.to_string().contains("newer Gawahi"), "{err}");
    assert_eq!(snapshot(&dir), before, "the vault is left exactly as it was");
}
