import { allErrorCodes, groupOf, type Api, type MethodSpec } from '../model/ir.js';
import { markdownText, markdownUrl } from './escape.js';
import { methodNames } from './names.js';
import { testingYourBot } from './readme-testing.js';

/**
 * The package's README (generated/README.md): install, auth modes, an example per group of
 * methods, receiving events, testing a bot with the kit (readme-testing.ts), error handling, deep imports and the table of every method with its official page
 * (under its group's heading and description when the spec describes groups).
 * Built from the IR so the method list never drifts from the client; every spec string goes
 * through markdownText/markdownUrl. The code examples are type-checked against the built
 * package by test/package.test.ts, so a spec change that breaks one fails the tests.
 */

const PACKAGE = '@b24gen/imbot-v2';

/** The methods the "Testing your bot" section's examples call. */
const TESTING_USES = ['imbot.v2.Bot.register', 'imbot.v2.Chat.Message.send', 'imbot.v2.Chat.InputAction.notify', 'imbot.v2.Event.get'];

/** Examples per group, each shown only when every method it calls is in the spec. */
interface Example {
  title: string;
  uses: string[];
  code: string;
}

const EXAMPLES: Example[] = [
  {
    title: 'Bots',
    uses: ['imbot.v2.Bot.register', 'imbot.v2.Bot.list'],
    code: `const registered = await client.imbot.v2.Bot.register({
  fields: { code: 'echo_bot', botToken: 'a-secret-you-choose', properties: { name: 'Echo' }, eventMode: 'fetch' },
});
console.log(registered.bot.id);
const { bots, hasNextPage } = await client.imbot.v2.Bot.list({ limit: 50 });`,
  },
  {
    title: 'Messages',
    uses: ['imbot.v2.Chat.Message.send', 'imbot.v2.Chat.Message.Reaction.add'],
    code: `const sent = await bot.Chat.Message.send({
  dialogId: 'chat5',
  fields: {
    message: 'Pick one:',
    keyboard: [
      { TEXT: 'Yes', ACTION: 'SEND', ACTION_VALUE: 'yes', BG_COLOR_TOKEN: 'primary' },
      { TYPE: 'NEWLINE' },
      { TEXT: 'Docs', LINK: 'https://example.com/docs' },
    ],
    attach: [{ MESSAGE: 'Build [B]42[/B] passed' }, { GRID: [{ DISPLAY: 'LINE', NAME: 'Branch', VALUE: 'main' }] }],
  },
});
await bot.Chat.Message.Reaction.add({ messageId: sent.id, reaction: 'like' });`,
  },
  {
    title: 'Chats',
    uses: ['imbot.v2.Chat.add', 'imbot.v2.Chat.User.add'],
    code: `const { chat } = await bot.Chat.add({ fields: { title: 'Support', userIds: [1, 2] } });
await bot.Chat.User.add({ dialogId: chat.dialogId, userIds: [3] });`,
  },
  {
    title: 'Commands',
    uses: ['imbot.v2.Command.register'],
    code: `const { command } = await bot.Command.register({ fields: { command: 'help', title: { en: 'Help' } } });`,
  },
  {
    title: 'Events (fetch mode)',
    uses: ['imbot.v2.Event.get'],
    code: `const page = await bot.Event.get({ offset: 0, limit: 100 });
for (const event of page.events) {
  // \`type\` tells the events apart; after the check, \`data\` is that event's type.
  if (event.type === 'ONIMBOTV2MESSAGEADD') {
    // Lists the docs call open (chat and user kinds, reactions) may hold values added later.
    const where = event.data.chat.type === 'private' ? 'one-to-one' : event.data.chat.type;
    console.log(where, event.data.message.text);
  } else {
    console.log(event.eventId, event.type); // other events, including ones newer than this client
  }
}
// next page: offset page.nextOffset, while page.hasMore`,
  },
  {
    title: 'An echo bot, fetch mode (no public URL needed)',
    uses: ['imbot.v2.Event.get', 'imbot.v2.Chat.InputAction.notify', 'imbot.v2.Chat.Message.send'],
    code: `import { readFile, writeFile } from 'node:fs/promises';

// Where to resume after a restart: store the stream's offset after each event.
const loadOffset = async () => Number(await readFile('offset.txt', 'utf8').catch(() => '')) || undefined;
const saveOffset = (offset: number | undefined) => writeFile('offset.txt', String(offset ?? ''));

const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
const stream = bot.events({
  signal: stop.signal,
  startOffset: await loadOffset(),
  // Outages (no answer, 5xx, rate limits) do not end the stream: it waits 2 s, doubling up to 60 s.
  onError: (error, { retryIn }) => console.warn(\`Event.get failed (\${error.code}), polling again in \${retryIn} ms\`),
});
for await (const event of stream) {
  try {
    if (event.known && event.event === 'ONIMBOTV2MESSAGEADD' && !event.data.user.bot) {
      const dialogId = event.data.chat.dialogId;
      await bot.Chat.InputAction.notify({ dialogId, duration: 5 }); // "typing..."
      await bot.Chat.Message.send({ dialogId, fields: { message: \`You said: \${event.data.message.text}\` } });
    }
  } catch (error) {
    console.error(\`event \${event.eventId}: no reply sent\`, error); // one missed reply; the bot goes on
  }
  await saveOffset(stream.offset);
}
// The loop ends when \`stop\` aborts; it throws for what waiting cannot fix (a wrong token or bot,
// a page that breaks the docs' rules), without confirming any event it did not hand over.`,
  },
  {
    title: 'The same bot, webhook mode',
    uses: ['imbot.v2.Chat.InputAction.notify', 'imbot.v2.Chat.Message.send'],
    code: `import { createServer } from 'node:http';
import { createWebhookHandler, toNodeHandler } from '${PACKAGE}';

// Register the bot with eventMode 'webhook' and this server's URL as webhookUrl.
const handler = createWebhookHandler({
  applicationToken: process.env.B24_APPLICATION_TOKEN!, // posts without it get 401
  on: {
    ONIMBOTV2MESSAGEADD: async ({ data }) => {
      if (data.user.bot) return;
      await bot.Chat.InputAction.notify({ dialogId: data.chat.dialogId, duration: 5 });
      await bot.Chat.Message.send({ dialogId: data.chat.dialogId, fields: { message: \`You said: \${data.message.text}\` } });
    },
  },
  onError: (error) => console.error(error),
});
createServer(toNodeHandler(handler)).listen(3000);
// With a fetch-style framework (Hono, Bun, Deno, workers): pass \`handler\` as the request handler.`,
  },
  {
    title: 'Files',
    uses: ['imbot.v2.File.upload'],
    code: `await bot.File.upload({ dialogId: 'chat5', fields: { name: 'report.txt', content: btoa('hello') } });`,
  },
  {
    title: 'Typing indicator',
    uses: ['imbot.v2.Chat.InputAction.notify'],
    code: `import { StatusMessageCode } from '${PACKAGE}';

await bot.Chat.InputAction.notify({
  dialogId: 'chat5',
  statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_THINKING,
  duration: 30,
});`,
  },
];

