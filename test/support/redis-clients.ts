import { Redis as IORedis } from 'ioredis';
import { createClient as createNodeRedis } from 'redis';
import type { RedisClientLike } from '../../generated/src/redis/index.js';

/**
 * Connected clients of both libraries the Redis stores accept, for tests that run each case with
 * node-redis and with ioredis. `close()` ends every client made, whatever state its server is in.
 */
export type RedisKind = 'node-redis' | 'ioredis';
export const REDIS_KINDS: RedisKind[] = ['node-redis', 'ioredis'];

export class RedisClients {
  private readonly closers: (() => Promise<unknown> | unknown)[] = [];

  constructor(private readonly url: string) {}

  async make(kind: RedisKind): Promise<RedisClientLike> {
    if (kind === 'node-redis') {
      const client = createNodeRedis({ url: this.url, socket: { reconnectStrategy: 50 } });
      client.on('error', () => {}); // reconnection errors while a test stops the server
      await client.connect();
      this.closers.push(() => client.destroy());
      return client;
    }
    const client = new IORedis(this.url, { lazyConnect: true, retryStrategy: () => 50 });
    client.on('error', () => {});
    await client.connect();
    this.closers.push(() => client.disconnect());
    return client;
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) {
      try {
        await close();
      } catch {
        // already closed
      }
    }
  }
}

/** A key part no other test uses, so concurrent tests never share a bucket, a pair or a lease. */
export function uniqueKey(what: string): string {
  return `https://${what}-${Math.random().toString(36).slice(2)}.bitrix24.test`;
}
