import { beforeAll, describe, expect, it } from 'vitest';
import { codePoint, disguisingIn, hasControls, showControls, showControlsInSegments, shownName, withoutControls } from '../src/lib/controls';
import { loadCatalogue } from '../src/lib/i18n';
import { TEXT_RULES } from '../src/bindings/disguising';
import { displayValue, recordLabel, recordSortLabel } from '../src/lib/display';

beforeAll(async () => {
  await loadCatalogue('ur');
});

/** Every character the core's rule marks wherever it is, one by one. */
const CONTROLS = [
  ...['202A', '202B', '202C', '202D', '202E'],
  ...['2066', '2067', '2068', '2069'],
  ...['200B', 'FEFF', '2060', '2064'],
].map((h) => String.fromCodePoint(parseInt(h, 16)));

describe('the one rule', () => {
  it('marks exactly what the core marks in each of its samples', () => {
    expect(TEXT_RULES.samples.length).toBeGreaterThan(10);
    for (const { text, marked } of TEXT_RULES.samples) {
      expect(disguisingIn(text), JSON.stringify(text)).toEqual(marked);
    }
  });

  it('takes every character it marks from the generated rule, none from a list of its own', () => {
    // Each always-marked range of the core, at both ends, is marked here.
    for (const [from, to] of TEXT_RULES.always) {
      for (const cp of [from, to]) expect(hasControls(`a${String.fromCodePoint(cp)}b`), cp.toString(16)).toBe(true);
    }
  });
});

describe('directional marks (LRM, RLM, ALM)', () => {
  it('leaves them where an Urdu typist puts them', () => {
    for (const text of ['مقدمہ PECA\u200F کے تحت', 'ایف آئی آر (FIR)\u200F', 'مقدمہ\u061C درج', 'State v. Ahmed\u200E — ریاست']) {
      expect(showControls('ur', text), JSON.stringify(text)).toBe(text);
    }
  });

  it('fail: marks one that would make "pdf.exe" read as "exe.pdf", or reorder a number', () => {
    expect(showControls('en', 'رپورٹ pdf\u200F.exe')).toBe('رپورٹ pdf[hidden U+200F].exe');
    expect(showControls('ur', 'pdf\u061C.exe')).toBe('pdf[پوشیدہ U+061C].exe');
    expect(showControls('en', 'Hearing \u200F05 03 2024')).toBe('Hearing [hidden U+200F]05 03 2024');
    expect(showControls('en', '\u200Fabc ب def')).toBe('[hidden U+200F]abc ب def');
  });
});

describe('search snippets', () => {
  it('marks the pieces as one text and keeps each hit a hit, also inside a hostile name', () => {
    const segs = [
      { text: 'Invoice \u202E', highlighted: false },
      { text: 'fdp', highlighted: true },
      { text: '.exe\u202C from می\u200C', highlighted: false },
      { text: 'خواہم', highlighted: true },
    ];
    const shown = showControlsInSegments('en', segs);
    expect(shown).toEqual([
      { text: 'Invoice [hidden U+202E]', highlighted: false },
      { text: 'fdp', highlighted: true },
      { text: '.exe[hidden U+202C] from می\u200C', highlighted: false },
      { text: 'خواہم', highlighted: true },
    ]);
    // A disguise inside the hit is marked inside the hit, in Urdu too.
    expect(showControlsInSegments('ur', [{ text: 'in\u200Bvoice', highlighted: true }])).toEqual([
      { text: 'in[پوشیدہ U+200B]voice', highlighted: true },
    ]);
    // An override the index counted as part of the word found is marked beside the highlight.
    expect(
      showControlsInSegments('en', [
        { text: 'Raid ', highlighted: false },
        { text: '\u202Ecod', highlighted: true },
        { text: '.exe\u202C at', highlighted: false },
      ]),
    ).toEqual([
      { text: 'Raid [hidden U+202E]', highlighted: false },
      { text: 'cod', highlighted: true },
      { text: '.exe[hidden U+202C] at', highlighted: false },
    ]);
    // A joiner at a piece's edge outside Urdu is still a disguise.
    expect(showControlsInSegments('en', [{ text: 'pay\u200D', highlighted: false }, { text: 'pal', highlighted: true }])).toEqual([
      { text: 'pay[hidden U+200D]', highlighted: false },
      { text: 'pal', highlighted: true },
    ]);
  });
});

