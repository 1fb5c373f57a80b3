import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareStrings, type Api } from '../model/ir.js';
import { buildApi, type ValidFile } from './build-ir.js';
import { ProblemList, SpecError } from './spec-error.js';
import { LoadCache } from './load-cache.js';

export { SpecError, formatProblem, type SpecProblem } from './spec-error.js';

/** Spec files, as `{ path relative to the spec root, text }`; how a spec reaches the loader. */
export interface SpecText {
  /** `/`-separated, relative to the spec root: `imbot.v2/Chat.InputAction.notify.yaml`. */
  path: string;
  text: string;
}

/**
 * `spec/docs-diff-allow.yaml` sits in the spec folder but is not a spec file: it is docs-diff's
 * list of deliberate differences from the docs (read by generator/docs/allowlist.ts).
 */
export const DOCS_DIFF_ALLOWLIST = 'docs-diff-allow.yaml';

/**
 * `spec/docs-sync.yaml` is not a spec file either: docs-sync's record of the docs revision the
 * spec follows and the hash of each page it was last checked against (generator/docs/sync/record.ts).
 */
export const DOCS_SYNC_RECORD = 'docs-sync.yaml';

/** Reads every `*.yaml` under `dir` (sorted, so the order of the file system never matters). */
export function readSpecDir(dir: string): SpecText[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    throw new SpecError([{ file: displayPath(dir), line: 1, col: 1, message: 'cannot read the spec folder (does it exist?)' }]);
  }
  return entries
    .map((e) => e.split(sep).join('/'))
    .filter((e) => (e.endsWith('.yaml') || e.endsWith('.yml')) && e !== DOCS_DIFF_ALLOWLIST && e !== DOCS_SYNC_RECORD)
    .sort(compareStrings)
    .map((path) => ({ path, text: readFileSync(join(dir, path), 'utf8') }));
}

/**
 * load: YAML text -> schema-checked data -> resolved IR. Throws a SpecError listing every
 * located problem; returns an IR only when the whole spec is sound.
 *
 * `displayRoot` is how the spec root is named in messages (e.g. `spec`), so problems read
 * `spec/imbot.v2/Chat.InputAction.notify.yaml:14:7: ...`.
 */
/**
 * `checkResultExamples: false` leaves each method's `result.example` unchecked against its result
 * type: docs-sync's rounds change types first and bring the examples in line last.
 */
export function loadSpecTexts(texts: SpecText[], displayRoot: string, options: { checkResultExamples?: boolean } = {}): Api {
  const problems = new ProblemList();
  const cache = new LoadCache();
  const valid: ValidFile[] = [];
  for (const { path, text } of [...texts].sort((a, b) => compareStrings(a.path, b.path))) {
    const file = displayRoot ? `${displayRoot}/${path}` : path;
    if (path.endsWith('.yml')) {
      problems.add({ file, line: 1, col: 1 }, 'spec files end in .yaml; rename this one');
      continue;
    }
    const source = cache.load(file, text, problems);
    if (!source) continue;
    const slash = path.lastIndexOf('/');
    valid.push({ source, folder: slash < 0 ? '' : path.slice(0, slash), stem: path.slice(slash + 1).replace(/\.yaml$/, '') });
  }
  const api = buildApi(valid, problems, { checkResultExamples: options.checkResultExamples !== false });
  cache.save();
  problems.throwIfAny();
  return api;
}

/** Loads the spec folder `dir`. */
export function loadSpec(dir: string): Api {
  return loadSpecTexts(readSpecDir(dir), displayPath(dir));
}

/** `dir` relative to the working directory when inside it, so messages stay short and clickable. */
export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  const shown = rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
  return shown.split(sep).join('/');
}
