import { writeFile } from "node:fs/promises";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordWriter } from "../src/output/index.js";
import { renderTable } from "../src/output/table.js";
import { gitignoreGlobs } from "../src/scan/globs.js";
import {
  EICAR,
  jsonl,
  parseCsv,
  run,
  startServer,
  type TestServer,
  tempFiles,
  unique,
} from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

describe("output for people", () => {
  it("tables fit the terminal's width, headers are words, times are ISO 8601", () => {
    const rows = [
      {
        deviceId: "K-1",
        lastSeen: 1_748_736_000_000,
        note: "x".repeat(200),
        upload_time_ms: 1_748_736_000_000,
      },
    ];
    const table = renderTable(rows, ["deviceId", "lastSeen", "note", "upload_time_ms"], {
      width: 80,
    });
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^DEVICE ID\s+LAST SEEN\s+NOTE\s+UPLOAD TIME MS$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toContain("2025-06-01T00:00:00.000Z");
    expect(lines[1]).toMatch(/x…/);
    // A duration in ms is not a point in time.
    expect(lines[1]).toMatch(/1748736000000$/);
  });

  it("CSV writes times as ISO 8601; JSON keeps the milliseconds", async () => {
    const row = { timestamp: 1_748_736_000_000, size: 1_748_736_000_000 };
    let csv = "";
    const csvWriter = createRecordWriter("csv", async (t) => {
      csv += t;
    });
    await csvWriter.write(row);
    await csvWriter.end();
    expect(parseCsv(csv)[0]).toEqual({
      timestamp: "2025-06-01T00:00:00.000Z",
      size: "1748736000000",
    });
    let json = "";
    const jsonWriter = createRecordWriter("jsonl", async (t) => {
      json += t;
    });
    await jsonWriter.write(row);
    expect(JSON.parse(json)).toEqual(row);
  });

  it("cm reports in a table: ISO times and spaced headers", async () => {
    const { code, stdout } = await run(
      ["cm", "reports", "core", "--limit", "3", "--format", "table"],
      {
        env: server.env,
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(stdout.split("\n")[0]).not.toMatch(/[A-Z]{2,}ID\b/);
  });

  it("an infected archive's row names the flagged file inside it", async () => {
    await using dir = await tempFiles({});
    const inner = zipSync({ "eicar.com": strToU8(EICAR) });
    await writeFile(
      dir.file("bundle.zip"),
      zipSync({ "docs/readme.txt": strToU8(unique("fine")), "docs/nested.zip": inner }),
    );
    const { code, stdout } = await run(["scan", dir.file("bundle.zip")], { env: server.env });
    expect(code).toBe(1);
    expect(jsonl(stdout)[0]).toMatchObject({
      verdict: "infected",
      found_in: ["bundle.zip › docs/nested.zip › eicar.com"],
    });
  });

  it("--name names standard input", async () => {
    const { code, stdout } = await run(["scan", "-", "--name", "invoice.pdf"], {
      env: server.env,
      stdin: EICAR,
    });
    expect(code).toBe(1);
    expect(jsonl(stdout)[0]).toMatchObject({ path: "-", name: "invoice.pdf", verdict: "infected" });
    const without = await run(["scan", "x", "--name", "a"], { env: server.env });
    expect(without.stderr).toMatch(/--name names standard input/);
  });

  it("--include and --exclude mean what they mean in .gitignore", async () => {
    await using dir = await tempFiles({
      "a.txt": unique("a"),
      "sub/b.txt": unique("b"),
      "sub/deep/c.txt": unique("c"),
      "sub/d.pdf": unique("d"),
      "tmp/e.txt": unique("e"),
      "docs/f.pdf": unique("f"),
    });
    const names = async (...args: string[]) =>
      jsonl((await run(["scan", dir.path, ...args], { env: server.env })).stdout)
        .map((r) => String(r.path).slice(dir.path.length + 1))
        .sort();
    expect(await names("--include", "*.txt", "--exclude", "tmp")).toEqual([
      "a.txt",
      "sub/b.txt",
      "sub/deep/c.txt",
    ]);
    expect(await names("--include", "docs")).toEqual(["docs/f.pdf"]);
    expect(await names("--include", "/a.txt", "--include", "sub/*.pdf")).toEqual([
      "a.txt",
      "sub/d.pdf",
    ]);
    expect(gitignoreGlobs(["*.txt", "/build/", "docs/*.md", "**/x/**"])).toEqual([
      "**/*.txt",
      "**/*.txt/**",
      "build",
      "build/**",
      "docs/*.md",
      "docs/*.md/**",
      "**/x/**",
    ]);
  });
});

describe("interruptions", () => {
  it("an interrupted run says so and counts the files not scanned (exit 130)", async () => {
    await using slow = await startServer({ cluster: { scanDurationMs: 2_000 } });
    await using dir = await tempFiles(
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, unique(`f${i}`)])),
    );
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 600);
    const { code, stdout, stderr } = await run(["scan", dir.path, "--concurrency", "2"], {
      env: slow.env,
      signal: stop.signal,
    });
    expect(code).toBe(130);
    const rows = jsonl(stdout);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.verdict !== "clean")).toBe(true);
    expect(stderr).toMatch(/mdkit: interrupted: 20 of 20 files not scanned/);
    expect(stderr).toMatch(
      /20 files: 0 clean, 0 infected, 0 failed, 20 not scanned; [\d.]+ s \(interrupted\)/,
    );
  });

  it("Ctrl-C while reading standard input says nothing was scanned, not 'no files'", async () => {
    const { PassThrough } = await import("node:stream");
    const stdin = new PassThrough();
    stdin.write("partial");
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const { main } = await import("../src/index.js");
    let stderr = "";
    const code = await main(["scan", "-"], {
      stdout: { write: () => true },
      stderr: {
        write: (t: string) => {
          stderr += t;
          return true;
        },
      },
      env: server.env,
      stdin,
      signal: stop.signal,
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted while reading standard input: nothing was scanned/);
    expect(stderr).not.toMatch(/no files to scan/);
  });
});
