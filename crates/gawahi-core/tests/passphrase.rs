use std::time::Duration;

use std::io::{BufRead, Read};
use std::sync::mpsc;

use gawahi_core::error::Error;
use gawahi_core::header::{KeyHeader, WriteStep};
use gawahi_core::vault::RotationStep;
use gawahi_core::{Kind, Vault};
use serde_json::json;

use crate::support::{PASSPHRASE, new_vault, obj, pass};

#[test]
fn fail_wrong_passphrase_is_told_apart() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    assert!(matches!(Vault::unlock(&dir, &pass("not the passphrase")), Err(Error::WrongPassphrase)));
    assert!(matches!(Vault::unlock(&dir, &pass("")), Err(Error::WrongPassphrase)));
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the right one still works");
}

#[test]
fn fail_no_vault_here() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert!(matches!(Vault::unlock(&tmp.path().join("nothing"), &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
    assert!(matches!(Vault::unlock(tmp.path(), &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
}

#[test]
fn fail_create_refuses_an_occupied_directory_and_a_short_passphrase() {
    let (tmp, dir, _v) = new_vault();
    assert!(matches!(Vault::create(&dir, &pass(PASSPHRASE), Duration::ZERO), Err(Error::VaultExists(_))));
    let err = Vault::create(&tmp.path().join("other"), &pass("short"), Duration::ZERO).expect_err("short");
    assert!(matches!(err, Error::Invalid(ref i) if i.field.as_deref() == Some("passphrase")), "{err}");
    assert!(!tmp.path().join("other").exists(), "a refused vault leaves nothing behind");
}

#[test]
fn changing_the_passphrase_keeps_the_data_and_retires_the_old_one() {
    let (_tmp, dir, mut v) = new_vault();
    let id = v.add(Kind::Task, obj(json!({"title": "ضمانت"}))).expect("add").id;
    let db_before = std::fs::metadata(dir.join("vault.db")).expect("db").len();
    v.change_passphrase(&pass(PASSPHRASE), &pass("a whole new passphrase")).expect("change");
    v.lock();
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::WrongPassphrase)));
    let v = Vault::unlock(&dir, &pass("a whole new passphrase")).expect("new works");
    assert_eq!(v.get(&id).expect("get").to_json()["title"], json!("ضمانت"));
    assert!(v.check().expect("check").is_ok());
    assert_eq!(std::fs::metadata(dir.join("vault.header")).expect("header").len(), gawahi_core::header::LEN as u64);
    assert!(db_before > 0);
}

#[test]
fn fail_changing_with_the_wrong_current_passphrase_changes_nothing() {
    let (_tmp, dir, mut v) = new_vault();
    let header = std::fs::read(dir.join("vault.header")).expect("header");
    assert!(matches!(
        v.change_passphrase(&pass("guessing wrong"), &pass("attacker's choice")),
        Err(Error::WrongPassphrase)
    ));
    assert!(matches!(v.change_passphrase(&pass(PASSPHRASE), &pass("short")), Err(Error::Invalid(_))));
    assert_eq!(std::fs::read(dir.join("vault.header")).expect("header"), header);
}

#[test]
fn kdf_parameters_are_at_least_the_floor_and_read_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    Vault::create(&dir, &pass(PASSPHRASE), Duration::from_millis(400)).expect("create").lock();
    let kdf = KeyHeader::read(&dir).expect("header").kdf;
    assert!(kdf.memory_kib >= gawahi_core::kdf::MIN_MEMORY_KIB, "{kdf:?}");
    assert!(kdf.iterations >= gawahi_core::kdf::MIN_ITERATIONS, "{kdf:?}");
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("opens with the parameters in its header");
}

#[test]
fn the_header_has_spare_slots_of_the_same_shape() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let a = std::fs::read(dir.join("vault.header")).expect("header");
    assert_eq!(a.len(), gawahi_core::header::LEN);
    // Slots 1..4 hold random bytes, not zeros: a spare slot is indistinguishable from a used one.
    let slots = &a[72..72 + 4 * 60];
    for s in slots.chunks(60).skip(1) {
        assert!(!s.starts_with(&[0; 8]) && !s.ends_with(&[0; 8]), "spare slot looks empty");
    }
}

