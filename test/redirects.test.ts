import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Bitrix24ResponseError, createClient, type TransportEvent } from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

/**
 * Redirects (issue 26, item 7): the client never follows one. A 301/302/303/307/308 to another
 * origin would carry the body, `auth` (the access token) included, to that host; one to the same
 * origin is not followed either (the REST API does not redirect method calls: a redirect means
 * the configured URL is out of date, and a 301/302 would turn the POST into a GET without its
 * params). The error names the status and the target's origin, never its path.
 */
const ACCESS_TOKEN = 'redirect-access-T0KEN-abc';
const WEBHOOK_CODE = 'redirectW3bh00kC0de';
const BOT_TOKEN = 'bot-token-redirect-77';
const { failure } = secretChecks([ACCESS_TOKEN, WEBHOOK_CODE, BOT_TOKEN]);
const params = { botId: 1, botToken: BOT_TOKEN, dialogId: 'chat1' };

let portal: TestServer;
let elsewhere: TestServer;

beforeAll(async () => {
  portal = await TestServer.start();
  elsewhere = await TestServer.start();
});
beforeEach(() => {
  portal.requests.length = 0;
  elsewhere.requests.length = 0;
  elsewhere.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
});
afterAll(async () => {
  await portal.close();
  await elsewhere.close();
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('a %i to another origin is not followed: the other host gets nothing, the error names the status and the origin only', async (status) => {
    portal.handle((_req, res) => {
      res.writeHead(status, { Location: `${elsewhere.url}/rest/imbot.v2.Chat.InputAction.notify?auth=${ACCESS_TOKEN}` });
      res.end();
    });
    const events: TransportEvent[] = [];
    const client = createClient({ portalUrl: portal.url, accessToken: ACCESS_TOKEN, rateLimit: false, retryDelay: 1, logger: (e) => void events.push(e) });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
    expect(err).toMatchObject({ code: 'REDIRECT', status, attempts: 1 }); // never retried, though the method is safe to repeat
    expect(err.message).toBe(`imbot.v2.Chat.InputAction.notify: REDIRECT (HTTP ${status}): not followed, to ${elsewhere.url}: check the portal URL`);
    expect(portal.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(JSON.stringify(events)).not.toContain(ACCESS_TOKEN);
  });

  it('a 307 to the same origin is not followed either, and the path it names (with the webhook code) stays out of the error', async () => {
    portal.handle((req, res) => {
      res.writeHead(307, { Location: `/rest/1/${WEBHOOK_CODE}/moved/${req.path.split('/').pop()}` });
      res.end();
    });
    const client = createClient({ webhookUrl: `${portal.url}/rest/1/${WEBHOOK_CODE}/`, rateLimit: false });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toMatchObject({ code: 'REDIRECT', status: 307 });
    expect(err.description).toBe(`not followed, to ${portal.url}: check the portal URL`);
    expect(portal.requests).toHaveLength(1);
  });

  it('a Location that is not a URL still gives the REDIRECT error', async () => {
    portal.handle((_req, res) => {
      res.writeHead(308, { Location: 'http://[bad' });
      res.end();
    });
    const client = createClient({ portalUrl: portal.url, accessToken: ACCESS_TOKEN, rateLimit: false });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toMatchObject({ code: 'REDIRECT', status: 308, description: 'not followed, to ?: check the portal URL' });
  });
});
