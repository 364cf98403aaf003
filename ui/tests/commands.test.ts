// Calls to commands are checked against the generated command map (`src/bindings/Commands.ts`,
// from src-tauri/src/command_list.rs): the type checker must reject a misspelled command, a wrong,
// missing or mistyped request field, and a response used as what it is not. Two ways:
//
// 1. The wrong calls below are compiled by TypeScript's own compiler against the real types, and
//    each must fail with the error expected, on its own line; the right calls must compile clean.
// 2. The same wrong calls are made in this file under `@ts-expect-error`: `npm run check` compiles
//    it, and fails if any of them stopped being an error.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Call } from '../src/lib/commands';

/** Where the fixtures are compiled: in ui/tests, beside this file. */
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);
const pathOf = (name: string) => `${here}${name}.ts`;

/** What the compiler said of each fixture, in full (for the messages' wording). */
const messages: Record<string, string[]> = {};

/** Compiles each source as a module beside the UI's own, and returns its errors as `line: TSnnnn`. */
function errorsOf(sources: Record<string, string>): Record<string, string[]> {
  const files = Object.fromEntries(Object.entries(sources).map(([name, text]) => [pathOf(name), text]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => files[f] ?? read(f);
  host.fileExists = (f) => f in files || exists(f);
  const program = ts.createProgram(Object.keys(files), options, host);
  const out: Record<string, string[]> = {};
  for (const [name, path] of Object.keys(sources).map((n) => [n, pathOf(n)] as const)) {
    const file = program.getSourceFile(path)!;
    out[name] = ts.getPreEmitDiagnostics(program, file).map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${line}: TS${d.code}`;
    });
    messages[name] = ts.getPreEmitDiagnostics(program, file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  }
  return out;
}

const header = `import type { Call } from '../src/lib/commands';\ndeclare const call: Call;\n`;

// Line 3 of each fixture is the call (lines 1 and 2 are the header).
const wrong: Record<string, { call: string; error: number }> = {
  misspelledCommand: { call: `call('dashbord', { today: '2024-03-05' });`, error: 2345 },
  unknownCommand: { call: `call('export_everything', {});`, error: 2345 },
  misspelledField: { call: `call('dashboard', { tody: '2024-03-05' });`, error: 2561 },
  missingField: { call: `call('get_record', {});`, error: 2345 },
  wrongFieldType: { call: `call('list_records', { kind: 'person', limit: '50', after: null, query: null, filters: null });`, error: 2322 },
  unknownKind: { call: `call('list_records', { kind: 'people', limit: 50, after: null, query: null, filters: null });`, error: 2322 },
  snakeCaseField: { call: `call('link_records', { from_id: 'a', toId: 'b', role: 'victim' });`, error: 2561 },
  fieldOnAnEmptyRequest: { call: `call('lock_vault', { now: true });`, error: 2353 },
  responseMisused: { call: `call('get_record', { id: 'x' }).then((d) => d.record.title);`, error: 2339 },
  fieldsOfAnotherKind: {
    call: `call('get_record', { id: 'x' }).then((d) => d.record.kind === 'person' && d.record.fields.title);`,
    error: 2339,
  },
};

const right = `${header}
call('dashboard', { today: '2024-03-05' });
call('list_records', { kind: 'person', limit: 50, after: null, query: null, filters: null });
call('link_records', { fromId: 'a', toId: 'b', role: 'victim' });
call('lock_vault', {});
call('get_record', { id: 'x' }).then((d) => d.record.kind === 'person' && d.record.fields.pseudonym);
call('vocabularies', {}).then((v) => v.map((x) => x.name));
`;

describe('calls to commands', () => {
  it('compile when they are right, and fail on the line and with the error expected when they are wrong', () => {
    const sources: Record<string, string> = { 'fixture-right': right };
    for (const [name, w] of Object.entries(wrong)) sources[`fixture-${name}`] = `${header}${w.call}\n`;
    const errors = errorsOf(sources);
    expect(errors['fixture-right']).toEqual([]);
    const got = Object.fromEntries(Object.keys(wrong).map((name) => [name, errors[`fixture-${name}`]]));
    expect(got).toEqual(Object.fromEntries(Object.entries(wrong).map(([name, w]) => [name, [`3: TS${w.error}`]])));
    // Rejected for the reason meant, not by accident.
    expect(messages['fixture-misspelledCommand'][0]).toContain('"dashbord"');
    expect(messages['fixture-misspelledCommand'][0]).toContain('keyof Commands');
    expect(messages['fixture-misspelledField'][0]).toContain("Did you mean to write 'today'?");
    expect(messages['fixture-missingField'][0]).toContain("Property 'id' is missing");
  }, 30_000);
});

// The same calls against the real `call` type, for `npm run check`: an `@ts-expect-error` that
// no longer meets an error is itself an error there. Never run.
export function wrongCallsMustNotCompile(call: Call) {
  // @ts-expect-error a misspelled command
  void call('dashbord', { today: '2024-03-05' });
  // @ts-expect-error a misspelled request field
  void call('dashboard', { tody: '2024-03-05' });
  // @ts-expect-error a missing request field
  void call('get_record', {});
  // @ts-expect-error a request field of the wrong type
  void call('list_records', { kind: 'person', limit: '50', after: null, query: null, filters: null });
  // @ts-expect-error snake_case where requests are camelCase
  void call('link_records', { from_id: 'a', toId: 'b', role: 'victim' });
  // @ts-expect-error a field on a request that has none
  void call('lock_vault', { now: true });
  // @ts-expect-error a person's fields have no title
  void call('get_record', { id: 'x' }).then((d) => d.record.kind === 'person' && d.record.fields.title);
}
