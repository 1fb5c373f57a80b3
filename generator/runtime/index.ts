export {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24RefreshError,
  Bitrix24ResponseError,
  Bitrix24StoreError,
  Bitrix24TimeoutError,
  type Bitrix24ErrorInit,
  type ErrorClass,
} from './errors.js';
export { coerce, type TypeDefs, type TypeDesc } from './coerce.js';
export {
  decodeWebhookWith,
  fromFetchedWith,
  type EventEnvelope,
  type EventSchemas,
  type UnknownEvent,
} from './events.js';
export {
  eventStreamWith,
  type EventCursorBinding,
  type EventPage,
  type EventPageItem,
  type EventStream,
  type EventStreamOptions,
  type PollFailure,
} from './event-stream.js';
export { parseForm, WebhookBodyError, type FormLimits } from './form.js';
export {
  createWebhookHandlerWith,
  timingSafeEqualStrings,
  toNodeHandler,
  type NodeRequestLike,
  type NodeResponseLike,
  type WebhookHandlerOptions,
  type WebhookRejection,
  type WebhookRejectReason,
} from './webhook.js';
export { buildQuery } from './query-string.js';
export {
  createLeanTransport,
  repeatable,
  type ApiResponse,
  type CallOptions,
  type CallState,
  type LeanOptions,
  type LeanTransport,
  type MethodDescriptor,
  type ResponsePromise,
  type Transport,
  type TransportContext,
  type TransportEvent,
  type TransportPlugin,
} from './core.js';
export { BATCH_LIMIT, sendBatch, type BatchCall, type BatchOptions, type BatchOutcome } from './batch.js';
export { logTo } from './logger.js';
export { maskBatchCommand } from './redact.js';
export { ERROR_CLASS_ID } from './one-state.js';
export {
  MemoryBucketStore,
  RATE_LIMIT_PLANS,
  rateLimiter,
  sharedBucketStore,
  type BucketStore,
  type RateLimit,
  type RateLimiterOptions,
} from './rate-limit.js';
export type { LeaseChange } from './event-lease.js';
export {
  createStoreGuard,
  DEFAULT_STORE_TIMEOUT_MS,
  MemoryEventCursor,
  MemoryTokenStore,
  storedPairReplaces,
  type EventCursor,
  type EventLease,
  type StoreCallOptions,
  type StoreFallback,
  type StoreGuard,
  type StoreOptions,
  type TokenStore,
} from './stores.js';
export { oauthRefresh, tokenEndpoint, type OAuthRefreshPlugin, type OAuthTokens, type RefreshOptions } from './tokens.js';
export {
  createTransport,
  type ClientOptions,
  type FullTransport,
  type OAuthOptions,
  type WebhookOptions,
} from './transport.js';
