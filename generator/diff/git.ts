import { execFileSync } from 'node:child_process';
import { DOCS_DIFF_ALLOWLIST, DOCS_SYNC_RECORD, type SpecText } from '../load/index.js';

/** A git revision that cannot be read: the message says which and why. */
export class GitReadError extends Error {}

/**
 * The spec files at a git revision, read without a checkout (`git ls-tree` + `git show`),
 * with paths relative to the spec folder. Arguments go to git as an argv array, never a shell.
 */
export function specTextsAt(ref: string, specPath = 'spec', cwd = process.cwd()): SpecText[] {
  if (ref.startsWith('-')) throw new GitReadError(`"${ref}" is not a git revision`);
  const git = (args: string[], why?: string) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    } catch (err) {
      const stderr = ((err as { stderr?: string }).stderr ?? '').trim();
      throw new GitReadError(`cannot read ${specPath}/ at git revision "${ref}": ${stderr || why || (err as Error).message}`);
    }
  };
  // --quiet: git says nothing when the name is no commit, so the message says it.
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], 'no commit by that name in this repository');
  const prefix = specPath.replace(/\/+$/, '');
  const files = git(['ls-tree', '-r', '--name-only', ref, '--', `${prefix}/`])
    .split('\n')
    .filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && f !== `${prefix}/${DOCS_DIFF_ALLOWLIST}` && f !== `${prefix}/${DOCS_SYNC_RECORD}`);
  if (files.length === 0) throw new GitReadError(`git revision "${ref}" has no ${prefix}/*.yaml files`);
  return files.map((file) => ({ path: file.slice(prefix.length + 1), text: git(['show', `${ref}:${file}`]) }));
}