export function emitReadme(api: Api): string {
  const names = new Set(api.methods.map((m) => m.name));
  const examples = EXAMPLES.filter((e) => e.uses.every((u) => names.has(u)));
  const hasNotify = names.has('imbot.v2.Chat.InputAction.notify');
  const errorCount = allErrorCodes(api).length;
  // The deep-import example calls the seed method when the spec has it (its params are known).
  const deep = api.methods.find((m) => m.name === 'imbot.v2.Chat.InputAction.notify') ?? api.methods[0];
  const batchExample = hasNotify && deep?.name === 'imbot.v2.Chat.InputAction.notify';
  const parts: string[] = [
    `<!-- Generated by b24gen from spec/. Do not edit: change generator/emit/readme-file.ts or the spec and run \`npm run generate\`. -->`,
    `# ${PACKAGE}`,
    `Typed client for the Bitrix24 chat-bot REST API (\`imbot.v2.*\` and \`im.v2.*\`): ${plural(api.methods.length, 'method')}, ` +
      `${plural(errorCount, 'error class', 'error classes')} and ${plural(api.types.filter((t) => t.type.kind === 'enum').length, 'enum')}, generated by ` +
      `[b24gen](https://github.com/b24gen/b24gen) from a spec checked against the official docs. Every param, result and error ` +
      `code is typed; a wrong enum value or a missing required param is a compile error.`,
    `No runtime dependencies (native \`fetch\`). Node.js 20 or later, browsers (Bitrix24 apps run in an iframe), ESM and CommonJS, ` +
      `with types for \`moduleResolution\` \`node16\`/\`nodenext\` and \`bundler\`.`,
    `## Install`,
    fence('sh', `npm install ${PACKAGE}`),
    `## Connect`,
    `**Webhook** (a bot on your own portal): create an inbound webhook with the \`imbot\` scope and pass its URL. The secret in the URL never appears in errors or logs.`,
    fence('ts', `import { createClient } from '${PACKAGE}';

const client = createClient({ webhookUrl: process.env.B24_WEBHOOK_URL! }); // https://example.bitrix24.com/rest/1/<secret>/`),
    `**OAuth** (an app from the marketplace or a local app): the portal address and the access token the app received.`,
    fence('ts', `const appClient = createClient({ portalUrl: 'https://example.bitrix24.com', accessToken: process.env.B24_ACCESS_TOKEN! });`),
    `CommonJS works the same way: \`const { createClient } = require('${PACKAGE}');\`. Plain \`http://\` URLs are refused except for loopback addresses (tests).`,
    `## A bot, bound once`,
    `Nearly every \`imbot.v2\` call needs the bot's \`botId\` and, for webhooks, its \`botToken\`. Bind them once; the bound methods no longer ask for them:`,
    fence('ts', `const bot = client.bot({ botId: 456, botToken: process.env.B24_BOT_TOKEN });`),
    ...(examples.length > 0 ? ['## Examples', ...examples.flatMap((e) => [`### ${e.title}`, fence('ts', e.code)])] : []),
    ...(api.events.length > 0 ? receivingEvents() : []),
    // The section's examples call these; a spec without them gets no section (nothing to show).
    ...(TESTING_USES.every((u) => names.has(u)) && api.events.some((e) => e.name === 'ONIMBOTV2MESSAGEADD') ? testingYourBot(PACKAGE) : []),
    `## Errors`,
    `Every documented error code has its own class, chosen by the \`error\` code of the response (never by the HTTP status). ` +
      `All of them extend \`Bitrix24Error\` and carry \`code\`, \`status\`, \`description\`, \`method\` and \`attempts\`.`,
    fence('ts', `import { Bitrix24Error${hasNotify ? ', BotNotFoundError' : ''}, QueryLimitExceededError } from '${PACKAGE}';

try {
${hasNotify ? "  await bot.Chat.InputAction.notify({ dialogId: 'chat5' });" : '  // any call'}
} catch (err) {
${hasNotify ? `  if (err instanceof BotNotFoundError) {
    // err.code === 'BOT_NOT_FOUND'
  } else ` : '  '}if (err instanceof QueryLimitExceededError) {
    // still over the portal's rate limit after the client's own retries
  } else if (err instanceof Bitrix24Error) {
    // any other code, a network error, a timeout, an abort or a response that is not JSON
  }
}`),
    `Calls that are safe to repeat (marked below) are retried after network errors, timeouts and 5xx answers; every call is retried on \`QUERY_LIMIT_EXCEEDED\`; ` +
      `\`OPERATION_TIME_LIMIT\` waits for the method's reset time (up to \`maxWait\`; further away, the call and later calls of that method fail at once with \`OperationTimeLimitError\`); \`OVERLOAD_LIMIT\` is never retried. Every error carries \`attempts\`. ` +
      `\`.withResponse()\` on any call gives the \`time\` block (\`operating\`, \`operating_reset_at\`) and the HTTP status as well.`,
    `## Options`,
    [
      `- \`rateLimit\`: the portal's request limit, kept on the client so bursts wait their turn instead of failing: \`'standard'\` (default, cloud plans: 50 requests, 2 per second), \`'enterprise'\` (250, 5 per second), \`{ limit, drainPerSecond }\` or \`false\`. All clients of a portal in a process share one bucket, even when it loads both the ESM and the CommonJS build (an app that imports the package and a dependency that requires it; the error classes then match with \`instanceof\` across the two as well); \`rateLimitStore\` shares it between processes (implement \`BucketStore\`).`,
    `- \`maxRetries\` (default 3), \`timeout\` (ms per attempt, default 60000, one deadline for the whole attempt, its body read included, so a body that trickles in cannot outlive it; \`Infinity\`: none), \`maxResponseBytes\` (default 2 MiB, see below), \`retryDelay\` (first backoff, default 500), \`maxWait\` (longest \`OPERATION_TIME_LIMIT\` wait, default 60000), \`fetch\`; per call \`{ signal, timeout, maxRetries, maxResponseBytes }\`.`,
    `- OAuth refresh: \`refreshToken\` with \`clientId\` and \`clientSecret\` (server side only), or \`refresh: async (refreshToken) => tokens\`; on \`expired_token\` the client refreshes once for all waiting calls, re-sends them, and calls \`onTokens\` with the new pair. ` +
      `\`oauthUrl\` (default \`https://oauth.bitrix.info\`) may be the server's address or its token endpoint (\`.../oauth/token/\`). Each call waits for a refresh no longer than its own \`timeout\` and stops at its \`signal\`. ` +
      `A failed refresh is a \`Bitrix24RefreshError\` whose message and \`endpoint\` name the token endpoint (never its query): the server's code (\`invalid_grant\`, \`invalid_client\`, \`PAYMENT_REQUIRED\`, ...) or \`TIMEOUT\`, \`NETWORK_ERROR\`, \`INVALID_RESPONSE\`. ` +
      `A refusal is asked once and remembered: later calls fail with it at once, without asking the server again, until new tokens are given (\`client.setTokens(tokens)\`, or a new client).`,
    `- \`logger: (event) => ...\`: every request, response, wait and refresh, with the webhook secret, tokens and \`botToken\` replaced by \`***\`.`,
    `- \`createWebhookHandler({ applicationToken, on, onOther, onError, waitForHandlers, maxBodyBytes })\`: \`on\` takes a handler per event name (each key documented in the editor); \`waitForHandlers: true\` answers the portal only after the handler finished, for platforms that stop your code once the response is sent (serverless functions); by default the portal gets its 200 at once and the handler runs after.`,
    `- \`client.batch({ a: ['imbot.v2.Chat.Message.send', { ... }], b: ['imbot.v2.Revision.get', {}] }, { halt })\`: one request per 50 calls, each outcome typed by its method: \`fulfilled\`, \`rejected\` (the method's error class; a call's own error has no HTTP status, the portal gives none), \`skipped\` (not run: after a failure with \`halt\`, an abort, or a request that failed before it) or \`unknown\` (may have run: its request got no usable answer). It never rejects for the portal or the network: outcomes of requests that ran are kept, so re-run only the calls that are not \`fulfilled\`, after checking the \`unknown\` ones.`,
    ].join('\n'),
    ...fleetSection(names.has('imbot.v2.Event.get')),
    `## Hostile networks and secrets`,
    [
      `- **Response size**: an answer's body is counted while it is read, after decompression (a small gzip body that inflates to gigabytes stops at the limit too), and dropped at \`maxResponseBytes\` (default 2 MiB; no method returns file data: \`File.download\` gives a URL) with a \`Bitrix24ResponseError\` \`RESPONSE_TOO_LARGE\`, never retried; so is a body within it that nests past 64 levels or holds more objects and arrays than one per 32 bytes of the limit or more values than one per 16 (JSON.parse would make hundreds of MB of it). Raise it per call for batches of many long messages; the bound bot's \`events()\` stream halves its page size while a page is over it, and grows it back after.`,
      `- **Redirects** are never followed, to another origin or the same one: a 3xx answer fails the call with a \`Bitrix24ResponseError\` \`REDIRECT\` that names the status and the target's origin (never its path), and is not retried. A redirect would send the body, \`auth\` included, wherever the \`Location\` points; the REST API does not redirect method calls, so it means the configured URL is out of date.`,
      `- **The logger** never changes a call's outcome: what it throws, or an \`async\` logger's rejection, is dropped.`,
      `- **Secrets** are masked by where they stand: the code in a webhook URL (\`/rest/1/***/\`, the host stays readable), and the values of \`auth\`, \`botToken\`, \`access_token\`, \`refresh_token\`, \`client_secret\`, \`application_token\` and other \`*token\`/\`*secret\` keys in JSON, form and query strings and batch commands (\`maskBatchCommand\` does it for a command string), whatever their length; a response is masked before the logger's 4096-character cut. The text of a known secret is also masked anywhere else when it has 8 characters or more (a short \`botToken\` such as \`r\` does not garble messages). This holds for logs and for every error's message, stack, JSON form and \`util.inspect\` output.`,
    ].join('\n'),
    ...(deep
      ? [
          `## One method, smallest bundle`,
          `Each method is its own module. With the lean transport, a bot that calls one method ships that method and about 3.7 KB (minified and gzipped) of runtime:`,
          fence('ts', `import { createLeanTransport } from '${PACKAGE}/runtime';
import { ${methodNames(deep).fn} } from '${PACKAGE}/${methodNames(deep).module}';

const transport = createLeanTransport({ webhookUrl: process.env.B24_WEBHOOK_URL! });${
            hasNotify && deep.name === 'imbot.v2.Chat.InputAction.notify'
              ? `\nawait ${methodNames(deep).fn}(transport, { botId: 456, botToken: process.env.B24_BOT_TOKEN, dialogId: 'chat5' });`
              : ''
          }`),
          `The lean transport takes a webhook URL or \`portalUrl\` with an \`accessToken\`, and \`timeout\`, \`maxRetries\`, \`maxResponseBytes\`, \`retryDelay\`, \`fetch\` and the per-call options as above. ` +
            `It has the same retry policy and keeps every secret out of its errors. Errors are \`Bitrix24Error\` with the portal's code; for the generated classes, ` +
            `pass the ones you catch (\`{ BOT_NOT_FOUND: BotNotFoundError }\`) or all of them (\`errorClassesByCode\`) as the second argument. ` +
            `Everything else is a plugin, in the bundle only when imported: \`rateLimiter\` (the rate limit and \`OPERATION_TIME_LIMIT\` waits), ` +
            `\`oauthRefresh\` (token refresh), \`logTo\` (the masked logger), and \`sendBatch(transport, calls)\`:`,
          fence('ts', `import { createLeanTransport, logTo, oauthRefresh, rateLimiter${batchExample ? ', sendBatch' : ''} } from '${PACKAGE}/runtime';
import { errorClassesByCode } from '${PACKAGE}/errors';${batchExample ? `\nimport { ${methodNames(deep).descriptor} } from '${PACKAGE}/${methodNames(deep).module}';` : ''}

const appTransport = createLeanTransport(
  {
    portalUrl: 'https://example.bitrix24.com',
    accessToken: process.env.B24_ACCESS_TOKEN!,
    plugins: [
      rateLimiter({ rateLimit: 'standard' }),
      oauthRefresh({ refreshToken: process.env.B24_REFRESH_TOKEN, clientId: process.env.B24_CLIENT_ID, clientSecret: process.env.B24_CLIENT_SECRET }),
      logTo((event) => console.log(event)),
    ],
  },
  errorClassesByCode,
);${
            batchExample
              ? `\nconst outcomes = await sendBatch(appTransport, {
  typing: { method: ${methodNames(deep).descriptor}, params: { botId: 456, dialogId: 'chat5' } },
});`
              : ''
          }`),
          `\`createTransport(options, errorClassesByCode)\` (what \`createClient\` uses) is this core with all of them on.`,
        ]
      : []),
    `## Methods`,
    `"Repeat-safe": the call can be sent again after a lost response without doing anything twice. "yes, except with" a param: a call that gives it is not (\`Bot.update\` rotating the bot's token), so the client never re-sends that call, alone or in a batch.`,
    ...namespaces(api).flatMap((ns) => [`### ${markdownText(ns)}`, ...methodSections(api, api.methods.filter((m) => m.namespace === ns))]),
    `## License`,
    `MIT. The API facts come from the official Bitrix24 REST documentation (MIT).`,
  ];
  return parts.join('\n\n') + '\n';
}

