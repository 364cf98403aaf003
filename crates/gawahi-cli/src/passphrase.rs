//! Where passphrases come from: a file, an environment variable, or a prompt without echo.
//! They are held as `SecretString` from the moment they are read.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, Zeroizing};

use crate::Failure;
use gawahi_core::error::{Invalid, Reason};

/// The passphrase files named on the command line.
pub struct PassphraseSource {
    /// `--passphrase-file`.
    pub file: Option<PathBuf>,
    /// `--new-passphrase-file`.
    pub new_file: Option<PathBuf>,
}

/// The current passphrase: `--passphrase-file`, else `GAWAHI_PASSPHRASE`, else a prompt.
pub fn read_current(sources: &PassphraseSource) -> Result<SecretString, Failure> {
    read(sources.file.as_ref(), "GAWAHI_PASSPHRASE", "Passphrase: ", false)
}

/// A new passphrase: `--new-passphrase-file`, else `GAWAHI_NEW_PASSPHRASE`, else a prompt,
/// asked twice.
pub fn read_new(sources: &PassphraseSource) -> Result<SecretString, Failure> {
    read(sources.new_file.as_ref(), "GAWAHI_NEW_PASSPHRASE", "New passphrase: ", true)
}

/// A duress passphrase: `--duress-passphrase-file`, else `GAWAHI_DURESS_PASSPHRASE`, else a
/// prompt, asked twice.
pub fn read_duress(file: Option<&PathBuf>) -> Result<SecretString, Failure> {
    read(file, "GAWAHI_DURESS_PASSPHRASE", "Duress passphrase: ", true)
}

/// Turns a `String` holding a passphrase into a `SecretString` and wipes the `String`.
/// `SecretString::from(String)` would move it into a `Box<str>`, which reallocates when the
/// string has spare capacity (a prompt's buffer always has), leaving the old buffer unwiped: the
/// passphrase is copied into an exact-size box instead, and every byte of the old buffer's
/// capacity is zeroized.
fn secret(mut s: String) -> SecretString {
    let out = SecretString::from(s.as_str());
    s.zeroize();
    out
}

fn read(file: Option<&PathBuf>, var: &str, prompt: &str, confirm: bool) -> Result<SecretString, Failure> {
    if let Some(path) = file {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            Invalid::field(
                "passphrase_file",
                Reason::UnreadableFile,
                format!("cannot read the passphrase file: {}", crate::io_reason(&e)),
            )
        })?);
        // The passphrase is the first line, without its line ending: editors add one.
        let first = text.split(['\n', '\r']).next().unwrap_or_default();
        return Ok(SecretString::from(first));
    }
    if let Ok(value) = std::env::var(var) {
        return Ok(secret(value));
    }
    let ask = |p: &str| {
        rpassword::prompt_password(p).map(secret).map_err(|_| {
            Failure::Usage(format!(
                "no passphrase given: pass --passphrase-file F or set {var}, or run in a terminal to be asked"
            ))
        })
    };
    let first = ask(prompt)?;
    if confirm {
        let again = ask("Repeat it: ")?;
        if first.expose_secret() != again.expose_secret() {
            return Err(Invalid::field(
                "passphrase",
                Reason::PassphrasesDiffer,
                "the two passphrases differ; nothing was changed",
            )
            .into());
        }
    }
    Ok(first)
}
