//! The vault's identity (an Ed25519 signing key and an age X25519 identity) and its contacts.
//!
//! Both keys derive (HKDF-SHA256) from one random 32-byte seed made at the first use and stored
//! wrapped under `KeyPurpose::IdentitySeed` (see `store/identity.rs`): the public keys stay the same
//! across key rotations, which re-wrap the seed, and vanish with the key header.

use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use ring::signature::{Ed25519KeyPair, KeyPair};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use zeroize::Zeroizing;

use super::Vault;
use crate::audit::{self, Action};
use crate::bundle::{self, fingerprint};
use crate::date::now_utc;
use crate::error::{Error, Invalid, Reason, Result};
use crate::keys::{KeyPurpose, derive_from_seed, random_bytes, unwrap_identity_seed, wrap_identity_seed};
use crate::store::identity as rows;

/// The longest contact name, in characters.
pub const MAX_CONTACT_NAME_CHARS: usize = 100;
/// The comment after the signing key in its OpenSSH form.
pub const SSH_KEY_COMMENT: &str = "gawahi";

/// The vault's public identity: what others need to seal bundles to it and to check its
/// signatures. Nothing secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The age recipient (`age1…`) bundles for this vault are encrypted to.
    pub age_recipient: String,
    /// The Ed25519 signing key as an OpenSSH public key line (`ssh-ed25519 AAAA… gawahi`).
    pub signing_key: String,
    /// The raw 32-byte Ed25519 public key, hex.
    pub signing_key_hex: String,
    /// The raw 32-byte Ed25519 public key, base64.
    pub signing_key_base64: String,
    /// The signing key's SSH fingerprint (`SHA256:…`, as `ssh-keygen -l` prints it).
    pub ssh_fingerprint: String,
    /// The fingerprint of both keys in six groups of five digits, to read out over the phone
    /// (see [`crate::bundle::fingerprint`]).
    pub fingerprint: String,
    /// When the identity was made (RFC 3339, UTC).
    pub created_at: String,
}

/// A person bundles are sealed to: a lawyer, a partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The contact's id (a UUID).
    pub id: String,
    /// The name the user gave (unique in the vault).
    pub name: String,
    /// Their age recipient (`age1…`).
    pub age_recipient: String,
    /// Their Ed25519 signing key as `ssh-ed25519 AAAA…` (without comment), if they use Gawahi and
    /// gave it: bundles from them are then recognised.
    pub signing_key: Option<String>,
    /// Their fingerprint (as [`Identity::fingerprint`]), when their signing key is known, to
    /// compare side by side with the one they read out.
    pub fingerprint: Option<String>,
    /// When the contact was added.
    pub added_at: String,
}

/// The vault's private keys, for signing and opening bundles. Zeroized on drop.
pub(crate) struct VaultKeys {
    pub signing: Ed25519KeyPair,
    pub age: age::x25519::Identity,
    pub public: Identity,
    pub signing_public: [u8; 32],
}

impl std::fmt::Debug for VaultKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultKeys").field("public", &self.public).finish_non_exhaustive()
    }
}

impl Vault {
    /// The vault's public identity. The first call makes it (and writes an audit entry), so a
    /// vault that cannot be written and has none yet refuses with `disk_full` or `read_only`.
    pub fn identity(&mut self) -> Result<Identity> {
        Ok(self.keys()?.public)
    }

