import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { collector, jsonl, run, tempFiles } from "./helpers.js";

describe("mdkit simulator", () => {
  it("serves both APIs until its signal aborts, and the other commands work against it", async () => {
    const stop = new AbortController();
    const stdout = collector();
    const stderr = collector();
    // A key of this test's own: once used, a secret is scrubbed from every later output of the process.
    const running = main(
      [
        "simulator",
        "--port",
        "0",
        "--scan-ms",
        "10",
        "--json",
        "--core-apikey",
        "sim-test-core-key-1",
      ],
      {
        stdout,
        stderr,
        env: {},
        signal: stop.signal,
      },
    );
    await expect.poll(() => stdout.text, { timeout: 5_000 }).toMatch(/\n$/);
    const info = JSON.parse(stdout.text);
    expect(info.cluster).toMatchObject({ user: "admin", password: "admin" });
    expect(info.core).toEqual({
      apikey: "sim-test-core-key-1",
      deployments: ["MDCORE-SIM-0001", "MDICAP-SIM-0001"],
    });
    expect(info.batchSigner.sha256).toMatch(/^[0-9a-f]{64}$/i);

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
    // The printed Core key works through a direct connection, and the printed signer pins batches.
    const coreEnv = {
      ...env,
      MDKIT_CORE_APIKEY: info.core.apikey,
      MDKIT_BATCH_CERT_FINGERPRINT: info.batchSigner.sha256,
    };
    const core = await run(["core", "--deployment", info.core.deployments[0], "rules"], {
      env: coreEnv,
    });
    expect(core.code).toBe(0);
    await using dir = await tempFiles({ "a.txt": "a" });
    const batch = await run(["batch", dir.path, "--user-data", "pinned", "--format", "json"], {
      env: coreEnv,
    });
    expect(JSON.parse(batch.stdout)).toMatchObject({ certificate: "pinned", verdict: "clean" });

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
    expect(stdout.text).toMatch(/export MDKIT_CORE_APIKEY=mdkit-demo-core-apikey/);
    expect(stdout.text).toMatch(/export MDKIT_BATCH_CERT_FINGERPRINT=[0-9a-f]{64}/i);
    expect(stdout.text).toMatch(/deployments MDCORE-SIM-0001/);
    stop.abort();
    await expect(running).resolves.toBe(0);
  });

  it("takes the simulator's options: --auth-failures 401 answers a bad key with 401, --anonymous needs none", async () => {
    const stop = new AbortController();
    const stdout = collector();
    const running = main(
      [
        "simulator",
        "--port",
        "0",
        "--json",
        "--auth-failures",
        "401",
        "--anonymous",
        "--user",
        "u1",
        "--password",
        "p1",
      ],
      { stdout, stderr: collector(), env: {}, signal: stop.signal },
    );
    await expect.poll(() => stdout.text, { timeout: 5_000 }).toMatch(/\n$/);
    const info = JSON.parse(stdout.text);
    expect(info.cluster).toMatchObject({ user: "u1", password: "p1" });
    const bad = await fetch(`${info.cluster.url}/file/rules`, { headers: { apikey: "wrong" } });
    expect(bad.status).toBe(401);
    await bad.body?.cancel();
    const anonymous = await fetch(`${info.cluster.url}/file/rules`);
    expect(anonymous.status).toBe(200);
    await anonymous.body?.cancel();
    stop.abort();
    await expect(running).resolves.toBe(0);
  });
});
