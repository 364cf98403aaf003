// Run at build time only (build/firstScreens.ts loads it through Vite's server-side renderer):
// the first screens drawn by the real App component, as HTML for index.html to show before the
// UI's script has run. Never part of the page's own code.
import { render } from 'svelte/server';
import App from '../App.svelte';
import type { AppStatus } from '../bindings/AppStatus';
import type { Settings } from '../bindings/Settings';

/** The screens a cold start can open on. */
export const FIRST_SCREENS = ['unlock', 'first-run'] as const;
export const LANGUAGES = ['en', 'ur'] as const;

/**
 * The body App renders for a start on `screen` in `language`, with an empty vault path (the page
 * fills in the real one, which only the running app knows). The component reads the handed
 * status from `window` and sets the page's language on `document`, so both are stood in for
 * here; nothing it schedules for after the first frame runs on the server.
 */
export function renderFirstScreen(screen: (typeof FIRST_SCREENS)[number], language: (typeof LANGUAGES)[number]): string {
  const settings: Settings = { language, autoLockMinutes: 5, windowSize: null, camouflage: false };
  const status: AppStatus = { unlocked: false, vaultPath: '', vaultExists: screen === 'unlock', settings };
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document };
  g.window = { __GAWAHI_START__: status, addEventListener: () => undefined };
  g.document = { readyState: 'loading', title: '', documentElement: { lang: '', dir: '', classList: { add: () => undefined } } };
  try {
    return render(App).body;
  } finally {
    g.window = saved.window;
    g.document = saved.document;
  }
}
