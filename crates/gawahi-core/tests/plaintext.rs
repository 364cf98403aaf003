use base64::Engine as _;
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, files_holding, new_vault, obj, pass};

/// Every encoding in which a careless layer could leak `canary` to disk.
pub(crate) fn encodings(canary: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("utf-8".to_owned(), canary.as_bytes().to_vec())];
    let le: Vec<u8> = canary.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = canary.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.push(("utf-16le".into(), le));
    out.push(("utf-16be".into(), be));
    // Base64 depends on alignment: encode from each of three offsets and look for the part
    // that does not depend on what precedes or follows.
    for offset in 0..3 {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&canary.as_bytes()[offset..]);
        let stable = &encoded[..encoded.len().saturating_sub(4)];
        out.push((format!("base64+{offset}"), stable.as_bytes().to_vec()));
    }
    out
}

#[test]
fn fail_no_file_in_the_vault_directory_holds_plaintext() {
    let (_tmp, dir, mut v) = new_vault();
    let canary = format!("CANARY{}", uuid_like());
    let urdu_canary = format!("گواہی{}نشان", uuid_like());
    let mut ids = Vec::new();
    for kind in [Kind::Incident, Kind::Threat, Kind::Task] {
        ids.push(v.add(kind, obj(json!({"title": format!("{canary} {urdu_canary}")}))).expect("add").id);
    }
    let person = v
        .add(Kind::Person, obj(json!({"name": canary, "pseudonym": urdu_canary, "contact": canary})))
        .expect("person")
        .id;
    v.update(&ids[0], obj(json!({"description": canary.repeat(50)}))).expect("update");
    v.link(&person, &ids[0], "victim").expect("link");

    let mut needles = encodings(&canary);
    needles.extend(encodings(&urdu_canary).into_iter().filter(|(n, _)| !n.starts_with("base64")));

    // While the vault is open the write-ahead log and its index exist: they are scanned too.
    assert!(dir.join("vault.db-wal").exists(), "the WAL should be there while the vault is open");
    let open_leaks = files_holding(&dir, &needles);
    assert!(open_leaks.is_empty(), "{open_leaks:#?}");

    v.lock();
    let closed_leaks = files_holding(&dir, &needles);
    assert!(closed_leaks.is_empty(), "{closed_leaks:#?}");

    let db = std::fs::read(dir.join("vault.db")).expect("db");
    assert!(!db.starts_with(b"SQLite format 3"), "vault.db has a plaintext SQLite header");

    // The canary is really in there: the same scan finds it through the API.
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert!(v.get(&person).expect("get").to_json()["name"] == json!(canary));
}

#[test]
fn fail_the_scanner_finds_a_planted_canary() {
    // Guards the test above against a scanner that can never find anything.
    let tmp = tempfile::tempdir().expect("tmp");
    let canary = format!("CANARY{}", uuid_like());
    for (i, (_, bytes)) in encodings(&canary).into_iter().enumerate() {
        std::fs::write(tmp.path().join(format!("f{i}")), [b"xx".as_slice(), &bytes, b"yy"].concat()).expect("write");
    }
    assert_eq!(files_holding(tmp.path(), &encodings(&canary)).len(), 6);
}

fn uuid_like() -> String {
    format!("{:032x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_nanos())
}

#[test]
fn fail_no_file_in_the_vault_directory_holds_evidence_or_its_name_in_plaintext() {
    let (_tmp, dir, mut v) = new_vault();
    let canary = format!("CANARY{}", uuid_like());
    let name_canary = format!("NAME{}", uuid_like());
    let rec = v.add(Kind::Incident, obj(json!({"title": "raid"}))).expect("incident").id;
    // The content's canary in the first chunk, across a chunk boundary and in the last chunk.
    let mut content = vec![b'.'; 200_000];
    for at in [10, 64 * 1024 - 5, 199_000] {
        content[at..at + canary.len()].copy_from_slice(canary.as_bytes());
    }
    let meta = gawahi_core::evidence::EvidenceMeta {
        original_name: Some(format!("{name_canary}.jpg")),
        source: Some(name_canary.clone()),
        ..Default::default()
    };
    let item = v.add_evidence(&rec, content.as_slice(), meta).expect("add");
    let mut needles = encodings(&canary);
    needles.extend(encodings(&name_canary));
    let leaks = files_holding(&dir, &needles);
    assert!(leaks.is_empty(), "{leaks:#?}");
    v.lock();
    let leaks = files_holding(&dir, &needles);
    assert!(leaks.is_empty(), "{leaks:#?}");
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let mut back = Vec::new();
    std::io::Read::read_to_end(&mut v.open_evidence(&item.id).expect("open"), &mut back).expect("read");
    assert_eq!(back, content, "the canaries are really in there");
}
