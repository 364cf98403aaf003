// The text of a field error: a translated message, or the vault's own words when the UI has no
// translation for them.
import { t } from './i18n';
import type { FieldError } from './schema';

export function fieldErrorText(e: FieldError): string {
  return 'raw' in e ? e.raw : t(e.key, e.params);
}
