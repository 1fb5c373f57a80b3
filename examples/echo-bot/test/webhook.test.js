// The echo bot in webhook mode: the portal posts events to the bot's server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELP_TEXT, registerEchoBot } from '../src/echo-bot.js';
import { createEchoServer } from '../src/webhook.js';
import { commandAnswers, helpCommandData, listen, sentMessages, startPortal } from '../support/portal-helpers.js';

/** The portal, the bot's server listening, and the bot registered with the server's URL. */
async function webhookBot(t) {
  const { portal, client } = await startPortal(t);
  let bot;
  const errors = [];
  const server = createEchoServer({ bot: () => bot, applicationToken: portal.applicationToken, onError: (e) => errors.push(e) });
  const webhookUrl = await listen(t, server);
  const registered = await registerEchoBot(client, { code: 'echo', botToken: 'echo-bot-secret', eventMode: 'webhook', webhookUrl });
  bot = registered.bot;
  t.after(() => assert.deepEqual(errors, []));
  return { portal, ...registered };
}

test('webhook mode: a message gets its own text back, in its dialog', async (t) => {
  const { portal } = await webhookBot(t);
  const delivered = await portal.say('chat5', 'Hello bot!');
  assert.equal(delivered.status, 200);
  assert.deepEqual(sentMessages(portal), [['chat5', 'Hello bot!']]);
  await portal.say('12', 'second');
  assert.deepEqual(sentMessages(portal), [['chat5', 'Hello bot!'], ['12', 'second']]);
});

test('webhook mode: /help is answered with the help text', async (t) => {
  const { portal, botId, helpCommandId } = await webhookBot(t);
  const delivered = await portal.emit('ONIMBOTV2COMMANDADD', helpCommandData(portal, { botId, commandId: helpCommandId, messageId: 790 }));
  assert.equal(delivered.status, 200);
  assert.deepEqual(commandAnswers(portal), [[helpCommandId, 790, HELP_TEXT]]);
  assert.deepEqual(sentMessages(portal), []);
});

test('webhook mode: a post without the portal\'s application token is refused and answered nothing', async (t) => {
  const { portal } = await webhookBot(t);
  const delivered = await portal.say('chat5', 'forged', { auth: { application_token: 'someone-elses-token' } });
  assert.equal(delivered.status, 401);
  assert.deepEqual(sentMessages(portal), []);
});