describe('disguising characters in names', () => {
  it('shows a right-to-left override as a marker, so the name reads as it is', () => {
    const shown = showControls('en', 'invoice\u202Efdp.exe');
    expect(shown).toBe('invoice[hidden U+202E]fdp.exe');
    expect(shown).not.toContain('\u202E');
    expect(showControls('ur', 'invoice\u202Efdp.exe')).toBe('invoice[پوشیدہ U+202E]fdp.exe');
  });

  it('marks each control the core always marks, in both languages, and leaves no control behind', () => {
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

describe('titles and free text on every screen', () => {
  it('marks a record label wherever one is shown, keeps it as stored for sorting, and withholds a withheld name', () => {
    const r = { label: 'Raid \u202Ecod.exe\u202C at the office', nameWithheld: false };
    expect(recordLabel('en', r)).toBe('Raid [hidden U+202E]cod.exe[hidden U+202C] at the office');
    expect(recordLabel('ur', r)).toBe('Raid [پوشیدہ U+202E]cod.exe[پوشیدہ U+202C] at the office');
    expect(recordSortLabel('en', r)).toBe(r.label);
    expect(recordLabel('en', { label: 'x\u202Ey', nameWithheld: true })).not.toContain('U+202E');
  });

  it('marks a text field as shown, and leaves an Urdu one typed with its marks as it is', () => {
    const ctx = (v: string) => ({ lang: 'en' as const, vocabs: new Map(), fields: { purpose: v } });
    const spec = { name: 'purpose', type: { t: 'longtext' } } as Parameters<typeof displayValue>[0];
    expect(displayValue(spec, ctx('Bail \u2067hearing'))).toBe('Bail [hidden U+2067]hearing');
    expect(displayValue(spec, ctx('ضمانت PECA\u200F کی سماعت'))).toBe('ضمانت PECA\u200F کی سماعت');
  });

  it('marks a user’s own vocabulary entry where a field shows it', () => {
    const vocabs = new Map([['courts', [{ code: 'own_court', en: 'Court \u202Eof fraud', ur: 'عدالت\u202E', active: true }]]]);
    const spec = { name: 'court', type: { t: 'vocab', vocab: 'courts' } } as Parameters<typeof displayValue>[0];
    const ctx = { lang: 'en' as const, vocabs, fields: { court: 'own_court' } } as Parameters<typeof displayValue>[1];
    expect(displayValue(spec, ctx)).toBe('Court [hidden U+202E]of fraud');
  });

  it('keeps each of several labels in its own run, so a Latin entry keeps its order in Urdu', () => {
    const vocabs = new Map([
      [
        'perpetrator_types',
        [
          { code: 'police', en: 'Police', ur: 'پولیس', active: true },
          { code: 'own', en: 'Other (CTD, 2024)', ur: '', active: true },
        ],
      ],
    ]);
    const spec = { name: 'perpetrators', type: { t: 'vocabMulti', vocab: 'perpetrator_types' } } as Parameters<typeof displayValue>[0];
    const ctx = (lang: 'en' | 'ur', codes: string[]) =>
      ({ lang, vocabs, fields: { perpetrators: codes } }) as Parameters<typeof displayValue>[1];
    expect(displayValue(spec, ctx('ur', ['police', 'own']))).toBe('\u2068پولیس\u2069، \u2068Other (CTD, 2024)\u2069');
    expect(displayValue(spec, ctx('en', ['police', 'own']))).toBe('\u2068Police\u2069, \u2068Other (CTD, 2024)\u2069');
    // One label is the cell's own text, whose direction the cell takes from it (`dir="auto"`).
    expect(displayValue(spec, ctx('ur', ['own']))).toBe('Other (CTD, 2024)');
  });
});
