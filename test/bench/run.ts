import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { TSC } from '../../generator/package/build.js';
import { bundleSizes } from './bundle.js';
import { ensureCompetitors, type GenerationRow, generationRuns, type Timing } from './generation.js';
import { loadRun } from './load.js';
import { CPU_SIDES, CPU_TARGET_US, cpuPerCall, type CpuSide, loopbackRatio } from './overhead.js';
import { storesRun } from './stores.js';

/**
 * `npm run bench`: measurements that do not belong in timed unit tests (machines are noisy).
 * Prints each section and writes it into test/bench/RESULTS.md, with the machine described.
 */
const sections: string[] = [];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

const SECTIONS = ['load', 'generation', 'overhead', 'stores', 'typecheck', 'bundle'];
const USAGE = `Usage: npm run bench -- [section ...]\n\nSections: ${SECTIONS.join(', ')} (default: all, written to test/bench/RESULTS.md;\nsome only: written with B24GEN_BENCH_WRITE=1).`;
const only = process.argv.slice(2);
if (only.includes('--help') || only.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = only.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) {
  // A mistyped section must not pass for a run that measured nothing.
  console.error(`bench: no section ${unknown.map((name) => JSON.stringify(name)).join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('load')) {
  const r = await loadRun();
  const ok = r.lost === 0 && r.duplicates === 0 && r.surfacedQueryLimit === 0 && r.throughputRatio >= 0.9;
  sections.push(
    `## Load: 2,000 concurrent Chat.Message.send through one client\n\n` +
      `Fake portal bucket: limit ${r.limit}, drain ${r.drainPerSecond}/s (scaled so the run takes about 10 s).\n\n` +
      `| calls | lost | duplicates executed | QUERY_LIMIT_EXCEEDED surfaced | refused by the portal (retried) | time | throughput / theoretical max |\n| --- | --- | --- | --- | --- | --- | --- |\n` +
      `| ${r.calls} | ${r.lost} | ${r.duplicates} | ${r.surfacedQueryLimit} | ${r.rejectedByPortal} | ${r.seconds} s | ${r.throughputRatio} |\n\n` +
      `Targets: lost 0, duplicates 0, surfaced 0, ratio >= 0.9: **${ok ? 'met' : 'NOT met'}**.\n`,
  );
  console.log(sections.at(-1));
}

if (want('generation')) {
  const { rows, incremental, incrementalMethods } = generationRuns();
  const t = (x: Timing) => `${x.min} / ${x.median}`;
  const ratio = (a: Timing, b: Timing) => (a.median / b.median).toFixed(2);
  const perMethod = (r: (typeof rows)[number]) => ((r.b24genUncached.median - rows[1].b24genUncached.median) / (r.methods - rows[1].methods)).toFixed(2);
  sections.push(
    `## Generation (cold process, formatting and writing included; ms, min / median of ${rows[0].runs} runs, ${rows.at(-1)!.runs} at ${rows.at(-1)!.methods.toLocaleString('en')} methods)\n\n` +
      `The tools take turns, run after run, so a slow spell of the machine falls on all of them (and each run may find files it read earlier gone from the OS's page cache, as a maintainer's run after a while would). ` +
      `b24gen without caches (\`B24GEN_CACHE=0\`: every spec file parsed, every output file printed and formatted, as on a fresh clone) and with its caches warm (a maintainer's later runs; the output folder empty each time).\n\n` +
      `| spec | methods | b24gen, no cache | b24gen, caches warm | openapi-typescript | @hey-api/openapi-ts | no cache / openapi-typescript | no cache / hey-api |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n` +
      rows.map((r) => `| ${r.size} | ${r.methods} | ${t(r.b24genUncached)} | ${t(r.b24gen)} | ${t(r.openapiTypescript)} | ${t(r.heyApi)} | ${ratio(r.b24genUncached, r.openapiTypescript)} | ${ratio(r.b24genUncached, r.heyApi)} |`).join('\n') +
      `\n\nb24gen emits more than the others (one module per method, an error class per code, enums with their texts, JSDoc, the bound bot, events); the competitors read b24gen's OpenAPI export of the same spec.\n\n` +
      cpuTable(rows) +
      `Growth without cache, ms per added method (median): ${rows.slice(2).map((r) => `${rows[1].methods} -> ${r.methods}: ${perMethod(r)}`).join('; ')}.\n\n` +
      `Regenerating after a one-method change on the ${incrementalMethods}-method spec (output and caches already there): ${t(incremental)} ms (target < 1500).\n`,
  );
  console.log(sections.at(-1));
}

