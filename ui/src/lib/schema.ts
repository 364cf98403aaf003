// The record kinds as the UI edits and shows them: the layout of each kind (the order of its
// fields in groups, the widget hints) and the conversions between a record's `fields` and the
// editor's values, with the client-side checks. What a field holds and what the core checks of
// it (required, text limits, ranges, vocabularies, date kinds, the person rules, the risk score)
// come from the model: `FIELD_RULES` in ../bindings/modelRules.ts, generated from
// crates/gawahi-core/src/model/rules.rs. So do the list columns, the fields a list row carries.
import type { Kind } from '../bindings/Kind';
import type { Precision } from '../bindings/Precision';
import type { BailStatus } from '../bindings/BailStatus';
import type { CaseKind } from '../bindings/CaseKind';
import type { Choice } from '../bindings/Choice';
import type { DisappearanceOutcome } from '../bindings/DisappearanceOutcome';
import type { FieldRule } from '../bindings/FieldRule';
import type { Gender } from '../bindings/Gender';
import type { KindRules } from '../bindings/KindRules';
import type { LegalStatusAbroad } from '../bindings/LegalStatusAbroad';
import type { Level } from '../bindings/Level';
import type { PersonRole } from '../bindings/PersonRole';
import type { ProtectionMeasure } from '../bindings/ProtectionMeasure';
import type { ReferralStatus } from '../bindings/ReferralStatus';
import type { Reliability } from '../bindings/Reliability';
import type { ThreatStatus } from '../bindings/ThreatStatus';
import type { Verification } from '../bindings/Verification';
import type { HearingStatus } from '../bindings/HearingStatus';
import type { DeadlineFor } from '../bindings/DeadlineFor';
import type { BailEventKind } from '../bindings/BailEventKind';
import type { BailStage } from '../bindings/BailStage';
import { CHOICES, FIELD_RULES } from '../bindings/modelRules';
import type { MessageKey } from './i18n';
import { reasonKey } from './errors';
import { checkPartialDate, exactForInput, offsetOf, parseDayInput, precisionOf } from './dates';
import type { Charge } from './charges';

/** The rules of each kind, from the model. */
export const RULES: Record<Kind, KindRules> = Object.fromEntries(FIELD_RULES.kinds.map((k) => [k.kind, k])) as Record<Kind, KindRules>;

/** Every kind, in the order the UI lists them (the model's). */
export const KINDS: readonly Kind[] = FIELD_RULES.kinds.map((k) => k.kind);

/** The sets of values of the model's enums, in declaration order (from the model). */
export const ENUMS = CHOICES;

export type EnumName = Choice;

// Each set holds exactly the variants of its enum in the generated bindings: when the Rust model
// gains or loses a variant and the rules do not follow, `npm run check` fails here.
type Same<T, L extends readonly string[]> = [T] extends [L[number]] ? ([L[number]] extends [T] ? true : false) : false;
const enumsMatchBindings: {
  gender: Same<Gender, typeof ENUMS.gender>;
  person_role: Same<PersonRole, typeof ENUMS.person_role>;
  level: Same<Level, typeof ENUMS.level>;
  reliability: Same<Reliability, typeof ENUMS.reliability>;
  verification: Same<Verification, typeof ENUMS.verification>;
  threat_status: Same<ThreatStatus, typeof ENUMS.threat_status>;
  case_kind: Same<CaseKind, typeof ENUMS.case_kind>;
  bail: Same<BailStatus, typeof ENUMS.bail>;
  disappearance_outcome: Same<DisappearanceOutcome, typeof ENUMS.disappearance_outcome>;
  legal_status_abroad: Same<LegalStatusAbroad, typeof ENUMS.legal_status_abroad>;
  protection_measure: Same<ProtectionMeasure, typeof ENUMS.protection_measure>;
  referral_status: Same<ReferralStatus, typeof ENUMS.referral_status>;
  precision: Same<Precision, typeof ENUMS.precision>;
  hearing_status: Same<HearingStatus, typeof ENUMS.hearing_status>;
  deadline_for: Same<DeadlineFor, typeof ENUMS.deadline_for>;
  bail_event: Same<BailEventKind, typeof ENUMS.bail_event>;
  bail_stage: Same<BailStage, typeof ENUMS.bail_stage>;
} = {
  gender: true,
  person_role: true,
  level: true,
  reliability: true,
  verification: true,
  threat_status: true,
  case_kind: true,
  bail: true,
  disappearance_outcome: true,
  legal_status_abroad: true,
  protection_measure: true,
  referral_status: true,
  precision: true,
  hearing_status: true,
  deadline_for: true,
  bail_event: true,
  bail_stage: true,
};
void enumsMatchBindings;

