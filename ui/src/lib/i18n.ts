// Every string people see, in English and Urdu. `t(key, params)` looks a key up in the current
// language and fills `{name}` placeholders (numbers are written for the language). The Urdu
// catalogue must have exactly the English keys: TypeScript checks that, and so does
// tests/i18n.test.ts (with the placeholders).
//
// Each language's messages come in two parts. The first screens' (en-start.ts, ur-start.ts: the
// keys of `START_PREFIXES`) are in the page's first chunk in both languages, so the first screen
// is drawn at once, in English or in Urdu, with nothing more to load. The rest, the app behind
// the unlock screen (en.ts, ur.ts: seven eighths of the text), is a chunk per language, loaded by
// `loadCatalogue` with that app (after the first paint, or when the vault opens) and before the
// language switches in Settings. Only the rest's type is imported here, so its text stays out of
// the first chunk while every key stays type-checked.
import { enStart } from './messages/en-start';
import { urStart } from './messages/ur-start';
import type { en } from './messages/en';
import { formatNumber } from './numbers';

export type Lang = 'en' | 'ur';
/** A key of the first screens' messages, which are always loaded. */
export type StartKey = keyof typeof enStart;
export type MessageKey = StartKey | keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
export type Params = Record<string, string | number>;

/** The messages loaded so far in each language: the first screens' from the start. */
export const catalogues: Record<Lang, Partial<Catalogue>> = { en: { ...enStart }, ur: { ...urStart } };

const rest: Record<Lang, () => Promise<Record<Exclude<MessageKey, StartKey>, string>>> = {
  en: () => import('./messages/en').then((m) => m.en),
  ur: () => import('./messages/ur').then((m) => m.ur),
};
const restLoaded = new Set<Lang>();

/** Whether all of `lang`'s messages are loaded (the first screens' always are). */
export function hasCatalogue(lang: Lang): boolean {
  return restLoaded.has(lang);
}

/** Loads the rest of `lang`'s messages; resolves at once when they already are. */
export async function loadCatalogue(lang: Lang): Promise<void> {
  if (restLoaded.has(lang)) return;
  Object.assign(catalogues[lang], await rest[lang]());
  restLoaded.add(lang);
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
  const message = catalogues[lang][key] ?? catalogues.en[key] ?? key;
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

/**
 * Whether `key` is a message key (for keys built from data: enum values, field names). Keys
 * outside the first screens' are known once either language's rest is loaded, which the app
 * behind the unlock screen always has.
 */
export function hasKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en, key) || Object.hasOwn(catalogues.ur, key);
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
  const message = catalogues[lang][key] ?? catalogues.en[key] ?? key;
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
