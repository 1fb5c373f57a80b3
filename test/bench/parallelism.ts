import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PRETTIER_OPTIONS } from '../../generator/emit/prettier-options.mjs';

/**
 * How much a second thread gives on this machine, for the generator's own kind of work:
 * prettier formatting the method files of generated/src/imbot.v2 (with the generator's
 * options) in one thread alone, then in two threads at
 * once (each the same work). Each thread of the pair takes longer than one alone when the
 * cores are shared (caches, memory bandwidth, a VM's vCPUs on a busy host), and also when one
 * thread alone already keeps more than one core busy: V8 compiles hot code and collects garbage
 * on helper threads of its own. The same is measured in a Node started with `--single-threaded`
 * (no helper threads: compiling and collecting happen on the formatting thread), which tells the
 * two causes apart. The generator's threads (a print worker beside the main thread) give that
 * much less. The generation numbers above read better beside it.
 */
export interface ParallelismResult {
  files: number;
  /** ms of one thread formatting the files alone, per round. */
  aloneMs: number[];
  /** ms of each of two threads formatting the same files at the same time, per round (the slower of the pair). */
  pairMs: number[];
  /** Median pair time / median alone time: 1 is perfect; 2 means a second thread gives nothing. */
  slowdown: number;
  /** Work done per second by two threads at once, over one alone: 2 / slowdown. */
  speedup: number;
  /** CPU time (every thread of the process) over wall time while one thread formats alone: the cores it keeps busy. */
  aloneCores: number;
  /** The same rounds in a Node started with `--single-threaded` (no V8 helper threads). */
  singleThreaded: { aloneMs: number[]; pairMs: number[]; slowdown: number; aloneCores: number };
  /** ms of a loop of integer arithmetic that touches no memory, in one thread alone. */
  arithmeticAloneMs: number;
  /** The same slowdown for that loop: whether the cores themselves are shared. */
  arithmeticSlowdown: number;
}

/**
 * Formats `texts` once to warm up, then eight times, and posts the time of those eight; with
 * `arithmetic`, runs an integer loop instead.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
if (workerData.arithmetic) {
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 2e8; i++) x = (x * 31 + i) | 0;
    parentPort.postMessage(x === 0.5 ? 0 : performance.now() - t); // x used, so the loop is not dropped
  });
} else (async () => {
  const { format } = await import(pathToFileURL(workerData.prettier + '/standalone.mjs').href);
  const babel = await import(pathToFileURL(workerData.prettier + '/plugins/babel.mjs').href);
  const estree = await import(pathToFileURL(workerData.prettier + '/plugins/estree.mjs').href);
  const options = { ...workerData.options, plugins: [babel, estree] };
  for (const text of workerData.texts) await format(text, options);
  parentPort.postMessage('ready');
  parentPort.once('message', async () => {
    const t = performance.now();
    for (let r = 0; r < 8; r++) for (const text of workerData.texts) await format(text, options);
    parentPort.postMessage(performance.now() - t);
  });
})();
`;

/**
 * Starts `count` workers, lets them load and warm up, then starts them together; each one's ms,
 * and the process's CPU time (every thread, user + system) over the wall time meanwhile.
 */
async function runIn(count: number, texts: string[], arithmetic = false): Promise<{ ms: number[]; cores: number }> {
  const workerData = { texts, arithmetic, options: { ...PRETTIER_OPTIONS }, prettier: resolve('node_modules/prettier') };
  const workers = Array.from({ length: count }, () => new Worker(WORKER, { eval: true, workerData }));
  try {
    await Promise.all(workers.map((w) => new Promise((ok, fail) => w.once('message', ok).once('error', fail))));
    const times = workers.map((w) => new Promise<number>((ok, fail) => w.once('message', ok).once('error', fail)));
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const w of workers) w.postMessage('go');
    const ms = await Promise.all(times);
    const used = process.cpuUsage(cpu);
    return { ms, cores: (used.user + used.system) / 1000 / (performance.now() - started) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rounds of one thread formatting alone, then two at once: ms of each round, slowdown of the medians, cores kept busy alone. */
export async function formattingRounds(rounds: number): Promise<{ files: number; aloneMs: number[]; pairMs: number[]; slowdown: number; aloneCores: number }> {
  const dir = resolve('generated/src/imbot.v2');
  const texts = readdirSync(dir).sort().map((f) => readFileSync(resolve(dir, f), 'utf8'));
  const aloneMs: number[] = [];
  const pairMs: number[] = [];
  const cores: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const alone = await runIn(1, texts);
    aloneMs.push(Math.round(alone.ms[0]));
    cores.push(alone.cores);
    pairMs.push(Math.round(Math.max(...(await runIn(2, texts)).ms)));
  }
  const slowdown = Number((median(pairMs) / median(aloneMs)).toFixed(2));
  return { files: texts.length, aloneMs, pairMs, slowdown, aloneCores: Number(median(cores).toFixed(2)) };
}

export async function parallelism(rounds = 3): Promise<ParallelismResult> {
  const { files, aloneMs, pairMs, slowdown, aloneCores } = await formattingRounds(rounds);
  const {
    ms: [arithmeticAlone],
  } = await runIn(1, [], true);
  const arithmeticPair = Math.max(...(await runIn(2, [], true)).ms);
  // The same rounds without V8's helper threads, in a process of its own (V8 flags are per process).
  const child = execFileSync(process.execPath, ['--single-threaded', '--import', 'tsx', resolve('test/bench/parallelism-child.ts'), String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const singleThreaded = JSON.parse(child.trim().split('\n').at(-1)!) as ParallelismResult['singleThreaded'];
  return {
    files,
    aloneMs,
    pairMs,
    slowdown,
    speedup: Number((2 / slowdown).toFixed(2)),
    aloneCores,
    singleThreaded,
    arithmeticAloneMs: Math.round(arithmeticAlone),
    arithmeticSlowdown: Number((arithmeticPair / arithmeticAlone).toFixed(2)),
  };
}
