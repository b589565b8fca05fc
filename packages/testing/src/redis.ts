/**
 * A real `redis-server` for tests and benchmarks, started the way a user
 * would: a private Unix socket in a fresh temporary directory (no TCP port),
 * no persistence, stopped and deleted by `stop()`.
 *
 * @module @mdkit/testing/redis
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A running `redis-server`. */
export interface RedisServer {
  /** Path of its Unix socket (ioredis: `{ path }`). */
  socket: string;
  /** The same as a URL (`redis+unix://` is not universal: prefer `socket`). */
  url: string;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

/** Where `redis-server` is on `PATH` (or in the usual Debian places), if anywhere. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/local/bin", "/usr/sbin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, "redis-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** The reason printed by tests that skip because no `redis-server` can be found. */
export const REDIS_MISSING =
  "redis-server was not found on PATH: the queue tests need a real Redis (apt-get install -y redis-server); skipped";

/** Whether the server answers: `PONG`, or (with a password set) a refusal to talk before `AUTH`. */
const ping = (socket: string) =>
  new Promise<boolean>((resolve) => {
    const connection = createConnection(socket);
    connection.once("error", () => resolve(false));
    connection.once("connect", () => connection.write("PING\r\n"));
    connection.once("data", (data) => {
      connection.destroy();
      resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
    });
  });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/**
 * Starts `redis-server` on a private Unix socket; resolves once it answers
 * `PING`. With `password`, clients must `AUTH` with it (`requirepass`).
 * Returns `undefined` when no `redis-server` is installed (the caller skips
 * and says why, with {@link REDIS_MISSING}).
 */
export async function startRedis(
  options: { timeoutMs?: number; password?: string } = {},
): Promise<RedisServer | undefined> {
  const binary = findRedisServer();
  if (!binary) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "mdkit-redis-"));
  const socket = join(dir, "redis.sock");
  const child = spawn(
    binary,
    [
      "--port",
      "0",
      "--unixsocket",
      socket,
      "--unixsocketperm",
      "700",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
      ...(options.password === undefined ? [] : ["--requirepass", options.password]),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await ping(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start (exit code ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { socket, url: `unix://${socket}`, stop };
}
