// The echo bot in fetch mode: the bot reads its events with imbot.v2.Event.get.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELP_TEXT, registerEchoBot } from '../src/echo-bot.js';
import { runEchoLoop } from '../src/fetch-loop.js';
import { commandAnswers, eventually, helpCommandData, sentMessages, startPortal } from '../support/portal-helpers.js';

test('fetch mode: queued messages and /help are answered, and a restart from the stored offset repeats nothing', async (t) => {
  const { portal, client } = await startPortal(t);
  const { bot, botId, helpCommandId } = await registerEchoBot(client, { code: 'echo', botToken: 'echo-bot-secret', eventMode: 'fetch' });
  // Queued before the loop starts, so its first poll finds them (an empty poll waits 5 s or more).
  assert.equal((await portal.say('chat5', 'Hello bot!')).mode, 'fetch');
  await portal.say('chat5', 'and again');
  await portal.emit('ONIMBOTV2COMMANDADD', helpCommandData(portal, { botId, commandId: helpCommandId, messageId: 790 }));

  let stored;
  const errors = [];
  const stop = new AbortController();
  const loop = runEchoLoop(bot, { signal: stop.signal, onOffset: (offset) => void (stored = offset), onError: (e) => errors.push(e) });
  await eventually(() => commandAnswers(portal).length === 1);
  stop.abort();
  await loop;
  assert.deepEqual(sentMessages(portal), [['chat5', 'Hello bot!'], ['chat5', 'and again']]);
  assert.deepEqual(commandAnswers(portal), [[helpCommandId, 790, HELP_TEXT]]);
  assert.deepEqual(errors, []);
  assert.equal(typeof stored, 'number');

  // A restart resumes from the stored offset: its first poll confirms what was handled.
  const polls = portal.calls.of('imbot.v2.Event.get').length;
  const again = new AbortController();
  const resumed = runEchoLoop(bot, { signal: again.signal, startOffset: stored, onError: (e) => errors.push(e) });
  await eventually(() => portal.calls.of('imbot.v2.Event.get').length > polls);
  again.abort();
  await resumed;
  assert.deepEqual(sentMessages(portal).length, 2);
  assert.deepEqual(commandAnswers(portal).length, 1);
  assert.deepEqual(errors, []);
});
