import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { displayPath, loadSpec, loadSpecTexts } from '../load/index.js';
import type { Api } from '../model/ir.js';
import { GitReadError, specTextsAt } from './git.js';

/** One side of a diff: a spec folder on disk, or `spec/` at a git revision. */
export interface Side {
  /** As shown to the reader: the folder, or `REF:spec`. */
  label: string;
  api: Api;
  /** The prefix of every `at.file` of this side (`spec`, `/tmp/x/spec`, `HEAD~1:spec`), when known. */
  root?: string;
  /** The spec folder as the repository names it (`spec`), when the side is in the repository the diff runs in. */
  repoDir?: string;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder when `arg` is one, otherwise a git revision whose `spec/` is read without a checkout. */
export function loadSide(arg: string, options: { gitRef?: boolean } = {}): Side {
  if (!options.gitRef && isDirectory(arg)) {
    const dir = resolve(arg);
    return { label: arg, api: loadSpec(dir), root: displayPath(dir), ...repoDirOf(dir) };
  }
  const label = `${arg}:spec`;
  let texts;
  try {
    texts = specTextsAt(arg);
  } catch (err) {
    // Either could have been meant: say that neither was found.
    if (err instanceof GitReadError && !options.gitRef) throw new GitReadError(`"${arg}" is not a folder, and ${err.message}`);
    throw err;
  }
  return { label, api: loadSpecTexts(texts, label), root: label, repoDir: 'spec' };
}

/** `{ repoDir }` when `dir` is inside the git work tree of the working directory. */
function repoDirOf(dir: string): { repoDir?: string } {
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return {};
  }
  const rel = relative(top, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) return {};
  return { repoDir: rel.split(sep).join('/') };
}

/**
 * A spec file's path as the repository names it (`spec/imbot.v2/Bot.list.yaml`), for a file of
 * either side: the head's spec folder in the repository, or the base's when only it is there (a
 * removal read from a revision or from a copy of the base outside the repository). Unchanged
 * when neither side is in the repository.
 */
export function repoPath(file: string, base: Side, head: Side): string {
  for (const side of [head, base]) {
    if (!side.root || !file.startsWith(`${side.root}/`)) continue;
    const dir = head.repoDir ?? base.repoDir;
    return dir === undefined ? file : `${dir === '' ? '' : `${dir}/`}${file.slice(side.root.length + 1)}`;
  }
  return file;
}
