import type { Bump } from './version.js';

/**
 * What the spec changes since the last release require: the spec diff between `spec/` at the
 * release tag and the working tree's `spec/`, with the CHANGELOG entry body it makes.
 */
export async function requiredBump(lastTag: string, root = process.cwd()): Promise<{ bump: Bump | 'none'; changelog: string }> {
  const { compareApis, bumpOf, changelogBody, specTextsAt } = await import('../diff/index.js');
  const { loadSpec, loadSpecTexts } = await import('../load/index.js');
  const { join } = await import('node:path');
  const base = loadSpecTexts(specTextsAt(lastTag, 'spec', root), `${lastTag}:spec`);
  const head = loadSpec(join(root, 'spec'));
  const changes = compareApis(base, head);
  return { bump: bumpOf(changes), changelog: changelogBody(changes) };
}
