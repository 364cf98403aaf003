//! Camouflage's file names: a vault switched to neutral names (and back) opens and works under
//! either set; a switch stopped after any rename or killed at any moment leaves a vault that
//! opens with nothing lost; a file under both names is refused; everything that walks the
//! vault's files (wipe, duress, the unlock counter, rotation, recovery, evidence, check, the
//! plaintext scan) works with the neutral names.

use std::io::Read;
use std::path::{Path, PathBuf};

use gawahi_core::evidence::{EvidenceMeta, EvidenceReader};
use gawahi_core::files::{NEUTRAL, NameSet, OWN, renames_to};
use gawahi_core::vault::DuressMode;
use gawahi_core::{Error, Kind, Vault};
use serde_json::json;

use crate::support::{CHILD_VAULT, PASSPHRASE, add_every_kind, child, data, files_holding, new_vault, obj, pass};

/// Every name in `dir` and below it, relative to it.
fn listing(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            names.push(path.strip_prefix(dir).expect("inside").display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    names.sort();
    names
}

/// Fails unless no name in `dir` says what the folder is.
fn assert_neutral(dir: &Path) {
    for name in listing(dir) {
        let lower = name.to_lowercase();
        for word in ["vault", "gawahi", "evidence", "blob", "wip", "tries", "duress", "rotat"] {
            assert!(!lower.contains(word), "{name:?} says {word:?}: {:?}", listing(dir));
        }
    }
}

/// Fails unless every file of the vault in `dir` carries the names of `set` and none the other's.
fn assert_names(dir: &Path, set: NameSet) {
    let (ours, theirs) = match set {
        NameSet::Own => (&OWN, &NEUTRAL),
        _ => (&NEUTRAL, &OWN),
    };
    for name in [ours.header, ours.database, ours.aux, ours.tries, ours.blobs] {
        assert!(dir.join(name).exists(), "{name} is missing: {:?}", listing(dir));
    }
    for name in [theirs.header, theirs.database, theirs.aux, theirs.tries, theirs.blobs, theirs.lock] {
        assert!(!dir.join(name).exists(), "{name} is left over: {:?}", listing(dir));
    }
    assert_eq!(Vault::file_names(dir), set);
}

struct Filled {
    record: String,
    item: String,
    bytes: Vec<u8>,
}

/// A vault with records of every kind, an evidence file of several chunks, a draft and an unlock
/// limit, closed.
fn filled_vault() -> (tempfile::TempDir, PathBuf, Filled) {
    let (tmp, dir, mut v) = new_vault();
    add_every_kind(&mut v);
    let record = v.add(Kind::Incident, obj(json!({"title": "raid on the office"}))).expect("incident").id;
    let bytes = data(300_000, 7);
    let item = v.add_evidence(&record, bytes.as_slice(), EvidenceMeta::default()).expect("evidence").id;
    v.save_draft("editor", &json!({"route": "x", "values": {"title": "half typed"}})).expect("draft");
    v.set_unlock_limit(Some(20)).expect("limit");
    v.lock();
    (tmp, dir, Filled { record, item, bytes })
}

fn read_all(v: &mut Vault, id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    v.open_evidence(id).expect("open").read_to_end(&mut out).map_err(EvidenceReader::vault_error).expect("read");
    out
}

/// Unlocks the vault and fails unless everything in `filled` is there, whole, and checks clean.
fn assert_whole(dir: &Path, filled: &Filled) -> Vault {
    let mut v = Vault::unlock(dir, &pass(PASSPHRASE)).expect("the vault opens");
    assert_eq!(v.get(&filled.record).expect("record").data.label(), "raid on the office");
    assert_eq!(read_all(&mut v, &filled.item), filled.bytes);
    assert!(v.load_draft("editor").expect("draft").is_some(), "the draft is kept");
    let report = v.check().expect("check");
    assert!(report.is_ok(), "{:?}", report.problems);
    v
}

#[test]
fn camouflage_gives_every_file_a_neutral_name_and_the_vault_works_under_either_set() {
    let (_tmp, dir, filled) = filled_vault();
    assert_names(&dir, NameSet::Own);
    Vault::set_file_names(&dir, NameSet::Neutral).expect("camouflage on");
    assert_names(&dir, NameSet::Neutral);
    assert_neutral(&dir);
    let mut v = assert_whole(&dir, &filled);
    // Every write path uses the neutral names: a record, an evidence file, a passphrase change.
    v.add(Kind::Incident, obj(json!({"title": "a second raid"}))).expect("add");
    let more = data(70_000, 9);
    let item = v.add_evidence(&filled.record, more.as_slice(), EvidenceMeta::default()).expect("evidence").id;
    assert_eq!(read_all(&mut v, &item), more);
    v.change_passphrase(&pass(PASSPHRASE), &pass("another long passphrase")).expect("passwd");
    v.change_passphrase(&pass("another long passphrase"), &pass(PASSPHRASE)).expect("passwd back");
    v.lock();
    assert_neutral(&dir);
    assert_names(&dir, NameSet::Neutral);
    // A wrong passphrase is counted in the neutral counter.
    assert!(matches!(Vault::unlock(&dir, &pass("a wrong guess")), Err(Error::WrongPassphrase)));
    let attempts = Vault::unlock_attempts(&dir).expect("attempts");
    assert_eq!((attempts.limit, attempts.failed), (Some(20), 1));
    assert_neutral(&dir);
    // Switching it off gives the files their own names back.
    Vault::set_file_names(&dir, NameSet::Own).expect("camouflage off");
    assert_names(&dir, NameSet::Own);
    let mut v = assert_whole(&dir, &filled);
    assert_eq!(read_all(&mut v, &item), more);
    assert_eq!(Vault::unlock_attempts(&dir).expect("attempts").failed, 0, "reset by the unlock");
    // Switching to the set the files already have changes nothing.
    v.lock();
    Vault::set_file_names(&dir, NameSet::Own).expect("again");
    assert_names(&dir, NameSet::Own);
}

#[test]
fn an_open_vault_changes_its_names_and_keeps_working() {
    let (_tmp, dir, filled) = filled_vault();
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    v.change_file_names(NameSet::Neutral).expect("on");
    assert_names(&dir, NameSet::Neutral);
    assert_neutral(&dir);
    assert_eq!(read_all(&mut v, &filled.item), filled.bytes);
    let id = v.add(Kind::Incident, obj(json!({"title": "written after the switch"}))).expect("add").id;
    assert!(v.check().expect("check").is_ok());
    v.lock();
    assert_neutral(&dir);
    let mut v = assert_whole(&dir, &filled);
    assert_eq!(v.get(&id).expect("kept").data.label(), "written after the switch");
    v.change_file_names(NameSet::Own).expect("off");
    assert_names(&dir, NameSet::Own);
    v.add(Kind::Incident, obj(json!({"title": "and after switching back"}))).expect("add");
    v.lock();
    assert_whole(&dir, &filled).lock();
}

#[test]
fn fail_a_switch_stopped_after_any_rename_leaves_a_vault_that_opens_with_nothing_lost() {
    for to in [NameSet::Neutral, NameSet::Own] {
        let (_tmp, dir, filled) = filled_vault();
        if to == NameSet::Own {
            Vault::set_file_names(&dir, NameSet::Neutral).expect("start camouflaged");
        }
        let renames = renames_to(&dir, to).expect("renames");
        assert!(renames >= 6, "blobs, counter, decoy, database, header and lock at least: {renames}");
        for stop_after in 1..renames {
            let (_t, copy) = copy_vault(&dir);
            let stopped = Vault::set_file_names_interrupted(&copy, to, |done| {
                if done == stop_after { Err(std::io::Error::other("crash")) } else { Ok(()) }
            });
            assert!(stopped.is_err(), "{to:?} {stop_after}");
            // The switch put back what it had done (as far as the header's set goes); a crash
            // instead leaves the mix, which the tests below and the kill -9 test cover.
            let v = assert_whole(&copy, &filled);
            v.lock();
            assert_names(&copy, Vault::file_names(&copy));
        }
    }
}

#[test]
fn fail_a_crash_after_any_rename_is_finished_at_the_next_open_in_the_headers_direction() {
    for to in [NameSet::Neutral, NameSet::Own] {
        let (_tmp, dir, filled) = filled_vault();
        if to == NameSet::Own {
            Vault::set_file_names(&dir, NameSet::Neutral).expect("start camouflaged");
        }
        let from = Vault::file_names(&dir);
        let renames = renames_to(&dir, to).expect("renames");
        for stop_after in 1..renames {
            let (_t, copy) = copy_vault(&dir);
            // A panic unwinds out of the switch without letting it tidy up: what a crash leaves
            // (the lock file's lock goes with the process, as it does here with the unwinding).
            let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Vault::set_file_names_interrupted(&copy, to, |done| {
                    assert!(done != stop_after, "crash");
                    Ok(())
                })
            }));
            assert!(crashed.is_err(), "{to:?} {stop_after}");
            // The key header is the last rename but the lock file's.
            let expected = if stop_after >= renames - 1 { to } else { from };
            assert_eq!(Vault::file_names(&copy), expected, "{to:?} {stop_after}: {:?}", listing(&copy));
            assert_whole(&copy, &filled).lock();
            assert_names(&copy, expected);
        }
    }
}

