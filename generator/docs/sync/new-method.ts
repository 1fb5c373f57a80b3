import { stringify } from 'yaml';
import type { Api } from '../../model/ir.js';
import { DOCS_SITE } from '../docs-root.js';
import type { DocsField, DocsMethodPage } from '../page.js';
import { newProperty, pendingDescription } from './new-items.js';
import type { SpecFiles } from './spec-files.js';

/** `imbot.v2.Chat.Foo.bar` -> `imbot.v2/Chat.Foo.bar.yaml` (spec/README.md, "Layout"). */
export function methodFile(method: string): string {
  const parts = method.split('.');
  return `${parts.slice(0, 2).join('.')}/${parts.slice(2).join('.')}.yaml`;
}

/**
 * A new method page -> a new spec file laid out like its siblings: the page's params, result and
 * error codes with their facts; `summary`, `access` and every description carry the marker; the
 * scope is the one the namespace's other methods have; `idempotent: false` (the client then never
 * re-sends it) with a marked comment asking a person to decide.
 */
export function newMethodFile(page: DocsMethodPage, files: SpecFiles, api: Api, statuses: number[]): string {
  const namespace = page.method.split('.').slice(0, 2).join('.');
  const scopes = api.methods.filter((m) => m.namespace === namespace).map((m) => m.scope);
  const scope = mostCommon(scopes) ?? namespace.split('.')[0]!;
  const marker = pendingDescription(page.titleAt);
  const params: Record<string, unknown> = {};
  for (const f of page.params ?? []) {
    const node = fieldNode('param', f, files);
    if (node) params[f.name] = node;
  }
  const result = page.result ? (fieldNode('result', page.result, files, true) ?? { type: 'any' }) : { type: 'any' };
  delete result.required;
  const statusOf = (code: string): number => {
    for (const m of api.methods) for (const e of m.errors) if (e.code === code) return e.status;
    const errors = statuses.filter((s) => s >= 400);
    return errors.length === 1 ? errors[0]! : 400;
  };
  const errors = (page.errors ?? []).map((e) => ({ code: e.code, status: statusOf(e.code), ...(e.message !== '' ? { message: e.message } : {}), description: pendingDescription(e.at) }));
  const head = stringify(
    { method: page.method, summary: marker, description: marker, docs: `${DOCS_SITE}${page.file.replace(/\.md$/, '.html')}`, scope, access: marker },
    { lineWidth: 100 },
  );
  const body = stringify({ params, result, statuses: [200], errors }, { lineWidth: 100 }).replace(/^(params|result|statuses|errors):/gm, '\n$1:').replace('statuses:\n  - 200\n', 'statuses: [200]\n');
  return `${head}# TODO(docs-sync): decide whether repeating a call is harmless (then idempotent: true)\nidempotent: false\n${body}`;
}

/** A page row (and its rows below) -> a spec property node, members included. */
function fieldNode(side: 'param' | 'result', f: DocsField, files: SpecFiles, top = false): Record<string, unknown> | undefined {
  const node = newProperty(side, f, files, side === 'result' && !top);
  if (!node) return undefined;
  if (f.children.length > 0 && f.listing === 'complete') {
    const holder = node.type === 'array' && typeof node.items === 'object' ? (node.items as Record<string, unknown>) : node;
    if (holder.type === 'object') {
      const properties: Record<string, unknown> = {};
      for (const c of f.children) {
        const child = fieldNode(side, c, files);
        if (child) properties[c.name] = child;
      }
      holder.properties = properties;
    }
  }
  return node;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
