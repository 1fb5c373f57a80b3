import { abortError, describeNetworkFailure, readBody, type CallState, type TransportContext, type TransportPlugin } from './core.js';
import { parse } from './endpoint.js';
import { Bitrix24RefreshError, Bitrix24StoreError } from './errors.js';
import { redact } from './redact.js';
import { createStoreGuard, MemoryTokenStore, type StoreGuard, type StoreOptions, type TokenStore } from './stores.js';

/**
 * OAuth tokens of an application. Access tokens live an hour; on `expired_token` the client
 * trades the refresh token for a new pair (once, shared by every call that hit the expiry),
 * retries, and hands the new pair to `onTokens` so the application can store it.
 */
export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), when known. */
  expiresAt?: number;
}

export interface RefreshOptions {
  refreshToken?: string;
  /** The application's client id and secret, for the authorization server. Never in browsers. */
  clientId?: string;
  clientSecret?: string;
  /**
   * The authorization server (default `https://oauth.bitrix.info`), as its base URL or as its
   * token endpoint (`https://oauth.bitrix.info/oauth/token/`): both mean the same endpoint.
   */
  oauthUrl?: string;
  /** Your own refresh (for example through your backend); gets the refresh token, returns new tokens. */
  refresh?: (refreshToken: string | undefined) => Promise<OAuthTokens>;
  /**
   * Called with every new pair this client's refresh obtained; store them. Calls go on with the
   * new tokens without waiting for it; what it throws or rejects with is reported to `logger`,
   * not to the call. With a shared `tokenStore`, it fires once per new pair, in the process
   * whose refresh obtained it; the others take the pair from the store without calling it.
   */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  /**
   * Where the current pair lives and how a refresh is shared (default: this client's own, in
   * memory). `RedisTokenStore` from `@b24gen/imbot-v2/redis` shares one pair per portal and
   * application between processes: one of them refreshes, the others read its result. Each
   * request to it is bounded by `storeTimeout`, a whole refresh (waiting for another process's
   * included) by twice the client's `timeout`; a failure is a Bitrix24StoreError, or with
   * `onStoreError: 'local'` this client refreshes on its own. `setTokens` writes to it too.
   */
  tokenStore?: TokenStore;
}

/** The most a token answer may have (it is a few hundred bytes). */
const TOKEN_ANSWER_BYTES = 64 * 1024;

/**
 * The token endpoint for `oauthUrl`, given as the server's base (`https://oauth.bitrix.info/`)
 * or as the endpoint itself (`.../oauth/token/`): settings/oauth/auto-renewal.md's
 * `https://oauth.bitrix.info/oauth/token/` by default. A query, fragment or user:password is
 * dropped (the endpoint is named in errors).
 */
export function tokenEndpoint(oauthUrl = 'https://oauth.bitrix.info'): string {
  const url = parse(oauthUrl, 'oauthUrl');
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/oauth\/token$/.test(path) ? `${path}/` : `${path}/oauth/token/`;
  url.search = url.hash = url.username = url.password = '';
  return url.href;
}

/** The failure of a refresh, and whether the authorization server refused (a lasting answer). */
interface Failure {
  error: Bitrix24RefreshError | Bitrix24StoreError;
  /** The refresh-count epoch at which it ended: calls sent before then share it. */
  epoch: number;
}

export class TokenHolder {
  private current: OAuthTokens;
  private refreshing: Promise<OAuthTokens> | undefined;
  private readonly old: string[] = [];
  /** The server's refusal (`invalid_grant`, ...): every refresh fails with it until setTokens. */
  private refused: Bitrix24RefreshError | undefined;
  /** The last failure that was not a refusal (network, timeout, a malformed answer). */
  private failed: Failure | undefined;
  /** Counts ended refreshes (and setTokens): an attempt sent at epoch e saw none of the later ones. */
  epoch = 0;
  refreshes = 0;
  readonly endpoint: string | undefined;

  private readonly store: TokenStore;
  private readonly guard: StoreGuard;
  /** The pair's key in the store: the portal and the application, never a token. */
  private readonly key: string;

  constructor(
    accessToken: string,
    private readonly options: RefreshOptions & StoreOptions,
    private readonly fetchImpl: typeof fetch,
    private readonly timeout: number,
    private readonly report: (message: string) => void,
    portal = '',
  ) {
    this.current = { accessToken, refreshToken: options.refreshToken };
    this.endpoint = options.refresh ? undefined : tokenEndpoint(options.oauthUrl);
    this.store = options.tokenStore ?? new MemoryTokenStore();
    this.guard = createStoreGuard(options, report, () => this.secrets());
    this.key = `${portal}|${options.clientId ?? 'refresh-callback'}`;
  }

