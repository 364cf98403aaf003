import { describe, expect, it } from 'vitest';
import { changedMessage, rotationView } from '../src/lib/rotation';
import { translate, translateParts } from '../src/lib/i18n';

describe('rotation progress', () => {
  it('is indeterminate until the core says how far it has got', () => {
    for (const f of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(rotationView(f)).toEqual({ value: null, percent: null, finishing: false });
    }
  });

  it('shows whole percent, never 100 before the copy is whole', () => {
    expect(rotationView(0)).toEqual({ value: 0, percent: 0, finishing: false });
    expect(rotationView(0.426)).toEqual({ value: 0.426, percent: 42, finishing: false });
    expect(rotationView(0.9999).percent).toBe(99);
    expect(rotationView(0.9999).finishing).toBe(false);
    expect(rotationView(1)).toEqual({ value: 1, percent: 100, finishing: true });
  });

  it('keeps a fraction out of range inside the bar', () => {
    expect(rotationView(-0.2).value).toBe(0);
    expect(rotationView(1.3)).toEqual({ value: 1, percent: 100, finishing: true });
  });
});

describe('what a passphrase change says', () => {
  const files = { header: 'vault.header', database: 'vault.db' };
  const text = (lang: 'en' | 'ur', rotated: boolean) =>
    translateParts(lang, changedMessage(rotated), files)
      .map((p) => p.text)
      .join('');

  it('without rotation: old copies of the key file still open the vault with the old passphrase', () => {
    const en = text('en', false);
    expect(en).toContain('old passphrase no longer opens this vault');
    expect(en).toContain('vault.header');
    expect(en).toContain('still opens it with the old passphrase, including records added later');
    expect(en).toContain('also replace the vault key');
    expect(text('ur', false)).toContain('vault.header');
  });

  it('with rotation: old copies of the key file and the database open nothing of this vault', () => {
    const en = text('en', true);
    expect(en).toContain('vault key replaced');
    expect(en).toContain('no longer open anything of this vault');
    expect(en).toContain('vault.header');
    expect(en).toContain('vault.db');
    expect(en).not.toContain('including records added later');
    const ur = text('ur', true);
    expect(ur).toContain('vault.header');
    expect(ur).toContain('vault.db');
  });

  it('puts the file names in their own parts, for <bdi>', () => {
    const parts = translateParts('ur', 'settings.rotated', files);
    expect(parts.filter((p) => p.param).map((p) => p.text)).toEqual(['vault.header', 'vault.db']);
    expect(parts.filter((p) => !p.param).every((p) => !p.text.includes('{'))).toBe(true);
  });

  it('says how far the copy has got in both languages', () => {
    expect(translate('en', 'settings.rotatingPercent', { percent: 42 })).toBe('42% of the records copied under the new key');
    expect(translate('ur', 'settings.rotatingPercent', { percent: 42 })).toContain('۴۲%');
  });
});
