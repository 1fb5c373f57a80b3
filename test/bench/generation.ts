import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticSpec } from './synthetic.js';

/**
 * Generation speed, cold process, formatting and writing included: b24gen on the real spec and on
 * synthetic specs of 40, 400 and 2,000 methods, against openapi-typescript and
 * @hey-api/openapi-ts (types + sdk + fetch client) generating from b24gen's own OpenAPI export
 * of the same spec. Each is run several times; min and median are reported. b24gen is measured
 * with its caches off (a fresh clone's run) and warm (later runs).
 */
const BIN = resolve('generator/bin/b24gen.mjs');
const COMPETITORS = resolve('test/bench/competitors');

export function ensureCompetitors(): void {
  if (existsSync(join(COMPETITORS, 'node_modules/.bin/openapi-typescript'))) return;
  console.log('installing the competitors into test/bench/competitors (npm ci) ...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: COMPETITORS, stdio: 'inherit' });
}

/** One run of a command: wall time, and CPU time (user + system, every thread) where the OS tells it. */
interface Sample {
  ms: number;
  cpuMs: number | undefined;
}

function timeRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Sample {
  const cpuBefore = childrenCpuMs();
  const t = performance.now();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  const ms = performance.now() - t;
  const cpuAfter = childrenCpuMs();
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/** Clock ticks per second, the unit of /proc's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * The CPU time (user + system, ms) of this process's children that have ended, from
 * /proc/self/stat (cutime, cstime: fields 16 and 17, counted after the parenthesised command
 * name, which may hold spaces); undefined where there is no /proc (not Linux).
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

export interface Timing {
  min: number;
  median: number;
  /** Median CPU time in ms (every thread, user + system), when the OS tells it. */
  cpuMedian: number | undefined;
}

function stats(samples: Sample[]): Timing {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const walls = samples.map((x) => x.ms);
  const cpus = samples.map((x) => x.cpuMs);
  return {
    min: Math.round(Math.min(...walls)),
    median: Math.round(median(walls)),
    cpuMedian: cpus.every((x) => x !== undefined) ? Math.round(median(cpus as number[])) : undefined,
  };
}

export interface GenerationRow {
  size: string;
  methods: number;
  /** Runs of each tool. */
  runs: number;
  /** Caches off (B24GEN_CACHE=0): every file parsed, printed and formatted, as on a fresh clone. */
  b24genUncached: Timing;
  /** Load and format caches warm (a maintainer's later runs), into an empty output folder. */
  b24gen: Timing;
  openapiTypescript: Timing;
  heyApi: Timing;
}

/**
 * `runs` runs of each tool per spec (`largestRuns` on the 2,000-method one, where hey-api takes
 * over a minute a run); the one-method regeneration `runs` times.
 */
export function generationRuns(runs = 5, largestRuns = 3): { rows: GenerationRow[]; incremental: Timing; incrementalMethods: number } {
  ensureCompetitors();
  const temp = mkdtempSync(join(tmpdir(), 'b24gen-genbench-'));
  const rows: GenerationRow[] = [];
  try {
    const specs: [string, string][] = [['real spec', resolve('spec')]];
    for (const n of [40, 400, 2000]) specs.push([`synthetic ${n}`, writeSyntheticSpec(join(temp, `spec-${n}`), n)]);
    for (const [size, spec] of specs) {
      const openapi = join(temp, `${size.replace(/\W+/g, '-')}.json`);
      execFileSync(process.execPath, [BIN, 'openapi', '--spec', spec, '--out', openapi], { stdio: 'ignore' });
      const methods = Object.keys((JSON.parse(readFileSync(openapi, 'utf8')) as { paths: object }).paths).length;
      // The tools take turns, run after run (each round in another order), so a slow spell of
      // the machine falls on all of them rather than on one tool's runs.
      const tools: Record<'b24genUncached' | 'b24gen' | 'openapiTypescript' | 'heyApi', (out: string) => Sample> = {
        b24genUncached: (out) => timeRun(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out], { ...process.env, B24GEN_CACHE: '0' }),
        b24gen: (out) => timeRun(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out]),
        openapiTypescript: (out) => timeRun(process.execPath, [join(COMPETITORS, 'node_modules/openapi-typescript/bin/cli.js'), openapi, '-o', join(out, 'schema.ts')]),
        heyApi: (out) => timeRun(join(COMPETITORS, 'node_modules/.bin/openapi-ts'), ['-i', openapi, '-o', out, '-c', '@hey-api/client-fetch', '-s']),
      };
      // One run fills b24gen's caches; its caches-warm samples are the runs after it.
      execFileSync(process.execPath, [BIN, 'generate', '--spec', spec, '--out', join(temp, 'warm-up')], { stdio: 'ignore' });
      const names = Object.keys(tools) as (keyof typeof tools)[];
      const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<keyof typeof tools, Sample[]>;
      const rounds = methods >= 2000 ? largestRuns : runs;
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(k + round) % names.length];
          const out = join(temp, 'out');
          rmSync(out, { recursive: true, force: true });
          samples[name].push(tools[name](out));
        }
      }
      rows.push({
        size,
        methods,
        runs: rounds,
        b24genUncached: stats(samples.b24genUncached),
        b24gen: stats(samples.b24gen),
        openapiTypescript: stats(samples.openapiTypescript),
        heyApi: stats(samples.heyApi),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
    // One method changed on the largest spec, the output already there.
    const spec = specs.at(-1)![1];
    const out = join(temp, 'incremental');
    execFileSync(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out], { stdio: 'ignore' });
    const file = join(spec, 'imbot.v2', 'Synth0.Chat.Message.send.yaml');
    const original = readFileSync(file, 'utf8');
    const samples = Array.from({ length: runs }, (_, i) => {
      writeFileSync(file, original.replace(/^summary: .*$/m, `summary: Changed ${i}.`));
      return timeRun(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out]);
    });
    return { rows, incremental: stats(samples), incrementalMethods: rows.at(-1)!.methods };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
