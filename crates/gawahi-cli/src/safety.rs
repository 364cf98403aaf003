//! The safety commands: `wipe` (the panic wipe) and `recovery` (recovery shares).

use std::path::Path;

use gawahi_core::Vault;
use gawahi_core::vault::{read_recovery_share, write_recovery_shares};
use serde_json::json;

use crate::output::{note, print_fields, print_json};
use crate::passphrase::{PassphraseSource, read_new};
use crate::{Failure, RecoveryCommand};

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
