//! The bodies of the identity, contact and bundle commands (listed in `command_list.rs`): each
//! calls the core through the app's state. Bundle work reports how far it has got through the
//! `vault-progress` event (stages `sealing`, `checking`, `importing`, with the fraction of the
//! evidence bytes done) and stops when the window calls `cancel_bundle`.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use gawahi_core::bundle::reader::BundleOpener;
use gawahi_core::bundle::{Carries, Progress, Selection};
use gawahi_core::error::{Error, Invalid, Reason};
use gawahi_core::vault::{BundleRequest, Recipients};

use super::Cx;
use crate::ipc::IpcResult;
use crate::ipc::bundle::{
    AddContactRequest, BundleCheckCode, BundleExportedView, BundleImportedView, BundleOutcome, BundleReportView,
    CancelBundleRequest, ContactView, ExportBundleRequest, IdentityRequest, IdentityView, ListContactsRequest,
    OpenBundleRequest, RemoveContactRequest,
};

/// Set by `cancel_bundle`, read by the bundle operation under way. One flag for the process: the
/// window runs one bundle operation at a time (the vault is held for its whole length), and each
/// clears the flag as it starts.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// The most records or recipients one request names: more than any case holds, few enough that a
/// runaway list is refused before the vault is asked about each.
const MAX_LIST: usize = 10_000;

pub(super) fn identity(cx: &Cx<'_>, IdentityRequest {}: IdentityRequest) -> IpcResult<IdentityView> {
    Ok(cx.vault(gawahi_core::Vault::identity)?.into())
}

pub(super) fn list_contacts(cx: &Cx<'_>, ListContactsRequest {}: ListContactsRequest) -> IpcResult<Vec<ContactView>> {
    Ok(cx.vault(|v| v.contacts())?.into_iter().map(Into::into).collect())
}

pub(super) fn add_contact(cx: &Cx<'_>, r: AddContactRequest) -> IpcResult<ContactView> {
    let signing_key = r.signing_key.as_deref().map(str::trim).filter(|k| !k.is_empty());
    Ok(cx.vault(|v| v.add_contact(&r.name, r.age_recipient.trim(), signing_key))?.into())
}

pub(super) fn remove_contact(cx: &Cx<'_>, r: RemoveContactRequest) -> IpcResult<()> {
    // By id only: the core also takes a name, and the window always knows the id it shows.
    let id = gawahi_core::model::normalise_id(&r.id);
    if uuid_like(&id) { cx.vault(|v| v.remove_contact(&id)) } else { Err(Error::ContactNotFound.into()) }
}

/// Whether `s` has the shape of a UUID (so that a name is never taken for an id).
fn uuid_like(s: &str) -> bool {
    s.len() == 36
        && s.chars()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

pub(super) fn cancel_bundle(_cx: &Cx<'_>, CancelBundleRequest {}: CancelBundleRequest) -> IpcResult<()> {
    CANCEL.store(true, Ordering::SeqCst);
    Ok(())
}

/// A progress callback for the core: reports `stage` with the fraction done, and stops when the
/// window has asked to.
fn watch<'a>(cx: &'a Cx<'_>, stage: &'a str) -> impl FnMut(Progress) -> ControlFlow<()> + 'a {
    CANCEL.store(false, Ordering::SeqCst);
    (cx.progress)(stage, Some(0.0));
    move |p: Progress| {
        #[allow(clippy::cast_precision_loss, reason = "a fraction for a progress bar")]
        let fraction = if p.total == 0 { 0.0 } else { (p.done as f64 / p.total as f64).clamp(0.0, 1.0) };
        (cx.progress)(stage, Some(fraction));
        if CANCEL.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}

