export {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  type Bitrix24ErrorInit,
  type ErrorClass,
} from './errors.js';
export { coerce, type TypeDefs, type TypeDesc } from './coerce.js';
export {
  createWebhookHandlerWith,
  decodeWebhookWith,
  eventStreamWith,
  fromFetchedWith,
  timingSafeEqualStrings,
  toNodeHandler,
  type EventEnvelope,
  type EventPage,
  type EventSchemas,
  type EventStream,
  type EventStreamOptions,
  type NodeRequestLike,
  type NodeResponseLike,
  type UnknownEvent,
  type WebhookHandlerOptions,
} from './events.js';
export { parseForm, WebhookBodyError } from './form.js';
export { buildQuery } from './query-string.js';
export { MemoryBucketStore, RATE_LIMIT_PLANS, sharedBucketStore, type BucketStore, type RateLimit } from './rate-limit.js';
export type { OAuthTokens, RefreshOptions } from './tokens.js';
export {
  BATCH_LIMIT,
  createTransport,
  type ApiResponse,
  type BatchCall,
  type BatchOptions,
  type BatchOutcome,
  type CallOptions,
  type ClientOptions,
  type MethodDescriptor,
  type OAuthOptions,
  type ResponsePromise,
  type Transport,
  type TransportEvent,
  type WebhookOptions,
} from './transport.js';