#[test]
fn locking_closes_the_database() {
    let (_tmp, dir, v) = new_vault();
    assert!(dir.join("vault.db-wal").exists());
    v.lock();
    assert!(!dir.join("vault.db-wal").exists(), "the last connection checkpoints and removes the WAL");
}

/// An import file that hands out one line, then blocks until told to go on: an import that holds
/// the vault's write lock for as long as a test needs.
struct HeldImport {
    first: Option<Vec<u8>>,
    release: mpsc::Receiver<()>,
}

impl Read for HeldImport {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(line) = self.first.take() {
            buf[..line.len()].copy_from_slice(&line);
            return Ok(line.len());
        }
        let _ = self.release.recv();
        Ok(0)
    }
}

#[test]
fn fail_passwd_while_an_import_holds_the_vault_changes_nothing_and_says_so() {
    let (_tmp, dir, v) = new_vault();
    v.lock();
    let header_before = std::fs::read(dir.join("vault.header")).expect("header");
    let (go_on, release) = mpsc::channel();
    let (started_tx, started) = mpsc::channel();
    let import_dir = dir.clone();
    let importer = std::thread::spawn(move || {
        let mut v = Vault::unlock(&import_dir, &pass(PASSPHRASE)).expect("unlock for import");
        let reader = HeldImport { first: Some(b"{\"kind\": \"task\", \"title\": \"one\"}\n".to_vec()), release };
        let mut reader = std::io::BufReader::new(reader);
        // Read the first line ourselves so the write transaction is open before we signal.
        let _ = reader.fill_buf();
        started_tx.send(()).expect("signal");
        v.import_jsonl(reader)
    });
    started.recv().expect("import started");
    // The import's transaction is taken on its first record; give it a moment to be in it.
    std::thread::sleep(Duration::from_millis(300));
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock while importing");
    let err = v.change_passphrase(&pass(PASSPHRASE), &pass("a whole new passphrase")).expect_err("busy");
    assert!(matches!(err, Error::Busy), "{err:?}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    go_on.send(()).expect("release");
    importer.join().expect("join").expect("the import finishes");
    assert_eq!(std::fs::read(dir.join("vault.header")).expect("header"), header_before, "the header is untouched");
    drop(v);
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("the old passphrase still opens it");
    assert!(matches!(Vault::unlock(&dir, &pass("a whole new passphrase")), Err(Error::WrongPassphrase)));
}

#[test]
fn fail_a_crash_after_the_header_is_replaced_still_leaves_the_change_in_the_log() {
    let (_tmp, dir, mut v) = new_vault();
    let err = v
        .change_passphrase_interrupted(&pass(PASSPHRASE), &pass("a whole new passphrase"), |step| {
            if step == WriteStep::Renamed { Err(std::io::Error::other("killed here")) } else { Ok(()) }
        })
        .expect_err("the injected crash");
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    drop(v);
    let v = Vault::unlock(&dir, &pass("a whole new passphrase")).expect("the new passphrase opens it");
    let actions: Vec<String> = v.audit_tail(10).expect("log").into_iter().map(|e| e.action).collect();
    assert!(
        actions.iter().any(|a| a == "vault.header_change" || a == "vault.passphrase_change"),
        "the change is in the log: {actions:?}"
    );
    let header = KeyHeader::read(&dir).expect("header");
    assert_eq!(v.audit_tail(1).expect("log")[0].content_sha256.as_deref(), Some(header.sha256_hex().as_str()));
    assert!(v.check().expect("check").is_ok());
    drop(v);
    // Recorded once: a second unlock adds nothing.
    let v = Vault::unlock(&dir, &pass("a whole new passphrase")).expect("again");
    let n = v.audit_tail(100).expect("log").iter().filter(|e| e.action == "vault.header_change").count();
    assert!(n <= 1, "{n} entries");
}

#[test]
fn a_passphrase_change_is_in_the_log_with_the_new_headers_hash() {
    let (_tmp, dir, mut v) = new_vault();
    let done = v.change_passphrase(&pass(PASSPHRASE), &pass("a whole new passphrase")).expect("change");
    assert!(!done.rotated);
    let last = &v.audit_tail(1).expect("log")[0];
    assert_eq!(last.action, "vault.passphrase_change");
    assert_eq!(last.content_sha256.as_deref(), Some(KeyHeader::read(&dir).expect("h").sha256_hex().as_str()));
}

#[test]
fn fail_a_copy_of_the_old_header_opens_everything_until_the_key_is_rotated() {
    let (_tmp, dir, mut v) = new_vault();
    let old_header = std::fs::read(dir.join("vault.header")).expect("header");
    v.change_passphrase(&pass(PASSPHRASE), &pass("second passphrase")).expect("change");
    let later = v.add(Kind::Task, obj(json!({"title": "written after the change"}))).expect("add").id;
    v.lock();

    // What the CLI must say is true: without a rotation, the old header and passphrase still
    // open the vault, records written after the change included.
    let current = std::fs::read(dir.join("vault.header")).expect("header");
    std::fs::write(dir.join("vault.header"), &old_header).expect("put the old header back");
    let old = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("an old header copy still opens it");
    assert!(old.get(&later).is_ok());
    drop(old);
    std::fs::write(dir.join("vault.header"), &current).expect("restore");

    // A rotation makes it useless.
    let mut v = Vault::unlock(&dir, &pass("second passphrase")).expect("unlock");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_by = std::sync::Arc::clone(&seen);
    let done = v
        .rotate_key(&pass("second passphrase"), &pass("third passphrase"), move |f| {
            seen_by.lock().expect("lock").push(f);
        })
        .expect("rotate");
    assert!(done.rotated);
    assert_eq!(v.get(&later).expect("the vault reads on").to_json()["title"], json!("written after the change"));
    assert_eq!(v.audit_tail(1).expect("log")[0].action, "vault.key_rotation");
    assert!(v.check().expect("check").is_ok());
    v.lock();
    for (old, p) in [(&old_header, PASSPHRASE), (&current, "second passphrase")] {
        std::fs::write(dir.join("vault.header"), old).expect("try an old header");
        let err = Vault::unlock(&dir, &pass(p)).expect_err("an old header opens nothing any more");
        assert!(matches!(err, Error::DatabaseForeign), "{err:?}");
    }
    let fractions = seen.lock().expect("lock").clone();
    assert!(fractions.iter().all(|f| (0.0..=1.0).contains(f)), "{fractions:?}");
}

#[test]
fn rotation_reports_progress_on_a_vault_of_some_size() {
    let (_tmp, _dir, mut v) = new_vault();
    let items: Vec<_> = (0..3000)
        .map(|i| (Kind::Incident, obj(json!({"title": format!("واقعہ {i}"), "description": "تفصیل ".repeat(200)}))))
        .collect();
    v.add_batch(items).expect("batch");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_by = std::sync::Arc::clone(&seen);
    v.rotate_key(&pass(PASSPHRASE), &pass("another passphrase"), move |f| seen_by.lock().expect("lock").push(f))
        .expect("rotate");
    let fractions = seen.lock().expect("lock").clone();
    assert!(fractions.len() >= 3, "{} reports", fractions.len());
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "progress only goes forward");
    assert!(fractions.last().copied().unwrap_or(0.0) > 0.5, "{fractions:?}");
    assert_eq!(v.count(Kind::Incident).expect("count"), 3000);
}