#[test]
fn fail_a_mix_of_names_left_by_a_crash_is_completed_at_the_next_open_in_the_headers_direction() {
    let (_tmp, dir, filled) = filled_vault();
    // A crash after some files were renamed but before the header: the vault is still its own.
    std::fs::rename(dir.join(OWN.blobs), dir.join(NEUTRAL.blobs)).expect("blobs");
    std::fs::rename(dir.join(OWN.database), dir.join(NEUTRAL.database)).expect("db");
    assert_whole(&dir, &filled).lock();
    assert_names(&dir, NameSet::Own);
    // A crash after the header but before the rest: the vault is camouflaged.
    std::fs::rename(dir.join(OWN.tries), dir.join(NEUTRAL.tries)).expect("tries");
    std::fs::rename(dir.join(OWN.header), dir.join(NEUTRAL.header)).expect("header");
    assert_whole(&dir, &filled).lock();
    assert_names(&dir, NameSet::Neutral);
    assert_neutral(&dir);
}

#[test]
fn fail_a_file_under_both_names_is_refused_and_neither_is_used() {
    let (_tmp, dir, filled) = filled_vault();
    // An old copy of the database put back under the other set's name.
    std::fs::copy(dir.join(OWN.database), dir.join(NEUTRAL.database)).expect("copy");
    // A mix that would need renaming, so the clash is met.
    std::fs::rename(dir.join(OWN.tries), dir.join(NEUTRAL.tries)).expect("tries");
    let before = listing(&dir);
    assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::FileNamesClash)));
    assert!(matches!(Vault::set_file_names(&dir, NameSet::Neutral), Err(Error::FileNamesClash)));
    assert_eq!(listing(&dir), before, "nothing renamed");
    std::fs::remove_file(dir.join(NEUTRAL.database)).expect("the user moves the copy out");
    assert_whole(&dir, &filled).lock();

    // Both key headers: refused, whichever set the rest has.
    std::fs::copy(dir.join(OWN.header), dir.join(NEUTRAL.header)).expect("copy");
    let err = Vault::unlock(&dir, &pass(PASSPHRASE)).expect_err("two headers");
    assert!(matches!(err, Error::FileNamesClash), "{err:?}");
    assert_eq!(err.code().as_str(), "file_names_clash");
    // The message names no file and nothing the user typed.
    assert!(!err.to_string().contains(&dir.display().to_string()));
    std::fs::remove_file(dir.join(NEUTRAL.header)).expect("moved out");

    // A stray lock file under the other name is empty and is simply removed.
    std::fs::rename(dir.join(OWN.tries), dir.join(NEUTRAL.tries)).expect("tries");
    std::fs::write(dir.join(NEUTRAL.lock), b"").expect("stray lock");
    assert_whole(&dir, &filled).lock();
    assert!(!dir.join(NEUTRAL.lock).exists());
    assert_names(&dir, NameSet::Own);
}

