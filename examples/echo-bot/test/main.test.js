// src/main.js as it is deployed, in its own process, configured only by its environment.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, sentMessages, startPortal } from '../support/portal-helpers.js';

/** A port nobody listens on now. */
async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
  probe.close();
  await once(probe, 'close');
  return port;
}

test('main.js in webhook mode registers the bot with its public URL and echoes what a user writes', async (t) => {
  const { portal } = await startPortal(t);
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(new URL('../src/main.js', import.meta.url))], {
    env: {
      ...process.env,
      B24_WEBHOOK_URL: portal.webhookUrl,
      ECHO_BOT_TOKEN: 'main-bot-secret',
      ECHO_MODE: 'webhook',
      PORT: String(port),
      ECHO_PUBLIC_URL: `http://127.0.0.1:${port}/`,
      B24_APPLICATION_TOKEN: portal.applicationToken,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  // Registered once its command is: Command.register is the last call of its start.
  await eventually(() => portal.calls.of('imbot.v2.Command.register').length === 1);
  assert.deepEqual(portal.bots().map((b) => [b.code, b.eventMode, b.webhookUrl]), [['echo_bot', 'webhook', `http://127.0.0.1:${port}/`]]);
  const delivered = await portal.say('chat5', 'Hello from a user');
  assert.equal(delivered.status, 200);
  assert.deepEqual(sentMessages(portal), [['chat5', 'Hello from a user']]);
});
