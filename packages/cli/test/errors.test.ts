import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSimulator, DEFAULT_CREDENTIALS } from "@mdkit/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BinResult, built, spawnBin } from "./bin-helpers.js";
import { CORE_KEY, jsonl, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

/** Secrets that must never show up in any output. */
const PASSWORD = "canary-wrong-password-61d0f3";
const CORE_APIKEY = "canary-core-apikey-2b77e9";

/** One message on stderr (the summary line aside), no line twice, no secret, exit 2. */
function expectOneMessage(result: BinResult, fix: RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  const messages = lines.filter((line) => line.startsWith("mdkit: "));
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(fix);
  expect(new Set(lines).size).toBe(lines.length);
  for (const secret of [PASSWORD, CORE_APIKEY]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe.skipIf(!built)("errors of the built mdkit: one message naming the fix", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.sim.close());

  it("a wrong password while scanning 200 files stops once, names MDKIT_CLUSTER_PASSWORD, scans nothing", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`f${i}.txt`, unique(`f${i}`)]),
    );
    await using dir = await tempFiles(files);
    const uploads = server.sim.state.requestCount("analyzeFile");
    const result = await spawnBin(["scan", dir.path], {
      ...server.env,
      MDKIT_CLUSTER_PASSWORD: PASSWORD,
    }).done;
    expectOneMessage(
      result,
      /refused the user name or password \(HTTP 403 on login: [^)]*\): check MDKIT_CLUSTER_USER \/ MDKIT_CLUSTER_PASSWORD/,
    );
    const rows = jsonl(result.stdout);
    expect(rows).toHaveLength(200);
    expect(rows.every((row) => row.verdict === "not scanned")).toBe(true);
    expect(result.stderr).toMatch(/200 files: 0 clean, 0 infected, 0 failed, 200 not scanned/);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(uploads);
  });

  it("a gateway that is not running: is the gateway running at <url>?", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const result = await spawnBin(["scan", dir.file("a.txt")], {
      ...server.env,
      MDKIT_CLUSTER_URL: "http://127.0.0.1:9",
    }).done;
    expectOneMessage(
      result,
      /is the gateway running at http:\/\/127\.0\.0\.1:9\? Check MDKIT_CLUSTER_URL/,
    );
    expect(jsonl(result.stdout)[0]).toMatchObject({ verdict: "not scanned" });
  });

  it("--url pointing at Central Management: not a Cluster gateway", async () => {
    await using sim = createSimulator();
    const cm = await sim.listen({ api: "cm" });
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const result = await spawnBin(["--url", cm.url, "scan", dir.file("a.txt")], server.env).done;
    expectOneMessage(
      result,
      /answered 404 to POST \/login: it is not a Cluster gateway\. Check --url/,
    );
  });

  it("a URL without a scheme says the form expected", async () => {
    const result = await spawnBin(["--url", "127.0.0.1:8899", "rules"], server.env).done;
    expectOneMessage(result, /--url is not an http\(s\) URL.*expected http:\/\/host:port/);
  });

  it("a missing file is its own failure with the path, and the rest is scanned", async () => {
    await using dir = await tempFiles({ "ok.txt": unique("ok") });
    const result = await spawnBin(["scan", dir.file("ok.txt"), dir.file("missing.txt")], server.env)
      .done;
    expectOneMessage(result, /missing\.txt: no such file or directory/);
    expect(result.stderr).not.toMatch(/ENOENT/);
    expect(jsonl(result.stdout).find((r) => r.verdict === "clean")).toBeDefined();
  });

  it("a misspelled rule points at mdkit rules", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a"), "b.txt": unique("b") });
    const result = await spawnBin(["scan", dir.path, "--rule", "mutliscan"], server.env).done;
    expectOneMessage(result, /no rule "mutliscan": run mdkit rules/);
  });

  it("a download without a sanitized version says so", async () => {
    await using dir = await tempFiles({});
    const result = await spawnBin(["download", "f".repeat(32), `${dir.path}/`], server.env).done;
    expectOneMessage(result, /no sanitized version of f{32}/);
  });

  it("a download into a folder that does not exist names the folder, not a temporary file", async () => {
    await using dir = await tempFiles({ "doc.txt": unique("doc") });
    const scanned = await spawnBin(["scan", dir.file("doc.txt"), "--rule", "sanitize"], server.env)
      .done;
    const dataId = String(jsonl(scanned.stdout)[0]?.data_id);
    const target = join(dir.path, "no", "such", "doc.txt");
    const result = await spawnBin(["download", dataId, target], server.env).done;
    expectOneMessage(result, /the folder .*no\/such does not exist: create it first/);
    expect(result.stderr).not.toMatch(/\.part/);
  });

  it("a Core refusing its API key through a direct connection names MDKIT_CORE_APIKEY", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const result = await spawnBin(
      ["core", "--deployment", "MDCORE-SIM-0001", "scan", dir.file("a.txt")],
      { ...server.env, MDKIT_CORE_APIKEY: CORE_APIKEY },
    ).done;
    expectOneMessage(result, /refused its API key .*set MDKIT_CORE_APIKEY/);
    // The right key works through the same connection.
    const ok = await spawnBin(
      ["core", "--deployment", "MDCORE-SIM-0001", "scan", dir.file("a.txt")],
      {
        ...server.env,
        MDKIT_CORE_APIKEY: CORE_KEY,
      },
    ).done;
    expect(ok.code).toBe(0);
  });

  it("a refused API key names MDKIT_CLUSTER_APIKEY", async () => {
    const result = await spawnBin(["rules"], {
      MDKIT_CLUSTER_URL: server.url,
      MDKIT_CLUSTER_APIKEY: CORE_APIKEY,
    }).done;
    expectOneMessage(result, /refused the API key .*check MDKIT_CLUSTER_APIKEY/);
  });
});

describe("the user and password named in the message come from where they were set", () => {
  it("a profile's password refused names the profile key and mdkit login", async () => {
    await using server = await startServer();
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const configDir = join(dir.path, "config");
    await mkdir(configDir);
    await writeFile(
      join(configDir, "config.json"),
      JSON.stringify({
        profiles: {
          work: {
            "cluster-url": server.url,
            "cluster-user": DEFAULT_CREDENTIALS.cluster.user,
            "cluster-password": PASSWORD,
          },
        },
      }),
      { mode: 0o600 },
    );
    const { run } = await import("./helpers.js");
    const result = await run(["--profile", "work", "scan", dir.file("a.txt")], {
      env: { MDKIT_CONFIG_DIR: configDir },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /check cluster-user of profile "work" \/ cluster-password of profile "work", or run mdkit --profile work login/,
    );
    expect(result.stderr).not.toContain(PASSWORD);
  });
});
