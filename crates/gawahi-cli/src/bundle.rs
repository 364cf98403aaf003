//! `gawahi contact …` and `gawahi bundle …`: contacts, and sealed bundles exported, verified and
//! imported. Every line a person reads goes through `output.rs`; `--json` prints the core's
//! structures exactly.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::Path;

use gawahi_core::bundle::reader::{BundleOpener, BundleReport, verify_bundle};
use gawahi_core::bundle::{Carries, Progress, Selection};
use gawahi_core::error::{Invalid, Reason};
use gawahi_core::vault::{BundleRequest, Recipients};
use gawahi_core::{SecretString, Vault};
use zeroize::Zeroizing;

use crate::output::{note, print_fields, print_json};
use crate::passphrase::PassphraseSource;
use crate::{BundleCommand, ContactCommand, Failure, io_reason};

pub(crate) fn contact(
    command: ContactCommand,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    match command {
        ContactCommand::Add { vault, name, age, signing_key, json } => {
            let c = unlock(&vault)?.add_contact(&name, &age, signing_key.as_deref())?;
            if json {
                print_json(out, &serde_json::to_value(&c).unwrap_or_default())?;
            } else {
                print_fields(out, &[&c.id, c.fingerprint.as_deref().unwrap_or("-")])?;
            }
        }
        ContactCommand::List { vault, json } => {
            let all = unlock(&vault)?.contacts()?;
            if json {
                print_json(out, &serde_json::to_value(&all).unwrap_or_default())?;
            } else {
                for c in &all {
                    print_fields(out, &[&c.id, &c.name, &c.age_recipient, c.fingerprint.as_deref().unwrap_or("-")])?;
                }
            }
        }
        ContactCommand::Remove { vault, contact } => {
            unlock(&vault)?.remove_contact(&contact)?;
            note("removed the contact");
        }
    }
    Ok(())
}

pub(crate) fn bundle(
    command: BundleCommand,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
    sources: &PassphraseSource,
    out: &mut impl Write,
) -> Result<(), Failure> {
    match command {
        BundleCommand::Export {
            vault,
            case,
            record,
            to,
            to_contact,
            bundle_passphrase_file,
            out: dest,
            working_copies,
            json,
        } => {
            let selection = match case {
                Some(c) => Selection::Case(c),
                None => Selection::Records(record),
            };
            let to = match bundle_passphrase_file {
                Some(f) => Recipients::Passphrase(first_line(&f, "bundle_passphrase_file")?),
                None if to.is_empty() && to_contact.is_empty() => {
                    return Err(Failure::Usage(
                        "say who may open the bundle: --to age1…, --to-contact NAME or --bundle-passphrase-file F"
                            .to_owned(),
                    ));
                }
                None => Recipients::Keys { age: to, contacts: to_contact },
            };
            let carries = if working_copies { Carries::WorkingCopies } else { Carries::Originals };
            let request = BundleRequest { selection, to, carries };
            let mut v = unlock(&vault)?;
            let mut progress = Meter::new("sealing the bundle");
            let done = v.export_bundle(&request, &dest, &mut |p| progress.show(p));
            progress.end();
            let e = done?;
            if json {
                print_json(out, &serde_json::to_value(&e).unwrap_or_default())?;
            } else {
                print_fields(out, &["bundle", &e.bundle_id])?;
                print_fields(out, &["signer fingerprint", &e.signer_fingerprint])?;
                print_fields(
                    out,
                    &[&format!(
                        "sealed {} records, {} links and {} evidence files ({} bytes)",
                        e.records, e.links, e.evidence, e.evidence_bytes
                    )],
                )?;
                if e.withheld > 0 {
                    note(&format!("{} original(s) left out: they have no working copy", e.withheld));
                }
                if e.anonymised > 0 {
                    note(&format!("{} person(s) flagged anonymous went without name and contact", e.anonymised));
                }
            }
        }
        BundleCommand::Verify { file, identity, signer, json } => {
            let opener = match (identity, &sources.file) {
                (Some(k), None) => BundleOpener::Identity(read_secret(&k, "identity")?),
                (None, Some(p)) => BundleOpener::Passphrase(first_line(p, "passphrase_file")?),
                _ => {
                    return Err(Failure::Usage(
                        "open the bundle with one of --identity KEYFILE or --passphrase-file F".to_owned(),
                    ));
                }
            };
            let mut progress = Meter::new("checking the bundle");
            let checked = verify_bundle(&file, &opener, signer.as_deref(), &mut |p| progress.show(p));
            progress.end();
            let report = checked?;
            if json {
                print_json(out, &serde_json::to_value(&report).unwrap_or_default())?;
            } else {
                print_report(out, &report, signer.is_some())?;
            }
        }
        BundleCommand::Import { vault, files, identity, bundle_passphrase_file, signer, json } => {
            let opener = match (identity, bundle_passphrase_file) {
                (Some(k), _) => Some(BundleOpener::Identity(read_secret(&k, "identity")?)),
                (None, Some(p)) => Some(BundleOpener::Passphrase(first_line(&p, "bundle_passphrase_file")?)),
                (None, None) => None,
            };
            let mut v = unlock(&vault)?;
            let mut all = Vec::new();
            for file in &files {
                let mut progress = Meter::new("importing the bundle");
                let done = v.import_bundle(file, opener.as_ref(), signer.as_deref(), &mut |p| progress.show(p));
                progress.end();
                let imported = done?;
                if !json {
                    print_report(out, &imported.report, signer.is_some())?;
                    if let Some(name) = &imported.signer_contact {
                        print_fields(out, &["signed by your contact", name])?;
                    }
                    print_fields(
                        out,
                        &[&format!(
                            "imported {} records ({} already here), {} links ({} already here), {} evidence files ({} already here)",
                            imported.records_added,
                            imported.records_present,
                            imported.links_added,
                            imported.links_present,
                            imported.evidence_added,
                            imported.evidence_present
                        )],
                    )?;
                }
                all.push(imported);
            }
            if json {
                print_json(out, &serde_json::to_value(&all).unwrap_or_default())?;
            }
        }
    }
    Ok(())
}

