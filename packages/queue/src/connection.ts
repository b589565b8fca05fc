import { registerSecret } from "@mdkit/core";
import type { ConnectionOptions } from "bullmq";
import type { RedisOptions } from "ioredis";
import { QueueInputError } from "./errors.js";

/**
 * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`,
 * `rediss://` for TLS), a Unix socket path (`/run/redis.sock` or
 * `unix:///run/redis.sock`), or ioredis options.
 */
export type RedisConnection = string | RedisOptions;

/**
 * ioredis options for a {@link RedisConnection}. A password it carries (in
 * the URL or the options) is registered as a secret, so that no mdkit error
 * or CLI output shows it in any encoding.
 *
 * @throws {QueueInputError} when the string is neither a `redis://` /
 *   `rediss://` URL nor a socket path.
 * @example
 * ```ts
 * import { redisOptionsOf } from "@mdkit/queue";
 *
 * redisOptionsOf("redis://:s3cret-pass@127.0.0.1:6380/2");
 * // { host: "127.0.0.1", port: 6380, password: "s3cret-pass", db: 2 }
 * redisOptionsOf("/run/redis/redis.sock"); // { path: "/run/redis/redis.sock" }
 * ```
 */
export function redisOptionsOf(connection: RedisConnection): RedisOptions {
  const options = parseConnection(connection);
  registerSecret(options.password);
  return options;
}

function parseConnection(connection: RedisConnection): RedisOptions {
  if (typeof connection !== "string") return { ...connection };
  if (connection.startsWith("/")) return { path: connection };
  if (connection.startsWith("unix://")) return { path: connection.slice("unix://".length) };
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw new QueueInputError(
      "the Redis connection is neither a redis:// URL nor a socket path (e.g. redis://127.0.0.1:6379 or /run/redis/redis.sock)",
    );
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new QueueInputError(
      `unsupported Redis URL scheme ${url.protocol} (use redis://, rediss:// or a socket path)`,
    );
  }
  const db = url.pathname.replace(/^\//, "");
  return {
    host: url.hostname || "127.0.0.1",
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

/** The same options, as BullMQ types them. */
export const bullConnection = (options: RedisOptions) => options as ConnectionOptions;
