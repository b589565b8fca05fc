/**
 * A hostile Redis (a real loopback TCP server speaking enough RESP) that
 * answers every command with an error quoting the command, the password of
 * `AUTH` included. ioredis' `ReplyError` carries the password in its message
 * and its `command.args`; the queue must pass on only typed, redacted
 * errors, within its connect deadline, and `mdkit queue` must print none of it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import {
  createScanQueue,
  createScanWorker,
  createSharedLimiter,
  QueueError,
  RedisAuthError,
} from "@mdkit/queue";
import {
  CANARIES,
  type HostileRedis,
  hostileCase,
  respError,
  startHostileRedis,
} from "@mdkit/testing/hostile";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";

const { password } = CANARIES;
const servers: HostileRedis[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A Redis that refuses everything, quoting what it was sent: `AUTH <password>` first. */
async function echoingRedis(): Promise<HostileRedis> {
  const server = await startHostileRedis((command) =>
    respError(`ERR invalid password, you sent: ${command.join(" ")} (${password})`),
  );
  servers.push(server);
  return server;
}

const options = (server: HostileRedis) => ({
  connection: { host: server.host, port: server.port, password },
  name: "hostile-queue",
  connectTimeoutMs: 2_000,
});

describe("a Redis echoing the password in its error replies", () => {
  it("library: queue operations end with a typed error showing no password in any rendering", async () => {
    await hostileCase("redis echoes the password (queue)", { deadlineMs: 5_000 }, async (probe) => {
      const server = await echoingRedis();
      const queue = createScanQueue(options(server));
      const dir = await mkdtemp(join(tmpdir(), "mdkit-hostile-redis-"));
      try {
        await writeFile(join(dir, "a.txt"), "queued for a hostile redis");
        const failures = {
          add: await queue.add([join(dir, "a.txt")]).catch((e: unknown) => e),
          status: await queue.status().catch((e: unknown) => e),
          result: await queue.result("any").catch((e: unknown) => e),
        };
        for (const [where, error] of Object.entries(failures)) {
          probe.error(where, error);
          expect(error).toBeInstanceOf(RedisAuthError);
          expect((error as Error).message).toContain(`${server.host}:${server.port}`);
        }
        // The case replays what it claims: the password was sent and echoed back.
        expect(server.commands[0]).toEqual(["auth", password]);
        expect(String((failures.add as Error).cause)).toContain("ERR invalid password");
      } finally {
        await queue.close().catch((e: unknown) => probe.error("close", e));
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it("library: a worker's ready() and error events, and the shared limiter, redact the echo", async () => {
    await hostileCase(
      "redis echoes the password (worker)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const server = await echoingRedis();
        const cluster = createClusterClient({
          baseUrl: "http://127.0.0.1:9",
          auth: () => ({ apikey: "unused" }),
        });
        const worker = createScanWorker({ ...options(server), cluster });
        const events: unknown[] = [];
        worker.on("error", (error) => events.push(error));
        const limiterErrors: unknown[] = [];
        const limiter = createSharedLimiter({
          ...options(server),
          onError: (error) => limiterErrors.push(error),
        });
        try {
          const ready = await worker.ready().catch((e: unknown) => e);
          probe.error("worker.ready", ready);
          expect(ready).toBeInstanceOf(RedisAuthError);
          const snapshot = await limiter.snapshot().catch((e: unknown) => e);
          probe.error("limiter.snapshot", snapshot);
          expect(snapshot).toBeInstanceOf(QueueError);
        } finally {
          await worker.close(true);
          await limiter.close();
        }
        expect(events.length + limiterErrors.length).toBeGreaterThan(0);
        for (const [i, error] of [...events, ...limiterErrors].entries()) {
          probe.error(`event ${i}`, error);
          expect(error).toBeInstanceOf(QueueError);
        }
      },
    );
  });

  it.each(CLI_RUNNERS)(
    "$name: mdkit queue status reports the refusal without the password",
    async (cli) => {
      await hostileCase(
        `redis echoes the password (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          const server = await echoingRedis();
          const url = `redis://:${encodeURIComponent(password)}@${server.host}:${server.port}`;
          const run = await runAndReport(cli, probe, ["queue", "status", "--json", "--debug"], {
            MDKIT_REDIS_URL: url,
          });
          expect(run.code).not.toBe(0);
          expect(run.stderr).toContain(`Redis at ${server.host}:${server.port} refused`);
        },
      );
    },
  );
});
