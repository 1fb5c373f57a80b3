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

function timeMs(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  return performance.now() - t;
}

export interface Timing {
  min: number;
  median: number;
}

function stats(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { min: Math.round(s[0]), median: Math.round(s[Math.floor(s.length / 2)]) };
}

export interface GenerationRow {
  size: string;
  methods: number;
  /** Caches off (B24GEN_CACHE=0): every file parsed, printed and formatted, as on a fresh clone. */
  b24genUncached: Timing;
  /** Load and format caches warm (a maintainer's later runs), into an empty output folder. */
  b24gen: Timing;
  openapiTypescript: Timing;
  heyApi: Timing;
}

export function generationRuns(runs = 3): { rows: GenerationRow[]; incremental: Timing; incrementalMethods: number } {
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
      const sample = (run: (out: string) => number) =>
        stats(
          Array.from({ length: runs }, (_, i) => {
            const out = join(temp, `out-${i}`);
            rmSync(out, { recursive: true, force: true });
            return run(out);
          }),
        );
      rows.push({
        size,
        methods,
        b24genUncached: sample((out) => timeMs(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out], { ...process.env, B24GEN_CACHE: '0' })),
        b24gen: (() => {
          // One run fills the caches; the samples are the runs after it.
          execFileSync(process.execPath, [BIN, 'generate', '--spec', spec, '--out', join(temp, 'warm-up')], { stdio: 'ignore' });
          return sample((out) => timeMs(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out]));
        })(),
        openapiTypescript: sample((out) => timeMs(process.execPath, [join(COMPETITORS, 'node_modules/openapi-typescript/bin/cli.js'), openapi, '-o', join(out, 'schema.ts')])),
        heyApi: sample((out) => timeMs(join(COMPETITORS, 'node_modules/.bin/openapi-ts'), ['-i', openapi, '-o', out, '-c', '@hey-api/client-fetch', '-s'])),
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
      return timeMs(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out]);
    });
    return { rows, incremental: stats(samples), incrementalMethods: rows.at(-1)!.methods };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
