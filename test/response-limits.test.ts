import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Bitrix24ResponseError, createClient } from '../generated/src/index.js';
import { TestServer } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

/**
 * `maxResponseBytes` (issue 26, item 6): a body is counted while it is read, after
 * decompression, and dropped at the limit. The hostile bodies come from raw `net` servers on
 * 127.0.0.1 (a gzip bomb, a chunked body that never ends, one that trickles forever); the
 * client runs in a child process (the package's sources bundled by esbuild, so Node's own
 * fetch and nothing else) whose peak RSS is measured: it must stay under 100 MB.
 */

const WEBHOOK_CODE = 'limitsW3bh00kS3cretCode';
const BOT_TOKEN = 'bot-token-limits-Q9';
const { failure } = secretChecks([WEBHOOK_CODE, BOT_TOKEN]);
const params = { botId: 1, botToken: BOT_TOKEN, dialogId: 'chat1' }; // Chat.InputAction.notify: safe to repeat
const MB = 1024 * 1024;

/** A raw HTTP/1.1 server: `respond` writes status line, headers and body on the socket itself. */
async function rawServer(respond: (socket: Socket) => void): Promise<{ url: string; requests: number; closed: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let closedResolve!: () => void;
  const state = {
    url: '',
    requests: 0,
    closed: new Promise<void>((r) => (closedResolve = r)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      closedResolve();
    });
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (head.length - end - 4 < length) return; // the request body is not all here yet
      socket.off('data', onData);
      state.requests += 1;
      respond(socket);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return state;
}

