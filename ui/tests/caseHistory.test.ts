import { describe, expect, it } from 'vitest';
import { BAIL_AFTER, MAX_SURETY_PKR, bailPatch, parseRupees, statusPatch, withEntry, withoutEntry } from '../src/lib/caseHistory';
import { ENUMS } from '../src/lib/schema';
import type { BailEvent } from '../src/bindings/BailEvent';

const bail = (on: string, event: BailEvent['event'], extra: Partial<BailEvent> = {}): BailEvent => ({
  on,
  event,
  stage: null,
  court: null,
  surety_amount_pkr: null,
  surety: null,
  conditions: null,
  order: null,
  ...extra,
});

describe('a case history kept in date order', () => {
  it('adds an entry in its place by date, after those of its day', () => {
    const list = [
      { on: '2025-01-10', status: 'a' },
      { on: '2025-03-01', status: 'b' },
    ];
    expect(withEntry(list, null, { on: '2025-02-01', status: 'c' }).map((e) => e.status)).toEqual(['a', 'c', 'b']);
    expect(withEntry(list, null, { on: '2025-03-01', status: 'd' }).map((e) => e.status)).toEqual(['a', 'b', 'd']);
    expect(withEntry(list, null, { on: '2024-12-31', status: 'e' }).map((e) => e.status)).toEqual(['e', 'a', 'b']);
    expect(withEntry([], null, { on: '2025-01-01', status: 'f' })).toEqual([{ on: '2025-01-01', status: 'f' }]);
  });

  it('moves an edited entry to its new date and leaves the list it was given alone', () => {
    const list = [
      { on: '2025-01-10', status: 'a' },
      { on: '2025-03-01', status: 'b' },
    ];
    expect(withEntry(list, 0, { on: '2025-04-01', status: 'a2' })).toEqual([
      { on: '2025-03-01', status: 'b' },
      { on: '2025-04-01', status: 'a2' },
    ]);
    expect(withoutEntry(list, 1)).toEqual([{ on: '2025-01-10', status: 'a' }]);
    expect(list).toHaveLength(2);
  });
});

describe('bail', () => {
  it('maps every bail event to a bail status at a glance', () => {
    for (const k of ENUMS.bail_event) expect(ENUMS.bail, k).toContain(BAIL_AFTER[k]);
  });

  it('stores the events without empty fields, the status following the latest', () => {
    const events = [bail('2025-01-05', 'applied', { stage: 'pre_arrest' }), bail('2025-01-20', 'interim_granted', { surety_amount_pkr: 100000, surety: 'ضامن' })];
    expect(bailPatch(events)).toEqual({
      bail_events: [
        { on: '2025-01-05', event: 'applied', stage: 'pre_arrest' },
        { on: '2025-01-20', event: 'interim_granted', surety_amount_pkr: 100000, surety: 'ضامن' },
      ],
      bail: 'granted',
    });
    expect(bailPatch([...events, bail('2025-02-10', 'recalled')]).bail).toBe('refused');
    // With no event left, the bail status set by hand stays as it is.
    expect(bailPatch([])).toEqual({ bail_events: [] });
  });

  it('reads surety amounts as lawyers write them', () => {
    expect(parseRupees('')).toBeNull();
    expect(parseRupees('  ')).toBeNull();
    expect(parseRupees('100000')).toBe(100000);
    expect(parseRupees('1,00,000')).toBe(100000);
    expect(parseRupees('50,000')).toBe(50000);
    expect(parseRupees('Rs. 50,000')).toBe(50000);
    expect(parseRupees('۵۰۰۰۰')).toBe(50000);
    expect(parseRupees('۵۰٬۰۰۰ روپے')).toBe(50000);
    expect(parseRupees(String(MAX_SURETY_PKR))).toBe(MAX_SURETY_PKR);
  });

  it('fail: refuses amounts that are not whole rupees or too large', () => {
    for (const v of ['-5', '5.50', 'lots', '1e9', '0x10', '50,00,0', String(MAX_SURETY_PKR + 1), '9'.repeat(400), '5\u0000', '<b>5</b>']) {
      expect(parseRupees(v), v).toBeUndefined();
    }
  });
});

describe('status history', () => {
  it('makes the case’s status the latest entry’s, and none with no entry', () => {
    const history = [
      { on: '2025-01-01', status: 'under_investigation' },
      { on: '2025-02-01', status: 'on_trial' },
    ];
    expect(statusPatch(history)).toEqual({ status_history: history, status: 'on_trial' });
    expect(statusPatch(withoutEntry(history, 1))).toEqual({ status_history: [history[0]], status: 'under_investigation' });
    expect(statusPatch([])).toEqual({ status_history: [], status: null });
  });
});
