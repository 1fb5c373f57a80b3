import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the test server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export type Handler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A real HTTP server on 127.0.0.1 (never a fetch mock): each test scripts its answer with
 * `handle`, and reads what the client really sent from `requests`.
 */
export class TestServer {
  readonly requests: ReceivedRequest[] = [];
  private handler: Handler = (_req, res) => json(res, 200, { result: true });
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TestServer> {
    const server = createServer();
    const test = new TestServer(server);
    server.on('connection', (s) => {
      test.sockets.add(s);
      s.on('close', () => test.sockets.delete(s));
    });
    server.on('request', (req, res) => void test.onRequest(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return test;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  handle(handler: Handler): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: parsed };
    this.requests.push(received);
    await this.handler(received, res);
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A `time` block as the portal sends it. */
export const TIME = {
  start: 1728626400.123,
  finish: 1728626400.234,
  duration: 0.111,
  processing: 0.045,
  date_start: '2024-10-11T10:00:00+02:00',
  date_finish: '2024-10-11T10:00:00+02:00',
};