/** The commit measured, marked when the work tree differs from it. */
function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

/**
 * CPU time beside the wall times: every thread of each run counted (b24gen's main thread and
 * print worker, and in every tool V8's compiler and garbage-collector threads), so it shows how
 * much work each tool does, however much of it overlaps. Empty where the OS does not tell it.
 */
function cpuTable(rows: GenerationRow[]): string {
  if (!rows.every((r) => [r.b24genUncached, r.b24gen, r.openapiTypescript, r.heyApi].every((x) => x.cpuMedian !== undefined))) return '';
  const s = (x: Timing) => (x.cpuMedian! / 1000).toFixed(2);
  return (
    `CPU time of the same runs (user + system, every thread; s, median), and its ratio to the wall time (how many cores each kept busy):\n\n` +
    `| spec | b24gen, no cache | b24gen, caches warm | openapi-typescript | @hey-api/openapi-ts | no cache / openapi-typescript |\n| --- | --- | --- | --- | --- | --- |\n` +
    rows
      .map((r) => {
        const cell = (x: Timing) => `${s(x)} (${(x.cpuMedian! / x.median).toFixed(2)})`;
        return `| ${r.size} | ${cell(r.b24genUncached)} | ${cell(r.b24gen)} | ${cell(r.openapiTypescript)} | ${cell(r.heyApi)} | ${(r.b24genUncached.cpuMedian! / r.openapiTypescript.cpuMedian!).toFixed(2)} |`;
      })
      .join('\n') +
    '\n\n'
  );
}

if (want('overhead')) {
  const r = await cpuPerCall();
  const loop = await loopbackRatio();
  const own = r.sides.client.ownUs;
  const rows = (Object.keys(CPU_SIDES) as CpuSide[]).map((key) => {
    const side = r.sides[key];
    return `| ${CPU_SIDES[key]} | ${side.medianUs} | ${key === 'stub' ? '' : side.ownUs} | ${side.roundUs.join(', ')} |`;
  });
  sections.push(
    `## Per-call overhead: the client's CPU time per call, with a fetch that answers at once\n\n` +
      `${machine}; commit ${commit()}.\n\n` +
      `CPU time of the process (user + system, every thread, so garbage collection counts) over ${r.calls.toLocaleString('en')} sequential calls, ` +
      `${r.rounds} rounds with the sides taking turns, µs per call of the median round. The client is generated/src compiled to JavaScript (as in dist/); ` +
      `its \`fetch\` hands back a ready Response at once (no network). The client's own part is each round's figure less the fetch's alone in that round (median over rounds).\n\n` +
      `| side | µs per call | client's own part | rounds |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n\n` +
      `Target: the default client's own CPU time per call <= ${CPU_TARGET_US} µs on Node 20: **${own <= CPU_TARGET_US ? 'met' : 'NOT met'}** (${own} µs; ${r.sides.client.medianUs} µs with the fetch's part)` +
      `${process.versions.node.startsWith('20.') ? '' : ` (this run: Node ${process.versions.node})`}.\n\n` +
      `For information, not a target: the default client against bare fetch on a server at 127.0.0.1, ${loop.calls.toLocaleString('en')} calls each, taking turns call by call (wall time): ` +
      `median call ${loop.clientUs} µs against ${loop.fetchUs} µs, ${loop.medianRatio} by the median calls, ${loop.totalRatio} by all calls' time.\n`,
  );
  console.log(sections.at(-1));
}

