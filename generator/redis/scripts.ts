/**
 * The stores' Lua scripts: each read-modify-write runs atomically on the server. Numbers are
 * written with `%.17g` (Lua's `tostring` keeps 14 digits, too few for a time in microseconds).
 */
import type { Script } from './adapter.js';

/**
 * The leaky bucket, MemoryBucketStore's arithmetic on the server's clock (`TIME`).
 * KEYS[1] the bucket (a hash: level, at in ms); ARGV: drainPerSecond, capacity (the part the
 * client fills), +1 (reserve) or -1 (release). Returns the ms to wait (ceil), 0 for a release.
 * The key expires once the bucket would be empty, plus a second.
 */
export const BUCKET_SCRIPT: Script = {
  name: 'bucket',
  source: `local drain = tonumber(ARGV[1])
local room = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = 0
if b[1] then
  local elapsed = now - tonumber(b[2])
  if elapsed < 0 then elapsed = 0 end
  level = tonumber(b[1]) - elapsed / 1000 * drain
  if level < 0 then level = 0 end
end
level = level + delta
if level < 0 then level = 0 end
redis.call('HSET', KEYS[1], 'level', string.format('%.17g', level), 'at', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(level / drain * 1000) + 1000)
if delta < 0 or level <= room then return 0 end
return math.ceil((level - room) / drain * 1000)`,
};

/** KEYS[1] a lock or lease; ARGV: holder token, ttl ms. 1 when taken (SET NX PX), 0 when another holds it. */
export const TAKE_SCRIPT: Script = {
  name: 'take',
  source: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`,
};

/** KEYS[1] a lock or lease; ARGV: holder token. Deletes it only if the token still holds it (1), else 0. */
export const RELEASE_SCRIPT: Script = {
  name: 'release',
  source: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
};

/** KEYS[1] the token pair (a hash). The access token, refresh token and expiry (nil when absent). */
export const READ_PAIR_SCRIPT: Script = {
  name: 'read-pair',
  source: `return redis.call('HMGET', KEYS[1], 'accessToken', 'refreshToken', 'expiresAt')`,
};

/** KEYS[1] the token pair; ARGV: accessToken, refreshToken ('' none), expiresAt ('' none). Replaces it. */
export const SET_PAIR_SCRIPT: Script = {
  name: 'set-pair',
  source: `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'accessToken', ARGV[1], 'refreshToken', ARGV[2], 'expiresAt', ARGV[3])
return 1`,
};

/**
 * The refreshed pair, written only by the lock's holder (fencing: a holder whose lock expired
 * and was taken over is refused), and the lock released in the same step, so that no one can
 * take the lock and find the old pair. When the lock lapsed and no one took it, the write is
 * accepted only if the stored pair is still the one refreshed from.
 * KEYS[1] the lock, KEYS[2] the pair; ARGV: holder token, the access token refreshed from,
 * accessToken, refreshToken ('' none), expiresAt ('' none). 1 written, 0 refused.
 */
export const WRITE_REFRESHED_SCRIPT: Script = {
  name: 'write-refreshed',
  source: `local holder = redis.call('GET', KEYS[1])
local current = redis.call('HGET', KEYS[2], 'accessToken')
if holder == ARGV[1] or (not holder and (not current or current == ARGV[2])) then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'accessToken', ARGV[3], 'refreshToken', ARGV[4], 'expiresAt', ARGV[5])
  if holder then redis.call('DEL', KEYS[1]) end
  return 1
end
return 0`,
};

/**
 * Takes a lease and reads the stored offset in one step, restoring the offset this process
 * knows when the stored one is missing or lower (a Redis that restarted empty, or a commit lost
 * in an outage): the offset becomes max(stored, known), written only because the lease is now
 * ours. A lease still held by this process's abandoned holder (a stream that stopped on a store
 * failure without releasing it) is taken back at once instead of waiting out its TTL.
 * KEYS[1] the lease, KEYS[2] the offset; ARGV: holder token, ttl ms, the known offset ('' none),
 * the abandoned holder token ('' none). {1, offset or '', 1 when it was the abandoned lease
 * taken back else 0} when taken, {0, stored offset or '', 0} when another holds it (a standby
 * remembers what it read).
 */
export const ACQUIRE_LEASE_SCRIPT: Script = {
  name: 'acquire-lease',
  source: `local taken = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local reclaimed = 0
if not taken and ARGV[4] ~= '' and redis.call('GET', KEYS[1]) == ARGV[4] then
  taken = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  reclaimed = 1
end
local stored = redis.call('GET', KEYS[2])
if not taken then return {0, stored or '', 0} end
if ARGV[3] ~= '' and (not stored or not tonumber(stored) or tonumber(stored) < tonumber(ARGV[3])) then
  stored = ARGV[3]
  redis.call('SET', KEYS[2], stored)
end
return {1, stored or '', reclaimed}`,
};

/** KEYS[1] the lease; ARGV: holder token, ttl ms. Extends it only while the token holds it: 1, else 0. */
export const RENEW_LEASE_SCRIPT: Script = {
  name: 'renew-lease',
  source: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
};

/**
 * KEYS[1] the lease, KEYS[2] the offset; ARGV: holder token, ttl ms, offset. Stores the offset
 * and extends the lease only while the token holds it: 1; else nothing stored: 0 when another
 * holds the lease, -1 when no one does (it lapsed, or Redis restarted empty).
 */
export const COMMIT_OFFSET_SCRIPT: Script = {
  name: 'commit-offset',
  source: `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then return -1 end
return 0`,
};
