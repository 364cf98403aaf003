// The app's state between screens. Record data lives only here and in components, never in any
// web storage, and `dropSession` forgets all of it when the vault locks.
import type { Filters } from '../bindings/Filters';
import type { Kind } from '../bindings/Kind';
import type { Settings } from '../bindings/Settings';
import type { Vocabs } from './vocab';
import type { YearMonth } from './calendar';
import type { PagerState } from './pager';
import type { CauseListSpan } from './court';
import { bindLanguage, translate, type Lang } from './i18n';

export type Route =
  | { view: 'dashboard' }
  // A list, optionally filtered as the search screen was ("show these in the list").
  | { view: 'list'; kind: Kind; query?: string; filters?: Filters }
  | { view: 'detail'; id: string; kind?: Kind }
  | { view: 'edit'; kind: Kind; id?: string; preset?: Record<string, string> }
  | { view: 'calendar'; month?: YearMonth }
  | { view: 'causelist'; span?: CauseListSpan }
  | { view: 'settings' }
  // The vault's identity and contacts; sealing records into a bundle; receiving one.
  | { view: 'contacts'; preset?: { ageRecipient: string; signingKey: string } }
  | { view: 'seal'; id: string }
  | { view: 'receive' }
  // Statistics with charts; exports and reports (a case's dossier opens it with the case chosen).
  | { view: 'stats' }
  | { view: 'reports'; caseId?: string }
  // Search over every kind, with its facets.
  | { view: 'search'; query: string };

export type Screen = 'loading' | 'first-run' | 'unlock' | 'app';

export const ui = $state({
  lang: 'en' as Lang,
  screen: 'loading' as Screen,
  vaultPath: '',
  settings: { language: 'en', autoLockMinutes: 5, windowSize: null, camouflage: false } as Settings,
  /** Why the vault was locked, for the unlock screen: by the user, or after inactivity. */
  lockReason: null as null | 'idle' | 'locked',
  /** Async calls in flight; `<main aria-busy>` while above 0. */
  busy: 0,
});

bindLanguage(() => ui.lang);

export const session = $state({
  route: { view: 'dashboard' } as Route,
  history: [] as Route[],
});

/** Vocabularies of the open vault (not deeply reactive: they are replaced whole). */
export const vocab = $state({ map: new Map() as Vocabs, loaded: false });

/** What each list was showing, so that coming back from a record keeps the place. */
export const listMemory: Map<Kind, { query: string; filters: Filters; pager: PagerState }> = new Map();

/**
 * Switches the page to `lang`. The first screens' messages are always there; the app behind them
 * must have loaded the rest of the language's first (`loadCatalogue`), or it shows English, or
 * the bare key, until they are.
 */
export function setLanguage(lang: Lang) {
  ui.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ur' ? 'rtl' : 'ltr';
  document.title = translate(lang, 'app.name');
}

/**
 * A form with unsaved typing: whether it has any, and how to throw its draft away when the person
 * chooses to leave it. Every way off a screen (the sidebar, Cancel, Back, a link) goes through
 * `navigate` or `back`, which ask first while a form is edited.
 */
export type LeaveGuard = { dirty: () => boolean; discard: () => void };

let leaveGuard: LeaveGuard | null = null;

/** A move off the screen waiting for the person to confirm that the typing may be lost. */
export const leaving = $state({ pending: null as null | (() => void) });

/** Sets (or, with `null`, clears) the guard of the form on screen. */
export function guardLeaving(guard: LeaveGuard | null) {
  leaveGuard = guard;
}

/** Clears the guard only if it is still `guard` (a form unmounting after another took over). */
export function unguardLeaving(guard: LeaveGuard) {
  if (leaveGuard === guard) leaveGuard = null;
}

function guarded(go: () => void) {
  if (leaveGuard?.dirty()) leaving.pending = go;
  else go();
}

/** The person chose to leave the edited form: its draft goes, and so do they. */
export function confirmLeave() {
  const go = leaving.pending;
  leaving.pending = null;
  leaveGuard?.discard();
  leaveGuard = null;
  go?.();
}

/** The person chose to stay in the edited form. */
export function stayHere() {
  leaving.pending = null;
}

export function navigate(route: Route, opts: { replace?: boolean } = {}) {
  guarded(() => {
    if (!opts.replace) session.history = [...session.history.slice(-30), session.route];
    session.route = route;
  });
}

export function back(fallback: Route = { view: 'dashboard' }) {
  guarded(() => {
    const prev = session.history.at(-1);
    session.history = session.history.slice(0, -1);
    session.route = prev ?? fallback;
  });
}

/**
 * What to finish before the vault locks at the person's request (the open form saves its draft
 * into the vault); auto-lock needs nothing, as drafts are saved a moment after each change.
 */
export const beforeLock: { run: null | (() => Promise<void>) } = { run: null };

/** Forgets everything read from the vault. */
export function dropSession() {
  leaveGuard = null;
  leaving.pending = null;
  beforeLock.run = null;
  session.route = { view: 'dashboard' };
  session.history = [];
  vocab.map = new Map();
  vocab.loaded = false;
  listMemory.clear();
}
