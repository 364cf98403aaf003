// The build inlines the first screen's stylesheet into index.html (build/inlineEntryCss.ts).
// These tests hold what that must keep: the page links the stylesheet once and then not at all,
// the fonts it names still resolve from the page, and nothing in the CSS can end the <style>
// early (which would let the rest of it be read as markup).
import { describe, expect, it } from 'vitest';
import { inlineStylesheet } from '../build/inlineEntryCss';

const page = (links: string) =>
  `<!doctype html><html><head><script type="module" crossorigin src="./assets/index-A1.js"></script>${links}</head><body><div id="app"></div></body></html>`;
const link = '<link rel="stylesheet" crossorigin href="./assets/index-B2.css">';

describe('inlineStylesheet', () => {
  it('replaces the link with a <style> holding the CSS, its relative URLs rebased on the page', () => {
    const css =
      "@font-face{src:url(./Noto-C3.ttf)format(\"truetype\")}@font-face{src:url('./N-D4.ttf')}" +
      'a{background:url(data:image/png;base64,AA)}b{background:url(../up.png)}i::after{content:"$&$1"}';
    const html = inlineStylesheet(page(link), 'assets/index-B2.css', css);
    expect(html).toBe(
      page(
        "<style>@font-face{src:url(./assets/Noto-C3.ttf)format(\"truetype\")}@font-face{src:url('./assets/N-D4.ttf')}" +
          'a{background:url(data:image/png;base64,AA)}b{background:url(../up.png)}i::after{content:"$&$1"}</style>',
      ),
    );
    expect(html).not.toContain('index-B2.css');
  });

  it('keeps URLs as they are for a stylesheet next to the page', () => {
    const html = inlineStylesheet(page('<link rel="stylesheet" href="./s.css">'), 's.css', 'a{src:url(./f.ttf)}');
    expect(html).toBe(page('<style>a{src:url(./f.ttf)}</style>'));
  });

  it('fail_refuses_a_page_that_links_the_stylesheet_other_than_once', () => {
    expect(inlineStylesheet(page(''), 'assets/index-B2.css', 'a{}')).toBeNull();
    expect(inlineStylesheet(page(link + link), 'assets/index-B2.css', 'a{}')).toBeNull();
    // Another file whose name only looks alike (the dot is not a wildcard).
    expect(inlineStylesheet(page(link), 'assets/index-B2xcss', 'a{}')).toBeNull();
    expect(inlineStylesheet(page(link), 'assets/other.css', 'a{}')).toBeNull();
  });

  it('fail_refuses_CSS_that_would_end_the_style_element', () => {
    for (const css of ['a{content:"</style><script>alert(1)</script>"}', 'a{}</STYLE >', 'a{}</style\n>']) {
      expect(inlineStylesheet(page(link), 'assets/index-B2.css', css)).toBeNull();
    }
  });
});

// The config and, once `npm run build` has run, the page it built (an empty glob before a build).
const built = import.meta.glob<string>(['../vite.config.ts', '../dist/index.html'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the build', () => {
  it('links no stylesheet on the first screen: the page carries it, fonts and all', () => {
    expect(built['../vite.config.ts']).toContain('inlineEntryCss()');
    const html = built['../dist/index.html'];
    if (html !== undefined) {
      expect(html).not.toMatch(/<link rel="stylesheet"/);
      expect(html).toMatch(/<style>@font-face\{font-family:Gawahi Nastaliq;src:url\(\.\/assets\/NotoNastaliqUrdu-[\w-]+\.ttf\)/);
    }
  });
});

// The built chunks and the names of the stylesheets built beside them (empty before a build).
const chunks = import.meta.glob<string>('../dist/assets/*.js', { query: '?raw', import: 'default', eager: true });
const stylesheets = Object.keys(import.meta.glob('../dist/assets/*.css', { query: '?url', eager: true }));

describe('the built chunks', () => {
  it('name only stylesheets that were built: a lazy import preloading a missing one fails', () => {
    for (const [name, code] of Object.entries(chunks)) {
      for (const [css] of code.matchAll(/[\w.-]+\.css(?=["'`])/g)) {
        expect(stylesheets, `${name} names ${css}`).toContain(`../dist/assets/${css}`);
      }
    }
  });
});
