// The hearings calendar's month grid: weeks start on Monday; the days of the previous and next
// months fill the first and last weeks.
import { dateFormat, dateLocaleOf, daysInMonth, isoDay, localeOf } from './dates';

export type CalendarDay = {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Day of the month, 1–31. */
  day: number;
  /** Whether the day belongs to the month shown. */
  inMonth: boolean;
};

export type YearMonth = { year: number; month: number };

/** 0 for Monday … 6 for Sunday. */
export function mondayIndex(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function addMonths(ym: YearMonth, n: number): YearMonth {
  const i = ym.year * 12 + (ym.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/** The first and last day of a month, for `hearings_calendar`. */
export function monthRange(ym: YearMonth): { from: string; to: string } {
  return { from: isoDay(ym.year, ym.month, 1), to: isoDay(ym.year, ym.month, daysInMonth(ym.year, ym.month)) };
}

/** The weeks (rows of 7 days, Monday first) that show a month. */
export function monthGrid(ym: YearMonth): CalendarDay[][] {
  const { year, month } = ym;
  const lead = mondayIndex(year, month, 1);
  const count = daysInMonth(year, month);
  const prev = addMonths(ym, -1);
  const next = addMonths(ym, 1);
  const prevCount = daysInMonth(prev.year, prev.month);
  const days: CalendarDay[] = [];
  for (let i = lead; i > 0; i--) {
    const d = prevCount - i + 1;
    days.push({ date: isoDay(prev.year, prev.month, d), day: d, inMonth: false });
  }
  for (let d = 1; d <= count; d++) days.push({ date: isoDay(year, month, d), day: d, inMonth: true });
  for (let d = 1; days.length % 7 !== 0; d++) days.push({ date: isoDay(next.year, next.month, d), day: d, inMonth: false });
  const weeks: CalendarDay[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return weeks;
}

/** The month's name and year in `lang` (`March 2024`, `مارچ ۲۰۲۴`). */
export function monthTitle(ym: YearMonth, lang: string): string {
  return dateFormat(dateLocaleOf(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(ym.year, ym.month - 1, 1)),
  );
}

/** Weekday names Monday to Sunday in `lang`: long for screen readers, short for the header. */
export function weekdayNames(lang: string, width: 'long' | 'short'): string[] {
  const f = dateFormat(localeOf(lang), { weekday: width, timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

export function yearMonthOf(day: string): YearMonth {
  return { year: +day.slice(0, 4), month: +day.slice(5, 7) };
}
