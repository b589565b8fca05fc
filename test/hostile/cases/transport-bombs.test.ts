/**
 * A gateway that floods or breaks its answers: a 2 GB JSON result, a gzip
 * bomb, a gzip body cut mid-way. mdkit stops reading at its body limit (peak
 * RSS measured in a process of its own: at most 256 MB) and reports every
 * broken body as a typed error with a message — never a hang, never a crash.
 */
import { MalformedResponseError, NetworkError, ResponseTooLargeError } from "@mdkit/cluster";
import { scanFile } from "@mdkit/scan/node";
import {
  gzipBomb,
  type HostileHandler,
  hostileCase,
  hugeJson,
  truncatedGzip,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_SKIP, clientOf, cliScan, gatewayWith, scanInChild } from "../transport-setup.js";

const RSS_LIMIT_MB = 256;
const GIB = 1024 * 1024 * 1024;

const bombs: Array<{ name: string; result: HostileHandler }> = [
  { name: "a 2 GB JSON result", result: (_request, response) => hugeJson(response, 2 * GIB) },
  {
    name: "a gzip bomb (2 GB decoded)",
    result: (_request, response) => gzipBomb(response, 2 * GIB),
  },
];

describe.skipIf(CLI_SKIP)("a flooding gateway: bounded memory", () => {
  for (const bomb of bombs) {
    it(`${bomb.name}: the library stops at its limit (child process)`, {
      timeout: 60_000,
    }, async () => {
      await hostileCase(
        `transport: ${bomb.name} (library)`,
        { deadlineMs: 10_000 },
        async (probe) => {
          const gateway = await gatewayWith({ result: bomb.result });
          const outcome = await scanInChild(probe, gateway, 10_000);
          probe.peakRss(outcome.peakRssMb);
          expect(outcome.verdict).toBeUndefined();
          expect(outcome.error).toBe("ResponseTooLargeError");
          expect(outcome.peakRssMb).toBeLessThanOrEqual(RSS_LIMIT_MB);
        },
      );
    });

    it(`${bomb.name}: the built CLI stops at its limit`, { timeout: 60_000 }, async () => {
      await hostileCase(`transport: ${bomb.name} (cli)`, { deadlineMs: 10_000 }, async (probe) => {
        const gateway = await gatewayWith({ result: bomb.result });
        const run = await cliScan(probe, gateway, ["--no-hash-first", "--timeout", "10000"]);
        if (run.peakRssMb !== undefined) probe.peakRss(run.peakRssMb);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/over 16777216 bytes after decompression/);
        expect(run.peakRssMb ?? 0).toBeLessThanOrEqual(RSS_LIMIT_MB);
      });
    });
  }
});

describe("a gateway that cuts its gzip answer mid-way", () => {
  it("is a typed error with a message (library)", async () => {
    await hostileCase(
      "transport: truncated gzip result (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await gatewayWith({
          result: (_request, response) =>
            truncatedGzip(response, { data_id: "hostile-1", pad: "x".repeat(4_096) }),
        });
        const error = await scanFile(clientOf(gateway), new Blob(["cut"]), {
          hashFirst: false,
          timeoutMs: 5_000,
          maxTransientErrors: 1,
        }).catch((e: unknown) => e);
        probe.error("scanFile", error);
        // A connection cut mid-body is a network failure; it is never a result.
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as Error).message).toMatch(/broke off while the HTTP 200 body was read/);
      },
    );
  });

  it.skipIf(CLI_SKIP)(
    "ends the built CLI with exit code 2 and a message, not exit 13",
    async () => {
      await hostileCase(
        "transport: truncated gzip result (cli)",
        { deadlineMs: 5_000 },
        async (probe) => {
          const gateway = await gatewayWith({
            result: (_request, response) =>
              truncatedGzip(response, { data_id: "hostile-1", pad: "x".repeat(4_096) }),
          });
          const run = await cliScan(probe, gateway, ["--no-hash-first", "--timeout", "5000"]);
          expect(run.code).toBe(2);
          expect(run.stderr).toMatch(/^mdkit: .*broke off/m);
        },
      );
    },
  );

  it("is MalformedResponseError when the compressed data is not gzip at all", async () => {
    await hostileCase(
      "transport: undecodable gzip result (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await gatewayWith({
          result: (_request, response) => {
            response.writeHead(200, {
              "content-type": "application/json",
              "content-encoding": "gzip",
            });
            response.end('not gzip: {"scan_all_result_i":0}');
          },
        });
        const error = await scanFile(clientOf(gateway), new Blob(["bad gzip"]), {
          hashFirst: false,
          timeoutMs: 5_000,
          maxTransientErrors: 1,
        }).catch((e: unknown) => e);
        probe.error("scanFile", error);
        expect(error).toBeInstanceOf(MalformedResponseError);
        expect(error).not.toBeInstanceOf(ResponseTooLargeError);
      },
    );
  });
});
