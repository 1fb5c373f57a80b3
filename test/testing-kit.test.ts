import { describe, expect, it } from 'vitest';
import {
  Bitrix24Error,
  createClient,
  errorClassesByCode,
  MemoryBucketStore,
  type Client,
  type ClientOptions,
  type OAuthTokens,
} from '../generated/src/index.js';
import { methodFacts, sample, schemaDefs, type TestPortal } from '../generated/src/testing/index.js';
import { loadSpec } from '../generator/load/index.js';
import { errorsOf } from '../generator/model/ir.js';
import { buildDocument } from '../generator/openapi/document.js';
import { schemaChecker } from './support/openapi-ajv.js';
import { testPortals } from './support/test-portals.js';

/**
 * The testing kit's portal against the spec: every method answers through the generated client
 * with a result the OpenAPI export's schema accepts (Ajv, strict), every documented error code of
 * every method reaches the client as its class with the documented status and message, and the
 * credentials checks (webhook secret, OAuth token and its refresh) answer as the docs say.
 */
const BOT_TOKEN = sample({ t: 'r', r: 'BotToken' }, schemaDefs) as string;
const api = loadSpec('spec');
const doc = buildDocument(api, { version: '0.0.0' }) as { components: { schemas: Record<string, object> }; paths: Record<string, { post: { responses: Record<string, { content: { 'application/json': { schema: object } } }> } }> };
const checker = schemaChecker(doc);

const portal = testPortals();

function webhookClient(p: TestPortal, extra: Partial<ClientOptions> = {}): Client {
  return createClient({ webhookUrl: p.webhookUrl, rateLimitStore: new MemoryBucketStore(), ...extra } as ClientOptions);
}

/** The client's function for a REST name: `imbot.v2.Chat.Message.send` -> client.imbot.v2.Chat.Message.send. */
function callOf(client: Client, method: string): (params: unknown) => { withResponse(): Promise<{ result: unknown; time: unknown; status: number }> } {
  let target: unknown = client;
  for (const part of method.split('.')) target = (target as Record<string, unknown>)[part];
  if (typeof target !== 'function') throw new Error(`the client has no ${method}`);
  return target as never;
}

/**
 * Methods in an order where each finds what it needs: messages, commands and reactions exist
 * before they are read, changed or deleted, and the bot is unregistered last.
 */
const LAST = ['imbot.v2.Chat.Message.Reaction.delete', 'imbot.v2.Command.unregister', 'imbot.v2.Chat.Message.delete', 'imbot.v2.Chat.leave', 'imbot.v2.Bot.unregister'];
const ordered = Object.keys(methodFacts)
  .filter((m) => !LAST.includes(m))
  .concat(LAST.filter((m) => Object.hasOwn(methodFacts, m)));

describe('every method of the spec', () => {
  it('answers through the generated client with {result, time} that the OpenAPI export accepts', async () => {
    expect(ordered).toHaveLength(api.methods.length);
    // Bot 1 is what the params' samples name (BotId 1, messageId 1, dialogId chat1); message 1 is
    // sent here, command 1 by Command.register, which comes before Command.update.
    const p = await portal({ bots: [{ id: 1, code: 'kit', botToken: BOT_TOKEN, type: 'supervisor' }] });
    const client = webhookClient(p);
    const bot = client.bot({ botId: 1, botToken: BOT_TOKEN });
    await bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'message 1, sent by the bot' } });
    const checked: string[] = [];
    for (const method of ordered) {
      const params = sample(methodFacts[method as keyof typeof methodFacts].params, schemaDefs);
      const call = callOf(client, method)(params);
      // The call is a promise too: its rejection is read through withResponse().
      (call as unknown as Promise<unknown>).catch(() => {});
      const answer = await call
        .withResponse()
        .catch((e: unknown) => {
          throw new Error(`${method} with ${JSON.stringify(params)}: ${(e as Error).message}`);
        });
      const validate = checker.compile(doc.paths[`/${method}`]!.post.responses['200']!.content['application/json'].schema);
      const ok = validate({ result: answer.result, time: answer.time });
      expect(validate.errors ?? [], `${method}: ${JSON.stringify(answer.result).slice(0, 300)}`).toEqual([]);
      expect(ok).toBe(true);
      expect(answer.status).toBe(200);
      checked.push(method);
    }
    expect(checked.sort()).toEqual(api.methods.map((m) => m.name).sort());
    // Every call went through the portal's params check and ran.
    expect(p.calls.ran().map((c) => c.method)).toEqual(['imbot.v2.Chat.Message.send', ...ordered]);
  });

  it('the example results in testing/spec.ts validate against the OpenAPI export', () => {
    for (const method of api.methods) {
      const validate = checker.compile(doc.paths[`/${method.name}`]!.post.responses['200']!.content['application/json'].schema);
      validate({ result: methodFacts[method.name as keyof typeof methodFacts].example, time: {} });
      expect(validate.errors ?? [], method.name).toEqual([]);
    }
  });
});

