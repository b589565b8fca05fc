import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EICAR, jsonl, run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

describe("mdkit scan", () => {
  it("exits 0 for a clean file and logs the session out at the end", async () => {
    await using dir = await tempFiles({ "clean.txt": unique("clean") });
    const logouts = server.sim.state.requestCount("logout");
    const { code, stdout, stderr } = await run(["scan", dir.file("clean.txt")], {
      env: server.env,
    });
    expect(stderr).toMatch(/^1 file: 1 clean, 0 infected, 0 failed, 0 not scanned; \d+\.\d s\n$/);
    expect(code).toBe(0);
    const [row] = jsonl(stdout);
    expect(row).toMatchObject({
      path: dir.file("clean.txt"),
      name: "clean.txt",
      verdict: "clean",
      threats: [],
      from_cache: false,
      origin: "upload",
      error: null,
    });
    expect(row?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.data_id).toMatch(/\w+/);
    expect(server.sim.state.requestCount("logout")).toBe(logouts + 1);
  });

  it("exits 1 for EICAR with the verdict and threat in the output; --fail-on decides", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR, "ok.txt": unique("ok") });
    const infected = await run(["scan", dir.file("eicar.com"), dir.file("ok.txt")], {
      env: server.env,
    });
    expect(infected.code).toBe(1);
    const rows = jsonl(infected.stdout);
    expect(rows.find((r) => r.name === "eicar.com")).toMatchObject({ verdict: "infected" });
    expect(String(rows.find((r) => r.name === "eicar.com")?.threats)).toMatch(/EICAR/);
    expect(rows.find((r) => r.name === "ok.txt")).toMatchObject({ verdict: "clean" });

    const suspicious = unique("MDKIT-SUSPICIOUS-TEST-MARKER");
    await using other = await tempFiles({ "s.bin": suspicious });
    const onlyInfected = await run(["scan", other.file("s.bin"), "--fail-on", "infected"], {
      env: server.env,
    });
    expect(jsonl(onlyInfected.stdout)[0]?.verdict).toBe("suspicious");
    expect(onlyInfected.code).toBe(0);
    const notClean = await run(["scan", other.file("s.bin")], { env: server.env });
    expect(notClean.code).toBe(1);
  });

  it("walks a directory recursively with --include and --exclude", async () => {
    await using dir = await tempFiles({
      "a.pdf": unique("a"),
      "b.txt": unique("b"),
      "sub/c.pdf": unique("c"),
      "sub/tmp/d.pdf": unique("d"),
      ".hidden/e.pdf": unique("e"),
    });
    const { code, stdout } = await run(
      ["scan", dir.path, "--include", "**/*.pdf", "--exclude", "**/tmp/**"],
      { env: server.env },
    );
    expect(code).toBe(0);
    const names = jsonl(stdout)
      .map((r) => String(r.path).slice(dir.path.length + 1))
      .sort();
    expect(names).toEqual(["a.pdf", "sub/c.pdf"]);
  });

  it("scans standard input given as -", async () => {
    const { code, stdout } = await run(["scan", "-"], { env: server.env, stdin: EICAR });
    expect(code).toBe(1);
    expect(jsonl(stdout)[0]).toMatchObject({ path: "-", name: "stdin", verdict: "infected" });
  });

  it("reports a missing file as a failure (exit 2), never as clean", async () => {
    await using dir = await tempFiles({ "ok.txt": unique("ok") });
    const { code, stdout, stderr } = await run(
      ["scan", dir.file("ok.txt"), dir.file("missing.txt")],
      { env: server.env },
    );
    expect(code).toBe(2);
    const missing = jsonl(stdout).find(
      (r) => r.name === null || r.path === dir.file("missing.txt"),
    );
    expect(missing).toMatchObject({ verdict: "error" });
    expect(String(missing?.error)).toMatch(/missing\.txt/);
    expect(stderr).toContain("missing.txt");
  });

  it("resumes from --journal: a second run uploads nothing new", async () => {
    await using dir = await tempFiles({ "1.txt": unique("1"), "2.txt": unique("2") });
    const journal = dir.file("scan.journal");
    const args = ["scan", dir.file("1.txt"), dir.file("2.txt"), "--no-hash-first"];
    const before = server.sim.state.requestCount("analyzeFile");
    const first = await run([...args, "--journal", journal], { env: server.env });
    expect(first.code).toBe(0);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(before + 2);
    expect(readFileSync(journal, "utf8")).toContain("finished");

    const second = await run([...args, "--journal", journal], { env: server.env });
    expect(second.code).toBe(0);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(before + 2);
    const ids = (out: string) =>
      jsonl(out)
        .map((r) => r.data_id)
        .sort();
    expect(ids(second.stdout)).toEqual(ids(first.stdout));

    // Without the journal (and without hash-first) the same files would be uploaded again.
    await run(args, { env: server.env });
    expect(server.sim.state.requestCount("analyzeFile")).toBe(before + 4);
  });

  it("refuses a --journal that is a FIFO at once, before any upload", async () => {
    await using dir = await tempFiles({ "1.txt": unique("1") });
    const journal = dir.file("scan.journal");
    execFileSync("mkfifo", [journal]);
    const before = server.sim.state.requestCount("analyzeFile");
    const result = await run(["scan", dir.file("1.txt"), "--journal", journal], {
      env: server.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${journal} is not a regular file: a scan journal must be one`);
    expect(server.sim.state.requestCount("analyzeFile")).toBe(before);
  });

  it("downloads sanitized versions with --sanitized-to", async () => {
    await using dir = await tempFiles({ "doc.txt": unique("doc"), "sub/other.txt": unique("o") });
    const out = dir.file("clean");
    const { code, stdout } = await run(
      ["scan", dir.file("doc.txt"), dir.file("sub"), "--rule", "sanitize", "--sanitized-to", out],
      { env: server.env },
    );
    expect(code).toBe(0);
    const rows = jsonl(stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(String(row.sanitized).startsWith(out)).toBe(true);
      expect(existsSync(String(row.sanitized))).toBe(true);
    }
  });

  it("shows a table and live progress only on a terminal", async () => {
    await using dir = await tempFiles({ "t.txt": unique("t") });
    const tty = await run(["scan", dir.file("t.txt")], { env: server.env, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout.split("\n")[0]).toMatch(/^PATH\s+NAME\s+VERDICT/);
    expect(tty.stderr).toMatch(/1\/1 files 100% · 0 flagged · .* · ETA /);
    expect(tty.stderr).toMatch(/1 file: 1 clean/);

    const piped = await run(["scan", dir.file("t.txt")], { env: server.env });
    expect(piped.stderr).toMatch(
      /^1 file: 1 clean, 0 infected, 0 failed, 0 not scanned; [\d.]+ s\n$/,
    );
  });

  it("exits 2 when nothing matched", async () => {
    await using dir = await tempFiles({ "a.txt": "a" });
    const { code, stderr } = await run(["scan", dir.path, "--include", "*.pdf"], {
      env: server.env,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no files to scan/);
  });
});
