//! Integration tests of the vault core: real SQLCipher files in temporary directories, real
//! Argon2id, no mocks. One binary, one module per concern. Fixtures are files under `data/`;
//! tests and fixtures of things that must fail are named `fail_*`.

/// Temporary vaults, passphrases and fixture loading shared by the modules below.
mod support;

/// The bulk insert (`add_batch`): its index complete when it returns, kept by later edits, and
/// whole or absent after a kill -9 or a full disk.
mod bulk_insert;
/// Sealed bundles: identity and contacts, round trips, hostile entries, the tamper matrix.
mod bundle;
/// Camouflage's neutral file names: switching, crashes and kill -9 part-way, clashes, and everything
/// that walks the vault's files under them.
mod camouflage;
/// No error repeats what the user typed; no anonymised export carries free text (canary sweeps).
mod canary;
/// Charges as lawyers type them: the section finder, the shipped sections, the user's own.
mod charges;
/// Hearings as events, the cause list, deadlines from events, bail and status history.
mod court;
/// Drafts kept encrypted in the vault across an auto-lock, a kill -9 while saving and a full disk.
mod drafts;
/// The duress passphrase (decoy, wipe) and the wipe after failed unlocks; kill -9 and a full disk.
mod duress;
/// The evidence locker: round trips, tampering, rotation, crashes, custody.
mod evidence;
/// The facet counts the statistics read with no filter: true after every change, checked.
mod facet_counts;
/// Vault fixtures of every format open, read exactly, check clean and migrate; newer ones are refused.
mod fixtures;
/// The fuzz targets' functions over their corpus and seeded mutations: no panic, no wrong data.
mod fuzz_inputs;
/// The vault's database is its own: missing, emptied, truncated and swapped databases refused.
mod identity;
/// JSON Lines import (all or nothing) and plaintext export (consent, anonymity).
mod import_export;
/// The list rows kept beside the index: the records' own after every change, the list columns
/// only, never a withheld name, filled by their migration, checked.
mod list_rows;
/// Unlocking, wrong passphrases, passphrase changes and key rotation (busy, crashes, old copies).
mod passphrase;
/// A person's CNIC, phone and address: validated, sensitive.
mod people;
/// No plaintext in any file of the vault directory (canary scan).
mod plaintext;
/// Recovery shares on a real vault: k restore, k-1 refused, other vaults' and old shares refused.
mod recovery;
/// Anonymised tables and PDF reports: canaries in every export, pseudonyms, Urdu rendering.
mod reports;
/// Every record kind and a link, through the API, with English and Urdu text.
mod roundtrip;
/// Search in English and Urdu, facets, statistics, saved searches, the index kept in step.
mod search;
/// The window's table export: a new file only, nothing written for a refused request.
mod table_file;
/// Damaged headers, flipped database pages, tampered audit rows and records.
mod tamper;
/// Field-level validation: unknown fields, vocabularies, dates, references.
mod validation;
/// The app's read models: dashboard, detail with links, calendar, timeline, search.
mod views;
/// The shipped vocabularies: well-formed, bilingual, parents resolve.
mod vocab;
/// The panic wipe: nothing left, the passphrase opens nothing, finished after a crash, refuses
/// folders that are not vaults.
mod wipe;
