/**
 * The README's "Testing your bot" section: `@b24gen/imbot-v2/testing` (generator/testing/): install,
 * a test portal in either authorization mode, scripting it, and sending the bot events the way the
 * portal does. Its ```ts blocks are type-checked with the rest of the README against the packed
 * package (test/package.test.ts), so a renamed kit function fails the tests; examples/echo-bot is
 * the same use, run for real (test/echo-bot.test.ts). No spec string reaches this text.
 */
export function testingYourBot(pkg: string): string[] {
  return [
    `## Testing your bot`,
    `\`${pkg}/testing\` is a Bitrix24 portal in a box for your own tests, installed with the package (nothing more to install): a real HTTP server on 127.0.0.1 that answers every method of this package as the official docs describe ` +
      `(each request checked against the method's params; the documented error code, HTTP status and body; \`{ result, time }\` with a result that conforms to the spec), ` +
      `remembers what a bot relies on (bots and their commands, chats and members, the messages sent, with their updates, deletions and reactions, each fetch-mode bot's \`Event.get\` queue), ` +
      `and delivers events to the bot the way the portal does. It uses only Node's built-ins and no test framework's API: it works under vitest, jest and \`node:test\` alike, and the main entry does not import it.`,
    `### A portal per test`,
    `Give your bot's code a client of the test portal instead of the real one. Both authorizations work on the same portal: its inbound webhook URL, or OAuth with its tokens and its own token endpoint (so a refresh never leaves 127.0.0.1).`,
    fence('ts', `import { createTestPortal } from '${pkg}/testing';

const portal = await createTestPortal(); // options: bots, rateLimit, applicationToken, webhook, oauth, ...
const testClient = createClient({ webhookUrl: portal.webhookUrl });
const appTestClient = createClient({
  portalUrl: portal.origin,
  accessToken: portal.accessToken,
  refreshToken: portal.refreshToken,
  clientId: portal.clientId,
  clientSecret: portal.clientSecret,
  oauthUrl: portal.oauthUrl,
});
const echo = await testClient.imbot.v2.Bot.register({
  fields: { code: 'echo', botToken: 'test-bot-token', properties: { name: 'Echo' }, eventMode: 'fetch' },
});
// ... run the bot, assert, then:
await portal.close();`),
    `### Scripting`,
    [
      `- \`portal.on(method, (params, ctx) => result)\`: answer a method yourself, params and result typed by the method; return \`ctx.error(code)\` for one of its documented errors, or \`ctx.next()\` for what the portal would have answered. \`portal.off(method)\` removes it.`,
      `- \`portal.fail(method, code, { times })\`: the next calls fail with a documented error of that method, with the status and message the docs give it (a code the method does not document is a \`TypeError\`).`,
      `- \`portal.rateLimit({ limit, drainPerSecond })\`: the portal's leaky bucket (default the standard plan's, 50 and 2 per second; \`false\`: none), to see your bot wait instead of failing with \`QUERY_LIMIT_EXCEEDED\`.`,
      `- \`portal.expireToken()\`: every access token issued so far expires; the next OAuth call gets \`expired_token\`, as when an hour has passed.`,
      `- \`portal.holdTokenRequests(n)\`: the next \`n\` refreshes reach the token server and are never answered (dropped unrun when the client gives up, so the refresh token stays valid), for a token server that hangs or a process killed mid-refresh; \`await portal.heldTokenRequest()\` waits for one. \`portal.stats\` counts \`requests\`, \`rejectedByRateLimit\`, \`refreshes\` and \`tokenRequests\`.`,
      `- \`portal.calls\`: every call, in order, with its params, how it came (\`via\`, \`auth\`) and its \`outcome\`; \`portal.calls.of(method)\` with the params typed by the method, \`portal.calls.ran()\` those the portal ran.`,
    ].join('\n'),
    fence('ts', `portal.on('imbot.v2.Chat.Message.send', (params, ctx) => (params.dialogId === 'chat404' ? ctx.error('ACCESS_DENIED') : ctx.next()));
portal.fail('imbot.v2.Chat.InputAction.notify', 'BOT_NOT_FOUND', { times: 2 });
portal.rateLimit({ limit: 5, drainPerSecond: 1 });
portal.expireToken(); // appTestClient refreshes through portal.oauthUrl and sends the call again
const texts = portal.calls.of('imbot.v2.Chat.Message.send').map((c) => c.params.fields?.message);`),
    `### Events, as the portal sends them`,
    `\`portal.say(dialogId, text)\` is a user writing to the bot: the message is recorded in the portal (so \`Chat.Message.get\`, reactions and \`getContext\` find it) and the bot gets \`ONIMBOTV2MESSAGEADD\` with the portal's message, chat, user and bot ` +
      `(\`{ botId }\` picks the bot when the portal has several, \`{ authorId }\` the user who writes: by default the user of a one-to-one dialog (\`dialogId\` \`'12'\`), in a group chat the portal's user 1). ` +
      `\`portal.emit(event, data)\` sends any event; \`data\` is typed by the event (\`EventDataMap\`), so a wrong shape does not compile. The bot that receives it is the one \`data.bot.id\` names (\`{ botId }\` for the \`ONIMV2*\` events, which have no \`bot\`). How it arrives depends on how the bot registered:`,
    [
      `- \`eventMode: 'webhook'\`: a \`POST\` to the bot's \`webhookUrl\`, byte for byte as the portal sends it: \`application/x-www-form-urlencoded\` built by PHP's \`http_build_query\` (\`data[message][text]=...\`, every scalar a string, \`true\`/\`false\` as \`1\`/\`0\`, \`null\` as an empty string, empty arrays left out), the fields \`event\`, \`data\`, \`ts\` and the top-level \`auth\` with the portal's \`application_token\` (\`portal.applicationToken\`, the value for \`createWebhookHandler\`), and \`data.bot\` in its webhook form \`{ id, code, auth }\` (its \`access_token\` works for calls back). ` +
        `The promise resolves with what the handler answered, \`{ mode: 'webhook', status, body }\` (the portal expects 200); a handler that cannot be reached, or does not answer within \`timeout\` (default 5000 ms), rejects with an \`EventDeliveryError\` naming the URL without its query.`,
      `- \`eventMode: 'fetch'\`: the event goes into the bot's \`Event.get\` queue (\`{ mode: 'fetch', eventId }\`), with the bot as \`Event.get\` gives it (no \`auth\`); an \`Event.get\` with \`offset\` confirms and removes the events below it, as the portal does.`,
    ].join('\n'),
    fence('ts', `await portal.say('chat5', 'Hello bot!'); // queued for the fetch-mode bot registered above
const testBot = testClient.bot({ botId: echo.bot.id, botToken: 'test-bot-token' });
for (const event of (await testBot.Event.get({})).events) {
  if (event.type === 'ONIMBOTV2MESSAGEADD') await testBot.Chat.Message.send({ dialogId: event.data.chat.dialogId, fields: { message: event.data.message.text } });
}`),
    `A webhook-mode bot is tested the same way: start its server on 127.0.0.1, register it with that URL as \`webhookUrl\`, and give its handler \`portal.applicationToken\`; \`await portal.say(...)\` returns once the handler answered (with \`waitForHandlers: true\` your handler has run by then). ` +
      `That the handler refuses forged posts: \`portal.say(dialogId, text, { auth: { application_token: 'another' } })\` must come back with \`status\` 401. ` +
      `A whole bot tested this way, in both modes, with \`node:test\`: \`examples/echo-bot\` in the b24gen repository.`,
  ];
}

function fence(lang: string, code: string): string {
  return '```' + lang + '\n' + code + '\n```';
}
