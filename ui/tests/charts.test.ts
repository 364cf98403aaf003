// The chart data shaping: bars in order with labels in the reader's language, the axes mirrored
// for Urdu, the filters a chart is counted within, and a chart's CSV safe to open in a
// spreadsheet whatever a label holds.
import { describe, expect, it } from 'vitest';
import { axisLayout, barsOf, chartCsv, chartFileName, csvCell, facetValueLabel, filtersOf, NO_CHOICE } from '../src/lib/charts';
import { asciiDigits, formatCount } from '../src/lib/dates';
import type { StatView } from '../src/bindings/StatView';

const provinces: StatView[] = [
  { value: 'sindh', en: 'Sindh', ur: 'سندھ', count: 3 },
  { value: 'punjab', en: 'Punjab', ur: 'پنجاب', count: 7 },
  { value: '', en: null, ur: null, count: 1 },
  { value: 'balochistan', en: 'Balochistan', ur: 'بلوچستان', count: 3 },
];

describe('bars', () => {
  it('come most first, ties in label order, with the vocabulary’s English labels', () => {
    const bars = barsOf('province', provinces, 'en', '(none)');
    expect(bars.map((b) => b.label)).toEqual(['Punjab', 'Balochistan', 'Sindh', '(none)']);
    expect(bars.map((b) => b.count)).toEqual([7, 3, 3, 1]);
  });

  it('carry the Urdu labels in Urdu, and fall back to English where a value has none', () => {
    const bars = barsOf('province', [...provinces, { value: 'ict', en: 'Islamabad', ur: null, count: 2 }], 'ur', '(درج نہیں)');
    expect(bars.map((b) => b.label)).toEqual(['پنجاب', 'بلوچستان', 'سندھ', 'Islamabad', '(درج نہیں)']);
    // The codes stay the codes in every language.
    expect(bars[0].value).toBe('punjab');
  });

  it('run in time order for months, written for the language', () => {
    const months: StatView[] = [
      { value: '2024-03', en: null, ur: null, count: 1 },
      { value: '2023-12', en: null, ur: null, count: 9 },
    ];
    const en = barsOf('month', months, 'en', '');
    expect(en.map((b) => b.value)).toEqual(['2023-12', '2024-03']);
    expect(en[0].label).toBe('December 2023');
    const ur = barsOf('month', months, 'ur', '');
    expect(ur.map((b) => b.value)).toEqual(['2023-12', '2024-03']);
    expect(ur[0].label).not.toMatch(/December/);
    expect(ur[0].label).toContain('دسمبر');
  });

  it('write a month by its name and every digit in the language’s own, as the search screen’s facets do', () => {
    const march = { value: '2024-03', en: null, ur: null };
    expect(facetValueLabel('month', march, 'en', '')).toBe('March 2024');
    const ur = facetValueLabel('month', march, 'ur', '');
    expect(ur).toContain('مارچ');
    expect(ur).not.toMatch(/[0-9]|2024-03/);
    expect(ur).toContain('۲۰۲۴');
    expect(formatCount(1234, 'ur')).not.toMatch(/[0-9]/);
    expect(formatCount(1234, 'en')).toBe('1,234');
    expect(asciiDigits(formatCount(1234, 'ur')).replace(/[^0-9]/g, '')).toBe('1234');
  });

  it('name a threat’s or a referral’s status in the language, not by its code', () => {
    for (const value of ['active', 'mitigated', 'realised', 'planned', 'sent', 'acknowledged', 'declined']) {
      const ur = facetValueLabel('status', { value, en: null, ur: null }, 'ur', '');
      expect(ur).toMatch(/[\u0600-\u06FF]/);
      expect(ur).not.toContain(value);
      expect(facetValueLabel('status', { value, en: null, ur: null }, 'en', '')).not.toBe(value);
    }
    // A case's status keeps the label the core gave it.
    expect(facetValueLabel('status', { value: 'closed', en: 'Closed', ur: 'بند' }, 'ur', '')).toBe('بند');
  });

  it('name kinds by their plural in the language', () => {
    const bars = barsOf('kind', [{ value: 'incident', en: null, ur: null, count: 2 }], 'ur', '');
    expect(bars[0].label).toMatch(/[\u0600-\u06FF]/);
    expect(barsOf('kind', [{ value: 'incident', en: null, ur: null, count: 2 }], 'en', '')[0].label).toBe('Incidents');
  });
});

describe('right to left', () => {
  it('puts the labels on the right and runs the values leftwards in Urdu', () => {
    expect(axisLayout('ur')).toEqual({ labelSide: 'right', valueReversed: true, valueAlign: 'right' });
  });

  it('keeps the labels on the left in English', () => {
    expect(axisLayout('en')).toEqual({ labelSide: 'left', valueReversed: false, valueAlign: 'left' });
  });
});

describe('filters', () => {
  it('are empty when nothing is chosen', () => {
    expect(filtersOf(NO_CHOICE, 'province')).toEqual({ facets: [], date_from: null, date_to: null, linked_to: null, has_evidence: null });
  });

  it('carry each facet chosen and the date range', () => {
    const f = filtersOf({ kind: 'case', province: 'sindh', caseKind: 'criminalisation', status: 'on_trial', from: '2024', to: '2024-06' }, 'court');
    expect(f.facets).toEqual([
      { facet: 'kind', values: ['case'] },
      { facet: 'province', values: ['sindh'] },
      { facet: 'case_kind', values: ['criminalisation'] },
      { facet: 'status', values: ['on_trial'] },
    ]);
    expect([f.date_from, f.date_to]).toEqual(['2024', '2024-06']);
  });

  it('count only detained-abroad cases by country, legal status or offence', () => {
    for (const by of ['country', 'legal_status', 'offence'] as const) {
      const f = filtersOf({ ...NO_CHOICE, caseKind: 'criminalisation' }, by);
      expect(f.facets).toEqual([{ facet: 'case_kind', values: ['detained_abroad'] }]);
    }
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "no"')).toBe('"say ""no"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvCell(12)).toBe('12');
  });

  it('neutralises spreadsheet formulas at the start of a cell', () => {
    for (const hostile of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const cell = csvCell(hostile);
      // Whatever quoting follows, the first character a spreadsheet reads is the apostrophe.
      expect(cell.replace(/^"/, '').startsWith("'"), hostile).toBe(true);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    // A negative count is a number, not text someone typed: it stays a number.
    expect(csvCell(-1)).toBe('-1');
  });

  it('writes a header and one CRLF row a bar, after a byte order mark', () => {
    const bars = barsOf('offence', [
      { value: '=cmd|"/c calc"!A1', en: null, ur: null, count: 2 },
      { value: 'drug, trafficking', en: null, ur: null, count: 1 },
    ], 'ur', '');
    const csv = chartCsv({ label: 'الزام', value: 'کوڈ', count: 'ریکارڈ' }, bars);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      'الزام,کوڈ,ریکارڈ',
      `"'=cmd|""/c calc""!A1","'=cmd|""/c calc""!A1",2`,
      '"drug, trafficking","drug, trafficking",1',
      '',
    ]);
  });

  it('names its files by the facet and the day, never by a label', () => {
    expect(chartFileName('legal_status', '2026-11-30', 'csv')).toBe('gawahi-legal-status-2026-11-30.csv');
    expect(chartFileName('province', '2026-11-30', 'png')).toBe('gawahi-province-2026-11-30.png');
  });
});
