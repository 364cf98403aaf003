import { describe, expect, it } from 'vitest';
import { KINDS, RULES, SPECS, checkValues, emptyValues, fieldSpec, knownFieldNames, scoreOf, valuesFromRecord } from '../src/lib/schema';

describe('editor values → record fields', () => {
  it('requires the title and sends every field of a new incident', () => {
    const r = checkValues('incident', emptyValues('incident'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.title).toEqual({ key: 'validation.required' });

    const ok = checkValues('incident', { ...emptyValues('incident'), title: 'Raid', occurred_on: '2024-03', occurred_precision: 'month' });
    expect(ok).toEqual({
      ok: true,
      fields: {
        title: 'Raid',
        description: null,
        occurred_on: '2024-03',
        occurred_precision: 'month',
        province: null,
        district: null,
        city: null,
        latitude: null,
        longitude: null,
        incident_types: [],
        perpetrator_types: [],
        source: null,
        source_reliability: null,
        verification_status: 'unverified',
      },
    });
  });

  it('checks date shapes against the precision', () => {
    const v = { ...emptyValues('incident'), title: 'x', occurred_on: '2024-03', occurred_precision: 'day' };
    const r = checkValues('incident', v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.occurred_on).toEqual({ key: 'validation.precisionMismatch' });

    // A day typed day first, as Pakistani courts write it, is stored as YYYY-MM-DD.
    const typed = checkValues('hearing', { ...emptyValues('hearing'), case_id: 'c1', date: '05/03/2024' });
    expect(typed.ok && typed.fields.date).toBe('2024-03-05');
    const h = checkValues('hearing', { ...emptyValues('hearing'), case_id: 'c1', date: '31/02/2024' });
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.errors.date).toEqual({ key: 'validation.day' });
  });

  it('sends an unknown date as null with unknown precision', () => {
    const r = checkValues('threat', { ...emptyValues('threat'), title: 't' });
    expect(r.ok && r.fields.received_on === null && r.fields.received_precision === 'unknown').toBe(true);
  });

  it('checks coordinates', () => {
    const r = checkValues('incident', { ...emptyValues('incident'), title: 'x', latitude: '95' });
    expect(r.ok).toBe(false);
    const ok = checkValues('incident', { ...emptyValues('incident'), title: 'x', latitude: '31,5204', longitude: '74.3587' });
    expect(ok.ok && ok.fields.latitude === 31.5204 && ok.fields.longitude === 74.3587).toBe(true);
  });

  it('refuses a community without consent to store, and a person with neither name nor pseudonym', () => {
    const r = checkValues('person', { ...emptyValues('person'), pseudonym: 'A', community: 'Ahmadi' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.community).toEqual({ key: 'validation.communityConsent' });
    const ok = checkValues('person', { ...emptyValues('person'), pseudonym: 'A', community: 'Ahmadi', consent_to_store: true });
    expect(ok.ok).toBe(true);
    const none = checkValues('person', emptyValues('person'));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors.pseudonym).toEqual({ key: 'validation.nameOrPseudonym' });
  });

  it('sends only the details block of the case’s kind, and nulls the others', () => {
    const v = {
      ...emptyValues('case'),
      title: 'Habeas petition',
      case_kind: 'enforced_disappearance',
      'disappearance.last_seen_on': '2024-05',
      'disappearance.last_seen_precision': 'month',
      'refugee.nationality': 'af',
      charges: [{ statute: 'crpc_1898', section: '491' }],
    };
    const r = checkValues('case', v);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.fields.disappearance).toEqual({
        last_seen_on: '2024-05',
        last_seen_precision: 'month',
        last_seen_place: null,
        suspected_agency: null,
        habeas_petition_number: null,
        coied_case_number: null,
        wgeid_case_number: null,
        outcome: 'missing',
      });
      expect(r.fields.refugee).toBeNull();
      expect(r.fields.detention_abroad).toBeNull();
      expect(r.fields.protection).toBeNull();
      expect(r.fields.charges).toEqual([{ statute: 'crpc_1898', section: '491' }]);
    }
  });

  it('follows the model’s rules: an anonymous person needs neither name nor pseudonym', () => {
    const r = checkValues('person', { ...emptyValues('person'), anonymous: true });
    expect(r.ok).toBe(true);
  });

  it('refuses text past the model’s limits, counted in characters', () => {
    const title = fieldSpec('incident', 'title')!.type;
    expect(title).toEqual({ t: 'text', required: true, max: 1000 });
    expect(checkValues('incident', { ...emptyValues('incident'), title: 'ب'.repeat(1000) }).ok).toBe(true);
    const r = checkValues('incident', { ...emptyValues('incident'), title: 'a'.repeat(1001) });
    expect(!r.ok && r.errors.title).toEqual({ key: 'validation.tooLong' });
    const long = checkValues('incident', { ...emptyValues('incident'), title: 'x', description: 'a'.repeat(200_001) });
    expect(!long.ok && long.errors.description).toEqual({ key: 'validation.tooLong' });
    // Free text where the model says so, even inside a details block.
    expect(fieldSpec('case', 'detention_abroad.charge')!.type).toEqual({ t: 'longtext', max: 200_000 });
  });

  it('requires a risk assessment’s levels from 1 to 5', () => {
    const r = checkValues('risk', { ...emptyValues('risk'), person_id: 'p', assessed_on: '2024-01-02', threat_level: '3', vulnerability_level: '4' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['capacity_level']);
    const ok = checkValues('risk', { ...emptyValues('risk', { person_id: 'p' }), assessed_on: '2024-01-02', threat_level: '3', vulnerability_level: '4', capacity_level: '2' });
    expect(ok.ok && ok.fields.threat_level === 3 && ok.fields.person_id === 'p').toBe(true);
    expect(scoreOf('risk', { threat_level: 3, vulnerability_level: 4, capacity_level: 2 })).toBe(6);
    expect(scoreOf('risk', { threat_level: '3', vulnerability_level: '4', capacity_level: '1' })).toBe(12);
    expect(scoreOf('risk', { threat_level: '', vulnerability_level: 4, capacity_level: 2 })).toBe(null);
    expect(scoreOf('task', { threat_level: 3, vulnerability_level: 4, capacity_level: 2 })).toBe(null);
  });
});

