// The record kinds as the UI edits and shows them: each kind's fields (snake_case, as in
// crates/gawahi-core/src/model.rs), how each is edited, the list columns, and the conversions
// between a record's `fields` and the editor's values, with the client-side checks.
import type { Kind } from '../bindings/Kind';
import type { Precision } from '../bindings/Precision';
import type { BailStatus } from '../bindings/BailStatus';
import type { CaseKind } from '../bindings/CaseKind';
import type { DisappearanceOutcome } from '../bindings/DisappearanceOutcome';
import type { Gender } from '../bindings/Gender';
import type { LegalStatusAbroad } from '../bindings/LegalStatusAbroad';
import type { Level } from '../bindings/Level';
import type { PersonRole } from '../bindings/PersonRole';
import type { ProtectionMeasure } from '../bindings/ProtectionMeasure';
import type { ReferralStatus } from '../bindings/ReferralStatus';
import type { Reliability } from '../bindings/Reliability';
import type { ThreatStatus } from '../bindings/ThreatStatus';
import type { Verification } from '../bindings/Verification';
import type { MessageKey } from './i18n';
import { checkPartialDate, exactForInput, isDay, offsetOf, precisionOf } from './dates';
import type { Charge } from './charges';

export const KINDS: readonly Kind[] = ['person', 'organisation', 'incident', 'threat', 'risk', 'case', 'hearing', 'referral', 'task'];

/** The enums of the model, with their values in declaration order. */
export const ENUMS = {
  gender: ['female', 'male', 'transgender', 'intersex', 'non_binary', 'undisclosed'],
  person_role: ['defender', 'victim', 'witness', 'lawyer', 'family_member', 'official', 'alleged_perpetrator'],
  level: ['low', 'medium', 'high', 'critical'],
  reliability: ['reliable', 'fairly_reliable', 'unknown', 'unreliable'],
  verification: ['unverified', 'partially_verified', 'verified', 'disputed'],
  threat_status: ['active', 'mitigated', 'realised'],
  case_kind: ['criminalisation', 'enforced_disappearance', 'detained_abroad', 'refugee_deportation', 'protection'],
  bail: ['not_applied', 'applied', 'granted', 'refused', 'cancelled'],
  disappearance_outcome: ['missing', 'returned', 'custody_acknowledged', 'found_dead'],
  legal_status_abroad: ['under_investigation', 'on_trial', 'convicted', 'death_row', 'appeal', 'released'],
  protection_measure: ['emergency_visa', 'asylum', 'shelter', 'grant', 'relocation'],
  referral_status: ['planned', 'sent', 'acknowledged', 'granted', 'declined', 'closed'],
  precision: ['exact', 'day', 'month', 'year', 'unknown'],
} as const;

export type EnumName = keyof typeof ENUMS;

// Each list above must hold exactly the variants of its enum in the generated bindings: when the
// Rust model gains or loses a variant, `npm run check` fails here.
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
};
void enumsMatchBindings;

export type FieldType =
  | { t: 'text'; required?: boolean }
  | { t: 'longtext' }
  | { t: 'number'; min: number; max: number }
  | { t: 'bool' }
  | { t: 'maybeBool' }
  | { t: 'enum'; e: EnumName; optional: boolean; vocab?: string }
  | { t: 'enumMulti'; e: EnumName }
  | { t: 'vocab'; vocab: string; required?: boolean; parentField?: string; sorted?: boolean }
  | { t: 'vocabMulti'; vocab: string; nested?: boolean }
  | { t: 'caseStatus' }
  | { t: 'partialDate'; precisionField: string }
  | { t: 'day'; required?: boolean }
  | { t: 'score' }
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
};

const text = (name: string, required = false): FieldSpec => ({ name, type: { t: 'text', required } });
const long = (name: string): FieldSpec => ({ name, type: { t: 'longtext' } });
const day = (name: string, required = false): FieldSpec => ({ name, type: { t: 'day', required } });
const bool = (name: string): FieldSpec => ({ name, type: { t: 'bool' } });
const en = (name: string, e: EnumName, optional: boolean): FieldSpec => ({ name, type: { t: 'enum', e, optional } });
const vocab = (name: string, v: string, extra: Partial<Extract<FieldType, { t: 'vocab' }>> = {}): FieldSpec => ({
  name,
  type: { t: 'vocab', vocab: v, ...extra },
});
const partial = (name: string, precisionField: string): FieldSpec => ({ name, type: { t: 'partialDate', precisionField } });

