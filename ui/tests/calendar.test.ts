import { describe, expect, it } from 'vitest';
import { addMonths, monthGrid, monthRange, monthTitle, mondayIndex, weekdayNames } from '../src/lib/calendar';

describe('month grid', () => {
  it('starts weeks on Monday with the previous month’s days before the 1st', () => {
    // 1 March 2024 was a Friday.
    const weeks = monthGrid({ year: 2024, month: 3 });
    expect(weeks[0].map((d) => d.date)).toEqual([
      '2024-02-26',
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
      '2024-03-03',
    ]);
    expect(weeks[0].map((d) => d.inMonth)).toEqual([false, false, false, false, true, true, true]);
    // 31 March 2024 was a Sunday: no trailing days.
    expect(weeks.at(-1)!.at(-1)).toEqual({ date: '2024-03-31', day: 31, inMonth: true });
    expect(weeks).toHaveLength(5);
  });

  it('fills the last week with the next month’s days', () => {
    // 30 April 2024 was a Tuesday.
    const weeks = monthGrid({ year: 2024, month: 4 });
    expect(weeks[0][0].date).toBe('2024-04-01'); // a Monday: no leading days
    expect(weeks.at(-1)!.map((d) => d.date)).toEqual([
      '2024-04-29',
      '2024-04-30',
      '2024-05-01',
      '2024-05-02',
      '2024-05-03',
      '2024-05-04',
      '2024-05-05',
    ]);
  });

  it('knows leap years', () => {
    const leap = monthGrid({ year: 2024, month: 2 }).flat().filter((d) => d.inMonth);
    expect(leap).toHaveLength(29);
    expect(monthGrid({ year: 2023, month: 2 }).flat().filter((d) => d.inMonth)).toHaveLength(28);
    expect(monthGrid({ year: 1900, month: 2 }).flat().filter((d) => d.inMonth)).toHaveLength(28);
    expect(monthGrid({ year: 2000, month: 2 }).flat().filter((d) => d.inMonth)).toHaveLength(29);
    // February 2021 started on a Monday and had exactly four weeks.
    expect(monthGrid({ year: 2021, month: 2 })).toHaveLength(4);
  });

  it('needs six rows for a long month that starts late in the week', () => {
    // 1 September 2024 was a Sunday.
    const weeks = monthGrid({ year: 2024, month: 9 });
    expect(weeks).toHaveLength(6);
    expect(weeks[0].filter((d) => !d.inMonth)).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });

  it('crosses years', () => {
    expect(monthGrid({ year: 2025, month: 1 })[0][0].date).toBe('2024-12-30');
    expect(addMonths({ year: 2024, month: 12 }, 1)).toEqual({ year: 2025, month: 1 });
    expect(addMonths({ year: 2024, month: 1 }, -1)).toEqual({ year: 2023, month: 12 });
    expect(addMonths({ year: 2024, month: 5 }, -17)).toEqual({ year: 2022, month: 12 });
  });

  it('asks for the first to the last day of the month', () => {
    expect(monthRange({ year: 2024, month: 2 })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange({ year: 2023, month: 11 })).toEqual({ from: '2023-11-01', to: '2023-11-30' });
  });

  it('names months and weekdays in the language', () => {
    expect(monthTitle({ year: 2024, month: 3 }, 'en')).toBe('March 2024');
    expect(monthTitle({ year: 2024, month: 3 }, 'ur')).toContain('مارچ');
    expect(weekdayNames('en', 'long')[0]).toBe('Monday');
    expect(weekdayNames('en', 'long')[6]).toBe('Sunday');
    expect(weekdayNames('ur', 'long')[0]).toMatch(/[\u0600-\u06FF]/);
    expect(mondayIndex(2024, 3, 1)).toBe(4);
  });
});
