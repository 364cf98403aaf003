//! End-to-end tests of the `gawahi` command line: the built binary, real vaults in temporary
//! directories, passphrases through the environment. The command line is a contract, so these
//! tests pin exit codes, output shapes and error messages. Must-fail tests are named `fail_*`.

/// Sealed bundles: stock age, tar, sha256sum, ssh-keygen and openssl; tamper matrix; imports.
mod bundle;
/// `camouflage`: neutral file names, bad input, a full disk, read-only media, kill -9.
mod camouflage;
/// Court casework: hearing record, cause-list, deadlines, vocab sections --find.
mod court;
/// No HTTP client in the dependency tree: deny.toml's ban list against `cargo metadata`.
mod dependencies;
/// The duress passphrase (decoy, wipe) and the wipe after failed unlocks.
mod duress;
/// Exit codes and one-line errors for every kind of failure.
mod errors;
/// The evidence locker: sha256sum round trips, verify, hostile names, kill -9, memory.
mod evidence;
/// `import` (all or nothing) and `export` (plaintext only when asked).
mod import_export;
/// A full disk, read-only media, and kill -9 during a key rotation.
mod media;
/// Passphrase sources and `passwd`.
mod passphrase;
/// A running `gawahi` is not dumpable: no core files, no reading of its environment or memory.
mod process;
/// Recovery shares: split into 0600 files, restore with any k, k-1 and typos refused.
mod recovery;
/// `export --csv` and `report`: tables and PDFs, bad input, a full disk, kill -9.
mod reports;
/// Every record kind and a link through the CLI, in English and Urdu.
mod roundtrip;
/// Search, statistics and saved searches: hostile queries, a full disk.
mod search;
/// Damaged and tampered vaults: exit 6, nothing returned from the damaged part.
mod tamper;
/// Stored text that would drive a terminal: escaped in human-readable output, exact in JSON.
mod terminal;
/// kill -9 at seeded random moments of imports, intake, bundle import, passphrase changes and
/// wipes (`GAWAHI_TORTURE_ROUNDS` kills in all, 100 by default; `make torture` runs 1000).
mod torture;
/// The panic wipe: --yes, folders that are not vaults, kill -9 at random moments, read-only parts.
mod wipe;