export const SPECS: Record<Kind, KindSpec> = {
  person: {
    kind: 'person',
    groups: [
      {
        id: 'consent',
        title: 'group.consent',
        note: 'person.consentNote',
        fields: [bool('consent_to_store'), bool('consent_to_share_with_lawyers'), bool('consent_to_publish_anonymised'), bool('anonymous')],
      },
      {
        id: 'identity',
        title: 'group.identity',
        fields: [
          text('pseudonym'),
          text('name'),
          en('gender', 'gender', true),
          text('community'),
          text('profession'),
          { name: 'roles', type: { t: 'enumMulti', e: 'person_role' } },
          en('risk_level', 'level', true),
        ],
      },
      { id: 'contact', title: 'group.contact', fields: [long('contact'), long('notes')] },
    ],
    blocks: [],
    columns: ['roles', 'risk_level', 'updatedAt'],
  },
  organisation: {
    kind: 'organisation',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: [text('name', true), vocab('org_type', 'organisation_types'), vocab('country', 'countries', { sorted: true }), long('contact'), long('notes')],
      },
    ],
    blocks: [],
    columns: ['org_type', 'country', 'updatedAt'],
  },
  incident: {
    kind: 'incident',
    groups: [
      { id: 'main', title: 'group.main', fields: [text('title', true), long('description'), partial('occurred_on', 'occurred_precision')] },
      {
        id: 'place',
        title: 'group.place',
        fields: [
          vocab('province', 'provinces'),
          vocab('district', 'districts', { parentField: 'province' }),
          text('city'),
          { name: 'latitude', type: { t: 'number', min: -90, max: 90 } },
          { name: 'longitude', type: { t: 'number', min: -180, max: 180 } },
        ],
      },
      {
        id: 'types',
        title: 'group.types',
        fields: [
          { name: 'incident_types', type: { t: 'vocabMulti', vocab: 'incident_types' } },
          { name: 'perpetrator_types', type: { t: 'vocabMulti', vocab: 'perpetrator_types', nested: true } },
        ],
      },
      {
        id: 'source',
        title: 'group.source',
        fields: [long('source'), en('source_reliability', 'reliability', true), en('verification_status', 'verification', false)],
      },
    ],
    blocks: [],
    columns: ['occurred_on', 'district', 'incident_types'],
  },
  threat: {
    kind: 'threat',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: [
          text('title', true),
          long('description'),
          long('source'),
          vocab('channel', 'threat_channels'),
          en('level', 'level', true),
          en('status', 'threat_status', false),
          partial('received_on', 'received_precision'),
          long('protection_measures'),
        ],
      },
    ],
    blocks: [],
    columns: ['level', 'status', 'received_on'],
  },
  risk: {
    kind: 'risk',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        note: 'risk.formula',
        fields: [
          { name: 'person_id', type: { t: 'ref', kind: 'person' } },
          day('assessed_on', true),
          { name: 'threat_level', type: { t: 'score' } },
          { name: 'vulnerability_level', type: { t: 'score' } },
          { name: 'capacity_level', type: { t: 'score' } },
          long('protection_plan'),
          day('review_on'),
          long('notes'),
        ],
      },
    ],
    blocks: [],
    columns: ['assessed_on', 'review_on'],
  },
  case: {
    kind: 'case',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: [
          text('title', true),
          { name: 'case_kind', type: { t: 'enum', e: 'case_kind', optional: false, vocab: 'case_kinds' } },
          { name: 'status', type: { t: 'caseStatus' } },
        ],
      },
      {
        id: 'fir',
        title: 'group.fir',
        fields: [text('fir_number'), day('fir_date'), text('police_station'), vocab('investigating_agency', 'bodies')],
      },
      {
        id: 'court',
        title: 'group.court',
        fields: [vocab('court', 'courts'), text('judge'), { name: 'charges', type: { t: 'charges' } }, en('bail', 'bail', true)],
      },
      { id: 'notes', title: 'group.notes', fields: [long('notes')] },
    ],
    blocks: [
      {
        name: 'disappearance',
        caseKind: 'enforced_disappearance',
        fields: [
          partial('disappearance.last_seen_on', 'disappearance.last_seen_precision'),
          text('disappearance.last_seen_place'),
          vocab('disappearance.suspected_agency', 'bodies'),
          text('disappearance.habeas_petition_number'),
          text('disappearance.coied_case_number'),
          text('disappearance.wgeid_case_number'),
          en('disappearance.outcome', 'disappearance_outcome', false),
        ],
      },
      {
        name: 'detention_abroad',
        caseKind: 'detained_abroad',
        fields: [
          vocab('detention_abroad.country', 'countries', { sorted: true }),
          text('detention_abroad.city'),
          text('detention_abroad.prison'),
          text('detention_abroad.charge'),
          en('detention_abroad.legal_status', 'legal_status_abroad', true),
          text('detention_abroad.sentence'),
          { name: 'detention_abroad.consular_access', type: { t: 'maybeBool' } },
          day('detention_abroad.consular_access_on'),
          text('detention_abroad.lawyer'),
          { name: 'detention_abroad.family_contact', type: { t: 'maybeBool' } },
          text('detention_abroad.transfer_status'),
        ],
      },
      {
        name: 'refugee',
        caseKind: 'refugee_deportation',
        fields: [
          vocab('refugee.nationality', 'countries', { sorted: true }),
          vocab('refugee.documentation', 'documentation_types'),
          day('refugee.documentation_expires_on'),
          bool('refugee.arrested_under_foreigners_act'),
          day('refugee.deportation_order_on'),
          day('refugee.deported_on'),
          text('refugee.unhcr_case_number'),
          long('refugee.at_risk_profile'),
        ],
      },
      {
        name: 'protection',
        caseKind: 'protection',
        fields: [en('protection.measure', 'protection_measure', true), text('protection.provider'), day('protection.applied_on'), day('protection.decided_on')],
      },
    ],
    columns: ['case_kind', 'status', 'fir_number', 'court'],
  },
  hearing: {
    kind: 'hearing',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: [
          { name: 'case_id', type: { t: 'ref', kind: 'case' } },
          day('date', true),
          long('purpose'),
          long('outcome'),
          day('next_date'),
          vocab('court', 'courts'),
          text('judge'),
          long('notes'),
        ],
      },
    ],
    blocks: [],
    columns: ['date', 'next_date', 'court'],
  },
  referral: {
    kind: 'referral',
    groups: [
      {
        id: 'main',
        title: 'group.main',
        fields: [
          text('title', true),
          vocab('target', 'referral_targets', { required: true }),
          en('status', 'referral_status', false),
          text('reference_number'),
          day('sent_on'),
          day('follow_up_on'),
          long('notes'),
        ],
      },
    ],
    blocks: [],
    columns: ['target', 'status', 'follow_up_on'],
  },
  task: {
    kind: 'task',
    groups: [{ id: 'main', title: 'group.main', fields: [text('title', true), day('due_on'), bool('done'), long('notes')] }],
    blocks: [],
    columns: ['due_on', 'done'],
  },
};

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
        if (blank(v) || !Number.isInteger(n) || n < 1 || n > 5) {
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
        if (!isDay(str(v).trim())) errors[f.name] = { key: 'validation.day' };
        return str(v).trim();
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

  if (kind === 'person') {
    if (blank(values.name) && blank(values.pseudonym)) errors.pseudonym = { key: 'validation.nameOrPseudonym' };
    if (!blank(values.community) && values.consent_to_store !== true) errors.community = { key: 'validation.communityConsent' };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, fields: body };
}

/** Risk score as the core computes it: threats × vulnerabilities ÷ capacities. */
export function riskScore(threat: number, vulnerability: number, capacity: number): number {
  return (threat * vulnerability) / Math.max(capacity, 1);
}
