use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use gawahi_core::bundle::reader::{BundleCheck, BundleFile, BundleOpener, verify_bundle};
use gawahi_core::bundle::{Carries, Progress, Selection};
use gawahi_core::evidence::EvidenceMeta;
use gawahi_core::vault::{BundleRequest, Recipients};
use gawahi_core::{Error, Kind, SecretString, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, data, fixture, new_vault, obj, pass};

fn go(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// A case with a hearing, a linked person and an unrelated incident, and evidence on the case
/// (two files, one with a hostile name), the person and the incident.
pub struct Fixture {
    pub case: String,
    pub hearing: String,
    pub person: String,
    pub incident: String,
    pub files: Vec<Vec<u8>>,
}

pub fn populate(v: &mut Vault, evidence_len: usize) -> Fixture {
    let person = v.add(Kind::Person, fixture(Kind::Person, "", "")).expect("person").id;
    let case = v.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    let hearing = v.add(Kind::Hearing, fixture(Kind::Hearing, &case, &person)).expect("hearing").id;
    let incident = v.add(Kind::Incident, obj(json!({"title": "unrelated raid"}))).expect("incident").id;
    v.link(&person, &case, "victim").expect("link");
    let files = vec![data(evidence_len, 1), data(17, 2), data(5, 3), data(9, 4)];
    let names = ["../../etc/passwd\u{202e}gpj.exe", "FIR 112.pdf", "تصویر.jpg", "elsewhere.txt"];
    let on = [&case, &case, &person, &incident];
    for ((bytes, name), record) in files.iter().zip(names).zip(on) {
        let meta = EvidenceMeta { original_name: Some(name.to_owned()), ..Default::default() };
        v.add_evidence(record, bytes.as_slice(), meta).expect("evidence");
    }
    Fixture { case, hearing, person, incident, files }
}

pub fn to_vault(recipient: &str) -> Recipients {
    Recipients::Keys { age: vec![recipient.to_owned()], contacts: vec![] }
}

pub fn case_request(case: &str, to: Recipients) -> BundleRequest {
    BundleRequest { selection: Selection::Case(case.to_owned()), to, carries: Carries::Originals }
}

/// Writes `v`'s age identity to a file and returns an opener with it, and the file.
pub fn identity_of(v: &mut Vault, dir: &Path) -> (BundleOpener, PathBuf) {
    let path = dir.join(format!("key-{}.txt", uuid::Uuid::new_v4()));
    v.export_age_identity(&path).expect("export identity");
    let text = std::fs::read_to_string(&path).expect("identity file");
    (BundleOpener::Identity(SecretString::from(text)), path)
}

fn rejected(r: Result<impl std::fmt::Debug, Error>) -> BundleCheck {
    match r {
        Err(Error::BundleRejected(check)) => check,
        other => panic!("expected a rejected bundle, got {other:?}"),
    }
}

#[test]
fn identity_is_stable_across_unlocks_and_key_rotation_and_differs_between_vaults() {
    let (_tmp, dir, mut v) = new_vault();
    let first = v.identity().expect("identity");
    assert!(first.age_recipient.starts_with("age1") && first.age_recipient.len() == 62);
    assert!(first.signing_key.starts_with("ssh-ed25519 AAAA") && first.signing_key.ends_with(" gawahi"));
    assert_eq!(first.signing_key_hex.len(), 64);
    assert!(first.ssh_fingerprint.starts_with("SHA256:"));
    assert_eq!(first.fingerprint.split(' ').count(), 6);
    assert_eq!(v.identity().expect("again"), first);
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(v.identity().expect("after unlock"), first);
    v.rotate_key(&pass(PASSPHRASE), &pass("a new long passphrase"), |_| {}).expect("rotate");
    assert_eq!(v.identity().expect("after rotation"), first, "contacts keep the same keys");
    drop(v);
    let mut v = Vault::unlock(&dir, &pass("a new long passphrase")).expect("unlock");
    assert_eq!(v.identity().expect("after rotation and unlock"), first);
    assert!(v.check().expect("check").is_ok());
    let actions: Vec<String> = v.audit_tail(100).expect("audit").into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "identity.create").count(), 1, "made once");
    let (_tmp2, _dir2, mut other) = new_vault();
    let theirs = other.identity().expect("other identity");
    assert_ne!(theirs.age_recipient, first.age_recipient);
    assert_ne!(theirs.fingerprint, first.fingerprint);
}

#[test]
fn the_exported_age_identity_is_private_and_answers_the_recipient() {
    let (tmp, _dir, mut v) = new_vault();
    let id = v.identity().expect("identity");
    let path = tmp.path().join("me.txt");
    v.export_age_identity(&path).expect("export");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(&format!("# public key: {}", id.age_recipient)));
    let secret = text.lines().find(|l| l.starts_with("AGE-SECRET-KEY-1")).expect("secret line");
    let identity: age::x25519::Identity = secret.parse().expect("age parses it");
    assert_eq!(identity.to_public().to_string(), id.age_recipient);
    assert!(matches!(v.export_age_identity(&path), Err(Error::OutputExists)), "never overwrites");
}

