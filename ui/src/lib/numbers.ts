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

/** A number written for `lang`. */
export function formatNumber(n: number, lang: string, digits?: number): string {
  return numberFormat(localeOf(lang), digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}
