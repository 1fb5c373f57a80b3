import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, createLeanTransport, imbotV2ChatMessageSend, logTo, type TransportEvent } from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';

/**
 * A logger that throws (issue 26, item 8) never changes a call's outcome: before the send it
 * must not stop the call, after the send it must not turn a call that ran into a rejection (which
 * invites a re-send of a message that was delivered). An async logger's rejection must not
 * become an unhandled rejection either.
 */
let server: TestServer;
const webhookUrl = () => `${server.url}/rest/1/loggerW3bh00k/`;
const send = { botId: 1, botToken: 'bot-token-logger', dialogId: 'chat1', fields: { message: 'hello' } };

beforeAll(async () => {
  server = await TestServer.start();
});
beforeEach(() => {
  server.requests.length = 0;
  server.handle((_req, res) => json(res, 200, { result: { id: 42, uuidMap: [] }, time: TIME }));
});
afterAll(() => server.close());

describe('a logger that fails', () => {
  it.each(['request', 'response'] as const)('throwing on %s: the send runs once and resolves to its result', async (when) => {
    const seen: string[] = [];
    const logger = (e: TransportEvent) => {
      seen.push(e.type);
      if (e.type === when) throw new Error(`logger broke on ${when}`);
    };
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger });
    await expect(client.imbot.v2.Chat.Message.send(send)).resolves.toEqual({ id: 42, uuidMap: [] });
    expect(server.requests).toHaveLength(1);
    expect(seen).toEqual(['request', 'response']);
  });

  it('throwing on every event, through a retry and its wait: the outcome is the same as without a logger', async () => {
    let calls = 0;
    server.handle((_req, res) => (++calls === 1 ? json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }) : json(res, 200, { result: { id: 7, uuidMap: [] }, time: TIME })));
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, retryDelay: 1, logger: () => {
      throw new TypeError('always');
    } });
    const response = await client.imbot.v2.Chat.Message.send(send).withResponse();
    expect(response).toMatchObject({ result: { id: 7 }, attempts: 2 });
  });

  it('an async logger that rejects causes no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger: async () => {
        throw new Error('async logger broke');
      } });
      await expect(client.imbot.v2.Chat.Message.send(send)).resolves.toEqual({ id: 42, uuidMap: [] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('on the lean transport too, with a plugin of its own whose log throws', async () => {
    const transport = createLeanTransport({
      webhookUrl: webhookUrl(),
      plugins: [
        logTo(() => {
          throw new Error('logTo broke');
        }),
        {
          log() {
            throw new Error('a custom plugin broke');
          },
        },
      ],
    });
    await expect(imbotV2ChatMessageSend(transport, send)).resolves.toEqual({ id: 42, uuidMap: [] });
    expect(server.requests).toHaveLength(1);
  });
});