#[test]
fn contacts_are_saved_listed_found_and_removed_with_fingerprints() {
    let (_tmp, _dir, mut v) = new_vault();
    let (_tmp2, _dir2, mut lawyer) = new_vault();
    let theirs = lawyer.identity().expect("identity");
    let c = v
        .add_contact("Advocate Sana — ثنا", &theirs.age_recipient, Some(&theirs.signing_key))
        .expect("add with signing key");
    assert_eq!(c.fingerprint.as_deref(), Some(theirs.fingerprint.as_str()), "side by side with theirs");
    let plain = age::x25519::Identity::generate().to_public().to_string();
    v.add_contact("Partner NGO", &plain, None).expect("add without signing key");
    let all = v.contacts().expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(v.contact("Partner NGO").expect("by name").age_recipient, plain);
    assert_eq!(v.contact(&c.id).expect("by id").name, "Advocate Sana — ثنا");
    assert!(matches!(
        v.add_contact("Partner NGO", &plain, None),
        Err(Error::Invalid(i)) if i.reason == gawahi_core::error::Reason::NameTaken
    ));
    v.remove_contact("Partner NGO").expect("remove");
    assert!(matches!(v.contact("Partner NGO"), Err(Error::ContactNotFound)));
    assert!(matches!(v.remove_contact("Partner NGO"), Err(Error::ContactNotFound)));
    let actions: Vec<String> = v.audit_tail(10).expect("audit").into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"contact.add".to_owned()) && actions.contains(&"contact.remove".to_owned()));
    assert!(v.check().expect("check").is_ok());
}

#[test]
fn fail_bad_contacts_are_refused_naming_the_field_not_the_value() {
    let (_tmp, _dir, mut v) = new_vault();
    let good = age::x25519::Identity::generate().to_public().to_string();
    let canary = "CANARY7f3a";
    let bad_recipients = [
        String::new(),
        canary.to_owned(),
        good.to_uppercase(),
        format!(" {good}"),
        format!("{good}\n"),
        good[..61].to_owned(),
        format!("{good}q"),
        format!("age1{}", "q".repeat(58)),
        format!("{}{canary}", &good[..52]),
        "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ".to_owned(),
        "x".repeat(10_000_000),
        format!("age1{}\u{0}", &good[4..]),
    ];
    for r in &bad_recipients {
        match v.add_contact("someone", r, None) {
            Err(Error::Invalid(i)) => {
                assert_eq!(i.field.as_deref(), Some("age_recipient"));
                assert!(!i.to_string().contains(canary));
            }
            other => panic!("accepted a bad recipient: {other:?}"),
        }
    }
    let bad_keys = [
        String::new(),
        format!("ssh-ed25519 {canary}"),
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x".to_owned(),
        format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{canary}"),
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG\nssh-ed25519 x".to_owned(),
        "a".repeat(100_000),
    ];
    for k in &bad_keys {
        match v.add_contact("someone", &good, Some(k)) {
            Err(Error::Invalid(i)) => {
                assert_eq!(i.field.as_deref(), Some("signing_key"));
                assert!(!i.to_string().contains(canary));
            }
            other => panic!("accepted a bad signing key: {other:?}"),
        }
    }
    for name in ["", "   ", "two\nlines", "bell\u{7}", "nul\u{0}", &"ن".repeat(101), "line\u{2028}sep", "\u{85}next"] {
        match v.add_contact(name, &good, None) {
            Err(Error::Invalid(i)) => {
                assert_eq!(i.field.as_deref(), Some("name"));
                assert!(name.trim().is_empty() || !i.to_string().contains(name.trim()));
            }
            other => panic!("accepted a bad name {name:?}: {other:?}"),
        }
    }
    assert!(v.contacts().expect("list").is_empty(), "nothing was saved");
}

#[test]
fn a_case_bundle_round_trips_into_another_vault_and_importing_twice_adds_nothing() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 200_000);
    let (_tmp_b, _dir_b, mut b) = new_vault();
    let b_id = b.identity().expect("b identity");
    let a_id = a.identity().expect("a identity");
    let out = tmp.path().join("case.gawahi");
    let mut reports = Vec::new();
    let exported = a
        .export_bundle(&case_request(&f.case, to_vault(&b_id.age_recipient)), &out, &mut |p| {
            reports.push(p);
            ControlFlow::Continue(())
        })
        .expect("export");
    assert_eq!(exported.records, 3, "the case, its hearing and the linked person; not the incident");
    assert_eq!(exported.links, 1);
    assert_eq!(exported.evidence, 3);
    assert_eq!(exported.signer_fingerprint, a_id.fingerprint);
    assert_eq!(reports.last().map(|p| (p.done, p.total)), Some((200_022, 200_022)));
    // Every exported item's custody log ends with the export.
    for item in a.list_evidence(Some(&f.case)).expect("list") {
        let last = a.custody(&item.id).expect("custody").pop().expect("entry");
        assert_eq!(last.action, "export");
        assert_eq!(last.detail, Some(format!("bundle {}", exported.bundle_id)));
    }
    assert!(a.check().expect("check a").is_ok());

    let report = b.verify_bundle(&out, None, Some(&a_id.fingerprint), &mut go).expect("verify");
    assert_eq!(report.signer_fingerprint, a_id.fingerprint);
    assert_eq!(report.evidence.len(), 3);
    assert_eq!(report.carries, Carries::Originals);
    // Each file sits directly in evidence/, under a name made of safe characters only.
    assert!(report.evidence.iter().all(|i| {
        let name = i.path.strip_prefix("evidence/").unwrap_or_default();
        !name.is_empty() && !name.contains('/') && name != ".." && !name.starts_with('.')
    }));

    b.add_contact("the sender", &a_id.age_recipient, Some(&a_id.signing_key)).expect("contact");
    let imported = b.import_bundle(&out, None, Some(&a_id.fingerprint), &mut go).expect("import");
    assert_eq!(imported.signer_contact.as_deref(), Some("the sender"));
    assert_eq!((imported.records_added, imported.links_added, imported.evidence_added), (3, 1, 3));
    assert_eq!(b.get(&f.case).expect("case").to_json(), a.get(&f.case).expect("case").to_json());
    assert_eq!(b.get(&f.hearing).expect("hearing").to_json(), a.get(&f.hearing).expect("hearing").to_json());
    assert!(b.get(&f.incident).is_err(), "not linked to the case, not in the bundle");
    let mut got: Vec<Vec<u8>> = Vec::new();
    for item in b.list_evidence(None).expect("list") {
        let mut bytes = Vec::new();
        b.open_evidence(&item.id).expect("open").read_to_end(&mut bytes).expect("read");
        got.push(bytes);
        let actions: Vec<String> = b.custody(&item.id).expect("custody").into_iter().map(|e| e.action).collect();
        assert_eq!(actions[..2], ["intake".to_owned(), "import".to_owned()]);
        let import = &b.custody(&item.id).expect("custody")[1];
        let detail = import.detail.as_deref().expect("detail");
        assert!(detail.contains(&a_id.fingerprint) && detail.contains(&exported.created_at), "{detail}");
    }
    got.sort();
    let mut want = f.files[..3].to_vec();
    want.sort();
    assert_eq!(got, want, "every file byte for byte");
    assert!(b.check().expect("check b").is_ok(), "{:?}", b.check());

    let again = b.import_bundle(&out, None, None, &mut go).expect("import again");
    assert_eq!((again.records_added, again.links_added, again.evidence_added), (0, 0, 0));
    assert_eq!((again.records_present, again.links_present, again.evidence_present), (3, 1, 3));
    assert_eq!(b.list_evidence(None).expect("list").len(), 3, "no duplicates");
    assert!(b.check().expect("check b").is_ok());
}

