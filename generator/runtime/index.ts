export {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  type Bitrix24ErrorInit,
  type ErrorClass,
} from './errors.js';
export {
  createTransport,
  type ApiResponse,
  type CallOptions,
  type ClientOptions,
  type MethodDescriptor,
  type OAuthOptions,
  type ResponsePromise,
  type Transport,
  type WebhookOptions,
} from './transport.js';
