//! Recovery shares: the master key split k of n with Shamir's secret sharing, each share written
//! as words from a fixed list (with a checksum) and as a QR code. `docs/recovery-shares.md` is
//! the format; this module is its only implementation. No SQL, and no arithmetic of our own: the
//! splitting and recombining over GF(256) is the `blahaj` crate's, the word list BIP-39's
//! English one (from the `bip39` crate), the QR code the `qrcode` crate's.
//!
//! A share is 52 bytes:
//!
//! ```text
//! offset  size  field
//!      0     1  format version (1)
//!      1     8  vault id: the first 8 bytes of the database's salt (clear in vault.db anyway)
//!      9     4  split id: random, the same for every share of one split
//!     13     1  threshold k: how many shares restore the key
//!     14     1  count n: how many shares the split made
//!     15     1  this share's number x (1 to n), Shamir's x coordinate
//!     16    32  the share of the master key, Shamir's y values
//!     48     4  the first 4 bytes of SHA-256 of bytes 0..48
//! ```
//!
//! As words: the 416 bits, then 2 zero bits, in groups of 11 bits, most significant first, each
//! an index into the 2,048 words: 38 words. The checksum catches a mistyped, missing, extra or
//! swapped word (a wrong share passes it with a chance of 1 in 4 billion).

use ring::digest::{SHA256, digest};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Invalid, Reason, Result};
use crate::keys::{MasterKey, random_bytes};

/// The format version this build writes and reads.
pub const SHARE_VERSION: u8 = 1;
/// The length of a share in bytes.
pub const SHARE_LEN: usize = 52;
/// The number of words a share is written as.
pub const SHARE_WORDS: usize = 38;
/// The most shares one split makes (Shamir over GF(256) has 255 non-zero x coordinates).
pub const MAX_SHARES: u8 = 255;
/// The word that starts a share's QR code text, so a scanner's output reads back as a share.
pub const QR_PREFIX: &str = "GAWAHI-SHARE-1";

const BODY_LEN: usize = SHARE_LEN - 4;
const VAULT_ID_LEN: usize = 8;

/// What is wrong with the recovery shares given. Shares are named by their place in the list
/// given (1 for the first), words by their place in the share, never by what they say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
#[non_exhaustive]
pub enum ShareProblem {
    /// A word of a share is not in the word list (mistyped).
    UnknownWord {
        /// The share's place in the list given.
        share: usize,
        /// The word's place in the share.
        word: usize,
    },
    /// A share has the wrong number of words.
    WrongLength {
        /// The share's place in the list given.
        share: usize,
    },
    /// A share's checksum does not match: a word mistyped into another word of the list, or
    /// words swapped, left out or added.
    Checksum {
        /// The share's place in the list given.
        share: usize,
    },
    /// A share of a format this build does not know (a newer Gawahi's).
    UnknownVersion {
        /// The share's place in the list given.
        share: usize,
    },
    /// A share belongs to another vault, or to this vault from before a key rotation.
    OtherVault {
        /// The share's place in the list given.
        share: usize,
    },
    /// The shares come from different splits (each split's shares only work together).
    MixedSplits,
    /// The same share was given twice.
    Duplicate {
        /// The place in the list of the second copy.
        share: usize,
    },
    /// Fewer shares than the split's threshold: nothing about the key can be learnt from them.
    TooFew {
        /// How many different shares were given.
        have: usize,
        /// How many the split needs.
        need: u8,
    },
    /// The shares combine, but not into a key that opens this vault's database.
    WrongKey,
}

