// The first screens' messages are in the page's first chunk (messages/en-start.ts, ur-start.ts)
// and the rest is loaded with the app behind the unlock screen (see i18n.ts). These tests keep
// the split honest: each key lives where its prefix says, and the code the first chunk is made
// of asks for no message it does not carry, so an unlock screen never shows a bare key or, in
// Urdu, English.
import { describe, expect, it } from 'vitest';
import { enStart, START_PREFIXES } from '../src/lib/messages/en-start';
import { urStart } from '../src/lib/messages/ur-start';
import { en as enRest } from '../src/lib/messages/en';
import { ur as urRest } from '../src/lib/messages/ur';
import { ERROR_CODES, errorKey } from '../src/lib/errors';
import { LEVELS } from '../src/lib/strength';

const sources = import.meta.glob<string>(['../src/**/*.ts', '../src/**/*.svelte'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const startKeys = new Set(Object.keys(enStart));
const allKeys = new Set([...Object.keys(enStart), ...Object.keys(enRest)]);
const prefixOf = (key: string) => key.slice(0, key.indexOf('.'));
const isStartPrefix = (key: string) => (START_PREFIXES as readonly string[]).includes(prefixOf(key));

/** `path` with `.` and `..` folded away (glob keys are like `../src/lib/i18n.ts`). */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

/** The source file a relative import names, as a glob key, or null for CSS and the like. */
function resolve(from: string, spec: string): string | null {
  const base = normalise(`${from.slice(0, from.lastIndexOf('/'))}/${spec}`);
  for (const candidate of [base, `${base}.ts`]) if (candidate in sources) return candidate;
  return null;
}

/**
 * The UI's own files the first chunk is made of: those `main.ts` reaches by static imports of
 * values (a type-only import brings no code, and a dynamic `import()` makes a chunk of its own).
 */
function firstChunkFiles(): string[] {
  const seen = new Set<string>();
  const queue = ['../src/main.ts'];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = sources[file];
    for (const m of source.matchAll(/^\s*import\s+(?:(type\s)?[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm)) {
      if (m[1]) continue;
      const target = resolve(file, m[2]);
      if (target) queue.push(target);
    }
  }
  return [...seen].sort();
}

describe('the first screens’ messages', () => {
  it('are the keys of the start prefixes, in English and in Urdu alike', () => {
    expect(Object.keys(enStart).filter((k) => !isStartPrefix(k))).toEqual([]);
    expect(Object.keys(enRest).filter(isStartPrefix)).toEqual([]);
    expect(Object.keys(urStart).sort()).toEqual(Object.keys(enStart).sort());
    expect(Object.keys(urRest).sort()).toEqual(Object.keys(enRest).sort());
  });

  it('are in Urdu, not English, in the Urdu start catalogue', () => {
    const english = Object.entries(urStart).filter(([, m]) => !/[\u0600-\u06FF]/.test(m) && /[A-Za-z]{4,}/.test(m));
    expect(english.map(([k]) => k)).toEqual([]);
  });

  it('come from code that reaches neither the rest of the messages nor the app behind the unlock screen', () => {
    const files = firstChunkFiles();
    // The walk found the first screens, so the checks below look at something.
    for (const f of ['../src/App.svelte', '../src/components/Unlock.svelte', '../src/components/FirstRun.svelte', '../src/lib/i18n.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /messages\/(en|ur)\.ts$|Shell\.svelte$|dates\.ts$/.test(f))).toEqual([]);
  });

  it('hold every key the first chunk’s code asks for', () => {
    const asked: string[] = [];
    const prefixes: string[] = [];
    for (const file of firstChunkFiles()) {
      const source = sources[file];
      for (const m of source.matchAll(/\b(?:t|tParts|tDynamic|translate\(\s*\w+\s*,)\s*\(?\s*'([A-Za-z]+\.[\w.]+)'/g)) asked.push(m[1]);
      for (const m of source.matchAll(/\b(?:t|tParts|tDynamic)\(\s*`([A-Za-z]+\.[\w.]*)\$\{/g)) prefixes.push(m[1]);
    }
    expect(asked.length).toBeGreaterThan(30);
    expect(asked.filter((k) => !allKeys.has(k))).toEqual([]);
    expect(asked.filter((k) => !startKeys.has(k))).toEqual([]);
    // A key built at run time (`progress.${stage}`): every key it can make is a start key.
    expect(prefixes.sort()).toEqual(['progress.', 'strength.', 'strength.hint.']);
    expect([...allKeys].filter((k) => prefixes.some((p) => k.startsWith(p)) && !startKeys.has(k))).toEqual([]);
  });

  it('tell every error and every strength the first screens can meet', () => {
    for (const code of [...ERROR_CODES, 'a code from a newer core']) expect(startKeys.has(errorKey(code)), code).toBe(true);
    for (const level of LEVELS) expect(startKeys.has(`strength.${level}`), level).toBe(true);
  });
});