/** How a field is edited and shown: the widget for its rule, with the rule's limits. */
export type FieldType =
  | { t: 'text'; required: boolean; max: number }
  | { t: 'longtext'; max: number }
  | { t: 'number'; min: number; max: number }
  | { t: 'bool' }
  | { t: 'maybeBool' }
  | { t: 'enum'; e: EnumName; optional: boolean; vocab?: string }
  | { t: 'enumMulti'; e: EnumName }
  | { t: 'vocab'; vocab: string; required: boolean; parentField?: string; sorted?: boolean }
  | { t: 'vocabMulti'; vocab: string; nested?: boolean }
  | { t: 'caseStatus' }
  | { t: 'partialDate'; precisionField: string }
  | { t: 'day'; required: boolean }
  | { t: 'score'; min: number; max: number }
  | { t: 'ref'; kind: Kind }
  | { t: 'charges' };

export type FieldSpec = { name: string; type: FieldType };

/** A case's details block, shown only for its case kind. */
export type Block = { name: 'disappearance' | 'detention_abroad' | 'refugee' | 'protection'; caseKind: string; fields: FieldSpec[] };

export type Group = { id: string; title: MessageKey; fields: FieldSpec[]; note?: MessageKey };

export type KindSpec = {
  kind: Kind;
  groups: Group[];
  blocks: Block[];
  /** List columns after the label. */
  columns: string[];
  /**
   * The filters its list offers beside the words: a province where its records have one, a
   * date range where they have a date (`date_field` in the rules). A filter the kind cannot
   * match would only empty the list.
   */
  listFilters: { province: boolean; dates: boolean };
};

/** Layout hints a rule does not give: how to order or label a field's options. */
type Hints = {
  /** Offer the vocabulary's entries sorted by label (countries). */
  sorted?: true;
  /** Offer the vocabulary as a tree (parents with their children). */
  nested?: true;
  /** Label a set's values by this vocabulary's entries. */
  labels?: string;
};

/** A field in a group: its name (`block.name` inside a details block), with hints. */
type Slot = string | [string, Hints];

type GroupLayout = { id: string; title: MessageKey; note?: MessageKey; fields: Slot[] };

/**
 * A kind's layout. Its list columns are the model's (`list_columns` in the rules: the fields a
 * list row carries), after the label, and when the record last changed where the rules'
 * `list_updated` says the row carries that.
 */
type KindLayout = { groups: GroupLayout[]; blocks: Partial<Record<Block['name'], Slot[]>> };

/** The widget for a field's rule. `prefix` is the block's name and a dot, inside a block. */
function typeOf(rule: FieldRule, hints: Hints, prefix: string): FieldType {
  const v = rule.value;
  switch (v.type) {
    case 'short_text':
      return { t: 'text', required: rule.required, max: v.max_chars };
    case 'long_text':
      return { t: 'longtext', max: v.max_chars };
    case 'integer':
      return { t: 'score', min: v.min, max: v.max };
    case 'number':
      return { t: 'number', min: v.min, max: v.max };
    case 'bool':
      return { t: 'bool' };
    case 'maybe_bool':
      return { t: 'maybeBool' };
    case 'choice':
      return { t: 'enum', e: v.of, optional: v.nullable, ...(hints.labels ? { vocab: hints.labels } : {}) };
    case 'choice_list':
      return { t: 'enumMulti', e: v.of };
    case 'vocabulary':
      return {
        t: 'vocab',
        vocab: v.vocab,
        required: rule.required,
        ...(v.parent_field ? { parentField: prefix + v.parent_field } : {}),
        ...(hints.sorted ? { sorted: true } : {}),
      };
    case 'vocabulary_list':
      return { t: 'vocabMulti', vocab: v.vocab, ...(hints.nested ? { nested: true } : {}) };
    case 'case_status':
      return { t: 'caseStatus' };
    case 'day':
      return { t: 'day', required: rule.required };
    case 'partial_date':
      return { t: 'partialDate', precisionField: prefix + v.precision_field };
    case 'record':
      return { t: 'ref', kind: v.kind };
    case 'charges':
      return { t: 'charges' };
    case 'cnic':
      // 13 digits and two dashes; the format is the core's check (its reason has a message).
      return { t: 'text', required: rule.required, max: 15 };
    case 'phone':
      return { t: 'text', required: rule.required, max: v.max_chars };
    case 'bail_events':
    case 'status_history':
      throw new Error(`schema: ${rule.name} is a list of events with a form of its own, not an editor field`);
  }
}

