// How field values read on screen: vocabulary codes as labels in the language, enums translated,
// dates written for the language. Codes and ids themselves are never translated.
import type { Kind } from '../bindings/Kind';
import type { Precision } from '../bindings/Precision';
import { hasKey, translate, type Lang, type MessageKey } from './i18n';
import { formatDay, formatNumber, formatPartialDate, formatTimestamp } from './dates';
import { vocabLabel, type Vocabs } from './vocab';
import { chargeLabel, type Charge } from './charges';
import { ENUMS, fieldSpec, scoreOf, type EnumName, type FieldSpec } from './schema';
import { isolated, showControls } from './controls';

export function enumLabel(lang: Lang, e: EnumName, value: string): string {
  const key = `enum.${e}.${value}`;
  return hasKey(key) ? translate(lang, key) : value;
}

export function fieldLabel(lang: Lang, name: string): string {
  const key = `field.${name}`;
  return hasKey(key) ? translate(lang, key) : name;
}

export function kindLabel(lang: Lang, kind: Kind, plural = false): string {
  return translate(lang, `${plural ? 'kinds' : 'kind'}.${kind}` as MessageKey);
}

/**
 * A record's label as the window shows it, its disguising characters marked (`showControls`), or
 * for a person whose name is withheld (`nameWithheld`) the placeholder in the language. Every
 * screen that shows a record's title goes through here.
 */
export function recordLabel(lang: Lang, r: { label: string; nameWithheld: boolean }): string {
  return r.nameWithheld ? translate(lang, 'person.nameWithheld') : showControls(lang, r.label);
}

/** A record's label as stored (or the placeholder), to sort by: the markers are for reading. */
export function recordSortLabel(lang: Lang, r: { label: string; nameWithheld: boolean }): string {
  return r.nameWithheld ? translate(lang, 'person.nameWithheld') : r.label;
}

function getPath(fields: Record<string, unknown>, path: string): unknown {
  let cur: unknown = fields;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export type DisplayContext = { lang: Lang; vocabs: Vocabs; fields: Record<string, unknown> };

/** A field's value as text, `''` when it is empty; free text with its disguising characters marked. */
export function displayValue(spec: FieldSpec, ctx: DisplayContext): string {
  const { lang, vocabs, fields } = ctx;
  const v = getPath(fields, spec.name);
  const type = spec.type;
  switch (type.t) {
    case 'text':
    case 'longtext':
      return typeof v === 'string' ? showControls(lang, v) : '';
    case 'ref':
      return typeof v === 'string' ? v : '';
    case 'number':
      return typeof v === 'number' ? formatNumber(v, lang) : '';
    case 'score':
      return typeof v === 'number' ? formatNumber(v, lang) : '';
    case 'bool':
      return translate(lang, v === true ? 'common.yes' : 'common.no');
    case 'maybeBool':
      return v === true ? translate(lang, 'common.yes') : v === false ? translate(lang, 'common.no') : '';
    // A vocabulary's label may be the user's own entry (a court, a section), typed text: marked
    // as free text is (vocab.ts itself is in the page's first chunk, where the marking is not).
    case 'enum':
      if (typeof v !== 'string' || !v) return '';
      return type.vocab && vocabs.get(type.vocab) ? showControls(lang, vocabLabel(vocabs, type.vocab, v, lang)) : enumLabel(lang, type.e, v);
    case 'enumMulti':
      return Array.isArray(v) ? v.map((x) => enumLabel(lang, type.e, String(x))).join(lang === 'ur' ? '، ' : ', ') : '';
    case 'vocab':
      return typeof v === 'string' ? showControls(lang, vocabLabel(vocabs, type.vocab, v, lang)) : '';
    case 'caseStatus':
      return typeof v === 'string' ? showControls(lang, vocabLabel(vocabs, 'case_statuses', v, lang)) : '';
    // Several labels in one line: each its own run, so that a Latin entry the user added (with
    // its brackets and digits) keeps its order among Urdu ones, and an Urdu one among English.
    case 'vocabMulti': {
      if (!Array.isArray(v)) return '';
      const labels = v.map((x) => showControls(lang, vocabLabel(vocabs, type.vocab, String(x), lang)));
      return (labels.length > 1 ? labels.map(isolated) : labels).join(lang === 'ur' ? '، ' : ', ');
    }
    case 'day':
      return typeof v === 'string' ? formatDay(v, lang) : '';
    case 'partialDate': {
      const p = getPath(fields, type.precisionField);
      return typeof v === 'string' ? formatPartialDate(v, (p as Precision) ?? null, lang) : '';
    }
    case 'charges':
      return Array.isArray(v) ? (v as Charge[]).map((c) => showControls(lang, chargeLabel(vocabs, c, lang))).join(lang === 'ur' ? '؛ ' : '; ') : '';
  }
}

/** A value to sort a list column by: dates and codes as stored, labels as shown. */
export function sortValue(kind: Kind, column: string, fields: Record<string, unknown>, shown: string): string | number {
  const spec = fieldSpec(kind, column);
  if (!spec) return shown;
  const v = getPath(fields, column);
  switch (spec.type.t) {
    case 'day':
    case 'partialDate':
      return typeof v === 'string' ? v : '';
    case 'number':
    case 'score':
      return typeof v === 'number' ? v : -Infinity;
    case 'bool':
      return v === true ? 1 : 0;
    case 'enum':
      return typeof v === 'string' && spec.type.e === 'level' ? (ENUMS.level as readonly string[]).indexOf(v) : shown;
    default:
      return shown;
  }
}

/** The risk score of a risk assessment's fields, if its levels are set. */
export function riskScoreOf(fields: Record<string, unknown>): number | null {
  return scoreOf('risk', fields);
}

export { formatTimestamp };