/**
 * "Running more than one instance": the three shared stores of `${PACKAGE}/redis`, what each
 * prevents, their setup with node-redis and with ioredis, what a store failure does
 * (`onStoreError`) and what holds when a process dies or Redis restarts. The code blocks are
 * `ts`: the README type check (test/package.test.ts) compiles them with both client libraries
 * installed beside the package; test/fleet-*.test.ts run the guarantees with several processes.
 * The event cursor's part only when the spec has `Event.get` (the bound bot's `events()`).
 */
function fleetSection(hasEvents: boolean): string[] {
  return [
    `## Running more than one instance`,
    `A client keeps three things in its own process: the portal's request bucket, the OAuth token pair and its refresh, and the fetch-mode event offset. ` +
      `A bot run by several processes (instances behind a load balancer, a worker pool, serverless functions) needs them shared, or it breaks in ways no single process can see. ` +
      `\`${PACKAGE}/redis\` keeps them on Redis. Pass it a connected client of \`redis\` (node-redis 4 or 5) or \`ioredis\`, whichever you use: both are optional peer dependencies (install the one you pass); the main entry still has no dependencies.`,
    [
      `| Store | Option | Without it | With it |`,
      `| --- | --- | --- | --- |`,
      `| \`RedisBucketStore\` | \`rateLimitStore\` | each process fills its own bucket: four processes send four times the portal's rate and get \`QUERY_LIMIT_EXCEEDED\` | one bucket per portal for the whole fleet: one Lua script per call on the Redis server's clock, the arithmetic of the in-process bucket |`,
      `| \`RedisTokenStore\` | \`tokenStore\` | processes that meet \`expired_token\` together each refresh with the same refresh token; the portal issues a new pair each time, and a process keeps a pair another has replaced | one refresh per expiry across the fleet, under a lock with a time to live (\`lockTtlMs\`, default 10 s); the others wait for the stored pair and use it, and a process started later with an old pair takes the current one at its first \`expired_token\` (one refused request, no refresh). \`onTokens\` fires once per new pair, in the process that obtained it |`,
      ...(hasEvents
        ? [
            `| \`RedisEventCursor\` | \`bot.events({ cursor })\` | two processes polling \`Event.get\` for one bot confirm (delete) each other's events, handled or not | one consumer per bot at a time (a lease with a time to live, \`leaseTtlMs\`, default 10 s, renewed while it polls; the others stand by and take over when it lapses); the offset stored after each event's loop body returns, before the next event is handed out; \`onLease\` tells when this process takes, loses or gives up the lease |`,
          ]
        : []),
    ].join('\n'),
    `With node-redis (give the client an \`error\` listener: without one, node-redis ends the process when the connection drops):`,
    fence(
      'ts',
      `import { RedisBucketStore, ${hasEvents ? 'RedisEventCursor, ' : ''}RedisTokenStore } from '${PACKAGE}/redis';
import { createClient as createRedisClient } from 'redis';

const redis = createRedisClient({ url: process.env.REDIS_URL });
redis.on('error', (error) => console.error('redis:', error.message));
await redis.connect();

const fleetClient = createClient({
  portalUrl: 'https://example.bitrix24.com',
  accessToken: process.env.B24_ACCESS_TOKEN!,
  refreshToken: process.env.B24_REFRESH_TOKEN,
  clientId: process.env.B24_CLIENT_ID,
  clientSecret: process.env.B24_CLIENT_SECRET,
  rateLimitStore: new RedisBucketStore(redis),
  tokenStore: new RedisTokenStore(redis),
  onStoreError: 'throw', // the default; 'local': fall back to this process's own store
});${
        hasEvents
          ? `

// Every process runs this loop: one consumes, the others stand by.
const fleetBot = fleetClient.bot({ botId: 456 });
for await (const event of fleetBot.events({ cursor: new RedisEventCursor(redis) })) {
  console.log(event.eventId, event.event); // the offset is stored once this body returns
}`
          : ''
      }`,
    ),
    `With ioredis, the same stores:`,
    fence(
      'ts',
      `import { Redis } from 'ioredis';

const ioredis = new Redis(process.env.REDIS_URL!);
const webhookFleetClient = createClient({ webhookUrl: process.env.B24_WEBHOOK_URL!, rateLimitStore: new RedisBucketStore(ioredis) });`,
    ),
    `Every key starts with \`b24gen:\`, then each store's \`prefix\` option if given (\`{ prefix: 'myapp:prod:' }\`), so several applications or environments can share one Redis without sharing buckets, tokens or cursors; keys name the portal, the application's client id or the bot, never a token.`,
    `### When Redis fails`,
    `No call waits on Redis longer than \`storeTimeout\` (default 2000 ms) per store operation. With \`onStoreError: 'throw'\` (the default) a store that fails or does not answer in time fails the call with a \`Bitrix24StoreError\`: ` +
      `\`store\` and the message name the store (\`RedisBucketStore\`), \`operation\` what was asked of it (\`reserve\`), \`code\` is \`STORE_TIMEOUT\` or \`STORE_FAILED\`, and the call was not sent (a \`for await\` over \`events()\` throws it and ends). ` +
      `With \`onStoreError: 'local'\` the operation uses this process's own store instead (its own bucket, its own refresh${hasEvents ? ', its own offset' : ''}), and says so once per outage: a \`warning\` to \`logger\` and a call to \`onStoreFallback({ store, operation, error })\`. ` +
      `While that lasts, what the shared store guarantees is given up (the fleet's shared rate, the single refresh${hasEvents ? ', the single consumer' : ''}); while Redis is known to fail, operations go to the in-process store at once and Redis is asked again every \`storeTimeout\` ms, so an outage does not cost each call the deadline.`,
    `### What is guaranteed`,
    [
      `- **Rate**: the fleet together stays within the portal's bucket, as one process does; a call waits its turn instead of failing.`,
      `- **A process dies mid-refresh**: its lock lapses after \`lockTtlMs\` at most, and the next process that meets \`expired_token\` refreshes. If the dead process's request had already reached the authorization server, the pair it was given is lost with it; the docs say to keep each new refresh token instead of the previous one, so a server that refuses the previous one answers the next refresh with \`invalid_grant\` (a \`Bitrix24RefreshError\`) and the application must be authorized again, as after any lost refresh answer.`,
      ...(hasEvents
        ? [
            `- **A process dies while handling an event**: a standby takes the lease within \`leaseTtlMs\` and resumes from the stored offset. The event that was in flight may be handled again (its body ran, all or part, but the offset had not moved past it): **at least once for that one event, exactly once and in order for every other**. A handler whose effect must not repeat keys it by \`eventId\`.`,
          ]
        : []),
      ...(hasEvents
        ? [
            `- **Redis restarts under \`events()\`**: with \`onStoreError: 'throw'\` the loop ends with a \`Bitrix24StoreError\` naming \`RedisEventCursor\`; start it again (after a short pause, as a supervisor would) with the **same** \`RedisEventCursor\` instance. The cursor remembers, per bot, the highest offset this process knows is handled (committed, passed to a commit that got no answer, or read while standing by), and the lease the failed loop could not release: its next \`events()\` takes that lease back at once instead of the fleet waiting \`leaseTtlMs\`. Whoever takes a lease writes back the larger of the stored offset and the one it knows.`,
            `- **With persistence** (AOF: \`appendonly yes\`, \`appendfsync always\`; **recommended for exactly-once across Redis restarts**): the lease and the offset survive. When the restarted loop takes its lease back before \`leaseTtlMs\` lapses, every event is handled exactly once, in order, across the restart; when the lease lapsed first and another process took over, at most the one event whose commit the outage swallowed is handled again.`,
            `- **Without persistence** (Redis comes back empty): the lease and the offset are gone. The process that takes the lease next restores the offset it knows: the consumer that held it knows every event it handled (nothing is handed out again); a standby knows the offset it read last (it reads it every third of \`leaseTtlMs\`), so at most the events committed after that read, and the one in flight, are handed out again. If no running process knows an offset (all restarted with Redis), the stream resumes where the portal's own queue stands: at most the last page again.`,
          ]
        : []),
      `- **Redis restarts without persistence**: the bucket starts empty (for a moment the fleet may send more than the portal counts; its \`QUERY_LIMIT_EXCEEDED\` is retried like any other). Redis with persistence (AOF) keeps it.`,
    ].join('\n'),
  ];
}

