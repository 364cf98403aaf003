// A list screen's filters: the facets handed over by the search screen ("show these in the
// list") and the list's own filter bar (a province and a date range), as one `Filters` for the
// core's `list_matching`, and the ticked facets written out for the reader.
import type { Facet } from '../bindings/Facet';
import type { Filters } from '../bindings/Filters';
import { enumLabel } from './display';
import { formatMonth } from './dates';
import { vocabLabel, type Lang, type Vocabs } from './vocab';

export const NO_FILTERS: Filters = { facets: [], date_from: null, date_to: null, linked_to: null, has_evidence: null };

/** What the list's own filter bar holds: a province code and a date range, each possibly empty. */
export interface ListBar {
  province: string;
  from: string;
  to: string;
}

export const EMPTY_BAR: ListBar = { province: '', from: '', to: '' };

/** The vocabulary a facet's values are codes of (as the core's `Facet::vocabulary`). */
const FACET_VOCAB: Partial<Record<Facet, string>> = {
  case_kind: 'case_kinds',
  incident_type: 'incident_types',
  channel: 'threat_channels',
  province: 'provinces',
  district: 'districts',
  perpetrator_type: 'perpetrator_types',
  statute: 'statutes',
  section: 'sections',
  court: 'courts',
  status: 'case_statuses',
  country: 'countries',
};

/**
 * The filters the search screen hands to one kind's list: its facets without the kind (the list
 * is of one kind already) and without empty ones.
 */
export function forList(filters: Filters): Filters {
  return { ...filters, facets: filters.facets.filter((f) => f.facet !== 'kind' && f.values.length > 0) };
}

/** The bar's part of `filters`: its province (when one alone is chosen) and its date range. */
export function barOf(filters: Filters): ListBar {
  const province = filters.facets.find((f) => f.facet === 'province');
  return {
    province: province && province.values.length === 1 ? province.values[0] : '',
    from: filters.date_from ?? '',
    to: filters.date_to ?? '',
  };
}

/**
 * `filters` with the bar's choices in place of its own province and date range: the bar's
 * province replaces any province facet, and an empty field removes it.
 */
export function withBar(filters: Filters, bar: ListBar): Filters {
  const facets = filters.facets.filter((f) => f.facet !== 'province');
  if (bar.province) facets.push({ facet: 'province', values: [bar.province] });
  return { ...filters, facets, date_from: bar.from.trim() || null, date_to: bar.to.trim() || null };
}

/** Whether `filters` narrow anything. */
export function isFiltered(filters: Filters): boolean {
  return (
    filters.facets.some((f) => f.values.length > 0) ||
    !!filters.date_from ||
    !!filters.date_to ||
    !!filters.linked_to ||
    filters.has_evidence !== null
  );
}

/** One ticked facet value as the reader sees it. */
export interface Chip {
  facet: Facet;
  value: string;
  label: string;
}

/**
 * The facet values ticked, other than those the bar shows (its province), each with its label in
 * `lang`: a vocabulary's own label, a month by its name, or the value as written.
 */
export function chipsOf(filters: Filters, vocabs: Vocabs, lang: Lang): Chip[] {
  const bar = barOf(filters);
  const out: Chip[] = [];
  for (const f of filters.facets) {
    for (const value of f.values) {
      if (f.facet === 'kind' || (f.facet === 'province' && value === bar.province)) continue;
      const vocabName = FACET_VOCAB[f.facet];
      let label = value;
      if (vocabName) label = vocabLabel(vocabs, vocabName, value, lang);
      else if (f.facet === 'month') label = formatMonth(value, lang);
      else if (f.facet === 'legal_status') label = enumLabel(lang, 'legal_status_abroad', value);
      out.push({ facet: f.facet, value, label });
    }
  }
  return out;
}
