import type { SourceLocation } from '../model/ir.js';
import type { AllowEntry, CheckedDifference, ExampleAllowEntry } from './allowlist.js';
import { describePlace } from './examples/attribute.js';
import type { CheckedExample } from './examples/index.js';
import { KIND_ORDER, METHOD_LEVEL_KINDS, type DifferenceKind } from './difference.js';
import type { DocsPlace } from './page.js';

/** Everything one docs-diff run found; `report*` turn it into text or JSON. */
export interface DocsDiffResult {
  /** How the docs root, spec folder and allowlist are named in messages. */
  docsRoot: string;
  specRoot: string;
  allowlist: string;
  docsMethods: string[];
  specMethods: string[];
  compared: string[];
  /** Per method (and `systemErrors`): its docs page (relative to the docs root) and spec file. */
  files: Record<string, { docs?: string; spec?: string }>;
  /** Sorted by method, kind (in DIFFERENCE_KINDS order), path. */
  differences: CheckedDifference[];
  stale: AllowEntry[];
  /** The docs' examples, checked (absent with `--no-examples`). */
  examples?: {
    items: CheckedExample[];
    /** Code blocks that hold no example, by language. */
    notRead: Record<string, number>;
    /** Example entries of the allowlist that explain nothing. */
    stale: ExampleAllowEntry[];
  };
}

/** How many problems of each non-conforming example reports show. */
const SHOWN_PROBLEMS = 3;

function unexplainedExamples(result: DocsDiffResult): CheckedExample[] {
  return result.examples?.items.filter((c) => c.status !== 'conforming' && !c.explainedBy) ?? [];
}

function exampleCounts(result: DocsDiffResult) {
  const items = result.examples?.items ?? [];
  const byForm: Record<string, number> = {};
  for (const c of items) byForm[c.example.form] = (byForm[c.example.form] ?? 0) + 1;
  const byStatus: Record<string, number> = {};
  for (const c of items) if (c.status !== 'conforming') byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const conforming = items.filter((c) => c.status === 'conforming').length;
  const explained = items.filter((c) => c.explainedBy).length;
  return { found: items.length, conforming, explained, unexplained: items.length - conforming - explained, stale: result.examples?.stale.length ?? 0, byForm, byStatus };
}

export function unexplained(result: DocsDiffResult): CheckedDifference[] {
  return result.differences.filter((d) => !d.explainedBy);
}

/** 0 when every difference and every example is explained and no allowlist entry is stale, else 1. */
export function exitCodeOf(result: DocsDiffResult): number {
  const examplesOk = unexplainedExamples(result).length === 0 && (result.examples?.stale.length ?? 0) === 0;
  return unexplained(result).length === 0 && result.stale.length === 0 && examplesOk ? 0 : 1;
}

