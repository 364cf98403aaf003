// The messages beyond the first screens' are a chunk per language, which the page loads with the
// app behind the unlock screen (see i18n.ts); the tests get both loaded the same way first.
import { loadCatalogue } from '../src/lib/i18n';

await Promise.all([loadCatalogue('en'), loadCatalogue('ur')]);
