// A stand-in for the Rust core, for working on the UI in a browser without building the app:
// `npm run dev`, then open http://localhost:5173/dev/mock.html. It keeps records in memory,
// imitates the commands' shapes and a few of the core's checks, and is never part of the build.
// Passphrase of the pretend vault: "maple river canvas lantern orbit". Query parameters:
// ?fresh (no vault yet), ?unlocked, ?lang=ur, ?autolock=<minutes>.
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { IpcError } from '../src/bindings/IpcError';
import type { Kind } from '../src/bindings/Kind';
import type { Link } from '../src/bindings/Link';
import type { SummaryView } from '../src/bindings/SummaryView';
import type { VocabularyView } from '../src/bindings/VocabularyView';

const files = import.meta.glob<{ name: string; entries: VocabularyView['entries'] }>('../../assets/vocab/*.json', {
  eager: true,
  import: 'default',
});
const vocabs: VocabularyView[] = Object.values(files).map((f) => ({
  name: f.name,
  entries: f.entries.map((e) => ({ ...e, parent: e.parent ?? null, extra: e.extra ?? {} })),
}));

const PASSPHRASE = 'maple river canvas lantern orbit';
const params = new URLSearchParams(location.search);
let vaultExists = params.get('fresh') === null;
let unlocked = params.get('unlocked') !== null;
let settings = {
  language: params.get('lang') === 'ur' ? 'ur' : 'en',
  autoLockMinutes: Number(params.get('autolock') ?? 5),
  windowSize: null,
  camouflage: params.get('camouflage') !== null,
};
/** A record as the mock keeps it: a `RecordView` with its fields untyped. */
type Stored = { id: string; kind: Kind; createdAt: string; updatedAt: string; label: string; nameWithheld: boolean; fields: Record<string, any> };
const records = new Map<string, Stored>();
const links: Link[] = [];
let seq = 0;

function newId(): string {
  seq += 1;
  return `0190${String(Date.now()).slice(-8)}${String(seq).padStart(6, '0')}`.padEnd(32, '0').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
}

function fail(code: IpcError['code'], message: string, field: string | null = null, reason: IpcError['reason'] = null): never {
  throw { code, message, field, reason } satisfies IpcError;
}

function labelOf(kind: Kind, f: Record<string, unknown>): { label: string; nameWithheld: boolean } {
  const nameWithheld = kind === 'person' && !f.pseudonym && (!!f.name || f.anonymous === true);
  return { label: nameWithheld ? '' : label(kind, f), nameWithheld };
}

function label(kind: Kind, f: Record<string, unknown>): string {
  switch (kind) {
    case 'person':
      return (f.pseudonym as string) || '';
    case 'organisation':
      return String(f.name ?? '');
    case 'risk': {
      const s = (Number(f.threat_level) * Number(f.vulnerability_level)) / Math.max(Number(f.capacity_level), 1);
      return `${f.assessed_on} (${s.toFixed(1)})`;
    }
    case 'hearing':
      return `${f.date} ${(f.purpose as string) ?? ''}`.trim();
    default:
      return String(f.title ?? '');
  }
}

function parentOf(r: Stored): string | null {
  if (r.kind === 'hearing') return r.fields.case_id as string;
  if (r.kind === 'risk') return r.fields.person_id as string;
  return null;
}

function summary(r: Stored): SummaryView {
  return { id: r.id, kind: r.kind, label: r.label, nameWithheld: r.nameWithheld };
}

function validate(kind: Kind, f: Record<string, unknown>) {
  for (const k of ['title', 'name']) if (k in f && typeof f[k] === 'string' && !(f[k] as string).trim()) fail('invalid_input', 'is required', k, 'required');
  if (kind === 'person' && f.community && !f.consent_to_store)
    fail('invalid_input', 'a community (ethnic or religious) is stored only with consent: set consent_to_store to true first', 'community', 'community_without_consent');
  if (kind === 'case' && Array.isArray(f.charges)) {
    f.charges.forEach((c: { statute: string; section: string }, i: number) => {
      const code = `${c.statute}.${c.section.toLowerCase()}`;
      if (!vocabs.find((v) => v.name === 'sections')!.entries.some((e) => e.code === code))
        fail('invalid_input', `this section is not in the sections vocabulary under ${c.statute}`, `charges[${i}].section`, 'not_in_vocabulary');
    });
  }
  for (const [k, kindOf] of [
    ['case_id', 'case'],
    ['person_id', 'person'],
  ] as const) {
    if (k in f && records.get(f[k] as string)?.kind !== kindOf) fail('invalid_input', `no ${kindOf} has this id`, k, 'no_such_record');
  }
}

