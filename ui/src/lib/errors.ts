// IPC errors: normalising what `invoke` rejects with, and turning a code into a message key.
import type { IpcError } from '../bindings/IpcError';
import type { ErrorCode as IpcErrorCode } from '../bindings/ErrorCode';
import type { Reason } from '../bindings/Reason';
import { t, type MessageKey } from './i18n';

/** Every `IpcErrorCode`, as serde writes them. Generated from `gawahi_core::ErrorCode`. */
export const ERROR_CODES = [
  'wrong_passphrase',
  'vault_not_found',
  'vault_exists',
  'corrupt_header',
  'unsupported_version',
  'newer_schema',
  'corrupt_database',
  'database_missing',
  'database_empty',
  'database_truncated',
  'database_foreign',
  'disk_full',
  'read_only',
  'rotation_in_progress',
  'unsaved_journal',
  'crypto',
  'out_of_memory',
  'bug',
  'check_failed',
  'locked',
  'record_not_found',
  'evidence_not_found',
  'evidence_tampered',
  'evidence_missing',
  'evidence_mismatch',
  'evidence_unreadable',
  'output_exists',
  'invalid_input',
  'busy',
  'io',
  'database',
  'bundle_rejected',
  'bundle_too_new',
  'contact_not_found',
  'cancelled',
  'wipe_incomplete',
  'recovery_shares',
  'file_names_clash',
] as const satisfies readonly IpcErrorCode[];

// The list has every variant of the generated binding (`npm run check` fails otherwise).
const everyCode: [IpcErrorCode] extends [(typeof ERROR_CODES)[number]] ? true : false = true;
void everyCode;

const KEYS: Record<IpcErrorCode, MessageKey> = {
  wrong_passphrase: 'error.wrong_passphrase',
  vault_not_found: 'error.vault_not_found',
  vault_exists: 'error.vault_exists',
  corrupt_header: 'error.corrupt_header',
  unsupported_version: 'error.unsupported_version',
  corrupt_database: 'error.corrupt_database',
  database_missing: 'error.database_missing',
  database_empty: 'error.database_empty',
  database_truncated: 'error.database_truncated',
  database_foreign: 'error.database_foreign',
  disk_full: 'error.disk_full',
  read_only: 'error.read_only',
  rotation_in_progress: 'error.rotation_in_progress',
  crypto: 'error.crypto',
  out_of_memory: 'error.out_of_memory',
  newer_schema: 'error.newer_schema',
  unsaved_journal: 'error.unsaved_journal',
  bug: 'error.bug',
  check_failed: 'error.check_failed',
  locked: 'error.locked',
  record_not_found: 'error.record_not_found',
  evidence_not_found: 'error.evidence_not_found',
  evidence_tampered: 'error.evidence_tampered',
  evidence_missing: 'error.evidence_missing',
  evidence_mismatch: 'error.evidence_mismatch',
  evidence_unreadable: 'error.evidence_unreadable',
  output_exists: 'error.output_exists',
  invalid_input: 'error.invalid_input',
  busy: 'error.busy',
  io: 'error.io',
  database: 'error.database',
  bundle_rejected: 'error.bundle_rejected',
  bundle_too_new: 'error.bundle_too_new',
  contact_not_found: 'error.contact_not_found',
  cancelled: 'error.cancelled',
  wipe_incomplete: 'error.wipe_incomplete',
  recovery_shares: 'error.recovery_shares',
  file_names_clash: 'error.file_names_clash',
};

/** The message key for a code, or `error.unknown` for a code this UI does not know. */
export function errorKey(code: string): MessageKey {
  return (KEYS as Record<string, MessageKey>)[code] ?? 'error.unknown';
}

export function isKnownCode(code: string): code is IpcErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * Whatever `invoke` rejected with, as an `IpcError`. Commands reject with the serialised
 * `IpcError`; Tauri itself rejects with a string (a missing command, a bad argument).
 */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const o = e as { code: string; message?: unknown; field?: unknown; reason?: unknown };
    return {
      code: o.code as IpcErrorCode,
      message: typeof o.message === 'string' ? o.message : '',
      field: typeof o.field === 'string' ? o.field : null,
      reason: typeof o.reason === 'string' ? (o.reason as Reason) : null,
    };
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  return { code: 'database', message, field: null, reason: null };
}

// What each reason for invalid input says in the UI. A `Record` over the generated `Reason`,
// so a reason added in the core fails `npm run check` until it has its message here. `null`
// marks reasons that only the CLI meets (import files, vocabulary edits): the UI shows the core's
// English text for those.
const REASON_KEYS: Record<Reason, MessageKey | null> = {
  required: 'validation.required',
  too_long: 'validation.tooLong',
  not_one_line: 'validation.singleLine',
  not_in_vocabulary: 'validation.unknownCode',
  district_not_in_province: 'validation.districtProvince',
  status_not_for_case_kind: 'validation.statusKind',
  details_not_for_case_kind: 'validation.detailsKind',
  name_or_pseudonym: 'validation.nameOrPseudonym',
  community_without_consent: 'validation.communityConsent',
  not_a_level: 'validation.level',
  not_a_coordinate: 'validation.coordinateRange',
  not_a_day: 'validation.day',
  not_a_partial_date: 'validation.partialDate',
  precision_mismatch: 'validation.precisionMismatch',
  precision_without_date: 'validation.precisionWithoutDate',
  no_such_record: 'validation.noSuchRecord',
  wrong_kind: 'validation.wrongKind',
  unknown_field: 'validation.unknownField',
  wrong_type: 'validation.invalidType',
  kept_by_vault: 'validation.keptByVault',
  has_dependents: 'validation.hasDependents',
  link_to_itself: 'validation.linkToItself',
  already_linked: 'validation.alreadyLinked',
  passphrase_too_short: 'validation.passphraseTooShort',
  passphrases_differ: 'validation.passphrasesDiffer',
  nul_character: 'validation.nulCharacter',
  not_a_cnic: 'validation.cnic',
  not_a_phone_number: 'validation.phone',
  not_an_outcome: 'validation.notAnOutcome',
  next_date_not_after: 'validation.nextDateNotAfter',
  outcome_already_recorded: 'validation.outcomeAlreadyRecorded',
  bad_key: 'validation.badKey',
  name_taken: 'validation.nameTaken',
  out_of_range: 'validation.outOfRange',
  same_as_passphrase: 'validation.sameAsPassphrase',
  id_taken: null,
  bad_vocabulary_entry: null,
  bad_import_line: null,
  unreadable_file: null,
};

/** The message key for why input was invalid; `null` when the UI has none for it. */
export function reasonKey(reason: Reason | null | undefined): MessageKey | null {
  return reason ? ((REASON_KEYS as Record<string, MessageKey | null>)[reason] ?? null) : null;
}

/**
 * What to tell the person about a failed command, in their language: the reason of an invalid
 * input when it has one (never the bare message, which is English), else what the error code
 * means.
 */
export function errorText(e: unknown): string {
  const err = toIpcError(e);
  const why = err.code === 'invalid_input' ? reasonKey(err.reason) : null;
  return why ? t(why) : t(errorKey(err.code));
}
