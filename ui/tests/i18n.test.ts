import { describe, expect, it, vi } from 'vitest';
import { catalogues, hasKey, placeholders, translate, translateParts } from '../src/lib/i18n';
import { ur as urRest } from '../src/lib/messages/ur';
import { urStart } from '../src/lib/messages/ur-start';
import { ENUMS, KINDS, SPECS, allFields } from '../src/lib/schema';

// Both languages whole, as the app behind the unlock screen has them (tests/setup.ts loads them);
// Urdu straight from its files, so that a key missing there is not hidden by anything loaded.
const en = catalogues.en as Record<string, string>;
const ur: Record<string, string> = { ...urStart, ...urRest };

describe('message catalogues', () => {
  it('have exactly the same keys in English and Urdu', () => {
    expect(Object.keys(ur).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty messages', () => {
    for (const [lang, cat] of Object.entries({ en, ur })) {
      for (const [key, message] of Object.entries(cat)) {
        expect(message.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en)) {
      expect(placeholders(ur[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('have Urdu text in Urdu messages (not untranslated English)', () => {
    const latinOnly = Object.entries(ur).filter(([, m]) => {
      const text = m.replace(/\{\w+\}/g, '');
      return /[A-Za-z]{4,}/.test(text) && !/[\u0600-\u06FF]/.test(text);
    });
    // Even the date placeholder is an example in digits, not "YYYY-MM-DD".
    expect(latinOnly.map(([k]) => k)).toEqual([]);
  });

  it('name no English key, date shape or clock in Urdu messages', () => {
    const english = Object.entries(ur).filter(([, m]) => /\b(Ctrl|Shift|Enter|Esc|Tab|YYYY|MM|DD|HH|AM|PM)\b/.test(m));
    expect(english.map(([k]) => k)).toEqual([]);
  });

  it('label every kind, field, enum value and details block', () => {
    for (const kind of KINDS) {
      for (const prefix of ['kind', 'kinds', 'new']) expect(hasKey(`${prefix}.${kind}`), `${prefix}.${kind}`).toBe(true);
      for (const f of allFields(kind)) {
        expect(hasKey(`field.${f.name}`), `field.${f.name}`).toBe(true);
        if (f.type.t === 'partialDate') expect(hasKey(`field.${f.type.precisionField}`)).toBe(true);
      }
      for (const b of SPECS[kind].blocks) {
        expect(hasKey(`block.${b.name}`), `block.${b.name}`).toBe(true);
        expect(hasKey(`field.${b.name}`), `field.${b.name}`).toBe(true);
      }
    }
    for (const [name, values] of Object.entries(ENUMS)) {
      for (const v of values) expect(hasKey(`enum.${name}.${v}`), `enum.${name}.${v}`).toBe(true);
    }
  });
});

describe('Latin inside Urdu', () => {
  it('isolates every file name in an Urdu message, so it keeps its order in a right-to-left line', () => {
    const loose = Object.entries(ur).flatMap(([key, m]) =>
      [...m.matchAll(/vault\.(header|db)(-wal|-shm|\.rotating)?/g)]
        .filter((x) => m[x.index - 1] !== '\u2066' || m[x.index + x[0].length] !== '\u2069')
        .map(() => key),
    );
    expect(loose).toEqual([]);
  });
});

describe('loading a language', () => {
  it('has the first screens in both languages at once, and the rest of a language once it is loaded', async () => {
    vi.resetModules();
    const fresh = await import('../src/lib/i18n');
    expect(fresh.hasCatalogue('en')).toBe(false);
    expect(fresh.hasCatalogue('ur')).toBe(false);
    expect(fresh.translate('ur', 'unlock.title')).toBe(urStart['unlock.title']);
    expect(fresh.translate('en', 'unlock.title')).toBe('Unlock your vault');
    // Before its chunk is loaded, a message of the app behind the unlock screen is its bare key.
    expect(fresh.translate('ur', 'list.total', { count: 3 })).toBe('list.total');
    expect(fresh.hasKey('list.total')).toBe(false);
    await fresh.loadCatalogue('ur');
    expect(fresh.hasCatalogue('ur')).toBe(true);
    expect(fresh.translate('ur', 'list.total', { count: 3 })).toContain('ریکارڈ');
    expect(fresh.hasKey('list.total')).toBe(true);
    // An Urdu session never loads English beyond its first screens.
    expect(fresh.hasCatalogue('en')).toBe(false);
    expect(fresh.translate('en', 'list.total', { count: 3 })).toBe('list.total');
    await fresh.loadCatalogue('en');
    expect(fresh.translate('en', 'list.total', { count: 3 })).toBe('Records in total: 3');
  });
});

describe('translate', () => {
  it('fills placeholders and writes numbers for the language', () => {
    expect(translate('en', 'list.total', { count: 1234 })).toBe('Records in total: 1,234');
    expect(translate('ur', 'list.total', { count: 3 })).toContain('ریکارڈ');
    expect(translate('en', 'editor.edit', { label: 'Raid' })).toBe('Edit: Raid');
  });

  it('leaves a placeholder without a value visible', () => {
    expect(translate('en', 'editor.edit')).toBe('Edit: {label}');
  });

  it('splits a message into its words and its filled values', () => {
    expect(translateParts('en', 'editor.edit', { label: 'Raid' })).toEqual([
      { text: 'Edit: ', param: false },
      { text: 'Raid', param: true },
    ]);
    expect(translateParts('en', 'list.total', { count: 1234 })).toEqual([
      { text: 'Records in total: ', param: false },
      { text: '1,234', param: true },
    ]);
    expect(translateParts('en', 'editor.edit', {})).toEqual([{ text: 'Edit: {label}', param: false }]);
  });
});