describe("the docs' examples (the spec's result.example)", () => {
  const withExample = api.methods.filter((m) => m.result.example !== undefined);
  const exampleOf = (name: string): unknown => api.methods.find((m) => m.name === name)!.result.example;

  it('are what testing/spec.ts holds for each method that has one; the others keep the sample of their result type', () => {
    expect(withExample.length).toBeGreaterThan(0);
    for (const m of api.methods) {
      const facts = methodFacts[m.name as keyof typeof methodFacts];
      if (m.result.example !== undefined) {
        expect(facts.fromDocs, m.name).toBe(true);
        expect(facts.example, m.name).toEqual(m.result.example);
      } else {
        expect(facts.fromDocs, m.name).toBe(false);
        expect(facts.example, m.name).toEqual(sample(facts.result, schemaDefs));
      }
    }
  });

  it('a method the state does not model answers its docs example exactly', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'kit', botToken: BOT_TOKEN }] });
    const client = webhookClient(p);
    for (const name of ['imbot.v2.Revision.get', 'im.v2.File.download']) {
      expect(exampleOf(name), `${name} has a docs example in the spec`).toBeDefined();
      const params = sample(methodFacts[name as keyof typeof methodFacts].params, schemaDefs);
      const answer = await callOf(client, name)(params).withResponse();
      expect(answer.result, name).toEqual(exampleOf(name));
    }
  });

  it("a method the state models answers its own fields, and the docs example's where the state has none", async () => {
    const p = await portal();
    const client = webhookClient(p);
    const registered = await client.imbot.v2.Bot.register({ fields: { code: 'kit_example', botToken: BOT_TOKEN, properties: { name: 'Kit' } } });
    const got = await client.imbot.v2.Bot.get({ botId: registered.bot.id, botToken: BOT_TOKEN });
    const shown = (exampleOf('imbot.v2.Bot.get') as { bot: Record<string, unknown> }).bot;
    // The state's own: the id it gave, the code it was given, the mode it defaults to.
    expect(got.bot.id).toBe(registered.bot.id);
    expect(got.bot.id).not.toBe(shown.id);
    expect(got.bot.code).toBe('kit_example');
    // The state keeps no language or module: the docs' values, not a sample's.
    expect(got.bot.language).toBe(shown.language);
    expect(got.bot.moduleId).toBe(shown.moduleId);
    // ...which a sample of the type would not give (so the two checks above tell them apart).
    expect((sample({ t: 'r', r: 'Bot' }, schemaDefs) as Record<string, unknown>).language).not.toBe(shown.language);
  });
});

