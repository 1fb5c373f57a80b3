// @ts-check
// What the bot does, whichever way events reach it: it answers each user message with the
// message's text, and the /help command with HELP_TEXT.

export const HELP_TEXT = 'I answer every message with its own text. Commands: /help';

/**
 * Registers the bot and its /help command; returns the bot bound to its id and token, and the
 * command's id (ONIMBOTV2COMMANDADD names the command by it).
 * @param {import('@b24gen/imbot-v2').Client} client
 * @param {{ code: string, botToken: string, eventMode: 'fetch' | 'webhook', webhookUrl?: string }} options
 */
export async function registerEchoBot(client, { code, botToken, eventMode, webhookUrl }) {
  const registered = await client.imbot.v2.Bot.register({
    fields: { code, botToken, properties: { name: 'Echo' }, eventMode, ...(webhookUrl ? { webhookUrl } : {}) },
  });
  const bot = client.bot({ botId: registered.bot.id, botToken });
  const { command } = await bot.Command.register({ fields: { command: 'help', title: { en: 'Help' } } });
  return { bot, botId: registered.bot.id, helpCommandId: command.id };
}

/**
 * ONIMBOTV2MESSAGEADD: the same text back, in the dialog it came from. Messages of bots (itself
 * included) get no answer, so two echo bots never talk forever.
 * @param {EchoBot} bot
 * @param {import('@b24gen/imbot-v2').EventDataMap['ONIMBOTV2MESSAGEADD']} data
 */
export async function answerMessage(bot, data) {
  if (data.user.bot) return;
  await bot.Chat.Message.send({ dialogId: data.chat.dialogId, fields: { message: data.message.text } });
}

/**
 * ONIMBOTV2COMMANDADD: /help gets HELP_TEXT as the command's answer.
 * @param {EchoBot} bot
 * @param {import('@b24gen/imbot-v2').EventDataMap['ONIMBOTV2COMMANDADD']} data
 */
export async function answerCommand(bot, data) {
  if (data.command.command !== '/help') return;
  await bot.Command.answer({ commandId: data.command.id, messageId: data.message.id, dialogId: data.chat.dialogId, fields: { message: HELP_TEXT } });
}

/** @typedef {import('@b24gen/imbot-v2').BoundBot} EchoBot */
