import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Bitrix24AbortError,
  Bitrix24RefreshError,
  createClient,
  createTransport,
  errorClassesByCode,
  imbotV2ChatMessageGet,
  tokenEndpoint,
} from '../generated/src/index.js';
import { json, TestServer, TIME, type Handler } from './support/http-server.js';

/**
 * The OAuth refresh (issue 26, item 9) against a real portal and a real token server on
 * 127.0.0.1: bounded by each call's timeout and signal; a refusal asked once and remembered
 * until new tokens are given; its own error class naming the token endpoint; a malformed
 * answer a clear refresh error; `oauthUrl` as the server's base or as its token endpoint.
 */
const OLD_ACCESS = 'access-OLD-0123456789';
const REFRESH = 'refresh-TOKEN-0123456789';
const CLIENT_ID = 'app.0123.4567';
const CLIENT_SECRET = 'client-SECRET-0123456789';
const SECRETS = [OLD_ACCESS, REFRESH, CLIENT_SECRET];

let portal: TestServer;
let oauth: TestServer;
/** The access token the portal accepts now. */
let valid = 'access-NEW-0123456789';

beforeAll(async () => {
  portal = await TestServer.start();
  oauth = await TestServer.start();
});
beforeEach(() => {
  portal.requests.length = 0;
  oauth.requests.length = 0;
  valid = 'access-NEW-0123456789';
  portal.handle((req, res) => {
    const auth = (req.json as { auth?: string }).auth;
    if (auth === valid) json(res, 200, { result: { id: 1 }, time: TIME });
    else json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
  });
});
afterAll(async () => {
  await portal.close();
  await oauth.close();
});

function tokenServer(handler: Handler): void {
  oauth.handle(handler);
}
const grant = (): Handler => (_req, res) => json(res, 200, { access_token: valid, refresh_token: 'refresh-NEXT-0123456789', expires: Math.floor(Date.now() / 1000) + 3600, expires_in: 3600 });

function options(extra: Record<string, unknown> = {}) {
  return { portalUrl: portal.url, accessToken: OLD_ACCESS, refreshToken: REFRESH, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, oauthUrl: oauth.url, rateLimit: false as const, ...extra };
}

const get = (client: ReturnType<typeof createClient>, call: { timeout?: number; signal?: AbortSignal } = {}) => client.bot({ botId: 7 }).Chat.Message.get({ messageId: 1 }, call);

/** Every way an error is shown, with none of the secrets. */
function shown(err: unknown): string {
  const e = err as Error;
  const text = [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 5 })].join('\n');
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  return text;
}

