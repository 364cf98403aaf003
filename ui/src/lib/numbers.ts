// Numbers written for a language. The messages fill numbers into their placeholders, so this is
// in the page's first chunk; it is apart from dates.ts, which only the app behind the unlock
// screen needs and which would otherwise come along whole.

// Building an Intl formatter loads locale data and costs far more than formatting with one, so
// formatters are made once per locale and options.
const formats = new Map<string, Intl.NumberFormat>();

/** The locale dates and numbers are written in for `lang`. */
export function localeOf(lang: string): string {
  return lang === 'ur' ? 'ur-PK' : 'en-GB';
}

/** A number formatter for `locale` and `options`, made once. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/**
 * A number written for `lang`: in Urdu with Urdu's own digits (۰–۹), as the Urdu window writes its
 * counts and dates, so that no screen mixes two sets of digits. CLDR's `ur-PK` writes Latin digits
 * by default, so the numbering system is named.
 */
export function formatNumber(n: number, lang: string, digits?: number): string {
  return numberFormat(lang === 'ur' ? 'ur-PK-u-nu-arabext' : localeOf(lang), digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}