impl std::fmt::Display for ShareProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownWord { share, word } => {
                write!(f, "share {share}: word {word} is not in the word list; check its spelling")
            }
            Self::WrongLength { share } => write!(f, "share {share} does not have {SHARE_WORDS} words"),
            Self::Checksum { share } => write!(
                f,
                "share {share}: its checksum does not match, so a word is mistyped, missing, extra or out of order"
            ),
            Self::UnknownVersion { share } => {
                write!(f, "share {share} was made by a newer Gawahi; update Gawahi to use it")
            }
            Self::OtherVault { share } => {
                write!(f, "share {share} belongs to another vault, or to this one from before its key was replaced")
            }
            Self::MixedSplits => f.write_str("the shares come from different sets; use shares of one set only"),
            Self::Duplicate { share } => write!(f, "share {share} was given twice"),
            Self::TooFew { have, need } => write!(f, "{have} different share(s) given, and this set needs {need}"),
            Self::WrongKey => f.write_str("the shares do not open this vault's database"),
        }
    }
}

/// One recovery share. It is a secret (with enough others it is the vault's key): zeroized on
/// drop, never printed by `Debug`.
#[derive(Clone)]
pub struct RecoveryShare {
    bytes: Zeroizing<[u8; SHARE_LEN]>,
}

impl std::fmt::Debug for RecoveryShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryShare")
            .field("number", &self.number())
            .field("count", &self.count())
            .field("threshold", &self.threshold())
            .finish_non_exhaustive()
    }
}

impl RecoveryShare {
    /// This share's number (1 to [`RecoveryShare::count`]).
    pub fn number(&self) -> u8 {
        self.bytes[15]
    }

    /// How many shares its split made.
    pub fn count(&self) -> u8 {
        self.bytes[14]
    }

    /// How many shares of its split restore the key.
    pub fn threshold(&self) -> u8 {
        self.bytes[13]
    }

    /// The vault it belongs to, as printed on it: 16 hex digits in four groups.
    pub fn vault_id(&self) -> String {
        vault_id_text(&self.bytes[1..=VAULT_ID_LEN])
    }

    /// The share as its 38 words, separated by single spaces.
    pub fn words(&self) -> Zeroizing<String> {
        let list = bip39::Language::English.word_list();
        let mut out = Zeroizing::new(String::with_capacity(SHARE_WORDS * 9));
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut written = 0;
        for &b in self.bytes.iter() {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 11 {
                bits -= 11;
                push_word(&mut out, list[((acc >> bits) & 0x7ff) as usize]);
                written += 1;
            }
        }
        // The last word holds the remaining bits followed by zeros.
        if written < SHARE_WORDS {
            push_word(&mut out, list[((acc << (11 - bits)) & 0x7ff) as usize]);
        }
        acc.zeroize();
        out
    }

    /// The text a share file holds: a heading saying which share of which vault it is and how to
    /// use it, then the words numbered in rows of six.
    pub fn to_text(&self) -> Zeroizing<String> {
        use std::fmt::Write;
        let words = self.words();
        let mut out = Zeroizing::new(format!(
            "# Gawahi recovery share {} of {} (any {} of them restore the vault)\n\
             # Vault: {}\n\
             # Keep it as safe as the vault's passphrase. `gawahi recovery restore VAULT FILE…`\n",
            self.number(),
            self.count(),
            self.threshold(),
            self.vault_id()
        ));
        for (row, chunk) in words.split(' ').collect::<Vec<_>>().chunks(6).enumerate() {
            let _ = writeln!(out, "{:>2}. {}", row * 6 + 1, chunk.join(" "));
        }
        out
    }