describe('the refresh honours the call', () => {
  it('a token server that never answers holds a call no longer than its timeout', async () => {
    tokenServer(() => {
      /* never answers */
    });
    const client = createClient(options({ timeout: 60_000 }));
    const started = Date.now();
    const err = await get(client, { timeout: 1_000 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(Bitrix24RefreshError);
    expect(err).toMatchObject({ code: 'TIMEOUT', endpoint: `${oauth.url}/oauth/token/`, method: undefined });
    expect((err as Error).message).toBe(`token refresh at ${oauth.url}/oauth/token/: TIMEOUT: no new token within the call's timeout (1000 ms)`);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    shown(err);
  });

  it('nor past its abort', async () => {
    tokenServer(() => {
      /* never answers */
    });
    const client = createClient(options());
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    const started = Date.now();
    const err = await get(client, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24AbortError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('the shared refresh itself stops at the client’s timeout, and the next expiry asks again', async () => {
    let answer = false;
    tokenServer((req, res) => {
      if (answer) grant()(req, res);
    });
    const client = createClient(options({ timeout: 500, maxRetries: 0 }));
    expect(await get(client).catch((e: unknown) => e)).toMatchObject({ code: 'TIMEOUT' });
    answer = true;
    await expect(get(client)).resolves.toEqual({ id: 1 });
    expect(oauth.requests).toHaveLength(2);
  });
});

describe('onTokens', () => {
  it('one that never settles (a hung store) holds no call and no later refresh; one that rejects is reported to the logger (before: the calls failed with TIMEOUT and no refresh could ever start again)', async () => {
    tokenServer(grant());
    const stored: string[] = [];
    const warnings: string[] = [];
    let calls = 0;
    const client = createClient(
      options({
        timeout: 2_000,
        maxRetries: 0,
        onTokens: (t: { accessToken: string }) => {
          stored.push(t.accessToken);
          // The first store hangs for good, the second fails.
          return ++calls === 1 ? new Promise<void>(() => {}) : Promise.reject(new Error(`database down while storing ${t.accessToken}`));
        },
        logger: (e: { type: string; message?: string }) => void (e.type === 'warning' && warnings.push(e.message!)),
      }),
    );
    await expect(get(client)).resolves.toEqual({ id: 1 });
    valid = 'access-THIRD-0123456789'; // the new token expires in its turn
    await expect(get(client)).resolves.toEqual({ id: 1 });
    expect(stored).toEqual(['access-NEW-0123456789', 'access-THIRD-0123456789']);
    expect(oauth.requests).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(warnings).toEqual(['onTokens failed: database down while storing ***']);
  });
});

describe('a refresh callback (refresh: async (refreshToken) => tokens)', () => {
  it('that never settles is given up at the client’s timeout like the token server, and the next expiry asks again (before: it stayed pending and every later call waited on it)', async () => {
    let asked = 0;
    const client = createClient({
      portalUrl: portal.url,
      accessToken: OLD_ACCESS,
      rateLimit: false,
      timeout: 500,
      maxRetries: 0,
      refresh: () => (++asked === 1 ? new Promise<never>(() => {}) : Promise.resolve({ accessToken: valid })),
    });
    const err = await get(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24RefreshError);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    shown(err);
    await expect(get(client)).resolves.toEqual({ id: 1 });
    expect(asked).toBe(2);
  });
});

describe('a refused refresh', () => {
  it('50 concurrent calls send exactly 1 refresh request; each fails with a Bitrix24RefreshError naming the token endpoint, not the REST method', async () => {
    tokenServer((_req, res) => json(res, 400, { error: 'invalid_grant', error_description: `Invalid grant for ${REFRESH}` }));
    const client = createClient(options());
    const errors = await Promise.all(Array.from({ length: 50 }, () => get(client).catch((e: unknown) => e)));
    expect(oauth.requests).toHaveLength(1);
    expect(oauth.requests[0].path.startsWith('/oauth/token/?grant_type=refresh_token&')).toBe(true);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Bitrix24RefreshError);
      expect(err).toMatchObject({ code: 'invalid_grant', status: 400, endpoint: `${oauth.url}/oauth/token/`, method: undefined, description: 'Invalid grant for ***' });
    }
    const text = shown(errors[0]);
    expect((errors[0] as Error).message).toBe(`token refresh at ${oauth.url}/oauth/token/: invalid_grant (HTTP 400): Invalid grant for ***`);
    expect(text).not.toContain('imbot.v2.Chat.Message.get');
  });

  it('is remembered: later expiries fail at once without asking again, until new tokens are given (setTokens)', async () => {
    tokenServer((_req, res) => json(res, 401, { error: 'PAYMENT_REQUIRED', error_description: 'Payment required' }));
    const transport = createTransport(options(), errorClassesByCode);
    const call = () => imbotV2ChatMessageGet(transport, { botId: 7, messageId: 1 });
    for (let i = 0; i < 3; i++) await expect(call()).rejects.toMatchObject({ name: 'Bitrix24RefreshError', code: 'PAYMENT_REQUIRED' });
    expect(oauth.requests).toHaveLength(1);

    transport.setTokens({ accessToken: valid, refreshToken: 'refresh-GIVEN-0123456789' });
    await expect(call()).resolves.toEqual({ id: 1 });
    // The new pair expires in turn: the refresh is tried again, with the refresh token given.
    valid = 'access-THIRD-0123456789';
    tokenServer(grant());
    await expect(call()).resolves.toEqual({ id: 1 });
    expect(oauth.requests).toHaveLength(2);
    expect(oauth.requests[1].path).toContain('refresh_token=refresh-GIVEN-0123456789');
  });

  it('the client takes new tokens too (client.setTokens): a remembered refusal ends, and a webhook client refuses the call', async () => {
    tokenServer((_req, res) => json(res, 400, { error: 'invalid_grant', error_description: 'Invalid grant' }));
    const client = createClient(options());
    await expect(get(client)).rejects.toMatchObject({ name: 'Bitrix24RefreshError', code: 'invalid_grant' });
    await expect(get(client)).rejects.toMatchObject({ name: 'Bitrix24RefreshError', code: 'invalid_grant' });
    expect(oauth.requests).toHaveLength(1);
    client.setTokens({ accessToken: valid, refreshToken: 'refresh-CLIENT-0123456789' });
    await expect(get(client)).resolves.toEqual({ id: 1 });
    expect(oauth.requests).toHaveLength(1);
    const webhook = createClient({ webhookUrl: `${portal.url}/rest/1/abcdefgh12345678/` });
    expect(() => webhook.setTokens({ accessToken: 'x' })).toThrow(/webhook URL, not OAuth tokens/);
  });

  it('a failure that is not a refusal (a 503) is shared by the calls that hit the same expiry, and a later call asks again', async () => {
    let fail = true;
    tokenServer((req, res) => (fail ? json(res, 503, { error: 'temporarily_unavailable' }) : grant()(req, res)));
    const client = createClient(options());
    const errors = await Promise.all(Array.from({ length: 10 }, () => get(client).catch((e: unknown) => e)));
    expect(errors.every((e) => e instanceof Bitrix24RefreshError && e.status === 503)).toBe(true);
    expect(oauth.requests).toHaveLength(1);
    fail = false;
    await expect(get(client)).resolves.toEqual({ id: 1 });
    expect(oauth.requests).toHaveLength(2);
  });
});

describe('a malformed token answer', () => {
  it.each([
    ['null', 'null', 'expected a JSON object with access_token, got null'],
    ['an object without access_token', '{"expires_in":3600}', 'expected a JSON object with access_token, got an object without it'],
    ['an HTML page', '<html>502</html>', 'expected a JSON object with access_token, got 16 characters that are not JSON'],
  ])('%s is a Bitrix24RefreshError INVALID_RESPONSE, not CLIENT_ERROR', async (_name, body, description) => {
    tokenServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const err = await get(createClient(options())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24RefreshError);
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, description });
    shown(err);
  });

  it('a redirect from the token server is not followed (its query holds client_secret)', async () => {
    const elsewhere = await TestServer.start();
    try {
      tokenServer((_req, res) => {
        res.writeHead(307, { Location: `${elsewhere.url}/oauth/token/` });
        res.end();
      });
      const err = await get(createClient(options())).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'Bitrix24RefreshError', code: 'REDIRECT', status: 307 });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('oauthUrl', () => {
  it.each([
    ['the server base', ''],
    ['the server base with a slash', '/'],
    ['the token endpoint', '/oauth/token/'],
    ['the token endpoint without its slash', '/oauth/token'],
  ])('given as %s, the refresh goes to /oauth/token/ exactly once', async (_name, suffix) => {
    tokenServer(grant());
    await expect(get(createClient(options({ oauthUrl: `${oauth.url}${suffix}` })))).resolves.toEqual({ id: 1 });
    expect(oauth.requests.map((r) => r.path.split('?')[0])).toEqual(['/oauth/token/']);
  });

  it('defaults to https://oauth.bitrix.info/oauth/token/ (settings/oauth/auto-renewal.md); an http:// server other than loopback is refused', () => {
    expect(tokenEndpoint()).toBe('https://oauth.bitrix.info/oauth/token/');
    expect(tokenEndpoint('https://oauth.bitrix.info/oauth/token/?x=1')).toBe('https://oauth.bitrix.info/oauth/token/');
    expect(tokenEndpoint('https://user:pa55@oauth.example.com/base/#x')).toBe('https://oauth.example.com/base/oauth/token/');
    expect(() => createClient(options({ oauthUrl: 'http://oauth.example.com' }))).toThrow(/oauthUrl must use https:\/\//);
  });
});