if (want('stores')) {
  const load = loadavg()[0]!;
  const r = await storesRun();
  const cell = (p: { p50: number; p99: number }) => `${p.p50} / ${p.p99}`;
  const signed = (d: number) => `${d >= 0 ? '+' : ''}${d.toFixed(1)}`;
  const added = (p: { p50: number; p99: number }, m: { p50: number; p99: number }) => `${signed(p.p50 - m.p50)} / ${signed(p.p99 - m.p99)}`;
  sections.push(
    'skipped' in r
      ? `## Shared stores: skipped (${r.skipped})\n`
      : `## Shared stores: what the Redis stores add per call (µs, p50 / p99)\n\n` +
          `${machine}; commit ${commit()}; load average ${load.toFixed(1)} at the start (the machine is shared); redis-server ${r.redisVersion} on 127.0.0.1 (a Redis across a network adds its round trip to every Redis figure).\n\n` +
          `${r.samples.toLocaleString('en')} sequential operations per side after a warm-up, the built package (generated/dist). The whole call is \`createClient\` with a \`fetch\` that answers at once, so the store's part is not hidden behind the network.\n\n` +
          `| operation | memory store | RedisBucketStore / RedisTokenStore, node-redis | the same, ioredis | added by Redis (node-redis) | added by Redis (ioredis) |\n| --- | --- | --- | --- | --- | --- |\n` +
          r.rows.map((row) => `| ${row.what} | ${cell(row.memory)} | ${cell(row.nodeRedis)} | ${cell(row.ioredis)} | ${added(row.nodeRedis, row.memory)} | ${added(row.ioredis, row.memory)} |`).join('\n') +
          `\n\nThe bucket is asked on every call; the token store only when a call meets \`expired_token\` (in the refresh: the stored pair is read, then the lock taken), never on the way of an ordinary call. The sides take turns in 5 rounds, so a slow spell of this shared machine falls on all of them; with other test suites running (the load average above), the p99s are mostly the scheduler's delay, and the p50s are the figures to read.\n`,
  );
  console.log(sections.at(-1));
}

if (want('typecheck')) {
  const runs = Array.from({ length: 3 }, () => {
    const t = performance.now();
    execFileSync(TSC[0]!, [...TSC.slice(1), '-p', 'generated/tsconfig.json', '--noEmit'], { stdio: 'ignore' });
    return Math.round(performance.now() - t);
  }).sort((a, b) => a - b);
  sections.push(`## Type-check time of generated/ (tsc --noEmit, strict)\n\nmin ${runs[0]} ms, median ${runs[1]} ms.\n`);
  console.log(sections.at(-1));
}

if (want('bundle')) {
  ensureCompetitors();
  const sizes = await bundleSizes();
  sections.push(
    `## Bundle size (esbuild, minified, browser)\n\n| bundle | minified | gzipped |\n| --- | --- | --- |\n` +
      sizes.map((s) => `| ${s.name} | ${s.bytes} B | ${s.gzip} B |`).join('\n') +
      `\n\nTarget for one method + runtime (the README's lean code): <= 3.75 KB gzipped.\n`,
  );
  console.log(sections.at(-1));
}

const resultsUrl = new URL('./RESULTS.md', import.meta.url);
if (only.length === 0 || process.env.B24GEN_BENCH_WRITE === '1') {
  // Each section this run produced replaces the one under the same heading (matched up to the
  // first ':' or '('); the others stay, among them the hand-written ones (the 10,000-case fuzz
  // run, the reading against the targets). `B24GEN_BENCH_WRITE=1 npx tsx test/bench/run.ts
  // overhead bundle` writes only those two. A full run also dates the header.
  const header = `# Benchmark results\n\nMachine: ${machine}. Run: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}).\n\n`;
  let text = existsSync(resultsUrl) ? readFileSync(resultsUrl, 'utf8') : header;
  const firstSection = text.search(/^## /m);
  if (only.length === 0) text = firstSection < 0 ? header : header + text.slice(firstSection);
  const key = (section: string) => section.split('\n')[0].split(/[:(]/)[0].trim();
  for (const section of sections) {
    const parts = text.split(/(?=^## )/m);
    const at = parts.findIndex((p) => key(p) === key(section));
    if (at >= 0) parts[at] = `${section}\n`;
    else parts.push(`${section}\n`);
    text = parts.join('');
  }
  writeFileSync(resultsUrl, text);
}