/// Before importing, the report lists each record the bundle holds: its kind, its title as the
/// vault labels it (the sender's text, kept exactly for the window and the CLI to isolate and
/// escape), its main date; an anonymous person's name stays withheld.
#[test]
fn fail_the_report_lists_every_record_before_import_and_withholds_what_the_export_withheld() {
    let (tmp, _dir, mut a) = new_vault();
    let hostile = "State v. R.\u{202e}txt.exe \u{2067}ریاست";
    let case = a
        .add(Kind::Case, obj(json!({"title": hostile, "case_kind": "criminalisation", "fir_date": "2024-03-05"})))
        .expect("case")
        .id;
    let hearing = a
        .add(Kind::Hearing, obj(json!({"case_id": case, "date": "2026-12-01", "purpose": "ضمانت"})))
        .expect("hearing")
        .id;
    let person = a.add(Kind::Person, obj(json!({"name": "Secret Name", "anonymous": true}))).expect("person").id;
    let incident = a.add(Kind::Incident, obj(json!({"title": "raid", "occurred_on": "2024-03"}))).expect("incident").id;
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let out = tmp.path().join("chosen.gawahi");
    let request = BundleRequest {
        selection: Selection::Records(vec![case.clone(), person.clone(), incident.clone()]),
        to: to_vault(&b_id.age_recipient),
        carries: Carries::Originals,
    };
    a.export_bundle(&request, &out, &mut go).expect("export");
    let report = b.verify_bundle(&out, None, None, &mut go).expect("verify");
    let listed: Vec<(&str, &str, &str, bool, Option<&str>)> = report
        .record_list
        .iter()
        .map(|r| (r.id.as_str(), r.kind.as_str(), r.title.as_str(), r.name_withheld, r.date.as_deref()))
        .collect();
    assert_eq!(report.records, report.record_list.len() as u64, "one entry per record");
    assert!(listed.contains(&(case.as_str(), "case", hostile, false, Some("2024-03-05"))), "{listed:?}");
    assert!(listed.contains(&(incident.as_str(), "incident", "raid", false, Some("2024-03"))), "{listed:?}");
    let p = listed.iter().find(|r| r.0 == person).expect("the person");
    assert!(p.3 && p.1 == "person" && p.4.is_none(), "{p:?}");
    let everything = serde_json::to_string(&report).expect("json");
    assert!(!everything.contains("Secret Name"), "an anonymous person's name never reaches the report");
    // The case's hearing travels with the case only when the whole case is sealed.
    if let Some(h) = listed.iter().find(|r| r.0 == hearing) {
        assert_eq!((h.1, h.4), ("hearing", Some("2026-12-01")));
    }
}

#[test]
fn chosen_records_bundle_to_a_passphrase_and_to_a_contact() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 10);
    let out = tmp.path().join("chosen.gawahi");
    let request = BundleRequest {
        selection: Selection::Records(vec![f.incident.clone()]),
        to: Recipients::Passphrase(pass("a long bundle passphrase")),
        carries: Carries::Originals,
    };
    let e = a.export_bundle(&request, &out, &mut go).expect("export");
    assert_eq!((e.records, e.evidence), (1, 1));
    let opener = BundleOpener::Passphrase(pass("a long bundle passphrase"));
    let report = verify_bundle(&out, &opener, None, &mut go).expect("verify");
    assert_eq!(report.records, 1);
    let wrong = BundleOpener::Passphrase(pass("another passphrase"));
    assert_eq!(rejected(verify_bundle(&out, &wrong, None, &mut go)), BundleCheck::WrongPassphrase);
    let (_t, _d, mut c) = new_vault();
    let (identity, _) = identity_of(&mut c, tmp.path());
    assert_eq!(rejected(verify_bundle(&out, &identity, None, &mut go)), BundleCheck::NeedsPassphrase);
    c.import_bundle(&out, Some(&opener), None, &mut go).expect("import with the passphrase");
    assert_eq!(c.get(&f.incident).expect("incident").id, f.incident);

    let c_id = c.identity().expect("c");
    a.add_contact("Lawyer", &c_id.age_recipient, None).expect("contact");
    let out2 = tmp.path().join("to-contact.gawahi");
    let request = BundleRequest {
        selection: Selection::Records(vec![f.person.clone()]),
        to: Recipients::Keys { age: vec![], contacts: vec!["Lawyer".to_owned()] },
        carries: Carries::Originals,
    };
    a.export_bundle(&request, &out2, &mut go).expect("export to contact");
    c.verify_bundle(&out2, None, None, &mut go).expect("the contact opens it");
    assert_eq!(rejected(verify_bundle(&out2, &opener, None, &mut go)), BundleCheck::NeedsIdentity);
}