#[test]
fn fail_a_rotation_stopped_at_any_step_leaves_exactly_one_passphrase_working() {
    for (stop, new_works) in
        [(RotationStep::Copied, false), (RotationStep::HeaderSwitched, true), (RotationStep::DatabaseSwitched, true)]
    {
        let (_tmp, dir, mut v) = new_vault();
        let id = v.add(Kind::Task, obj(json!({"title": "survives"}))).expect("add").id;
        let err = v
            .rotate_key_interrupted(
                &pass(PASSPHRASE),
                &pass("the new passphrase"),
                |_| {},
                |step| {
                    if step == stop { Err(std::io::Error::other("killed here")) } else { Ok(()) }
                },
            )
            .expect_err("stopped");
        assert!(matches!(err, Error::Io { .. }), "{stop:?}: {err:?}");
        drop(v);
        let old = Vault::unlock(&dir, &pass(PASSPHRASE));
        let new = Vault::unlock(&dir, &pass("the new passphrase"));
        assert_eq!(old.is_ok(), !new_works, "{stop:?}: old {:?}", old.as_ref().err());
        assert_eq!(new.is_ok(), new_works, "{stop:?}: new {:?}", new.as_ref().err());
        let v = if new_works { new.expect("new") } else { old.expect("old") };
        assert_eq!(v.get(&id).expect("the record").to_json()["title"], json!("survives"));
        assert!(v.check().expect("check").is_ok(), "{stop:?}: {:?}", v.check());
        if new_works {
            assert!(v.audit_tail(5).expect("log").iter().any(|e| e.action == "vault.key_rotation"), "{stop:?}");
        }
        drop(v);
        assert!(!dir.join("vault.db.rotating").exists(), "{stop:?}: leftovers are cleared");
    }
}

