// @ts-check
// Runs the echo bot against a portal. Environment:
//   B24_WEBHOOK_URL   the inbound webhook URL (imbot scope), https://<portal>/rest/<user>/<secret>/
//   ECHO_BOT_TOKEN    a secret you choose for the bot (webhook authorization)
//   ECHO_MODE         fetch (default) or webhook
//   For webhook mode: PORT (default 3000), ECHO_PUBLIC_URL (the URL the portal posts to) and
//   B24_APPLICATION_TOKEN (the auth[application_token] of the portal's posts).
import { createClient } from '@b24gen/imbot-v2';
import { registerEchoBot } from './echo-bot.js';
import { runEchoLoop } from './fetch-loop.js';
import { createEchoServer } from './webhook.js';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; see the top of src/main.js`);
  return value;
};

const client = createClient({ webhookUrl: env('B24_WEBHOOK_URL') });
const botToken = env('ECHO_BOT_TOKEN');

if ((process.env.ECHO_MODE ?? 'fetch') === 'webhook') {
  /** @type {import('./echo-bot.js').EchoBot | undefined} */
  let bot;
  const server = createEchoServer({ bot: () => bot, applicationToken: env('B24_APPLICATION_TOKEN') });
  server.listen(Number(process.env.PORT ?? 3000));
  ({ bot } = await registerEchoBot(client, { code: 'echo_bot', botToken, eventMode: 'webhook', webhookUrl: env('ECHO_PUBLIC_URL') }));
  process.once('SIGTERM', () => server.close());
} else {
  const { bot } = await registerEchoBot(client, { code: 'echo_bot', botToken, eventMode: 'fetch' });
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  await runEchoLoop(bot, { signal: stop.signal });
}
