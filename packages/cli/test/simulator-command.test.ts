import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { collector, jsonl, run } from "./helpers.js";

describe("mdkit simulator", () => {
  it("serves both APIs until its signal aborts, and the other commands work against it", async () => {
    const stop = new AbortController();
    const stdout = collector();
    const stderr = collector();
    const running = main(["simulator", "--port", "0", "--scan-ms", "10", "--json"], {
      stdout,
      stderr,
      env: {},
      signal: stop.signal,
    });
    await expect.poll(() => stdout.text, { timeout: 5_000 }).toMatch(/\n$/);
    const info = JSON.parse(stdout.text);
    expect(info.cluster).toMatchObject({ user: "admin", password: "admin" });

    const env = {
      MDKIT_CLUSTER_URL: info.cluster.url,
      MDKIT_CLUSTER_USER: info.cluster.user,
      MDKIT_CLUSTER_PASSWORD: info.cluster.password,
      MDKIT_CM_URL: info.cm.url,
      MDKIT_CM_CLIENT_ID: info.cm.clientId,
      MDKIT_CM_CLIENT_SECRET: info.cm.clientSecret,
    };
    const rules = await run(["rules"], { env });
    expect(rules.code).toBe(0);
    expect(jsonl(rules.stdout).length).toBeGreaterThan(0);
    expect((await run(["cm", "kiosks"], { env })).code).toBe(0);

    stop.abort();
    await expect(running).resolves.toBe(0);
    await expect(run(["rules"], { env })).resolves.toMatchObject({ code: 2 });
  });

  it("prints the URLs, credentials and exports as text", async () => {
    const stop = new AbortController();
    const stdout = collector();
    const running = main(["simulator", "--port", "0", "--cm-port", "0"], {
      stdout,
      stderr: collector(),
      env: {},
      signal: stop.signal,
    });
    await expect.poll(() => stdout.text, { timeout: 5_000 }).toMatch(/MDKIT_CM_URL/);
    expect(stdout.text).toMatch(/Cluster gateway\s+http:\/\/127\.0\.0\.1:\d+\s+user admin/);
    expect(stdout.text).toMatch(/export MDKIT_CLUSTER_URL=http:\/\/127\.0\.0\.1:\d+/);
    stop.abort();
    await expect(running).resolves.toBe(0);
  });
});
