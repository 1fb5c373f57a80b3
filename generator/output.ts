import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** How the files on disk differ from what the spec produces. */
export interface OutputDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Files under `dir`, `/`-separated and sorted; empty when `dir` does not exist. */
function filesOnDisk(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join('/'))
    .sort();
}

/** Every file under `dir` with its text, `/`-separated paths in order; empty when `dir` does not exist. */
export function readOutput(dir: string): Map<string, string> {
  return new Map(filesOnDisk(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/** How `onDisk` (what `readOutput` read, by default now) differs from `files`. */
export function diffOutput(dir: string, files: Map<string, string>, onDisk = readOutput(dir)): OutputDiff {
  const diff: OutputDiff = { added: [], changed: [], removed: [] };
  for (const [path, text] of files) {
    const current = onDisk.get(path);
    if (current === undefined) diff.added.push(path);
    else if (current !== text) diff.changed.push(path);
  }
  for (const path of onDisk.keys()) if (!files.has(path)) diff.removed.push(path);
  return diff;
}

/**
 * Brings `dir` to exactly `files`: writes only files whose text changed (each through a temp
 * file and a rename, so a reader never sees half a file), and deletes files the spec no longer
 * produces. Unchanged files are not touched, so their timestamps stay put. `onDisk`: what
 * `readOutput(dir)` gave, when the caller read it earlier (while the files were printed).
 */
export function writeOutput(dir: string, files: Map<string, string>, onDisk = readOutput(dir)): OutputDiff {
  const diff = diffOutput(dir, files, onDisk);
  for (const path of [...diff.added, ...diff.changed]) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, files.get(path)!, 'utf8');
    renameSync(temp, target);
  }
  for (const path of diff.removed) {
    rmSync(join(dir, path));
    removeEmptyParents(dir, dirname(join(dir, path)));
  }
  return diff;
}

/** Whether the file at `path` is missing or holds other text than `text`. */
export function fileDiffers(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') !== text;
  } catch {
    return true;
  }
}

/** Writes one file (temp + rename) when its text changed; returns whether it did. */
export function writeFileIfChanged(path: string, text: string): boolean {
  if (!fileDiffers(path, text)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, path);
  return true;
}

function removeEmptyParents(root: string, dir: string): void {
  let current = dir;
  while (current.startsWith(root) && current !== root) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
