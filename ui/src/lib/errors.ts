// IPC errors: normalising what `invoke` rejects with, and turning a code into a message key.
import type { IpcError } from '../bindings/IpcError';
import type { ErrorCode as IpcErrorCode } from '../bindings/ErrorCode';
import type { MessageKey } from './i18n';

/** Every `IpcErrorCode`, as serde writes them. Generated from `gawahi_core::ErrorCode`. */
export const ERROR_CODES = [
  'wrong_passphrase',
  'vault_not_found',
  'vault_exists',
  'corrupt_header',
  'unsupported_version',
  'corrupt_database',
  'check_failed',
  'locked',
  'record_not_found',
  'invalid_input',
  'busy',
  'io',
  'database',
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
  check_failed: 'error.check_failed',
  locked: 'error.locked',
  record_not_found: 'error.record_not_found',
  invalid_input: 'error.invalid_input',
  busy: 'error.busy',
  io: 'error.io',
  database: 'error.database',
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
    const o = e as { code: string; message?: unknown; field?: unknown };
    return {
      code: o.code as IpcErrorCode,
      message: typeof o.message === 'string' ? o.message : '',
      field: typeof o.field === 'string' ? o.field : null,
    };
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  return { code: 'database', message, field: null };
}

/**
 * The core's English message for an invalid field, mapped to a translated message where the
 * wording is one the core is known to use; `null` when it is not (the UI then shows the core's
 * English text as it is).
 */
export function fieldMessageKey(message: string): MessageKey | null {
  const m = message.replace(/^field `[^`]*`: /, '');
  const rules: Array<[RegExp, MessageKey]> = [
    [/^is required/, 'validation.required'],
    [/^a person needs a name or a pseudonym/, 'validation.nameOrPseudonym'],
    [/^a community .* consent/, 'validation.communityConsent'],
    [/^expected a calendar date/, 'validation.day'],
    [/^expected a date like/, 'validation.partialDate'],
    [/precision but the precision field says/, 'validation.precisionMismatch'],
    [/^a precision is given but the date is missing/, 'validation.precisionWithoutDate'],
    [/is not in the .* vocabulary/, 'validation.unknownCode'],
    [/^district `.*` is in `.*`, not in/, 'validation.districtProvince'],
    [/^status `.*` does not apply/, 'validation.statusKind'],
    [/^is longer than/, 'validation.tooLong'],
    [/^must be a single line/, 'validation.singleLine'],
    [/^expected a whole number from 1 to 5/, 'validation.level'],
    [/^expected degrees between/, 'validation.coordinate'],
    [/^no \w+ with id/, 'validation.noSuchRecord'],
    [/ is a \w+, not a \w+/, 'validation.wrongKind'],
    [/^only a .* case has these details/, 'validation.detailsKind'],
    [/^unknown field/, 'validation.unknownField'],
    [/^invalid type/, 'validation.invalidType'],
  ];
  for (const [re, key] of rules) if (re.test(m)) return key;
  return null;
}