#[test]
fn fail_opening_the_vault_during_a_rotation_waits_its_turn_and_never_calls_the_database_foreign() {
    let (_tmp, dir, mut v) = new_vault();
    let (at_switch, reached) = mpsc::channel();
    let (go_on, release) = mpsc::channel::<()>();
    let rotation = std::thread::spawn(move || {
        let done = v.rotate_key_interrupted(
            &pass(PASSPHRASE),
            &pass("the new passphrase"),
            |_| {},
            |step| {
                if step == RotationStep::HeaderSwitched {
                    at_switch.send(()).expect("signal");
                    let _ = release.recv();
                }
                Ok(())
            },
        );
        (v, done)
    });
    reached.recv().expect("the rotation reached its switch");
    // The header is the new one, the database file still the old one: another program opening
    // the vault now must be told to wait, not that its database is foreign.
    for p in [PASSPHRASE, "the new passphrase"] {
        let err = Vault::unlock(&dir, &pass(p)).expect_err("mid-rotation");
        assert!(matches!(err, Error::RotationInProgress), "{err:?}");
    }
    go_on.send(()).expect("release");
    let (v, done) = rotation.join().expect("join");
    done.expect("the rotation finishes");
    drop(v);
    Vault::unlock(&dir, &pass("the new passphrase")).expect("then it opens");
}

#[test]
fn fail_something_in_the_way_of_a_rotation_is_named() {
    let (_tmp, dir, mut v) = new_vault();
    std::fs::create_dir(dir.join("vault.db.rotating")).expect("mkdir");
    std::fs::write(dir.join("vault.db.rotating").join("x"), b"x").expect("file");
    let err = v.rotate_key(&pass(PASSPHRASE), &pass("the new passphrase"), |_| {}).expect_err("in the way");
    assert!(err.to_string().contains("vault.db.rotating") && err.to_string().contains("in the way"), "{err}");
    drop(v);
    Vault::unlock(&dir, &pass(PASSPHRASE)).expect("nothing changed");
}

#[cfg(unix)]
#[test]
fn fail_a_vault_in_a_folder_whose_name_is_not_utf8_can_be_rotated() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join(std::ffi::OsStr::from_bytes(b"non\xffutf ?#%"));
    let mut v = Vault::create(&dir, &pass(PASSPHRASE), Duration::ZERO).expect("create");
    let id = v.add(Kind::Task, obj(json!({"title": "kept"}))).expect("add").id;
    v.rotate_key(&pass(PASSPHRASE), &pass("the new passphrase"), |_| {}).expect("rotate");
    drop(v);
    let v = Vault::unlock(&dir, &pass("the new passphrase")).expect("unlock");
    assert_eq!(v.get(&id).expect("get").to_json()["title"], json!("kept"));
}

#[test]
fn fail_rotation_while_another_program_has_the_vault_open_changes_nothing() {
    let (_tmp, dir, mut v) = new_vault();
    let other = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a second program opens it");
    let header = std::fs::read(dir.join("vault.header")).expect("header");
    let err = v.rotate_key(&pass(PASSPHRASE), &pass("the new passphrase"), |_| {}).expect_err("busy");
    assert!(matches!(err, Error::Busy), "{err:?}");
    assert_eq!(std::fs::read(dir.join("vault.header")).expect("header"), header);
    drop(other);
    v.rotate_key(&pass(PASSPHRASE), &pass("the new passphrase"), |_| {}).expect("alone, it works");
}
