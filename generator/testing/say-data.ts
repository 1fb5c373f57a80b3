import type { ONIMBOTV2MESSAGEADDData } from '../events.js';
import type { EventBot, EventChat, Message, User } from '../types.js';
import type { EventTarget, RegisteredBot } from './event-target.js';

/**
 * The data of ONIMBOTV2MESSAGEADD ("A new message addressed to the bot", imbot.v2/events/events.md)
 * for a user writing `text` in `dialogId`: the message is first recorded in the portal (so
 * Message.get, reactions and getContext find it), and every object is the portal's own: the
 * message it recorded, the chat it is in, the user who wrote, the bot it is for.
 */
export interface SayInput {
  bot: RegisteredBot;
  dialogId: string;
  text: string;
  authorId: number;
  language: string;
}

export function sayData(target: EventTarget, input: SayInput): ONIMBOTV2MESSAGEADDData {
  const user = target.user(input.authorId) as User | undefined;
  if (!user) throw new Error(`say: the portal has no user ${input.authorId} to write the message; pass an authorId of one of its users`);
  const recorded = target.recordUserMessage({ dialogId: input.dialogId, authorId: input.authorId, text: input.text, botId: input.bot.id });
  // Fields as the docs' example shows a new user message (events.md, ONIMBOTV2MESSAGEADD).
  const message: Message = {
    id: recorded.messageId,
    chatId: recorded.chatId,
    authorId: input.authorId,
    date: recorded.date,
    text: input.text,
    isSystem: false,
    uuid: '',
    forward: null,
    params: {},
    viewedByOthers: false,
  };
  const bot: EventBot = { id: input.bot.id, code: input.bot.code, eventMode: input.bot.eventMode };
  return { bot, message, chat: chatOf(target, recorded.chatId, recorded.dialogId, input), user, language: input.language };
}

/**
 * The chat as events carry it (no `role`, no `muteList`): the portal's own record when it offers
 * one, otherwise the fields the spec requires. `chat5` is a group chat; a number names the user
 * of a one-to-one dialog (entities.md, DialogId).
 */
function chatOf(target: EventTarget, chatId: number, dialogId: string, input: SayInput): EventChat {
  const record = target.chat?.(chatId, input.bot.id) as EventChat | undefined;
  if (record) {
    const { role: _role, muteList: _muteList, ...rest } = record as EventChat & { role?: unknown; muteList?: unknown };
    return rest as EventChat;
  }
  const group = dialogId.startsWith('chat');
  return { id: chatId, dialogId, type: group ? 'chat' : 'private', name: '', entityType: '', owner: group ? input.authorId : input.bot.id, avatar: '' };
}
