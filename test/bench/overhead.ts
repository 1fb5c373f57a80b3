import { execFileSync } from 'node:child_process';
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
async function compiledClient(): Promise<Generated> {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-overhead-'));
  try {
    const outfile = join(dir, 'client.mjs');
    await build({ entryPoints: [resolve('generated/src/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
    return (await import(pathToFileURL(outfile).href)) as Generated;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One side of the comparison, against bare fetch. */
export interface SideResult {
  /** ms of this side's calls in each round. */
  roundMs: number[];
  /** This side's time over bare fetch's in the same round, per round. */
  roundRatios: number[];
  /** The fastest and the median of `roundRatios`. */
  minRatio: number;
  medianRatio: number;
  /** All this side's calls over all of bare fetch's: the cost in throughput, garbage collection included. */
  totalRatio: number;
  /** The median call's time (µs), and over bare fetch's: the typical call, without the pauses of the machine. */
  medianCallUs: number;
  medianCallRatio: number;
}

export const SIDES = {
  fetch: 'bare fetch',
  fetchAgain: 'bare fetch again (the same code: how far apart two equal sides come out)',
  signal: 'bare fetch + AbortController signal',
  client: 'generated client (default 60 s timeout, kept by Node’s fetch)',
  signalTimeout: 'generated client, `timeout: 9999` (kept by an abort signal)',
  untimed: 'generated client, `timeout: Infinity` (no timeout of its own)',
} as const;
export type Side = keyof typeof SIDES;

export interface OverheadResult {
  /** Sequential calls per side in all (rounds x perRound). */
  calls: number;
  rounds: number;
  perRound: number;
  sides: Record<Side, SideResult>;
}

/**
 * Sequential calls through the generated client vs bare fetch on the same loopback server,
 * interleaved call by call: each step makes one call of every side, the order turning by one
 * each step, and times each call alone. Whatever the machine does meanwhile (another process,
 * a slow second) then falls on every side alike, where rounds of one side after another (as
 * this bench did before) measured the spells of the machine as much as the client: two equal
 * sides came out up to 10% apart. A second bare-fetch side, the same code, shows how far apart
 * equal sides come out here. Bare fetch with an AbortController signal per call shows what a
 * timeout kept by an abort signal costs (the lean transport's way, and the client's for timeouts
 * under 10 s or another fetch); the client's default timeout is kept by Node's fetch itself
 * (runtime/undici-timeouts.ts), and the client with `timeout: Infinity` has none at all.
 *
 * What interleaving cannot do: work a side leaves for later (collecting its garbage, undici's
 * finalization callbacks for a signal) runs during whichever call is in flight then. Garbage
 * collection starts in the call that fills the heap, so a side that allocates more pays more
 * often; the finalization callbacks (one a call with a signal: a removeEventListener) are
 * shared out, so the signal's cost is, if anything, understated by them.
 */
export async function perCallOverhead(rounds = 5, perRound = 4_000): Promise<OverheadResult> {
  const { createClient } = await compiledClient();
  const server = await TestServer.start();
  server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
  try {
    const url = `${server.url}/rest/1/bench-secret/imbot.v2.Chat.InputAction.notify`;
    // Each side builds its JSON body per call, as a hand-written call would.
    const params = { botId: 1, botToken: 'tok', dialogId: 'chat1' };
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const bare = async () => {
      const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(params) });
      const j = (await r.json()) as { result: unknown };
      return j.result;
    };
    const withSignal = async () => {
      const controller = new AbortController();
      const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(params), signal: controller.signal });
      const j = (await r.json()) as { result: unknown };
      return j.result;
    };
    const webhookUrl = `${server.url}/rest/1/bench-secret/`;
    const client = createClient({ webhookUrl, rateLimit: false });
    const untimedClient = createClient({ webhookUrl, rateLimit: false, timeout: Infinity });
    const signalClient = createClient({ webhookUrl, rateLimit: false, timeout: 9_999 }); // under undici-timeouts.ts's 10 s
    const call: Record<Side, () => Promise<unknown>> = {
      fetch: bare,
      fetchAgain: bare,
      signal: withSignal,
      client: () => client.imbot.v2.Chat.InputAction.notify(params),
      signalTimeout: () => signalClient.imbot.v2.Chat.InputAction.notify(params),
      untimed: () => untimedClient.imbot.v2.Chat.InputAction.notify(params),
    };
    const sides = Object.keys(SIDES) as Side[];
    for (const side of sides) for (let i = 0; i < 500; i++) await call[side](); // warm up the connection pool and the JIT

    const steps = rounds * perRound;
    const ms = Object.fromEntries(sides.map((side) => [side, new Float64Array(steps)])) as Record<Side, Float64Array>;
    for (let step = 0; step < steps; step++) {
      if (step % 1_000 === 0) server.requests.length = 0; // the test server keeps every request; not the client's memory
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(step + k) % sides.length];
        const t = performance.now();
        await call[side]();
        ms[side][step] = performance.now() - t;
      }
    }

    const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
    const roundMs = (xs: Float64Array) => Array.from({ length: rounds }, (_, r) => sum(xs.subarray(r * perRound, (r + 1) * perRound)));
    const base = { roundMs: roundMs(ms.fetch), total: sum(ms.fetch), medianCall: median(ms.fetch) };
    const result = (xs: Float64Array): SideResult => {
      const own = roundMs(xs);
      const roundRatios = own.map((x, r) => x / base.roundMs[r]);
      const medianCall = median(xs);
      return {
        roundMs: own.map(Math.round),
        roundRatios: roundRatios.map(round3),
        minRatio: round3(Math.min(...roundRatios)),
        medianRatio: round3(median(roundRatios)),
        totalRatio: round3(sum(xs) / base.total),
        medianCallUs: Math.round(medianCall * 10_000) / 10,
        medianCallRatio: round3(medianCall / base.medianCall),
      };
    };
    return { calls: steps, rounds, perRound, sides: Object.fromEntries(sides.map((side) => [side, result(ms[side])])) as Record<Side, SideResult> };
  } finally {
    await server.close();
  }
}

/** `perCallOverhead` under the Node executable at `node`, in a process of its own. */
export function perCallOverheadUnder(node: string, rounds?: number, perRound?: number): OverheadResult {
  const counts = rounds && perRound ? [String(rounds), String(perRound)] : [];
  const out = execFileSync(node, ['--import', 'tsx', resolve('test/bench/overhead-child.ts'), ...counts], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as OverheadResult;
}

function median(xs: ArrayLike<number>): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
