/**
 * A gateway that stalls: it accepts an upload and never answers, never
 * answers a poll, answers one byte a second, or keeps saying "busy" with
 * absurd or endless Retry-After. `timeoutMs` / `--timeout` is a hard
 * deadline: mdkit ends within it (+5 s), with a failure, never a verdict.
 * The deadlines are short (1-3 s) so the suite stays fast; the elapsed time is
 * still measured on the wall clock.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceUnavailableError } from "@mdkit/cluster";
import { ScanTimeoutError, scanBatch, scanFile } from "@mdkit/scan/node";
import {
  CANARIES,
  finishedResult,
  HOSTILE_DATA_ID,
  type HostileHandler,
  hang,
  hostileCase,
  runBuiltCli,
  sendJson,
  trickle,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_SKIP, clientOf, cliScan, gatewayWith } from "../transport-setup.js";

const payload = () => new Blob(["hostile library payload"]);

const acceptThenHang: HostileHandler = async (_request, _response, context) => {
  await context.body();
  hang();
};
const busy =
  (retryAfter?: string): HostileHandler =>
  async (_request, response, context) => {
    await context.body();
    sendJson(
      response,
      503,
      { err: "Server is too busy" },
      retryAfter ? { "retry-after": retryAfter } : {},
    );
  };

/** The attacks, each with the deadline given to mdkit and what it must end with. */
const attacks: Array<{
  name: string;
  routes: Parameters<typeof gatewayWith>[0];
  timeoutMs: number;
  error: new (...args: never[]) => Error;
}> = [
  {
    name: "upload accepted, then no answer",
    routes: { upload: acceptThenHang },
    timeoutMs: 1_000,
    error: ScanTimeoutError,
  },
  {
    name: "a poll that never answers",
    routes: { result: hang },
    timeoutMs: 1_000,
    error: ScanTimeoutError,
  },
  {
    name: "a poll answered at 1 byte/s",
    routes: {
      result: (_request, response) =>
        trickle(response, 200, JSON.stringify(finishedResult(HOSTILE_DATA_ID)), 1_000),
    },
    timeoutMs: 1_000,
    error: ScanTimeoutError,
  },
  {
    name: "Retry-After: 1000000000 on the upload",
    routes: { upload: busy("1000000000") },
    timeoutMs: 2_000,
    error: ServiceUnavailableError,
  },
  {
    name: "Retry-After: 1 on every upload, 3 s deadline",
    routes: { upload: busy("1") },
    timeoutMs: 3_000,
    error: ScanTimeoutError,
  },
  {
    name: "503 without Retry-After, forever",
    routes: { upload: busy() },
    timeoutMs: 2_000,
    error: ScanTimeoutError,
  },
];

describe("a stalling gateway: the library ends by its deadline", () => {
  for (const attack of attacks) {
    it(`${attack.name} (scanFile, timeoutMs ${attack.timeoutMs})`, {
      timeout: 60_000,
    }, async () => {
      await hostileCase(
        `transport: ${attack.name} (library)`,
        { deadlineMs: attack.timeoutMs },
        async (probe) => {
          const gateway = await gatewayWith(attack.routes);
          const outcome = await scanFile(clientOf(gateway), payload(), {
            hashFirst: false,
            timeoutMs: attack.timeoutMs,
          }).then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          );
          if ("error" in outcome) probe.error("scanFile", outcome.error);
          expect(outcome).toHaveProperty("error");
          expect((outcome as { error: unknown }).error).toBeInstanceOf(attack.error);
        },
      );
    });
  }

  it("a plain call against 503 forever ends by the client's deadline", {
    timeout: 30_000,
  }, async () => {
    await hostileCase(
      "transport: 503 forever on a plain call (library)",
      { deadlineMs: 2_000 },
      async (probe) => {
        const gateway = await gatewayWith({ other: busy() });
        const cluster = clientOf(gateway);
        const error = await cluster
          .GET("/file/rules", { timeoutMs: 2_000 })
          .then(({ response }) => response.status)
          .catch((e: unknown) => e);
        probe.output("status", String(error));
        expect(error).toBe(503);
      },
    );
  });
});

