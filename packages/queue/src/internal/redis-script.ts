import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** The current time of the Redis server in ms, as Lua: one clock for every host. */
export const LUA_NOW_MS =
  "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

/** A Lua script run by its SHA-1 (loaded once), falling back to the text if Redis lost it. */
export interface RedisScript {
  /** Runs the script with `keys` and `args`. */
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
  /** Loads the script, so that later calls keep their order on the connection. */
  load(redis: Redis): Promise<void>;
}

/** Defines a Lua script. */
export function redisScript(lua: string): RedisScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
    async load(redis) {
      await redis.script("LOAD", lua);
    },
  };
}
