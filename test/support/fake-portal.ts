import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import qs from 'qs';

/**
 * A fake Bitrix24 portal: a real HTTP server on 127.0.0.1 that behaves like the portal where it
 * matters to the transport. It keeps the leaky bucket (503 QUERY_LIMIT_EXCEEDED when full, the
 * call not run), a per-method execution budget (429 OPERATION_TIME_LIMIT with
 * `operating_reset_at`), OAuth tokens that expire (401 expired_token) and an authorization
 * server that refreshes them, `batch` (cmd strings, halt), and faults injected per method:
 * 5xx, slow answers, connection resets and truncated bodies. It counts what it executed.
 */
export type Fault = '500' | '503-overload' | 'reset-before' | 'reset-after' | 'truncate' | 'html' | { slowMs: number } | { error: string; status: number; description?: string };

export interface PortalOptions {
  bucket?: { limit: number; drainPerSecond: number };
  /** Seconds of budget per method in the window, and how long until the oldest part resets. */
  operating?: { budget: number; costPerCall: number; resetAfterMs: number };
  /** OAuth: the valid access token, its lifetime, and the refresh token the auth server takes. */
  oauth?: { accessToken: string; refreshToken: string; clientId: string; clientSecret: string; ttlMs: number };
  webhookPath?: string;
  /**
   * How long an idle keep-alive connection stays open (ms; Node's default is 5000). A client
   * that reuses a connection just as the server closes it gets a socket error, which a loaded
   * machine (a client paused past the client's safety margin) makes likely; tests that keep
   * many connections open under load set it longer.
   */
  keepAliveTimeout?: number;
}

export interface Executed {
  method: string;
  params: Record<string, unknown>;
  via: 'call' | 'batch';
}

type Handler = (params: Record<string, unknown>, n: number) => unknown;

