// A Vite plugin of the build: the first screens are in index.html before any script runs, and the
// UI's script no longer holds up the page's load event.
//
// WebKit does not paint a page with little text on it until its load event, and a module script
// in the page is part of what that event waits for: the unlock screen used to appear only after
// the UI's 98 KB first chunk had been fetched, parsed and run and had drawn it (about 75 ms after
// the page started, against 26 ms for an empty page). Now:
// - the real App component's first screens (unlock or first run, English or Urdu) are rendered
//   at build time by Svelte's server renderer into <template>s;
// - a small inline script, run as the page is parsed, copies the one the app's handed status
//   (`window.__GAWAHI_START__`, AppStatus::start_script) calls for into #app, with its vault path,
//   inert and hidden from assistive technology (nothing in it can be typed into or clicked),
//   and marks the moment (`gawahi:first-screen-copy`, which the end-to-end test reads);
// - the UI's entry chunk is imported by an inline module script, which the load event does not
//   wait for; main.ts replaces the copy with the live screen in the task that mounts it, so one
//   frame shows the copy and the next the live screen, with nothing blank between.
// Inline scripts pass the page's policy by their hashes, which Tauri adds to `script-src` at
// build time (the policy keeps no 'unsafe-inline').
import type { Plugin } from 'vite';
import { escapeRegExp } from './regexp';
import { createServer } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * `html` with its ids (and the attributes naming them) made the copy's own and its test ids and
 * autofocus dropped, so that no selector meant for the live screen finds the copy.
 */
export function inertCopy(html: string): string {
  return html
    .replace(/\s(id|for|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"/g, (_m, attr: string, v: string) =>
      ` ${attr}="${v
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => `prerendered-${id}`)
        .join(' ')}"`,
    )
    .replace(/\s(autofocus|data-testid)(="[^"]*")?/g, '');
}

/** The script that shows the first screen the handed status calls for. ES5, no template literals. */
export const PICK_SCRIPT =
  "(function(){var s=window.__GAWAHI_START__,a=document.getElementById('app');" +
  "if(!s||s.unlocked||!a)return;var l=s.settings&&s.settings.language==='ur'?'ur':'en';" +
  "var t=document.getElementById('first-screen-'+(s.vaultExists?'unlock':'first-run')+'-'+l);if(!t)return;" +
  "document.documentElement.lang=l;document.documentElement.dir=l==='ur'?'rtl':'ltr';" +
  "var c=t.content.firstElementChild;if(!c)return;c=c.cloneNode(true);" +
  "var p=c.querySelector('.vault-path .code');if(p)p.textContent=s.vaultPath;" +
  "c.inert=true;c.setAttribute('aria-hidden','true');c.setAttribute('data-prerendered','');a.appendChild(c);" +
  "performance.mark('gawahi:first-screen-copy');})();";

/**
 * `html` with the module script of `entry` replaced by an inline module script that imports it,
 * and `templates` and the picking script put after #app. Null if the page does not have the
 * entry's script tag or #app exactly once.
 */
export function withFirstScreens(html: string, entry: string, templates: string): string | null {
  const escaped = escapeRegExp(entry);
  const tag = new RegExp(`<script type="module" crossorigin src="\\./${escaped}"></script>`, 'g');
  if (html.match(tag)?.length !== 1) return null;
  const app = '<div id="app"></div>';
  if (html.split(app).length !== 2) return null;
  return html
    .replace(tag, () => '')
    .replace(
      app,
      () =>
        `${app}\n    ${templates}\n    <script>${PICK_SCRIPT}</script>\n    <script type="module">import('./${entry}');</script>`,
    );
}

/** The plugin. */
export function firstScreens(): Plugin {
  // Set from Vite's resolved config before the bundle is generated.
  let root = '.';
  return {
    name: 'gawahi-first-screens',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
    },
    async generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (page?.type !== 'asset' || entry?.type !== 'chunk') this.error('no index.html or entry chunk in the build');
      const server = await createServer({
        root,
        configFile: false,
        logLevel: 'silent',
        appType: 'custom',
        plugins: [svelte()],
        server: { middlewareMode: true, hmr: false, ws: false },
        optimizeDeps: { noDiscovery: true, include: [] },
      });
      let templates = '';
      try {
        const mod = (await server.ssrLoadModule('/src/prerender/firstScreens.ts')) as typeof import('../src/prerender/firstScreens');
        for (const screen of mod.FIRST_SCREENS) {
          for (const lang of mod.LANGUAGES) {
            const body = inertCopy(mod.renderFirstScreen(screen, lang));
            if (/<script|<\/template/i.test(body)) this.error(`the ${screen} screen (${lang}) cannot go in a <template>`);
            templates += `<template id="first-screen-${screen}-${lang}">${body}</template>`;
          }
        }
      } finally {
        await server.close();
      }
      const html = withFirstScreens(String(page.source), entry.fileName, templates);
      if (html === null) this.error(`index.html does not load ${entry.fileName} once, or has no single #app`);
      page.source = html;
    },
  };
}
