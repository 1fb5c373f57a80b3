import { execFile } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Bitrix24AbortError, Bitrix24TimeoutError, createClient } from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

/**
 * `timeout` is one deadline for a whole attempt, the answer's body read included, against a
 * real server on 127.0.0.1 through Node's own fetch. Margins are wide: the machine is shared.
 */

const WEBHOOK_CODE = 'timeoutW3bh00kS3cret';
const BOT_TOKEN = 'bot-token-timeouts-xyz';
const { failure } = secretChecks([WEBHOOK_CODE, BOT_TOKEN]);
const params = { botId: 1, botToken: BOT_TOKEN, dialogId: 'chat1' }; // Chat.InputAction.notify: safe to repeat

let server: TestServer;
const webhookUrl = () => `${server.url}/rest/1/${WEBHOOK_CODE}/`;

beforeAll(async () => {
  server = await TestServer.start();
});
beforeEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
});

describe('timeout', () => {
  it('fails a portal that never answers, stalls in its body, or trickles it a byte every 500 ms, with a Bitrix24TimeoutError at the timeout, and closes each socket', async () => {
    const closed: string[] = [];
    server.handle((req, res) => {
      const how = (req.json as { dialogId: string }).dialogId;
      (res.req as IncomingMessage).socket.once('close', () => closed.push(how));
      if (how === 'hang') return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (how === 'stall') {
        res.write('{"result":'); // and nothing more
        return;
      }
      // A whole answer, one byte every 500 ms (7.5 s in all): each byte comes well within the
      // timeout, the body does not.
      const bytes = [...JSON.stringify({ result: true })];
      const drip = setInterval(() => {
        const byte = bytes.shift();
        if (byte === undefined) res.end();
        else res.write(byte);
      }, 500);
      res.on('close', () => clearInterval(drip));
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, timeout: 1_500, maxRetries: 0 });
    const started = Date.now();
    const errors = await Promise.all(['hang', 'stall', 'trickle'].map((how) => failure(client.imbot.v2.Chat.InputAction.notify({ ...params, dialogId: how }))));
    const elapsed = Date.now() - started;
    for (const err of errors) {
      expect(err).toBeInstanceOf(Bitrix24TimeoutError);
      expect(err).toMatchObject({ code: 'TIMEOUT', description: 'no response within 1500 ms', attempts: 1 });
    }
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(5_000); // the trickled answer would have been whole at 7.5 s
    await vi.waitFor(() => expect(closed.sort()).toEqual(['hang', 'stall', 'trickle']), { timeout: 3_000 });
  });

  it('with a signal of the caller too: the deadline is still a timeout, retried for a method safe to repeat; the caller’s abort is an abort, never retried', async () => {
    server.handle(() => {
      /* never answers */
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, timeout: 300, maxRetries: 1, retryDelay: 1 });
    const timedOut = await failure(client.imbot.v2.Chat.InputAction.notify(params, { signal: new AbortController().signal }));
    expect(timedOut).toBeInstanceOf(Bitrix24TimeoutError);
    expect(timedOut.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('user left')), 50);
    const aborted = await failure(client.imbot.v2.Chat.InputAction.notify(params, { signal: controller.signal, timeout: 10_000 }));
    expect(aborted).toBeInstanceOf(Bitrix24AbortError);
    expect((aborted.cause as Error).message).toBe('user left');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('leaves nothing behind on a long-lived signal of the caller (one shutdown signal for every call), which still stops a call', async () => {
    server.handle(async (req, res) => {
      if ((req.json as { dialogId: string }).dialogId === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
      if (!res.destroyed) json(res, 200, { result: { result: true }, time: TIME });
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, maxRetries: 0 });
    const shutdown = new AbortController();
    for (let i = 0; i < 20; i++) await client.imbot.v2.Chat.InputAction.notify(params, { signal: shutdown.signal });
    const slow = { ...params, dialogId: 'slow' };
    expect(await failure(client.imbot.v2.Chat.InputAction.notify(slow, { signal: shutdown.signal, timeout: 20 }))).toBeInstanceOf(Bitrix24TimeoutError);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);

    const pending = client.imbot.v2.Chat.InputAction.notify(slow, { signal: shutdown.signal });
    setTimeout(() => shutdown.abort(), 20);
    expect(await failure(pending)).toBeInstanceOf(Bitrix24AbortError);
  });

  it('sends nothing when the caller aborts while a bucket store of its own is still answering', async () => {
    server.handle(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const rateLimitStore = { reserve: () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 100)) };
    const client = createClient({ webhookUrl: webhookUrl(), rateLimitStore, timeout: 10_000, maxRetries: 0 });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    expect(await failure(client.imbot.v2.Chat.InputAction.notify(params, { signal: controller.signal }))).toBeInstanceOf(Bitrix24AbortError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(0);
  });

  it('stops at the caller’s abort while a bucket store of its own never answers (a Redis that hangs); nothing is sent (before: the call hung for good)', async () => {
    const controller = new AbortController();
    const rateLimitStore = { reserve: () => new Promise<number>(() => {}) };
    const client = createClient({ webhookUrl: webhookUrl(), rateLimitStore, timeout: 10_000, maxRetries: 0 });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const call = failure(client.imbot.v2.Chat.InputAction.notify(params, { signal: controller.signal }));
    const outcome = await Promise.race([call, new Promise((resolve) => setTimeout(() => resolve('still waiting after 3 s'), 3_000))]);
    expect(outcome).toBeInstanceOf(Bitrix24AbortError);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.requests).toHaveLength(0);
  });

  it('does not keep a script running once its call is answered (the 60 s deadline is cleared)', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-timeouts-'));
    try {
      const script = join(dir, 'call.mts');
      writeFileSync(
        script,
        `import { createClient } from ${JSON.stringify(resolve('generated/src/index.ts'))};\n` +
          `const client = createClient({ webhookUrl: process.argv[2] });\n` +
          `console.log(JSON.stringify(await client.imbot.v2.Chat.InputAction.notify(${JSON.stringify(params)})));\n`,
      );
      const started = Date.now();
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, webhookUrl()], { encoding: 'utf8', timeout: 40_000 });
      expect(JSON.parse(stdout)).toEqual({ result: true });
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 45_000);

  it('takes a fraction of a millisecond, and one longer than timers hold (about 25 days) as no deadline', async () => {
    server.handle(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (!res.destroyed) json(res, 200, { result: { result: true }, time: TIME });
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, maxRetries: 0 });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { timeout: 20.5 }));
    expect(err).toBeInstanceOf(Bitrix24TimeoutError);
    expect(err.description).toBe('no response within 20.5 ms');
    expect(await client.imbot.v2.Chat.InputAction.notify(params, { timeout: 2 ** 31 })).toEqual({ result: true });
  });
});
