// Rules for the whole UI source that the CSP, the layout's mirroring and the vault's secrecy
// depend on, checked by reading the files.
import { describe, expect, it } from 'vitest';

const svelte = import.meta.glob<string>('../src/**/*.svelte', { query: '?raw', import: 'default', eager: true });
const ts = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true });
const css = import.meta.glob<string>('../src/**/*.css', { query: '?raw', import: 'default', eager: true });
const html = import.meta.glob<string>('../index.html', { query: '?raw', import: 'default', eager: true });
const all = { ...svelte, ...ts, ...css, ...html };

function styleBlocks(source: string): string {
  return [...source.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
}

function offending(files: Record<string, string>, re: RegExp, pick: (s: string) => string = (s) => s): string[] {
  return Object.entries(files).flatMap(([path, s]) =>
    pick(s)
      .split('\n')
      .filter((line) => re.test(line))
      .map((line) => `${path}: ${line.trim()}`),
  );
}

describe('UI source', () => {
  it('was found', () => {
    expect(Object.keys(svelte).length).toBeGreaterThan(10);
    expect(Object.keys(css).length).toBeGreaterThan(0);
  });

  it('never renders HTML from strings', () => {
    expect(offending(all, /\{@html|innerHTML|outerHTML|insertAdjacentHTML|document\.write/)).toEqual([]);
  });

  it('keeps nothing in the webview’s storage', () => {
    expect(offending(all, /localStorage|sessionStorage|indexedDB|document\.cookie|caches\.open/)).toEqual([]);
  });

  it('has no inline style attributes or scripts (the CSP forbids them)', () => {
    expect(offending(svelte, /\sstyle="/)).toEqual([]);
    expect(offending(html, /<script(?![^>]*\ssrc=)/)).toEqual([]);
    expect(offending(all, /\beval\(|new Function\(/)).toEqual([]);
  });

  it('loads nothing remote', () => {
    const urls = offending(all, /https?:\/\//).filter((l) => !/\/\/ |\* /.test(l.split(': ').slice(1).join(': ')));
    expect(urls).toEqual([]);
  });

  it('uses logical CSS properties only, so the layout mirrors in Urdu', () => {
    const physical = /(^|[\s;{])(margin|padding|border)-(left|right)\b|(^|[\s;{])(left|right)\s*:|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)|clear\s*:\s*(left|right)/;
    expect(offending(svelte, physical, styleBlocks)).toEqual([]);
    expect(offending(css, physical)).toEqual([]);
  });
});
