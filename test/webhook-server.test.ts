import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import qs from 'qs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, decodeWebhook, parseForm, toNodeHandler, WebhookBodyError, type AnyEvent, type WebhookHandlerOptions, type KnownEvent, type WebhookRejection } from '../generated/src/index.js';
import { APP_TOKEN, BOT_ACCESS_TOKEN, endlessChunked, JOINCHAT as JOINCHAT_DATA, joinChatForm, joinChatPost, rawExchange } from './support/webhook-posts.js';

/**
 * The webhook server against hostile clients, on real sockets: whoever can reach the bot can
 * post anything, without the token. Nothing they send may crash the process, grow memory past
 * the body limit, hold the handler past the body deadline or cost more than linear time; every
 * refusal is answered, reported to onRejected with its reason, and no output holds a secret.
 * Then the setups a bot really runs in: behind Express's body parsers, and as a fetch-style
 * handler given each shape of Request the fetch runtimes send.
 */
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** The event every good post below decodes to: the portal's form text, decoded directly. */
const EXPECTED = decodeWebhook(joinChatForm());

/** What every callback of every handler in this file reported: checked for secrets at the end. */
const reported: unknown[] = [];
/** Unhandled rejections and uncaught exceptions while a test ran: a crash of a real process. */
const crashes: unknown[] = [];
const onCrash = (err: unknown) => void crashes.push(err);

beforeAll(() => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});
afterAll(() => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  // No secret in anything a handler reported: onRejected payloads and onError errors.
  const shown = reported.map((r) => (r instanceof Error ? `${String(r)} ${r.stack} ${JSON.stringify(r)}` : JSON.stringify(r))).join('\n');
  for (const secret of [APP_TOKEN, BOT_ACCESS_TOKEN, 'forged-token-value']) expect(shown).not.toContain(secret);
  expect(reported.length).toBeGreaterThan(0);
});
afterEach(async () => {
  // A rejection from a handler surfaces a tick or two later.
  await new Promise((r) => setTimeout(r, 20));
  expect(crashes.splice(0)).toEqual([]);
});

interface Recorded {
  rejections: WebhookRejection[];
  errors: unknown[];
  events: AnyEvent[];
}

function handlerWith(options: Partial<WebhookHandlerOptions<KnownEvent>> = {}) {
  const seen: Recorded = { rejections: [], errors: [], events: [] };
  const handler = createWebhookHandler({
    applicationToken: APP_TOKEN,
    waitForHandlers: true,
    onOther: (e) => void seen.events.push(e),
    onRejected: (r) => {
      reported.push(r);
      seen.rejections.push(r);
    },
    onError: (err) => {
      reported.push(err);
      seen.errors.push(err);
    },
    ...options,
  });
  return { handler, seen };
}

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number; url: string; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Peak resident memory above the start while `run` runs, sampled every 20 ms. */
async function peakRssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - start) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

