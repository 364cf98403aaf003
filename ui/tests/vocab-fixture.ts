// The shipped vocabularies (assets/vocab), as the `vocabularies` command would return them.
import type { VocabularyView } from '../src/bindings/VocabularyView';
import { vocabMap } from '../src/lib/vocab';

const files = import.meta.glob<{ name: string; entries: VocabularyView['entries'] }>('../../assets/vocab/*.json', {
  eager: true,
  import: 'default',
});

export const shipped: VocabularyView[] = Object.values(files).map((f) => ({
  name: f.name,
  entries: f.entries.map((e) => ({ ...e, parent: e.parent ?? null, extra: e.extra ?? {} })),
}));

export const vocabs = vocabMap(shipped);
