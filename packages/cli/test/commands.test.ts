import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EICAR, jsonl, run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

describe("mdkit hash", () => {
  it("prints the verdict of a known hash and 'not found' for an unknown one", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR });
    const scanned = jsonl((await run(["scan", dir.file("eicar.com")], { env: server.env })).stdout);
    const sha256 = String(scanned[0]?.sha256);
    const unknown = "0".repeat(64);
    const uploads = server.sim.state.requestCount("analyzeFile");
    const { code, stdout } = await run(["hash", sha256, unknown], { env: server.env });
    expect(code).toBe(1);
    expect(jsonl(stdout)).toEqual([
      expect.objectContaining({ hash: sha256, status: "found", verdict: "infected" }),
      expect.objectContaining({ hash: unknown, status: "not-found", verdict: "not found" }),
    ]);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(uploads);

    const notFound = await run(["hash", unknown], { env: server.env });
    expect(notFound.code).toBe(0);
  });

  it("refuses something that is not a hash (exit 2)", async () => {
    const { code, stderr } = await run(["hash", "xyz"], { env: server.env });
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a hash/);
  });
});

describe("mdkit rules", () => {
  it("lists the gateway's rules and size limits", async () => {
    const { code, stdout } = await run(["rules", "--format", "json"], { env: server.env });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { name: "multiscan", max_file_size: 1024 * 1024 * 1024 },
      { name: "sanitize", max_file_size: 1024 * 1024 * 1024 },
      { name: "strict", max_file_size: 1024 * 1024 },
    ]);
  });
});

describe("mdkit batch", () => {
  it("scans a batch, verifies its certificate and writes it out", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a"), "b.txt": unique("b") });
    const certificate = dir.file("cert.yaml");
    const { code, stdout } = await run(
      [
        "batch",
        dir.file("a.txt"),
        dir.file("b.txt"),
        "--user-data",
        "release 1.4",
        "--certificate-out",
        certificate,
        "--format",
        "json",
      ],
      { env: server.env },
    );
    expect(code).toBe(0);
    const batch = JSON.parse(stdout);
    expect(batch).toMatchObject({
      verdict: "clean",
      certificate_verified: true,
      signer_fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/i),
      certificate_file: certificate,
    });
    expect(batch.files.map((f: { name: string }) => f.name).sort()).toEqual(["a.txt", "b.txt"]);
    expect(readFileSync(certificate, "utf8")).toContain("release 1.4");
  });

  it("exits 1 for an infected batch, and prints the verdict and signer in a table", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR, "ok.txt": unique("ok") });
    const { code, stdout } = await run(
      ["batch", dir.path, "--user-data", "mixed", "--format", "table"],
      { env: server.env },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/eicar\.com\s+infected/);
    expect(stdout).toMatch(/batch \w+: infected; certificate verified, signed by [0-9a-f]{40}/i);
  });

  it("needs --user-data (exit 2)", async () => {
    const { code, stderr } = await run(["batch", "x"], { env: server.env });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--user-data/);
  });
});

describe("mdkit download", () => {
  it("downloads a sanitized file, and refuses to replace it without --overwrite", async () => {
    await using dir = await tempFiles({ "doc.txt": unique("doc") });
    const scanned = jsonl(
      (await run(["scan", dir.file("doc.txt"), "--rule", "sanitize"], { env: server.env })).stdout,
    );
    const dataId = String(scanned[0]?.data_id);
    const target = dir.file("out/doc.clean.txt");
    const into = `${dir.file("out")}/`;
    const first = await run(["download", dataId, into], { env: server.env });
    expect(first.code).toBe(0);
    const written = first.stdout.trim();
    expect(existsSync(written)).toBe(true);

    const again = await run(["download", dataId, into], { env: server.env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --overwrite/);
    expect((await run(["download", dataId, into, "--overwrite"], { env: server.env })).code).toBe(
      0,
    );

    const named = await run(["download", dataId, target], { env: server.env });
    expect(named).toMatchObject({ code: 0, stdout: `${target}\n` });
  });

  it("exits 2 for a data_id without a sanitized version", async () => {
    const { code, stderr } = await run(["download", "f".repeat(32), "/tmp/"], {
      env: server.env,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^mdkit: /);
  });
});
