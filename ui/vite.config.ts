import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { inlineEntryCss } from './build/inlineEntryCss';
import { firstScreens } from './build/firstScreens';

// The app is loaded by Tauri from ui/dist over its own protocol, offline, under a strict CSP (no
// inline scripts but the two of build/firstScreens.ts, allowed by their hashes; the one inline
// stylesheet, below, gets Tauri's nonce; nothing remote). Fonts
// live once in ../assets/fonts and are pulled in by the CSS `url()`s, so Vite copies them into
// dist/assets.
export default defineConfig({
  base: './',
  // The first screens' stylesheet is inlined into index.html (build/inlineEntryCss.ts says why),
  // and the first screens themselves are drawn into it at build time (build/firstScreens.ts).
  plugins: [svelte(), inlineEntryCss(), firstScreens()],
  clearScreen: false,
  server: {
    strictPort: true,
    // The dev server may read the fonts in ../assets.
    fs: { allow: ['..'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Keep fonts as files (font-src 'self'), never inlined as data: URLs.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // Each lazy chunk brings its own CSS (a same-origin <link>, which style-src 'self' allows),
    // so the first screen's stylesheet (inlined into the page) holds only what the first screens
    // use: WebKit holds the first paint until the page's load event, which waits for it.
    cssCodeSplit: true,
  },
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    environment: 'node',
  },
});
