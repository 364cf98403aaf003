import { describe, expect, it } from 'vitest';
import { addDays, canRecordOutcome, causeListRange, nearness, wantsNextDate } from '../src/lib/court';

describe('court dates', () => {
  it('adds days across months, years and a leap day', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
  });

  it('a cause list covers today, or Monday to Saturday of this week', () => {
    expect(causeListRange('2026-11-30', 'today')).toEqual({ from: '2026-11-30', to: '2026-11-30' });
    // 30 November 2026 is a Monday; 6 December a Sunday, which belongs to the week before it.
    expect(causeListRange('2026-11-30', 'week')).toEqual({ from: '2026-11-30', to: '2026-12-05' });
    expect(causeListRange('2026-12-06', 'week')).toEqual({ from: '2026-11-30', to: '2026-12-05' });
    expect(causeListRange('2026-12-03', 'week')).toEqual({ from: '2026-11-30', to: '2026-12-05' });
  });

  it('offers to record what happened only on a past or today’s hearing still waiting for it', () => {
    expect(canRecordOutcome('2026-11-30', 'scheduled', '2026-11-30')).toBe(true);
    expect(canRecordOutcome('2026-11-01', null, '2026-11-30')).toBe(true);
    expect(canRecordOutcome('2026-12-01', 'scheduled', '2026-11-30')).toBe(false);
    expect(canRecordOutcome('2026-11-01', 'adjourned', '2026-11-30')).toBe(false);
    expect(canRecordOutcome('2026-11-01', 'decided', '2026-11-30')).toBe(false);
    expect(canRecordOutcome('', 'scheduled', '2026-11-30')).toBe(false);
    expect(canRecordOutcome('30/11/2026', 'scheduled', '2026-11-30')).toBe(false);
  });

  it('marks a deadline overdue, today, soon within the warning days, or later', () => {
    expect(nearness(-1, 14)).toBe('overdue');
    expect(nearness(0, 14)).toBe('today');
    expect(nearness(14, 14)).toBe('soon');
    expect(nearness(15, 14)).toBe('later');
  });

  it('asks for a next date unless the case was decided', () => {
    expect(wantsNextDate('adjourned')).toBe(true);
    expect(wantsNextDate('decided')).toBe(false);
  });
});

describe('times in Urdu', () => {
  it('are written on the 24-hour clock, with no Latin “AM” or “PM”', async () => {
    const { formatTimestamp, formatPartialDate } = await import('../src/lib/dates');
    const afternoon = '2026-11-30T15:45:00Z';
    for (const text of [formatTimestamp(afternoon, 'ur'), formatPartialDate('2026-11-30T15:45:00+05:00', 'exact', 'ur')]) {
      expect(text).not.toMatch(/AM|PM|[ap]\.m\./i);
    }
    expect(formatPartialDate('2026-11-30T15:45:00+05:00', 'exact', 'en')).toContain('15:45');
  });
});

describe('typed days', () => {
  it('reads day-first dates, ISO dates and Urdu digits', async () => {
    const { parseDayInput } = await import('../src/lib/dates');
    expect(parseDayInput('30/11/2026')).toBe('2026-11-30');
    expect(parseDayInput(' 3-1-2027 ')).toBe('2027-01-03');
    expect(parseDayInput('03.01.2027')).toBe('2027-01-03');
    expect(parseDayInput('2026-11-30')).toBe('2026-11-30');
    expect(parseDayInput('۳۰/۱۱/۲۰۲۶')).toBe('2026-11-30');
    expect(parseDayInput('29/02/2024')).toBe('2024-02-29');
  });

  it('refuses what is not a day of the calendar', async () => {
    const { parseDayInput } = await import('../src/lib/dates');
    for (const bad of ['', '31/11/2026', '29/02/2025', '11/30/2026', '2026-13-01', '30/11/26', '2026/11/30x', '<b>', '9'.repeat(10_000)]) {
      expect(parseDayInput(bad)).toBeNull();
    }
  });
});
