// A list's filters: what the search screen hands over, the list's own bar merged in, and the
// ticked facets written out in the reader's language.
import { describe, expect, it } from 'vitest';
import { EMPTY_BAR, NO_FILTERS, barOf, chipsOf, forList, isFiltered, withBar } from '../src/lib/listFilters';
import type { Filters } from '../src/bindings/Filters';
import type { Entry } from '../src/bindings/Entry';

const entry = (code: string, en: string, ur: string): Entry => ({ code, en, ur, parent: null, extra: null }) as unknown as Entry;
const vocabs = new Map([
  ['provinces', [entry('sindh', 'Sindh', 'سندھ'), entry('punjab', 'Punjab', 'پنجاب')]],
  ['courts', [entry('bhc', 'Balochistan High Court', 'بلوچستان ہائی کورٹ')]],
]);

const fromSearch: Filters = {
  ...NO_FILTERS,
  facets: [
    { facet: 'kind', values: ['incident', 'case'] },
    { facet: 'province', values: ['sindh'] },
    { facet: 'court', values: ['bhc'] },
    { facet: 'month', values: ['2024-03'] },
    { facet: 'status', values: [] },
  ],
};

describe('filters handed to a list', () => {
  it('drop the kind and empty facets, keeping the rest as they were', () => {
    const f = forList(fromSearch);
    expect(f.facets.map((x) => x.facet)).toEqual(['province', 'court', 'month']);
    expect(isFiltered(f)).toBe(true);
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered(forList({ ...NO_FILTERS, facets: [{ facet: 'kind', values: ['case'] }] }))).toBe(false);
  });

  it('show a single province and the dates in the bar, and the bar replaces them', () => {
    const f = forList(fromSearch);
    expect(barOf(f)).toEqual({ province: 'sindh', from: '', to: '' });
    const g = withBar(f, { province: 'punjab', from: '2024-01-01', to: ' ' });
    expect(g.facets.filter((x) => x.facet === 'province')).toEqual([{ facet: 'province', values: ['punjab'] }]);
    expect(g.date_from).toBe('2024-01-01');
    expect(g.date_to).toBeNull();
    // The other facets stay.
    expect(g.facets.map((x) => x.facet).sort()).toEqual(['court', 'month', 'province']);
    const cleared = withBar(g, EMPTY_BAR);
    expect(cleared.facets.some((x) => x.facet === 'province')).toBe(false);
    expect(cleared.date_from).toBeNull();
  });

  it('write the ticked values in the reader’s language, months by name, never the bar’s province twice', () => {
    const en = chipsOf(forList(fromSearch), vocabs, 'en');
    expect(en.map((c) => c.label)).toEqual(['Balochistan High Court', 'March 2024']);
    const ur = chipsOf(forList(fromSearch), vocabs, 'ur');
    expect(ur[0].label).toBe('بلوچستان ہائی کورٹ');
    expect(ur[1].label).toContain('مارچ');
    expect(ur[1].label).not.toMatch(/[0-9]/);
    // Two provinces are not the bar's single choice: both are written out.
    const two = chipsOf({ ...NO_FILTERS, facets: [{ facet: 'province', values: ['sindh', 'punjab'] }] }, vocabs, 'en');
    expect(two.map((c) => c.label)).toEqual(['Sindh', 'Punjab']);
    // A code the vocabulary lacks is shown as written.
    expect(chipsOf({ ...NO_FILTERS, facets: [{ facet: 'court', values: ['gone'] }] }, vocabs, 'en')[0].label).toBe('gone');
  });
});