describe('record fields → editor values', () => {
  it('round-trips a case with its block and an exact date keeps its offset', () => {
    const fields = {
      title: 'T',
      case_kind: 'detained_abroad',
      status: 'on_trial',
      charges: [],
      detention_abroad: { country: 'ae', consular_access: false, family_contact: null, legal_status: 'on_trial' },
      disappearance: null,
    };
    const { values } = valuesFromRecord('case', fields);
    expect(values['detention_abroad.country']).toBe('ae');
    expect(values['detention_abroad.consular_access']).toBe('no');
    expect(values['detention_abroad.family_contact']).toBe('');
    const r = checkValues('case', values);
    expect(r.ok && (r.fields.detention_abroad as Record<string, unknown>).consular_access === false).toBe(true);

    const inc = valuesFromRecord('incident', { title: 'x', occurred_on: '2024-03-05T14:30:00+05:00', occurred_precision: 'exact', incident_types: ['killing'] });
    expect(inc.values.occurred_on).toBe('2024-03-05 14:30');
    expect(inc.values.incident_types).toEqual(['killing']);
    const back = checkValues('incident', inc.values, inc.originals);
    expect(back.ok && back.fields.occurred_on === '2024-03-05T14:30:00+05:00').toBe(true);
  });

  it('names the fields errors can be placed under', () => {
    const names = knownFieldNames('incident');
    expect(names.has('occurred_precision')).toBe(true);
    expect(knownFieldNames('case').has('disappearance')).toBe(true);
    expect(knownFieldNames('case').has('disappearance.last_seen_precision')).toBe(true);
  });
});

describe('list columns', () => {
  it("are the model's list columns, each a field of the kind the editor knows, then the update time where asked", () => {
    for (const kind of KINDS) {
      const columns = SPECS[kind].columns;
      expect(columns.filter((c) => c !== 'updatedAt')).toEqual(RULES[kind].list_columns);
      for (const c of RULES[kind].list_columns) expect(fieldSpec(kind, c), `${kind}.${c}`).toBeDefined();
    }
    expect(SPECS.person.columns).toEqual(['roles', 'risk_level', 'updatedAt']);
    expect(SPECS.incident.columns).toEqual(['occurred_on', 'district', 'incident_types']);
  });

  it('offer a province and a date range only where the kind has them', () => {
    for (const kind of KINDS) {
      const f = SPECS[kind].listFilters;
      expect(f.province, kind).toBe(RULES[kind].fields.some((r) => r.name === 'province'));
      const date = RULES[kind].date_field;
      expect(f.dates, kind).toBe(date !== null);
      if (date !== null) expect(fieldSpec(kind, date), `${kind}.${date}`).toBeDefined();
    }
    expect(SPECS.incident.listFilters).toEqual({ province: true, dates: true });
    expect(SPECS.case.listFilters).toEqual({ province: false, dates: true });
    expect(SPECS.person.listFilters).toEqual({ province: false, dates: false });
  });
});