export class FakePortal {
  readonly executed: Executed[] = [];
  /** Requests refused by the bucket (503 QUERY_LIMIT_EXCEEDED). */
  rejectedByBucket = 0;
  received = 0;
  refreshes = 0;
  /** Every request that reached the token endpoint (answered, refused or dropped unprocessed). */
  tokenRequests = 0;
  private stallTokens = 0;
  private readonly stallWaiters: ((headers: IncomingHttpHeaders) => void)[] = [];
  private readonly stalledUnclaimed: IncomingHttpHeaders[] = [];
  private level = 0;
  private levelAt = Date.now();
  private readonly operating = new Map<string, { used: number; resetAt: number }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly handlers = new Map<string, Handler>();
  private readonly sockets = new Set<Socket>();
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  /** Every access token issued, with its issue time: an old token stays known (and expires). */
  private readonly issued = new Map<string, number>();
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly options: PortalOptions,
  ) {
    this.accessToken = options.oauth?.accessToken;
    this.refreshToken = options.oauth?.refreshToken;
    if (this.accessToken) this.issued.set(this.accessToken, Date.now());
  }

  static async start(options: PortalOptions = {}): Promise<FakePortal> {
    const server = createServer();
    const portal = new FakePortal(server, options);
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    server.on('connection', (s) => {
      portal.sockets.add(s);
      s.on('close', () => portal.sockets.delete(s));
    });
    server.on('request', (req, res) => void portal.onRequest(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return portal;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get webhookUrl(): string {
    return `${this.origin}${this.options.webhookPath ?? '/rest/1/fake-webhook-secret/'}`;
  }

  /** The next calls of `method` fail this way, in order. */
  inject(method: string, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  /** What `method` answers (default `{ result: true }`-like per method). */
  handle(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Makes every access token issued so far expire now. */
  expireToken(): void {
    for (const token of this.issued.keys()) this.issued.set(token, 0);
  }

  /**
   * The next `count` token requests are held: neither processed nor answered, until their client
   * disconnects (it died or gave up), and then dropped as if they never arrived, so the refresh
   * token they carried stays the valid one. A refreshing process can be killed mid-refresh.
   */
  stallTokenRequests(count = 1): void {
    this.stallTokens += count;
  }

  /** The headers of the next token request that is held by stallTokenRequests, once it arrives. */
  nextStalledTokenRequest(): Promise<IncomingHttpHeaders> {
    const arrived = this.stalledUnclaimed.shift();
    return arrived ? Promise.resolve(arrived) : new Promise((resolve) => this.stallWaiters.push(resolve));
  }

  get currentAccessToken(): string | undefined {
    return this.accessToken;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname === '/oauth/token/') {
      this.tokenRequests += 1;
      if (this.stallTokens > 0) {
        this.stallTokens -= 1;
        const waiter = this.stallWaiters.shift();
        if (waiter) waiter(req.headers);
        else this.stalledUnclaimed.push(req.headers);
        return; // held, never answered: the client's disconnect ends it, close() destroys it
      }
      return this.oauthToken(url, res);
    }
    this.received += 1;

    const method = this.methodOf(url.pathname);
    if (!method) return send(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: 'INVALID_REQUEST', error_description: 'Invalid request' });
    }

    // The bucket counts every request, and refuses (without running it) when full.
    if (this.options.bucket) {
      const now = Date.now();
      this.level = Math.max(0, this.level - ((now - this.levelAt) / 1000) * this.options.bucket.drainPerSecond);
      this.levelAt = now;
      if (this.level + 1 > this.options.bucket.limit + 1e-9) {
        this.rejectedByBucket += 1;
        return send(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      }
      this.level += 1;
    }

    if (this.options.oauth) {
      const auth = body.auth;
      delete body.auth;
      const issuedAt = typeof auth === 'string' ? this.issued.get(auth) : undefined;
      if (issuedAt === undefined) return send(res, 401, { error: 'invalid_token', error_description: 'Unable to authorize' });
      if (Date.now() - issuedAt > this.options.oauth.ttlMs) {
        return send(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
      }
    }

    const fault = this.faults.get(method)?.shift();
    if (fault === 'reset-before') return void res.socket?.destroy();
    if (fault === '500') return send(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
    if (fault === '503-overload') return send(res, 503, { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked due to overload.' });
    if (fault === 'html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body>Bad gateway</body></html>');
    }
    if (fault && typeof fault === 'object' && 'error' in fault) return send(res, fault.status, { error: fault.error, error_description: fault.description ?? '' });
    if (fault && typeof fault === 'object' && 'slowMs' in fault) await new Promise((r) => setTimeout(r, fault.slowMs));

    const budget = this.budgetCheck(method);
    if (budget.blocked) return send(res, 429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.', time: this.time(method) });

    let result: unknown;
    if (method === 'batch') result = this.batch(body);
    else result = this.execute(method, body, 'call');
    const payload = JSON.stringify({ result, time: this.time(method) });
    if (fault === 'reset-after') return void res.socket?.destroy();
    if (fault === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
      res.write(payload.slice(0, Math.floor(payload.length / 2)));
      return void res.socket?.destroy();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(payload);
  }

  private methodOf(path: string): string | undefined {
    const prefixes = [this.options.webhookPath ?? '/rest/1/fake-webhook-secret/', '/rest/'];
    for (const p of prefixes) if (path.startsWith(p)) return path.slice(p.length);
    return undefined;
  }

  private execute(method: string, params: Record<string, unknown>, via: Executed['via']): unknown {
    this.executed.push({ method, params, via });
    this.counter += 1;
    const handler = this.handlers.get(method);
    if (handler) return handler(params, this.counter);
    if (method === 'imbot.v2.Chat.Message.send') return { id: this.counter, uuidMap: [] };
    return { result: true };
  }

  private batch(body: Record<string, unknown>): unknown {
    const cmd = (body.cmd ?? {}) as Record<string, string>;
    const halt = Number(body.halt) === 1;
    const result: Record<string, unknown> = {};
    const errors: Record<string, unknown> = {};
    for (const [key, line] of Object.entries(cmd)) {
      const q = line.indexOf('?');
      const method = q === -1 ? line : line.slice(0, q);
      const params = q === -1 ? {} : (qs.parse(line.slice(q + 1), { depth: 10, arrayLimit: 1000 }) as Record<string, unknown>);
      const fault = this.faults.get(method)?.[0];
      if (fault && typeof fault === 'object' && 'error' in fault) {
        this.faults.get(method)!.shift();
        errors[key] = { error: fault.error, error_description: fault.description ?? '' };
        if (halt) break;
        continue;
      }
      result[key] = this.execute(method, params, 'batch');
    }
    const empty = (o: object) => (Object.keys(o).length === 0 ? [] : o);
    return { result: empty(result), result_error: empty(errors), result_total: [], result_next: [], result_time: [] };
  }

  private budgetCheck(method: string): { blocked: boolean } {
    const o = this.options.operating;
    if (!o) return { blocked: false };
    const now = Date.now();
    let state = this.operating.get(method);
    if (!state || now >= state.resetAt) state = { used: 0, resetAt: now + o.resetAfterMs };
    this.operating.set(method, state);
    if (state.used >= o.budget) return { blocked: true };
    state.used += o.costPerCall;
    return { blocked: false };
  }

  private time(method: string): Record<string, number> {
    const now = Date.now() / 1000;
    const t: Record<string, number> = { start: now, finish: now, duration: 0.001, processing: 0.001 };
    const state = this.operating.get(method);
    if (state) {
      t.operating = state.used;
      t.operating_reset_at = state.resetAt / 1000;
    }
    return t;
  }

  private oauthToken(url: URL, res: ServerResponse): void {
    const o = this.options.oauth;
    const p = url.searchParams;
    if (!o || p.get('grant_type') !== 'refresh_token' || p.get('client_id') !== o.clientId || p.get('client_secret') !== o.clientSecret || p.get('refresh_token') !== this.refreshToken) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid grant' });
    }
    this.refreshes += 1;
    this.accessToken = `access-${this.refreshes}-${Math.random().toString(36).slice(2)}`;
    this.refreshToken = `refresh-${this.refreshes}-${Math.random().toString(36).slice(2)}`;
    this.issued.set(this.accessToken, Date.now());
    send(res, 200, { access_token: this.accessToken, refresh_token: this.refreshToken, expires: Math.floor((Date.now() + o.ttlMs) / 1000), expires_in: o.ttlMs / 1000 });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
