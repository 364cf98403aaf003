// What the passphrase form shows while the vault key is replaced, and what it says afterwards.
import type { MessageKey } from './i18n';

/** The progress bar and its caption for one `vault-progress` fraction of the `rotating` stage. */
export type RotationView = {
  /** The bar's value from 0 to 1; `null` while nothing is known yet (an indeterminate bar). */
  value: number | null;
  /** Whole percent copied, never 100 before the copy is whole; `null` with `value`. */
  percent: number | null;
  /** The records are copied; what is left is sealing the new key (a few seconds). */
  finishing: boolean;
};

export function rotationView(fraction: number | null | undefined): RotationView {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) {
    return { value: null, percent: null, finishing: false };
  }
  const value = Math.min(1, Math.max(0, fraction));
  return { value, percent: Math.floor(value * 100), finishing: value >= 1 };
}

/** What a finished change says: only the truth of what was done. */
export function changedMessage(rotated: boolean): MessageKey {
  return rotated ? 'settings.rotated' : 'settings.changed';
}
