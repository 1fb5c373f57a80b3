/**
 * `@b24gen/imbot-v2/redis`: the client's shared stores on Redis, for a bot run by several
 * processes. Each takes a connected client of the user's: node-redis v4/v5 or ioredis.
 *
 * - `RedisBucketStore` (the client's `rateLimitStore`): one request bucket per portal for the fleet;
 * - `RedisTokenStore` (`tokenStore`): one OAuth pair per portal and application, refreshed once;
 * - `RedisEventCursor` (`bot.events({ cursor })`): one consumer per bot, its offset stored.
 */
export { redisAdapter, type IORedisLike, type NodeRedisLike, type RedisAdapter, type RedisClientLike, type Script } from './adapter.js';
export type { RedisStoreOptions } from './keys.js';
export { RedisBucketStore } from './bucket-store.js';
export { RedisTokenStore, type RedisTokenStoreOptions } from './token-store.js';
export { RedisEventCursor, type RedisEventCursorOptions } from './event-cursor.js';
