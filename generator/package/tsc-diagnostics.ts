import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TSC } from './build.js';

/** One located TypeScript error: the file, its line, `TSnnnn`, the first line and the indented chain after it. */
export interface TscDiagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
  chain: string[];
}

/**
 * `tsc -p <dir>/tsconfig.json` (TypeScript 7, as the build uses) and its located diagnostics.
 * A failure with no located error (tsc missing, a broken tsconfig, a global `error TS...`) throws,
 * naming `purpose`, so a check that compiled nothing never reads as a clean one.
 */
export function tscDiagnostics(dir: string, purpose: string): TscDiagnostic[] {
  let stdout: string;
  try {
    stdout = execFileSync(TSC[0]!, [...TSC.slice(1), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string };
    stdout = e.stdout ?? '';
    if (!/error TS\d+/.test(stdout)) throw new Error(`${purpose}: tsc failed (status ${e.status}) with no diagnostic:\n${stdout}${e.stderr ?? ''}`);
  }
  const out: TscDiagnostic[] = [];
  for (const line of stdout.split('\n')) {
    const located = /^(.+)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (located) out.push({ file: resolve(dir, located[1]!), line: Number(located[2]), code: located[3]!, message: located[4]!, chain: [] });
    else if (/^error TS\d+/.test(line)) throw new Error(`${purpose}: ${line}`);
    else if (/^\s+\S/.test(line) && out.length > 0) out[out.length - 1]!.chain.push(line.trim());
  }
  return out;
}