#[test]
fn fail_export_refuses_bad_requests_and_leaves_nothing() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 10);
    let out = tmp.path().join("x.gawahi");
    let bad = [
        case_request(&f.incident, to_vault(&a.identity().expect("id").age_recipient)),
        case_request(&f.case, Recipients::Keys { age: vec![], contacts: vec![] }),
        case_request(&f.case, Recipients::Keys { age: vec!["age1nope".to_owned()], contacts: vec![] }),
        case_request(&f.case, Recipients::Keys { age: vec![], contacts: vec!["nobody".to_owned()] }),
        case_request(&f.case, Recipients::Passphrase(pass("short"))),
        case_request("not-an-id", Recipients::Passphrase(pass("a long bundle passphrase"))),
    ];
    for request in &bad {
        assert!(a.export_bundle(request, &out, &mut go).is_err(), "{request:?}");
        assert!(!out.exists());
    }
    std::fs::write(&out, b"already here").expect("write");
    let ok = case_request(&f.case, Recipients::Passphrase(pass("a long bundle passphrase")));
    assert!(matches!(a.export_bundle(&ok, &out, &mut go), Err(Error::OutputExists)));
    assert_eq!(std::fs::read(&out).expect("read"), b"already here", "never overwritten");
    let out2 = tmp.path().join("cancelled.gawahi");
    assert!(matches!(a.export_bundle(&ok, &out2, &mut |_| ControlFlow::Break(())), Err(Error::Cancelled)));
    let left: Vec<_> =
        std::fs::read_dir(tmp.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert!(!out2.exists() && left.iter().all(|n| !n.to_string_lossy().ends_with(".part")), "{left:?}");
    assert!(a.check().expect("check").is_ok());
}

/// Decrypts a bundle with `identity_file`, lets `edit` change its tar entries, and seals the result
/// to `recipient` again: what someone who can open a bundle (its addressee) could send on.
pub fn reseal(
    bundle: &Path,
    identity_file: &Path,
    recipient: &str,
    out: &Path,
    edit: impl FnOnce(&mut Vec<(tar::Header, Vec<u8>)>),
) {
    let text = std::fs::read_to_string(identity_file).expect("identity");
    let identity: age::x25519::Identity =
        text.lines().find(|l| l.starts_with("AGE-SECRET")).expect("secret").parse().expect("parse");
    let decryptor = age::Decryptor::new(std::fs::File::open(bundle).expect("open")).expect("age");
    let mut plain = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut plain)
        .expect("read");
    let mut archive = tar::Archive::new(plain.as_slice());
    let mut entries: Vec<(tar::Header, Vec<u8>)> = Vec::new();
    for e in archive.entries().expect("entries") {
        let mut e = e.expect("entry");
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).expect("read");
        entries.push((e.header().clone(), bytes));
    }
    edit(&mut entries);
    let mut tar = tar::Builder::new(Vec::new());
    for (mut h, bytes) in entries {
        if h.entry_type() == tar::EntryType::Regular {
            h.set_size(bytes.len() as u64);
        }
        h.set_cksum();
        tar.append(&h, bytes.as_slice()).expect("append");
    }
    let tar = tar.into_inner().expect("tar");
    let r: age::x25519::Recipient = recipient.parse().expect("recipient");
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).expect("encryptor");
    let mut w = enc.wrap_output(std::fs::File::create(out).expect("create")).expect("wrap");
    w.write_all(&tar).expect("write");
    w.finish().expect("finish");
}

/// A change to a bundle's tar entries.
type TarEdit = Box<dyn FnOnce(&mut Vec<(tar::Header, Vec<u8>)>)>;

