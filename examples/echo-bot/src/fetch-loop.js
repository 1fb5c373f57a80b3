// @ts-check
// Fetch mode: no public URL; the bot reads its events with imbot.v2.Event.get.
import { answerCommand, answerMessage } from './echo-bot.js';

/**
 * Answers events until `signal` aborts. `startOffset` resumes after a restart; `onOffset` gets
 * the stream's offset after each event, to store it.
 * @param {import('./echo-bot.js').EchoBot} bot
 * @param {{ signal: AbortSignal, startOffset?: number, onOffset?: (offset: number | undefined) => void | Promise<void>, onError?: (error: unknown) => void }} options
 */
export async function runEchoLoop(bot, { signal, startOffset, onOffset, onError = (error) => console.error(error) }) {
  const stream = bot.events({
    signal,
    startOffset,
    onError: (error, { retryIn }) => console.warn(`Event.get failed (${error.code}), polling again in ${retryIn} ms`),
  });
  for await (const event of stream) {
    try {
      if (event.known && event.event === 'ONIMBOTV2MESSAGEADD') await answerMessage(bot, event.data);
      if (event.known && event.event === 'ONIMBOTV2COMMANDADD') await answerCommand(bot, event.data);
    } catch (error) {
      onError(error); // one missed answer; the bot goes on
    }
    await onOffset?.(stream.offset);
  }
}