#[test]
fn fail_renaming_a_vault_open_elsewhere_is_busy_and_renames_nothing() {
    let (_tmp, dir, _filled) = filled_vault();
    let open = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert!(matches!(Vault::set_file_names(&dir, NameSet::Neutral), Err(Error::Busy)));
    let mut second = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("a second program");
    assert!(matches!(second.change_file_names(NameSet::Neutral), Err(Error::Busy)));
    assert_names(&dir, NameSet::Own);
    // The refused one keeps working.
    second.add(Kind::Incident, obj(json!({"title": "still writable"}))).expect("add");
    drop(open);
    second.change_file_names(NameSet::Neutral).expect("alone now");
    assert_names(&dir, NameSet::Neutral);
}

#[test]
fn fail_a_folder_that_is_not_a_vault_is_not_renamed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mine = tmp.path().join("my documents");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("vault.db"), b"mine").expect("write");
    std::fs::create_dir(mine.join("blobs")).expect("mkdir");
    for set in [NameSet::Neutral, NameSet::Own] {
        assert!(matches!(Vault::set_file_names(&mine, set), Err(Error::VaultNotFound(_))));
    }
    assert!(matches!(
        Vault::set_file_names(&tmp.path().join("missing"), NameSet::Neutral),
        Err(Error::VaultNotFound(_))
    ));
    assert_eq!(listing(&mine), ["blobs", "vault.db"]);
}

