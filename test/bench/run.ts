import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { TSC } from '../../generator/package/build.js';
import { bundleSizes } from './bundle.js';
import { ensureCompetitors, type GenerationRow, generationRuns, type Timing } from './generation.js';
import { loadRun } from './load.js';
import { nodeBinary, otherNodeVersions } from './node-versions.js';
import { type OverheadResult, perCallOverhead, perCallOverheadUnder, SIDES, type Side, type SideResult } from './overhead.js';
import { parallelism } from './parallelism.js';

/**
 * `npm run bench`: measurements that do not belong in timed unit tests (machines are noisy).
 * Prints each section and writes it into test/bench/RESULTS.md, with the machine described.
 */
const sections: string[] = [];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

const SECTIONS = ['load', 'generation', 'parallelism', 'overhead', 'typecheck', 'bundle'];
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
      `Regenerating after a one-method change on the ${incrementalMethods}-method spec (output and caches already there): ${t(incremental)} ms (target < 1000).\n`,
  );
  console.log(sections.at(-1));
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

if (want('parallelism')) {
  const r = await parallelism();
  sections.push(
    `## Two threads at once: what a second thread gives on this machine\n\n` +
      `prettier formatting the ${r.files} method files of generated/src/imbot.v2 eight times, in one worker thread alone and in two at once (each the same work); ms per round, the slower of the pair. ` +
      `The same again in a Node started with \`--single-threaded\`, where V8 compiles and collects garbage on the formatting thread itself instead of on helper threads.\n\n` +
      `| threads | rounds (ms) |\n| --- | --- |\n| one alone | ${r.aloneMs.join(', ')} |\n| two at once | ${r.pairMs.join(', ')} |\n` +
      `| one alone, \`--single-threaded\` | ${r.singleThreaded.aloneMs.join(', ')} |\n| two at once, \`--single-threaded\` | ${r.singleThreaded.pairMs.join(', ')} |\n\n` +
      `Each of two threads takes ${r.slowdown}× as long as one alone (median rounds): two threads do ${r.speedup}× the work of one, not 2×. ` +
      `One thread formatting alone keeps ${r.aloneCores.toFixed(2)} cores busy (CPU time of every thread over wall time): V8's helper threads, compiling hot code and collecting garbage, already use part of the second core. ` +
      `Without them (\`--single-threaded\`, ${r.singleThreaded.aloneCores.toFixed(2)} cores) each of two threads takes ${r.singleThreaded.slowdown}× as long as one alone: ` +
      `${r.singleThreaded.slowdown <= 1.15 ? "what slows a pair down is mostly V8's helper threads, not the cores or memory" : 'the cores or their memory are shared as well'}. ` +
      `A loop of integer arithmetic that touches no memory takes ${r.arithmeticSlowdown}× as long in two threads at once: ${r.arithmeticSlowdown <= 1.1 ? 'the cores themselves are not shared' : 'the cores themselves are shared'}. ` +
      `This is why the main thread formats too only from 1,000 files, and why the print worker, which loads ts-morph and prettier and then formats while the main thread loads the spec, gains less here than it would with more cores.\n`,
  );
  console.log(sections.at(-1));
}

if (want('overhead')) {
  const r = await perCallOverhead();
  const within = (side: SideResult) => side.medianCallRatio <= 1.05 && side.totalRatio <= 1.05;
  const verdict = (side: SideResult) => (within(side) ? '**met**' : '**NOT met**');
  const again = r.sides.fetchAgain;
  const rows = (Object.keys(SIDES) as Side[]).map((key) => {
    const side = r.sides[key];
    return `| ${SIDES[key]} | ${side.medianCallUs} | ${side.medianCallRatio} | ${side.totalRatio} | ${side.roundRatios.join(', ')} | ${side.minRatio} / ${side.medianRatio} |`;
  });
  sections.push(
    `## Per-call overhead: ${r.calls.toLocaleString('en')} sequential calls per side, loopback server\n\n` +
      `The sides take turns call by call (each step makes one call of every side, the order turning by one each step), ` +
      `${r.rounds} rounds of ${r.perRound.toLocaleString('en')} steps; each call is timed alone. ` +
      `The client is generated/src compiled to JavaScript (as in dist/). Ratios are over bare fetch.\n\n` +
      `| side | median call (µs) | ratio of the median calls | ratio of all calls' time | per round | fastest / median round |\n| --- | --- | --- | --- | --- | --- |\n` +
      `${rows.join('\n')}\n\n` +
      `How far apart two equal sides come out here: bare fetch against itself ${again.medianCallRatio} (median calls), ${again.totalRatio} (all calls), ${again.minRatio} to ${Math.max(...again.roundRatios)} (rounds).\n\n` +
      `Target: client within 5% of bare fetch, by the median call and by all calls' time (both <= 1.05): ${verdict(r.sides.client)} in this run with the default timeout; ` +
      `${verdict(r.sides.untimed)} with \`timeout: Infinity\`.\n\n` +
      otherNodeLines(verdict),
  );
  console.log(sections.at(-1));
}

/**
 * The same measurement under the other Node lines the package supports (each installed on first
 * use into test/bench/.node), one process each: what a timeout costs depends on the fetch each
 * line bundles, and the client's default timeout goes through that fetch's own dispatcher.
 */
function otherNodeLines(verdict: (side: SideResult) => string): string {
  const rows = otherNodeVersions().map((version) => {
    const node = nodeBinary(version);
    if ('unavailable' in node) return `| ${version} | not measured: ${node.unavailable} | | | | | |`;
    let r: OverheadResult;
    try {
      r = perCallOverheadUnder(node.path);
    } catch (err) {
      // A line the bench's own tools (tsx, esbuild) do not run under is reported, not fatal;
      // the child's own error went to this run's stderr.
      return `| ${version} | not measured: the measurement failed under it (exit ${(err as { status?: number }).status ?? 'by a signal'}) | | | | | |`;
    }
    const pair = (side: SideResult) => `${side.medianCallRatio} / ${side.totalRatio}`;
    return `| ${version} | ${pair(r.sides.client)} | ${pair(r.sides.signalTimeout)} | ${pair(r.sides.signal)} | ${pair(r.sides.untimed)} | ${pair(r.sides.fetchAgain)} | ${verdict(r.sides.client)}; ${verdict(r.sides.untimed)} |`;
  });
  return (
    `Under the other Node lines the package supports (the same measurement, one process each; ratios of the median calls / of all calls' time):\n\n` +
    `| Node | generated client | client, \`timeout: 9999\` (signal) | bare fetch + signal | client, \`timeout: Infinity\` | bare fetch again | target: default timeout; \`timeout: Infinity\` |\n| --- | --- | --- | --- | --- | --- | --- |\n` +
    `${rows.join('\n')}\n`
  );
}

if (want('typecheck')) {
  const runs = Array.from({ length: 3 }, () => {
    const t = performance.now();
    execFileSync(TSC, ['-p', 'generated/tsconfig.json', '--noEmit'], { stdio: 'ignore' });
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
      `\n\nTarget for one method + runtime (the README's lean code): <= 3 KB gzipped.\n`,
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
