// Vocabularies as the `vocabularies` command returns them, and the look-ups screens need:
// labels in the current language, districts of a province, statuses allowed for a case kind.
import type { Entry } from '../bindings/Entry';
import type { VocabularyView } from '../bindings/VocabularyView';

export type Lang = 'en' | 'ur';

export type Vocabs = ReadonlyMap<string, readonly Entry[]>;

export function vocabMap(list: readonly VocabularyView[]): Vocabs {
  return new Map(list.map((v) => [v.name, v.entries]));
}

/** An entry's extra attribute as text (`extra.short` → `PECA`); `''` when absent. */
export function extraOf(e: Entry, key: string): string {
  const v = (e.extra ?? {})[key];
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export function entryLabel(e: Entry, lang: Lang): string {
  return lang === 'ur' ? e.ur || e.en : e.en || e.ur;
}

export function findEntry(vocabs: Vocabs, name: string, code: string): Entry | undefined {
  return vocabs.get(name)?.find((e) => e.code === code);
}

/** The label of `code` in vocabulary `name`, or the code itself if the vocabulary lacks it. */
export function vocabLabel(vocabs: Vocabs, name: string, code: string | null | undefined, lang: Lang): string {
  if (code === null || code === undefined || code === '') return '';
  const e = findEntry(vocabs, name, code);
  return e ? entryLabel(e, lang) : code;
}

export type Option = { value: string; label: string; depth?: number };

const collators = new Map<Lang, Intl.Collator>();

/** Compares labels as people of the language sort them. */
export function compareLabels(lang: Lang, a: string, b: string): number {
  let c = collators.get(lang);
  if (!c) {
    c = new Intl.Collator(lang === 'ur' ? 'ur' : 'en', { numeric: true, sensitivity: 'base' });
    collators.set(lang, c);
  }
  return c.compare(a, b);
}

function byLabel(lang: Lang) {
  return (a: Option, b: Option) => compareLabels(lang, a.label, b.label);
}

/**
 * Entries as options, sorted by their label in the language (the vault returns them in code
 * order), optionally only those under `parent`.
 */
export function vocabOptions(vocabs: Vocabs, name: string, lang: Lang, parent?: string | null): Option[] {
  const entries = vocabs.get(name) ?? [];
  return entries
    .filter((e) => parent === undefined || parent === null || parent === '' || e.parent === parent)
    .map((e) => ({ value: e.code, label: entryLabel(e, lang) }))
    .sort(byLabel(lang));
}

/**
 * Options of a vocabulary whose entries nest by `parent` within the same list (perpetrator
 * types: `state` → `state.police`): each group followed by its members.
 */
export function nestedOptions(vocabs: Vocabs, name: string, lang: Lang): Option[] {
  const entries = vocabs.get(name) ?? [];
  const codes = new Set(entries.map((e) => e.code));
  const out: Option[] = [];
  const sorted = (list: readonly Entry[]) => [...list].sort((a, b) => compareLabels(lang, entryLabel(a, lang), entryLabel(b, lang)));
  for (const top of sorted(entries.filter((e) => !e.parent || !codes.has(e.parent)))) {
    out.push({ value: top.code, label: entryLabel(top, lang), depth: 0 });
    for (const child of sorted(entries.filter((e) => e.parent === top.code))) {
      out.push({ value: child.code, label: entryLabel(child, lang), depth: 1 });
    }
  }
  return out;
}

/** Options sorted by their label in the language (countries). */
export function sortedOptions(vocabs: Vocabs, name: string, lang: Lang): Option[] {
  return vocabOptions(vocabs, name, lang);
}

/** Whether a case status applies to a case kind (`extra.kinds`: comma-separated kinds, or `all`). */
export function statusAllows(e: Entry, caseKind: string): boolean {
  const kinds = extraOf(e, 'kinds') || 'all';
  return kinds === 'all' || kinds.split(',').some((k) => k.trim() === caseKind);
}

export function statusOptions(vocabs: Vocabs, caseKind: string, lang: Lang): Option[] {
  return (vocabs.get('case_statuses') ?? [])
    .filter((e) => statusAllows(e, caseKind))
    .map((e) => ({ value: e.code, label: entryLabel(e, lang) }))
    .sort(byLabel(lang));
}

/** The province a district lies in. */
export function provinceOfDistrict(vocabs: Vocabs, district: string): string | null {
  return findEntry(vocabs, 'districts', district)?.parent ?? null;
}
