// A Redis that is not there, or never answers: every operation fails by its connect deadline,
// with a typed error naming the host (never the password). No redis-server needed.
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { startHostileRedis } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import {
  createScanQueue,
  createScanWorker,
  type RedisConnection,
  RedisUnreachableError,
} from "../src/index.js";
import { gateway } from "./helpers.js";

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const password = "unreachable-canary-93e1";

/** A queue and a worker on `connection`, with a short connect deadline; closed by `close()`. */
function clients(connection: RedisConnection, name: string) {
  const queue = createScanQueue({ connection, name, connectTimeoutMs: 300 });
  const worker = createScanWorker({
    connection,
    name,
    cluster: gateway().cluster,
    connectTimeoutMs: 300,
  });
  return {
    queue,
    worker,
    async close() {
      await worker.close(true);
      await queue.close().catch(() => {});
    },
  };
}

describe("a Redis that cannot be reached", () => {
  it("refused connections: queue operations and worker.ready() end with RedisUnreachableError", async () => {
    const port = await closedPort();
    const connection = `redis://:${password}@127.0.0.1:${port}`;
    const { queue, worker, close } = clients(connection, "nowhere");
    try {
      for (const pending of [queue.status(), queue.add([]), worker.ready()]) {
        const error = await pending.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisUnreachableError);
        expect(error).toMatchObject({ where: `127.0.0.1:${port}`, timeoutMs: 300 });
        expect((error as Error).message).toContain(`127.0.0.1:${port} within 300 ms`);
        expect(String((error as Error).cause)).toMatch(/ECONNREFUSED/);
        expect((error as Error).message).not.toContain(password);
      }
    } finally {
      await close();
    }
  });

  it("a server that accepts the connection and never answers", async () => {
    await using silent = await startHostileRedis(() => undefined);
    const connection = { host: silent.host, port: silent.port, path: undefined };
    const { queue, worker, close } = clients(connection, "silent");
    try {
      const results = async () => {
        for await (const _ of queue.results()) return;
      };
      for (const pending of [queue.result("any"), results(), worker.ready()]) {
        const error = await pending.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisUnreachableError);
        expect((error as Error).message).toContain(`${silent.host}:${silent.port}`);
      }
      expect(silent.commands.length).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