function now() {
  return new Date().toISOString();
}

function seed() {
  const add = (kind: Kind, fields: Record<string, unknown>) => {
    const r: Stored = { id: newId(), kind, createdAt: now(), updatedAt: now(), ...labelOf(kind, fields), fields };
    records.set(r.id, r);
    return r;
  };
  const today = new Date();
  const day = (n: number) => {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() + n);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const p = add('person', { pseudonym: 'Zarmina', name: 'Real Name', anonymous: true, consent_to_store: true, roles: ['defender', 'victim'], risk_level: 'high' });
  add('person', { pseudonym: 'عائشہ', roles: ['lawyer'], consent_to_store: true });
  const c = add('case', {
    title: 'State v. Zarmina (PECA)',
    case_kind: 'criminalisation',
    status: 'bail_granted',
    fir_number: '112/2024',
    fir_date: day(-40),
    court: 'sessions_court',
    charges: [
      { statute: 'peca_2016', section: '20' },
      { statute: 'ppc_1860', section: '505' },
    ],
    disappearance: null,
  });
  add('hearing', { case_id: c.id, date: day(3), purpose: 'Arguments on bail confirmation', next_date: day(17) });
  add('hearing', { case_id: c.id, date: day(-10), purpose: 'Framing of charges', outcome: 'Adjourned' });
  const i = add('incident', {
    title: 'Raid on press club, Quetta',
    occurred_on: day(-3).slice(0, 7),
    occurred_precision: 'month',
    province: 'balochistan',
    incident_types: ['raid_search', 'confiscation_of_devices'],
    verification_status: 'partially_verified',
  });
  add('incident', { title: 'گھر پر دھمکی آمیز خط', occurred_on: day(-20), occurred_precision: 'day', incident_types: [], verification_status: 'unverified' });
  add('threat', { title: 'Death threat by phone', status: 'active', level: 'critical', channel: 'phone' });
  add('task', { title: 'Prepare bail documents', due_on: day(2), done: false });
  add('risk', { person_id: p.id, assessed_on: day(-5), threat_level: 4, vulnerability_level: 3, capacity_level: 2 });
  links.push({ id: newId(), from_id: p.id, to_id: i.id, role: 'victim', created_at: now() });
  for (let n = 1; n <= 60; n++) add('organisation', { name: `Organisation ${String(n).padStart(2, '0')}`, org_type: 'ngo', country: 'pk' });
}

