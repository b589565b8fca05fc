/**
 * A URL that a queued job points at is served by someone else: the server
 * floods without end, sends its headers and goes silent, redirects in a loop
 * or to a `file:` URL. The worker's
 * download stops at its bounds (size, silence), the job fails with a typed
 * `QueueInputError` naming the limit — never the URL, which may hold a
 * presigned token — long before any scan deadline, and the worker takes the
 * next job.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createScanQueue, createScanWorker } from "@mdkit/queue";
import { hostileCase } from "@mdkit/testing/hostile";
import { REDIS_MISSING, startRedis } from "@mdkit/testing/redis";
import { describe, expect, it } from "vitest";
import { lyingGateway } from "../evidence-setup.js";

const probeRedis = await startRedis();
if (!probeRedis) console.warn(REDIS_MISSING);
await probeRedis?.stop();

const TOKEN = "X-Amz-Signature=presigned-secret-0123456789";

const behaviours: Array<[string, (response: ServerResponse) => void, RegExp]> = [
  [
    "floods without end",
    (response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 1);
      const write = () => {
        while (response.write(chunk)) {}
        response.once("drain", write);
      };
      write();
    },
    /more than 1000000 bytes sent/,
  ],
  [
    "sends its headers, then nothing",
    (response) => {
      response.writeHead(200);
      response.flushHeaders();
    },
    /nothing received for 500 ms/,
  ],
  [
    "redirects back to itself, again and again",
    (response) => {
      response.writeHead(302, { location: `/file.bin?again&${TOKEN}` }).end();
    },
    /more than 5 redirects/,
  ],
  [
    "redirects to a file: URL",
    (response) => {
      response.writeHead(302, { location: "file:///etc/passwd" }).end();
    },
    /a redirect to something other than an http\(s\) URL/,
  ],
];

describe.skipIf(!probeRedis)("a server behind a queued URL", () => {
  it.each(behaviours)(
    "%s: the job fails with the limit named, promptly",
    async (label, behaviour, says) => {
      await hostileCase(
        `queue: a URL server that ${label}`,
        { deadlineMs: 5_000 },
        async (probe) => {
          const server = createServer((_request, response) => behaviour(response));
          await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
          const redis = await startRedis();
          const connection = { path: redis?.socket };
          const name = `url-${process.pid}-${label.length}`;
          await using env = await lyingGateway(() => undefined);
          const worker = createScanWorker({
            connection,
            name,
            cluster: env.cluster,
            download: { maxBytes: 1_000_000, idleTimeoutMs: 500, timeoutMs: 3_000 },
          });
          worker.on("error", (error) => probe.error("worker error", error));
          const queue = createScanQueue({ connection, name });
          try {
            await worker.ready();
            const { port } = server.address() as AddressInfo;
            const url = `http://127.0.0.1:${port}/file.bin?${TOKEN}`;
            await queue.add([{ url, sha256: "a".repeat(64) }], { attempts: 1 });
            for await (const result of queue.results()) {
              probe.output("result", result);
              expect(result.ok).toBe(false);
              if (result.ok) continue;
              expect(result.error.name).toBe("QueueInputError");
              expect(result.error.message).toMatch(says);
              expect(result.error.message).not.toContain(TOKEN);
            }
            expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
          } finally {
            await worker.close();
            await queue.obliterate();
            await queue.close();
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
            await redis?.stop();
          }
        },
      );
    },
  );
});