#[test]
fn the_panic_wipe_of_a_camouflaged_vault_leaves_nothing_and_is_finished_after_a_crash() {
    use gawahi_core::vault::WipeStep;
    let (_tmp, dir, _filled) = filled_vault();
    Vault::set_file_names(&dir, NameSet::Neutral).expect("on");
    Vault::wipe(&dir).expect("wipe");
    assert!(!dir.exists());
    for stop_after in [WipeStep::Marker, WipeStep::Keys, WipeStep::Database, WipeStep::Blobs] {
        let (_tmp, dir, _filled) = filled_vault();
        Vault::set_file_names(&dir, NameSet::Neutral).expect("on");
        let stopped = Vault::wipe_interrupted(&dir, |step| {
            if step == stop_after { Err(std::io::Error::other("crash")) } else { Ok(()) }
        });
        assert!(stopped.is_err());
        // Even the marker of a wipe under way is neutral.
        assert!(dir.join(NEUTRAL.wipe_marker).is_file(), "{stop_after:?}: {:?}", listing(&dir));
        assert_neutral(&dir);
        assert!(matches!(Vault::unlock(&dir, &pass(PASSPHRASE)), Err(Error::VaultNotFound(_))));
        assert!(!dir.exists(), "{stop_after:?}");
    }
    // A wipe of a folder left with a mix of names takes both.
    let (_tmp, dir, _filled) = filled_vault();
    std::fs::rename(dir.join(OWN.blobs), dir.join(NEUTRAL.blobs)).expect("blobs");
    std::fs::rename(dir.join(OWN.aux), dir.join(NEUTRAL.aux)).expect("aux");
    Vault::wipe(&dir).expect("wipe");
    assert!(!dir.exists());
}

#[test]
fn duress_decoy_and_wipe_work_under_neutral_names_and_a_fresh_vault_keeps_them() {
    let (_tmp, dir, mut v) = new_vault();
    v.add(Kind::Incident, obj(json!({"title": "the real one"}))).expect("add");
    v.set_duress(&pass("a decoy passphrase"), DuressMode::Decoy).expect("decoy");
    v.lock();
    Vault::set_file_names(&dir, NameSet::Neutral).expect("on");
    let mut decoy = Vault::unlock(&dir, &pass("a decoy passphrase")).expect("decoy opens");
    assert!(decoy.is_decoy_for_tests());
    assert!(decoy.list(Kind::Incident, None, 10).expect("list").is_empty());
    decoy.add(Kind::Incident, obj(json!({"title": "harmless"}))).expect("the decoy is filled");
    // Switching names from the decoy works too (an onlooker sees an ordinary app).
    decoy.change_file_names(NameSet::Own).expect("off from the decoy");
    assert_eq!(decoy.list(Kind::Incident, None, 10).expect("list").len(), 1);
    decoy.change_file_names(NameSet::Neutral).expect("on from the decoy");
    decoy.lock();
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("owner");
    assert_eq!(v.list(Kind::Incident, None, 10).expect("list")[0].data.label(), "the real one");
    let mut v = v;
    v.set_duress(&pass("a wiping passphrase"), DuressMode::Wipe).expect("wipe mode");
    v.lock();
    let fresh = Vault::unlock(&dir, &pass("a wiping passphrase")).expect("a fresh vault");
    assert!(fresh.list(Kind::Incident, None, 10).expect("list").is_empty());
    fresh.lock();
    // The fresh vault made after the silent wipe has the wiped one's neutral names.
    assert_names(&dir, NameSet::Neutral);
    assert_neutral(&dir);
}

#[test]
fn key_rotation_and_recovery_restore_work_under_neutral_names() {
    let (_tmp, dir, filled) = filled_vault();
    Vault::set_file_names(&dir, NameSet::Neutral).expect("on");
    let mut v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    let shares = v.recovery_split(2, 3).expect("split");
    v.rotate_key(&pass(PASSPHRASE), &pass("a rotated passphrase"), |_| {}).expect("rotate");
    assert_eq!(read_all(&mut v, &filled.item), filled.bytes);
    let shares_after = v.recovery_split(2, 3).expect("split again");
    v.lock();
    assert_neutral(&dir);
    assert_names(&dir, NameSet::Neutral);
    assert!(Vault::restore_from_shares(&dir, &shares[..2], &pass(PASSPHRASE)).is_err(), "old shares");
    Vault::restore_from_shares(&dir, &shares_after[..2], &pass(PASSPHRASE)).expect("restore");
    assert_neutral(&dir);
    assert_whole(&dir, &filled).lock();
}

