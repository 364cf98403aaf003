import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorKey, isKnownCode, reasonKey, toIpcError } from '../src/lib/errors';
import { translate } from '../src/lib/i18n';
import bindingSource from '../src/bindings/ErrorCode.ts?raw';
import reasonSource from '../src/bindings/Reason.ts?raw';

// The codes as generated from `gawahi_core::ErrorCode` (ts-rs): `make test` fails
// if that file is stale, so this list cannot drift from the Rust enum.
const RUST_IPC_ERROR_CODES = [...bindingSource.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);

describe('error codes', () => {
  it('are the Rust enum’s variants', () => {
    expect(RUST_IPC_ERROR_CODES.length).toBeGreaterThan(10);
    expect([...ERROR_CODES]).toEqual(RUST_IPC_ERROR_CODES);
  });

  it('each have their own message in English and Urdu', () => {
    const seen = new Set<string>();
    for (const code of RUST_IPC_ERROR_CODES) {
      const key = errorKey(code);
      expect(key).toBe(`error.${code}`);
      const en = translate('en', key);
      const ur = translate('ur', key);
      expect(en).not.toBe(key);
      expect(ur).not.toBe(key);
      expect(ur).toMatch(/[\u0600-\u06FF]/);
      expect(seen.has(en)).toBe(false);
      seen.add(en);
    }
  });

  it('fall back to a general message for an unknown code', () => {
    expect(errorKey('something_new')).toBe('error.unknown');
    expect(isKnownCode('busy')).toBe(true);
    expect(isKnownCode('something_new')).toBe(false);
  });

  it('tell the wrong passphrase apart', () => {
    expect(translate('en', errorKey('wrong_passphrase'))).toMatch(/^Wrong passphrase/);
    expect(translate('ur', errorKey('wrong_passphrase'))).toContain('پاس فریز غلط ہے');
  });
});

describe('toIpcError', () => {
  it('keeps what a command rejected with', () => {
    expect(toIpcError({ code: 'invalid_input', message: 'field `title`: is required', field: 'title', reason: 'required' })).toEqual({
      code: 'invalid_input',
      message: 'field `title`: is required',
      field: 'title',
      reason: 'required',
    });
    expect(toIpcError({ code: 'locked', message: 'the vault is locked', field: null }).field).toBeNull();
  });

  it('wraps what Tauri itself rejected with', () => {
    expect(toIpcError('command foo not found')).toEqual({ code: 'database', message: 'command foo not found', field: null, reason: null });
    expect(toIpcError(new Error('boom')).message).toBe('boom');
  });
});

// The reasons as generated from `gawahi_core::error::Reason` (ts-rs; `make test` fails if stale).
const RUST_REASONS = [...reasonSource.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
// Reasons only the CLI meets: the UI shows the core's English text for them.
const CLI_ONLY = ['id_taken', 'bad_vocabulary_entry', 'bad_import_line', 'unreadable_file'];

describe('reasons for invalid input', () => {
  it('each say something of their own in English and Urdu, but those only the CLI meets', () => {
    expect(RUST_REASONS.length).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const reason of RUST_REASONS) {
      const key = reasonKey(reason as never);
      if (CLI_ONLY.includes(reason)) {
        expect(key, reason).toBeNull();
        continue;
      }
      expect(key, reason).not.toBeNull();
      const en = translate('en', key!);
      const ur = translate('ur', key!);
      expect(en).not.toBe(key);
      expect(ur).toMatch(/[\u0600-\u06FF]/);
      expect(en).not.toMatch(/\{\w+\}/);
      expect(seen.has(en), `${reason} shares its message`).toBe(false);
      seen.add(en);
    }
  });

  it('are read from the error, not from its English wording', () => {
    const reworded = toIpcError({ code: 'invalid_input', message: 'field `title`: cannot be empty', field: 'title', reason: 'required' });
    expect(reasonKey(reworded.reason)).toBe('validation.required');
    expect(reasonKey(toIpcError({ code: 'invalid_input', message: 'field `title`: is required', field: 'title' }).reason)).toBeNull();
    expect(reasonKey('something_new' as never)).toBeNull();
  });
});
