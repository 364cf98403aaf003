// English messages of the first screens (choosing, creating and unlocking a vault, and every
// error code, which those screens may show): the keys whose prefix is in `START_PREFIXES`. They
// are in the page's first chunk with their Urdu twins (ur-start.ts), so the first screen is drawn
// in either language without loading anything more. Every other message is in en.ts, loaded with
// the app behind the unlock screen. tests/i18n.test.ts checks that a key lives in the file its
// prefix says, and that the first screens use no key from the other file.

/** The key prefixes whose messages the first screens need before the rest is loaded. */
export const START_PREFIXES = ['app', 'common', 'shell', 'firstRun', 'unlock', 'strength', 'progress', 'error'] as const;

export const enStart = {
  'app.name': 'Gawahi',
  'app.tagline': 'Documentation vault for human rights defenders',
  'app.neutralName': 'Notes',
  'app.loading': 'Opening Gawahi…',
  'app.skip': 'Skip to content',
  'app.startError': 'Gawahi could not start: {message}',

  'common.yes': 'Yes',
  'common.no': 'No',
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.none': '—',
  'common.notSet': '— not set —',
  'common.choose': '— choose —',
  'common.retry': 'Try again',
  'common.show': 'Show',
  'common.hide': 'Hide',
  'common.showPassphrase': 'Show passphrase',
  'common.hidePassphrase': 'Hide passphrase',
  'common.required': 'required',

  'firstRun.title': 'Create your vault',
  'firstRun.intro':
    'Gawahi keeps your records in an encrypted vault on this computer. Nothing is sent anywhere. Choose where the vault lives and a passphrase to lock it.',
  'firstRun.path': 'Vault folder',
  'firstRun.pathHelp': 'A folder on this computer or on an encrypted drive. A new vault is created inside it.',
  'firstRun.choose': 'Choose folder…',
  'firstRun.chooseTitle': 'Where should the vault live?',
  'firstRun.passphrase': 'Passphrase',
  'firstRun.passphraseHelp':
    'Use five or more unrelated words. Nobody can recover a forgotten passphrase: write it down and keep it somewhere safe.',
  'firstRun.confirm': 'Type the passphrase again',
  'firstRun.mismatch': 'The two passphrases are not the same.',
  'firstRun.tooWeak': 'Choose a passphrase that is at least “fair”.',
  'firstRun.create': 'Create vault',
  'firstRun.creating': 'Creating the vault…',
  'firstRun.openExisting': 'I already have a vault: unlock it',
  'firstRun.unlockInstead': 'Unlock that vault',

  'progress.calibrating': 'Measuring this computer to set the key’s strength…',
  'progress.deriving': 'Deriving the key from the passphrase…',
  'progress.done': 'Done',
  'progress.working': 'Working…',

  'strength.label': 'Passphrase strength',
  'strength.value': 'Strength: {level}',
  'strength.weak': 'weak',
  'strength.fair': 'fair',
  'strength.good': 'good',
  'strength.strong': 'strong',
  'strength.hint.longer': 'Longer is stronger: aim for 16 characters or more.',
  'strength.hint.moreWords': 'Add more unrelated words.',
  'strength.hint.commonWord': 'Avoid common words, names and passwords.',
  'strength.hint.repeats': 'Avoid repeated characters.',
  'strength.hint.sequence': 'Avoid sequences like “abcd”, “1234” or keyboard rows.',
  'strength.hint.year': 'Avoid years and dates.',

  'unlock.title': 'Unlock your vault',
  'unlock.passphrase': 'Passphrase',
  'unlock.submit': 'Unlock',
  'unlock.unlocking': 'Unlocking…',
  'unlock.other': 'Use another vault',
  'unlock.path': 'Vault folder',
  'unlock.createNew': 'Create a new vault',
  'unlock.idle': 'The vault locked itself after a time without activity ({minutes} min).',
  'unlock.lockedNotice': 'The vault is locked.',
  'unlock.noPassphrase': 'Type the passphrase.',

  'shell.lock': 'Lock',
  'shell.lockHelp': 'Lock the vault now',
  'shell.vault': 'Vault',

  'error.wrong_passphrase': 'Wrong passphrase. Check the keyboard language and Caps Lock, and try again.',
  'error.vault_not_found': 'There is no vault in this folder.',
  'error.vault_exists': 'A vault already exists in this folder.',
  'error.corrupt_header': 'The vault’s key file is damaged. Restore the vault from a backup.',
  'error.unsupported_version': 'This vault was made by a newer version of Gawahi. Update Gawahi to open it.',
  'error.corrupt_database': 'The vault’s data is damaged or has been tampered with. Restore it from a backup.',
  'error.database_missing':
    'The vault’s database file (vault.db) is missing: the records are not in this copy of the vault. Restore the whole vault folder from a backup, keeping vault.header and vault.db together.',
  'error.database_empty':
    'The vault’s database file (vault.db) is empty: it was emptied or replaced. Add nothing to it. Restore the whole vault folder from a backup, keeping vault.header and vault.db together.',
  'error.database_truncated':
    'The vault’s database file (vault.db) is cut off: part of it is missing. Add nothing to it. Restore the whole vault folder from a backup, keeping vault.header and vault.db together.',
  'error.database_foreign':
    'The vault’s database file (vault.db) does not belong to its key file (vault.header): it is another vault’s, or an old copy from before the vault key was replaced. Restore the whole vault folder from a backup, keeping the two files together.',
  'error.disk_full': 'The disk is full: nothing was changed, and what was saved before is safe. Free some space and try again.',
  'error.read_only':
    'The vault is on read-only media, or its files cannot be written: records can be read but not changed. To change them, copy the vault folder to writable storage and open it there.',
  'error.rotation_in_progress': 'Another Gawahi is replacing this vault’s key right now. Wait until it has finished, then try again.',
  'error.crypto':
    'A cryptographic operation failed; nothing was changed. This is a fault in Gawahi or in a system library of this computer, not something you did.',
  'error.out_of_memory': 'Not enough free memory to derive the key from the passphrase. Close other programs and try again.',
  'error.unsaved_journal':
    'This vault was not closed properly, and its last changes are still in its journal file (vault.db-wal), which can only be read where the vault can be written. Copy the vault folder to writable storage, or free some space, to open it. Nothing was changed.',
  'error.newer_schema': 'This vault was made or opened by a newer version of Gawahi. Update Gawahi to open it. Nothing was changed.',
  'error.bug': 'An internal error: this is a bug in this version of Gawahi. Nothing was changed.',
  'error.check_failed': 'An integrity check of the vault failed.',
  'error.locked': 'The vault is locked.',
  'error.record_not_found': 'This record does not exist (any more).',
  'error.evidence_not_found': 'This evidence item does not exist (any more).',
  'error.evidence_tampered': 'An evidence file was damaged or tampered with; nothing from the damaged part is shown.',
  'error.evidence_missing': 'An evidence file is missing from the vault.',
  'error.evidence_mismatch': 'An evidence file does not match the fingerprint (SHA-256) taken when it was added.',
  'error.evidence_unreadable': 'The file could not be read to its end; nothing was added.',
  'error.output_exists': 'A file with that name already exists; nothing was overwritten.',
  'error.invalid_input': 'The vault refused this input.',
  'error.busy': 'The vault is busy in another program (an import, or Gawahi itself): nothing was changed. Try again when it is done.',
  'error.io': 'The vault’s files could not be read or written.',
  'error.database': 'Something went wrong in the vault.',
  'error.bundle_rejected': 'The bundle failed a check and nothing from it was imported. Ask the sender for a new one.',
  'error.bundle_too_new': 'This bundle was made by a newer version of Gawahi. Update Gawahi to open it.',
  'error.contact_not_found': 'This contact does not exist (any more).',
  'error.cancelled': 'Stopped as asked; nothing was kept of what was being written.',
  'error.wipe_incomplete':
    'The wipe could not remove everything (read-only media or folder). Fix that and wipe again; opening the vault also finishes the wipe.',
  'error.recovery_shares': 'These recovery shares cannot restore this vault. Nothing was changed.',
  'error.unknown': 'Something went wrong.',
  'error.details': 'Details: {message}',

  'unlock.lastTry': 'One try left: the next wrong passphrase wipes this vault for good.',

  'progress.writing': 'Writing the file…',

  'common.controlMark': '[hidden {code}]',
  'common.controlMarkHelp':
    'The name holds invisible characters that can change how it reads, such as a right-to-left override. Each is shown as [hidden U+…] so the name reads as it really is.',
  'error.file_names_clash':
    'The vault’s folder holds one of its files twice, under its own name and under a neutral one. Nothing was changed: move the copy that does not belong out of the folder.',
} as const;
