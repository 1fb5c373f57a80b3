import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bitrix24Error, Bitrix24ResponseError, createClient, MemoryBucketStore, type Client } from '../generated/src/index.js';
import { TestServer } from './support/http-server.js';

/**
 * Whatever a portal (or something in front of it) answers, the client ends in a value or a
 * Bitrix24Error: never a crash of another kind, never a changed prototype.
 */
let server: TestServer;
let client: Client;
const call = () => client.bot({ botId: 1, botToken: 'tok' }).Chat.Message.get({ messageId: 1 }, { maxRetries: 0 });

beforeAll(async () => {
  server = await TestServer.start();
  client = createClient({ webhookUrl: `${server.url}/rest/1/hostile-secret/`, rateLimitStore: new MemoryBucketStore() });
});
afterAll(() => server.close());

function answer(status: number, body: string, type = 'application/json'): void {
  server.handle((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
}

describe('hostile responses', () => {
  it.each([
    ['not JSON', 200, '<html>502 Bad Gateway</html>', 'INVALID_RESPONSE'],
    ['empty', 200, '', 'INVALID_RESPONSE'],
    ['a JSON array', 200, '[1,2,3]', 'INVALID_RESPONSE'],
    ['JSON null', 200, 'null', 'INVALID_RESPONSE'],
    ['an error code that is not a string', 400, '{"error":{"code":1},"error_description":"x"}', 'INVALID_RESPONSE'],
    ['an error code that is a number', 400, '{"error":42}', 'INVALID_RESPONSE'],
    ['neither result nor error', 200, '{"time":{}}', 'INVALID_RESPONSE'],
    ['a 5xx without a code', 503, '{}', 'INVALID_RESPONSE'],
    ['an unknown error code', 400, '{"error":"SOMETHING_NEW","error_description":"New"}', 'SOMETHING_NEW'],
    ['an error code named like a prototype key', 400, '{"error":"__proto__","error_description":"x"}', '__proto__'],
    ['an error code named constructor', 400, '{"error":"constructor","error_description":"x"}', 'constructor'],
  ])('%s gives a Bitrix24Error', async (_name, status, body, code) => {
    answer(status, body);
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24Error);
    expect((err as Bitrix24Error).code).toBe(code);
    expect((err as Error).message).not.toContain('hostile-secret');
  });

  it('JSON with __proto__ keys changes no prototype', async () => {
    answer(200, '{"result":{"__proto__":{"polluted":true},"message":{"constructor":{"prototype":{"polluted":true}}}},"__proto__":{"polluted":true},"time":{}}');
    const result = (await call()) as unknown as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
  });

  it('a deeply nested body is a value or a Bitrix24ResponseError, not a crash', async () => {
    const depth = 200_000;
    answer(200, `{"result":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const outcome = await call().then(
      () => 'value',
      (e: unknown) => (e instanceof Bitrix24ResponseError ? 'response-error' : `other: ${String(e)}`),
    );
    expect(['value', 'response-error']).toContain(outcome);
  });

  it('a huge body (20 MB, over the default maxResponseBytes) is refused as a Bitrix24ResponseError, and the client keeps working', async () => {
    answer(200, `{"result":{"text":"${'x'.repeat(20_000_000)}"},"time":{}}`);
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
    expect((err as Bitrix24Error).code).toBe('RESPONSE_TOO_LARGE');
    answer(200, '{"result":{"ok":true},"time":{}}');
    await expect(call()).resolves.toEqual({ ok: true });
  });

  it('a body cut off in the middle is a Bitrix24Error', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"result":{"a":');
      res.socket?.destroy();
    });
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24Error);
  });
});