describe('documented errors', () => {
  it('every code of every method can be produced with fail() and reaches the client as its class, status and message', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'kit', botToken: BOT_TOKEN, type: 'supervisor' }] });
    // No retries: QUERY_LIMIT_EXCEEDED, 5xx and OPERATION_TIME_LIMIT reach the caller as the portal answered them.
    const client = webhookClient(p, { maxRetries: 0, rateLimit: false });
    let n = 0;
    for (const method of api.methods) {
      const params = sample(methodFacts[method.name as keyof typeof methodFacts].params, schemaDefs);
      for (const error of errorsOf(method, api)) {
        p.fail(method.name as never, error.code as never);
        const err = (await (callOf(client, method.name)(params) as unknown as Promise<unknown>).then(
            () => undefined,
            (e: unknown) => e,
          )) as Bitrix24Error | undefined;
        const where = `${method.name} ${error.code}`;
        expect(err, where).toBeInstanceOf(errorClassesByCode[error.code as keyof typeof errorClassesByCode]);
        expect({ code: err!.code, status: err!.status, description: err!.description }, where).toEqual({ code: error.code, status: error.status, description: error.message ?? '' });
        n += 1;
      }
    }
    console.log(`testing kit: ${n} documented (method, code) pairs produced through fail()`);
    expect(n).toBeGreaterThan(api.methods.length * api.systemErrors.length);
  });

  it('fail() refuses a code the method does not document, naming the ones it does', async () => {
    const p = await portal();
    expect(() => p.fail('imbot.v2.Revision.get', 'BOT_NOT_FOUND' as never)).toThrow(/"BOT_NOT_FOUND" is not a documented error of imbot\.v2\.Revision\.get; documented: .*INTERNAL_SERVER_ERROR/);
    expect(() => p.fail('imbot.v2.No.such' as never, 'BOT_NOT_FOUND' as never)).toThrow(/no such method in the spec/);
  });

  it('fail() with times answers that many calls, then the portal answers again', async () => {
    const p = await portal();
    const client = webhookClient(p, { maxRetries: 0 });
    p.fail('imbot.v2.Revision.get', 'OVERLOAD_LIMIT', { times: 2 });
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => client.imbot.v2.Revision.get({})));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(p.calls.of('imbot.v2.Revision.get').map((c) => c.outcome)).toEqual([
      { type: 'error', code: 'OVERLOAD_LIMIT', status: 503, by: 'scripted' },
      { type: 'error', code: 'OVERLOAD_LIMIT', status: 503, by: 'scripted' },
      { type: 'result', result: methodFacts['imbot.v2.Revision.get'].example },
    ]);
  });
});

