/**
 * The Lua side of the shared gateway budget. No AIMD arithmetic lives here:
 * the limit is computed in TypeScript by `@mdkit/scan`'s transitions and
 * written back with a versioned compare-and-set; Lua only counts slots
 * against `floor(value)`, purges expired leases and keeps the clock.
 */
import { LUA_NOW_MS, redisScript } from "./redis-script.js";

/** KEYS: state. ARGV: initial value. Creates the state unless it exists. */
export const INIT = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'value', ARGV[1], 'ceiling', 'Infinity', 'lastDecreaseMs', '-Infinity', 'version', '0')
end
return 1`);

/**
 * KEYS: state, slots. ARGV: member, leaseMs. Takes a slot when fewer than
 * `floor(value)` are held (expired leases do not count): 1 taken, 0 full,
 * -1 no state (Redis lost it).
 */
export const ACQUIRE = redisScript(`
${LUA_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local value = tonumber(redis.call('HGET', KEYS[1], 'value'))
if value == nil then return -1 end
if redis.call('ZCARD', KEYS[2]) < math.floor(value) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0`);

/** KEYS: slots. ARGV: member, wake channel. Gives a slot back and wakes the waiters. */
export const RELEASE = redisScript(`
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], '1') end
return 1`);

/** KEYS: slots. ARGV: leaseMs, members... Extends the leases still held. */
export const RENEW = redisScript(`
${LUA_NOW_MS}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return 1`);

/**
 * KEYS: state, slots. The state, the slots held (expired leases purged) and
 * the Redis clock: { value, ceiling, lastDecreaseMs, version, inUse, nowMs }.
 */
export const READ = redisScript(`
${LUA_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local s = redis.call('HMGET', KEYS[1], 'value', 'ceiling', 'lastDecreaseMs', 'version')
return { s[1] or '', s[2] or '', s[3] or '', s[4] or '', tostring(redis.call('ZCARD', KEYS[2])), tostring(now) }`);

/**
 * KEYS: state. ARGV: expected version, value, ceiling, lastDecreaseMs, wake
 * channel, "1" to wake waiters. Writes the state only if nobody wrote it
 * since it was read (1), else 0: the caller reads again and recomputes.
 */
export const WRITE = redisScript(`
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'ceiling', ARGV[3], 'lastDecreaseMs', ARGV[4], 'version', tostring(tonumber(ARGV[1]) + 1))
if ARGV[6] == '1' then redis.call('PUBLISH', ARGV[5], '1') end
return 1`);