  get accessToken(): string {
    return this.current.accessToken;
  }

  get canRefresh(): boolean {
    return Boolean(this.options.refresh || (this.options.clientId && this.options.clientSecret && this.current.refreshToken));
  }

  /** Every token and secret this holder has seen: none may appear in errors or logs. */
  secrets(): string[] {
    return [this.current.accessToken, this.current.refreshToken, this.options.clientSecret, ...this.old].filter((s): s is string => typeof s === 'string' && s !== '');
  }

  /** New tokens from the application (after a refused refresh, or a new authorization): forgets any failure. */
  setTokens(tokens: OAuthTokens): void {
    if (!tokens || typeof tokens.accessToken !== 'string' || tokens.accessToken === '') throw new TypeError('setTokens: needs { accessToken, refreshToken? }');
    this.old.push(this.current.accessToken, ...(this.current.refreshToken ? [this.current.refreshToken] : []));
    this.current = { ...tokens, refreshToken: tokens.refreshToken ?? this.current.refreshToken };
    this.refused = this.failed = undefined;
    this.epoch++;
    // The in-memory store takes it at once (before any later refresh reads it); a shared one
    // when it answers, in order with this client's later requests to it.
    const pair = this.current;
    if (this.store instanceof MemoryTokenStore) void this.store.set(this.key, pair);
    else void this.guard.run(this.store, 'set', (o) => this.store.set(this.key, pair, o)).then(undefined, (err: unknown) => this.report(`setTokens: the new pair was not stored: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * New tokens after `failed` expired, for an attempt sent at `sentAt` (an epoch). Calls that
   * fail together share one refresh; a call whose token was already replaced gets the new one;
   * a refusal fails every later call at once; another failure fails the calls sent before it
   * ended (they hit the same expiry), and a call sent after it may try again.
   */
  refreshAfter(failed: string, sentAt: number): Promise<OAuthTokens> {
    if (failed !== this.current.accessToken) return Promise.resolve(this.current);
    if (this.refused) return Promise.reject(this.refused);
    if (this.failed && this.failed.epoch > sentAt) return Promise.reject(this.failed.error);
    return (this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    }));
  }

  private async refresh(): Promise<OAuthTokens> {
    /** The pair this process obtained (never thrown away, even when the store then fails). */
    let issued: OAuthTokens | undefined;
    /** The refresh's own failure: passed on as it is, never taken for the store's. */
    let refreshFailure: { error: unknown } | undefined;
    const run = async (pair: OAuthTokens): Promise<OAuthTokens> => {
      try {
        const tokens = this.options.refresh ? await this.fromCallback(this.options.refresh, pair.refreshToken) : await this.fromServer(pair.refreshToken);
        issued = { ...tokens, refreshToken: tokens.refreshToken ?? pair.refreshToken };
        return issued;
      } catch (error) {
        refreshFailure = { error };
        throw error;
      }
    };
    let tokens: OAuthTokens;
    try {
      tokens =
        this.store instanceof MemoryTokenStore
          ? await this.store.refresh(this.key, this.current, run)
          : await this.guard.run(this.store, 'refresh', (o) => this.store.refresh(this.key, this.current, run, o), undefined, { timeout: Math.min(2 ** 31 - 1, 2 * this.timeout + this.guard.timeout) });
    } catch (err) {
      try {
        tokens = await this.afterStoreFailure(err, issued, refreshFailure, run);
      } catch (e) {
        this.fail(e);
      }
    }
    this.old.push(this.current.accessToken, ...(this.current.refreshToken ? [this.current.refreshToken] : []));
    this.current = { ...tokens, refreshToken: tokens.refreshToken ?? this.current.refreshToken };
    this.failed = undefined;
    this.epoch++;
    // A pair another process obtained (read from the store) is not this process's to report.
    if (tokens !== issued) return this.current;
    this.refreshes += 1;
    // Not awaited: the calls waiting for this refresh go on with the new tokens at once, and a
    // store that hangs cannot keep this refresh pending (every later expiry would wait on it).
    // Its failure, thrown or rejected, goes to the logger.
    const failed = (err: unknown) => this.report(`onTokens failed: ${err instanceof Error ? err.message : String(err)}`);
    try {
      const stored = this.options.onTokens?.(this.current) as PromiseLike<void> | undefined;
      if (stored && typeof stored.then === 'function') stored.then(undefined, failed);
    } catch (err) {
      failed(err);
    }
    return this.current;
  }

  /**
   * What a refresh through the store that threw ends in: the refresh's own failure as it is; the
   * pair this process obtained when only storing it failed (reported: the others will not see
   * it); with `onStoreError: 'local'`, this client's own refresh when the store failed before
   * any ran; else the Bitrix24StoreError.
   */
  private async afterStoreFailure(err: unknown, issued: OAuthTokens | undefined, refreshFailure: { error: unknown } | undefined, run: (pair: OAuthTokens) => Promise<OAuthTokens>): Promise<OAuthTokens> {
    if (refreshFailure) throw refreshFailure.error;
    if (!(err instanceof Bitrix24StoreError)) throw err;
    if (issued) {
      this.report(`${err.message}; the new pair was obtained but may not be stored for other processes`);
      return issued;
    }
    if (this.guard.fallingBack(err)) return run(this.current);
    throw err;
  }

  /** Remembers a failed refresh (a refusal until setTokens, anything else for the calls sent before it) and throws it. */
  private fail(err: unknown): never {
    if (err instanceof Bitrix24StoreError) {
      this.epoch++;
      this.failed = { error: err, epoch: this.epoch };
      throw err;
    }
    const error = err instanceof Bitrix24RefreshError ? err : this.error('REFRESH_FAILED', redact(err instanceof Error ? err.message : String(err), this.secrets()));
    this.epoch++;
    // A refusal is the server's answer about these tokens: asking again cannot change it.
    if (error.status !== undefined && error.status < 500 && error.code !== 'INVALID_RESPONSE' && error.code !== 'REDIRECT') this.refused = error;
    else this.failed = { error, epoch: this.epoch };
    throw error;
  }

  /** The application's own refresh, bounded by the client's timeout like the token server. */
  private async fromCallback(refresh: NonNullable<RefreshOptions['refresh']>, refreshToken: string | undefined): Promise<OAuthTokens> {
    // Given up at the deadline (what it resolves later is dropped): left pending, this refresh
    // would hold every later expiry too, since they all wait on the one refresh in flight.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline =
      this.timeout < 2 ** 31
        ? new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(this.error('TIMEOUT', `the refresh callback gave no tokens within ${this.timeout} ms`)), this.timeout);
          })
        : undefined;
    let tokens: OAuthTokens;
    try {
      const asked = Promise.resolve().then(() => refresh(refreshToken));
      tokens = await (deadline ? Promise.race([asked, deadline]) : asked);
    } finally {
      clearTimeout(timer);
    }
    if (!tokens || typeof tokens.accessToken !== 'string' || tokens.accessToken === '') {
      throw this.error('INVALID_RESPONSE', 'the refresh callback returned no accessToken');
    }
    return tokens;
  }

  /** One GET to the token endpoint (auto-renewal.md), bounded by the client's timeout and in size. */
  private async fromServer(refreshToken: string | undefined): Promise<OAuthTokens> {
    const { clientId, clientSecret } = this.options;
    if (!clientId || !clientSecret || !refreshToken) {
      throw this.error('REFRESH_FAILED', 'the access token expired and no refresh is configured (refreshToken with clientId and clientSecret, or refresh)');
    }
    const query = new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken });
    const deadline = this.timeout < 2 ** 31 ? new AbortController() : undefined;
    const timer = deadline && setTimeout(() => deadline.abort(), this.timeout);
    let status: number;
    let text: string | { tooLarge: string };
    try {
      // Never follow a redirect: the query holds client_secret and the refresh token.
      const res = await this.fetchImpl(`${this.endpoint}?${query}`, { headers: { Accept: 'application/json' }, signal: deadline?.signal, redirect: 'manual' });
      status = res.status;
      if ((status > 299 && status < 400) || res.type === 'opaqueredirect') {
        void res.body?.cancel().catch(() => {});
        throw this.error('REDIRECT', 'the token endpoint answered with a redirect, not followed (it would send client_secret elsewhere): check oauthUrl', status || undefined);
      }
      text = await readBody(res, TOKEN_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof Bitrix24RefreshError) throw err;
      if (deadline?.signal.aborted) throw this.error('TIMEOUT', `no answer within ${this.timeout} ms`);
      throw this.error('NETWORK_ERROR', redact(describeNetworkFailure(err), this.secrets()));
    } finally {
      clearTimeout(timer);
    }
    if (typeof text !== 'string') throw this.error('INVALID_RESPONSE', `the answer exceeded ${TOKEN_ANSWER_BYTES} bytes`, status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.error('INVALID_RESPONSE', `expected a JSON object with access_token, got ${text.length} characters that are not JSON`, status);
    }
    const answer = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    if (typeof answer.error === 'string') {
      const description = typeof answer.error_description === 'string' ? answer.error_description : '';
      throw this.error(answer.error, redact(description, this.secrets()), status);
    }
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw this.error('INVALID_RESPONSE', `expected a JSON object with access_token, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object without it' : typeof body}`, status);
    }
    return {
      accessToken: answer.access_token,
      refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : undefined,
      expiresAt: typeof answer.expires === 'number' ? answer.expires * 1000 : undefined,
    };
  }

  private error(code: string, description: string, status?: number): Bitrix24RefreshError {
    return new Bitrix24RefreshError({ code, status, description, endpoint: this.endpoint });
  }
}

/**
 * Waits for a shared refresh on behalf of one call: the call's abort ends the wait with a
 * Bitrix24AbortError and its timeout with a Bitrix24RefreshError `TIMEOUT`, whatever the token
 * server does (the shared refresh goes on, bounded by the client's timeout, for the others).
 */
function waitFor(shared: Promise<OAuthTokens>, call: CallState, ms: number, endpoint: string | undefined): Promise<OAuthTokens> {
  const signal = call.options.signal;
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      stop();
      reject(abortError(call.method.name, call.attempt, signal!));
    };
    const timer =
      ms < 2 ** 31
        ? setTimeout(() => {
            stop();
            reject(new Bitrix24RefreshError({ code: 'TIMEOUT', description: `no new token within the call's timeout (${ms} ms)`, endpoint, attempts: call.attempt }));
          }, ms)
        : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (tokens) => {
        stop();
        resolve(tokens);
      },
      (err: unknown) => {
        stop();
        reject(err);
      },
    );
  });
}

