// @ts-check
// Webhook mode: the portal POSTs each event to the bot's webhookUrl; this server answers them.
import { createServer } from 'node:http';
import { createWebhookHandler, toNodeHandler } from '@b24gen/imbot-v2';
import { answerCommand, answerMessage } from './echo-bot.js';

/**
 * A Node HTTP server for the bot's events. `applicationToken` is the `auth[application_token]`
 * the portal's posts carry; posts without it are refused (401).
 * @param {{ bot: () => import('./echo-bot.js').EchoBot | undefined, applicationToken: string, onError?: (error: unknown) => void }} options
 *   `bot` is read per event, so the server can listen before the bot is registered (registering
 *   needs the server's URL).
 */
export function createEchoServer({ bot, applicationToken, onError = (error) => console.error(error) }) {
  const handler = createWebhookHandler({
    applicationToken,
    // Answer the portal once the reply is sent: nothing runs after the answer on platforms that
    // stop work then, and a test that waits for the post has the reply already.
    waitForHandlers: true,
    on: {
      ONIMBOTV2MESSAGEADD: async ({ data }) => {
        const b = bot();
        if (b) await answerMessage(b, data);
      },
      ONIMBOTV2COMMANDADD: async ({ data }) => {
        const b = bot();
        if (b) await answerCommand(b, data);
      },
    },
    onError,
  });
  return createServer(toNodeHandler(handler));
}