    /// Writes the vault's age identity (its secret key, `AGE-SECRET-KEY-1…`, as `age-keygen`
    /// writes one) to a new file at `dest`, readable only by its owner, for opening bundles sealed
    /// to this vault with `age -d -i`. Never overwrites. Recorded in the audit log first.
    pub fn export_age_identity(&mut self, dest: &Path) -> Result<()> {
        self.writable()?;
        let keys = self.keys()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(dest).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::OutputExists,
            _ => Error::io("create", dest)(e),
        })?;
        let written = (|| -> Result<()> {
            audit::append(&self.conn, Action::IdentityExport, Some("identity"), None, None)?;
            let text = Zeroizing::new(format!(
                "# created: {}\n# the age identity of a Gawahi vault: keep it secret\n# public key: {}\n{}\n",
                keys.public.created_at,
                keys.public.age_recipient,
                keys.age.to_string().expose_secret()
            ));
            out.write_all(text.as_bytes()).map_err(Error::io("write", dest))?;
            out.sync_all().map_err(Error::io("sync", dest))
        })();
        if let Err(e) = written {
            drop(out);
            let _ = std::fs::remove_file(dest);
            return Err(e);
        }
        Ok(())
    }

    /// Saves a contact: `name` (one line, at most [`MAX_CONTACT_NAME_CHARS`] characters, unique),
    /// their age recipient (`age1…`, X25519) and optionally their Ed25519 signing key
    /// (`ssh-ed25519 AAAA… [comment]`). Errors name the field, never the value.
    pub fn add_contact(&mut self, name: &str, age_recipient: &str, signing_key: Option<&str>) -> Result<Contact> {
        self.writable()?;
        let name = check_contact_name(name)?;
        let age_recipient = parse_age_recipient(age_recipient)?.to_string();
        let signing_key = signing_key.map(parse_signing_key).transpose()?;
        let tx = self.conn.transaction()?;
        if rows::contacts(&tx)?.iter().any(|c| c.name == name) {
            return Err(Invalid::field("name", Reason::NameTaken, "another contact already has this name").into());
        }
        let mut contact = Contact {
            id: uuid::Uuid::now_v7().hyphenated().to_string(),
            name,
            age_recipient,
            signing_key: signing_key.map(|k| k.0),
            fingerprint: None,
            added_at: now_utc(),
        };
        rows::insert_contact(&tx, &contact)?;
        audit::append(&tx, Action::ContactAdd, Some("contact"), Some(&contact.id), Some(&contact_hash(&contact)))?;
        tx.commit()?;
        contact.fingerprint = contact_fingerprint(&contact);
        Ok(contact)
    }

    /// Every contact, by name, with their fingerprints.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        Ok(rows::contacts(&self.conn)?
            .into_iter()
            .map(|mut c| {
                c.fingerprint = contact_fingerprint(&c);
                c
            })
            .collect())
    }

    /// The contact whose id or exact name is `key`.
    pub fn contact(&self, key: &str) -> Result<Contact> {
        let mut c = rows::contact(&self.conn, &crate::model::normalise_id(key))?.ok_or(Error::ContactNotFound)?;
        c.fingerprint = contact_fingerprint(&c);
        Ok(c)
    }

    /// Removes the contact whose id or exact name is `key`.
    pub fn remove_contact(&mut self, key: &str) -> Result<()> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let c = rows::contact(&tx, &crate::model::normalise_id(key))?.ok_or(Error::ContactNotFound)?;
        rows::delete_contact(&tx, &c.id)?;
        audit::append(&tx, Action::ContactRemove, Some("contact"), Some(&c.id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// The vault's keys, made (and stored wrapped, with an audit entry) at the first call.
    pub(crate) fn keys(&mut self) -> Result<VaultKeys> {
        let kwk = self.master.derive(KeyPurpose::IdentitySeed);
        let (seed, created_at) = if let Some((wrapped, at)) = rows::seed(&self.conn)? {
            (unwrap_identity_seed(&kwk, &wrapped)?, at)
        } else {
            self.writable()?;
            let seed = random_bytes::<32>()?;
            let at = now_utc();
            // Immediate: the write lock is taken before the check, so two programs making the
            // identity at once cannot both find none.
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if let Some((wrapped, at)) = rows::seed(&tx)? {
                drop(tx);
                (unwrap_identity_seed(&kwk, &wrapped)?, at)
            } else {
                rows::insert_seed(&tx, &wrap_identity_seed(&kwk, &seed)?, &at)?;
                audit::append(&tx, Action::IdentityCreate, Some("identity"), None, None)?;
                tx.commit()?;
                (seed, at)
            }
        };
        keys_from_seed(&seed, created_at)
    }
}

/// Derives both key pairs from the identity seed.
fn keys_from_seed(seed: &[u8; 32], created_at: String) -> Result<VaultKeys> {
    let ed_seed = derive_from_seed(seed, b"gawahi/v1/identity/ed25519");
    let signing = Ed25519KeyPair::from_seed_unchecked(ed_seed.as_ref())
        .map_err(|_| Error::Crypto("making the signing key failed"))?;
    let mut signing_public = [0u8; 32];
    signing_public.copy_from_slice(signing.public_key().as_ref());
    let x_secret = derive_from_seed(seed, b"gawahi/v1/identity/x25519");
    let age = age_identity_from_bytes(&x_secret)?;
    let recipient = age.to_public();
    let age_public = recipient_bytes(&recipient)?;
    let ssh = ssh_public_key(&signing_public);
    let public = Identity {
        age_recipient: recipient.to_string(),
        signing_key: ssh.to_openssh().map_err(|_| Error::Bug("an Ed25519 key has an OpenSSH form"))?,
        signing_key_hex: bundle::hex(&signing_public),
        signing_key_base64: {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(signing_public)
        },
        ssh_fingerprint: ssh.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        fingerprint: fingerprint(&signing_public, &age_public),
        created_at,
    };
    Ok(VaultKeys { signing, age, public, signing_public })
}

/// An age X25519 identity from its 32 secret bytes (through its `AGE-SECRET-KEY-1…` text, the
/// only way the age crate takes one in).
fn age_identity_from_bytes(secret: &[u8; 32]) -> Result<age::x25519::Identity> {
    let hrp = bech32::Hrp::parse("AGE-SECRET-KEY-").map_err(|_| Error::Bug("the age secret key prefix is valid"))?;
    let text = Zeroizing::new(
        bech32::encode::<bech32::Bech32>(hrp, secret)
            .map_err(|_| Error::Bug("32 bytes fit a Bech32 string"))?
            .to_uppercase(),
    );
    age::x25519::Identity::from_str(&text).map_err(|_| Error::Bug("an encoded age identity parses"))
}

/// The 32 bytes of an age X25519 recipient.
pub(crate) fn recipient_bytes(recipient: &age::x25519::Recipient) -> Result<[u8; 32]> {
    let (_, data) = bech32::decode(&recipient.to_string()).map_err(|_| Error::Bug("an age recipient is Bech32"))?;
    data.try_into().map_err(|_| Error::Bug("an age recipient holds 32 bytes"))
}

/// The OpenSSH public key of an Ed25519 key, with the comment `gawahi`.
pub(crate) fn ssh_public_key(key: &[u8; 32]) -> ssh_key::PublicKey {
    ssh_key::PublicKey::new(ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(*key)), SSH_KEY_COMMENT)
}