    /// The share as a QR code in SVG, made in memory: its text is [`QR_PREFIX`] and the words in
    /// capitals (the QR code's compact alphanumeric mode), which [`RecoveryShare::from_text`]
    /// reads back.
    pub fn qr_svg(&self) -> Result<Zeroizing<String>> {
        let text = Zeroizing::new(format!("{QR_PREFIX} {}", self.words().to_uppercase()));
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|_| Error::Bug("a recovery share does not fit a QR code"))?;
        Ok(Zeroizing::new(
            code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build(),
        ))
    }

    /// Reads a share from its text: a share file as [`RecoveryShare::to_text`] writes it (lines
    /// starting with `#` and the row numbers are skipped), the words alone, or a QR code's text.
    /// `place` is the share's place in the list given, for the error.
    pub fn from_text(text: &str, place: usize) -> Result<Self> {
        let list = bip39::Language::English.word_list();
        let mut bytes = Zeroizing::new([0u8; SHARE_LEN + 2]);
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut len = 0;
        let mut count = 0;
        let tokens = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter(|t| !t.eq_ignore_ascii_case(QR_PREFIX))
            .filter(|t| !(t.ends_with('.') && t[..t.len() - 1].bytes().all(|b| b.is_ascii_digit())));
        for token in tokens {
            count += 1;
            if count > SHARE_WORDS {
                continue;
            }
            let word = Zeroizing::new(token.to_ascii_lowercase());
            let index = list
                .binary_search(&word.as_str())
                .map_err(|_| ShareProblem::UnknownWord { share: place, word: count })?;
            acc = (acc << 11) | index as u32;
            bits += 11;
            while bits >= 8 {
                bits -= 8;
                bytes[len] = (acc >> bits) as u8;
                len += 1;
            }
        }
        // The last word's two padding bits must be zero, or a mistyped last word could change
        // only them and pass the checksum.
        let padding_clear = acc.trailing_zeros() >= 2;
        acc.zeroize();
        if count != SHARE_WORDS {
            return Err(ShareProblem::WrongLength { share: place }.into());
        }
        if !padding_clear {
            return Err(ShareProblem::Checksum { share: place }.into());
        }
        let mut share = Zeroizing::new([0u8; SHARE_LEN]);
        share.copy_from_slice(&bytes[..SHARE_LEN]);
        let sum = digest(&SHA256, &share[..BODY_LEN]);
        if share[BODY_LEN..] != sum.as_ref()[..4] || len != SHARE_LEN {
            return Err(ShareProblem::Checksum { share: place }.into());
        }
        if share[0] != SHARE_VERSION {
            return Err(ShareProblem::UnknownVersion { share: place }.into());
        }
        let (k, n, x) = (share[13], share[14], share[15]);
        if k == 0 || n < k || x == 0 || x > n {
            return Err(ShareProblem::Checksum { share: place }.into());
        }
        Ok(Self { bytes: share })
    }
}

impl From<ShareProblem> for Error {
    fn from(p: ShareProblem) -> Self {
        Self::RecoveryShares(p)
    }
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// A vault id as printed: the first 8 bytes of the database's salt, as 16 hex digits in groups
/// of four.
pub(crate) fn vault_id_text(id: &[u8]) -> String {
    id.chunks(2)
        .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().concat())
        .collect::<Vec<_>>()
        .join("-")
}

/// Checks a threshold and a count: 1 ≤ k ≤ n ≤ 255.
pub(crate) fn check_counts(threshold: usize, count: usize) -> Result<(u8, u8)> {
    if count == 0 || count > usize::from(MAX_SHARES) {
        return Err(Invalid::field("shares", Reason::OutOfRange, "must be from 1 to 255").into());
    }
    if threshold == 0 || threshold > count {
        return Err(Invalid::field("threshold", Reason::OutOfRange, "must be from 1 to the number of shares").into());
    }
    Ok((threshold as u8, count as u8))
}

