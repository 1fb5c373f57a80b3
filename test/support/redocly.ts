import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** One finding of `redocly lint --format json`. */
export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

export interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
  /** Connections the linter tried to open (each refused), from test/support/no-network.cjs. */
  connections: string[];
  /** What the linter left in the home folder it was given (an empty folder before). */
  homeEntries: string[];
}

const require = createRequire(import.meta.url);
const REDOCLY_BIN = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const NO_NETWORK = resolve('test/support/no-network.cjs');

/**
 * Runs the real `redocly lint` with its recommended rules on `file`, offline and quiet:
 * telemetry off (REDOCLY_TELEMETRY=off: it would post to otel.cloud.redocly.com), no update
 * notice (REDOCLY_SUPPRESS_UPDATE_NOTICE=true: it would read and write ~/.redocly), every
 * connection refused and recorded, and an empty home folder of its own under `work` (so no
 * user config is read, and what it writes shows). `work` is also the working directory, so no
 * redocly.yaml of the project or the user applies; `--extends recommended` names the rules.
 */
export function redoclyLint(file: string, work: string): Promise<LintReport> {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  const networkLog = join(work, 'network.log');
  const env = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    B24GEN_NETWORK_LOG: networkLog,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(NO_NETWORK)}`.trim(),
  };
  const args = [REDOCLY_BIN, 'lint', file, '--extends', 'recommended', '--format', 'json', '--max-problems', '100000'];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => {
      let report: Omit<LintReport, 'connections' | 'homeEntries'>;
      try {
        report = JSON.parse(out) as typeof report;
      } catch {
        fail(new Error(`redocly lint ${file} exited ${code} without a JSON report:\n${out}\n${err}`));
        return;
      }
      // Exit 1 is how it says "errors found"; the report says which.
      if (code !== 0 && code !== 1) {
        fail(new Error(`redocly lint ${file} exited ${code}:\n${err}`));
        return;
      }
      const connections = existsSync(networkLog) ? readFileSync(networkLog, 'utf8').split('\n').filter(Boolean) : [];
      done({ ...report, connections, homeEntries: readdirSync(home) });
    });
  });
}

/** A problem as one line a maintainer can act on: rule, severity, where, what. */
export function describeProblem(p: LintProblem): string {
  return `${p.severity} ${p.ruleId} at ${p.location.map((l) => l.pointer).join(', ')}: ${p.message}`;
}
