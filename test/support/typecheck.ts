import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TSC } from '../../generator/package/build.js';

/**
 * Compiler options of a strict consumer project (what a bot developer's tsconfig would have), as
 * a tsconfig.json spells them. TypeScript's own lib files are not checked (`skipDefaultLibCheck`:
 * lib.dom.d.ts alone is most of the check time and none of ours); every other .d.ts is.
 */
export const STRICT_OPTIONS: Record<string, unknown> = {
  strict: true,
  noEmit: true,
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  lib: ['es2022', 'dom'],
  types: [],
  skipLibCheck: false,
  skipDefaultLibCheck: true,
};

export interface Problem {
  /** Absolute path; '' for a diagnostic of no file (a missing lib, an option). */
  file: string;
  /** 1-based; 0 without a file. */
  line: number;
  code: number;
  /** The message with its chain, one line per level, indented as tsc prints it. */
  message: string;
}

/**
 * Runs the native tsc (TypeScript 7, the same executable `b24gen build` runs) as `tsc -p project`
 * in `cwd` and parses what it prints, `file(line,col): error TSnnnn: message` and the indented
 * lines of the message's chain. Throws when tsc fails without a diagnostic (a crash, a bad flag).
 */
export function tsc(cwd: string, project: string): { status: number; problems: Problem[] } {
  let status = 0;
  let stdout: string;
  try {
    stdout = execFileSync(TSC[0]!, [...TSC.slice(1), '-p', project, '--pretty', 'false'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string };
    status = e.status ?? -1;
    stdout = e.stdout ?? '';
    if (!/error TS\d+/.test(stdout)) throw new Error(`tsc -p ${project} failed (status ${status}) with no diagnostic:\n${stdout}${e.stderr ?? ''}`);
  }
  const problems: Problem[] = [];
  for (const line of stdout.split('\n')) {
    const located = /^(.+)\((\d+),\d+\): error TS(\d+): (.*)$/.exec(line);
    const global = located ? undefined : /^error TS(\d+): (.*)$/.exec(line);
    if (located) problems.push({ file: resolve(cwd, located[1]), line: Number(located[2]), code: Number(located[3]), message: located[4] });
    else if (global) problems.push({ file: '', line: 0, code: Number(global[1]), message: global[2] });
    else if (/^\s+\S/.test(line) && problems.length > 0) problems[problems.length - 1].message += `\n${line}`;
  }
  return { status, problems };
}

/**
 * Type-checks `rootFiles` (real files on disk) in one program, like `tsc --strict --noEmit`, and
 * returns every diagnostic with its file and 1-based line. One tsc process per call: give it all
 * the files at once rather than one call per file.
 */
export function typecheck(rootFiles: string[], options: Record<string, unknown> = STRICT_OPTIONS): Problem[] {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-typecheck-'));
  try {
    const project = join(dir, 'tsconfig.json');
    writeFileSync(project, JSON.stringify({ compilerOptions: options, files: rootFiles.map((f) => resolve(f)) }));
    return tsc(process.cwd(), project).problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes each consumer file (name -> text) into `dir` (emptied first), type-checks them together
 * under `strict`, and returns them, by file and outside the consumers. The consumers import the
 * generated client by relative path, as the probes in types.test and usage-probes.test do.
 */
export function typecheckConsumers(dir: string, consumers: Record<string, string>): { all: Problem[]; inFile: (name: string) => Problem[]; elsewhere: () => Problem[] } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(consumers)) writeFileSync(join(dir, name), text);
  const all = typecheck(Object.keys(consumers).map((n) => join(dir, n)));
  const inFile = (name: string) => all.filter((p) => p.file.endsWith(`/${name}`));
  // Problems outside the consumers: the generated client itself failing under strict.
  const elsewhere = () => all.filter((p) => !Object.keys(consumers).some((n) => p.file.endsWith(`/${n}`)));
  return { all, inFile, elsewhere };
}
