import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedisServer, ping, redisCommand, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * The Redis the fleet and store tests stand on (test/support/redis-server.ts): it answers, a
 * restart comes back on the same port empty (no persistence), a halted one refuses connections
 * and a frozen one accepts and never answers. The fault tests rely on each of these.
 */
if (!haveRedisServer) console.warn(redisSkipMessage('redis-server.test.ts'));

const command = redisCommand;

describe.skipIf(!haveRedisServer)('test/support/redis-server.ts', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis?.stop());

  it('answers on 127.0.0.1 and keeps what it is given', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, 'SET', 'k', 'v1')).toBe('+OK');
    expect(await command(redis.port, 'GET', 'k')).toBe('v1');
  });

  it('restarts on the same port with no data (nothing persisted)', async () => {
    await command(redis.port, 'SET', 'k', 'v2');
    const port = redis.port;
    await redis.restart();
    expect(redis.port).toBe(port);
    expect(await command(port, 'GET', 'k')).toBe('$-1');
  });

  it('halted, refuses connections; frozen, accepts and never answers; both come back', async () => {
    await redis.halt();
    expect(redis.running).toBe(false);
    await expect(command(redis.port, 'PING')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await redis.restart();
    redis.freeze();
    try {
      expect(await ping(redis.port)).toBe(false); // ping gives up after 1 s
    } finally {
      redis.thaw();
    }
    expect(await ping(redis.port)).toBe(true);
  });
});
