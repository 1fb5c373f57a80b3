import { afterEach, describe, expect, it } from 'vitest';
import {
  Bitrix24Error,
  createClient,
  errorClassesByCode,
  MemoryBucketStore,
  OperationTimeLimitError,
  type Client,
} from '../generated/src/index.js';
import { errorsOf } from '../generator/model/ir.js';
import { loadSpec } from '../generator/load/index.js';
import { createTestPortal, type TestPortal } from '../generated/src/testing/index.js';

/**
 * OPERATION_TIME_LIMIT (limits.md: HTTP 429 when a method's accumulated execution time passes the
 * limit) is a system error: every method can throw it, as OperationTimeLimitError, whether the
 * portal answered it or the client refused the call itself because the method stays blocked
 * longer than `maxWait`. Against the testing kit's portal on 127.0.0.1.
 */
const BOT_TOKEN = 'bot-token-otl-secret';
const portals: TestPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

async function blockedAfterOneCall(): Promise<{ portal: TestPortal; client: Client }> {
  const portal = await createTestPortal({
    rateLimit: false,
    operatingLimit: { budget: 1, costPerCall: 1, resetAfterMs: 60_000 },
    bots: [{ id: 7, code: 'otl', botToken: BOT_TOKEN, type: 'supervisor' }],
  });
  portal.recordUserMessage({ dialogId: 'chat5', authorId: 1, text: 'read me', botId: 7 });
  portals.push(portal);
  const client = createClient({ webhookUrl: portal.webhookUrl, retryDelay: 5, maxWait: 1_000, rateLimitStore: new MemoryBucketStore() });
  return { portal, client };
}

const read = (client: Client) => client.bot({ botId: 7, botToken: BOT_TOKEN }).Chat.Message.get({ messageId: 1 });

describe('OperationTimeLimitError', () => {
  it("is what the portal's 429 OPERATION_TIME_LIMIT answer throws", async () => {
    const { portal, client } = await blockedAfterOneCall();
    await read(client);
    const err = await read(client).then(() => expect.unreachable('the call should be blocked'), (e: unknown) => e);
    expect(err).toBeInstanceOf(OperationTimeLimitError);
    expect(err).toBeInstanceOf(Bitrix24Error);
    expect(err).toMatchObject({ code: 'OPERATION_TIME_LIMIT', status: 429, attempts: 1, name: 'OperationTimeLimitError' });
    expect(portal.stats.requests).toBe(2);
  });

  it("is also what the client's own refusal throws while the method stays blocked past maxWait", async () => {
    const { portal, client } = await blockedAfterOneCall();
    await read(client);
    await expect(read(client)).rejects.toBeInstanceOf(OperationTimeLimitError);
    const received = portal.stats.requests;
    const err = await read(client).then(() => expect.unreachable('the call should be refused'), (e: unknown) => e);
    // Refused before sending: the portal saw nothing more.
    expect(portal.stats.requests).toBe(received);
    expect(err).toBeInstanceOf(OperationTimeLimitError);
    expect(err).toMatchObject({ code: 'OPERATION_TIME_LIMIT', status: 429, attempts: 0 });
    expect((err as Error).message).toMatch(/^imbot\.v2\.Chat\.Message\.get: OPERATION_TIME_LIMIT \(HTTP 429\): the method is blocked for another \d+ s, longer than maxWait$/);
  });

  it('is in errorClassesByCode and in the errors of every method, with HTTP 429 and no invented message', () => {
    expect(errorClassesByCode.OPERATION_TIME_LIMIT).toBe(OperationTimeLimitError);
    const api = loadSpec('spec');
    const entry = api.systemErrors.find((e) => e.code === 'OPERATION_TIME_LIMIT');
    expect(entry?.status).toBe(429);
    expect(entry?.message).toBeUndefined();
    for (const method of api.methods) {
      expect(errorsOf(method, api).map((e) => e.code), method.name).toContain('OPERATION_TIME_LIMIT');
    }
  });
});