describe('Node http: hostile clients on a raw socket', () => {
  it('a client that disconnects mid-body crashes nothing; the server keeps answering', async () => {
    const { handler, seen } = handlerWith();
    const s = await listen(toNodeHandler(handler));
    try {
      const body = joinChatForm();
      const cut = await rawExchange(s.port, `POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}`, (socket, state) => {
        socket.write(body.slice(0, 100));
        state.written = 100;
        setTimeout(() => socket.destroy(), 50);
      }, 2_000);
      expect(cut.response).toBe('');
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.rejections.map((r) => r.reason)).toEqual(['aborted']);
      const after = await fetch(s.url, { method: 'POST', headers: FORM, body });
      expect(after.status).toBe(200);
      expect(seen.events).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('an onError or onRejected that throws changes nothing: every post is still answered', async () => {
    const thrower = () => {
      throw new Error('the bot author\'s bug');
    };
    const handler = createWebhookHandler({
      applicationToken: APP_TOKEN,
      on: { ONIMBOTV2JOINCHAT: () => Promise.reject(new Error('handler failed')) },
      onError: thrower,
      onRejected: thrower,
    });
    const s = await listen(toNodeHandler(handler));
    try {
      expect((await fetch(s.url, { method: 'POST', headers: FORM, body: joinChatForm() })).status).toBe(200);
      expect((await fetch(s.url, { method: 'POST', headers: FORM, body: joinChatForm('forged-token-value') })).status).toBe(401);
      // Authenticated but not an event post: decode fails, onError throws.
      expect((await fetch(s.url, { method: 'POST', headers: FORM, body: `x=1&auth[application_token]=${APP_TOKEN}` })).status).toBe(400);
      expect((await fetch(s.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
      const cut = await rawExchange(s.port, 'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000', (socket) => {
        socket.write('event=');
        setTimeout(() => socket.destroy(), 20);
      }, 2_000);
      expect(cut.response).toBe('');
      expect((await fetch(s.url, { method: 'POST', headers: FORM, body: joinChatForm() })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('a chunked body that never ends gets 413 at the limit and the connection closed; memory stays bounded', async () => {
    const { handler, seen } = handlerWith({ maxBodyBytes: 1_000_000 });
    const s = await listen(toNodeHandler(handler));
    try {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const { result, growthMb } = await peakRssGrowth(() =>
        rawExchange(s.port, 'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked', endlessChunked(chunk, 256 * 2 ** 20), 15_000),
      );
      console.log(`never-ending chunked body: answered ${result.response.split('\r\n')[0]} after ${result.elapsed} ms; the client got ${(result.written / 2 ** 20).toFixed(1)} MB into its socket; peak RSS growth ${growthMb.toFixed(1)} MB`);
      expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.response).toMatch(/connection: close/i);
      expect(result.closedByServer).toBe(true);
      // The server stopped reading at the limit: what the client could push is the limit plus
      // what the kernel's socket buffers hold, nowhere near the 256 MB it tried.
      expect(result.written).toBeLessThan(64 * 2 ** 20);
      expect(growthMb).toBeLessThan(100);
      expect(seen.rejections.map((r) => [r.reason, r.status])).toEqual([['size', 413]]);
    } finally {
      await s.close();
    }
  });

  it('a declared Content-Length over the limit gets 413 before a byte of the body is read', async () => {
    const { handler, seen } = handlerWith({ maxBodyBytes: 1000 });
    const s = await listen(toNodeHandler(handler));
    try {
      const r = await rawExchange(s.port, 'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000000', () => {}, 5_000);
      expect(r.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(r.closedByServer).toBe(true);
      expect(seen.rejections[0].message).toContain('maxBodyBytes');
    } finally {
      await s.close();
    }
  });

  it('slowloris: a body trickling a byte at a time gets 408 at the body deadline and the connection closed', async () => {
    const { handler, seen } = handlerWith({ bodyTimeout: 300 });
    const s = await listen(toNodeHandler(handler));
    try {
      const body = joinChatForm();
      const r = await rawExchange(s.port, `POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}`, (socket, state) => {
        const timer = setInterval(() => {
          if (state.stopped || socket.destroyed || state.written >= body.length) return clearInterval(timer);
          socket.write(body[state.written++]);
        }, 50);
      }, 10_000);
      console.log(`slowloris: ${r.response.split('\r\n')[0]} after ${r.elapsed} ms, ${r.written} of ${body.length} bytes sent`);
      expect(r.response).toMatch(/^HTTP\/1\.1 408 /);
      expect(r.closedByServer).toBe(true);
      // Cut off long before the whole body could have trickled in (50 ms a byte).
      expect(r.written).toBeLessThan(body.length / 2);
      expect(seen.rejections.map((x) => x.reason)).toEqual(['timeout']);
      expect(seen.events).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses a form sent as text/plain (or with no type) with 415 and the reason, and accepts the two the portal may use', async () => {
    const { handler, seen } = handlerWith();
    const s = await listen(toNodeHandler(handler));
    try {
      const plain = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: joinChatForm() });
      expect(plain.status).toBe(415);
      expect(await plain.text()).toContain('application/x-www-form-urlencoded');
      const none = await rawExchange(s.port, `POST /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${joinChatForm().length}`, (socket) => socket.write(joinChatForm()), 5_000);
      expect(none.response).toMatch(/^HTTP\/1\.1 415 /);
      expect(seen.rejections.map((r) => [r.reason, r.status])).toEqual([
        ['type', 415],
        ['type', 415],
      ]);
      expect(seen.rejections[0].message).toBe('unsupported content type "text/plain": the portal posts application/x-www-form-urlencoded (application/json is accepted too)');
      expect((await fetch(s.url, { method: 'POST', headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }, body: joinChatForm() })).status).toBe(200);
      expect((await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(joinChatPost()) })).status).toBe(200);
      expect(seen.events.map((e) => e.data)).toEqual([EXPECTED.data, JSON.parse(JSON.stringify(joinChatPost().data))]);
      expect(seen.events[0]).toEqual(EXPECTED);
    } finally {
      await s.close();
    }
  });
});

describe('the form parser: linear, bounded, and after the token check', () => {
  it('parses 20,000 and 200,000 list appends (a[]=&...) in linear time', () => {
    const timings: string[] = [];
    for (const n of [20_000, 200_000]) {
      const body = 'a[]=&'.repeat(n);
      const started = performance.now();
      const parsed = parseForm(body, { maxParams: n + 1 }) as { a: Record<string, string> };
      timings.push(`${n}: ${(performance.now() - started).toFixed(0)} ms`);
      // Every append got the next index: the last key is n - 1 (a quadratic search would be the same, only slow).
      expect(Object.keys(parsed.a)).toHaveLength(n);
      expect(parsed.a[String(n - 1)]).toBe('');
    }
    console.log(`parseForm 'a[]=&' x N (1,000,000 bytes at 200,000): ${timings.join(', ')}`);
  });

  it('keeps PHP\'s list indexes: an append after an explicit index continues after it', () => {
    expect(parseForm('a[5]=x&a[]=y&a[2]=z&a[]=w')).toEqual({ a: { 5: 'x', 6: 'y', 2: 'z', 7: 'w' } });
  });

  it('refuses more parameters than maxParams before parsing, and keys deeper than maxDepth', () => {
    expect(() => parseForm('x=1&'.repeat(10_001))).toThrow(new WebhookBodyError('the body has 10002 parameters, more than the 10000 allowed (maxParams)'));
    expect(() => parseForm(`a${'[b]'.repeat(40)}=1`)).toThrow(/nested deeper than 32 levels \(maxDepth\)/);
    expect(() => parseForm('a[b][c]=1', { maxDepth: 2 })).toThrow(WebhookBodyError);
  });

  it('a JSON body is bounded like a form before JSON.parse: 300,000 values or 200,000 levels in 1 MB get 400 (maxParams, maxDepth), with or without the token', async () => {
    // Before, JSON.parse built the whole value first (the token is inside it): one 1 MB post of
    // 330,000 zeros took a server past 100 MB of memory, and 500,000 levels to 95 MB.
    const { handler, seen } = handlerWith();
    const JSON_TYPE = { 'content-type': 'application/json' };
    const post = (body: string) => handler(new Request('http://bot/hook', { method: 'POST', headers: JSON_TYPE, body }));
    const wide = (token: string) => JSON.stringify({ ...joinChatPost(token), data: { ...JOINCHAT_DATA, filler: new Array(300_000).fill(0) } });
    const deep = (token: string) => `${JSON.stringify(joinChatPost(token)).slice(0, -1)},"filler":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    for (const token of ['forged-token-value', APP_TOKEN]) {
      const w = await post(wide(token));
      expect(w.status).toBe(400);
      expect(await w.text()).toMatch(/^malformed body: 300\d{3} parameters, more than 10000 \(maxParams\)$/);
      const d = await post(deep(token));
      expect([d.status, await d.text()]).toEqual([400, 'malformed body: nested deeper than 32 levels (maxDepth)']);
    }
    // Inside strings, brackets and commas are text: a message full of them is one value.
    const text = JSON.stringify({ ...joinChatPost(), data: { ...JOINCHAT_DATA, note: `[{,\\"${'[,'.repeat(20_000)}` } });
    expect((await post(text)).status).toBe(200);
    expect(seen.rejections.map((r) => r.reason)).toEqual(['parse', 'parse', 'parse', 'parse']);
    expect(seen.events).toHaveLength(1);
  });

  it('a 1 MB hostile body without the token is refused by the count or the token check, never parsed', async () => {
    const { handler, seen } = handlerWith({ maxParams: 300_000, maxBodyBytes: 2_000_000 });
    const hostile = 'a[]=&'.repeat(200_000);
    const started = performance.now();
    const res = await handler(new Request('http://bot/hook', { method: 'POST', headers: FORM, body: `${hostile}auth[application_token]=forged-token-value` }));
    const ms = performance.now() - started;
    expect(res.status).toBe(401);
    const counted = await handlerWith({ maxBodyBytes: 2_000_000 }).handler(new Request('http://bot/hook', { method: 'POST', headers: FORM, body: hostile + `auth[application_token]=${APP_TOKEN}` }));
    expect(counted.status).toBe(400);
    expect(await counted.text()).toBe('malformed body: 200001 parameters, more than 10000 (maxParams)');
    console.log(`hostile 1 MB form without the token: 401 in ${ms.toFixed(0)} ms`);
    // Order, not speed: a key the parser would refuse (too deep) still gets 401 without the token,
    // and 400 only once the token is right, so the token was checked before any parsing.
    const deep = `x${'[a]'.repeat(40)}=1&event=ONIMBOTV2DELETE`;
    expect((await handler(new Request('http://bot/hook', { method: 'POST', headers: FORM, body: `${deep}&auth[application_token]=forged-token-value` }))).status).toBe(401);
    expect((await handler(new Request('http://bot/hook', { method: 'POST', headers: FORM, body: `${deep}&auth[application_token]=${APP_TOKEN}` }))).status).toBe(400);
    expect(seen.rejections.map((r) => r.reason)).toEqual(['token', 'token', 'parse']);
    expect(seen.rejections[2].message).toMatch(/nested deeper than 32 levels \(maxDepth\)/);
  });

  it('the token check reads the same key the parser does: a token hidden in another spelling does not pass', async () => {
    const { handler } = handlerWith();
    const post = (body: string) => handler(new Request('http://bot/hook', { method: 'POST', headers: FORM, body }));
    // Percent-encoded brackets are how http_build_query writes it: accepted.
    expect((await post(joinChatForm())).status).toBe(200);
    // A later duplicate replaces it (as in PHP): the last one counts.
    expect((await post(`${joinChatForm()}&auth[application_token]=forged-token-value`)).status).toBe(401);
    expect((await post(`${joinChatForm('forged-token-value')}&auth%5Bapplication_token%5D=${APP_TOKEN}`)).status).toBe(200);
    // The bot's own auth inside data does not count.
    expect((await post(`event=ONIMBOTV2DELETE&data[bot][auth][application_token]=${APP_TOKEN}`)).status).toBe(401);
  });
});

describe('behind Express and other body parsers', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  const seen: Recorded = { rejections: [], errors: [], events: [] };
  beforeAll(async () => {
    const handler = createWebhookHandler({
      applicationToken: APP_TOKEN,
      waitForHandlers: true,
      onOther: (e) => void seen.events.push(e),
      on: { ONIMBOTV2JOINCHAT: (e) => void seen.events.push(e) },
      onRejected: (r) => void (reported.push(r), seen.rejections.push(r)),
      onError: (e) => void (reported.push(e), seen.errors.push(e)),
    });
    const node = toNodeHandler(handler);
    const a = express();
    a.post('/qs', express.urlencoded({ extended: true }), node);
    a.post('/querystring', express.urlencoded({ extended: false }), node);
    a.post('/json', express.json(), node);
    a.post('/text', express.text({ type: '*/*' }), node);
    a.post('/raw', express.raw({ type: '*/*' }), node);
    a.post('/none', node);
    // A parser for another type leaves the form unread (req.body is {}): the handler reads it.
    a.post('/json-only', express.json(), node);
    // A middleware that drains the body and keeps nothing: a setup error, said so.
    a.post('/drained', (req, _res, next) => {
      req.resume();
      req.on('end', () => next());
    }, node);
    app = await listen(a);
  });
  afterAll(() => app.close());

  const post = (path: string, body: string, type = FORM['content-type']) => fetch(app.url.replace('/hook', path), { method: 'POST', headers: { 'content-type': type }, body });

  it.each(['/qs', '/querystring', '/text', '/raw', '/none', '/json-only'])('%s: the portal\'s form post decodes exactly as the raw text does', async (path) => {
    seen.events.length = 0;
    const res = await post(path, joinChatForm());
    expect(res.status).toBe(200);
    expect(seen.events).toEqual([EXPECTED]);
  });

  it('express.json(): a JSON post decodes to the same data', async () => {
    seen.events.length = 0;
    expect((await post('/json', JSON.stringify(joinChatPost()), 'application/json')).status).toBe(200);
    expect(seen.events[0].data).toEqual(EXPECTED.data);
  });

  it.each(['/qs', '/querystring', '/none'])('%s: a forged token gets 401 with reason token, and no handler runs', async (path) => {
    seen.events.length = 0;
    seen.rejections.length = 0;
    const res = await post(path, joinChatForm('forged-token-value'));
    expect(res.status).toBe(401);
    expect(seen.events).toEqual([]);
    expect(seen.rejections).toEqual([{ reason: 'token', status: 401, message: 'unauthorized: auth[application_token] is missing or is not the applicationToken' }]);
  });

  it('a body drained by another middleware is a clear error to onError, not a silent 401', async () => {
    seen.errors.length = 0;
    const res = await post('/drained', joinChatForm());
    expect(res.status).toBe(500);
    expect(String(seen.errors[0])).toContain('already read by a middleware that did not keep it in req.body');
  });

  it('nested keys qs left bracketed past its depth, and the querystring flat shape, are expanded as PHP would', () => {
    const form = joinChatForm();
    for (const parsed of [qs.parse(form, { depth: 1 }), qs.parse(form, { depth: 5, arrayLimit: 0 }), Object.fromEntries(new URLSearchParams(form))]) {
      expect(decodeWebhook(parsed as Record<string, unknown>)).toEqual(EXPECTED);
    }
  });
});

describe('the fetch-style handler: each shape of Request the runtimes send', () => {
  const url = 'http://bot.example/hook';

  it('stream body (Node servers via Readable.toWeb, Bun, Deno, Workers), string, bytes, URLSearchParams: all decode the same', async () => {
    const { handler, seen } = handlerWith();
    const form = joinChatForm();
    const requests = [
      new Request(url, { method: 'POST', headers: FORM, body: Readable.toWeb(Readable.from([Buffer.from(form.slice(0, 50)), Buffer.from(form.slice(50))])) as ReadableStream, duplex: 'half' } as RequestInit),
      new Request(url, { method: 'POST', headers: FORM, body: form }),
      new Request(url, { method: 'POST', headers: FORM, body: new TextEncoder().encode(form) }),
      new Request(url, { method: 'POST', body: new URLSearchParams(form) }),
    ];
    for (const r of requests) expect((await handler(r)).status).toBe(200);
    expect(seen.events).toEqual([EXPECTED, EXPECTED, EXPECTED, EXPECTED]);
  });

  it('a body already read (bodyUsed) gets a clear error, not a silent 401', async () => {
    const { handler, seen } = handlerWith();
    const request = new Request(url, { method: 'POST', headers: FORM, body: joinChatForm() });
    await request.text();
    const res = await handler(request);
    expect(res.status).toBe(500);
    expect(String(seen.errors[0])).toContain('request.bodyUsed');
  });

  it('stops reading an endless stream at the limit and cancels it', async () => {
    const { handler, seen } = handlerWith({ maxBodyBytes: 1_000_000 });
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 200 * 2 ** 20) return controller.close(); // only so a reader without a limit ends at all
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await handler(new Request(url, { method: 'POST', headers: FORM, body: endless, duplex: 'half' } as RequestInit));
    console.log(`fetch handler, endless stream: ${res.status} after pulling ${(pulled / 2 ** 20).toFixed(2)} MB`);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(1_000_000 + 4 * chunk.length);
    expect(cancelled).toBe(true);
    expect(seen.rejections.map((r) => r.reason)).toEqual(['size']);
  });

  it('over a real socket (a Node server handing Readable.toWeb(req) on, as Hono\'s node adapter does): 413 for a never-ending body', async () => {
    const { handler } = handlerWith({ maxBodyBytes: 1_000_000 });
    const s = await listen(async (req, res) => {
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
      const response = await handler(request);
      res.writeHead(response.status, { connection: 'close' });
      res.end(await response.text());
    });
    try {
      const { result, growthMb } = await peakRssGrowth(() =>
        rawExchange(s.port, 'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked', endlessChunked(Buffer.alloc(64 * 1024, 'a'), 256 * 2 ** 20), 15_000),
      );
      console.log(`fetch handler on a socket, never-ending body: ${result.response.split('\r\n')[0]} after ${result.elapsed} ms, ${(result.written / 2 ** 20).toFixed(1)} MB written, peak RSS growth ${growthMb.toFixed(1)} MB`);
      expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.written).toBeLessThan(64 * 2 ** 20);
      expect(growthMb).toBeLessThan(100);
    } finally {
      await s.close();
    }
  });

  it('answers 405 to anything but POST, with reason method', async () => {
    const { handler, seen } = handlerWith();
    expect((await handler(new Request(url))).status).toBe(405);
    expect(seen.rejections.map((r) => [r.reason, r.status])).toEqual([['method', 405]]);
  });
});
