// Charges: a statute and one of its sections. The type-ahead finds a section from what lawyers
// write — "PECA 20", "295-C", "295c", "ATA 7", "s. 11-EE", "دفعہ 20 پیکا" — and from words of
// its English or Urdu title ("defamation", "توہین رسالت").
import type { Entry } from '../bindings/Entry';
import { asciiDigits } from './dates';
import { entryLabel, extraOf, type Lang, type Vocabs } from './vocab';

export type Charge = { statute: string; section: string };

export type SectionMatch = {
  /** The section's code (`peca_2016.20`). */
  code: string;
  statute: string;
  /** The section as written (`20`, `295-C`). */
  section: string;
  /** `PECA s.20 Offences against dignity…` in the language shown. */
  label: string;
  score: number;
};

/** Arabic-script diacritics, tatweel and zero-width joiners, which people type or leave out at will. */
const MARKS = /[\u064B-\u065F\u0670\u0640\u200B-\u200F\u06D4]/g;

/** Lower case, Latin digits, no diacritics; Arabic/Farsi letter variants folded to Urdu's. */
export function normaliseText(s: string): string {
  return asciiDigits(s.normalize('NFC'))
    .toLowerCase()
    .replace(MARKS, '')
    .replace(/[\u064A\u0649]/g, '\u06CC') // Arabic yeh, alef maksura → Farsi/Urdu yeh
    .replace(/\u0643/g, '\u06A9') // Arabic kaf → keheh
    .replace(/\u0647/g, '\u06C1'); // heh → heh goal, as Urdu text writes it
}

/** A section number for comparing: `295-C` → `295c`, `2(1)(d)` → `21d`, `11-EE` → `11ee`. */
export function sectionKey(s: string): string {
  return normaliseText(s).replace(/[^0-9a-z]/g, '');
}

// Words that only say "section" or "article", in English and Urdu.
const FILLER = new Set(['s', 'sec', 'section', 'sections', 'u', 'us', 'art', 'article', 'دفعہ', 'دفعات', 'آرٹیکل', 'of', 'the', 'and'].map(normaliseText));

// Urdu letter names of the Latin letters used in section numbers (295 سی = 295-C).
const URDU_LETTERS: Record<string, string> = Object.fromEntries(
  Object.entries({ اے: 'a', بی: 'b', سی: 'c', ڈی: 'd', ای: 'e', ایف: 'f', ڈبلیو: 'w', ایای: 'ee' }).map(([k, v]) => [normaliseText(k), v]),
);

type Token = { text: string; section: boolean };

/** Splits a query into words; runs of digits (with the letters after them) are section tokens. */
export function tokenise(query: string): Token[] {
  let q = normaliseText(query).replace(new RegExp(normaliseText('ای ای'), 'g'), normaliseText('ایای'));
  // "peca20" → "peca 20"; "295c" stays together; "s.20" → "s 20".
  q = q.replace(/([a-z])(?=\d)/g, '$1 ');
  const raw = q.split(/[\s,;:/.]+|(?<=\d)\.(?=\D)/).filter(Boolean);
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    let w = raw[i];
    if (FILLER.has(w)) continue;
    if (/^\d/.test(w)) {
      // "295 c", "11 ee", "295 سی", "26 اے" belong together.
      const next = raw[i + 1];
      const urdu = next !== undefined ? URDU_LETTERS[next] : undefined;
      if (next && /^[a-z]{1,2}$/.test(next) && !FILLER.has(next)) {
        w += next;
        i++;
      } else if (urdu) {
        w += urdu;
        i++;
      }
      out.push({ text: sectionKey(w), section: true });
    } else {
      const text = w.replace(/[()\-–]/g, '');
      if (text) out.push({ text, section: false });
    }
  }
  return out;
}

type Indexed = {
  entry: Entry;
  statute: string;
  section: string;
  key: string;
  statuteWords: string[];
  titleWords: string[];
  order: number;
};

