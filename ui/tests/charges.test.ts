import { describe, expect, it } from 'vitest';
import { chargeLabel, chargeOf, matchSections, normaliseText, sectionKey, tokenise } from '../src/lib/charges';
import { vocabs } from './vocab-fixture';

const first = (q: string, lang: 'en' | 'ur' = 'en') => matchSections(vocabs, q, lang)[0]?.code;

describe('section type-ahead', () => {
  it('finds a section from statute short name and number', () => {
    expect(first('PECA 20')).toBe('peca_2016.20');
    expect(first('peca20')).toBe('peca_2016.20');
    expect(first('PECA s.20')).toBe('peca_2016.20');
    expect(first('ATA 7')).toBe('ata_1997.7');
    expect(first('PPC 506')).toBe('ppc_1860.506');
    expect(first('MPO 3')).toBe('mpo_1960.3');
  });

  it('finds a section from its number alone, with or without the dash', () => {
    expect(first('295-C')).toBe('ppc_1860.295-c');
    expect(first('295c')).toBe('ppc_1860.295-c');
    expect(first('295 C')).toBe('ppc_1860.295-c');
    expect(first('11-EE')).toBe('ata_1997.11-ee');
    expect(first('ATA 11ee')).toBe('ata_1997.11-ee');
    expect(first('26A')).toBe('peca_2016.26a');
  });

  it('lists every section a bare number starts', () => {
    const codes = matchSections(vocabs, '295', 'en').map((m) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['ppc_1860.295-a', 'ppc_1860.295-b', 'ppc_1860.295-c']));
  });

  it('matches words of the English title', () => {
    expect(first('cyber stalking')).toBe('peca_2016.24');
    expect(first('sedition')).toBe('ppc_1860.124-a');
    expect(matchSections(vocabs, 'defamation', 'en').map((m) => m.code)).toEqual(
      expect.arrayContaining(['ppc_1860.499', 'ppc_1860.500']),
    );
  });

  it('matches Urdu words, with or without diacritics, and Urdu digits', () => {
    expect(first('توہین رسالت', 'ur')).toBe('ppc_1860.295-c');
    expect(first('توہینِ رسالت', 'ur')).toBe('ppc_1860.295-c');
    expect(first('پیکا 20', 'ur')).toBe('peca_2016.20');
    expect(first('دفعہ ۲۰ پیکا', 'ur')).toBe('peca_2016.20');
    expect(first('295 سی', 'ur')).toBe('ppc_1860.295-c');
    expect(first('سائبر دہشت گردی', 'ur')).toBe('peca_2016.10');
  });

  it('requires every word to match', () => {
    expect(matchSections(vocabs, 'PECA 295', 'en')).toEqual([]);
    expect(matchSections(vocabs, 'zzz', 'en')).toEqual([]);
    expect(matchSections(vocabs, '   ', 'en')).toEqual([]);
  });

  it('labels options in the language shown', () => {
    expect(matchSections(vocabs, 'PECA 20', 'en')[0].label).toBe('PECA s.20 Offences against dignity of a natural person');
    expect(matchSections(vocabs, 'PECA 20', 'ur')[0].label).toMatch(/^\u2066PECA\u2069 دفعہ 20/);
  });
});

describe('charges', () => {
  it('store the section as written when it names the code, else the code’s tail', () => {
    const entry = (code: string) => vocabs.get('sections')!.find((e) => e.code === code)!;
    expect(chargeOf(entry('ppc_1860.295-c'))).toEqual({ statute: 'ppc_1860', section: '295-C' });
    expect(chargeOf(entry('peca_2016.26a'))).toEqual({ statute: 'peca_2016', section: '26A' });
    // "2(1)(d)" lower-cased is not the code "2-1-d": the code's tail is what the core accepts.
    expect(chargeOf(entry('army_act_1952.2-1-d'))).toEqual({ statute: 'army_act_1952', section: '2-1-d' });
  });

  it('are shown with the statute short name', () => {
    expect(chargeLabel(vocabs, { statute: 'ata_1997', section: '7' }, 'en')).toBe('ATA s.7 Punishment for acts of terrorism');
    expect(chargeLabel(vocabs, { statute: 'ata_1997', section: '99' }, 'en')).toBe('ATA 99');
  });
});

describe('normalising', () => {
  it('folds case, diacritics and digits', () => {
    expect(sectionKey('295-C')).toBe('295c');
    expect(sectionKey('2(1)(d)')).toBe('21d');
    expect(normaliseText('۲۹۵')).toBe('295');
    expect(normaliseText('توہینِ')).toBe(normaliseText('توہین'));
  });

  it('splits statutes from numbers and keeps section letters', () => {
    expect(tokenise('PECA20')).toEqual([
      { text: 'peca', section: false },
      { text: '20', section: true },
    ]);
    expect(tokenise('s. 295 c')).toEqual([{ text: '295c', section: true }]);
  });
});

describe('a section outside the list', () => {
  it('is read from a statute’s short name or code and a section number', async () => {
    const { ownSectionOf } = await import('../src/lib/charges');
    expect(ownSectionOf(vocabs, 'PPC 489-F')).toEqual({ statute: 'ppc_1860', section: '489-F' });
    expect(ownSectionOf(vocabs, 'ppc s.34')).toEqual({ statute: 'ppc_1860', section: '34' });
    expect(ownSectionOf(vocabs, 'ppc_1860 section 2(1)(d)')).toEqual({ statute: 'ppc_1860', section: '2(1)(d)' });
    expect(ownSectionOf(vocabs, 'PECA ۲۶')).toEqual({ statute: 'peca_2016', section: '26' });
  });

  it('is not offered without a known statute or a section number', async () => {
    const { ownSectionOf } = await import('../src/lib/charges');
    for (const bad of ['', '489-F', 'XYZ 12', 'PPC', 'PPC dignity', 'PPC 12 13', 'PPC <script>', `PPC ${'1'.repeat(40)}`, 'PPC 12\n13']) {
      expect(ownSectionOf(vocabs, bad), bad).toBeNull();
    }
  });
});
