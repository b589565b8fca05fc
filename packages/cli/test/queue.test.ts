// `mdkit queue add|work|status|results` against a real redis-server and the simulator over HTTP.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REDIS_MISSING, startRedis } from "@mdkit/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { EICAR, jsonl, run, startServer } from "./helpers.js";

const redis = await startRedis();
if (!redis) console.warn(REDIS_MISSING);
afterAll(() => redis?.stop());

let serial = 0;

describe.skipIf(!redis)("mdkit queue", () => {
  const socket = redis?.socket ?? "";

  async function setup(scanDurationMs: number) {
    const server = await startServer({ cluster: { scanDurationMs } });
    const dir = await mkdtemp(join(tmpdir(), "mdkit-cli-queue-"));
    const queue = `cli-${process.pid}-${++serial}`;
    const common = ["--queue", queue, "--redis", socket];
    return {
      server,
      dir,
      common,
      async [Symbol.asyncDispose]() {
        await rm(dir, { recursive: true, force: true });
        await server[Symbol.asyncDispose]();
      },
    };
  }

  it("adds, works, reports status and prints one NDJSON result per job", async () => {
    await using t = await setup(15);
    await writeFile(join(t.dir, "a.txt"), "clean a");
    await writeFile(join(t.dir, "b.txt"), "clean b");
    await writeFile(join(t.dir, "eicar.com"), EICAR);
    await writeFile(join(t.dir, "copy-of-a.txt"), "clean a");
    const added = await run(["queue", "add", t.dir, ...t.common, "--producer", "cli"]);
    expect(added.stderr).toBe("");
    expect(JSON.parse(added.stdout)).toMatchObject({ files: 4, jobs: 3 });

    const stop = new AbortController();
    const working = run(["queue", "work", ...t.common, "--concurrency", "2"], {
      env: t.server.env,
      signal: stop.signal,
    });
    const results = await run(["queue", "results", ...t.common]);
    const lines = jsonl(results.stdout);
    expect(lines).toHaveLength(3);
    const eicar = lines.find((l) => l.name === "eicar.com") as { result: { verdict: string } };
    expect(eicar.result.verdict).toBe("infected");
    // How each result was obtained, and the bytes sent: every file was new to the gateway.
    for (const line of lines) {
      expect(line).toMatchObject({ result: { origin: "upload", fromCache: false } });
      expect((line.result as { uploadedBytes: number }).uploadedBytes).toBeGreaterThan(0);
    }
    // An infected file matches the default --fail-on not-clean.
    expect(results.code).toBe(1);

    const status = await run(["queue", "status", ...t.common, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({
      results: 3,
      verdicts: { clean: 2, infected: 1 },
      producers: { cli: 3 },
      jobs: { completed: 3, failed: 0, active: 0 },
    });
    stop.abort(new Error("interrupted by SIGTERM"));
    const worked = await working;
    expect(worked.code).toBe(0);
    expect(worked.stderr).toContain("stopped after 3 jobs");
  });

  it("on SIGTERM a worker finishes the jobs in progress before it stops", async () => {
    await using t = await setup(600);
    for (let i = 0; i < 3; i++) await writeFile(join(t.dir, `slow-${i}.txt`), `slow ${i}`);
    await run(["queue", "add", t.dir, ...t.common]);
    const stop = new AbortController();
    const working = run(["queue", "work", ...t.common, "--concurrency", "3"], {
      env: t.server.env,
      signal: stop.signal,
    });
    // Stopped while the scans are on the gateway.
    for (;;) {
      const status = JSON.parse((await run(["queue", "status", ...t.common])).stdout);
      if (status.jobs.active > 0 && t.server.sim.state.requestCount("analyzeFile") > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop.abort(new Error("interrupted by SIGTERM"));
    expect((await working).code).toBe(0);
    const status = JSON.parse((await run(["queue", "status", ...t.common])).stdout);
    expect(status.jobs.active).toBe(0);
    expect(status.results).toBe(status.jobs.completed + status.jobs.failed);
    expect(status.results).toBeGreaterThan(0);
  });

  it("--connect-timeout bounds the wait for a Redis that is not there", async () => {
    const missing = join(tmpdir(), `mdkit-no-redis-${process.pid}.sock`);
    const started = Date.now();
    const result = await run(["queue", "status", "--redis", missing, "--connect-timeout", "300"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`could not reach Redis at ${missing} within 300 ms`);
    expect(result.stderr).toContain("--connect-timeout");
    // The default wait is 10 s: only the option can end it this soon (CLI start-up included).
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("--download-max-redirects bounds the redirects a URL may take", async () => {
    await using t = await setup(15);
    // Two redirects, then the file.
    const server = createServer((request, response) => {
      if (request.url === "/file.bin") response.writeHead(302, { location: "/once" }).end();
      else if (request.url === "/once") response.writeHead(302, { location: "/twice" }).end();
      else response.end("the file behind two redirects");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
      const refused = await run([
        "queue",
        "add",
        url,
        ...t.common,
        "--download-max-redirects",
        "1",
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("more than 1 redirects");
      expect(refused.stderr).not.toContain(url);
      const added = await run(["queue", "add", url, ...t.common]);
      expect(added.stderr).toBe("");
      expect(JSON.parse(added.stdout)).toMatchObject({ files: 1, jobs: 1 });
      const bad = await run(["queue", "add", url, ...t.common, "--download-max-redirects", "-1"]);
      expect(bad.code).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("says which setting is wrong for a bad Redis URL", async () => {
    const result = await run(["queue", "status", "--redis", "http://example.test"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unsupported Redis URL scheme");
  });
});
