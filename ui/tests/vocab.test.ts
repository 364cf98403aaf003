import { describe, expect, it } from 'vitest';
import { extraOf, nestedOptions, provinceOfDistrict, statusOptions, vocabLabel, vocabOptions } from '../src/lib/vocab';
import { vocabs } from './vocab-fixture';

describe('vocabularies', () => {
  it('label codes in the language, and show unknown codes as they are', () => {
    expect(vocabLabel(vocabs, 'provinces', 'punjab', 'en')).toBe('Punjab');
    expect(vocabLabel(vocabs, 'provinces', 'punjab', 'ur')).toBe('پنجاب');
    expect(vocabLabel(vocabs, 'provinces', 'atlantis', 'en')).toBe('atlantis');
    expect(vocabLabel(vocabs, 'provinces', null, 'en')).toBe('');
  });

  it('offer only the districts of the province chosen', () => {
    const lahore = vocabOptions(vocabs, 'districts', 'en', 'punjab');
    expect(lahore.map((o) => o.value)).toContain('punjab.lahore');
    expect(lahore.every((o) => o.value.startsWith('punjab.'))).toBe(true);
    expect(provinceOfDistrict(vocabs, 'punjab.lahore')).toBe('punjab');
  });

  it('sort options by label in the language', () => {
    const labels = vocabOptions(vocabs, 'provinces', 'en').map((o) => o.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('offer only the case statuses that apply to the case kind', () => {
    const codes = (kind: string) => statusOptions(vocabs, kind, 'en').map((o) => o.value);
    expect(codes('enforced_disappearance')).toEqual(expect.arrayContaining(['missing', 'habeas_pending', 'closed', 'withdrawn']));
    expect(codes('enforced_disappearance')).not.toContain('fir_registered');
    expect(codes('criminalisation')).toContain('fir_registered');
    expect(codes('protection')).not.toContain('missing');
  });

  it('nest perpetrator types under their group', () => {
    const opts = nestedOptions(vocabs, 'perpetrator_types', 'en');
    const state = opts.findIndex((o) => o.value === 'state');
    expect(opts[state].depth).toBe(0);
    expect(opts[state + 1].value.startsWith('state.')).toBe(true);
    expect(opts[state + 1].depth).toBe(1);
    expect(opts).toHaveLength(vocabs.get('perpetrator_types')!.length);
  });

  it('read extra attributes as text', () => {
    const peca = vocabs.get('statutes')!.find((e) => e.code === 'peca_2016')!;
    expect(extraOf(peca, 'short')).toBe('PECA');
    expect(extraOf(peca, 'missing')).toBe('');
  });
});
