import type { Api } from '../../model/ir.js';
import type { Difference } from '../difference.js';
import type { CheckedExample } from './index.js';
import { toValue } from './literal.js';

/**
 * The spec's `result.example` against the pages: each method's first result example that
 * conforms to the spec (Ajv and tsc, examples/index.ts) is what the spec should hold, its
 * `result` member exactly; a non-conforming one is never copied (the method keeps the kit's
 * samples). Differences, so docs-diff reports a docs change and docs-sync writes it.
 */
export function resultExampleDifferences(items: readonly CheckedExample[], api: Api): Difference[] {
  const shown = new Map<string, CheckedExample>();
  for (const c of items) {
    if (c.place?.kind !== 'result' || c.status !== 'conforming' || shown.has(c.place.method)) continue;
    shown.set(c.place.method, c);
  }
  const out: Difference[] = [];
  for (const m of api.methods) {
    const found = shown.get(m.name);
    const docs = found ? docsResult(found) : undefined;
    const spec = m.result.example;
    const specAt = m.resultExampleAt ?? m.result.at;
    const docsAt = found ? { file: found.example.file, line: found.example.line } : undefined;
    if (docs !== undefined && spec === undefined) {
      out.push({ method: m.name, kind: 'result-example-missing', path: 'result', message: `the page's result example (${found!.example.id}) conforms; the spec has no result.example`, docsAt: docsAt!, specAt });
    } else if (docs !== undefined && canonical(docs) !== canonical(spec)) {
      out.push({ method: m.name, kind: 'result-example-changed', path: 'result', message: `result.example differs from the page's result example (${found!.example.id})`, docsAt: docsAt!, specAt });
    } else if (docs === undefined && spec !== undefined) {
      out.push({ method: m.name, kind: 'result-example-extra', path: 'result', message: 'the spec has a result.example; the page shows none that conforms to the spec', specAt });
    }
  }
  return out;
}

/** The `result` of the page's `{result, time}` answer, as data. */
export function docsResult(c: CheckedExample): unknown {
  return (toValue(c.example.value!) as { result?: unknown }).result;
}

/** JSON with object keys sorted: two examples are the same data whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}
