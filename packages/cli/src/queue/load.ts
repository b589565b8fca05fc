import { CliError } from "../errors.js";

/** `@mdkit/queue`, loaded on demand: the other commands never load BullMQ. */
export type QueueModule = typeof import("@mdkit/queue");

/**
 * Imports `@mdkit/queue` (an optional dependency of the CLI).
 *
 * @throws {CliError} saying how to install it, when it is missing.
 */
export async function loadQueue(): Promise<QueueModule> {
  try {
    return await import("@mdkit/queue");
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === "ERR_MODULE_NOT_FOUND" && /@mdkit\/queue|bullmq|ioredis/.test(message ?? "")) {
      throw new CliError(
        "`mdkit queue` needs the optional package @mdkit/queue (BullMQ on Redis): npm install @mdkit/queue",
      );
    }
    throw error;
  }
}

/** The Redis variable: a redis:// URL or a Unix socket path. */
export const REDIS_VARIABLE = "MDKIT_REDIS_URL";

/** The Redis connection of a queue command: `--redis`, else `MDKIT_REDIS_URL`, else the local default. */
export function redisOf(option: string | undefined, env: Record<string, string | undefined>) {
  return option ?? env[REDIS_VARIABLE] ?? "redis://127.0.0.1:6379";
}
