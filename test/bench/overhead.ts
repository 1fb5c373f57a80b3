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

export interface OverheadResult {
  /** Sequential calls per side in all (rounds x perRound). */
  calls: number;
  rounds: number;
  perRound: number;
  /** ms per round of each side, in the order run. */
  fetchMs: number[];
  /** Bare fetch with a fresh AbortController's signal per call: the cost of any abortable fetch. */
  signalMs: number[];
  clientMs: number[];
  /** The client with `timeout: Infinity`: no abort signal for fetch to watch (the client's own work alone). */
  untimedMs: number[];
  /** client / bare fetch of the fastest rounds, and of the median rounds. */
  minRatio: number;
  medianRatio: number;
  /** The same for bare fetch with a signal / bare fetch. */
  signalMinRatio: number;
  signalMedianRatio: number;
  /** The same for the client with `timeout: Infinity` / bare fetch. */
  untimedMinRatio: number;
  untimedMedianRatio: number;
}

/**
 * Sequential calls through the generated client vs bare fetch on the same loopback server:
 * `rounds` rounds of `perRound` calls per side, interleaved (the side that goes first
 * alternates), so drift in the machine (other processes, the heap growing) hits both alike.
 * A third side, bare fetch with an AbortController signal per call, shows what any fetch that
 * can time out costs (the client passes a signal for its timeout); a fourth, the client with
 * `timeout: Infinity` (no signal then), shows the client's own work alone. Reports the ratios
 * of the fastest and of the median rounds.
 */
export async function perCallOverhead(rounds = 5, perRound = 2_000): Promise<OverheadResult> {
  const { createClient, MemoryBucketStore } = await compiledClient();
  const server = await TestServer.start();
  server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
  try {
    const url = `${server.url}/rest/1/bench-secret/imbot.v2.Chat.InputAction.notify`;
    // Each side builds its JSON body per call, as a hand-written call would.
    const params = { botId: 1, botToken: 'tok', dialogId: 'chat1' };
    const bare = async () => {
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(params) });
      const j = (await r.json()) as { result: unknown };
      return j.result;
    };
    const withSignal = async () => {
      const controller = new AbortController();
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(params), signal: controller.signal });
      const j = (await r.json()) as { result: unknown };
      return j.result;
    };
    const client = createClient({ webhookUrl: `${server.url}/rest/1/bench-secret/`, rateLimit: false, rateLimitStore: new MemoryBucketStore() });
    const viaClient = () => client.imbot.v2.Chat.InputAction.notify({ botId: 1, botToken: 'tok', dialogId: 'chat1' });
    const untimedClient = createClient({ webhookUrl: `${server.url}/rest/1/bench-secret/`, rateLimit: false, timeout: Infinity });
    const viaUntimedClient = () => untimedClient.imbot.v2.Chat.InputAction.notify({ botId: 1, botToken: 'tok', dialogId: 'chat1' });
    const measure = async (f: () => Promise<unknown>) => {
      server.requests.length = 0; // the test server keeps every request; not the client's memory
      const t = performance.now();
      for (let i = 0; i < perRound; i++) await f();
      return performance.now() - t;
    };
    for (let i = 0; i < 500; i++) await bare(); // warm up the connection pool and the JIT
    for (let i = 0; i < 500; i++) await withSignal();
    for (let i = 0; i < 500; i++) await viaClient();
    for (let i = 0; i < 500; i++) await viaUntimedClient();
    const sides = [
      { f: bare, ms: [] as number[] },
      { f: withSignal, ms: [] as number[] },
      { f: viaClient, ms: [] as number[] },
      { f: viaUntimedClient, ms: [] as number[] },
    ];
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) side.ms.push(await measure(side.f));
    }
    const [fetchMs, signalMs, clientMs, untimedMs] = sides.map((side) => side.ms);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const median = (xs: number[]) => {
      const s = sorted(xs);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      calls: rounds * perRound,
      rounds,
      perRound,
      fetchMs: fetchMs.map(Math.round),
      signalMs: signalMs.map(Math.round),
      clientMs: clientMs.map(Math.round),
      untimedMs: untimedMs.map(Math.round),
      minRatio: round3(Math.min(...clientMs) / Math.min(...fetchMs)),
      medianRatio: round3(median(clientMs) / median(fetchMs)),
      signalMinRatio: round3(Math.min(...signalMs) / Math.min(...fetchMs)),
      signalMedianRatio: round3(median(signalMs) / median(fetchMs)),
      untimedMinRatio: round3(Math.min(...untimedMs) / Math.min(...fetchMs)),
      untimedMedianRatio: round3(median(untimedMs) / median(fetchMs)),
    };
  } finally {
    await server.close();
  }
}
