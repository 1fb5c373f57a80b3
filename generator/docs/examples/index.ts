import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { compareStrings, type Api } from '../../model/ir.js';
import type { ExampleAllowEntry } from '../allowlist.js';
import { CHAT_BOTS_DIR, type DocsRoot } from '../docs-root.js';
import { attribute, type Place } from './attribute.js';
import { pageExamples, type DocsExample } from './extract.js';
import { lineAt, toValue, withoutKey, type Literal } from './literal.js';
import { SchemaChecker } from './schema-check.js';
import { typeCheckExamples, type TypedExample } from './type-check.js';

export { describePlace, type Place } from './attribute.js';
export type { DocsExample } from './extract.js';
export { docsResult, resultExampleDifferences } from './result-examples.js';

/**
 * Every example on the chat-bot pages, checked: read (extract.ts), attributed to its place
 * (attribute.ts), validated against the OpenAPI export's schema for that place
 * (schema-check.ts) and type-checked against the generated client (type-check.ts, one tsc run
 * for all of them).
 */

export type ExampleStatus = 'conforming' | 'mismatch' | 'unreadable' | 'unattributed';

export interface ExampleProblem {
  /** `read`: the example could not be read; `place`: its place cannot be told; `schema`: Ajv; `types`: tsc. */
  check: 'read' | 'place' | 'schema' | 'types';
  /** Where it is (the example's file). */
  line: number;
  /** For schema problems: the JSON pointer into the example. */
  path?: string;
  message: string;
}

export interface CheckedExample {
  example: DocsExample;
  place?: Place;
  status: ExampleStatus;
  problems: ExampleProblem[];
  /** Set when spec/docs-diff-allow.yaml explains this (non-conforming) example. */
  explainedBy?: ExampleAllowEntry;
}

export interface ExamplesResult {
  examples: CheckedExample[];
  /** Code blocks that hold no example (Go, plain text, JS without a REST call), by language. */
  notRead: Record<string, number>;
}

/** Reads and checks the examples of every page under the chat-bot folder of `root`. */
export function checkExamples(root: DocsRoot, api: Api): ExamplesResult {
  const base = join(root.dir, CHAT_BOTS_DIR);
  const pageIds = readdirSync(base, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(sep).join('/'))
    .filter((f) => f.endsWith('.md'))
    .sort(compareStrings);
  const methodOf = new Map(root.methodPages().map((r) => [r.file, r.method]));
  const readInclude = (fromFile: string, href: string): { file: string; text: string } | undefined => {
    const file = posix.normalize(posix.join(posix.dirname(fromFile), href.split('#')[0]!));
    if (file.startsWith('../') || !file.endsWith('.md')) return undefined;
    try {
      return { file, text: readFileSync(join(root.dir, file), 'utf8') };
    } catch {
      return undefined;
    }
  };

  const checked: CheckedExample[] = [];
  const notRead: Record<string, number> = {};
  for (const pageId of pageIds) {
    const page = `${CHAT_BOTS_DIR}/${pageId}`;
    const found = pageExamples(readFileSync(join(base, pageId), 'utf8'), page, pageId, readInclude);
    for (const [lang, n] of found.notRead) notRead[lang] = (notRead[lang] ?? 0) + n;
    const method = methodOf.get(page);
    const context = { pageId, siblings: found.examples, ...(method ? { method } : {}) };
    for (const example of found.examples) {
      if (example.unreadable) {
        checked.push({ example, status: 'unreadable', problems: [{ check: 'read', line: example.unreadable.line, message: example.unreadable.message }] });
        continue;
      }
      const attribution = attribute(example, context, api);
      if ('unattributed' in attribution) checked.push({ example, status: 'unattributed', problems: [{ check: 'place', line: example.line, message: attribution.unattributed }] });
      else checked.push({ example, place: attribution.place, status: 'conforming', problems: [] });
    }
  }

  // The OAuth form of a call carries the access token as `auth` beside the params (the
  // transport's field, not a param of any method): it is not checked against the params.
  const valueOf = (c: CheckedExample): Literal => (c.place?.kind === 'params' ? withoutKey(c.example.value!, 'auth') : c.example.value!);

  const schemas = new SchemaChecker(api);
  const typed: { index: number; input: TypedExample }[] = [];
  checked.forEach((c, index) => {
    if (!c.place) return;
    const value = valueOf(c);
    for (const p of schemas.check(c.place, toValue(value))) c.problems.push({ check: 'schema', line: lineAt(value, p.path), path: p.path, message: p.message });
    typed.push({ index, input: { place: c.place, value, page: c.example.file } });
  });
  for (const p of typeCheckExamples(
    typed.map((t) => t.input),
    api,
  )) {
    checked[typed[p.example]!.index]!.problems.push({ check: 'types', line: p.line, message: p.message });
  }
  for (const c of checked) {
    if (c.status === 'conforming' && c.problems.length > 0) c.status = 'mismatch';
  }
  return { examples: checked, notRead };
}
