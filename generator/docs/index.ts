import { join, resolve } from 'node:path';
import { DOCS_DIFF_ALLOWLIST, displayPath, loadSpec } from '../load/index.js';
import { applyAllowlist, explainExamples, loadAllowFile } from './allowlist.js';
import { compareDocsWithSpec } from './compare.js';
import { compareDifferences } from './difference.js';
import { DocsRoot } from './docs-root.js';
import type { DocsDiffResult } from './report.js';

export { DocsFolderError } from './docs-root.js';
export { exitCodeOf, reportJson, reportText, type DocsDiffResult } from './report.js';
export { DIFFERENCE_KINDS, type Difference, type DifferenceKind } from './difference.js';

/**
 * docs-diff as a function: docs pages -> facts, spec -> IR, compare, check every example on the
 * pages (unless `examples: false`), apply the allowlist (`<spec>/docs-diff-allow.yaml`). Throws
 * DocsFolderError for an unusable docs folder and SpecError for a bad spec or allowlist.
 */
export async function runDocsDiff(options: { docsDir: string; specDir: string; examples?: boolean }): Promise<DocsDiffResult> {
  const docsDir = resolve(options.docsDir);
  const specDir = resolve(options.specDir);
  const root = DocsRoot.open(docsDir);
  const api = loadSpec(specDir);
  const allowPath = join(specDir, DOCS_DIFF_ALLOWLIST);
  const allowName = `${displayPath(specDir)}/${DOCS_DIFF_ALLOWLIST}`;
  const entries = loadAllowFile(allowPath, allowName);
  const comparison = compareDocsWithSpec(root, api);
  let examples: DocsDiffResult['examples'];
  const differences = [...comparison.differences];
  if (options.examples !== false) {
    // Loaded on use: the examples need ts-morph's TypeScript, Ajv and the emitter, which the
    // structural comparison does not (--no-examples starts as fast as before).
    const { checkExamples, resultExampleDifferences } = await import('./examples/index.js');
    const found = checkExamples(root, api);
    examples = { items: found.examples, notRead: found.notRead, stale: explainExamples(found.examples, entries.examples).stale };
    // The spec's result.example against the pages' conforming result examples (a docs change to one shows here).
    differences.push(...resultExampleDifferences(found.examples, api));
    differences.sort(compareDifferences);
  }
  const { checked, stale } = applyAllowlist(differences, entries.differences);
  return {
    // As the user typed it (trailing slashes aside), so printed docs paths can be opened as is.
    docsRoot: options.docsDir.replace(/[\\/]+$/, '') || options.docsDir,
    specRoot: displayPath(specDir),
    allowlist: allowName,
    docsMethods: comparison.docsMethods,
    specMethods: comparison.specMethods,
    compared: comparison.compared,
    files: Object.fromEntries(comparison.files),
    differences: checked,
    stale,
    ...(examples ? { examples } : {}),
  };
}