fn print_report(out: &mut impl Write, r: &BundleReport, signer_checked: bool) -> Result<(), Failure> {
    print_fields(out, &["ok", "decryption, signatures, every file's SHA-256 and SHA256SUMS verified"])?;
    print_fields(out, &["signer fingerprint", &r.signer_fingerprint])?;
    if !signer_checked {
        print_fields(
            out,
            &["signer", "NOT CHECKED: compare the fingerprint with the one the sender reads to you, or pass --signer"],
        )?;
    }
    print_fields(out, &["bundle", &r.bundle_id])?;
    print_fields(out, &["sealed at", &r.created_at])?;
    let carries = if r.carries == Carries::Originals { "originals" } else { "working copies" };
    print_fields(out, &["carries", carries])?;
    print_fields(out, &["records", &r.records.to_string()])?;
    // Each record before import: kind, date, title (the sender's text, escaped, last).
    for rec in &r.record_list {
        print_fields(out, &["record", &rec.kind, rec.date.as_deref().unwrap_or("-"), &rec.title])?;
    }
    print_fields(out, &["links", &r.links.to_string()])?;
    print_fields(out, &["evidence files", &r.evidence.len().to_string()])?;
    for i in &r.evidence {
        print_fields(
            out,
            &[&i.path, &i.size.to_string(), &i.media_type, if i.has_location { "location" } else { "-" }, &i.sha256],
        )?;
    }
    Ok(())
}

/// The first line of a passphrase file, without its line ending.
fn first_line(path: &Path, field: &'static str) -> Result<SecretString, Failure> {
    use secrecy::ExposeSecret as _;
    let text = read_secret(path, field)?;
    let first = text.expose_secret().split(['\n', '\r']).next().unwrap_or_default();
    Ok(SecretString::from(first))
}

/// A file holding a secret (an identity file, a passphrase), read into wiped memory.
fn read_secret(path: &Path, field: &'static str) -> Result<SecretString, Failure> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
        Invalid::field(field, Reason::UnreadableFile, format!("cannot read the file given: {}", io_reason(&e)))
    })?);
    Ok(SecretString::from(text.as_str()))
}

/// Progress on standard error, when it is a terminal.
struct Meter {
    what: &'static str,
    show: bool,
    shown: bool,
}

impl Meter {
    fn new(what: &'static str) -> Self {
        Self { what, show: std::io::stderr().is_terminal(), shown: false }
    }

    fn show(&mut self, p: Progress) -> ControlFlow<()> {
        if self.show && p.total > 0 {
            eprint!("\rgawahi: {}… {:>3}%", self.what, p.done.saturating_mul(100) / p.total);
            self.shown = true;
        }
        ControlFlow::Continue(())
    }

    fn end(&self) {
        if self.shown {
            eprintln!();
        }
    }
}