/// Splits `master` into `count` shares of which any `threshold` restore it, for the vault whose
/// database salt is `db_salt`. With a threshold of 1 every share is the key itself.
pub(crate) fn split(master: &MasterKey, db_salt: &[u8], threshold: usize, count: usize) -> Result<Vec<RecoveryShare>> {
    let (k, n) = check_counts(threshold, count)?;
    let split_id = random_bytes::<4>()?;
    let dealer = blahaj::Sharks(k).dealer(master.as_bytes());
    let mut out = Vec::with_capacity(usize::from(n));
    for share in dealer.take(usize::from(n)) {
        let raw = Zeroizing::new(Vec::<u8>::from(&share));
        if raw.len() != 33 {
            return Err(Error::Bug("a Shamir share of the wrong length"));
        }
        let mut bytes = Zeroizing::new([0u8; SHARE_LEN]);
        bytes[0] = SHARE_VERSION;
        bytes[1..=VAULT_ID_LEN].copy_from_slice(&db_salt[..VAULT_ID_LEN]);
        bytes[9..13].copy_from_slice(split_id.as_ref());
        bytes[13] = k;
        bytes[14] = n;
        bytes[15] = raw[0];
        bytes[16..BODY_LEN].copy_from_slice(&raw[1..]);
        let sum = digest(&SHA256, &bytes[..BODY_LEN]);
        bytes[BODY_LEN..].copy_from_slice(&sum.as_ref()[..4]);
        out.push(RecoveryShare { bytes });
    }
    if out.len() != usize::from(n) {
        return Err(Error::Bug("the Shamir dealer made too few shares"));
    }
    Ok(out)
}

