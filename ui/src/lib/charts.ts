// Chart data shaping, kept apart from the drawing (lib/chartDraw.ts) so that it is tested without
// a canvas: which facets a chart counts by, the bars' labels in the reader's language, the axes'
// sides for right-to-left reading, and the CSV of a chart's numbers, safe to open in a
// spreadsheet.
import type { Facet } from '../bindings/Facet';
import type { Filters } from '../bindings/Filters';
import type { Kind } from '../bindings/Kind';
import type { StatView } from '../bindings/StatView';
import { formatMonth } from './dates';
import { enumLabel, kindLabel } from './display';
import type { Lang } from './i18n';

/** Every field the statistics screen counts by, in the order it offers them. */
export const STAT_FACETS: readonly Facet[] = [
  'kind',
  'case_kind',
  'incident_type',
  'province',
  'district',
  'perpetrator_type',
  'statute',
  'section',
  'court',
  'status',
  'month',
  'country',
  'legal_status',
  'offence',
];

/** The facets that count detained-abroad cases only (JPP's figures). */
export const ABROAD_FACETS: readonly Facet[] = ['country', 'legal_status', 'offence'];

/** One bar: the value counted, the label shown for it, and the count. */
export interface Bar {
  value: string;
  label: string;
  count: number;
}

/**
 * The bars of a chart in the order drawn: by count, most first (ties by label, so the order does
 * not change between loads), except months, which run in time order. Labels are the vocabulary's
 * own in `lang`, a kind's plural name, a month written for `lang`, or the value as written; a
 * missing value is `none`.
 */
export function barsOf(by: Facet, counts: readonly StatView[], lang: Lang, none: string): Bar[] {
  const bars = counts.map((c) => ({ value: c.value, label: facetValueLabel(by, c, lang, none), count: c.count }));
  if (by === 'month') return bars.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return bars.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, lang));
}

/**
 * How a facet's value reads in `lang`, in charts and beside the search screen's facets alike: a
 * vocabulary's own label, a kind's plural name, a month by its name (`مارچ 2024` with the
 * language's digits), a legal status by its label, or the value as written.
 */
export function facetValueLabel(by: Facet, c: Pick<StatView, 'value' | 'en' | 'ur'>, lang: Lang, none: string): string {
  if (c.value === '') return none;
  const own = lang === 'ur' ? (c.ur ?? c.en) : c.en;
  if (own) return own;
  if (by === 'kind') return kindLabel(lang, c.value as Kind, true);
  if (by === 'month') return formatMonth(c.value, lang);
  if (by === 'legal_status') return enumLabel(lang, 'legal_status_abroad', c.value);
  // The status facet holds cases' statuses (a vocabulary, labelled by the core) and those of
  // threats and referrals, whose labels live here: a threat's `mitigated` read as a code, in
  // English inside Urdu too.
  if (by === 'status') {
    for (const set of ['threat_status', 'referral_status'] as const) {
      const label = enumLabel(lang, set, c.value);
      if (label !== c.value) return label;
    }
  }
  return c.value;
}

/** Where a horizontal bar chart puts its axes: for Urdu, the labels on the right and the bars growing leftwards. */
export interface AxisLayout {
  /** The side of the category (label) axis. */
  labelSide: 'left' | 'right';
  /** Whether the value axis runs from right to left. */
  valueReversed: boolean;
  /** Where a bar's value label is written from its end. */
  valueAlign: 'left' | 'right';
}

export function axisLayout(lang: Lang): AxisLayout {
  return lang === 'ur'
    ? { labelSide: 'right', valueReversed: true, valueAlign: 'right' }
    : { labelSide: 'left', valueReversed: false, valueAlign: 'left' };
}

/**
 * A cell for a CSV file opened in a spreadsheet: a text that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would be taken for a formula (CSV injection), so it gets a leading
 * apostrophe; a cell with a quote, a comma or a line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number): string {
  let s = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A chart's numbers as CSV (RFC 4180, CRLF): a header, then one row a bar with its label, the value
 * counted (a code) and the count in ASCII digits. A byte order mark first, so that spreadsheets
 * read the Urdu as UTF-8.
 */
export function chartCsv(header: { label: string; value: string; count: string }, bars: readonly Bar[]): string {
  const rows = [[header.label, header.value, header.count], ...bars.map((b) => [b.label, b.value, b.count])];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The facet picker's choices: each a facet with its chosen values, and a date range. */
export interface FacetChoice {
  kind: string;
  province: string;
  caseKind: string;
  status: string;
  from: string;
  to: string;
}

export const NO_CHOICE: FacetChoice = { kind: '', province: '', caseKind: '', status: '', from: '', to: '' };

/**
 * The filters for a chart counted by `by`. The detained-abroad facets count only those cases,
 * whatever case kind was picked.
 */
export function filtersOf(choice: FacetChoice, by: Facet): Filters {
  const facets: Filters['facets'] = [];
  const add = (facet: Facet, value: string) => {
    if (value) facets.push({ facet, values: [value] });
  };
  add('kind', choice.kind);
  add('province', choice.province);
  add('case_kind', ABROAD_FACETS.includes(by) ? 'detained_abroad' : choice.caseKind);
  add('status', choice.status);
  return {
    facets,
    date_from: choice.from || null,
    date_to: choice.to || null,
    linked_to: null,
    has_evidence: null,
  };
}

/** A file name for a chart's export: the facet and the day, in ASCII (never a label someone typed). */
export function chartFileName(by: Facet, today: string, ext: 'png' | 'csv'): string {
  return `gawahi-${by.replaceAll('_', '-')}-${today}.${ext}`;
}
