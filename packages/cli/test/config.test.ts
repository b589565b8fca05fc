import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

/** Secrets that must never show up in any output. */
const CANARIES = {
  MDKIT_CLUSTER_APIKEY: "canary-apikey-7d1f0b9e",
  MDKIT_CLUSTER_PASSWORD: "canary-password-4c2a8e61",
  MDKIT_CM_CLIENT_SECRET: "canary-client-secret-91be33",
  MDKIT_CORE_APIKEY: "canary-core-apikey-5e0c7a",
};

function expectNoCanary(output: { stdout: string; stderr: string }) {
  for (const secret of Object.values(CANARIES)) {
    expect(output.stdout).not.toContain(secret);
    expect(output.stderr).not.toContain(secret);
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

describe("configuration errors", () => {
  it.each([
    [
      "the Cluster URL",
      ["rules"],
      { MDKIT_CLUSTER_PASSWORD: CANARIES.MDKIT_CLUSTER_PASSWORD, MDKIT_CLUSTER_USER: "u" },
      /MDKIT_CLUSTER_URL/,
    ],
    ["Cluster credentials", ["--url", "http://127.0.0.1:9", "rules"], {}, /MDKIT_CLUSTER_APIKEY/],
    [
      "the Cluster password",
      ["rules"],
      { MDKIT_CLUSTER_URL: "http://127.0.0.1:9", MDKIT_CLUSTER_USER: "admin" },
      /MDKIT_CLUSTER_PASSWORD/,
    ],
    [
      "the CM client id",
      ["cm", "kiosks"],
      { MDKIT_CM_CLIENT_SECRET: CANARIES.MDKIT_CM_CLIENT_SECRET },
      /MDKIT_CM_CLIENT_ID/,
    ],
    [
      "the CM client secret",
      ["cm", "instances"],
      { MDKIT_CM_CLIENT_ID: "id" },
      /MDKIT_CM_CLIENT_SECRET/,
    ],
    [
      "a valid CM region",
      ["cm", "kiosks"],
      {
        MDKIT_CM_CLIENT_ID: "id",
        MDKIT_CM_CLIENT_SECRET: CANARIES.MDKIT_CM_CLIENT_SECRET,
        MDKIT_CM_REGION: "mars",
      },
      /MDKIT_CM_REGION/,
    ],
  ])("missing %s: one line naming it, exit 2, no secret", async (_what, argv, env, pattern) => {
    const result = await run([...argv, "--debug"], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expectNoCanary(result);
  });

  it("a refused password never appears, even with --debug", async () => {
    await using dir = await tempFiles({ "f.txt": unique("f") });
    const result = await run(["scan", dir.file("f.txt"), "--debug"], {
      env: { ...server.env, MDKIT_CLUSTER_PASSWORD: CANARIES.MDKIT_CLUSTER_PASSWORD },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused the user name or password/);
    expect(result.stderr).toMatch(/"status": 403/);
    expectNoCanary(result);
  });

  it("a refused API key and CM secret never appear, even with --debug", async () => {
    const cluster = await run(["rules", "--debug"], {
      env: { MDKIT_CLUSTER_URL: server.url, MDKIT_CLUSTER_APIKEY: CANARIES.MDKIT_CLUSTER_APIKEY },
    });
    expect(cluster.code).toBe(2);
    // The gateway document's refusal of an invalid apikey on GET /file/rules.
    expect(cluster.stderr).toMatch(/403/);
    expectNoCanary(cluster);

    const cm = await run(["cm", "reports", "core", "--debug"], {
      env: { ...server.env, MDKIT_CM_CLIENT_SECRET: CANARIES.MDKIT_CM_CLIENT_SECRET },
    });
    expect(cm.code).toBe(2);
    expectNoCanary(cm);

    const core = await run(["core", "--deployment", "MDCORE-SIM-0001", "rules", "--debug"], {
      env: { ...server.env, MDKIT_CORE_APIKEY: CANARIES.MDKIT_CORE_APIKEY },
    });
    expect(core.code).toBe(2);
    expect(core.stderr).toMatch(/403/);
    expectNoCanary(core);
  });

  it("scrubs a secret out of anything printed on stderr", async () => {
    const result = await run(["scan", `--${CANARIES.MDKIT_CLUSTER_APIKEY}`], {
      env: { MDKIT_CLUSTER_APIKEY: CANARIES.MDKIT_CLUSTER_APIKEY },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("[REDACTED]");
    expectNoCanary(result);
  });
});

describe("usage", () => {
  it("--help and --version exit 0 on stdout; bad usage exits 2", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: mdkit/);
    for (const command of ["scan", "hash", "rules", "batch", "download", "simulator"]) {
      const sub = await run([command, "--help"]);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toMatch(/Examples:/);
    }
    for (const command of [
      ["cm", "reports"],
      ["cm", "kiosks"],
      ["cm", "instances"],
      ["core", "scan"],
      ["core", "rules"],
    ]) {
      const sub = await run([...command, "--help"]);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toMatch(/Examples:/);
    }
    const version = await run(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });

    expect((await run(["nope"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(["scan", "a", "--concurrency", "0"])).code).toBe(2);
    expect((await run(["scan", "a", "--format", "xml"])).code).toBe(2);
    expect((await run(["scan", "-", "-"], { env: server.env, stdin: "x" })).code).toBe(2);
  });
});
