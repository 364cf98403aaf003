// Builds dev/mock.html (the UI over the mock backend) the way the app is built, into
// ../.mock-dist, with the app's CSP (src-tauri/tauri.conf.json) as a <meta>, so that a page
// served from there shows any breach of it: `npx vite build -c dev/vite.mock.config.ts`.
import { defineConfig, mergeConfig, type Plugin } from 'vite';
import base from '../vite.config';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'";

const csp: Plugin = {
  name: 'gawahi-mock-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
};

export default mergeConfig(
  base,
  defineConfig({
    plugins: [csp],
    build: {
      outDir: '.mock-dist',
      rollupOptions: { input: 'dev/mock.html' },
    },
  }),
);