pub(super) fn export_bundle(cx: &Cx<'_>, r: ExportBundleRequest) -> IpcResult<BundleExportedView> {
    if r.record_ids.len() > MAX_LIST || r.contact_ids.len() > MAX_LIST || r.age_recipients.len() > MAX_LIST {
        return Err(Error::from(Invalid::field("records", Reason::TooLong, "too many at once")).into());
    }
    if r.path.is_empty() || !Path::new(&r.path).is_absolute() {
        return Err(
            Error::from(Invalid::field("path", Reason::UnreadableFile, "choose where to save the bundle")).into()
        );
    }
    let selection = match r.case_id {
        Some(case) => Selection::Case(case),
        None => Selection::Records(r.record_ids),
    };
    let passphrase = r.passphrase.is_some();
    let others = r.age_recipients.len();
    let to = match r.passphrase {
        Some(p) => Recipients::Passphrase(p),
        None => Recipients::Keys { age: r.age_recipients, contacts: r.contact_ids.clone() },
    };
    let carries = if r.working_copies { Carries::WorkingCopies } else { Carries::Originals };
    let request = BundleRequest { selection, to, carries };
    let mut progress = watch(cx, "sealing");
    let (done, contacts) = cx.vault(|v| {
        // The names of the contacts it is sealed for, for the result to say; an unknown id fails
        // here, before anything is written.
        let contacts = if passphrase {
            Vec::new()
        } else {
            r.contact_ids.iter().map(|id| v.contact(id).map(|c| c.name)).collect::<gawahi_core::Result<Vec<_>>>()?
        };
        Ok((v.export_bundle(&request, Path::new(&r.path), &mut progress)?, contacts))
    })?;
    (cx.progress)("done", None);
    // Watching a long export is using the app: the idle time starts again when it ends.
    cx.state.note_activity();
    Ok(BundleExportedView::of(done, r.working_copies, contacts, others, passphrase))
}

/// The opener a request asks for: its passphrase, or (none) the vault's own identity. And the
/// path, refused unless it is a plain file (a folder, a device or a pipe would hang or mislead
/// the reader), by its place and never by its name.
fn opening(r: OpenBundleRequest) -> IpcResult<(std::path::PathBuf, Option<BundleOpener>)> {
    let path = std::path::PathBuf::from(&r.path);
    if r.path.is_empty() || !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return Err(
            Error::from(Invalid::field("path", Reason::UnreadableFile, "is not a file that can be read")).into()
        );
    }
    Ok((path, r.passphrase.map(BundleOpener::Passphrase)))
}

