// The Urdu messages are a chunk the page loads before it switches to Urdu (see i18n.ts); the
// tests that check Urdu text get them loaded the same way first.
import { loadCatalogue } from '../src/lib/i18n';

await loadCatalogue('ur');