function spec(kind: Kind, slot: Slot): FieldSpec {
  const [name, hints] = typeof slot === 'string' ? [slot, {}] : slot;
  const [block, inner] = name.includes('.') ? name.split('.') : ['', name];
  const rules = block ? RULES[kind].blocks.find((b) => b.name === block)?.fields : RULES[kind].fields;
  const rule = rules?.find((f) => f.name === inner);
  if (!rule) throw new Error(`schema: ${kind} has no field ${name} in the model's rules`);
  return { name, type: typeOf(rule, hints, block ? `${block}.` : '') };
}

const LAYOUT: Record<Kind, KindLayout> = {
  person: {
    groups: [
      {
        id: 'consent',
        title: 'group.consent',
        note: 'person.consentNote',
        fields: ['consent_to_store', 'consent_to_share_with_lawyers', 'consent_to_publish_anonymised', 'anonymous'],
      },
      { id: 'identity', title: 'group.identity', fields: ['pseudonym', 'name', 'gender', 'community', 'profession', 'roles', 'risk_level'] },
      { id: 'contact', title: 'group.contact', fields: ['contact', 'cnic', 'phone', 'address', 'notes'] },
    ],
    blocks: {},
  },
  organisation: {
    groups: [{ id: 'main', title: 'group.main', fields: ['name', 'org_type', ['country', { sorted: true }], 'contact', 'notes'] }],
    blocks: {},
  },
  incident: {
    groups: [
      { id: 'main', title: 'group.main', fields: ['title', 'description', 'occurred_on'] },
      { id: 'place', title: 'group.place', fields: ['province', 'district', 'city', 'latitude', 'longitude'] },
      { id: 'types', title: 'group.types', fields: ['incident_types', ['perpetrator_types', { nested: true }]] },
      { id: 'source', title: 'group.source', fields: ['source', 'source_reliability', 'verification_status'] },
    ],
    blocks: {},
  },
  threat: {
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: ['title', 'description', 'source', 'channel', 'level', 'status', 'received_on', 'protection_measures'],
      },
    ],
    blocks: {},
  },
  risk: {
    groups: [
      {
        id: 'main',
        title: 'group.main',
        note: 'risk.formula',
        fields: ['person_id', 'assessed_on', 'threat_level', 'vulnerability_level', 'capacity_level', 'protection_plan', 'review_on', 'notes'],
      },
    ],
    blocks: {},
  },
  case: {
    groups: [
      { id: 'main', title: 'group.main', fields: ['title', ['case_kind', { labels: 'case_kinds' }], 'status'] },
      { id: 'fir', title: 'group.fir', fields: ['fir_number', 'fir_date', 'police_station', 'investigating_agency'] },
      { id: 'court', title: 'group.court', fields: ['court', 'judge', 'charges', 'bail'] },
      { id: 'notes', title: 'group.notes', fields: ['notes'] },
    ],
    blocks: {
      disappearance: [
        'disappearance.last_seen_on',
        'disappearance.last_seen_place',
        'disappearance.suspected_agency',
        'disappearance.habeas_petition_number',
        'disappearance.coied_case_number',
        'disappearance.wgeid_case_number',
        'disappearance.outcome',
      ],
      detention_abroad: [
        ['detention_abroad.country', { sorted: true }],
        'detention_abroad.city',
        'detention_abroad.prison',
        'detention_abroad.charge',
        'detention_abroad.legal_status',
        'detention_abroad.sentence',
        'detention_abroad.consular_access',
        'detention_abroad.consular_access_on',
        'detention_abroad.lawyer',
        'detention_abroad.family_contact',
        'detention_abroad.transfer_status',
        'detention_abroad.arrested_on',
        'detention_abroad.sentenced_on',
      ],
      refugee: [
        ['refugee.nationality', { sorted: true }],
        'refugee.documentation',
        'refugee.documentation_expires_on',
        'refugee.arrested_under_foreigners_act',
        'refugee.deportation_order_on',
        'refugee.deported_on',
        'refugee.unhcr_case_number',
        'refugee.at_risk_profile',
      ],
      protection: ['protection.measure', 'protection.provider', 'protection.applied_on', 'protection.decided_on'],
    },
  },
  hearing: {
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: ['case_id', 'date', 'status', 'purpose', 'outcome', 'next_date', 'compliance_on', 'court', 'judge', 'notes'],
      },
    ],
    blocks: {},
  },
  referral: {
    groups: [{ id: 'main', title: 'group.main', fields: ['title', 'target', 'status', 'reference_number', 'sent_on', 'follow_up_on', 'notes'] }],
    blocks: {},
  },
  task: {
    groups: [{ id: 'main', title: 'group.main', fields: ['title', 'deadline', 'due_on', 'done', 'notes'] }],
    blocks: {},
  },
};