/** Writes `chunk` on the socket for as long as it is open, as fast as the client reads. */
function writeForever(socket: Socket, chunk: Buffer): void {
  const pump = () => {
    while (!socket.destroyed) {
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

/** A chunked-encoding frame. */
const frame = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'b24gen-limits-'));
  bundle = join(dir, 'client.mjs');
  await build({ entryPoints: [resolve('generated/src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: bundle, logLevel: 'silent' });
  writeFileSync(
    join(dir, 'call.mjs'),
    `import { createClient } from './client.mjs';
const [url, options] = process.argv.slice(2);
const given = JSON.parse(options);
if (given.timeout === null) given.timeout = Infinity; // JSON has no Infinity
const client = createClient({ webhookUrl: url, rateLimit: false, maxRetries: 0, ...given });
const started = Date.now();
const out = {};
try {
  out.result = await client.imbot.v2.Chat.InputAction.notify(${JSON.stringify(params)});
} catch (e) {
  Object.assign(out, { name: e.name, code: e.code, status: e.status, message: e.message, stack: e.stack, json: JSON.stringify(e) });
}
out.ms = Date.now() - started;
out.maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
process.exit(0);
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ChildOutcome {
  result?: unknown;
  name?: string;
  code?: string;
  status?: number;
  message?: string;
  stack?: string;
  json?: string;
  ms: number;
  maxRssMb: number;
}

async function callInChild(url: string, options: Record<string, unknown> = {}): Promise<ChildOutcome> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'call.mjs'), `${url}/rest/1/${WEBHOOK_CODE}/`, JSON.stringify(options)], { encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(stdout) as ChildOutcome;
  for (const text of [out.message, out.stack, out.json]) for (const secret of [WEBHOOK_CODE, BOT_TOKEN]) expect(text ?? '').not.toContain(secret);
  return out;
}

describe('maxResponseBytes against hostile bodies (a child process, peak RSS measured)', () => {
  it('stops a 2 MB gzip bomb (2 GiB inflated) at the default limit (2 MiB), under 100 MB RSS', async () => {
    // One gzip member of 64 MiB of zeros, sent 32 times: gunzip reads concatenated members.
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const body = Buffer.concat(Array.from({ length: 32 }, () => member));
    expect(body.length).toBeLessThan(3 * MB);
    const server = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.end(body);
    });
    try {
      const out = await callInChild(server.url);
      expect(out).toMatchObject({ name: 'Bitrix24ResponseError', code: 'RESPONSE_TOO_LARGE', status: 200 });
      expect(out.message).toBe(`imbot.v2.Chat.InputAction.notify: RESPONSE_TOO_LARGE (HTTP 200): body over maxResponseBytes (${2 * MB})`);
      expect(out.maxRssMb).toBeLessThan(100);
      expect(server.requests).toBe(1); // never retried, though the method is safe to repeat
    } finally {
      await server.close();
    }
  });

  it('stops a chunked body that never ends at the default limit and closes the connection, with no timeout at all, under 100 MB RSS', async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(frame(Buffer.from('{"result":"')));
      writeForever(socket, frame(Buffer.alloc(64 * 1024, 'x')));
    });
    try {
      const out = await callInChild(server.url, { timeout: null });
      expect(out).toMatchObject({ name: 'Bitrix24ResponseError', code: 'RESPONSE_TOO_LARGE' });
      expect(out.maxRssMb).toBeLessThan(100);
      await server.closed; // the client hung up instead of reading on
    } finally {
      await server.close();
    }
  });

  it.each([
    ['nested arrays', (n: number) => `{"result":${'['.repeat(n / 2)}${']'.repeat(n / 2)}}`, 'nests deeper than 64 levels'],
    ['nested arrays, never closed (not even JSON)', (n: number) => `{"result":${'['.repeat(n)}`, 'nests deeper than 64 levels'],
    ['1.3 million empty objects', (n: number) => `{"result":[${'{},'.repeat(n / 3)}{}]}`, 'objects and arrays'],
    ['2 million zeros (164 MB)', (n: number) => `{"result":[${'0,'.repeat(n / 2 - 10)}0]}`, 'values'],
    ['1.4 million empty strings (154 MB)', (n: number) => `{"result":[${'"",'.repeat(n / 3 - 10)}""]}`, 'values'],
  ])('refuses a body under the limit that JSON.parse would blow up (%s: 4 MB took 250-350 MB), by its shape before parsing, under 100 MB RSS', async (_name, shape, why) => {
    const body = Buffer.from(shape(4 * MB - 100));
    expect(body.length).toBeLessThan(4 * MB);
    const server = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.end(body);
    });
    try {
      const out = await callInChild(server.url);
      expect(out).toMatchObject({ name: 'Bitrix24ResponseError', code: 'RESPONSE_TOO_LARGE', status: 200 });
      expect(out.message).toContain(why);
      expect(out.maxRssMb).toBeLessThan(100);
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('a gzip stream that never ends stops at a lower maxResponseBytes too', async () => {
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n');
      writeForever(socket, frame(member)); // 64 MiB inflated per 64 KB frame, forever
    });
    try {
      const out = await callInChild(server.url, { maxResponseBytes: MB });
      expect(out).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
      expect(out.message).toContain(`maxResponseBytes (${MB})`);
      expect(out.maxRssMb).toBeLessThan(100);
      await server.closed;
    } finally {
      await server.close();
    }
  });
});

describe('maxResponseBytes in process', () => {
  let server: TestServer;
  const webhookUrl = () => `${server.url}/rest/1/${WEBHOOK_CODE}/`;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(() => server.close());

  /** An answer of exactly `bytes` bytes (UTF-8: the Cyrillic text is 2 bytes a character). */
  function answerOf(bytes: number): string {
    const shell = JSON.stringify({ result: { text: '' } });
    const text = 'я'.repeat(Math.floor((bytes - shell.length) / 2)) + 'x'.repeat((bytes - shell.length) % 2);
    const body = JSON.stringify({ result: { text } });
    expect(Buffer.byteLength(body)).toBe(bytes);
    return body;
  }

  it('counts bytes, not characters: a body of exactly the limit is read, one byte more is refused and not retried', async () => {
    let body = answerOf(10_000);
    server.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, maxResponseBytes: 10_000, maxRetries: 3, retryDelay: 1 });
    const read = (await client.imbot.v2.Chat.InputAction.notify(params)) as unknown as { text: string };
    expect(read.text).toHaveLength(4_989);

    body = answerOf(10_001);
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
    expect(err).toMatchObject({ code: 'RESPONSE_TOO_LARGE', status: 200, attempts: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('a per-call maxResponseBytes overrides the client’s, both ways', async () => {
    const body = answerOf(5_000);
    server.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const small = createClient({ webhookUrl: webhookUrl(), rateLimit: false, maxResponseBytes: 1_000 });
    await expect(small.imbot.v2.Chat.InputAction.notify(params, { maxResponseBytes: 5_000 })).resolves.toBeDefined();
    const large = createClient({ webhookUrl: webhookUrl(), rateLimit: false });
    expect(await failure(large.imbot.v2.Chat.InputAction.notify(params, { maxResponseBytes: 4_999 }))).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });

  it('the default (2 MiB) refuses a 20 MB answer; a bigger maxResponseBytes reads it', async () => {
    const body = `{"result":{"text":"${'x'.repeat(20_000_000)}"},"time":{}}`;
    server.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, maxRetries: 0 });
    expect(await failure(client.imbot.v2.Chat.InputAction.notify(params))).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    const read = (await client.imbot.v2.Chat.InputAction.notify(params, { maxResponseBytes: 32 * MB })) as unknown as { text: string };
    expect(read.text).toHaveLength(20_000_000);
  });
});