/** Human report: one block per method, one line per difference, then stale entries and totals. */
export function reportText(result: DocsDiffResult): string {
  const lines: string[] = [];
  const byMethod = new Map<string, CheckedDifference[]>();
  for (const d of result.differences) byMethod.set(d.method, [...(byMethod.get(d.method) ?? []), d]);
  const width = Math.max(0, ...result.differences.map((d) => d.kind.length)) + 2;

  for (const [method, diffs] of byMethod) {
    const { docs: page, spec } = result.files[method] ?? {};
    const where = [page ? `docs ${result.docsRoot}/${page}` : '', spec ? `spec ${spec}` : ''].filter(Boolean).join(', ');
    lines.push(`${method}${where ? `  (${where})` : ''}`);
    for (const d of diffs) {
      const what = d.path ? `${d.path}: ${d.message}` : d.message;
      // A whole-method difference is located by the header already.
      const at = METHOD_LEVEL_KINDS.has(d.kind) && d.kind !== 'docs-link' ? '' : places(d.docsAt, d.specAt, page, spec);
      const why = d.explainedBy ? ` [explained: ${d.explainedBy.reason}]` : '';
      lines.push(`  ${d.kind.padEnd(width)}${what}${at}${why}`);
    }
    lines.push('');
  }

  if (result.stale.length > 0) {
    lines.push(`Stale entries in ${result.allowlist} (they match no difference; remove or correct them):`);
    for (const e of result.stale) lines.push(`  ${e.at.file}:${e.at.line}:${e.at.col}: ${e.method} ${e.kind}${e.path ? ` ${e.path}` : ''}`);
    lines.push('');
  }

  if (result.examples) lines.push(...examplesText(result), '');

  const open = unexplained(result);
  const explained = result.differences.length - open.length;
  lines.push(
    `${result.docsMethods.length} methods in the docs, ${result.specMethods.length} in the spec, ${result.compared.filter((m) => !/^ON[A-Z0-9]+$/.test(m)).length} compared` +
    `${result.compared.some((m) => /^ON[A-Z0-9]+$/.test(m)) ? `, and ${result.compared.filter((m) => /^ON[A-Z0-9]+$/.test(m)).length} events` : ''}. ` +
      `${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}: ${open.length} unexplained, ${explained} explained; ` +
      `${result.stale.length} stale allowlist entr${result.stale.length === 1 ? 'y' : 'ies'}.`,
  );
  if (open.length > 0) lines.push(`Unexplained by kind: ${countByKind(open).map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  if (result.examples) {
    const n = exampleCounts(result);
    lines.push(
      `${n.found} example${n.found === 1 ? '' : 's'} on the pages: ${n.conforming} conforming, ${n.explained} explained, ${n.unexplained} unexplained; ` +
        `${n.stale} stale example entr${n.stale === 1 ? 'y' : 'ies'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The problems a report shows first: the schema's (Ajv: the branches of a union repeat
 * themselves, so each distinct one once), and the compiler's first diagnostic when it has one.
 */
function firstProblems(c: CheckedExample): CheckedExample['problems'] {
  const seen = new Set<string>();
  const distinct = c.problems.filter((p) => {
    const key = `${p.check}\u0000${p.path ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const firstType = distinct.find((p) => p.check === 'types');
  const others = distinct.filter((p) => p !== firstType).slice(0, firstType ? SHOWN_PROBLEMS - 1 : SHOWN_PROBLEMS);
  return firstType ? [...others, firstType] : others;
}

/**
 * The examples section: counts, then every example that does not conform (unexplained first),
 * at `file:line` with its id, its place and its first problems, then stale example entries.
 */
function examplesText(result: DocsDiffResult): string[] {
  const ex = result.examples!;
  const n = exampleCounts(result);
  const lines: string[] = [];
  const forms = Object.entries(n.byForm).map(([f, k]) => `${f} ${k}`).join(', ');
  const notRead = Object.entries(ex.notRead).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([l, k]) => `${l} ${k}`).join(', ');
  lines.push(
    `Examples: ${n.found} found (${forms}): ${n.conforming} conforming, ${n.explained} explained, ${n.unexplained} unexplained.` +
      (notRead ? ` Code blocks without an example, not read: ${notRead}.` : ''),
  );
  const open = ex.items.filter((c) => c.status !== 'conforming' && !c.explainedBy);
  const explained = ex.items.filter((c) => c.explainedBy);
  for (const c of [...open, ...explained]) {
    const place = c.place ? describePlace(c.place) : c.status === 'unattributed' ? 'place unknown' : 'not read';
    const why = c.explainedBy ? ` [explained: ${c.explainedBy.reason}]` : '';
    lines.push(`  ${result.docsRoot}/${c.example.file}:${c.example.line}  ${c.example.id}  (${c.example.form}${c.example.tab ? `, tab "${c.example.tab}"` : ''}) ${place}: ${c.status}${why}`);
    if (c.explainedBy) continue;
    const shown = firstProblems(c);
    for (const p of shown) lines.push(`      :${p.line} ${p.check}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    if (c.problems.length > shown.length) lines.push(`      ... and ${c.problems.length - shown.length} more`);
  }
  if (ex.stale.length > 0) {
    lines.push(`Stale example entries in ${result.allowlist} (the example conforms now, or no example has that id; remove or correct them):`);
    for (const e of ex.stale) lines.push(`  ${e.at.file}:${e.at.line}:${e.at.col}: ${e.example}`);
  }
  return lines;
}

/** ` (docs :34, spec :22:5)`: files shown only when they differ from the method's header. */
function places(docsAt: DocsPlace | undefined, specAt: SourceLocation | undefined, page?: string, spec?: string): string {
  const parts: string[] = [];
  if (docsAt) parts.push(`docs ${docsAt.file === page ? '' : docsAt.file}:${docsAt.line}`);
  if (specAt) parts.push(`spec ${specAt.file === spec ? '' : specAt.file}:${specAt.line}:${specAt.col}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function countByKind(diffs: CheckedDifference[]): [DifferenceKind, number][] {
  return KIND_ORDER.map((k): [DifferenceKind, number] => [k, diffs.filter((d) => d.kind === k).length]).filter(([, n]) => n > 0);
}

/** The `--json` shape (version 1); documented in generator/docs/README.md. Keep it stable. */
export function reportJson(result: DocsDiffResult): string {
  const open = unexplained(result);
  const json = {
    version: 1,
    docsRoot: result.docsRoot,
    specRoot: result.specRoot,
    allowlist: result.allowlist,
    methods: { docs: result.docsMethods, spec: result.specMethods, compared: result.compared },
    files: Object.fromEntries(Object.entries(result.files).map(([m, f]) => [m, { docs: f.docs ?? null, spec: f.spec ?? null }])),
    summary: {
      differences: result.differences.length,
      unexplained: open.length,
      explained: result.differences.length - open.length,
      stale: result.stale.length,
      unexplainedByKind: Object.fromEntries(countByKind(open)),
    },
    differences: result.differences.map((d) => ({
      method: d.method,
      kind: d.kind,
      path: d.path,
      message: d.message,
      docs: d.docs ?? null,
      spec: d.spec ?? null,
      docsAt: d.docsAt ?? null,
      specAt: d.specAt ?? null,
      explained: d.explainedBy !== undefined,
      reason: d.explainedBy?.reason ?? null,
    })),
    stale: result.stale.map((e) => ({ method: e.method, kind: e.kind, path: e.path, reason: e.reason, at: e.at })),
    ...(result.examples ? { examples: examplesJson(result) } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The `examples` member of `--json`: counts, every example with its status, stale entries. */
function examplesJson(result: DocsDiffResult) {
  const ex = result.examples!;
  const n = exampleCounts(result);
  return {
    summary: { found: n.found, conforming: n.conforming, explained: n.explained, unexplained: n.unexplained, stale: n.stale, byForm: n.byForm, byStatus: n.byStatus, notRead: ex.notRead },
    items: ex.items.map((c) => ({
      id: c.example.id,
      file: c.example.file,
      line: c.example.line,
      form: c.example.form,
      tab: c.example.tab ?? null,
      calls: c.example.calls ?? null,
      place: c.place ?? null,
      status: c.status,
      problems: c.problems,
      explained: c.explainedBy !== undefined,
      reason: c.explainedBy?.reason ?? null,
    })),
    stale: ex.stale.map((e) => ({ example: e.example, reason: e.reason, at: e.at })),
  };
}
