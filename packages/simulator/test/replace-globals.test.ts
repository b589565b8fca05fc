import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { createClusterClient, HttpError, isNotFoundResult, unwrap } from "@mdkit/cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { EICAR } from "./cluster-helpers.js";

/** The built simulator: the child process below imports it (the tests of it are skipped without a build). */
const DIST = resolve(import.meta.dirname, "../dist/index.js");
const built = existsSync(DIST);
if (!built) {
  console.warn(
    `[@mdkit/simulator] skipping the replaceGlobals tests: ${DIST} is missing (run "pnpm build" first)`,
  );
}

describe("listen() and the process's globals", () => {
  it("leaves the global Request and Response alone by default", async () => {
    const request = globalThis.Request;
    const response = globalThis.Response;
    const sim = createSimulator();
    try {
      const server = await sim.listen();
      const answer = await fetch(`${server.url}/version`);
      await answer.body?.cancel();
      expect(globalThis.Request).toBe(request);
      expect(globalThis.Response).toBe(response);
    } finally {
      await sim.close();
    }
  });
});

// The lighter globals would leak into every other test of this process: the simulator runs in a child.
describe.skipIf(!built)("listen({ replaceGlobals: true }) in a process of its own", () => {
  let dir: string;
  let url: string;
  let replaced: boolean;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdkit-sim-globals-"));
    const script = join(dir, "serve.mjs");
    await writeFile(
      script,
      [
        `import { createSimulator } from ${JSON.stringify(pathToFileURL(DIST).href)};`,
        `const sim = createSimulator({ cluster: { apiKeys: ["right-key"] } });`,
        "const before = globalThis.Response;",
        `const server = await sim.listen({ replaceGlobals: true });`,
        "console.log(JSON.stringify({ url: server.url, replaced: globalThis.Response !== before }));",
        `process.stdin.on("end", () => sim.close().then(() => process.exit(0)));`,
        "process.stdin.resume();",
      ].join("\n"),
    );
    const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    stop = async () => {
      child.stdin.end();
      await exited;
    };
    const [line] = await createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then(({ value }) => [value as string]);
    ({ url, replaced } = JSON.parse(line as string) as { url: string; replaced: boolean });
  });

  afterAll(async () => {
    await stop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses the adapter's classes and answers as strictly as before", async () => {
    expect(replaced).toBe(true);
    const cluster = createClusterClient({ baseUrl: url, auth: () => ({ apikey: "right-key" }) });
    const upload = async (content: string) => {
      const body = new TextEncoder().encode(content);
      const { data_id } = await unwrap(
        cluster.POST("/file", {
          body,
          params: { header: { "Content-Length": body.byteLength, filename: "sample.txt" } },
        }),
      );
      for (;;) {
        const result = await unwrap(
          cluster.GET("/file/{data_id}", { params: { path: { data_id } } }),
        );
        if (isNotFoundResult(result)) throw new Error(`${data_id} is not found`);
        if ((result.scan_results?.progress_percentage ?? 0) >= 100) return result;
        await new Promise((done) => setTimeout(done, 20));
      }
    };
    expect((await upload(EICAR)).scan_results?.scan_all_result_i).toBe(1);
    expect((await upload("plain text")).scan_results?.scan_all_result_i).toBe(0);

    const stranger = createClusterClient({ baseUrl: url, auth: () => ({ apikey: "wrong-key" }) });
    const refused = await unwrap(
      stranger.POST("/file", {
        body: new TextEncoder().encode("x"),
        params: { header: { "Content-Length": 1 } },
      }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
  });
});
