// The app's state between screens. Record data lives only here and in components, never in any
// web storage, and `dropSession` forgets all of it when the vault locks.
import type { Kind } from '../bindings/Kind';
import type { Settings } from '../bindings/Settings';
import type { Vocabs } from './vocab';
import type { YearMonth } from './calendar';
import type { PagerState } from './pager';
import type { CauseListSpan } from './court';
import { bindLanguage, translate, type Lang } from './i18n';

export type Route =
  | { view: 'dashboard' }
  | { view: 'list'; kind: Kind }
  | { view: 'detail'; id: string; kind?: Kind }
  | { view: 'edit'; kind: Kind; id?: string; preset?: Record<string, string> }
  | { view: 'calendar'; month?: YearMonth }
  | { view: 'causelist'; span?: CauseListSpan }
  | { view: 'settings' };

export type Screen = 'loading' | 'first-run' | 'unlock' | 'app';

export const ui = $state({
  lang: 'en' as Lang,
  screen: 'loading' as Screen,
  vaultPath: '',
  settings: { language: 'en', autoLockMinutes: 5, lastVaultPath: null } as Settings,
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
export const listMemory: Map<Kind, { query: string; pager: PagerState }> = new Map();

export function setLanguage(lang: Lang) {
  ui.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ur' ? 'rtl' : 'ltr';
  document.title = translate(lang, 'app.name');
}

export function navigate(route: Route, opts: { replace?: boolean } = {}) {
  if (!opts.replace) session.history = [...session.history.slice(-30), session.route];
  session.route = route;
}

export function back(fallback: Route = { view: 'dashboard' }) {
  const prev = session.history.at(-1);
  session.history = session.history.slice(0, -1);
  session.route = prev ?? fallback;
}

/** Forgets everything read from the vault. */
export function dropSession() {
  session.route = { view: 'dashboard' };
  session.history = [];
  vocab.map = new Map();
  vocab.loaded = false;
  listMemory.clear();
}
