import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bitrix24TimeoutError, createClient, createLeanTransport, imbotV2ChatInputActionNotify, undiciTimeouts } from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

/**
 * `createClient` hands timeouts of 10 s or more to Node's own fetch (runtime/undici-timeouts.ts):
 * a dispatcher sets undici's header and body timeouts, so no abort signal is made per call.
 * Everything here goes through Node's real fetch to a real server on 127.0.0.1.
 */

const WEBHOOK_CODE = 'undiciT1meoutS3cret';
const BOT_TOKEN = 'bot-token-undici-xyz';
const { failure } = secretChecks([WEBHOOK_CODE, BOT_TOKEN]);
const params = { botId: 1, botToken: BOT_TOKEN, dialogId: 'chat1' };
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
type Dispatcher = { dispatch(options: Record<string, unknown>, handler: unknown): boolean };
const globals = globalThis as unknown as Record<symbol, Dispatcher>;

let server: TestServer;
const realFetch = globalThis.fetch;
const webhookUrl = () => `${server.url}/rest/1/${WEBHOOK_CODE}/`;

/** What each call of a global fetch standing in for Node's gave it (its init). */
function recordGlobalFetch(change: (init: RequestInit) => RequestInit = (init) => init): RequestInit[] {
  const inits: RequestInit[] = [];
  globalThis.fetch = (input, init) => {
    inits.push(init!);
    return realFetch(input, change(init!));
  };
  return inits;
}

beforeAll(async () => {
  server = await TestServer.start();
  await realFetch(server.url).then((r) => r.text()); // Node sets up fetch's global dispatcher on first use
});
afterEach(() => {
  globalThis.fetch = realFetch;
});
afterAll(async () => {
  await server.close();
});

describe('timeouts kept by Node’s fetch', () => {
  it('sends a call with the default timeout through the global dispatcher, with undici’s timeouts set to it', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const global = globals[GLOBAL_DISPATCHER];
    const seen: Record<string, unknown>[] = [];
    // A dispatcher set with setGlobalDispatcher (a proxy, say) must stay in the path.
    globals[GLOBAL_DISPATCHER] = {
      dispatch(options, handler) {
        seen.push({ ...options });
        return global.dispatch(options, handler);
      },
    };
    try {
      const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false });
      expect(await client.imbot.v2.Chat.InputAction.notify(params)).toEqual({ result: true });
      expect(await client.imbot.v2.Chat.InputAction.notify(params, { timeout: 15_000 })).toEqual({ result: true });
    } finally {
      globals[GLOBAL_DISPATCHER] = global;
    }
    expect(seen.map((o) => [o.headersTimeout, o.bodyTimeout])).toEqual([
      [60_000, 60_000],
      [15_000, 15_000],
    ]);
  });

  it('gives no abort signal to fetch then, and keeps the signal for shorter timeouts', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const inits = recordGlobalFetch();
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false });
    await client.imbot.v2.Chat.InputAction.notify(params);
    await client.imbot.v2.Chat.InputAction.notify(params, { timeout: 9_999 });
    await client.imbot.v2.Chat.InputAction.notify(params, { timeout: Infinity });
    const caller = new AbortController();
    await client.imbot.v2.Chat.InputAction.notify(params, { signal: caller.signal });
    const given = inits.map((init) => ({ signal: init.signal?.constructor.name, dispatcher: typeof (init as { dispatcher?: unknown }).dispatcher }));
    expect(given).toEqual([
      { signal: undefined, dispatcher: 'object' },
      { signal: 'AbortSignal', dispatcher: 'undefined' },
      { signal: undefined, dispatcher: 'undefined' },
      { signal: 'AbortSignal', dispatcher: 'object' }, // the caller's own signal, as it is
    ]);
    expect(inits[3].signal).toBe(caller.signal);
  });

  it('stands aside for a fetch of the user’s, and for a global fetch that ignores `dispatcher`', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const own: RequestInit[] = [];
    const custom = createClient({ webhookUrl: webhookUrl(), rateLimit: false, fetch: (input, init) => (own.push(init!), realFetch(input, init)) });
    await custom.imbot.v2.Chat.InputAction.notify(params);
    expect(own[0].signal).toBeInstanceOf(AbortSignal);
    expect((own[0] as { dispatcher?: unknown }).dispatcher).toBeUndefined();

    // A global fetch replaced by one that drops the option: the first answer shows it, and the
    // timeouts go back to the abort signal from the next call on.
    const inits = recordGlobalFetch(({ dispatcher: _dropped, ...init }: RequestInit & { dispatcher?: unknown }) => init);
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false });
    await client.imbot.v2.Chat.InputAction.notify(params);
    await client.imbot.v2.Chat.InputAction.notify(params);
    expect(inits.map((init) => init.signal instanceof AbortSignal)).toEqual([false, true]);
  });

  it('is a plugin the lean transport can take too', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const inits = recordGlobalFetch();
    const plain = createLeanTransport({ webhookUrl: webhookUrl() });
    const plugged = createLeanTransport({ webhookUrl: webhookUrl(), plugins: [undiciTimeouts()] });
    expect(await imbotV2ChatInputActionNotify(plain, params)).toEqual({ result: true });
    expect(await imbotV2ChatInputActionNotify(plugged, params)).toEqual({ result: true });
    expect(inits.map((init) => [init.signal instanceof AbortSignal, typeof (init as { dispatcher?: unknown }).dispatcher])).toEqual([
      [true, 'undefined'],
      [false, 'object'],
    ]);
  });

  it('fails a portal that never answers, or stalls in its body, with a Bitrix24TimeoutError at the timeout, and closes the socket', async () => {
    const closed: string[] = [];
    server.handle((req, res) => {
      const socket = (res.req as IncomingMessage).socket;
      socket.once('close', () => closed.push(req.path.split('/').at(-1)!));
      if (req.json && (req.json as { dialogId: string }).dialogId === 'stall') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"result":'); // and nothing more
      } // otherwise: never answers
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, timeout: 10_000, maxRetries: 0 });
    const started = Date.now();
    const errors = await Promise.all([
      failure(client.imbot.v2.Chat.InputAction.notify(params)),
      failure(client.imbot.v2.Chat.InputAction.notify({ ...params, dialogId: 'stall' })),
    ]);
    const elapsed = Date.now() - started;
    for (const err of errors) {
      expect(err).toBeInstanceOf(Bitrix24TimeoutError);
      expect(err.code).toBe('TIMEOUT');
      expect(err.description).toBe('no response within 10000 ms');
      expect(err.attempts).toBe(1);
    }
    // undici checks its timeouts about once a second.
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThan(13_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toHaveLength(2);
  }, 20_000);
});