async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  const r = (args.request ?? {}) as Record<string, any>;
  await new Promise((res) => setTimeout(res, 60));
  if (!['app_status', 'save_settings', 'create_vault', 'unlock_vault', 'lock_vault', 'note_activity'].includes(cmd) && !unlocked) fail('locked', 'the vault is locked');
  switch (cmd) {
    case 'note_activity':
    case 'copy_to_clipboard':
      return null;
    case 'app_status':
      return { unlocked, vaultPath: '/home/defender/.local/share/gawahi/vault', vaultExists, settings };
    case 'save_settings':
      settings = { ...settings, language: r.language, autoLockMinutes: r.autoLockMinutes, camouflage: r.camouflage ?? settings.camouflage };
      return settings;
    case 'create_vault':
      await new Promise((res) => setTimeout(res, 300));
      await emit('vault-progress', { stage: 'deriving' });
      await new Promise((res) => setTimeout(res, 600));
      vaultExists = true;
      unlocked = true;
      return { path: r.path };
    case 'unlock_vault':
      await new Promise((res) => setTimeout(res, 500));
      if (r.passphrase !== PASSPHRASE) fail('wrong_passphrase', 'wrong passphrase');
      unlocked = true;
      return { path: r.path };
    case 'lock_vault':
      unlocked = false;
      return null;
    case 'change_passphrase':
      if (r.current !== PASSPHRASE) fail('wrong_passphrase', 'wrong passphrase');
      return null;
    case 'vocabularies':
      return vocabs;
    case 'dashboard': {
      const all = [...records.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
      const until = new Date(Date.parse(r.today) + 14 * 86400000).toISOString().slice(0, 10);
      return {
        counts: (['person', 'organisation', 'incident', 'threat', 'risk', 'case', 'hearing', 'referral', 'task'] as Kind[]).map((kind) => ({
          kind,
          count: all.filter((x) => x.kind === kind).length,
        })),
        activeThreats: all.filter((x) => x.kind === 'threat' && x.fields.status === 'active'),
        upcomingHearings: all
          .filter((x) => x.kind === 'hearing' && (x.fields.date as string) >= r.today && (x.fields.date as string) <= until)
          .map((h) => ({ hearing: h, case: summary(records.get(h.fields.case_id as string)!) })),
        openTasks: all.filter((x) => x.kind === 'task' && !x.fields.done),
        recentIncidents: all.filter((x) => x.kind === 'incident').slice(0, 10),
      };
    }
    case 'list_records': {
      const q = (r.query ?? '').toLowerCase();
      let items = [...records.values()].filter((x) => x.kind === r.kind).sort((a, b) => (a.id < b.id ? 1 : -1));
      const total = items.length;
      if (q) items = items.filter((x) => JSON.stringify(x.fields).toLowerCase().includes(q));
      if (r.after) items = items.filter((x) => x.id < r.after);
      items = items.slice(0, r.limit);
      return { items, nextAfter: items.length === r.limit ? items.at(-1)!.id : null, total };
    }
    case 'get_record': {
      const rec = records.get(r.id) ?? fail('record_not_found', `no record ${r.id}`);
      const parent = parentOf(rec);
      return {
        record: rec,
        links: links
          .filter((l) => l.from_id === rec.id || l.to_id === rec.id)
          .map((l) => ({ link: l, outgoing: l.from_id === rec.id, other: summary(records.get(l.from_id === rec.id ? l.to_id : l.from_id)!) })),
        parent: parent ? summary(records.get(parent)!) : null,
        children: [...records.values()].filter((x) => parentOf(x) === rec.id).map(summary),
      };
    }
    case 'add_record': {
      validate(r.kind, r.fields);
      const rec: Stored = { id: newId(), kind: r.kind, createdAt: now(), updatedAt: now(), ...labelOf(r.kind, r.fields), fields: r.fields };
      records.set(rec.id, rec);
      return rec;
    }
    case 'update_record': {
      const rec = records.get(r.id) ?? fail('record_not_found', `no record ${r.id}`);
      const fields = { ...rec.fields, ...r.fields };
      validate(rec.kind, fields);
      const next = { ...rec, fields, ...labelOf(rec.kind, fields), updatedAt: now() };
      records.set(rec.id, next);
      return next;
    }
    case 'delete_record': {
      const rec = records.get(r.id) ?? fail('record_not_found', `no record ${r.id}`);
      const children = [...records.values()].filter((x) => parentOf(x) === rec.id);
      if (children.length) fail('invalid_input', `this ${rec.kind} still has ${children.length} ${children[0].kind} record(s); delete them first`, null, 'has_dependents');
      records.delete(rec.id);
      return null;
    }
    case 'link_records': {
      const l: Link = { id: newId(), from_id: r.fromId, to_id: r.toId, role: r.role, created_at: now() };
      links.push(l);
      return l;
    }
    case 'unlink_records': {
      const i = links.findIndex((l) => l.id === r.linkId);
      if (i >= 0) links.splice(i, 1);
      return null;
    }
    case 'hearings_calendar':
      return [...records.values()]
        .filter((x) => x.kind === 'hearing' && (x.fields.date as string) >= r.from && (x.fields.date as string) <= r.to)
        .sort((a, b) => String(a.fields.date).localeCompare(String(b.fields.date)))
        .map((h) => ({ hearing: h, case: summary(records.get(h.fields.case_id as string)!) }));
    case 'case_timeline': {
      const c = records.get(r.caseId) ?? fail('record_not_found', 'no case');
      const events: { date: string; event: string; text: string | null; record_id: string }[] = [];
      if (c.fields.fir_date) events.push({ date: c.fields.fir_date as string, event: 'fir', text: (c.fields.fir_number as string) ?? null, record_id: c.id });
      for (const h of records.values()) {
        if (h.kind !== 'hearing' || h.fields.case_id !== c.id) continue;
        events.push({ date: h.fields.date as string, event: 'hearing', text: ((h.fields.outcome ?? h.fields.purpose) as string) ?? null, record_id: h.id });
        if (h.fields.next_date) events.push({ date: h.fields.next_date as string, event: 'next_date', text: null, record_id: h.id });
      }
      events.sort((a, b) => a.date.localeCompare(b.date) || a.event.localeCompare(b.event));
      return { events };
    }
    case 'plugin:dialog|open':
      return '/media/usb/gawahi-vault';
    default:
      fail('database', `mock: no command ${cmd}`);
  }
}

export function installMockBackend() {
  seed();
  mockIPC((cmd, args) => handle(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
}