describe.skipIf(CLI_SKIP)("a stalling gateway: the built CLI ends by --timeout", () => {
  for (const attack of attacks) {
    it(`${attack.name} (mdkit scan --timeout ${attack.timeoutMs})`, {
      timeout: 60_000,
    }, async () => {
      await hostileCase(
        `transport: ${attack.name} (cli)`,
        { deadlineMs: attack.timeoutMs },
        async (probe) => {
          const gateway = await gatewayWith(attack.routes);
          const run = await cliScan(probe, gateway, [
            "--no-hash-first",
            "--timeout",
            String(attack.timeoutMs),
          ]);
          expect(run.code).toBe(2);
          expect(run.stderr).toMatch(/^mdkit: .+/m);
          expect(run.stdout).not.toMatch(/"verdict":\s*"clean"/);
        },
      );
    });
  }

  it("a session whose every request after login hangs, logout included", {
    timeout: 60_000,
  }, async () => {
    await hostileCase(
      "transport: everything hangs after login, session (cli)",
      // 3 s, not 1 s: the CLI's start, login and bounded logout all count against it.
      { deadlineMs: 3_000 },
      async (probe) => {
        const gateway = await gatewayWith({
          login: (_request, response) =>
            sendJson(response, 200, { session_id: CANARIES.sessionId }),
          upload: acceptThenHang,
          other: hang,
        });
        const run = await cliScan(probe, gateway, ["--no-hash-first", "--timeout", "3000"], "x", {
          MDKIT_CLUSTER_USER: "admin",
          MDKIT_CLUSTER_PASSWORD: CANARIES.password,
        });
        expect(run.code).toBe(2);
        expect(gateway.requests.map((r) => r.url)).toContain("/logout");
      },
    );
  });
});

/** A batch gateway: creates and closes batches, takes uploads, never answers a status request. */
const silentBatch = {
  other: ((request, response) =>
    sendJson(
      response,
      200,
      request.url === "/file/batch" ? { batch_id: "hostile-batch" } : {},
    )) as HostileHandler,
  result: hang,
};

describe("a batch whose status never comes", () => {
  it("ends scanBatch by its deadline, naming the batch", { timeout: 30_000 }, async () => {
    await hostileCase(
      "transport: batch status never answers (library)",
      { deadlineMs: 1_000 },
      async (probe) => {
        const gateway = await gatewayWith(silentBatch);
        const error = await scanBatch(clientOf(gateway), [new Blob(["a"]), new Blob(["b"])], {
          userData: "hostile",
          timeoutMs: 1_000,
          verifyCertificate: false,
        }).catch((e: unknown) => e);
        probe.error("scanBatch", error);
        expect(error).toBeInstanceOf(ScanTimeoutError);
        expect((error as Error).message).toMatch(
          /batch hostile-batch did not finish within 1000 ms/,
        );
      },
    );
  });

  it.skipIf(CLI_SKIP)("ends mdkit batch by --timeout", { timeout: 30_000 }, async () => {
    await hostileCase(
      "transport: batch status never answers (cli)",
      { deadlineMs: 1_000 },
      async (probe) => {
        const gateway = await gatewayWith(silentBatch);
        const dir = await mkdtemp(join(tmpdir(), "mdkit-hostile-batch-"));
        try {
          await writeFile(join(dir, "a.txt"), "a");
          const run = await runBuiltCli(
            ["batch", "--user-data", "hostile", "--timeout", "1000", join(dir, "a.txt")],
            { env: { MDKIT_CLUSTER_URL: gateway.url, MDKIT_CLUSTER_APIKEY: CANARIES.apikey } },
          );
          probe.output("cli stdout", run.stdout);
          probe.output("cli stderr", run.stderr);
          expect(run.code).toBe(2);
          expect(run.stderr).toMatch(/hostile-batch did not finish within 1000 ms/);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });
});
