import { describe, expect, it } from "vitest";
import { EICAR, jsonl, run, startServer, tempFiles, unique } from "./helpers.js";

describe("mdkit scan --callback-listen", () => {
  it("receives results from the gateway's callbacks: one GET per file, verdicts the gateway's", async () => {
    await using server = await startServer({ cluster: { callbacks: {} } });
    await using dir = await tempFiles({ "eicar.com": EICAR, "ok.txt": unique("ok") });
    const { code, stdout } = await run(
      ["scan", "--no-hash-first", "--callback-listen", "127.0.0.1:0", dir.path],
      { env: server.env },
    );
    expect(code).toBe(1);
    const rows = jsonl(stdout);
    expect(rows.find((r) => r.name === "eicar.com")).toMatchObject({ verdict: "infected" });
    expect(rows.find((r) => r.name === "ok.txt")).toMatchObject({ verdict: "clean" });
    expect(server.sim.state.requestCount("getAnalysisResult")).toBe(2);
    const calls = server.sim.cluster.callbacks;
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mdkit-callbacks\/[\w-]{43}$/);
      expect(call.statuses).toEqual([200]);
    }
  });

  it("refuses a listening address on every interface without --callback-public-url (exit 2)", async () => {
    await using server = await startServer();
    await using dir = await tempFiles({ "ok.txt": unique("ok") });
    const { code, stderr } = await run(
      ["scan", "--callback-listen", "0.0.0.0:0", dir.file("ok.txt")],
      { env: server.env },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/--callback-public-url/);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(0);
  });

  it("explains a public URL that would carry credentials, and a malformed address", async () => {
    await using server = await startServer();
    await using dir = await tempFiles({ "ok.txt": unique("ok") });
    const credentials = await run(
      [
        "scan",
        "--callback-listen",
        "127.0.0.1:0",
        "--callback-public-url",
        "http://user:hunter2@10.0.0.5:8081/hooks",
        dir.file("ok.txt"),
      ],
      { env: server.env },
    );
    expect(credentials.code).toBe(2);
    expect(credentials.stderr).toMatch(/carries credentials/);
    expect(credentials.stderr).not.toContain("hunter2");
    const malformed = await run(["scan", "--callback-listen", "8081", dir.file("ok.txt")], {
      env: server.env,
    });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/expected <host:port>/);
  });
});