#[test]
fn fail_hostile_and_changed_entries_are_refused_before_anything_is_imported() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 1000);
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let (opener, key_file) = identity_of(&mut b, tmp.path());
    let out = tmp.path().join("good.gawahi");
    a.export_bundle(&case_request(&f.case, to_vault(&b_id.age_recipient)), &out, &mut go).expect("export");
    let audit_before = b.audit_tail(1000).expect("audit").len();

    let header = |name: &[u8], kind: tar::EntryType, size: u64| {
        let mut h = tar::Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h
    };
    let evidence_at = |entries: &Vec<(tar::Header, Vec<u8>)>| {
        entries.iter().position(|(h, _)| h.path_bytes().starts_with(b"evidence/")).expect("an evidence entry")
    };
    let cases: Vec<(&str, TarEdit, BundleCheck)> = vec![
        (
            "a symlink before the manifest",
            Box::new(move |e| {
                let mut h = header(b"manifest.json", tar::EntryType::Symlink, 0);
                h.set_link_name("/etc/passwd").expect("link");
                e.insert(0, (h, Vec::new()));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "a ../ name",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.insert(at, (header(b"evidence/../../x", tar::EntryType::Regular, 1), vec![b'x']));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "an absolute name",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.insert(at, (header(b"/tmp/owned", tar::EntryType::Regular, 1), vec![b'x']));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "a hard link",
            Box::new(move |e| {
                let at = evidence_at(e);
                let mut h = header(b"evidence/link", tar::EntryType::Link, 0);
                h.set_link_name("manifest.json").expect("link");
                e.insert(at, (h, Vec::new()));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "a device",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.insert(at, (header(b"evidence/dev", tar::EntryType::Char, 0), Vec::new()));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "a directory",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.insert(at, (header(b"evidence", tar::EntryType::Directory, 0), Vec::new()));
            }),
            BundleCheck::UnsafeEntry,
        ),
        (
            "an entry twice",
            Box::new(move |e| {
                let at = evidence_at(e);
                let dup = e[at].clone();
                e.insert(at + 1, dup);
            }),
            BundleCheck::ExtraFile,
        ),
        (
            "an unlisted file",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.insert(at, (header(b"evidence/extra.exe", tar::EntryType::Regular, 2), b"MZ".to_vec()));
            }),
            BundleCheck::ExtraFile,
        ),
        (
            "an unlisted file at the end",
            Box::new(move |e| {
                let last = e.len() - 1;
                e.insert(last, (header(b"zzz.txt", tar::EntryType::Regular, 1), vec![b'z']));
            }),
            BundleCheck::ExtraFile,
        ),
        (
            "a file after SHA256SUMS",
            Box::new(move |e| {
                e.push((header(b"after.txt", tar::EntryType::Regular, 1), vec![b'a']));
            }),
            BundleCheck::ExtraFile,
        ),
        (
            "a file left out",
            Box::new(move |e| {
                let at = evidence_at(e);
                e.remove(at);
            }),
            BundleCheck::MissingFile { file: BundleFile::Evidence { index: 0, path: String::new() } },
        ),
        (
            "a file swapped",
            Box::new(move |e| {
                let at = evidence_at(e);
                e[at].1[0] ^= 1;
            }),
            BundleCheck::FileHash { file: BundleFile::Evidence { index: 0, path: String::new() } },
        ),
        (
            "the manifest changed",
            Box::new(move |e| {
                let m = String::from_utf8(e[0].1.clone()).expect("utf8");
                e[0].1 = m.replacen("\"size\": 17", "\"size\": 18", 1).into_bytes();
            }),
            BundleCheck::Signature,
        ),
        (
            "SHA256SUMS changed",
            Box::new(move |e| {
                let last = e.len() - 1;
                e[last].1.push(b'\n');
            }),
            BundleCheck::Checksums,
        ),
    ];
    for (what, edit, want) in cases {
        let bad = tmp.path().join("bad.gawahi");
        let _ = std::fs::remove_file(&bad);
        reseal(&out, &key_file, &b_id.age_recipient, &bad, edit);
        let got = rejected(b.import_bundle(&bad, Some(&opener), None, &mut go));
        match (&got, &want) {
            (BundleCheck::MissingFile { .. }, BundleCheck::MissingFile { .. })
            | (BundleCheck::FileHash { .. }, BundleCheck::FileHash { .. }) => {}
            _ => assert_eq!(got, want, "{what}"),
        }
        assert!(b.list_evidence(None).expect("list").is_empty(), "{what}: nothing imported");
        assert_eq!(b.audit_tail(1000).expect("audit").len(), audit_before, "{what}: nothing recorded");
        let blobs = std::fs::read_dir(b.dir().join("blobs")).map_or(0, Iterator::count);
        assert_eq!(blobs, 0, "{what}: no file left in blobs/");
    }
    assert!(!Path::new("/tmp/owned").exists());
    assert!(b.check().expect("check").is_ok());
}

#[test]
fn fail_a_manifest_resigned_by_another_key_fails_the_expected_signer() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 10);
    let a_id = a.identity().expect("a");
    let (_tm, _dm, mut mallory) = new_vault();
    let forged_case = populate(&mut mallory, 10);
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let genuine = tmp.path().join("genuine.gawahi");
    a.export_bundle(&case_request(&f.case, to_vault(&b_id.age_recipient)), &genuine, &mut go).expect("export");
    b.verify_bundle(&genuine, None, Some(&a_id.fingerprint), &mut go).expect("the genuine one passes");
    let forged = tmp.path().join("forged.gawahi");
    mallory
        .export_bundle(&case_request(&forged_case.case, to_vault(&b_id.age_recipient)), &forged, &mut go)
        .expect("export");
    assert_eq!(
        rejected(b.verify_bundle(&forged, None, Some(&a_id.fingerprint), &mut go)),
        BundleCheck::UnexpectedSigner
    );
    assert!(matches!(
        b.verify_bundle(&forged, None, Some("12345"), &mut go),
        Err(Error::Invalid(i)) if i.field.as_deref() == Some("signer")
    ));
    let (_tc, _dc, mut c) = new_vault();
    assert_eq!(rejected(c.verify_bundle(&genuine, None, None, &mut go)), BundleCheck::NotAddressedToYou);
}