/** The oauthRefresh plugin, with `setTokens` for tokens the application obtained itself. */
export interface OAuthRefreshPlugin extends TransportPlugin {
  /** New tokens (after a refused refresh, or a new authorization): used from the next attempt on, failures forgotten. */
  setTokens(tokens: OAuthTokens): void;
}

/**
 * The OAuth refresh plugin (OAuth mode: `portalUrl` with `accessToken`). On `expired_token` it
 * trades the refresh token for a new pair, once for every call that hit the same expiry, and
 * sends the call again (an attempt that is not counted as a retry). Each call waits for the
 * refresh no longer than its own timeout and stops at its abort. A refusal (`invalid_grant`, ...)
 * is a Bitrix24RefreshError naming the token endpoint, remembered until `setTokens`. The old and
 * new tokens and `clientSecret` are masked in every error and log line.
 */
export function oauthRefresh(options: RefreshOptions & StoreOptions = {}): OAuthRefreshPlugin {
  let holder!: TokenHolder;
  let context!: TransportContext;
  /** The epoch each call's current attempt was sent at. */
  const sentAt = new WeakMap<CallState, number>();
  return {
    setup(c) {
      context = c;
      if (typeof c.options.accessToken !== 'string') throw new TypeError('oauthRefresh: needs portalUrl with accessToken');
      holder = new TokenHolder(c.options.accessToken, options, c.fetch, c.options.timeout ?? 60_000, (message) => c.log({ type: 'warning', message }), c.portal);
    },
    setTokens(tokens) {
      holder.setTokens(tokens);
    },
    beforeAttempt(call) {
      sentAt.set(call, holder.epoch);
      return undefined;
    },
    accessToken: () => holder.accessToken,
    secrets: () => holder.secrets(),
    async onError(err, call) {
      if (err.code !== 'expired_token' || !holder.canRefresh || call.refreshed || call.token === undefined) return undefined;
      // One refresh per call, shared with every call that hit the same expiry; not a retry.
      call.refreshed = true;
      context.log({ type: 'refresh', method: call.method.name });
      try {
        await waitFor(holder.refreshAfter(call.token, sentAt.get(call) ?? 0), call, call.options.timeout ?? context.options.timeout ?? 60_000, holder.endpoint);
      } catch (e) {
        // Each call gets its own error object (its own stack and attempts), with the shared facts.
        if (e instanceof Bitrix24RefreshError) throw new Bitrix24RefreshError({ code: e.code, status: e.status, description: e.description, endpoint: e.endpoint, attempts: call.attempt });
        throw e;
      }
      return 'again';
    },
  };
}
