import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpec, loadSpecTexts } from '../load/index.js';
import type { Api } from '../model/ir.js';
import { GitReadError, specTextsAt } from './git.js';

/** One side of a diff: a spec folder on disk, or `spec/` at a git revision. */
export interface Side {
  /** As shown to the reader: the folder, or `REF:spec`. */
  label: string;
  api: Api;
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
  if (!options.gitRef && isDirectory(arg)) return { label: arg, api: loadSpec(resolve(arg)) };
  const label = `${arg}:spec`;
  let texts;
  try {
    texts = specTextsAt(arg);
  } catch (err) {
    // Either could have been meant: say that neither was found.
    if (err instanceof GitReadError && !options.gitRef) throw new GitReadError(`"${arg}" is not a folder, and ${err.message}`);
    throw err;
  }
  return { label, api: loadSpecTexts(texts, label) };
}