/// Parses an age X25519 recipient strictly: `age1` and 58 lower-case Bech32 characters, nothing
/// around it. Post-quantum and plugin recipients are refused (the bundle format names X25519).
pub fn parse_age_recipient(given: &str) -> Result<age::x25519::Recipient> {
    let bad = || {
        Invalid::field(
            "age_recipient",
            Reason::BadKey,
            "expected an age recipient: `age1` followed by 58 lower-case letters and digits, as `age-keygen -y` prints it",
        )
    };
    if given.len() != 62
        || !given.starts_with("age1")
        || !given.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(bad().into());
    }
    age::x25519::Recipient::from_str(given).map_err(|_| bad().into())
}

/// A signing key parsed from `ssh-ed25519 AAAA… [comment]`: its canonical form without the comment,
/// and its 32 bytes.
pub fn parse_signing_key(given: &str) -> Result<(String, [u8; 32])> {
    let bad = || {
        Invalid::field(
            "signing_key",
            Reason::BadKey,
            "expected an Ed25519 SSH public key: `ssh-ed25519 AAAA…` on one line, as `gawahi identity` prints it",
        )
    };
    if given.len() > 1_000 || given.contains(['\n', '\r', '\0']) {
        return Err(bad().into());
    }
    let key = ssh_key::PublicKey::from_openssh(given.trim()).map_err(|_| bad())?;
    let Some(ed) = key.key_data().ed25519() else { return Err(bad().into()) };
    let bytes = ed.0;
    let canonical = ssh_key::PublicKey::new(key.key_data().clone(), "").to_openssh().map_err(|_| bad())?;
    Ok((canonical.trim_end().to_owned(), bytes))
}

/// Checks a contact's name: not empty, one line, no control characters, not too long.
fn check_contact_name(given: &str) -> Result<String> {
    if given.contains('\0') {
        return Err(Invalid::field("name", Reason::NulCharacter, "must not contain a NUL character").into());
    }
    // Control characters are refused wherever they are, before trimming (which would drop some
    // of them, such as U+0085, silently at the ends).
    if given.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(Invalid::field("name", Reason::NotOneLine, "must be one line without control characters").into());
    }
    let name = given.trim();
    if name.is_empty() {
        return Err(Invalid::field("name", Reason::Required, "is required").into());
    }
    if name.chars().count() > MAX_CONTACT_NAME_CHARS {
        return Err(Invalid::field(
            "name",
            Reason::TooLong,
            format!("must be at most {MAX_CONTACT_NAME_CHARS} characters"),
        )
        .into());
    }
    Ok(name.to_owned())
}

/// The fingerprint of a contact whose signing key is known.
fn contact_fingerprint(c: &Contact) -> Option<String> {
    let (_, signing) = parse_signing_key(c.signing_key.as_deref()?).ok()?;
    let age = recipient_bytes(&parse_age_recipient(&c.age_recipient).ok()?).ok()?;
    Some(fingerprint(&signing, &age))
}

/// The SHA-256 of what the vault keeps of a contact, for its audit entry.
fn contact_hash(c: &Contact) -> String {
    let text =
        [c.id.as_str(), &c.name, &c.age_recipient, c.signing_key.as_deref().unwrap_or("\0"), &c.added_at].join("\0");
    bundle::hex(ring::digest::digest(&ring::digest::SHA256, text.as_bytes()).as_ref())
}

/// The secret of an age identity file's text, for [`crate::vault::BundleOpener::Identity`].
pub(crate) fn parse_identity_file(text: &SecretString) -> Result<Vec<Box<dyn age::Identity>>> {
    let bad = || {
        Invalid::field(
            "identity",
            Reason::BadKey,
            "expected an age identity file: lines of `AGE-SECRET-KEY-1…`, as `age-keygen` writes it",
        )
    };
    let mut out: Vec<Box<dyn age::Identity>> = Vec::new();
    for line in text.expose_secret().lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let id = age::x25519::Identity::from_str(line).map_err(|_| bad())?;
        out.push(Box::new(id));
    }
    if out.is_empty() {
        return Err(bad().into());
    }
    Ok(out)
}
