import { describe, expect, it } from 'vitest';
import { asEditorDraft, draftIsFor } from '../src/lib/drafts';

describe('drafts', () => {
  it('reads back a draft of the shape the editor saves', () => {
    const d = asEditorDraft({ route: { view: 'edit', kind: 'case', id: 'r1' }, values: { title: 'x' } });
    expect(d).not.toBeNull();
    expect(draftIsFor(d!, 'case', 'r1')).toBe(true);
    expect(draftIsFor(d!, 'case', undefined)).toBe(false);
    expect(draftIsFor(d!, 'incident', 'r1')).toBe(false);
  });

  it('a new record’s draft belongs to the new-record editor of its kind only', () => {
    const d = asEditorDraft({ route: { view: 'edit', kind: 'hearing', preset: { case_id: 'c' } }, values: {} });
    expect(draftIsFor(d!, 'hearing', undefined)).toBe(true);
    expect(draftIsFor(d!, 'hearing', 'h1')).toBe(false);
  });

  it('refuses anything else rather than opening a broken screen', () => {
    for (const bad of [null, 'x', 42, [], {}, { route: { view: 'detail', id: 'a' }, values: {} }, { route: { view: 'edit' }, values: {} },
      { route: { view: 'edit', kind: 'case', id: 7 }, values: {} }, { route: { view: 'edit', kind: 'case' }, values: [] },
      { route: { view: 'edit', kind: 'case', preset: 'x' }, values: {} }]) {
      expect(asEditorDraft(bad)).toBeNull();
    }
  });
});
