//! The safety commands: `wipe` (the panic wipe), `duress` (the duress passphrase),
//! `unlock-limit` (the wipe after failed unlocks), `recovery` (recovery shares) and
//! `camouflage` (the vault's files' neutral names).

use std::path::Path;

use gawahi_core::Vault;
use gawahi_core::vault::{read_recovery_share, write_recovery_shares};
use serde_json::json;

use crate::output::{note, print_fields, print_json};
use crate::passphrase::{PassphraseSource, read_duress, read_new};
use crate::{DuressCommand, DuressModeArg, Failure, RecoveryCommand};

/// Warns, before the passphrase is asked, when the next wrong one wipes the vault.
pub fn warn_before_last_try(vault: &Path) {
    if Vault::unlock_attempts(vault).is_ok_and(|a| a.left() == Some(1)) {
        note("warning: one try left: the next wrong passphrase wipes this vault for good");
    }
}

/// `gawahi duress VAULT set|clear`.
pub fn duress(
    vault: &Path,
    command: DuressCommand,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
) -> Result<(), Failure> {
    match command {
        DuressCommand::Set { mode, duress_passphrase_file } => {
            let mut v = unlock(vault)?;
            let duress = read_duress(duress_passphrase_file.as_ref())?;
            let mode = match mode {
                DuressModeArg::Decoy => gawahi_core::vault::DuressMode::Decoy,
                DuressModeArg::Wipe => gawahi_core::vault::DuressMode::Wipe,
            };
            v.set_duress(&duress, mode)?;
            note(match mode {
                gawahi_core::vault::DuressMode::Wipe => {
                    "duress passphrase set: entered instead of the vault's passphrase, it wipes this vault \
                     silently and opens a fresh, empty one"
                }
                _ => {
                    "duress passphrase set: entered instead of the vault's passphrase, it opens a decoy vault, \
                     empty for now: unlock with it and add what an onlooker may see"
                }
            });
        }
        DuressCommand::Clear => {
            unlock(vault)?.clear_duress()?;
            note("no duress passphrase is set now");
        }
    }
    Ok(())
}

/// `gawahi unlock-limit VAULT [--set N|off]`.
pub fn unlock_limit(
    vault: &Path,
    set: Option<&str>,
    json: bool,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
    out: &mut impl std::io::Write,
) -> Result<(), Failure> {
    let mut v = unlock(vault)?;
    if let Some(value) = set {
        let limit = match value {
            "off" => None,
            "5" => Some(5),
            "10" => Some(10),
            "20" => Some(20),
            _ => return Err(Failure::Usage("--set takes 5, 10, 20 or off".to_owned())),
        };
        v.set_unlock_limit(limit)?;
    }
    let limit = v.unlock_limit();
    if json {
        print_json(out, &json!({"unlock_limit": limit}))?;
    } else {
        let text = limit.map_or_else(
            || "no limit: wrong passphrases never wipe this vault".to_owned(),
            |n| format!("the vault is wiped after {n} wrong passphrases in a row"),
        );
        print_fields(out, &[&text])?;
    }
    Ok(())
}

/// `gawahi camouflage VAULT [on|off]`: renames the vault's files (no passphrase needed), then
/// says which names they have.
pub fn camouflage(
    vault: &Path,
    to: Option<gawahi_core::files::NameSet>,
    json: bool,
    out: &mut impl std::io::Write,
) -> Result<(), Failure> {
    use gawahi_core::files::NameSet;
    if let Some(to) = to {
        Vault::set_file_names(vault, to)?;
    } else {
        // Saying which names a folder has is only for a vault (or one a wipe cut off, finished
        // first): any other folder is not ours to describe.
        Vault::finish_interrupted_wipe(vault)?;
        gawahi_core::header::KeyHeader::read(vault)?;
    }
    let on = Vault::file_names(vault) == NameSet::Neutral;
    if json {
        print_json(out, &json!({"camouflage": on}))?;
    } else {
        print_fields(
            out,
            &[if on {
                "camouflage on: the vault's files have neutral names (settings.bin, notes.db, attachments/…)"
            } else {
                "camouflage off: the vault's files have their own names (vault.header, vault.db, blobs/…)"
            }],
        )?;
    }
    Ok(())
}

/// `gawahi wipe VAULT --yes`.
pub fn wipe(vault: &Path, yes: bool) -> Result<(), Failure> {
    if !yes {
        return Err(Failure::Usage(
            "wipe destroys the vault for good: nothing in it can be recovered, with any passphrase. \
             Run it again with --yes to wipe"
                .to_owned(),
        ));
    }
    Vault::wipe(vault)?;
    note("wiped: the vault's keys are destroyed and its files removed");
    Ok(())
}

/// `gawahi recovery split|restore`.
pub fn recovery(
    command: RecoveryCommand,
    unlock: &dyn Fn(&Path) -> Result<Vault, Failure>,
    sources: &PassphraseSource,
    out: &mut impl std::io::Write,
) -> Result<(), Failure> {
    match command {
        RecoveryCommand::Split { vault, threshold, shares, out: dir, json } => {
            let mut v = unlock(&vault)?;
            let made = v.recovery_split(threshold, shares)?;
            let names = write_recovery_shares(&dir, &made)?;
            let vault_id = made.first().map(gawahi_core::shares::RecoveryShare::vault_id).unwrap_or_default();
            if json {
                print_json(
                    out,
                    &json!({"vault_id": vault_id, "threshold": threshold, "shares": shares, "files": names}),
                )?;
            } else {
                for name in &names {
                    print_fields(out, &[name])?;
                }
            }
            note(&format!(
                "wrote {shares} recovery share(s) of vault {vault_id}: any {threshold} of them set a new passphrase. \
                 Print each, give them to different people you trust, and delete the files"
            ));
        }
        RecoveryCommand::Restore { vault, share_files, json: _ } => {
            Vault::finish_interrupted_wipe(&vault)?;
            let mut given = Vec::with_capacity(share_files.len());
            for (i, path) in share_files.iter().enumerate() {
                given.push(read_recovery_share(path, i + 1)?);
            }
            let new = read_new(sources)?;
            Vault::restore_from_shares(&vault, &given, &new)?;
            note(
                "passphrase set from the recovery shares: the new passphrase opens the vault, and no other \
                 passphrase does. The shares still work: if any was lost or taken, make new ones with \
                 `gawahi passwd --rotate` and then `gawahi recovery split`",
            );
        }
    }
    Ok(())
}
