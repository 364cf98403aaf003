// Dates as the core keeps them (crates/gawahi-core/src/date.rs): a partial date's shape states
// its precision — `2024-03-05T14:30:00+05:00` exact, `2024-03-05` day, `2024-03` month,
// `2024` year, absent unknown. Plain dates are `YYYY-MM-DD`.
import type { Precision } from '../bindings/Precision';
import { localeOf, numberFormat } from './numbers';

export { formatNumber, localeOf } from './numbers';

// Building an Intl formatter loads locale data and costs far more than formatting with one; a
// list page formats a hundred dates, so formatters are made once per locale and options.
// (Number formatters are kept the same way in numbers.ts.)
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

export const PRECISIONS: readonly Precision[] = ['exact', 'day', 'month', 'year', 'unknown'];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^\d{4}$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** What a person types for an exact moment: a day and a time, without an offset. */
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Whether `value` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  return !!m && validDay(+m[1], +m[2], +m[3]);
}

function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [h, min, s] = [+m[4], +m[5], +m[6]];
  if (!validDay(+m[1], +m[2], +m[3]) || h > 23 || min > 59 || s > 60) return false;
  if (m[8].length === 6) {
    const [oh, om] = m[8].slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return false;
  }
  return true;
}

/** The precision a date string's shape implies, or `null` if it has no valid shape (as the core). */
export function precisionOf(value: string): Precision | null {
  if (isRfc3339(value)) return 'exact';
  if (value.length === 10 && isDay(value)) return 'day';
  const m = MONTH.exec(value);
  if (m && value.length === 7 && +m[2] >= 1 && +m[2] <= 12) return 'month';
  if (YEAR.test(value)) return 'year';
  return null;
}

/**
 * The placeholder that shows the shape a precision expects. In Urdu, an example in digits:
 * "YYYY-MM-DD" would be English on an Urdu screen.
 */
export function placeholderFor(p: Precision, lang: string = 'en'): string {
  // Day first, as Pakistani courts write dates (the ISO shapes are taken too).
  if (lang === 'ur') return { exact: '05/03/2024 14:30', day: '05/03/2024', month: '03/2024', year: '2024', unknown: '' }[p];
  switch (p) {
    case 'exact':
      return 'DD/MM/YYYY HH:MM';
    case 'day':
      return 'DD/MM/YYYY';
    case 'month':
      return 'MM/YYYY';
    case 'year':
      return 'YYYY';
    case 'unknown':
      return '';
  }
}

