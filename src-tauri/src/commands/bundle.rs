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
    outcome_of(result, |report| BundleOutcome::Passed { report, imported: None })
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
    outcome_of(result, |(done, own)| {
        let imported = BundleImportedView::from(&done);
        BundleOutcome::Passed {
            report: BundleReportView::of(done.report, done.signer_contact, own),
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