/// A failed check as an answer for the window; any other error stays an error.
fn outcome_of<T>(result: gawahi_core::Result<T>, passed: impl FnOnce(T) -> BundleOutcome) -> IpcResult<BundleOutcome> {
    match result {
        Ok(t) => Ok(passed(t)),
        Err(Error::BundleRejected(check)) => {
            let (check, file_number) = BundleCheckCode::of(&check);
            Ok(BundleOutcome::Failed { check, file_number, too_new: None })
        }
        Err(Error::BundleTooNew(version)) => {
            Ok(BundleOutcome::Failed { check: BundleCheckCode::Other, file_number: None, too_new: Some(version) })
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn verify_bundle(cx: &Cx<'_>, r: OpenBundleRequest) -> IpcResult<BundleOutcome> {
    let (path, opener) = opening(r)?;
    let mut progress = watch(cx, "checking");
    let result = cx.vault(|v| {
        let report = match v.verify_bundle(&path, opener.as_ref(), None, &mut progress) {
            Ok(report) => report,
            Err(e) => return Ok(Err(e)),
        };
        let (contact, own) = signer_of(v, &report.signer_fingerprint)?;
        Ok(Ok(BundleReportView::of(report, contact, own)))
    })?;
    (cx.progress)("done", None);
    cx.state.note_activity();
    outcome_of(result, |report| BundleOutcome::Passed { report: Box::new(report), imported: None })
}

pub(super) fn import_bundle(cx: &Cx<'_>, r: OpenBundleRequest) -> IpcResult<BundleOutcome> {
    let (path, opener) = opening(r)?;
    let mut progress = watch(cx, "importing");
    let result = cx.vault(|v| {
        let done = match v.import_bundle(&path, opener.as_ref(), None, &mut progress) {
            Ok(done) => done,
            Err(e) => return Ok(Err(e)),
        };
        let (_, own) = signer_of(v, &done.report.signer_fingerprint)?;
        Ok(Ok((done, own)))
    })?;
    (cx.progress)("done", None);
    cx.state.note_activity();
    outcome_of(result, |(done, own)| {
        let imported = BundleImportedView::from(&done);
        BundleOutcome::Passed {
            report: Box::new(BundleReportView::of(done.report, done.signer_contact, own)),
            imported: Some(imported),
        }
    })
}

/// The saved contact whose fingerprint is `fingerprint`, and whether it is this vault's own.
fn signer_of(v: &mut gawahi_core::Vault, fingerprint: &str) -> gawahi_core::Result<(Option<String>, bool)> {
    let own = v.identity()?.fingerprint == fingerprint;
    let contact = v.contacts()?.into_iter().find(|c| c.fingerprint.as_deref() == Some(fingerprint)).map(|c| c.name);
    Ok((contact, own))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use gawahi_core::{ErrorCode, Kind, Vault};
    use secrecy::SecretString;

    use super::*;
    use crate::ipc::IpcError;
    use crate::ipc::bundle::PASSED_CHECKS;
    use crate::state::AppState;

    const CANARY: &str = "zqxcanary5521";

    /// The stop flag is the process's: the tests that seal or read bundles take turns, so that
    /// one's Stop never stops another's export.
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn turn() -> std::sync::MutexGuard<'static, ()> {
        TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A vault in the app's state holding a case; the state, its folder and the case's id.
    fn with_case() -> (tempfile::TempDir, AppState, String) {
        let (tmp, state, mut vault) = crate::commands::tests::new_state();
        let body = serde_json::json!({"title": "State v. Gul Bano", "case_kind": "criminalisation"});
        let case = vault.add(Kind::Case, body.as_object().expect("object").clone()).expect("case").id;
        state.opened(vault).expect("open");
        (tmp, state, case)
    }

    fn export(
        cx: &Cx<'_>,
        case: &str,
        to: Vec<String>,
        passphrase: Option<&str>,
        path: &Path,
    ) -> IpcResult<BundleExportedView> {
        export_bundle(
            cx,
            ExportBundleRequest {
                case_id: Some(case.to_owned()),
                record_ids: Vec::new(),
                contact_ids: Vec::new(),
                age_recipients: to,
                passphrase: passphrase.map(SecretString::from),
                working_copies: false,
                path: path.display().to_string(),
            },
        )
    }

    fn open(path: &Path, passphrase: Option<&str>) -> OpenBundleRequest {
        OpenBundleRequest { path: path.display().to_string(), passphrase: passphrase.map(SecretString::from) }
    }

    fn assert_clean(e: &IpcError) {
        assert!(!serde_json::to_string(e).expect("json").contains(CANARY), "{e:?}");
    }

    #[test]
    fn a_bundle_sealed_over_ipc_is_checked_and_imported_and_failures_are_answers() {
        let _turn = turn();
        let (tmp, state, case) = with_case();
        let cx = Cx::quiet(&state);
        let me = identity(&cx, IdentityRequest {}).expect("identity");
        let own = tmp.path().join("own.gawahi");
        let sealed = export(&cx, &case, vec![me.age_recipient.clone()], None, &own).expect("export");
        assert_eq!((sealed.records, sealed.contacts.len(), sealed.other_recipients), (1, 0, 1));
        assert_eq!(sealed.signer_fingerprint, me.fingerprint);

        let BundleOutcome::Passed { report, imported: None } = verify_bundle(&cx, open(&own, None)).expect("verify")
        else {
            panic!("the vault's own bundle passes")
        };
        assert!(report.signer_is_this_vault && report.whole_case && report.records == 1);
        assert_eq!(report.signer_fingerprint, me.fingerprint);
        assert_eq!(report.checks, PASSED_CHECKS);
        let BundleOutcome::Passed { imported: Some(i), .. } = import_bundle(&cx, open(&own, None)).expect("import")
        else {
            panic!("imports")
        };
        assert_eq!((i.records_added, i.records_present), (0, 1), "the case was already here");

        // A passphrase bundle: opened with it, refused without it or with another.
        let locked = tmp.path().join("passphrase.gawahi");
        export(&cx, &case, Vec::new(), Some("a long enough bundle passphrase"), &locked).expect("export");
        let failed = |r: OpenBundleRequest| match verify_bundle(&cx, r).expect("an answer") {
            BundleOutcome::Failed { check, .. } => check,
            BundleOutcome::Passed { .. } => panic!("should fail"),
        };
        assert_eq!(failed(open(&locked, None)), BundleCheckCode::NeedsPassphrase);
        assert_eq!(failed(open(&locked, Some("not the passphrase"))), BundleCheckCode::WrongPassphrase);
        assert_eq!(failed(open(&own, Some("a long enough bundle passphrase"))), BundleCheckCode::NeedsIdentity);
        assert!(matches!(
            verify_bundle(&cx, open(&locked, Some("a long enough bundle passphrase"))),
            Ok(BundleOutcome::Passed { .. })
        ));

        // Someone else's bundle, and a file that is no bundle.
        let other = tmp.path().join("other.gawahi");
        let stranger =
            Vault::create(&tmp.path().join("v2"), &SecretString::from("another vault phrase"), Duration::ZERO)
                .and_then(|mut v| v.identity())
                .expect("another vault");
        export(&cx, &case, vec![stranger.age_recipient], None, &other).expect("export");
        assert_eq!(failed(open(&other, None)), BundleCheckCode::NotAddressedToYou);
        let text = tmp.path().join(format!("{CANARY}.gawahi"));
        std::fs::write(&text, "not a bundle").expect("write");
        assert_eq!(failed(open(&text, None)), BundleCheckCode::NotABundle);
        // One flipped byte in the middle: refused, never imported.
        let mut bytes = std::fs::read(&own).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        let flipped = tmp.path().join("flipped.gawahi");
        std::fs::write(&flipped, bytes).expect("write");
        assert!(matches!(import_bundle(&cx, open(&flipped, None)), Ok(BundleOutcome::Failed { .. })));
    }

    #[test]
    fn fail_hostile_paths_keys_and_ids_are_refused_without_repeating_them() {
        let _turn = turn();
        let (tmp, state, case) = with_case();
        let cx = Cx::quiet(&state);
        let dir = tmp.path().join(CANARY);
        std::fs::create_dir(&dir).expect("dir");
        let fifo = tmp.path().join(format!("{CANARY}.fifo"));
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
        let bad = [
            dir.display().to_string(),
            fifo.display().to_string(),
            "/dev/zero".to_owned(),
            tmp.path().join(format!("{CANARY}-missing")).display().to_string(),
            format!("{CANARY}\n\u{1b}[2J"),
            String::new(),
            format!("/{}", CANARY.repeat(10_000)),
        ];
        for path in &bad {
            for e in [
                verify_bundle(&cx, OpenBundleRequest { path: path.clone(), passphrase: None }).expect_err("verify"),
                import_bundle(&cx, OpenBundleRequest { path: path.clone(), passphrase: None }).expect_err("import"),
            ] {
                assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("path")), "{path:?}");
                assert_clean(&e);
            }
        }
        let me = identity(&cx, IdentityRequest {}).expect("identity");
        // A destination that is not a new absolute path, an existing file, a folder.
        let existing = tmp.path().join(format!("{CANARY}-exists"));
        std::fs::write(&existing, "keep me").expect("write");
        for (dest, code) in [
            (Path::new(CANARY).to_owned(), ErrorCode::InvalidInput),
            (std::path::PathBuf::new(), ErrorCode::InvalidInput),
            (existing.clone(), ErrorCode::OutputExists),
            (dir.clone(), ErrorCode::OutputExists),
        ] {
            let e = export(&cx, &case, vec![me.age_recipient.clone()], None, &dest).expect_err("refused");
            assert_eq!(e.code, code, "{dest:?}: {e:?}");
            assert_clean(&e);
        }
        assert_eq!(std::fs::read_to_string(&existing).expect("read"), "keep me", "nothing overwritten");
        let out = tmp.path().join("out.gawahi");
        for to in [vec![CANARY.to_owned()], vec![format!("age1{CANARY}")], vec![format!("{CANARY}\u{202e}")]] {
            assert_clean(&export(&cx, &case, to, None, &out).expect_err("not a key"));
        }
        assert_clean(&export(&cx, &case, Vec::new(), None, &out).expect_err("nobody to open it"));
        assert_clean(&export(&cx, &case, Vec::new(), Some("short"), &out).expect_err("too short a passphrase"));
        let e =
            export(&cx, &format!("{CANARY}-case"), vec![me.age_recipient.clone()], None, &out).expect_err("no case");
        assert_clean(&e);
        let e = export_bundle(
            &cx,
            ExportBundleRequest {
                case_id: None,
                record_ids: vec![case.clone()],
                contact_ids: vec![format!("{CANARY}-contact")],
                age_recipients: Vec::new(),
                passphrase: None,
                working_copies: false,
                path: out.display().to_string(),
            },
        )
        .expect_err("no such contact");
        assert_eq!(e.code, ErrorCode::ContactNotFound);
        assert_clean(&e);
        let many = ExportBundleRequest {
            case_id: None,
            record_ids: vec![case.clone(); MAX_LIST + 1],
            contact_ids: Vec::new(),
            age_recipients: vec![me.age_recipient.clone()],
            passphrase: None,
            working_copies: false,
            path: out.display().to_string(),
        };
        assert!(export_bundle(&cx, many).is_err());
        assert!(!out.exists(), "no refused export wrote anything");

        // Contacts: a bad key, a hostile name, an id that is not one (nor a contact's name).
        let add = |name: &str, key: &str, signing: Option<&str>| {
            add_contact(
                &cx,
                AddContactRequest {
                    name: name.into(),
                    age_recipient: key.into(),
                    signing_key: signing.map(Into::into),
                },
            )
        };
        for (name, key, signing) in [
            ("Sana", CANARY, None),
            ("Sana", me.age_recipient.as_str(), Some(CANARY)),
            (&*format!("{CANARY}\u{1b}[2J"), me.age_recipient.as_str(), None),
            (&*CANARY.repeat(100), me.age_recipient.as_str(), None),
        ] {
            let e = add(name, key, signing).expect_err("refused");
            assert_eq!(e.code, ErrorCode::InvalidInput, "{e:?}");
            assert_clean(&e);
        }
        let named = add(CANARY, &me.age_recipient, Some(&me.signing_key)).expect("a canary is a fine name");
        assert_eq!(named.fingerprint.as_deref(), Some(me.fingerprint.as_str()));
        for id in [CANARY.to_owned(), format!("{CANARY}\n"), CANARY.repeat(1000), uuid_of_nobody()] {
            let e = remove_contact(&cx, RemoveContactRequest { id }).expect_err("no such contact");
            assert_eq!(e.code, ErrorCode::ContactNotFound);
            assert_clean(&e);
        }
        assert_eq!(list_contacts(&cx, ListContactsRequest {}).expect("list").len(), 1, "removed by id only");
        remove_contact(&cx, RemoveContactRequest { id: named.id }).expect("remove");
        assert!(list_contacts(&cx, ListContactsRequest {}).expect("list").is_empty());
    }

    fn uuid_of_nobody() -> String {
        "0190a0b0-0000-7000-8000-000000000000".to_owned()
    }

    #[test]
    fn fail_a_stopped_export_leaves_no_bundle() {
        let _turn = turn();
        let (tmp, state, case) = with_case();
        state
            .with_vault(|v| {
                v.add_evidence(&case, &vec![7u8; 3 * 1024 * 1024][..], gawahi_core::evidence::EvidenceMeta::default())
            })
            .expect("evidence");
        // The window's Stop, pressed as soon as some evidence has been sealed.
        let cx = Cx {
            state: &state,
            progress: Arc::new(|stage: &str, fraction: Option<f64>| {
                if stage == "sealing" && fraction.is_some_and(|f| f > 0.0) {
                    cancel_bundle(
                        &Cx::quiet(&AppState::new(Path::new("/nonexistent"), Path::new("/nonexistent"))),
                        CancelBundleRequest {},
                    )
                    .expect("cancel");
                }
            }),
            evidence_progress: Arc::new(|_| {}),
        };
        let me = identity(&cx, IdentityRequest {}).expect("identity");
        let out = tmp.path().join("stopped.gawahi");
        let e = export(&cx, &case, vec![me.age_recipient], None, &out).expect_err("stopped");
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert!(!out.exists(), "nothing under the name asked for");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert!(!left.iter().any(|n| n.to_string_lossy().ends_with(".part")), "{left:?}");
    }
}
