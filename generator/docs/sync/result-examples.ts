import type { AllowEntry } from '../allowlist.js';
import { applyAllowlist } from '../allowlist.js';
import type { DocsRoot } from '../docs-root.js';
import { checkExamples, docsResult, resultExampleDifferences } from '../examples/index.js';
import type { Api } from '../../model/ir.js';
import type { Edit } from './apply.js';
import type { SpecFiles } from './spec-files.js';

/**
 * docs-sync's last step: each method's `result.example` follows the page's first result example
 * that conforms to the spec (checked as docs-diff checks it, on the spec as the structural rounds
 * left it). Added, replaced or removed (a page whose example no longer conforms: the method falls
 * back to the kit's samples). Runs once, after the rounds: an example is checked against the
 * final types, and writing one changes no type.
 */
export function syncResultExamples(files: SpecFiles, root: DocsRoot, api: Api, allowed: AllowEntry[]): Edit[] {
  const found = checkExamples(root, api);
  const byMethod = new Map(found.examples.filter((c) => c.place?.kind === 'result' && c.status === 'conforming').reverse().map((c) => [(c.place as { method: string }).method, c]));
  const edits: Edit[] = [];
  for (const d of applyAllowlist(resultExampleDifferences(found.examples, api), allowed).checked) {
    if (d.explainedBy) continue;
    const file = files.fileOf(d.method);
    if (!file) continue;
    const text = files.file(file);
    const shown = byMethod.get(d.method);
    if (d.kind === 'result-example-extra') text.removePair(['result', 'example']);
    else if (d.kind === 'result-example-changed') text.replaceValue(['result', 'example'], docsResult(shown!));
    else text.addPair(['result'], 'example', docsResult(shown!));
    const what = d.kind === 'result-example-extra' ? 'removed result.example (the page shows none that conforms)' : `${d.kind === 'result-example-changed' ? 'replaced' : 'added'} result.example from ${shown!.example.file}:${shown!.example.line}`;
    edits.push({ subject: d.method, kind: d.kind, path: 'result.example', file, what, pending: false });
  }
  return edits;
}

/** The allowlist kinds this step answers: the structural rounds never use them, so never call them stale. */
export const RESULT_EXAMPLE_KINDS: ReadonlySet<string> = new Set(['result-example-missing', 'result-example-changed', 'result-example-extra']);
