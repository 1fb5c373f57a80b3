import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareStrings, type Api } from '../model/ir.js';
import { buildApi, type ValidFile } from './build-ir.js';
import { ProblemList, SpecError } from './spec-error.js';
import { validateAgainstSchema } from './validate.js';
import { LoadCache } from './load-cache.js';
import { BuiltSource, declaresOnlyAMethod, IrCache, typeNamesKey, type StoredIr } from './ir-cache.js';
import { parseSpecFile } from './spec-file.js';
import type { SpecSource } from './yaml-source.js';

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
    .filter((e) => (e.endsWith('.yaml') || e.endsWith('.yml')) && e !== DOCS_DIFF_ALLOWLIST)
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
export function loadSpecTexts(texts: SpecText[], displayRoot: string): Api {
  const problems = new ProblemList();
  const loadCache = LoadCache.open();
  const irCache = IrCache.open();
  const load = (file: string, text: string): SpecSource | undefined => {
    const stored = loadCache?.get(file, text);
    if (stored) return stored;
    const parsed = parseSpecFile(file, text, problems);
    if (!parsed || !validateAgainstSchema(parsed, problems)) return undefined;
    loadCache?.set(text, parsed);
    return parsed;
  };

  // Each file in path order: loaded, or (a method file seen before) its stored IR.
  const entries: { file: string; text: string; folder: string; stem: string; source?: SpecSource; stored?: StoredIr }[] = [];
  for (const { path, text } of [...texts].sort((a, b) => compareStrings(a.path, b.path))) {
    const file = displayRoot ? `${displayRoot}/${path}` : path;
    if (path.endsWith('.yml')) {
      problems.add({ file, line: 1, col: 1 }, 'spec files end in .yaml; rename this one');
      continue;
    }
    const slash = path.lastIndexOf('/');
    const entry = { file, text, folder: slash < 0 ? '' : path.slice(0, slash), stem: path.slice(slash + 1).replace(/\.yaml$/, '') };
    const stored = irCache?.get(file, text);
    entries.push(stored ? { ...entry, stored } : { ...entry, source: load(file, text) });
  }
  // A stored IR holds while the named types are the ones it was built against. They come only
  // from loaded files (a stored method file declares none); otherwise the file is loaded after all.
  const typeNames = typeNamesKey(entries.flatMap((e) => Object.keys((e.source?.data as { types?: object } | undefined)?.types ?? {})));
  for (const e of entries) {
    if (e.stored && e.stored.typeNames !== typeNames) {
      e.stored = undefined;
      e.source = load(e.file, e.text);
    }
  }
  const valid: ValidFile[] = entries.flatMap(({ folder, stem, source, stored }) =>
    stored ? [{ source: new BuiltSource(stored.method), folder, stem, method: stored.method }] : source ? [{ source, folder, stem }] : [],
  );
  const api = buildApi(valid, problems);
  problems.throwIfAny();
  if (irCache) {
    // Keep the IR of each method file built this time that declares nothing shared.
    const byFile = new Map(api.methods.map((m) => [m.at.file, m]));
    for (const e of entries) {
      const method = byFile.get(e.file);
      if (e.source && method && declaresOnlyAMethod(e.source.data)) irCache.set(e.file, e.text, typeNames, method);
    }
  }
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