/**
 * "Receiving events (webhook mode)": where the application token comes from (only what the
 * official pages say), what the handler refuses and why, and the server setups that work. The
 * framework snippets are `js` blocks: they need packages this one does not depend on, so the
 * README type check (test/package.test.ts) cannot compile them; test/webhook-server.test.ts runs
 * the Express ones for real.
 */
function receivingEvents(): string[] {
  return [
    `## Receiving events (webhook mode)`,
    `A bot registered with \`eventMode: 'webhook'\` gets each event as a \`POST\` to its \`webhookUrl\`, encoded by PHP's \`http_build_query\` (\`application/x-www-form-urlencoded\`, every scalar a string). ` +
      `\`createWebhookHandler\` turns it back into the typed object fetch mode gives, after checking that the post is the portal's.`,
    `### The application token`,
    `Each post carries \`auth[application_token]\` at the top level of its body; the docs say to verify posts with that one, never with \`data.bot.auth.application_token\`. Pass the expected value as \`applicationToken\`; posts without it get 401 and run no handler. What the official pages say about where the value comes from:`,
    [
      `- **OAuth application**: \`application_token\` is in the \`auth\` of every event the application receives ("token for secure event handling"); the bots one application registers under its \`clientId\` share that \`APPLICATION_TOKEN\` (imbot.v2.Bot.update, "Managing Event Subscriptions").`,
      `- **Webhook-authorized bot** (an inbound webhook and a \`botToken\`): each bot has its own synthetic \`APPLICATION_TOKEN\` (same page). After a \`botToken\` rotation with \`Bot.update\` the bot's subscriptions are re-bound to the new \`APPLICATION_TOKEN\` and the old one loses access at once, so the handler's \`applicationToken\` must change with it.`,
      `- **Outgoing webhook** created by hand (Applications > Developer resources): Bitrix24 shows its token when you create it; compare \`auth[application_token]\` with it (local-webhooks.md).`,
    ].join('\n'),
    `The pages do not say where to read a bot's token other than from the posts themselves. To learn it, decode a post you know is genuine (for example the first one after you registered the bot, on a URL nobody else knows) with \`decodeWebhook(body).auth?.application_token\` and store it as a secret; the handler never logs it or hands it to \`onRejected\`.`,
    `### What the handler refuses`,
    [
      `| Answer | \`onRejected\` reason | When |`,
      `| --- | --- | --- |`,
      `| 405 | \`method\` | not a \`POST\` |`,
      `| 415 | \`type\` | a content type other than \`application/x-www-form-urlencoded\` (what the portal sends) or \`application/json\` |`,
      `| 413 | \`size\` | a body over \`maxBodyBytes\` (default 1 MB): declared, or counted while it is read (the read stops there) |`,
      `| 408 | \`timeout\` | a body that takes longer than \`bodyTimeout\` ms to arrive (default 10000) |`,
      `| 401 | \`token\` | no top-level \`auth[application_token]\`, or not \`applicationToken\` (compared in constant time) |`,
      `| 400 | \`parse\` | more than \`maxParams\` parameters (default 10000), keys deeper than \`maxDepth\` (default 32; both also for JSON, counted before it is parsed), broken JSON, no \`event\` |`,
      `| none | \`aborted\` | the client went away before the body ended |`,
    ].join('\n'),
    `The cheap checks come first: method, type, size, then the parameter count and the token, found by one scan of the text, before the body is parsed at all (in linear time). ` +
      `After a refusal before the body was read (405, 415, 413, 408) the connection is closed. \`onRejected({ reason, status, message })\` never holds a token or the body. ` +
      `\`onError\` gets handler failures and authenticated posts that cannot be decoded; the portal still gets its answer, and neither a throwing \`onError\` or \`onRejected\` nor a client that disconnects can crash the process. ` +
      `The handler answers 200 at once and runs your handler after (\`waitForHandlers: true\` waits for it, for platforms that stop work after the response). ` +
      `The events your handlers get hold the tokens (\`event.auth\`, \`event.data.bot.auth\`): keep them out of your own logs.`,
    `### Server setups`,
    `Node's \`http\` reads the body itself, with the limits above (the headers are bounded by the server's own \`headersTimeout\` and \`requestTimeout\`):`,
    fence('ts', `import { createServer } from 'node:http';
import { createWebhookHandler, toNodeHandler } from '${PACKAGE}';

const webhook = createWebhookHandler({
  applicationToken: process.env.B24_APPLICATION_TOKEN!,
  on: { ONIMBOTV2JOINCHAT: ({ data }) => console.log('added to', data.dialogId) },
  onRejected: ({ reason, status }) => console.warn('refused a post:', reason, status),
});
createServer(toNodeHandler(webhook)).listen(3000);`),
    `**Express**: \`toNodeHandler(webhook)\` is a route handler. With no body parser on the route it streams the body with the limits above; behind \`express.urlencoded()\` (\`extended: true\` or \`false\`), \`express.json()\`, \`express.text()\` or \`express.raw()\` it takes \`req.body\` as they left it and decodes it the same way. ` +
      `A middleware that reads the body and keeps nothing in \`req.body\` is reported to \`onError\` (500), never a silent 401. The parser's own limits apply first (\`limit\`, default 100 kB; \`parameterLimit\`, default 1000: a real event has a few dozen).`,
    fence('js', `app.post('/bitrix24/events', toNodeHandler(webhook)); // or: express.urlencoded({ extended: true }), toNodeHandler(webhook)`),
    `**Fastify** has no parser for form posts; register one that keeps the text, and hand the raw request and reply over:`,
    fence('js', `fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => done(null, body));
const node = toNodeHandler(webhook);
fastify.post('/bitrix24/events', (request, reply) => {
  reply.hijack();
  request.raw.body = request.body; // the string parsed above (an object from @fastify/formbody works too)
  return node(request.raw, reply.raw);
});`),
    `**Koa** (with or without \`koa-bodyparser\`):`,
    fence('js', `const node = toNodeHandler(webhook);
router.post('/bitrix24/events', async (ctx) => {
  ctx.respond = false;
  if (ctx.request.body !== undefined) ctx.req.body = ctx.request.body;
  await node(ctx.req, ctx.res);
});`),
    `**Fetch-style runtimes** take \`webhook\` itself, \`(request: Request) => Promise<Response>\`; it reads the body stream with the same limits and cancels it at the first byte over \`maxBodyBytes\`. Hand it the request untouched: a body already read is reported to \`onError\` (500).`,
    fence(
      'js',
      `// Hono
app.post('/bitrix24/events', (c) => webhook(c.req.raw));
// Next.js route handler (app/bitrix24/events/route.ts)
export const POST = webhook;
// Bun
Bun.serve({ port: 3000, fetch: webhook });
// Deno
Deno.serve(webhook);
// Cloudflare Workers
export default { fetch: webhook };`,
    ),
  ];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function namespaces(api: Api): string[] {
  return [...new Set(api.methods.map((m) => m.namespace))];
}

/**
 * A namespace's methods: one table, or, when the spec describes its groups
 * (spec/common/groups.yaml), a heading per group with what it is about, its overview page and
 * its table.
 */
function methodSections(api: Api, methods: MethodSpec[]): string[] {
  if (api.groups.length === 0) return [methodTable(methods)];
  const described = new Map(api.groups.map((g) => [g.name, g]));
  return [...new Set(methods.map(groupOf))].flatMap((name) => {
    const group = described.get(name);
    const url = group?.docs === undefined ? undefined : markdownUrl(group.docs);
    const about = group === undefined ? [] : [`${markdownText(group.description)}${url ? ` ([overview](${url}))` : ''}`];
    return [`#### ${markdownText(name)}`, ...about, methodTable(methods.filter((m) => groupOf(m) === name))];
  });
}

function methodTable(methods: MethodSpec[]): string {
  const rows = methods.map((m) => {
    const url = markdownUrl(m.docs);
    const name = markdownText(m.name);
    return `| ${url ? `[${name}](${url})` : name} | ${markdownText(m.summary)} | ${repeatSafe(m)} |`;
  });
  return ['| Method | What it does | Repeat-safe |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `yes`, `no`, or `yes, except with fields.botToken` for a method some params make unsafe to repeat. */
function repeatSafe(m: MethodSpec): string {
  if (!m.idempotent) return 'no';
  if (m.notIdempotentWhen.length === 0) return 'yes';
  return `yes, except with ${m.notIdempotentWhen.map((h) => markdownText(h.path.join('.'))).join(' or ')}`;
}

function fence(lang: string, code: string): string {
  return '```' + lang + '\n' + code + '\n```';
}