/// The smallest real bundle: one person with a four-byte file, sealed to a second vault; the
/// bundle's bytes and an opener with the second vault's identity.
fn smallest_bundle(dir: &Path) -> (Vec<u8>, BundleOpener) {
    let (_ta, _da, mut a) = new_vault();
    let person = a.add(Kind::Person, fixture(Kind::Person, "", "")).expect("person").id;
    a.add_evidence(&person, &b"tiny"[..], EvidenceMeta::default()).expect("evidence");
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let (opener, _) = identity_of(&mut b, dir);
    let out = dir.join("small.gawahi");
    let request = BundleRequest {
        selection: Selection::Records(vec![person]),
        to: to_vault(&b_id.age_recipient),
        carries: Carries::Originals,
    };
    a.export_bundle(&request, &out, &mut go).expect("export");
    (std::fs::read(&out).expect("read"), opener)
}

/// Where age's text header ends in a bundle (after the `--- <MAC>` line).
fn header_end(good: &[u8]) -> usize {
    let at = good.windows(4).position(|w| w == b"\n---").expect("an age header");
    at + 1 + good[at + 1..].iter().position(|&b| b == b'\n').expect("the MAC line ends") + 1
}

/// The checks a flipped bit may fail, by where it lies. age's header is text: its version line,
/// the X25519 stanza (`-> X25519 <ephemeral share>` and the wrapped file key) and `--- <MAC>`;
/// then the binary payload (a 16-byte nonce, then ChaCha20-Poly1305 chunks).
/// - In the header: the file key cannot be unwrapped with this identity (a changed share or
///   wrapped key, an unknown stanza type), so no identity is addressed ("not addressed to you");
///   or the header is malformed or its MAC fails ("not a bundle").
/// - In the payload: its chunk fails authentication ("decryption"), and nothing else.
fn expected_checks(in_header: bool) -> Vec<BundleCheck> {
    if in_header {
        vec![BundleCheck::NotABundle, BundleCheck::NotAddressedToYou]
    } else {
        vec![BundleCheck::Decryption]
    }
}

/// Every single-bit flip of the smallest real bundle (every bit of it, none sampled) is refused
/// by the core's own check, each with the check its place calls for, on as many threads as the
/// machine has. The CLI's tamper test (tests/cli/tamper.rs) samples flips for the exit codes.
#[test]
fn fail_every_single_bit_flip_of_a_small_bundle_fails_the_check_its_place_calls_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (good, opener) = smallest_bundle(tmp.path());
    let bits = good.len() * 8;
    let header_end = header_end(&good);
    let (in_header, in_payload) = (expected_checks(true), expected_checks(false));
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).min(8);
    let started = std::time::Instant::now();
    let (wrong, seen): (Vec<(usize, String)>, Vec<BundleCheck>) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (good, opener, dir) = (&good, &opener, tmp.path());
                let (in_header, in_payload) = (&in_header, &in_payload);
                scope.spawn(move || {
                    use std::os::unix::fs::FileExt as _;
                    // Each thread's own copy, changed in place one byte at a time and put back.
                    let bad = dir.join(format!("flipped-{t}.gawahi"));
                    std::fs::write(&bad, good).expect("write");
                    let copy = std::fs::OpenOptions::new().write(true).open(&bad).expect("open");
                    let mut wrong = Vec::new();
                    let mut seen = Vec::new();
                    for bit in (t..bits).step_by(threads) {
                        let at = bit / 8;
                        copy.write_all_at(&[good[at] ^ (1 << (bit % 8))], at as u64).expect("flip");
                        let verdict = verify_bundle(&bad, opener, None, &mut go);
                        copy.write_all_at(&good[at..=at], at as u64).expect("put back");
                        let expected = if bit / 8 < header_end { in_header } else { in_payload };
                        match verdict {
                            Err(Error::BundleRejected(check)) if expected.contains(&check) => {
                                if !seen.contains(&check) {
                                    seen.push(check);
                                }
                            }
                            other => wrong.push((bit, format!("{other:?}"))),
                        }
                    }
                    (wrong, seen)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).fold((Vec::new(), Vec::new()), |mut acc, (w, s)| {
            acc.0.extend(w);
            acc.1.extend(s);
            acc
        })
    });
    eprintln!(
        "{bits} single-bit flips of a {}-byte bundle checked on {threads} threads in {:?}",
        good.len(),
        started.elapsed()
    );
    assert!(
        wrong.is_empty(),
        "{} flips not refused as expected, first: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    for check in [BundleCheck::NotABundle, BundleCheck::NotAddressedToYou, BundleCheck::Decryption] {
        assert!(seen.contains(&check), "no flip failed {check:?}: the regions are not what the test thinks");
    }
    let bad = tmp.path().join("untouched.gawahi");
    std::fs::write(&bad, &good).expect("write");
    verify_bundle(&bad, &opener, None, &mut go).expect("the untouched copy passes");
}

#[test]
fn fail_truncation_and_appended_bytes_are_caught() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (good, opener) = smallest_bundle(tmp.path());
    let bad = tmp.path().join("cut.gawahi");
    for cut in [0, 1, 20, good.len() / 3, good.len() / 2, good.len() - 17, good.len() - 1] {
        std::fs::write(&bad, &good[..cut]).expect("write");
        assert!(matches!(verify_bundle(&bad, &opener, None, &mut go), Err(Error::BundleRejected(_))), "cut at {cut}");
    }
    for extra in [vec![0u8], b"x".to_vec(), vec![0u8; 512], vec![7u8; 70_000]] {
        let mut bytes = good.clone();
        bytes.extend_from_slice(&extra);
        std::fs::write(&bad, &bytes).expect("write");
        assert_eq!(
            rejected(verify_bundle(&bad, &opener, None, &mut go)),
            BundleCheck::Decryption,
            "{} appended",
            extra.len()
        );
    }
}

