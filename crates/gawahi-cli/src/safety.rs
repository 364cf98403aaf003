//! The safety commands: `wipe` (the panic wipe) and `recovery` (recovery shares).

use std::path::Path;

use gawahi_core::Vault;

use crate::Failure;
use crate::output::note;

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
