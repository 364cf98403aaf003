import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorKey, fieldMessageKey, isKnownCode, toIpcError } from '../src/lib/errors';
import { translate } from '../src/lib/i18n';
import bindingSource from '../src/bindings/ErrorCode.ts?raw';

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
    expect(toIpcError({ code: 'invalid_input', message: 'field `title`: is required', field: 'title' })).toEqual({
      code: 'invalid_input',
      message: 'field `title`: is required',
      field: 'title',
    });
    expect(toIpcError({ code: 'locked', message: 'the vault is locked', field: null }).field).toBeNull();
  });

  it('wraps what Tauri itself rejected with', () => {
    expect(toIpcError('command foo not found')).toEqual({ code: 'database', message: 'command foo not found', field: null });
    expect(toIpcError(new Error('boom')).message).toBe('boom');
  });
});

describe('field messages of the core', () => {
  it('are translated where the wording is known', () => {
    expect(fieldMessageKey('field `title`: is required')).toBe('validation.required');
    expect(fieldMessageKey('field `fir_date`: expected a calendar date like 2024-03-05')).toBe('validation.day');
    expect(fieldMessageKey('field `occurred_on`: the date has month precision but the precision field says day')).toBe(
      'validation.precisionMismatch',
    );
    expect(fieldMessageKey('field `community`: a community (ethnic or religious) is stored only with consent: set consent_to_store to true first')).toBe(
      'validation.communityConsent',
    );
    expect(fieldMessageKey('field `status`: status `missing` does not apply to a criminalisation case (it applies to: enforced_disappearance)')).toBe(
      'validation.statusKind',
    );
    expect(fieldMessageKey('field `charges[0].section`: section `99` of `peca_2016` is not in the sections vocabulary; add it')).toBe(
      'validation.unknownCode',
    );
  });

  it('are left as they are otherwise', () => {
    expect(fieldMessageKey('field `x`: something new')).toBeNull();
  });
});