/**
 * Body fields the editor leaves alone, because something else writes them: a case's bail events
 * and status history (the status history by the vault when the status changes), the hearing a
 * hearing follows and a deadline's case and rule (set when an outcome is recorded or a deadline
 * is made from an event). The editor sends only its own fields, and an update changes only the
 * fields sent, so these are kept as they are.
 */
export const NOT_IN_EDITOR: Partial<Record<Kind, readonly string[]>> = {
  case: ['bail_events', 'status_history'],
  hearing: ['follows'],
  task: ['case_id', 'deadline_rule'],
};

/** Each kind's layout with every field's widget and limits from the model's rules. */
export const SPECS: Record<Kind, KindSpec> = Object.fromEntries(
  KINDS.map((kind) => {
    const l = LAYOUT[kind];
    const spec_: KindSpec = {
      kind,
      groups: l.groups.map((g) => ({ id: g.id, title: g.title, ...(g.note ? { note: g.note } : {}), fields: g.fields.map((f) => spec(kind, f)) })),
      blocks: RULES[kind].blocks.map((b) => {
        const slots = l.blocks[b.name as Block['name']];
        if (!slots) throw new Error(`schema: no layout for the ${b.name} block`);
        return { name: b.name as Block['name'], caseKind: b.case_kind, fields: slots.map((f) => spec(kind, f)) };
      }),
      columns: [...RULES[kind].list_columns, ...(RULES[kind].list_updated ? ['updatedAt'] : [])],
      listFilters: { province: RULES[kind].fields.some((f) => f.name === 'province'), dates: RULES[kind].date_field !== null },
    };
    return [kind, spec_];
  }),
) as Record<Kind, KindSpec>;

/** Every field of a kind: its groups' fields, then its blocks' fields. */
export function allFields(kind: Kind): FieldSpec[] {
  const s = SPECS[kind];
  return [...s.groups.flatMap((g) => g.fields), ...s.blocks.flatMap((b) => b.fields)];
}

export function fieldSpec(kind: Kind, name: string): FieldSpec | undefined {
  return allFields(kind).find((f) => f.name === name);
}

/** The names errors can be placed under on a kind's form (fields, precision fields, blocks). */
export function knownFieldNames(kind: Kind): Set<string> {
  const names = new Set<string>();
  for (const f of allFields(kind)) {
    names.add(f.name);
    if (f.type.t === 'partialDate') names.add(f.type.precisionField);
  }
  for (const b of SPECS[kind].blocks) names.add(b.name);
  return names;
}

/** The editor's values: flat, keyed by field path; text as typed, lists as arrays. */
// `any`: the values are bound to inputs of every type.
export type FormValues = Record<string, any>;

function defaultOf(f: FieldSpec): unknown {
  switch (f.type.t) {
    case 'bool':
      return false;
    case 'enumMulti':
    case 'vocabMulti':
    case 'charges':
      return [];
    case 'enum':
      return f.type.optional ? '' : ENUMS[f.type.e][0];
    case 'score':
      return '';
    default:
      return '';
  }
}

