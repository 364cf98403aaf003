// A Vite plugin of the build: the first screen's stylesheet goes into index.html as a <style>
// element instead of a file the page asks for. The page then waits for one request fewer before
// its script may run (a module script waits for the stylesheets before it), and each request on
// Tauri's protocol is a round trip through the app's main thread. The policy stays as strict:
// Tauri gives every <style> of the page a nonce at build time and puts a fresh one in the
// `Content-Security-Policy` of each response (style-src 'self' 'nonce-…', no 'unsafe-inline').
import type { Plugin } from 'vite';
import { escapeRegExp } from './regexp';

/**
 * `html` with the stylesheet link to `cssFile` (a path relative to the page, as Vite writes it
 * with `base: './'`) replaced by a <style> holding `css`. The stylesheet's own relative URLs (its
 * fonts, next to it) are rewritten relative to the page. Null if the page does not link
 * `cssFile` exactly once, or if `css` could close the <style> element early.
 */
export function inlineStylesheet(html: string, cssFile: string, css: string): string | null {
  const escaped = escapeRegExp(cssFile);
  const link = new RegExp(`<link rel="stylesheet"(?: crossorigin)? href="\\./${escaped}">`, 'g');
  const links = html.match(link);
  if (links?.length !== 1) return null;
  if (/<\/style/i.test(css)) return null;
  const dir = cssFile.includes('/') ? cssFile.slice(0, cssFile.lastIndexOf('/') + 1) : '';
  const rebased = css.replace(/url\((['"]?)\.\/(?!\.)/g, (_whole, quote: string) => `url(${quote}./${dir}`);
  // A function as the replacement: `$` in the CSS stays as it is.
  return html.replace(link, () => `<style>${rebased}</style>`);
}

/** The plugin: inlines the entry's own stylesheet and drops its file from the build. */
export function inlineEntryCss(): Plugin {
  // The stylesheets now inside index.html, whose files are gone.
  const inlined: string[] = [];
  return {
    name: 'gawahi-inline-entry-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      inlined.length = 0;
      const page = bundle['index.html'];
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (page?.type !== 'asset' || entry?.type !== 'chunk') this.error('no index.html or entry chunk in the build');
      const cssFiles = [...(entry.viteMetadata?.importedCss ?? [])];
      for (const cssFile of cssFiles) {
        const css = bundle[cssFile];
        if (css?.type !== 'asset') this.error(`the entry's stylesheet ${cssFile} is not in the build`);
        const html = inlineStylesheet(String(page.source), cssFile, String(css.source));
        if (html === null) this.error(`index.html does not link ${cssFile} once, or it cannot be inlined`);
        page.source = html;
        delete bundle[cssFile];
        // A lazy chunk that imports the entry chunk would otherwise list the entry's stylesheet
        // among the files to load before it runs (Vite writes those lists after this hook, from
        // this set); with the file gone that load fails, and the import with it.
        entry.viteMetadata?.importedCss.delete(cssFile);
        inlined.push(cssFile);
      }
    },
    // Once every chunk is final: none may still name a stylesheet that is now inside the page.
    writeBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        for (const cssFile of inlined) {
          const base = cssFile.slice(cssFile.lastIndexOf('/') + 1);
          if (chunk.type === 'chunk' && chunk.code.includes(base)) {
            this.error(`${chunk.fileName} names ${cssFile}, which is now inside index.html`);
          }
        }
      }
    },
  };
}
