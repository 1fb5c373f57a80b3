// Test helpers of the echo bot (outside test/ and not named test-*, so node --test does not run it as a test file): a portal in a box, and reading what the bot sent it.
import { once } from 'node:events';
import { createClient } from '@b24gen/imbot-v2';
import { createTestPortal } from '@b24gen/imbot-v2/testing';

/**
 * A test portal on 127.0.0.1 and a client for it (webhook authorization: the portal's inbound
 * webhook URL), both closed when the test ends.
 * @param {import('node:test').TestContext} t
 */
export async function startPortal(t) {
  const portal = await createTestPortal();
  t.after(() => portal.close());
  const client = createClient({ webhookUrl: portal.webhookUrl });
  return { portal, client };
}

/**
 * Listens on a free port of 127.0.0.1; returns the URL the portal should post to.
 * @param {import('node:test').TestContext} t
 * @param {import('node:http').Server} server
 */
export async function listen(t, server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return `http://127.0.0.1:${port}/bitrix24/events`;
}

/**
 * Resolves once `check()` returns something truthy (polled every 20 ms), or fails after `ms`.
 * @template T
 * @param {() => T} check
 */
export async function eventually(check, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the bot sent: [dialogId, text] of each imbot.v2.Chat.Message.send the portal ran. */
export function sentMessages(portal) {
  return portal.calls.of('imbot.v2.Chat.Message.send').map((c) => [c.params.dialogId, c.params.fields?.message]);
}

/** What the bot answered to commands: [commandId, messageId, text] of each imbot.v2.Command.answer. */
export function commandAnswers(portal) {
  return portal.calls.of('imbot.v2.Command.answer').map((c) => [c.params.commandId, c.params.messageId, c.params.fields?.message]);
}

/**
 * ONIMBOTV2COMMANDADD's data for `/help` as the portal would send it to `botId`: the command,
 * the message that carried it, the chat and the user (the portal's default user, id 1).
 */
export function helpCommandData(portal, { botId, commandId, messageId }) {
  return {
    bot: { id: botId, code: 'echo' },
    command: { id: commandId, command: '/help', params: '', context: 'textarea' },
    message: { id: messageId, chatId: 5, authorId: 1, date: '2026-01-15T10:30:00+02:00', text: '/help', isSystem: false, uuid: '', forward: null, params: {}, viewedByOthers: false },
    chat: { id: 5, dialogId: 'chat5', type: 'chat', name: 'Support', entityType: '', owner: 1, avatar: '' },
    user: portal.user(1),
    language: 'en',
  };
}