#[test]
fn fail_no_file_of_a_camouflaged_vault_holds_plaintext() {
    let (_tmp, dir, mut v) = new_vault();
    let canary = "camouflage-canary-7f3a9c";
    v.add(Kind::Incident, obj(json!({"title": canary, "description": canary}))).expect("add");
    let rec = v.add(Kind::Incident, obj(json!({"title": "x"}))).expect("add").id;
    let meta = EvidenceMeta { original_name: Some(format!("{canary}.txt")), ..EvidenceMeta::default() };
    v.add_evidence(&rec, canary.repeat(50).as_bytes(), meta).expect("evidence");
    v.change_file_names(NameSet::Neutral).expect("on");
    v.add(Kind::Person, obj(json!({"pseudonym": canary}))).expect("after the switch");
    let needles = crate::plaintext::encodings(canary);
    // While open, the write-ahead log exists under its neutral name and is scanned too.
    assert!(dir.join(format!("{}-wal", NEUTRAL.database)).exists(), "{:?}", listing(&dir));
    assert_eq!(files_holding(&dir, &needles), Vec::<String>::new());
    v.lock();
    assert_eq!(files_holding(&dir, &needles), Vec::<String>::new());
    assert_neutral(&dir);
    let db = std::fs::read(dir.join(NEUTRAL.database)).expect("db");
    assert!(!db.starts_with(b"SQLite format 3"), "a plaintext SQLite header");
    // The canary is really in there.
    let v = Vault::unlock(&dir, &pass(PASSPHRASE)).expect("unlock");
    assert_eq!(v.list(Kind::Person, None, 10).expect("list")[0].to_json()["pseudonym"], json!(canary));
}

#[test]
fn the_committed_fixtures_open_camouflaged() {
    let vaults = crate::support::data_dir().join("vaults");
    let mut seen = 0;
    for fixture in std::fs::read_dir(&vaults).expect("fixtures").map(|e| e.expect("entry").path()) {
        if !fixture.join("vault").is_dir() {
            continue;
        }
        seen += 1;
        let (_t, dir) = copy_vault(&fixture.join("vault"));
        let text = std::fs::read_to_string(fixture.join("passphrase.txt")).expect("passphrase");
        let passphrase = pass(text.lines().next().expect("line"));
        let counted = Vault::unlock(&dir, &passphrase).expect("opens").check().expect("check").records;
        Vault::set_file_names(&dir, NameSet::Neutral).expect("on");
        assert_neutral(&dir);
        let v = Vault::unlock(&dir, &passphrase).expect("opens camouflaged");
        assert_eq!(v.check().expect("check").records, counted);
        assert!(v.check().expect("check").is_ok());
    }
    assert!(seen >= 2);
}

/// A copy of the vault at `dir` (files and folders) in a new temporary folder.
fn copy_vault(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let to = tmp.path().join("vault");
    let status = std::process::Command::new("cp").arg("-a").arg(dir).arg(&to).status().expect("cp");
    assert!(status.success());
    (tmp, to)
}

#[test]
#[ignore = "a child process of fail_kill_9_while_switching_names_never_loses_the_vault"]
fn child_switches_names_in_a_loop() {
    let Some(dir) = std::env::var_os(CHILD_VAULT) else { return };
    let dir = PathBuf::from(dir);
    loop {
        for set in [NameSet::Neutral, NameSet::Own] {
            match Vault::set_file_names(&dir, set) {
                Ok(()) | Err(Error::Busy) => {}
                Err(e) => panic!("{e:?}"),
            }
        }
    }
}

#[test]
fn fail_kill_9_while_switching_names_never_loses_the_vault() {
    let (_tmp, dir, filled) = filled_vault();
    // A cheap generator is enough to spread the kills over the loop's renames.
    let mut seed = u64::from(std::process::id()) | 1;
    for round in 0..12 {
        let mut process = child("camouflage::child_switches_names_in_a_loop", &dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_millis(20 + seed % 60));
        process.kill().expect("kill -9");
        process.wait().expect("wait");
        let v = assert_whole(&dir, &filled);
        v.lock();
        let set = Vault::file_names(&dir);
        assert_names(&dir, set);
        if set == NameSet::Neutral {
            assert_neutral(&dir);
        }
        eprintln!("round {round}: {set:?}");
    }
}