function words(s: string): string[] {
  return normaliseText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The section as a charge stores it: `extra.section` when it names the code, else the code's tail. */
export function chargeOf(e: Entry): Charge {
  const statute = e.parent ?? e.code.split('.')[0];
  const written = extraOf(e, 'section');
  const tail = e.code.slice(statute.length + 1);
  const section = written && `${statute}.${written.toLowerCase()}` === e.code ? written : tail;
  return { statute, section };
}

const cache = new WeakMap<object, Indexed[]>();

function index(vocabs: Vocabs): Indexed[] {
  const sections = vocabs.get('sections') ?? [];
  const hit = cache.get(sections);
  if (hit) return hit;
  const statutes = new Map((vocabs.get('statutes') ?? []).map((s, i) => [s.code, { s, i }]));
  const out = sections.map((e, i): Indexed => {
    const { statute, section } = chargeOf(e);
    const st = statutes.get(statute);
    const short = st ? extraOf(st.s, 'short') : '';
    return {
      entry: e,
      statute,
      section,
      key: sectionKey(section),
      statuteWords: [...words(short), ...words(statute.replace(/_/g, ' ')), ...(st ? [...words(st.s.en), ...words(st.s.ur)] : [])],
      titleWords: [...words(e.en), ...words(e.ur)],
      order: (st?.i ?? 99) * 1000 + i,
    };
  });
  cache.set(sections, out);
  return out;
}

/** The statute's short name (`PECA`), or its code. */
export function statuteShort(vocabs: Vocabs, statute: string): string {
  const st = vocabs.get('statutes')?.find((s) => s.code === statute);
  return (st && extraOf(st, 'short')) || statute;
}

/**
 * The statute's short name as it begins a label: in Urdu isolated left-to-right (U+2066…U+2069),
 * so that the Latin name neither sets the direction of the Urdu title after it nor moves.
 */
function shortFor(vocabs: Vocabs, statute: string, lang: Lang): string {
  const short = statuteShort(vocabs, statute);
  return lang === 'ur' ? `\u2066${short}\u2069` : short;
}

/** How a charge is shown: `PECA s.20 Offences against dignity…` (or just `PECA 20` if unknown). */
export function chargeLabel(vocabs: Vocabs, charge: Charge, lang: Lang): string {
  const code = `${charge.statute}.${charge.section.toLowerCase()}`;
  const e = vocabs.get('sections')?.find((x) => x.code === code);
  const short = shortFor(vocabs, charge.statute, lang);
  return e ? `${short} ${entryLabel(e, lang)}` : `${short} ${charge.section}`;
}

/**
 * Sections matching a query, best first. Every word of the query must match: a number the
 * section's number (exactly, or as its start), a word the statute's short name or title, or a
 * word of the section's title (as a prefix).
 */
export function matchSections(vocabs: Vocabs, query: string, lang: Lang, limit = 12): SectionMatch[] {
  const tokens = tokenise(query);
  if (tokens.length === 0) return [];
  const results: Array<SectionMatch & { order: number }> = [];
  for (const x of index(vocabs)) {
    let score = 0;
    let all = true;
    for (const t of tokens) {
      let best = 0;
      if (t.section) {
        if (x.key === t.text) best = 100;
        else if (x.key.startsWith(t.text)) best = 40 - Math.min(x.key.length - t.text.length, 10);
      } else {
        if (x.statuteWords[0] === t.text) best = 60;
        else if (x.statuteWords.includes(t.text)) best = 45;
        else if (x.statuteWords.some((w) => w.startsWith(t.text))) best = 25;
        const title = x.titleWords.includes(t.text) ? 20 : x.titleWords.some((w) => w.startsWith(t.text)) ? 12 : 0;
        best = Math.max(best, title);
      }
      if (!best) {
        all = false;
        break;
      }
      score += best;
    }
    if (!all) continue;
    results.push({
      code: x.entry.code,
      statute: x.statute,
      section: x.section,
      label: `${shortFor(vocabs, x.statute, lang)} ${entryLabel(x.entry, lang)}`,
      score,
      order: x.order,
    });
  }
  results.sort((a, b) => b.score - a.score || a.order - b.order);
  return results.slice(0, limit).map(({ order: _order, ...m }) => m);
}

/** A section the core's finder returned, as the type-ahead shows it. */
export function foundLabel(vocabs: Vocabs, statute: string, en: string, ur: string, lang: Lang): string {
  return `${shortFor(vocabs, statute, lang)} ${lang === 'ur' ? ur || en : en || ur}`;
}

/**
 * A charge outside the list, as typed: a statute's short name or code and a section number
 * (`PPC 489-F`, `ppc_1860 s.34`), for the user to keep as their own section. `null` when the
 * statute is not known or no section number is given.
 */
export function ownSectionOf(vocabs: Vocabs, query: string): Charge | null {
  const m = /^\s*(\S+)\s+(?:(?:s|sec|section)\.?\s*)?([0-9][0-9A-Za-z()\-/.]{0,19})\s*$/i.exec(asciiDigits(query));
  if (!m) return null;
  const name = m[1].toLowerCase();
  const st = (vocabs.get('statutes') ?? []).find((s) => s.code.toLowerCase() === name || extraOf(s, 'short').toLowerCase() === name);
  if (!st) return null;
  const section = m[2].replace(/[.]+$/, '');
  return section ? { statute: st.code, section } : null;
}