/// Recombines `shares` (of the vault whose database salt is `db_salt`) into the master key.
/// Refuses shares of another vault, of different splits, given twice, or fewer than the
/// threshold: with fewer, Shamir's scheme reveals nothing, so there is no key to return.
pub(crate) fn combine(shares: &[RecoveryShare], db_salt: &[u8]) -> Result<MasterKey> {
    let first = shares.first().ok_or(ShareProblem::TooFew { have: 0, need: 1 })?;
    let mut seen = Vec::new();
    for (i, s) in shares.iter().enumerate() {
        if s.bytes[1..=VAULT_ID_LEN] != db_salt[..VAULT_ID_LEN] {
            return Err(ShareProblem::OtherVault { share: i + 1 }.into());
        }
        // The split id, threshold and count are the same on every share of one split.
        if s.bytes[9..15] != first.bytes[9..15] {
            return Err(ShareProblem::MixedSplits.into());
        }
        if seen.contains(&s.number()) {
            return Err(ShareProblem::Duplicate { share: i + 1 }.into());
        }
        seen.push(s.number());
    }
    let k = first.threshold();
    if seen.len() < usize::from(k) {
        return Err(ShareProblem::TooFew { have: seen.len(), need: k }.into());
    }
    let mut parsed = Vec::with_capacity(shares.len());
    for s in shares {
        let raw = Zeroizing::new([&s.bytes[15..16], &s.bytes[16..BODY_LEN]].concat());
        parsed.push(blahaj::Share::try_from(raw.as_slice()).map_err(|_| Error::Bug("a share blahaj cannot read"))?);
    }
    let secret = Zeroizing::new(
        blahaj::Sharks(k).recover(&parsed).map_err(|_| ShareProblem::TooFew { have: seen.len(), need: k })?,
    );
    if secret.len() != 32 {
        return Err(Error::Bug("recombined a key of the wrong length"));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&secret);
    Ok(MasterKey::from_bytes(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(k: usize, n: usize) -> (MasterKey, Vec<RecoveryShare>) {
        let mk = MasterKey::generate().expect("key");
        let s = split(&mk, &[7; 16], k, n).expect("split");
        (mk, s)
    }

    #[test]
    fn words_round_trip_and_any_k_restore_the_key() {
        let (mk, s) = shares(3, 5);
        assert_eq!(s.len(), 5);
        for share in &s {
            assert_eq!(share.words().split(' ').count(), SHARE_WORDS);
            let back = RecoveryShare::from_text(&share.to_text(), 1).expect("read back");
            assert_eq!(*back.bytes, *share.bytes);
        }
        for picked in [[0, 1, 2], [2, 3, 4], [4, 0, 3]] {
            let some: Vec<_> = picked.iter().map(|&i| s[i].clone()).collect();
            assert_eq!(combine(&some, &[7; 16]).expect("combine").as_bytes(), mk.as_bytes());
        }
    }

    #[test]
    fn fail_fewer_than_k_shares_give_an_error_not_a_key() {
        let (_, s) = shares(3, 5);
        let err = combine(&s[..2], &[7; 16]).expect_err("two of three");
        assert!(matches!(err, Error::RecoveryShares(ShareProblem::TooFew { have: 2, need: 3 })), "{err:?}");
        let twice = [s[0].clone(), s[0].clone(), s[1].clone()];
        assert!(matches!(combine(&twice, &[7; 16]), Err(Error::RecoveryShares(ShareProblem::Duplicate { share: 2 }))));
    }

    #[test]
    fn fail_every_single_mistyped_word_is_caught() {
        let (_, s) = shares(2, 3);
        let words: Vec<String> = s[0].words().split(' ').map(str::to_owned).collect();
        let list = bip39::Language::English.word_list();
        for i in 0..SHARE_WORDS {
            // A word of the list in place of the right one: only the checksum can tell.
            let mut typed = words.clone();
            let index = list.binary_search(&typed[i].as_str()).expect("in list");
            typed[i] = list[(index + 1) % 2048].to_owned();
            let err = RecoveryShare::from_text(&typed.join(" "), 2).expect_err("mistyped");
            assert!(matches!(err, Error::RecoveryShares(ShareProblem::Checksum { share: 2 })), "word {i}: {err:?}");
            // A word not in the list at all.
            typed[i] = "gawahi".to_owned();
            let err = RecoveryShare::from_text(&typed.join(" "), 2).expect_err("unknown word");
            let expected = ShareProblem::UnknownWord { share: 2, word: i + 1 };
            assert!(matches!(err, Error::RecoveryShares(p) if p == expected), "word {i}");
            assert!(!err.to_string().contains("gawahi"), "the message does not repeat the word");
        }
        let mut swapped = words.clone();
        swapped.swap(3, 4);
        assert!(RecoveryShare::from_text(&swapped.join(" "), 1).is_err());
        assert!(RecoveryShare::from_text(&words[..37].join(" "), 1).is_err());
        assert!(RecoveryShare::from_text(&format!("{} abandon", words.join(" ")), 1).is_err());
        assert!(RecoveryShare::from_text("", 1).is_err());
        assert!(RecoveryShare::from_text("\u{202e}\u{0}\u{1b}[2J", 1).is_err());
    }

    #[test]
    fn fail_shares_of_another_vault_or_another_split_are_refused() {
        let (_, s) = shares(2, 3);
        assert!(matches!(
            combine(&s[..2], &[8; 16]),
            Err(Error::RecoveryShares(ShareProblem::OtherVault { share: 1 }))
        ));
        let (_, other) = shares(2, 3);
        let mixed = [s[0].clone(), other[1].clone()];
        assert!(matches!(combine(&mixed, &[7; 16]), Err(Error::RecoveryShares(ShareProblem::MixedSplits))));
    }

    #[test]
    fn fail_bad_counts_are_refused() {
        let mk = MasterKey::generate().expect("key");
        for (k, n) in [(0, 3), (4, 3), (1, 0), (2, 256), (0, 0), (usize::MAX, usize::MAX)] {
            assert!(matches!(split(&mk, &[7; 16], k, n), Err(Error::Invalid(_))), "{k} of {n}");
        }
        assert_eq!(split(&mk, &[7; 16], 255, 255).expect("255 of 255").len(), 255);
        let one = split(&mk, &[7; 16], 1, 1).expect("1 of 1");
        assert_eq!(combine(&one, &[7; 16]).expect("combine").as_bytes(), mk.as_bytes());
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_words() {
        let (_, s) = shares(2, 2);
        let svg = s[0].qr_svg().expect("qr");
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{}", &svg[..80]);
        // The QR code's text reads back as the same share.
        let text = format!("{QR_PREFIX} {}", s[0].words().to_uppercase());
        assert_eq!(*RecoveryShare::from_text(&text, 1).expect("qr text").bytes, *s[0].bytes);
    }
}
