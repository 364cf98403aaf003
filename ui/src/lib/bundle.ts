// What the bundle screens share: an error in the person's language, sizes, and the words for a
// bundle's checks.
import type { BundleCheckCode } from '../bindings/BundleCheckCode';
import type { BundleOutcome } from '../bindings/BundleOutcome';
import { errorKey, reasonKey, toIpcError } from './errors';
import { hasKey, t, type MessageKey } from './i18n';
import { formatNumber } from './dates';

/** What went wrong, in the person's language: the reason of invalid input, else the code's message. */
export function errorText(e: unknown): string {
  const err = toIpcError(e);
  const why = err.code === 'invalid_input' ? reasonKey(err.reason) : null;
  return t(why ?? errorKey(err.code));
}

/** A size in bytes, as people read it (KB, MB, GB; digits in the language's own way). */
export function formatSize(bytes: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${formatNumber(n, lang, u === 0 ? 0 : 1)} ${units[u]}`;
}

/** The sentence for a check a bundle passed. */
export function passedCheckText(check: BundleCheckCode): string {
  const key = `check.${check}`;
  return hasKey(key) ? t(key) : check;
}

/** The sentence for the check a bundle failed. */
export function failedCheckText(outcome: Extract<BundleOutcome, { outcome: 'failed' }>): string {
  if (outcome.tooNew !== null) return t('checkFailed.tooNew');
  const c = outcome.check;
  if (c === 'file_hash' || c === 'missing_file') {
    return outcome.fileNumber === null ? t(`checkFailed.${c}_own`) : t(`checkFailed.${c}`, { number: outcome.fileNumber });
  }
  // Decryption problems speak to the person directly (`check.…`); the others say what failed.
  const failed = `checkFailed.${c}`;
  if (hasKey(failed)) return t(failed as MessageKey);
  const own = `check.${c}`;
  return hasKey(own) ? t(own as MessageKey) : t('check.other');
}

