// The seam between the portal (kit-core: state, HTTP) and the event side (kit-events: building
// and posting events as the portal does). The event side sees the portal only through this
// interface, so the two can change independently.

export interface RegisteredBot {
  id: number;
  code: string;
  eventMode: 'fetch' | 'webhook';
  webhookUrl?: string; // fields.webhookUrl from Bot.register/Bot.update
}

export interface EventTarget {
  /** Bots registered on this portal (by imbot.v2.Bot.register), in id order. */
  bots(): readonly RegisteredBot[];
  /** Adds an event to a fetch-mode bot's Event.get queue; returns the eventId the portal gave it. */
  enqueue(botId: number, type: string, data: unknown): number;
  /** Records a message a user wrote in a dialog (so Message.get, reactions, getContext find it); creates the chat if needed. */
  recordUserMessage(input: { dialogId: string; authorId: number; text: string; botId: number }): {
    messageId: number;
    chatId: number;
    dialogId: string;
    date: string;
  };
  /** The portal's users (at least the default user who "writes" and each bot's user) as the spec's User shape. */
  user(id: number): unknown;
  /**
   * Optional (added by kit-events): the OAuth tokens a webhook post gives the bot in
   * `data.bot.auth` for calls back to the portal; without it the post carries no tokens (the docs:
   * "Authorization tokens are not always passed to the event handler").
   */
  botTokens?(botId: number): { access_token: string; refresh_token?: string; expires_in?: number } | undefined;
  /** Optional (added by kit-events): a bot as Bot.get answers it, the `bot` of fetch-mode events ("full bot object", events.md). */
  bot?(botId: number): unknown;
  /** Optional (added by kit-events): a chat as the portal answers it, for the `chat` of events (`role` and `muteList` are left out). */
  chat?(chatId: number, botId: number): unknown;
  readonly applicationToken: string;
  readonly domain: string; // host:port of the portal
  readonly clientEndpoint: string; // `${origin}/rest/`
  readonly memberId: string;
}
