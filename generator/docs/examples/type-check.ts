import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { emitUnformatted } from '../../emit/index.js';
import { stringLiteral } from '../../emit/escape.js';
import { errorsOf, type Api } from '../../model/ir.js';
import { tscDiagnostics } from '../../package/tsc-diagnostics.js';
import type { Place } from './attribute.js';
import { toTypeScript, type Literal } from './literal.js';

/**
 * Check (b): every example as `const ex = <literal> satisfies <Type>` against the client the
 * spec generates, compiled under `strict` in ONE run of TypeScript 7's tsc (the compiler
 * `b24gen build` uses). The client is printed from the same IR into a temporary folder (not
 * read from generated/src, so the check follows the spec given with --spec); one file per page
 * holds that page's examples, and each diagnostic is mapped back to the page line of the value
 * it is about.
 */

export interface TypedExample {
  place: Place;
  value: Literal;
  /** The docs page, for grouping examples into one file each. */
  page: string;
}

export interface TypeProblem {
  /** Index of the example in the input. */
  example: number;
  /** Page line of the value the diagnostic points at. */
  line: number;
  /** `TS2322: Type '"private"' is not assignable to type 'ChatType'.` (the chain joined). */
  message: string;
}

/** The TypeScript type an example at `place` must satisfy, written against `import type * as C`. */
export function typeOf(place: Place, api: Api): string {
  const method = (name: string) => `C.MethodMap[${stringLiteral(name)}]`;
  const eventData = (name: string) => `C.EventDataMap[${stringLiteral(name)}]`;
  switch (place.kind) {
    case 'params':
      return `${method(place.method)}['params']`;
    case 'result':
      return `{ result: ${method(place.method)}['result']; time: ${api.types.some((t) => t.name === 'Time') ? 'C.Time' : 'Record<string, unknown>'} }`;
    case 'error': {
      const m = api.methods.find((x) => x.name === place.method);
      const codes = m ? [...new Set(errorsOf(m, api).map((e) => stringLiteral(e.code)))] : [];
      return `{ error: ${codes.length > 0 ? codes.join(' | ') : 'never'}; error_description: string }`;
    }
    case 'event':
      if (place.form === 'data') return eventData(place.event);
      // The envelope's other keys (ts, auth; eventId, date) are not what is checked: data is.
      if (place.form === 'webhook') return `{ event: ${stringLiteral(place.event)}; data: ${eventData(place.event)}; ts?: number; auth?: Record<string, unknown>; [key: string]: unknown }`;
      return `{ type: ${stringLiteral(place.event)}; data: ${eventData(place.event)}; [key: string]: unknown }`;
    case 'type':
      return `C.${place.name}`;
  }
}

/** Compiles every example in one tsc run; returns the problems (none: all satisfy their types). */
export function typeCheckExamples(examples: TypedExample[], api: Api): TypeProblem[] {
  if (examples.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-docs-examples-'));
  try {
    for (const [path, text] of emitUnformatted(api)) {
      const file = join(dir, 'client', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    // One file per page: file -> for each of its lines, [example index, page line].
    const lineMaps = new Map<string, [number, number][]>();
    const byPage = new Map<string, number[]>();
    examples.forEach((e, i) => byPage.set(e.page, [...(byPage.get(e.page) ?? []), i]));
    mkdirSync(join(dir, 'examples'));
    let n = 0;
    for (const [, indexes] of byPage) {
      const lines: string[] = ["import type * as C from '../client/index.js';", ''];
      const map: [number, number][] = [[-1, 0], [-1, 0]];
      for (const i of indexes) {
        const e = examples[i]!;
        const literal = toTypeScript(e.value);
        lines.push(`export const ex${i} = (`);
        map.push([i, e.value.line]);
        literal.text.split('\n').forEach((l, k) => {
          lines.push(l);
          map.push([i, literal.lines[k]!]);
        });
        lines.push(`) satisfies ${typeOf(e.place, api)};`, '');
        map.push([i, e.value.line], [-1, 0]);
      }
      const file = join(dir, 'examples', `page${n++}.ts`);
      writeFileSync(file, lines.join('\n'));
      lineMaps.set(resolve(file), map);
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [], skipLibCheck: true },
        files: [...lineMaps.keys()],
      }),
    );
    const problems: TypeProblem[] = [];
    for (const d of tscDiagnostics(dir, "type-checking the docs' examples").map((x) => ({ ...x, message: [`${x.code}: ${x.message}`, ...x.chain].join(' ') }))) {
      const map = lineMaps.get(d.file);
      const at = map?.[d.line - 1];
      if (!at || at[0] < 0) throw new Error(`type-checking the docs' examples: the generated client does not compile: ${d.file}(${d.line}): ${d.message}`);
      problems.push({ example: at[0], line: at[1], message: d.message });
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

