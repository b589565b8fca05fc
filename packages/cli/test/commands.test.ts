import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { symlink } from "node:fs/promises";
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
  it("scans a batch, verifies its certificate against the pinned signer and writes it out", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a"), "b.txt": unique("b") });
    const certificate = dir.file("cert.yaml");
    const { sha1, sha256 } = await server.sim.cluster.signingFingerprints();
    const { code, stdout } = await run(
      [
        "batch",
        dir.file("a.txt"),
        dir.file("b.txt"),
        "--user-data",
        "release 1.4",
        "--certificate-out",
        certificate,
        "--expect-fingerprint",
        sha256.toUpperCase(),
        "--format",
        "json",
      ],
      { env: server.env },
    );
    expect(code).toBe(0);
    const batch = JSON.parse(stdout);
    expect(batch).toMatchObject({
      verdict: "clean",
      certificate: "pinned",
      signer_fingerprint: sha1,
      signer_fingerprint_sha256: sha256,
      certificate_file: certificate,
      contradictions: [],
    });
    expect(batch.files.map((f: { name: string }) => f.name).sort()).toEqual(["a.txt", "b.txt"]);
    expect(readFileSync(certificate, "utf8")).toContain("release 1.4");
  });

  it("picks up a batch that timed out with --resume, and says so on stderr", async () => {
    await using slow = await startServer({ cluster: { scanDurationMs: 1500 } });
    await using dir = await tempFiles({ "a.txt": unique("a"), "b.txt": unique("b") });
    const first = await run(
      ["batch", dir.path, "--user-data", "slow", "--timeout", "600", "--format", "json"],
      { env: slow.env },
    );
    expect(first.code).toBe(2);
    expect(first.stdout).toBe("");
    const batchId = /mdkit batch --resume (\w+)/.exec(first.stderr)?.[1];
    expect(batchId, first.stderr).toBeDefined();

    const resumed = await run(["batch", "--resume", String(batchId), "--format", "json"], {
      env: slow.env,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const batch = JSON.parse(resumed.stdout);
    expect(batch).toMatchObject({ batch_id: batchId, verdict: "clean", contradictions: [] });
    expect(batch.files.map((f: { name: string }) => f.name).sort()).toEqual(["a.txt", "b.txt"]);
    expect(resumed.stderr).toMatch(
      new RegExp(
        `batch ${batchId}: clean; 2 files: 2 clean, 0 infected, 0 failed, 0 not scanned; \\d+\\.\\d s`,
      ),
    );
    expect(slow.sim.state.requestCount("analyzeFile")).toBe(2);
  });

  it("--submitted-out records what was sent; --resume --submitted demands every file of it", async () => {
    await using slow = await startServer({ cluster: { scanDurationMs: 1500 } });
    await using dir = await tempFiles({ "a.txt": unique("a"), "b.txt": unique("b") });
    const list = `${dir.path}/sent.jsonl`;
    const first = await run(
      ["batch", `${dir.path}/a.txt`, `${dir.path}/b.txt`, "--user-data", "slow"].concat([
        "--timeout",
        "600",
        "--submitted-out",
        list,
      ]),
      { env: slow.env },
    );
    expect(first.code).toBe(2);
    const batchId = String(/mdkit batch --resume (\w+)/.exec(first.stderr)?.[1]);
    expect(first.stderr).toContain(`mdkit batch --resume ${batchId} --submitted ${list}`);
    const sent = readFileSync(list, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(sent.map((f) => f.name).sort()).toEqual(["a.txt", "b.txt"]);
    for (const file of sent) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(list).mode & 0o777).toBe(0o600);

    const resumed = await run(
      ["batch", "--resume", batchId, "--submitted", list, "--format", "json"],
      { env: slow.env },
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ verdict: "clean", contradictions: [] });

    // Another batch, holding neither file: its signed result leaves out both files of the list.
    await using other = await tempFiles({ "c.txt": unique("c") });
    const second = await run(["batch", other.path, "--user-data", "other", "--format", "json"], {
      env: slow.env,
    });
    expect(second.code, second.stderr).toBe(0);
    // From the simulator: a printed id may be redacted when it equals a secret an earlier
    // in-process run registered (the simulators of these tests share a seed).
    const otherId = String(slow.sim.cluster.batches.at(-1)?.batchId);
    expect(otherId).not.toBe(batchId);
    const omitted = await run(
      ["batch", "--resume", otherId, "--submitted", list, "--format", "json"],
      { env: slow.env },
    );
    expect(omitted.code).toBe(2);
    const summary = JSON.parse(omitted.stdout);
    expect(summary.verdict).not.toBe("clean");
    const missing = summary.files.filter((f: { name: string }) =>
      ["a.txt", "b.txt"].includes(f.name),
    );
    expect(missing.map((f: { verdict: string }) => f.verdict)).toEqual(["failed", "failed"]);
  });

  it("refuses a --submitted list that is not one, --submitted without --resume, and FIFOs for lists or certificates", async () => {
    await using dir = await tempFiles({ "bad.jsonl": '{"dataId":"abc"}\nnot json\n' });
    const bad = await run(["batch", "--resume", "abc", "--submitted", `${dir.path}/bad.jsonl`], {
      env: server.env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--submitted ${dir.path}/bad.jsonl: line 2: not JSON`);
    const uploadsBefore = server.sim.state.requestCount("analyzeFile");
    const misplaced = await run(
      ["batch", dir.path, "--user-data", "x", "--submitted", `${dir.path}/bad.jsonl`],
      { env: server.env },
    );
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/use it with --resume <batch_id>/);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(uploadsBefore);
    // A FIFO nobody writes to, in the list's place: refused at once, never waited on.
    const fifo = `${dir.path}/fifo.jsonl`;
    execFileSync("mkfifo", [fifo]);
    const piped = await run(["batch", "--resume", "abc", "--submitted", fifo], { env: server.env });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain(`--submitted ${fifo}: not a regular file`);
    await using files = await tempFiles({ "a.txt": unique("a") });
    const outToFifo = await run(
      ["batch", files.path, "--user-data", "x", "--submitted-out", fifo],
      { env: server.env },
    );
    expect(outToFifo.code).toBe(2);
    expect(outToFifo.stderr).toContain(`--submitted-out ${fifo}: cannot write it (ENXIO)`);
    const certificateToFifo = await run(
      ["batch", files.path, "--user-data", "x", "--certificate-out", fifo],
      { env: server.env },
    );
    expect(certificateToFifo.code).toBe(2);
    expect(certificateToFifo.stderr).toContain(
      `--certificate-out ${fifo}: cannot write it (ENXIO)`,
    );
  });

  it("refuses --resume with paths or new-batch options, and a new batch without --user-data", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const both = await run(["batch", dir.path, "--resume", "abc"], { env: server.env });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either paths or --resume <batch_id>, not both/);
    const named = await run(["batch", "--resume", "abc", "--user-data", "x"], { env: server.env });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/leave them out with --resume/);
    const unnamed = await run(["batch", dir.path], { env: server.env });
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(/pass --user-data <text>/);
    const nothing = await run(["batch"], { env: server.env });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/or a batch to pick up with --resume <batch_id>/);
  });

  it("exits 1 for an infected batch; an unpinned signer is never called verified", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR, "ok.txt": unique("ok") });
    const { code, stdout, stderr } = await run(
      ["batch", dir.path, "--user-data", "mixed", "--format", "table"],
      { env: server.env },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/eicar\.com\s+infected/);
    expect(stdout).toMatch(/batch \w+: infected; certificate signature consistent, but its signer/);
    expect(stdout).toMatch(
      /NOT pinned: pass --expect-fingerprint or set MDKIT_BATCH_CERT_FINGERPRINT/,
    );
    expect(`${stdout}${stderr}`).not.toMatch(/verified/i);
    expect(stderr).toMatch(/signer is not pinned/);
  });

  it("pins the signer from MDKIT_BATCH_CERT_FINGERPRINT; another signer fails with exit 2", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const { sha1 } = await server.sim.cluster.signingFingerprints();
    const colons = sha1.match(/../g)?.join(":") ?? "";
    const pinned = await run(["batch", dir.path, "--user-data", "env pin", "--format", "table"], {
      env: { ...server.env, MDKIT_BATCH_CERT_FINGERPRINT: ` ${colons}\n` },
    });
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toMatch(/certificate verified against the pinned signer/);
    expect(pinned.stderr).toMatch(
      /^batch \w+: clean; 1 file: 1 clean, 0 infected, 0 failed, 0 not scanned; \d+\.\d s\n$/,
    );

    const other = await run(["batch", dir.path, "--user-data", "wrong pin"], {
      env: { ...server.env, MDKIT_BATCH_CERT_FINGERPRINT: "ab".repeat(32) },
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/unexpected certificate/);
    expect(other.stdout).toBe("");

    const malformed = await run(
      ["batch", dir.path, "--user-data", "x", "--expect-fingerprint", "xyz"],
      {
        env: server.env,
      },
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--expect-fingerprint must be a SHA-1/);
  });

  it("refuses a folder with entries it would not scan, unless --allow-skipped", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    await symlink(dir.file("a.txt"), dir.file("link.txt"));
    const refused = await run(["batch", dir.path, "--user-data", "links"], { env: server.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/link\.txt was not scanned: it is a symbolic link/);
    expect(refused.stderr).toMatch(/--allow-skipped/);
    const batches = server.sim.cluster.batches.length;
    const allowed = await run(
      ["batch", dir.path, "--user-data", "links", "--allow-skipped", "--format", "json"],
      { env: server.env },
    );
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).files).toHaveLength(1);
    expect(allowed.stderr).toMatch(/link\.txt was not scanned/);
    expect(server.sim.cluster.batches.length).toBe(batches + 1);
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