#[test]
fn fail_a_stop_asked_for_mid_verify_or_mid_import_leaves_nothing() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 5 << 20);
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let out = tmp.path().join("big.gawahi");
    a.export_bundle(&case_request(&f.case, to_vault(&b_id.age_recipient)), &out, &mut go).expect("export");
    // Progress rises steadily to the total and is reported while the big file streams.
    let mut seen: Vec<Progress> = Vec::new();
    b.verify_bundle(&out, None, None, &mut |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .expect("verify");
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    assert!(seen.len() > 4, "reported as it streams: {}", seen.len());
    assert_eq!(seen.last().map(|p| p.done), seen.last().map(|p| p.total));
    let stop_halfway =
        |p: Progress| if p.done > p.total / 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) };
    let mut stop = stop_halfway;
    assert!(matches!(b.verify_bundle(&out, None, None, &mut stop), Err(Error::Cancelled)));
    // An import stopped in its second pass (while sealing files) keeps nothing.
    let mut calls = 0;
    let mut stop_late = |p: Progress| {
        calls += 1;
        // The first pass reports from 0 to the total; stop in the second, half way.
        if calls > 3 && p.done > p.total / 2 && p.done < p.total {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let stopped = b.import_bundle(&out, None, None, &mut stop_late);
    assert!(matches!(stopped, Err(Error::Cancelled)), "{stopped:?}");
    assert!(b.list_evidence(None).expect("list").is_empty());
    assert!(b.get(&f.case).is_err(), "no record kept");
    let blobs = std::fs::read_dir(b.dir().join("blobs")).map_or(0, Iterator::count);
    assert_eq!(blobs, 0, "the files sealed before the stop are gone");
    assert!(b.check().expect("check").is_ok());
    b.import_bundle(&out, None, None, &mut go).expect("then it imports whole");
    assert_eq!(b.list_evidence(None).expect("list").len(), 3);
}

#[test]
fn fail_a_damaged_blob_stops_the_export_and_leaves_no_bundle() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 300_000);
    let item = a.list_evidence(Some(&f.case)).expect("list").into_iter().find(|i| i.size == 300_000).expect("big item");
    let blob = a.evidence_blob_path_for_tests(&item.id).expect("blob");
    let mut bytes = std::fs::read(&blob).expect("read");
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&blob, &bytes).expect("write");
    let out = tmp.path().join("never.gawahi");
    let r = a.export_bundle(
        &case_request(&f.case, Recipients::Passphrase(pass("a long bundle passphrase"))),
        &out,
        &mut go,
    );
    assert!(matches!(r, Err(Error::EvidenceTampered)), "{r:?}");
    let left: Vec<_> =
        std::fs::read_dir(tmp.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert!(!out.exists() && left.iter().all(|n| !n.to_string_lossy().ends_with(".part")), "{left:?}");
}

#[test]
fn a_file_with_a_location_stays_marked_and_its_capture_values_travel_through_a_bundle() {
    let (tmp, _dir, mut a) = new_vault();
    let case = a.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    let photo = crate::evidence::jpeg_with_capture();
    let meta = EvidenceMeta { original_name: Some("IMG_0001.jpg".to_owned()), ..Default::default() };
    assert!(a.add_evidence(&case, photo.as_slice(), meta).expect("add").has_location);
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let out = tmp.path().join("gps.gawahi");
    a.export_bundle(&case_request(&case, to_vault(&b_id.age_recipient)), &out, &mut go).expect("export");
    let report = b.verify_bundle(&out, None, None, &mut go).expect("verify");
    assert!(report.evidence[0].has_location, "the report warns before import");
    let karachi = crate::evidence::karachi_capture();
    assert_eq!(report.evidence[0].capture.as_ref(), Some(&karachi), "and says what the file states");
    b.import_bundle(&out, None, None, &mut go).expect("import");
    let items = b.list_evidence(None).expect("list");
    assert!(items[0].has_location && items[0].media_type == "image/jpeg", "{items:?}");
    assert_eq!(items[0].capture.as_ref(), Some(&karachi), "read again from the bytes by the importing vault");
    assert!(b.check().expect("check").is_ok());
}

/// Asked for working copies, a bundle carries each original's redacted copy in its place, leaves
/// out originals that have none (and counts them), and says so in its manifest; the receiving
/// vault gets the copy's bytes, never the original's.
#[test]
fn a_working_copies_bundle_carries_the_copies_and_withholds_the_originals() {
    let (tmp, _dir, mut a) = new_vault();
    let f = populate(&mut a, 3_000);
    let (_tmp_b, _dir_b, mut b) = new_vault();
    let b_id = b.identity().expect("b identity");
    let on_case = a.list_evidence(Some(&f.case)).expect("list");
    let original = on_case.iter().find(|i| i.size == 3_000).expect("the large file");
    let redacted = data(1_234, 9);
    let meta = EvidenceMeta { original_name: Some("redacted.png".to_owned()), ..Default::default() };
    let copy = a
        .add_working_copy(&f.case, &original.id, redacted.as_slice(), meta, gawahi_core::evidence::CopyKind::Redaction)
        .expect("working copy");
    let out = tmp.path().join("copies.gawahi");
    let request = BundleRequest {
        selection: Selection::Case(f.case.clone()),
        to: to_vault(&b_id.age_recipient),
        carries: Carries::WorkingCopies,
    };
    let exported = a.export_bundle(&request, &out, &mut go).expect("export");
    assert_eq!(exported.evidence, 1, "the one working copy");
    assert_eq!(exported.withheld, 2, "the case's other file and the person's have no copy");
    let report = b.verify_bundle(&out, None, None, &mut go).expect("verify");
    assert_eq!(report.carries, Carries::WorkingCopies);
    assert_eq!(report.evidence.iter().map(|i| i.sha256.clone()).collect::<Vec<_>>(), vec![copy.sha256.clone()]);
    b.import_bundle(&out, None, None, &mut go).expect("import");
    let items = b.list_evidence(None).expect("list");
    assert_eq!(items.len(), 1);
    let mut bytes = Vec::new();
    b.open_evidence(&items[0].id).expect("open").read_to_end(&mut bytes).expect("read");
    assert_eq!(bytes, redacted, "the copy's bytes, not the original's");
    assert!(b.check().expect("check b").is_ok());
}

