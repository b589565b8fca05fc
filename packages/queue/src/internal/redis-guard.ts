import { isMdkitError } from "@mdkit/core";
import type { Redis, RedisOptions } from "ioredis";
import { QueueError, RedisAuthError, RedisUnreachableError } from "../errors.js";

/** Where a connection goes, for messages: host and port, or the socket path; never credentials. */
export function describeRedis(options: RedisOptions): string {
  if (options.path) return options.path;
  return `${options.host ?? "127.0.0.1"}:${options.port ?? 6379}`;
}

/**
 * The error to pass on for a failure of Redis or BullMQ while `doing`
 * something: mdkit errors and an aborted signal's reason as they are,
 * anything else as a {@link QueueError} whose message and cause are redacted.
 */
export function asQueueError(error: unknown, doing: string): unknown {
  if (isMdkitError(error)) return error;
  if (
    error instanceof DOMException &&
    (error.name === "AbortError" || error.name === "TimeoutError")
  )
    return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new QueueError(`Redis failed while ${doing}: ${reason}`, { cause: error });
}

/** Runs a Redis operation, passing its failure on as {@link asQueueError} does. */
export async function redisCall<T>(doing: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw asQueueError(error, doing);
  }
}

/** An error reply to the handshake's `AUTH` or `HELLO` (ioredis names the command it answers). */
function refusedCredentials(error: unknown): boolean {
  const command = (error as { command?: { name?: unknown } } | undefined)?.command?.name;
  return (
    error instanceof Error &&
    error.name === "ReplyError" &&
    (command === "auth" || command === "hello")
  );
}

/**
 * A function that resolves once `redis` is connected and ready, or rejects
 * with a {@link RedisAuthError} when the server refuses the credentials, or
 * a {@link RedisUnreachableError} after `timeoutMs` (each call waits
 * anew, so a later call may succeed once Redis is back).
 */
export function connectionGate(
  redis: Redis,
  where: string,
  timeoutMs: number,
): () => Promise<void> {
  return () => {
    if (redis.status === "ready") return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let last: unknown;
      const onError = (error: unknown) => {
        last = error;
        // The server answered and refused the credentials: waiting longer will not help.
        if (refusedCredentials(error)) settle(new RedisAuthError(where, { cause: error }));
      };
      const settle = (error?: unknown) => {
        clearTimeout(timer);
        redis.off("ready", onReady);
        redis.off("error", onError);
        redis.off("end", onEnd);
        if (error === undefined) resolve();
        else reject(error);
      };
      const unreachable = () =>
        new RedisUnreachableError(where, timeoutMs, last === undefined ? {} : { cause: last });
      const onReady = () => settle();
      const onEnd = () => settle(unreachable());
      const timer = setTimeout(() => settle(unreachable()), timeoutMs);
      redis.on("ready", onReady);
      redis.on("error", onError);
      redis.on("end", onEnd);
    });
  };
}

/**
 * Closes a connection: `QUIT` when it is ready (pending replies arrive
 * first), else at once; a server that does not answer the `QUIT` within
 * `graceMs` is dropped. Closing never waits on a Redis that is gone or silent.
 */
export async function quitRedis(redis: Redis, graceMs: number): Promise<void> {
  if (redis.status !== "ready") {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([redis.quit().catch(() => {}), late]);
  clearTimeout(timer);
  redis.disconnect();
}
