// Court casework in the window: which days a cause list covers, whether a hearing can have its
// outcome recorded, and how a deadline's nearness is said. Pure functions, so that the rules are
// tested without a window. (Typed days are read by `parseDayInput` in dates.ts.)
import { isDay, isoDay } from './dates';
import type { HearingStatus } from '../bindings/HearingStatus';

/** `day` moved by `n` days (`YYYY-MM-DD`, calendar arithmetic in UTC so no clock change shifts it). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export type CauseListSpan = 'today' | 'week';

/**
 * The days a cause list covers: today alone, or this week from Monday to Saturday (the courts'
 * working week in Pakistan), as `{ from, to }` for the `cause_list` command.
 */
export function causeListRange(today: string, span: CauseListSpan): { from: string; to: string } {
  if (span === 'today') return { from: today, to: today };
  const [y, m, d] = today.split('-').map(Number);
  const monday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const from = addDays(today, -monday);
  return { from, to: addDays(from, 5) };
}

/**
 * Whether "Record what happened" is offered on a hearing: it is dated today or before and is
 * still waiting for its outcome (scheduled, or stored without a status).
 */
export function canRecordOutcome(date: string | null | undefined, status: HearingStatus | null | undefined, today: string): boolean {
  if (!date || !isDay(date) || date > today) return false;
  return status === null || status === undefined || status === 'scheduled';
}

/** How near a deadline is, for its badge: overdue, due today, due soon (warned) or later. */
export type Nearness = 'overdue' | 'today' | 'soon' | 'later';

/** The nearness of a deadline `daysLeft` days away, warned `warnDays` ahead. */
export function nearness(daysLeft: number, warnDays: number): Nearness {
  if (daysLeft < 0) return 'overdue';
  if (daysLeft === 0) return 'today';
  return daysLeft <= warnDays ? 'soon' : 'later';
}

/** The statuses a hearing can be marked with once it has taken place, in the order offered. */
export const OUTCOME_STATUSES = ['adjourned', 'held', 'not_taken_up', 'decided'] as const satisfies readonly HearingStatus[];

/** Whether a status asks for the next date (a decided case has none). */
export function wantsNextDate(status: HearingStatus): boolean {
  return status !== 'decided';
}

