// Every string people see, in English and Urdu. `t(key, params)` looks a key up in the current
// language and fills `{name}` placeholders (numbers are written for the language). The Urdu
// catalogue must have exactly the English keys: TypeScript checks that, and so does
// tests/i18n.test.ts (with the placeholders).
//
// English is in the first chunk: it is the fallback of every lookup and the first screen's
// language for most starts. Urdu (the larger catalogue, two bytes a letter) is a chunk of its own,
// loaded by `loadCatalogue` before the language switches, so that an English start does not parse
// it and an Urdu start does not parse English twice over.
import { en } from './messages/en';
import { formatNumber } from './dates';

export type Lang = 'en' | 'ur';
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
export type Params = Record<string, string | number>;

export const catalogues: Partial<Record<Lang, Catalogue>> = { en };

const loaders: Record<Lang, () => Promise<Catalogue>> = {
  en: () => Promise.resolve(en),
  ur: () => import('./messages/ur').then((m) => m.ur),
};

/** Whether `lang`'s messages are loaded (English always is). */
export function hasCatalogue(lang: Lang): boolean {
  return catalogues[lang] !== undefined;
}

/** Makes `lang`'s messages available to `translate`; resolves at once when they already are. */
export async function loadCatalogue(lang: Lang): Promise<void> {
  catalogues[lang] ??= await loaders[lang]();
}

export const LANGS: readonly Lang[] = ['en', 'ur'];

let currentLang: () => Lang = () => 'en';

/** Makes `t` read the current language from `f` (the app's reactive state). */
export function bindLanguage(f: () => Lang) {
  currentLang = f;
}

/** The placeholders of a message, sorted: `{count} of {total}` → `['count', 'total']`. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** A message in `lang` with its placeholders filled. Unknown keys come back as the key. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const message = catalogues[lang]?.[key] ?? en[key] ?? key;
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(v, lang) : v;
  });
}

/** A message in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(currentLang(), key, params);
}

/** Whether `key` is a message key (for keys built from data: enum values, field names). */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** `t` for a key built from data, falling back to `fallback` when the catalogue lacks it. */
export function tDynamic(key: string, fallback: string, params?: Params): string {
  return hasKey(key) ? t(key, params) : fallback;
}

/**
 * A piece of a message: the message's own words, or a value filled into a placeholder
 * (`param`). A page shows values inside `<bdi>`, so that a Latin file name or a number keeps its
 * own direction inside an Urdu sentence, without markup in the catalogue.
 */
export type Part = { text: string; param: boolean };

/** `translate`, in pieces: the words between placeholders, and each filled value on its own. */
export function translateParts(lang: Lang, key: MessageKey, params: Params): Part[] {
  const message = catalogues[lang]?.[key] ?? en[key] ?? key;
  const parts: Part[] = [];
  let last = 0;
  for (const m of message.matchAll(/\{(\w+)\}/g)) {
    const v = params[m[1]];
    if (v === undefined) continue;
    if (m.index > last) parts.push({ text: message.slice(last, m.index), param: false });
    parts.push({ text: typeof v === 'number' ? formatNumber(v, lang) : v, param: true });
    last = m.index + m[0].length;
  }
  if (last < message.length) parts.push({ text: message.slice(last), param: false });
  return parts;
}

/** `translateParts` in the current language. */
export function tParts(key: MessageKey, params: Params): Part[] {
  return translateParts(currentLang(), key, params);
}