describe('credentials', () => {
  it('a webhook URL with a wrong secret or user answers 401 NO_AUTH_FOUND, naming no secret', async () => {
    const p = await portal({ webhook: { userId: 1, secret: 'the-right-secret-1234' } });
    for (const url of [p.webhookUrl.replace('the-right-secret-1234', 'a-wrong-secret-5678'), p.webhookUrl.replace('/rest/1/', '/rest/2/')]) {
      const res = await fetch(`${url}imbot.v2.Revision.get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(JSON.parse(text)).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
      expect(text).not.toMatch(/secret/);
    }
    await expect(webhookClient(p).imbot.v2.Revision.get({})).resolves.toEqual(methodFacts['imbot.v2.Revision.get'].example);
  });

  it('OAuth: an unknown token is NO_AUTH_FOUND, an expired one expired_token; the client refreshes through the kit\'s token server', async () => {
    const p = await portal({ oauth: { accessToken: 'access-initial-0001', refreshToken: 'refresh-initial-0001', clientId: 'app.kit', clientSecret: 'client-secret-0001' } });
    const bare = createClient({ portalUrl: p.origin, accessToken: 'not-a-token-issued', rateLimitStore: new MemoryBucketStore() });
    await expect(bare.imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'NO_AUTH_FOUND', status: 401 });
    const tokens: OAuthTokens[] = [];
    const client = createClient({
      portalUrl: p.origin,
      accessToken: p.accessToken,
      refreshToken: p.refreshToken,
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      oauthUrl: p.oauthUrl,
      onTokens: (t) => void tokens.push(t),
      rateLimitStore: new MemoryBucketStore(),
    });
    await client.imbot.v2.Revision.get({});
    p.expireToken();
    const noRefresh = createClient({ portalUrl: p.origin, accessToken: 'access-initial-0001', rateLimitStore: new MemoryBucketStore() });
    await expect(noRefresh.imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'expired_token', status: 401, description: 'The access token provided has expired' });
    const r = await client.imbot.v2.Revision.get({}).withResponse();
    expect(r.attempts).toBe(2);
    expect(p.stats.refreshes).toBe(1);
    expect(tokens).toEqual([{ accessToken: p.accessToken, refreshToken: p.refreshToken, expiresAt: expect.any(Number) }]);
    expect(p.accessToken).not.toBe('access-initial-0001');
    // The unknown token, the first call, the expired one without refresh, the expired one and its re-send.
    expect(p.calls.map((c) => c.outcome.type === 'error' ? c.outcome.code : 'ok')).toEqual(['NO_AUTH_FOUND', 'ok', 'expired_token', 'expired_token', 'ok']);
    expect(p.calls.every((c) => c.auth === 'oauth')).toBe(true);
  });

  it("the token server answers a refresh as auto-renewal.md shows, and refuses a wrong refresh token or client with the authorization server's codes", async () => {
    const p = await portal();
    const ask = async (q: Record<string, string>) => {
      const res = await fetch(`${p.oauthUrl}?${new URLSearchParams(q)}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const good = { grant_type: 'refresh_token', client_id: p.clientId, client_secret: p.clientSecret, refresh_token: p.refreshToken };
    expect((await ask({ ...good, refresh_token: 'wrong' })).body).toMatchObject({ error: 'invalid_grant' });
    expect((await ask({ ...good, client_secret: 'wrong' })).body).toMatchObject({ error: 'invalid_client' });
    const ok = await ask(good);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'client_endpoint', 'domain', 'expires', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status', 'user_id']);
    expect(ok.body).toMatchObject({ access_token: p.accessToken, refresh_token: p.refreshToken, client_endpoint: `${p.origin}/rest/`, expires_in: 3600, member_id: p.memberId });
    // The old refresh token is spent.
    expect((await ask(good)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('holdTokenRequests: a refresh that never answers fails the call at its timeout, is dropped unrun, and the next refresh succeeds with the same refresh token', async () => {
    const p = await portal();
    const refreshToken = p.refreshToken;
    const client = createClient({
      portalUrl: p.origin,
      accessToken: p.accessToken,
      refreshToken,
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      oauthUrl: p.oauthUrl,
      // The shared refresh gives up at the client's timeout: the held request then ends unrun.
      timeout: 1_000,
      rateLimitStore: new MemoryBucketStore(),
    });
    p.expireToken();
    p.holdTokenRequests(1);
    const call = client.imbot.v2.Revision.get({});
    const held = await p.heldTokenRequest();
    expect(held.headers.accept).toBe('application/json');
    await expect(call).rejects.toMatchObject({ name: 'Bitrix24RefreshError', code: 'TIMEOUT' });
    expect(p.stats).toMatchObject({ tokenRequests: 1, refreshes: 0 });
    // The held request was never run: the refresh token it carried is still the valid one.
    expect(p.refreshToken).toBe(refreshToken);
    await client.imbot.v2.Revision.get({});
    expect(p.stats).toMatchObject({ tokenRequests: 2, refreshes: 1 });
  });

  it('a webhook call of a bot method without botToken answers BOT_TOKEN_NOT_SPECIFIED; with another token BOT_OWNERSHIP_ERROR', async () => {
    const p = await portal({ bots: [{ id: 5, code: 'tok', botToken: 'the-bot-token-0001' }] });
    const client = webhookClient(p);
    await expect(client.bot({ botId: 5 }).Chat.InputAction.notify({ dialogId: 'chat1' })).rejects.toMatchObject({ code: 'BOT_TOKEN_NOT_SPECIFIED', status: 400, description: 'Bot token is not specified' });
    const err = (await client
      .bot({ botId: 5, botToken: 'a-stolen-token-0002' })
      .Chat.InputAction.notify({ dialogId: 'chat1' })
      .catch((e: unknown) => e)) as Bitrix24Error;
    expect(err).toMatchObject({ code: 'BOT_OWNERSHIP_ERROR', status: 400 });
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('a-stolen-token-0002');
    await expect(client.bot({ botId: 5, botToken: 'the-bot-token-0001' }).Chat.InputAction.notify({ dialogId: 'chat1' })).resolves.toEqual({ result: true });
  });
});
