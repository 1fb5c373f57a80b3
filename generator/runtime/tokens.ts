import { rewrap, type TransportContext, type TransportPlugin } from './core.js';
import { Bitrix24Error } from './errors.js';

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
  /** The authorization server (default `https://oauth.bitrix.info`). */
  oauthUrl?: string;
  /** Your own refresh (for example through your backend); gets the refresh token, returns new tokens. */
  refresh?: (refreshToken: string | undefined) => Promise<OAuthTokens>;
  /** Called with every new pair; store them. Errors thrown here are reported to `logger`, not to the call. */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
}

export class TokenHolder {
  private current: OAuthTokens;
  private refreshing: Promise<OAuthTokens> | undefined;
  private readonly old: string[] = [];
  refreshes = 0;

  constructor(
    accessToken: string,
    private readonly options: RefreshOptions,
    private readonly fetchImpl: typeof fetch,
    private readonly report: (message: string) => void,
  ) {
    this.current = { accessToken, refreshToken: options.refreshToken };
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

  /**
   * New tokens after `failed` expired. Calls that fail together share one refresh; a call that
   * failed with a token already replaced just gets the new one.
   */
  async refreshAfter(failed: string): Promise<OAuthTokens> {
    if (failed !== this.current.accessToken) return this.current;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<OAuthTokens> {
    const tokens = this.options.refresh ? await this.options.refresh(this.current.refreshToken) : await this.fromServer();
    if (!tokens || typeof tokens.accessToken !== 'string' || tokens.accessToken === '') {
      throw new Bitrix24Error({ code: 'REFRESH_FAILED', description: 'the token refresh returned no access token' });
    }
    this.old.push(this.current.accessToken, ...(this.current.refreshToken ? [this.current.refreshToken] : []));
    this.current = { ...tokens, refreshToken: tokens.refreshToken ?? this.current.refreshToken };
    this.refreshes += 1;
    try {
      await this.options.onTokens?.(this.current);
    } catch (err) {
      this.report(`onTokens failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.current;
  }

  private async fromServer(): Promise<OAuthTokens> {
    const { clientId, clientSecret } = this.options;
    const refreshToken = this.current.refreshToken;
    if (!clientId || !clientSecret || !refreshToken) {
      throw new Bitrix24Error({ code: 'REFRESH_FAILED', description: 'the access token expired and no refresh is configured (refreshToken with clientId and clientSecret, or refresh)' });
    }
    const base = (this.options.oauthUrl ?? 'https://oauth.bitrix.info').replace(/\/+$/, '');
    const query = new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken });
    let body: Record<string, unknown>;
    let status: number;
    try {
      const res = await this.fetchImpl(`${base}/oauth/token/?${query}`, { headers: { Accept: 'application/json' } });
      status = res.status;
      body = (await res.json()) as Record<string, unknown>;
    } catch (err) {
      throw new Bitrix24Error({ code: 'REFRESH_FAILED', description: 'the authorization server did not answer with JSON', cause: err instanceof Error ? { message: err.message } : undefined });
    }
    if (typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : 'REFRESH_FAILED';
      const description = typeof body.error_description === 'string' ? body.error_description : 'the authorization server refused the refresh';
      throw new Bitrix24Error({ code, status, description });
    }
    return {
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      expiresAt: typeof body.expires === 'number' ? body.expires * 1000 : undefined,
    };
  }
}

/**
 * The OAuth refresh plugin (OAuth mode: `portalUrl` with `accessToken`). On `expired_token` it
 * trades the refresh token for a new pair, once for every call that hit the same expiry, and
 * sends the call again (an attempt that is not counted as a retry). The old and new tokens and
 * `clientSecret` are masked in every error and log line.
 */
export function oauthRefresh(options: RefreshOptions = {}): TransportPlugin {
  let holder!: TokenHolder;
  let context!: TransportContext;
  return {
    setup(c) {
      context = c;
      if (typeof c.options.accessToken !== 'string') throw new TypeError('oauthRefresh: needs portalUrl with accessToken');
      holder = new TokenHolder(c.options.accessToken, options, c.fetch, (message) => c.log({ type: 'warning', message }));
    },
    accessToken: () => holder.accessToken,
    secrets: () => holder.secrets(),
    async onError(err, call) {
      if (err.code !== 'expired_token' || !holder.canRefresh || call.refreshed || call.token === undefined) return undefined;
      // One refresh per call, shared with every call that hit the same expiry; not a retry.
      call.refreshed = true;
      context.log({ type: 'refresh', method: call.method.name });
      try {
        await holder.refreshAfter(call.token);
      } catch (refreshError) {
        throw rewrap(refreshError, call.method.name, call.attempt, call.secrets()); // the holder may know new secrets
      }
      return 'again';
    },
  };
}
