import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { json, TestServer, TIME } from '../support/http-server.js';

type Generated = typeof import('../../generated/src/index.js');

/**
 * generated/src compiled to plain JavaScript, as users run the package (dist/), rather than
 * through tsx's on-the-fly transform (which wraps every function it creates in a naming helper).
 */
let compiled: Promise<Generated> | undefined;
function compiledClient(): Promise<Generated> {
  return (compiled ??= compile());
}

async function compile(): Promise<Generated> {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-overhead-'));
  try {
    const outfile = join(dir, 'client.mjs');
    await build({ entryPoints: [resolve('generated/src/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
    return (await import(pathToFileURL(outfile).href)) as Generated;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PARAMS = { botId: 1, botToken: 'tok', dialogId: 'chat1' };
const ANSWER = JSON.stringify({ result: { result: true }, time: TIME });
const ANSWER_HEADERS = { 'Content-Type': 'application/json' };

/**
 * A fetch that answers at once, with no network: it hands back the next of the Responses made
 * before the round started, so that making them (fetch's work, not the client's) is not timed.
 */
let ready: Response[] = [];
const answerAtOnce: typeof fetch = async () => ready.pop()!;
const makeAnswers = (n: number) => {
  ready = Array.from({ length: n }, () => new Response(ANSWER, { status: 200, headers: ANSWER_HEADERS }));
};

export const CPU_SIDES = {
  client: 'createClient, defaults (60 s timeout; the rate limiter in the path, its limit never reached)',
  callerSignal: 'the same, with a signal of the caller (one for every call, as a shutdown signal)',
  untimed: 'the same, `timeout: Infinity` (no deadline signal)',
  stub: 'the fetch alone, its answer read (part of every figure above)',
} as const;
export type CpuSide = keyof typeof CPU_SIDES;

/** The target for the client's CPU time per call on Node 20 (issue 23), µs. */
export const CPU_TARGET_US = 20;

export interface CpuSideResult {
  /** CPU µs per call in each round, and their median. */
  roundUs: number[];
  medianUs: number;
  /** The client's own part: the median over rounds of this side's µs less the fetch's alone in the same round (0 for the fetch itself). */
  ownUs: number;
}

export interface CpuResult {
  rounds: number;
  /** Sequential calls per side in each round. */
  calls: number;
  sides: Record<CpuSide, CpuSideResult>;
}

/**
 * The client's own cost: CPU time (user + system, every thread of the process, so garbage
 * collection counts) per call, over `calls` sequential calls, with a `fetch` that hands back a
 * ready Response at once, so nothing runs but the client and the reading of that Response, which
 * the fetch side measures alone. The rate limiter stays in the path, as in a default client,
 * with a limit the run never reaches. The sides take turns round by round (the order turning by
 * one each round); the median round per side is reported, in µs per call.
 */
export async function cpuPerCall(rounds = 7, calls = 10_000): Promise<CpuResult> {
  const { createClient } = await compiledClient();
  const options = { webhookUrl: 'https://bench.example.com/rest/1/bench-secret/', fetch: answerAtOnce, rateLimit: { limit: 1e12, drainPerSecond: 1e12 } };
  const client = createClient(options);
  const untimed = createClient({ ...options, timeout: Infinity });
  const shutdown = new AbortController().signal;
  const call: Record<CpuSide, () => Promise<unknown>> = {
    client: () => client.imbot.v2.Chat.InputAction.notify(PARAMS),
    callerSignal: () => client.imbot.v2.Chat.InputAction.notify(PARAMS, { signal: shutdown }),
    untimed: () => untimed.imbot.v2.Chat.InputAction.notify(PARAMS),
    stub: async () => (await answerAtOnce(options.webhookUrl)).text(),
  };
  const sides = Object.keys(CPU_SIDES) as CpuSide[];
  const warmUp = Math.min(calls, 2_000);
  for (const side of sides) {
    makeAnswers(warmUp);
    for (let i = 0; i < warmUp; i++) await call[side](); // warm up the JIT
  }

  const us = Object.fromEntries(sides.map((side) => [side, [] as number[]])) as Record<CpuSide, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(round + k) % sides.length];
      makeAnswers(calls);
      const start = process.cpuUsage();
      for (let i = 0; i < calls; i++) await call[side]();
      const used = process.cpuUsage(start);
      us[side].push(round1((used.user + used.system) / calls));
    }
  }
  const result = (side: CpuSide): CpuSideResult => ({
    roundUs: us[side],
    medianUs: round1(median(us[side])),
    ownUs: round1(median(us[side].map((x, round) => x - us.stub[round]))),
  });
  return { rounds, calls, sides: Object.fromEntries(sides.map((side) => [side, result(side)])) as CpuResult['sides'] };
}

export interface LoopbackResult {
  /** Sequential calls per side. */
  calls: number;
  /** The median call's wall time, µs. */
  fetchUs: number;
  clientUs: number;
  /** The client's median call over bare fetch's, and all its calls' time over bare fetch's. */
  medianRatio: number;
  totalRatio: number;
}

/**
 * For information (not a target): the default client against bare fetch on a server at
 * 127.0.0.1, taking turns call by call, each call timed alone (wall time).
 */
export async function loopbackRatio(calls = 2_000): Promise<LoopbackResult> {
  const { createClient } = await compiledClient();
  const server = await TestServer.start();
  server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
  try {
    const url = `${server.url}/rest/1/bench-secret/imbot.v2.Chat.InputAction.notify`;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const bare = async () => ((await (await fetch(url, { method: 'POST', headers, body: JSON.stringify(PARAMS) })).json()) as { result: unknown }).result;
    const client = createClient({ webhookUrl: `${server.url}/rest/1/bench-secret/`, rateLimit: false });
    const sides = [bare, () => client.imbot.v2.Chat.InputAction.notify(PARAMS)];
    for (let i = 0; i < Math.min(calls, 300); i++) for (const side of sides) await side(); // warm up the connection pool and the JIT

    const ms = [new Float64Array(calls), new Float64Array(calls)];
    for (let i = 0; i < calls; i++) {
      if (i % 1_000 === 0) server.requests.length = 0; // the test server keeps every request
      for (let k = 0; k < 2; k++) {
        const side = (i + k) % 2;
        const t = performance.now();
        await sides[side]();
        ms[side][i] = performance.now() - t;
      }
    }
    const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
    const [fetchMs, clientMs] = ms.map((xs) => median(Array.from(xs)));
    return {
      calls,
      fetchUs: round1(fetchMs * 1000),
      clientUs: round1(clientMs * 1000),
      medianRatio: round3(clientMs / fetchMs),
      totalRatio: round3(sum(ms[1]) / sum(ms[0])),
    };
  } finally {
    await server.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
