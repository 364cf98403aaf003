// A case's bail events and status history, as the window edits them: each list is kept in date
// order, and the case's at-a-glance fields (`bail`, `status`) follow the latest entry, so what
// the case says now agrees with its history. Pure functions, so that the rules are tested without
// a window; the dialogs send what they return as a merge patch (`update_record`), which replaces
// each list whole.
import { asciiDigits } from './dates';
import type { BailEvent } from '../bindings/BailEvent';
import type { BailEventKind } from '../bindings/BailEventKind';
import type { BailStatus } from '../bindings/BailStatus';
import type { StatusChange } from '../bindings/StatusChange';

/** The bail status at a glance that each kind of bail event leaves the case in. */
export const BAIL_AFTER: Record<BailEventKind, BailStatus> = {
  applied: 'applied',
  interim_granted: 'granted',
  confirmed: 'granted',
  granted: 'granted',
  // Interim bail recalled is a refusal to confirm it: the accused is no longer on bail.
  refused: 'refused',
  recalled: 'refused',
  cancelled: 'cancelled',
};

/**
 * `list` with `entry` put in place of the entry at `index` (or added, when `index` is `null`),
 * in date order. Entries of the same day keep the order they were recorded in, and an entry that
 * is added goes after those already there on its day.
 */
export function withEntry<T extends { on: string }>(list: readonly T[], index: number | null, entry: T): T[] {
  const rest = index === null ? [...list] : list.filter((_, i) => i !== index);
  const at = rest.findIndex((e) => e.on > entry.on);
  return at < 0 ? [...rest, entry] : [...rest.slice(0, at), entry, ...rest.slice(at)];
}

/** `list` without the entry at `index`. */
export function withoutEntry<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/**
 * The patch that stores `events` as the case's bail events. The bail status at a glance follows
 * the latest event; with no event left it is left as it was (it may have been set by hand).
 */
export function bailPatch(events: readonly BailEvent[]): Record<string, unknown> {
  const last = events.at(-1);
  return {
    bail_events: events.map(compactBail),
    ...(last?.event ? { bail: BAIL_AFTER[last.event] } : {}),
  };
}

/**
 * The patch that stores `history` as the case's status history; the case's status becomes the
 * latest entry's (none with no entry left), so the vault notes no change of its own beside it.
 */
export function statusPatch(history: readonly StatusChange[]): Record<string, unknown> {
  return { status_history: history.map((h) => ({ on: h.on, status: h.status })), status: history.at(-1)?.status ?? null };
}

/** A bail event without its empty fields, as the core writes it. */
function compactBail(e: BailEvent): Partial<BailEvent> {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null && v !== undefined && v !== '')) as Partial<BailEvent>;
}

/** The largest surety amount the window takes, in rupees: beyond any bond, and exact in JavaScript. */
export const MAX_SURETY_PKR = 1_000_000_000_000;

/**
 * A surety amount as typed: rupees in Latin or Urdu digits, with or without thousands separators
 * (`50,000`, `1,00,000`, `۵۰۰۰۰`) or a `Rs.` before it; `null` when empty, `undefined` when it is
 * not a whole number of rupees up to [`MAX_SURETY_PKR`].
 */
export function parseRupees(input: string): number | null | undefined {
  const s = asciiDigits(input.trim())
    .replace(/^(rs\.?|pkr|روپے)\s*/i, '')
    .replace(/\s*(rs\.?|pkr|روپے)$/i, '');
  if (s === '') return null;
  if (!/^\d{1,3}([,،٬ ]?\d{2,3})*$/.test(s)) return undefined;
  const n = Number(s.replace(/[,،٬ ]/g, ''));
  return Number.isSafeInteger(n) && n <= MAX_SURETY_PKR ? n : undefined;
}
