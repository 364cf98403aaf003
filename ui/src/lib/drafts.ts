// Drafts of the form being edited, kept encrypted inside the vault (the core's `save_draft`), so
// that an auto-lock or a crash in the middle of typing loses nothing. One draft at a time, under
// one key: the form open last, with the screen it belongs to, so that unlocking returns there.
import type { Route } from './state.svelte';
import type { FormValues } from './schema';

/** The key of the one draft the window keeps. */
export const DRAFT_KEY = 'editor';

/** What a draft holds: the editor's screen and what was typed in it. */
export type EditorDraft = { route: Extract<Route, { view: 'edit' }>; values: FormValues };

/** A draft read back from the vault, if it has the shape the window saved (else nothing). */
export function asEditorDraft(body: unknown): EditorDraft | null {
  if (typeof body !== 'object' || body === null) return null;
  const { route, values } = body as Record<string, unknown>;
  if (typeof route !== 'object' || route === null || typeof values !== 'object' || values === null || Array.isArray(values)) return null;
  const r = route as Record<string, unknown>;
  if (r.view !== 'edit' || typeof r.kind !== 'string') return null;
  if (r.id !== undefined && typeof r.id !== 'string') return null;
  if (r.preset !== undefined && (typeof r.preset !== 'object' || r.preset === null)) return null;
  return { route: route as EditorDraft['route'], values: values as FormValues };
}

/** Whether the draft belongs to the editor of `kind` and record `id` (a new record: no id). */
export function draftIsFor(d: EditorDraft, kind: string, id: string | undefined): boolean {
  return d.route.kind === kind && (d.route.id ?? undefined) === id;
}