/** The values of a new record of `kind`, with `preset` (e.g. a hearing's case) filled in. */
export function emptyValues(kind: Kind, preset: Record<string, string> = {}): FormValues {
  const v: FormValues = {};
  for (const f of allFields(kind)) {
    v[f.name] = defaultOf(f);
    if (f.type.t === 'partialDate') v[f.type.precisionField] = 'unknown';
  }
  return { ...v, ...preset };
}

function get(fields: Record<string, unknown>, path: string): unknown {
  let cur: unknown = fields;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Originals the editor keeps aside (an exact date's offset). */
export type Originals = Record<string, string>;

/** The editor's values for an existing record's `fields`. */
export function valuesFromRecord(kind: Kind, fields: Record<string, unknown>): { values: FormValues; originals: Originals } {
  const values = emptyValues(kind);
  const originals: Originals = {};
  for (const f of allFields(kind)) {
    const raw = get(fields, f.name);
    switch (f.type.t) {
      case 'bool':
        values[f.name] = raw === true;
        break;
      case 'maybeBool':
        values[f.name] = raw === true ? 'yes' : raw === false ? 'no' : '';
        break;
      case 'enumMulti':
      case 'vocabMulti':
        values[f.name] = Array.isArray(raw) ? raw.map(String) : [];
        break;
      case 'charges':
        values[f.name] = Array.isArray(raw)
          ? raw.filter((c): c is Charge => !!c && typeof c === 'object').map((c) => ({ statute: String(c.statute), section: String(c.section) }))
          : [];
        break;
      case 'number':
      case 'score':
        values[f.name] = typeof raw === 'number' ? String(raw) : '';
        break;
      case 'partialDate': {
        const p = get(fields, f.type.precisionField);
        const s = typeof raw === 'string' ? raw : '';
        const precision = (typeof p === 'string' ? p : s ? precisionOf(s) : 'unknown') ?? 'unknown';
        values[f.type.precisionField] = precision;
        if (precision === 'exact' && s) {
          originals[f.name] = s;
          values[f.name] = exactForInput(s);
        } else values[f.name] = s;
        break;
      }
      default:
        values[f.name] = typeof raw === 'string' ? raw : raw === null || raw === undefined ? (f.type.t === 'enum' && !f.type.optional ? values[f.name] : '') : String(raw);
    }
  }
  return { values, originals };
}

export type FieldError = { key: MessageKey; params?: Record<string, string | number> } | { raw: string };

export type Checked = { ok: true; fields: Record<string, unknown> } | { ok: false; errors: Record<string, FieldError> };

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function blank(v: unknown): boolean {
  return str(v).trim() === '';
}

/** The block of a kind that applies to a case kind, if any. */
export function blockFor(kind: Kind, caseKind: string): Block | undefined {
  return SPECS[kind].blocks.find((b) => b.caseKind === caseKind);
}

/**
 * Checks the editor's values and builds the full body to send (every field, so that an update
 * also clears what was emptied). Errors are keyed by field path.
 */
export function checkValues(kind: Kind, values: FormValues, originals: Originals = {}): Checked {
  const errors: Record<string, FieldError> = {};
  const body: Record<string, unknown> = {};
  const spec = SPECS[kind];
  const activeBlock = kind === 'case' ? blockFor(kind, str(values.case_kind)) : undefined;

  const convert = (f: FieldSpec): unknown => {
    const v = values[f.name];
    switch (f.type.t) {
      case 'text':
      case 'longtext':
        if (f.type.t === 'text' && f.type.required && blank(v)) errors[f.name] = { key: 'validation.required' };
        if (f.type.t === 'text' && /[\r\n]/.test(str(v))) errors[f.name] = { key: 'validation.singleLine' };
        // Counted in characters, as the core counts them (an Urdu letter is one).
        if ([...str(v)].length > f.type.max) errors[f.name] = { key: 'validation.tooLong' };
        if (f.type.t === 'text' && f.type.required) return str(v);
        return blank(v) ? null : str(v);
      case 'number': {
        if (blank(v)) return null;
        const n = Number(str(v).trim().replace(',', '.'));
        if (!Number.isFinite(n) || n < f.type.min || n > f.type.max) {
          errors[f.name] = { key: 'validation.coordinate', params: { min: f.type.min, max: f.type.max } };
          return null;
        }
        return n;
      }
      case 'bool':
        return v === true;
      case 'maybeBool':
        return v === 'yes' ? true : v === 'no' ? false : null;
      case 'enum':
        if (blank(v)) return f.type.optional ? null : ENUMS[f.type.e][0];
        return str(v);
      case 'enumMulti':
      case 'vocabMulti':
        return Array.isArray(v) ? [...v] : [];
      case 'vocab':
        if (blank(v)) {
          if (f.type.required) {
            errors[f.name] = { key: 'validation.required' };
            return '';
          }
          return null;
        }
        return str(v);
      case 'caseStatus':
        return blank(v) ? null : str(v);
      case 'charges':
        return Array.isArray(v) ? v.map((c: Charge) => ({ statute: c.statute, section: c.section })) : [];
      case 'score': {
        const n = Number(str(v));
        if (blank(v) || !Number.isInteger(n) || n < f.type.min || n > f.type.max) {
          errors[f.name] = { key: blank(v) ? 'validation.required' : 'validation.level' };
          return 0;
        }
        return n;
      }
      case 'ref':
        if (blank(v)) errors[f.name] = { key: 'validation.required' };
        return str(v);
      case 'day':
        if (blank(v)) {
          if (f.type.required) errors[f.name] = { key: 'validation.required' };
          return f.type.required ? '' : null;
        }
        {
          // Typed day first (05/03/2024), as 2024-03-05, or in Urdu digits: stored as 2024-03-05.
          const day = parseDayInput(str(v));
          if (!day) errors[f.name] = { key: 'validation.day' };
          return day ?? str(v).trim();
        }
      case 'partialDate': {
        const precision = (str(values[f.type.precisionField]) || 'unknown') as Precision;
        const original = originals[f.name];
        const r = checkPartialDate(str(v), precision, original ? offsetOf(original) : null);
        if (!r.ok) {
          errors[f.name] = {
            key: r.error === 'missing' ? 'validation.dateMissing' : r.error === 'mismatch' ? 'validation.precisionMismatch' : 'validation.partialDate',
          };
          return null;
        }
        return r.value;
      }
    }
  };

  const put = (target: Record<string, unknown>, f: FieldSpec, name: string) => {
    target[name] = convert(f);
    if (f.type.t === 'partialDate') {
      const precision = (str(values[f.type.precisionField]) || 'unknown') as Precision;
      target[f.type.precisionField.split('.').pop()!] = target[name] === null ? 'unknown' : precision;
    }
  };

  for (const g of spec.groups) for (const f of g.fields) put(body, f, f.name);
  for (const b of spec.blocks) {
    if (b === activeBlock) {
      const inner: Record<string, unknown> = {};
      for (const f of b.fields) put(inner, f, f.name.slice(b.name.length + 1));
      body[b.name] = inner;
    } else body[b.name] = null;
  }

  for (const c of RULES[kind].checks) {
    const key = reasonKey(c.reason);
    const error: FieldError = key ? { key } : { raw: c.reason };
    if (c.type === 'one_of_unless' && c.fields.every((f) => blank(values[f])) && values[c.unless] !== true) errors[c.field] ??= error;
    if (c.type === 'only_with' && !blank(values[c.field]) && values[c.requires] !== true) errors[c.field] ??= error;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, fields: body };
}

/**
 * The score of a record of `kind` as the core computes it (a risk assessment's: threats ×
 * vulnerabilities ÷ capacities), from its fields or the editor's values; `null` if the kind has
 * none or a value is not a number above zero.
 */
export function scoreOf(kind: Kind, values: Record<string, unknown>): number | null {
  const rule = RULES[kind].score;
  if (!rule) return null;
  const n = (f: string) => Number(values[f]);
  const all = [...rule.multiply, rule.divide_by].map(n);
  if (!all.every((x) => Number.isFinite(x) && x > 0)) return null;
  return rule.multiply.map(n).reduce((a, b) => a * b, 1) / Math.max(n(rule.divide_by), 1);
}
