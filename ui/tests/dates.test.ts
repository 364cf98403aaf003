import { describe, expect, it } from 'vitest';
import {
  adaptToPrecision,
  checkPartialDate,
  daysInMonth,
  dayForInput,
  exactForInput,
  formatDay,
  formatNumber,
  formatOffset,
  formatPartialDate,
  formatTimestamp,
  isDay,
  isEmptyRange,
  localToday,
  normaliseExact,
  offsetOf,
  parseDayInput,
  precisionAfterTyping,
  precisionOf,
} from '../src/lib/dates';

describe('precision from a date’s shape (as the core)', () => {
  it('reads each shape', () => {
    expect(precisionOf('2024-03-05T14:30:00+05:00')).toBe('exact');
    expect(precisionOf('2024-03-05T09:30:00Z')).toBe('exact');
    expect(precisionOf('2024-03-05')).toBe('day');
    expect(precisionOf('2024-03')).toBe('month');
    expect(precisionOf('2024')).toBe('year');
  });

  it('rejects what is not a date', () => {
    for (const v of ['2024-13', '2024-02-30', 'last spring', '24', '2024-3-5', '2024-03-05T25:00:00Z', '']) {
      expect(precisionOf(v), v).toBeNull();
    }
  });

  it('knows leap years', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2023-02-29')).toBe(false);
    expect(isDay('2000-02-29')).toBe(true);
    expect(isDay('1900-02-29')).toBe(false);
    expect(daysInMonth(2024, 2)).toBe(29);
  });
});

describe('typing dates', () => {
  it('turns a typed moment into RFC 3339 with the offset', () => {
    expect(normaliseExact('2024-03-05 14:30', 300)).toBe('2024-03-05T14:30:00+05:00');
    expect(normaliseExact('2024-03-05T14:30:15', -90)).toBe('2024-03-05T14:30:15-01:30');
    expect(normaliseExact('2024-03-05T14:30:00+05:00')).toBe('2024-03-05T14:30:00+05:00');
    expect(normaliseExact('2024-03-05 25:30', 0)).toBeNull();
    expect(formatOffset(0)).toBe('+00:00');
    expect(offsetOf('2024-03-05T14:30:00+05:00')).toBe(300);
    expect(exactForInput('2024-03-05T14:30:00+05:00')).toBe('2024-03-05 14:30');
  });

  it('checks a date against its precision', () => {
    expect(checkPartialDate('2024-03', 'month')).toEqual({ ok: true, value: '2024-03', precision: 'month' });
    expect(checkPartialDate('', 'unknown')).toEqual({ ok: true, value: null, precision: 'unknown' });
    expect(checkPartialDate('2024-03', 'day')).toEqual({ ok: false, error: 'mismatch' });
    expect(checkPartialDate('', 'year')).toEqual({ ok: false, error: 'missing' });
    expect(checkPartialDate('March', 'month')).toEqual({ ok: false, error: 'shape' });
    expect(checkPartialDate('2024-03-05 14:30', 'exact', 300)).toEqual({ ok: true, value: '2024-03-05T14:30:00+05:00', precision: 'exact' });
    expect(checkPartialDate('2024-03-05', 'exact')).toEqual({ ok: false, error: 'mismatch' });
  });

  it('takes partial dates typed day first, month and year, or in Urdu digits, precision kept', () => {
    expect(checkPartialDate('05/03/2024', 'day')).toEqual({ ok: true, value: '2024-03-05', precision: 'day' });
    expect(checkPartialDate('5-3-2024', 'day')).toEqual({ ok: true, value: '2024-03-05', precision: 'day' });
    expect(checkPartialDate('۰۵/۰۳/۲۰۲۴', 'day')).toEqual({ ok: true, value: '2024-03-05', precision: 'day' });
    expect(checkPartialDate('03/2024', 'month')).toEqual({ ok: true, value: '2024-03', precision: 'month' });
    expect(checkPartialDate('05.03.2024 14:30', 'exact', 300)).toEqual({ ok: true, value: '2024-03-05T14:30:00+05:00', precision: 'exact' });
    // The precision is the person's: a day typed for a month is a mismatch, not a silent cut.
    expect(checkPartialDate('05/03/2024', 'month')).toEqual({ ok: false, error: 'mismatch' });
    expect(precisionAfterTyping('05/03/2024', 'unknown')).toBe('day');
    expect(precisionAfterTyping('03/2024', 'year')).toBe('month');
    expect(adaptToPrecision('05/03/2024', 'month')).toBe('2024-03');
  });

  it('fail: refuses day-first dates that are not days of the calendar', () => {
    for (const v of ['31/02/2024', '00/03/2024', '05/13/2024', '13/2024', '5/3/24', '05/03/2024<b>', '05/03/2024\u0000']) {
      const r = checkPartialDate(v, 'day');
      expect(r.ok, v).toBe(false);
    }
    expect(checkPartialDate('13/2024', 'month')).toEqual({ ok: false, error: 'shape' });
  });

  it('adapts the input when the precision changes', () => {
    expect(adaptToPrecision('2024-03-05', 'month')).toBe('2024-03');
    expect(adaptToPrecision('2024-03-05', 'year')).toBe('2024');
    expect(adaptToPrecision('2024-03-05 14:30', 'day')).toBe('2024-03-05');
    expect(adaptToPrecision('2024', 'day')).toBe('2024');
    expect(adaptToPrecision('2024-03', 'unknown')).toBe('');
    expect(adaptToPrecision('2024-03-05', 'exact')).toBe('2024-03-05 ');
  });

  it('follows the typing up to the precision typed, never down', () => {
    expect(precisionAfterTyping('2024', 'unknown')).toBe('year');
    expect(precisionAfterTyping('2024-03', 'year')).toBe('month');
    expect(precisionAfterTyping('2024-03-05', 'month')).toBe('day');
    expect(precisionAfterTyping('2024-03-05 14:30', 'day')).toBe('exact');
    expect(precisionAfterTyping('2024-03-05', 'exact')).toBe('exact');
    expect(precisionAfterTyping('2024-0', 'year')).toBe('year');
    expect(precisionAfterTyping('', 'day')).toBe('unknown');
  });
});

