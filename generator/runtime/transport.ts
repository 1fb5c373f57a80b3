/**
 * The full transport `createClient` uses: the lean core (core.ts) with every feature plugged
 * in and on by default: the rate limiter and OPERATION_TIME_LIMIT waits (rate-limit.ts), OAuth
 * refresh in OAuth mode (tokens.ts), the logger when given (logger.ts), and batch (batch.ts).
 */
import { sendBatch, type BatchCall, type BatchOptions, type BatchOutcome } from './batch.js';
import { createLeanTransport, type BaseOptions, type LeanTransport, type TransportContext, type TransportEvent, type TransportPlugin } from './core.js';
import type { ErrorClass } from './errors.js';
import { logTo } from './logger.js';
import { rateLimiter, type RateLimiterOptions } from './rate-limit.js';
import { createStoreGuard, type StoreGuard } from './stores.js';
import { oauthRefresh, type OAuthRefreshPlugin, type OAuthTokens, type RefreshOptions } from './tokens.js';

/** Also `rateLimitStore`, `onStoreError`, `onStoreFallback` and `storeTimeout` (shared stores: rate-limit.ts, stores.ts). */
interface CommonOptions extends BaseOptions, RateLimiterOptions {
  /**
   * Receives every request, response, wait and token refresh, with all secrets masked. What it
   * throws (or rejects with) is dropped: a logger never changes a call's outcome.
   */
  logger?: (event: TransportEvent) => unknown;
}

/** Webhook mode: the URL from the portal's "Inbound webhook" page. */
export interface WebhookOptions extends CommonOptions {
  /** `https://portal.bitrix24.com/rest/{userId}/{code}/` — contains a secret. */
  webhookUrl: string;
  portalUrl?: undefined;
  accessToken?: undefined;
}

/** OAuth mode: an application's access token, sent as `auth` in the body, refreshed on expiry. */
export interface OAuthOptions extends CommonOptions, RefreshOptions {
  /** `https://portal.bitrix24.com` */
  portalUrl: string;
  accessToken: string;
  webhookUrl?: undefined;
}

export type ClientOptions = WebhookOptions | OAuthOptions;

/** The transport with batch: what `createTransport` returns and `createClient` uses. */
export interface FullTransport extends LeanTransport {
  /** Sends the calls through `batch`, 50 per request, each request through the rate limit. */
  batch(calls: Readonly<Record<string, BatchCall>>, options?: BatchOptions): Promise<Record<string, BatchOutcome>>;
  /**
   * OAuth mode: tokens the application obtained itself (a new authorization after a refused
   * refresh, or a pair another process refreshed). Used from the next attempt on; a remembered
   * refresh failure is forgotten. A TypeError in webhook mode.
   */
  setTokens(tokens: OAuthTokens): void;
  /** What the bound bot's event stream needs for its cursor: the portal's origin (the cursor's key starts with it) and the store deadline, error and fallback settings. */
  readonly stores: { readonly portal: string; readonly guard: StoreGuard };
}

/**
 * Creates the transport the generated client calls through, every feature on. `errorClasses`
 * maps documented error codes to their generated classes; unknown codes become a plain
 * Bitrix24Error. `plugins` in the options run after the built-in ones.
 */
export function createTransport(options: ClientOptions, errorClasses: Readonly<Record<string, ErrorClass>>): FullTransport {
  const plugins: TransportPlugin[] = [];
  const refresh: OAuthRefreshPlugin | undefined = typeof options.accessToken === 'string' ? oauthRefresh(options) : undefined;
  if (refresh) plugins.push(refresh);
  plugins.push(rateLimiter(options));
  if (options.logger) plugins.push(logTo(options.logger));
  let context: TransportContext | undefined;
  plugins.push({ setup: (c) => void (context = c) });
  const transport = createLeanTransport({ ...options, plugins: [...plugins, ...(options.plugins ?? [])] }, errorClasses);
  const guard = createStoreGuard(options, (message) => context?.log({ type: 'warning', message }), () => context?.secrets() ?? []);
  return {
    ...transport,
    stores: { portal: context!.portal, guard },
    batch: (calls, batchOptions) => sendBatch(transport, calls, batchOptions),
    setTokens(tokens) {
      if (!refresh) throw new TypeError('setTokens: the client uses a webhook URL, not OAuth tokens');
      refresh.setTokens(tokens);
    },
  };
}
