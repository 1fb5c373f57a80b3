import { connect, type Socket } from 'node:net';
import { phpBuildQuery } from '../../generator/testing/php-query.js';

/**
 * Posts for the webhook-server tests: an event as the portal encodes it, and a raw TCP client
 * that can do what `fetch` will not (stop mid-body, send a chunked body forever, trickle bytes).
 */
export const APP_TOKEN = '831c76b092f9f135d9b6b36c3a720757';
/** The bot's own OAuth token inside `data[bot][auth]`: a secret too, never to be shown. */
export const BOT_ACCESS_TOKEN = '0b02a0690000071b0008440001b0007a16b39202c2490f015';

/** ONIMBOTV2JOINCHAT as fetch mode gives it (imbot.v2/events/events.md), bot in webhook shape. */
export const JOINCHAT = {
  bot: { id: 456, code: 'support_bot', auth: { access_token: BOT_ACCESS_TOKEN, expires: 1772093963, user_id: 27 } },
  dialogId: 'chat5',
  chat: { id: 5, dialogId: 'chat5', type: 'chat', name: 'Support Chat', entityType: '', owner: 1, avatar: '', color: '#ab7761' },
  user: { id: 1, active: true, name: 'John Smith', bot: false, departments: [1, 7], lastActivityDate: '2025-01-15T10:29:00+02:00' },
  language: 'en',
};

/** The whole post (event, data, ts, auth) as an object. */
export function joinChatPost(token = APP_TOKEN): Record<string, unknown> {
  return { event: 'ONIMBOTV2JOINCHAT', data: JOINCHAT, ts: 1772093963, auth: { domain: 'some-domain.bitrix24.com', application_token: token, member_id: 'bac1cd5c' } };
}

/** The post as the portal sends it: PHP's http_build_query. */
export function joinChatForm(token = APP_TOKEN): string {
  return phpBuildQuery(joinChatPost(token));
}

/**
 * A post of ONIMBOTV2JOINCHAT byte for byte as the portal sends it (PHP's http_build_query of the
 * webhook form, bot as {id, code, auth}, null as empty, booleans as 1/0, an unknown field kept).
 */
export function capturedJoinChat(token: string): string {
  return (
    'event=ONIMBOTV2JOINCHAT&data%5Bbot%5D%5Bid%5D=456&data%5Bbot%5D%5Bcode%5D=support_bot&data%5Bbot%5D%5Bauth%5D%5Baccess_token%5D=0b02a069&data%5Bbot%5D%5Bauth%5D%5Bexpires%5D=1772093963' +
    '&data%5Bbot%5D%5Bauth%5D%5Buser_id%5D=27&data%5BdialogId%5D=chat5&data%5Bchat%5D%5Bid%5D=5&data%5Bchat%5D%5BdialogId%5D=chat5&data%5Bchat%5D%5Btype%5D=chat&data%5Bchat%5D%5Bname%5D=Support+Chat' +
    '&data%5Bchat%5D%5Bcolor%5D=&data%5Buser%5D%5Bid%5D=1&data%5Buser%5D%5Bactive%5D=1&data%5Buser%5D%5Bidle%5D=0&data%5Buser%5D%5BlastActivityDate%5D=2025-01-15T10%3A29%3A00%2B02%3A00' +
    '&data%5Buser%5D%5Bdepartments%5D%5B0%5D=1&data%5Buser%5D%5Bphones%5D%5BworkPhone%5D=%2B100&data%5Blanguage%5D=en&data%5BnewField%5D=kept&ts=1772093963&auth%5Bapplication_token%5D=' +
    token
  );
}

export interface RawExchange {
  /** Everything the server sent back. */
  response: string;
  /** Body bytes the client managed to hand to its socket. */
  written: number;
  /** Milliseconds from connecting until the server closed the connection (or the client gave up). */
  elapsed: number;
  /** The server closed the connection (rather than the client giving up). */
  closedByServer: boolean;
}

/**
 * Sends `head` (request line and headers, without the blank line), then calls `feed` to send the
 * body; resolves when the server closes the connection or after `giveUpMs`.
 */
export function rawExchange(port: number, head: string, feed: (socket: Socket, state: { written: number; stopped: boolean }) => void, giveUpMs = 10_000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const state = { written: 0, stopped: false };
    let response = '';
    const socket = connect(port, '127.0.0.1');
    const done = (closedByServer: boolean) => {
      if (state.stopped) return;
      state.stopped = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, written: state.written, elapsed: Date.now() - started, closedByServer });
    };
    const timer = setTimeout(() => done(false), giveUpMs);
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      feed(socket, state);
    });
  });
}

/** Writes a chunked body of `chunk` repeated until the socket closes or `maxBytes` went out. */
export function endlessChunked(chunk: Buffer, maxBytes: number) {
  return (socket: Socket, state: { written: number; stopped: boolean }) => {
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const pump = () => {
      while (!state.stopped && !socket.destroyed && state.written < maxBytes) {
        state.written += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
    };
    pump();
  };
}

/**
 * Optional empty objects and arrays leave no key in a PHP form (`http_build_query`), so tests
 * comparing a decoded post with the object it came from leave them out on both sides.
 */
export function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const empty = x !== null && typeof x === 'object' && Object.keys(x).length === 0;
      if (!empty) out[k] = dropEmpty(x);
    }
    return out;
  }
  return v;
}