/** The longest text a precision's input takes. */
export function maxLengthFor(p: Precision): number {
  return { exact: 32, day: 10, month: 7, year: 4, unknown: 0 }[p];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `+05:00` for an offset of 300 minutes east of UTC (the opposite sign of `getTimezoneOffset`). */
export function formatOffset(minutesEast: number): string {
  if (minutesEast === 0) return '+00:00';
  const sign = minutesEast < 0 ? '-' : '+';
  const a = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** The local UTC offset, in minutes east, on the given day and time (DST-aware). */
export function localOffsetMinutes(y: number, mo: number, d: number, h: number, mi: number): number {
  return -new Date(y, mo - 1, d, h, mi).getTimezoneOffset();
}

/**
 * An exact moment as typed (`2024-03-05 14:30`, `2024-03-05T14:30:15`) turned into RFC 3339 with
 * the given offset (the user's local one by default); an RFC 3339 value is returned as it is.
 * `null` if it is neither.
 */
export function normaliseExact(value: string, offsetMinutes?: number): string | null {
  const v = value.trim();
  if (isRfc3339(v)) return v;
  const m = LOCAL_DATETIME.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0];
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const off = offsetMinutes ?? localOffsetMinutes(y, mo, d, h, mi);
  return `${m[1]}-${m[2]}-${m[3]}T${pad(h)}:${m[5]}:${pad(s)}${formatOffset(off)}`;
}

/** How an exact RFC 3339 value is shown for editing: `2024-03-05 14:30` (its own offset kept aside). */
export function exactForInput(value: string): string {
  const m = RFC3339.exec(value);
  if (!m) return value;
  const secs = m[6] === '00' ? '' : `:${m[6]}`;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}${secs}`;
}

/** The offset part of an RFC 3339 value (`+05:00`), in minutes east; `null` if none. */
export function offsetOf(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  if (m[8] === 'Z' || m[8] === 'z') return 0;
  const sign = m[8][0] === '-' ? -1 : 1;
  const [oh, om] = m[8].slice(1).split(':').map(Number);
  return sign * (oh * 60 + om);
}

/**
 * What an input holding `value` should hold after its precision is changed to `to`: a longer
 * date is cut down (`2024-03-05` → `2024-03` for month); a shorter one is kept for the person to
 * complete; `unknown` empties it.
 */
export function adaptToPrecision(value: string, to: Precision): string {
  const v = normalisePartialInput(value);
  if (to === 'unknown') return '';
  const digits = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(v);
  if (!digits) return v;
  const [, y, m, d] = digits;
  switch (to) {
    case 'year':
      return y;
    case 'month':
      return m ? `${y}-${m}` : v;
    case 'day':
      return m && d ? `${y}-${m}-${d}` : v;
    case 'exact':
      if (precisionOf(v) === 'exact' || LOCAL_DATETIME.test(v)) return v;
      return m && d ? `${y}-${m}-${d} ` : v;
  }
}

/**
 * A partial date as lawyers type it, in the core's shape: day first (`05/03/2024`, `5-3-2024`,
 * `05.03.2024 14:30`) becomes `2024-03-05…`, a month and year (`03/2024`) becomes `2024-03`, and
 * Urdu digits become Latin ones. Anything else is returned trimmed, for the checks to name.
 */
export function normalisePartialInput(input: string): string {
  const s = asciiDigits(input.trim());
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(\s.*)?$/.exec(s);
  if (m) return `${m[3]}-${pad(+m[2])}-${pad(+m[1])}${m[4] ?? ''}`;
  m = /^(\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return `${m[2]}-${pad(+m[1])}`;
  return s;
}

/** The result of checking a partial date as typed against its precision. */
export type PartialDateCheck =
  | { ok: true; value: string | null; precision: Precision }
  | { ok: false; error: 'shape' | 'mismatch' | 'missing' };

/**
 * Checks a partial date as typed with the precision chosen, and gives the pair to store
 * (exact moments normalised to RFC 3339 with the local offset, or `keepOffset`).
 */
export function checkPartialDate(input: string, precision: Precision, keepOffset?: number | null): PartialDateCheck {
  const v = normalisePartialInput(input);
  if (v === '') {
    return precision === 'unknown' ? { ok: true, value: null, precision: 'unknown' } : { ok: false, error: 'missing' };
  }
  if (precision === 'unknown') return { ok: true, value: null, precision: 'unknown' };
  if (precision === 'exact') {
    const n = normaliseExact(v, keepOffset ?? undefined);
    if (n) return { ok: true, value: n, precision: 'exact' };
    return { ok: false, error: precisionOf(v) ? 'mismatch' : 'shape' };
  }
  const shape = precisionOf(v);
  if (!shape) return { ok: false, error: LOCAL_DATETIME.test(v) ? 'mismatch' : 'shape' };
  if (shape !== precision) return { ok: false, error: 'mismatch' };
  return { ok: true, value: v, precision };
}

/** The precision a typed value has, if it is complete (`2024-03` → month). */
export function inferPrecision(input: string): Precision | null {
  const v = normalisePartialInput(input);
  if (LOCAL_DATETIME.test(v) && normaliseExact(v, 0)) return 'exact';
  return precisionOf(v);
}

const RANK: Record<Precision, number> = { unknown: 0, year: 1, month: 2, day: 3, exact: 4 };

/**
 * The precision to show after a person typed `input` while `current` was chosen: emptied → unknown;
 * a complete value more precise than `current` (or any, while unknown) → its precision; otherwise
 * `current` stays (a value being typed, or shortened on purpose, never lowers a chosen precision).
 */
export function precisionAfterTyping(input: string, current: Precision): Precision {
  if (input.trim() === '') return 'unknown';
  const p = inferPrecision(input);
  if (p && RANK[p] > RANK[current]) return p;
  return current;
}

/** Today in the user's time zone, `YYYY-MM-DD`. */
export function localToday(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `YYYY-MM-DD` of a year, month (1–12) and day. */
export function isoDay(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}


/**
 * The locale dates are written in for `lang`: in Urdu with Urdu's own digits (`۵ مارچ ۲۰۲۴`), as the
 * Urdu window writes its counts (`numberLocaleOf`), so a row's date and the count above it agree.
 */
export function dateLocaleOf(lang: string): string {
  return numberLocaleOf(lang);
}

/** A plain day, `YYYY-MM-DD`, written for people in `lang` (`5 March 2024`, `۵ مارچ ۲۰۲۴`). */
export function formatDay(value: string, lang: string): string {
  if (!isDay(value)) return value;
  const [y, m, d] = value.split('-').map(Number);
  return dateFormat(dateLocaleOf(lang), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A partial date written for people in `lang`, as precise as it is known and no more. */
export function formatPartialDate(value: string | null | undefined, precision: Precision | null | undefined, lang: string): string {
  if (!value) return '';
  const p = precision && precision !== 'unknown' ? precision : precisionOf(value);
  const loc = dateLocaleOf(lang);
  switch (p) {
    case 'year':
      return dateFormat(loc, { year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(+value.slice(0, 4), 0, 1)));
    case 'month': {
      const [y, m] = value.split('-').map(Number);
      return dateFormat(loc, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
    }
    case 'day':
      return formatDay(value.slice(0, 10), lang);
    case 'exact': {
      // Shown as the wall-clock time where it was recorded, with that offset.
      const m = RFC3339.exec(value);
      if (!m) return value;
      const shown = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
      const text = dateFormat(loc, {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
      }).format(shown);
      const off = m[8].toUpperCase() === 'Z' ? 'UTC' : `UTC${m[8]}`;
      return `${text} (${off})`;
    }
    default:
      return value;
  }
}

/** An RFC 3339 timestamp (created/updated) in the user's zone, written for `lang`. */
export function formatTimestamp(value: string, lang: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  // The 24-hour clock in both languages: Urdu's 12-hour clock writes the Latin "AM"/"PM".
  return dateFormat(dateLocaleOf(lang), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(d);
}

/**
 * The locale counts and months are written in where figures are read (the search screen's facets,
 * statistics and charts): for Urdu, with Urdu's own digits (۰–۹, as the Urdu messages write
 * them). CLDR's `ur-PK` writes Latin digits by default, so the numbering system is named.
 */
export function numberLocaleOf(lang: string): string {
  return lang === 'ur' ? 'ur-PK-u-nu-arabext' : localeOf(lang);
}

/** A count as the figures' screens write it: `1,234`, or in Urdu `۱٬۲۳۴`. */
export function formatCount(n: number, lang: string): string {
  return numberFormat(numberLocaleOf(lang), {}).format(n);
}

/** A month, `YYYY-MM`, by its name and year in `lang`'s own digits (`March 2024`, `مارچ ۲۰۲۴`). */
export function formatMonth(value: string, lang: string): string {
  if (!MONTH.test(value)) return value;
  const [y, m] = value.split('-').map(Number);
  if (m < 1 || m > 12) return value;
  return dateFormat(numberLocaleOf(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Eastern Arabic and Urdu digits (۰–۹, ٠–٩) as ASCII, for what people type. */
export function asciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x06f0)).replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660));
}

/** A day, `YYYY-MM-DD`, as the day fields show it for typing: day first, `05/03/2024`. */
export function dayForInput(value: string): string {
  if (!isDay(value)) return '';
  const [y, m, d] = value.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * A day as lawyers type it, as `YYYY-MM-DD`: `30/11/2026`, `30-11-2026`, `30.11.2026` (day first,
 * as Pakistani courts write dates), `2026-11-30`, in Latin or Urdu digits; `null` if it is not a
 * day of the calendar.
 */
export function parseDayInput(input: string): string | null {
  const s = asciiDigits(input.trim());
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let day: string | null = null;
  if (m) day = isoDay(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) day = isoDay(+m[3], +m[2], +m[1]);
  return day && isDay(day) ? day : null;
}

/**
 * Whether a range of partial dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`; empty for no bound) holds
 * no day: its From after the whole of its To. A year or a month as To takes all of it, as the
 * vault's filters do (`2024-03` to `2024` is a range).
 */
export function isEmptyRange(from: string, to: string): boolean {
  return from !== '' && to !== '' && from > `${to}~`;
}
