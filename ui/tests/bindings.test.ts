// The editor covers every field of every record body in the generated bindings, and nothing
// else. The lists below are checked against the bindings by the type checker (`npm run check`):
// a field added to or removed from the Rust model fails there first, then here.
import { describe, expect, it } from 'vitest';
import type { Case } from '../src/bindings/Case';
import type { DetentionAbroad } from '../src/bindings/DetentionAbroad';
import type { Disappearance } from '../src/bindings/Disappearance';
import type { Hearing } from '../src/bindings/Hearing';
import type { Incident } from '../src/bindings/Incident';
import type { Organisation } from '../src/bindings/Organisation';
import type { Person } from '../src/bindings/Person';
import type { ProtectionCase } from '../src/bindings/ProtectionCase';
import type { Referral } from '../src/bindings/Referral';
import type { RefugeeCase } from '../src/bindings/RefugeeCase';
import type { Risk } from '../src/bindings/Risk';
import type { Task } from '../src/bindings/Task';
import type { Threat } from '../src/bindings/Threat';
import type { Kind } from '../src/bindings/Kind';
import { KINDS, NOT_IN_EDITOR, SPECS, allFields } from '../src/lib/schema';

/** `L` lists exactly the keys of `T`. */
type Exact<T, L extends readonly (keyof T)[]> = [keyof T] extends [L[number]] ? L : never;
function keysOf<T>() {
  return <const L extends readonly (keyof T & string)[]>(l: Exact<T, L>): readonly string[] => l;
}

const bodies: Record<Kind, readonly string[]> = {
  person: keysOf<Person>()([
    'name', 'pseudonym', 'gender', 'community', 'profession', 'roles', 'risk_level', 'contact',
    'consent_to_store', 'consent_to_share_with_lawyers', 'consent_to_publish_anonymised', 'anonymous', 'notes', 'cnic',
    'phone', 'address',
  ]),
  organisation: keysOf<Organisation>()(['name', 'org_type', 'country', 'contact', 'notes']),
  incident: keysOf<Incident>()([
    'title', 'description', 'occurred_on', 'occurred_precision', 'province', 'district', 'city', 'latitude', 'longitude',
    'incident_types', 'perpetrator_types', 'source', 'source_reliability', 'verification_status',
  ]),
  threat: keysOf<Threat>()([
    'title', 'description', 'source', 'channel', 'level', 'status', 'received_on', 'received_precision', 'protection_measures',
  ]),
  risk: keysOf<Risk>()([
    'person_id', 'assessed_on', 'threat_level', 'vulnerability_level', 'capacity_level', 'protection_plan', 'review_on', 'notes',
  ]),
  case: keysOf<Case>()([
    'title', 'case_kind', 'status', 'fir_number', 'fir_date', 'police_station', 'investigating_agency', 'court', 'judge',
    'charges', 'bail', 'disappearance', 'detention_abroad', 'refugee', 'protection', 'notes', 'bail_events', 'status_history',
  ]),
  hearing: keysOf<Hearing>()([
    'case_id', 'date', 'purpose', 'outcome', 'next_date', 'court', 'judge', 'notes', 'status', 'follows', 'compliance_on',
  ]),
  referral: keysOf<Referral>()(['title', 'target', 'status', 'reference_number', 'sent_on', 'follow_up_on', 'notes']),
  task: keysOf<Task>()(['title', 'due_on', 'done', 'notes', 'case_id', 'deadline', 'deadline_rule']),
};

const blocks: Record<string, readonly string[]> = {
  disappearance: keysOf<Disappearance>()([
    'last_seen_on', 'last_seen_precision', 'last_seen_place', 'suspected_agency', 'habeas_petition_number',
    'coied_case_number', 'wgeid_case_number', 'outcome',
  ]),
  detention_abroad: keysOf<DetentionAbroad>()([
    'country', 'city', 'prison', 'charge', 'legal_status', 'sentence', 'consular_access', 'consular_access_on', 'lawyer',
    'family_contact', 'transfer_status', 'arrested_on', 'sentenced_on',
  ]),
  refugee: keysOf<RefugeeCase>()([
    'nationality', 'documentation', 'documentation_expires_on', 'arrested_under_foreigners_act', 'deportation_order_on',
    'deported_on', 'unhcr_case_number', 'at_risk_profile',
  ]),
  protection: keysOf<ProtectionCase>()(['measure', 'provider', 'applied_on', 'decided_on']),
};

/** The body fields a kind's editor edits (date precisions and details blocks included). */
function edited(kind: Kind): string[] {
  const names = new Set<string>();
  for (const f of allFields(kind)) {
    const top = f.name.split('.')[0];
    names.add(top);
    if (f.type.t === 'partialDate' && !f.name.includes('.')) names.add(f.type.precisionField);
  }
  return [...names].sort();
}

describe('editor and bindings', () => {
  it('edit every field of every kind, and no other, but those written by their own actions', () => {
    for (const kind of KINDS) {
      const kept = NOT_IN_EDITOR[kind] ?? [];
      expect(edited(kind), kind).toEqual(bodies[kind].filter((f) => !kept.includes(f)).sort());
      for (const f of kept) expect(bodies[kind], `${kind}.${f}`).toContain(f);
    }
  });

  it('edit every field of every details block', () => {
    for (const b of SPECS.case.blocks) {
      const names = new Set<string>();
      for (const f of b.fields) {
        names.add(f.name.slice(b.name.length + 1));
        if (f.type.t === 'partialDate') names.add(f.type.precisionField.slice(b.name.length + 1));
      }
      expect([...names].sort(), b.name).toEqual([...blocks[b.name]].sort());
    }
  });
});