/// The committed bundle fixtures (`tests/data/bundles`, see its README) and the test key that
/// opens them.
fn committed_bundle(name: &str) -> (PathBuf, BundleOpener) {
    let dir = crate::support::data_dir().join("bundles");
    let key = std::fs::read_to_string(dir.join("recipient-identity.txt")).expect("fixture key");
    (dir.join(name), BundleOpener::Identity(SecretString::from(key)))
}

/// The manifest of a bundle sealed to the age identity in `identity_file`, as JSON.
fn manifest_of(bundle: &Path, identity_file: &Path) -> serde_json::Value {
    let mut manifest = None;
    reseal(
        bundle,
        identity_file,
        &age::x25519::Identity::generate().to_public().to_string(),
        &bundle.with_extension("copy"),
        |e| {
            let (_, bytes) = e.iter().find(|(h, _)| h.path_bytes().as_ref() == b"manifest.json").expect("a manifest");
            manifest = Some(serde_json::from_slice(bytes).expect("manifest JSON"));
        },
    );
    manifest.expect("read")
}

#[test]
fn a_committed_version_1_bundle_still_verifies_and_imports() {
    let (path, opener) = committed_bundle("v1.gawahi");
    let report = verify_bundle(&path, &opener, None, &mut go).expect("a version 1 bundle is read");
    assert_eq!((report.records, report.evidence.len()), (1, 1));
    assert!(report.evidence[0].capture.is_none());
    let (_t, _d, mut v) = new_vault();
    let imported = v.import_bundle(&path, Some(&opener), None, &mut go).expect("import");
    assert_eq!(imported.records_added, 1, "{imported:?}");
    assert!(v.check().expect("check").is_ok());
}

/// A newer format is refused by its version, read before anything else, as made by a newer
/// Gawahi: not as malformed because of a field this reader does not know.
#[test]
fn fail_a_newer_version_with_fields_this_reader_does_not_know_is_refused_as_newer() {
    let (path, opener) = committed_bundle("v99-unknown-fields.gawahi");
    let r = verify_bundle(&path, &opener, None, &mut go);
    assert!(matches!(r, Err(Error::BundleTooNew(99))), "{r:?}");
    assert_eq!(r.expect_err("refused").code(), gawahi_core::error::ErrorCode::BundleTooNew);
    let (_t, _d, mut v) = new_vault();
    assert!(matches!(v.import_bundle(&path, Some(&opener), None, &mut go), Err(Error::BundleTooNew(99))));
    assert!(v.list(Kind::Case, None, 10).expect("list").is_empty(), "nothing was imported");
}

/// `capture` came with version 2: a version 1 manifest that has one is not a version 1 manifest.
#[test]
fn fail_a_version_1_bundle_with_a_capture_is_malformed() {
    let (path, opener) = committed_bundle("v1-with-capture.gawahi");
    assert_eq!(rejected(verify_bundle(&path, &opener, None, &mut go)), BundleCheck::Manifest);
}

/// A bundle is written as the oldest version that holds what it carries: version 1 while no
/// evidence item has a `capture` (so a reader of version 1 still reads it), version 2 with one.
#[test]
fn a_bundle_is_version_2_only_when_its_evidence_carries_a_capture() {
    let (tmp, _dir, mut a) = new_vault();
    let case = a.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    a.add_evidence(&case, &b"plain text"[..], EvidenceMeta::default()).expect("text");
    let (_tb, _db, mut b) = new_vault();
    let b_id = b.identity().expect("b");
    let (_, key_file) = identity_of(&mut b, tmp.path());
    let plain = tmp.path().join("plain.gawahi");
    a.export_bundle(&case_request(&case, to_vault(&b_id.age_recipient)), &plain, &mut go).expect("export");
    let m = manifest_of(&plain, &key_file);
    assert_eq!(m["version"], json!(1));
    assert!(m["evidence"][0].get("capture").is_none(), "{m}");
    a.add_evidence(&case, crate::evidence::jpeg_with_capture().as_slice(), EvidenceMeta::default()).expect("photo");
    let photo = tmp.path().join("photo.gawahi");
    a.export_bundle(&case_request(&case, to_vault(&b_id.age_recipient)), &photo, &mut go).expect("export");
    let m = manifest_of(&photo, &key_file);
    assert_eq!(m["version"], json!(gawahi_core::bundle::VERSION_WITH_CAPTURE));
    assert!(m["evidence"].as_array().expect("items").iter().any(|i| i.get("capture").is_some()), "{m}");
    b.import_bundle(&photo, None, None, &mut go).expect("a version 2 bundle imports");
}
