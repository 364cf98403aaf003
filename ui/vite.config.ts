import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app is loaded by Tauri from ui/dist over its own protocol, offline, under a strict CSP
// (no inline scripts or styles, nothing remote). Fonts live once in ../assets/fonts and are
// pulled in by the CSS `url()`s, so Vite copies them into dist/assets.
export default defineConfig({
  base: './',
  plugins: [svelte()],
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
    // so the first screen's stylesheet holds only what the first screens use: WebKit holds the
    // first paint until the page's load event, which waits for the stylesheet.
    cssCodeSplit: true,
  },
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    environment: 'node',
  },
});
