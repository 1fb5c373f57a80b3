import type { SourceLocation } from '../model/ir.js';
import type { AllowEntry, CheckedDifference } from './allowlist.js';
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
}

export function unexplained(result: DocsDiffResult): CheckedDifference[] {
  return result.differences.filter((d) => !d.explainedBy);
}

/** 0 when every difference is explained and no allowlist entry is stale, else 1. */
export function exitCodeOf(result: DocsDiffResult): number {
  return unexplained(result).length === 0 && result.stale.length === 0 ? 0 : 1;
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

  const open = unexplained(result);
  const explained = result.differences.length - open.length;
  lines.push(
    `${result.docsMethods.length} methods in the docs, ${result.specMethods.length} in the spec, ${result.compared.filter((m) => !/^ON[A-Z0-9]+$/.test(m)).length} compared` +
    `${result.compared.some((m) => /^ON[A-Z0-9]+$/.test(m)) ? `, and ${result.compared.filter((m) => /^ON[A-Z0-9]+$/.test(m)).length} events` : ''}. ` +
      `${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}: ${open.length} unexplained, ${explained} explained; ` +
      `${result.stale.length} stale allowlist entr${result.stale.length === 1 ? 'y' : 'ies'}.`,
  );
  if (open.length > 0) lines.push(`Unexplained by kind: ${countByKind(open).map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  return `${lines.join('\n')}\n`;
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
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
