import { beforeAll, describe, expect, it } from 'vitest';
import { codePoint, hasControls, showControls, shownName, withoutControls } from '../src/lib/controls';
import { loadCatalogue } from '../src/lib/i18n';

beforeAll(async () => {
  await loadCatalogue('ur');
});

/** Every character the CLI escapes as a disguising control, one by one. */
const CONTROLS = [
  ...['202A', '202B', '202C', '202D', '202E'],
  ...['2066', '2067', '2068', '2069'],
  ...['200B', '200E', '200F', '061C', 'FEFF', '2060'],
].map((h) => String.fromCodePoint(parseInt(h, 16)));

describe('disguising characters in names', () => {
  it('shows a right-to-left override as a marker, so the name reads as it is', () => {
    const shown = showControls('en', 'invoice\u202Efdp.exe');
    expect(shown).toBe('invoice[hidden U+202E]fdp.exe');
    expect(shown).not.toContain('\u202E');
    expect(showControls('ur', 'invoice\u202Efdp.exe')).toBe('invoice[پوشیدہ U+202E]fdp.exe');
  });

  it('marks each control the CLI escapes, in both languages, and leaves no control behind', () => {
    for (const c of CONTROLS) {
      for (const lang of ['en', 'ur'] as const) {
        const shown = showControls(lang, `a${c}b`);
        expect(shown, codePoint(c)).toContain(codePoint(c));
        expect(shown.includes(c), codePoint(c)).toBe(false);
      }
      expect(hasControls(`a${c}b`), codePoint(c)).toBe(true);
      expect(withoutControls(`a${c}b`), codePoint(c)).toBe('ab');
    }
  });

  it('keeps a zero-width non-joiner between Urdu letters, as Urdu typing uses it, and marks it elsewhere', () => {
    const urdu = 'گواہی\u200Cنامہ.pdf';
    expect(showControls('en', urdu)).toBe(urdu);
    expect(hasControls(urdu)).toBe(false);
    expect(showControls('en', 'in\u200Cvoice')).toBe('in[hidden U+200C]voice');
    expect(showControls('en', '\u200Dگواہی')).toBe('[hidden U+200D]گواہی');
    expect(withoutControls('pay\u200Dslip')).toBe('payslip');
  });

  it('leaves ordinary names alone, Urdu and Latin, and names a missing one', () => {
    for (const n of ['invoice.pdf', 'رپورٹ ۲۰۲۶.pdf', 'a b (1).txt', '', 'emoji 👩🏽\u200D⚖️ ok']) {
      expect(showControls('en', n)).toBe(n);
      expect(hasControls(n)).toBe(false);
    }
    expect(shownName('en', null)).toBe('(no name)');
    expect(shownName('ur', undefined)).toBe('(بے نام)');
    expect(shownName('en', 'x\u200By')).toBe('x[hidden U+200B]y');
  });

  it('marks every character of a long run of controls and of astral text around it', () => {
    const hostile = '\u202E'.repeat(10_000) + '😀';
    const shown = showControls('en', hostile);
    expect(shown.split('[hidden U+202E]').length - 1).toBe(10_000);
    expect(shown.endsWith('😀')).toBe(true);
  });
});