describe('formatting for the language', () => {
  it('writes days and partial dates in English', () => {
    expect(formatDay('2024-03-05', 'en')).toBe('5 March 2024');
    expect(formatPartialDate('2024-03', 'month', 'en')).toBe('March 2024');
    expect(formatPartialDate('2024', 'year', 'en')).toBe('2024');
    expect(formatPartialDate('2024-03-05T14:30:00+05:00', 'exact', 'en')).toBe('5 March 2024 at 14:30 (UTC+05:00)');
    expect(formatPartialDate(null, 'unknown', 'en')).toBe('');
  });

  it('writes days and numbers in Urdu', () => {
    expect(formatDay('2024-03-05', 'ur')).toContain('مارچ');
    expect(formatPartialDate('2024-03', 'month', 'ur')).toContain('مارچ');
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatNumber(2.5, 'en', 1)).toBe('2.5');
    expect(formatNumber(1234, 'ur')).toMatch(/^۱.?۲۳۴$/);
    expect(formatNumber(2.5, 'ur', 1)).toMatch(/^۲.۵$/);
  });

  it('writes Urdu dates in Urdu digits, as the Urdu window writes its counts', () => {
    const shown = [
      formatDay('2024-03-05', 'ur'),
      formatPartialDate('2024-03', 'month', 'ur'),
      formatPartialDate('2024', 'year', 'ur'),
      formatPartialDate('2024-03-05T14:30:00+05:00', 'exact', 'ur').replace(/\(UTC.*\)/, ''),
      formatTimestamp('2024-03-05T09:30:00Z', 'ur'),
    ];
    for (const text of shown) {
      expect(text, text).toMatch(/[۰-۹]/);
      expect(text, text).not.toMatch(/[0-9]/);
    }
    expect(formatDay('2024-03-05', 'ur')).toContain('۲۰۲۴');
    expect(formatDay('2024-03-05', 'ur')).toContain('۵');
    // English keeps its digits, day first.
    expect(formatDay('2024-03-05', 'en')).toBe('5 March 2024');
  });

  it('puts a day into a typed field day first, and reads it back', () => {
    expect(dayForInput('2024-03-05')).toBe('05/03/2024');
    expect(parseDayInput(dayForInput('2024-03-05'))).toBe('2024-03-05');
    expect(dayForInput('')).toBe('');
    expect(dayForInput('2024-03')).toBe('');
    // Typed in Urdu digits, day first.
    expect(parseDayInput('۰۵/۰۳/۲۰۲۴')).toBe('2024-03-05');
    expect(parseDayInput('13/13/2024')).toBeNull();
  });

  it('gives today in the local zone', () => {
    expect(localToday(new Date(2024, 0, 9, 23, 59))).toBe('2024-01-09');
  });
});

describe('isEmptyRange', () => {
  it('holds no day only when From is after the whole of To', () => {
    expect(isEmptyRange('2024-03-06', '2024-03-05')).toBe(true);
    expect(isEmptyRange('2025', '2024')).toBe(true);
    expect(isEmptyRange('2024-03-05', '2024-03-05')).toBe(false);
    expect(isEmptyRange('2024-03', '2024')).toBe(false);
    expect(isEmptyRange('2024-12-31', '2024-12')).toBe(false);
    expect(isEmptyRange('2025-01', '2024-12')).toBe(true);
    expect(isEmptyRange('', '2024')).toBe(false);
    expect(isEmptyRange('2024', '')).toBe(false);
  });
});
