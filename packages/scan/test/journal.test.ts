// ScanJournal: an interrupted run resumes without uploading again what the gateway accepted.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFile, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  fromPath,
  InvalidInputError,
  type ScanFilesItem,
  ScanJournal,
  scanFiles,
} from "../src/node/index.js";
import { collect, EICAR, setup, tempDir } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

/** `n` files on disk with distinct content, file `i` about `i × padKiB` KiB; file 5 is EICAR. */
async function makeFiles(n: number, padKiB = 0): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir.path, `f${String(i).padStart(2, "0")}.txt`);
    const text = `content of file ${i}`.padEnd(i * padKiB * 1024, ".");
    await writeFile(path, i === 5 ? EICAR : text);
    paths.push(path);
  }
  return paths;
}

const byName = (items: ScanFilesItem[]) =>
  new Map(items.map((item) => [item.source?.name, item] as const));

describe("ScanJournal", () => {
  it("resumes an interrupted run: every file gets a result, each content uploaded once across runs", async () => {
    // File i takes 100 ms + 40 ms × i: the interruption finds some still running.
    await using env = setup({ cluster: { scanDurationMs: 100, scanMsPerMiB: 10_240 } });
    const paths = await makeFiles(20, 4);
    const journalPath = join(dir.path, "scan.journal");

    // Run 1: the first 12 files are handed over at once; the rest only later,
    // so the interruption comes while 12 are accepted and none is uploading.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* gated() {
      yield* paths.slice(0, 12);
      await gate;
      yield* paths.slice(12);
    }
    const options = { hashFirst: false, concurrency: { initial: 12, max: 12 } };
    const journal1 = await ScanJournal.open(journalPath);
    const firstRun: ScanFilesItem[] = [];
    const accepted: string[] = [];
    let running = 0;
    for await (const item of scanFiles(env.cluster, gated(), {
      ...options,
      journal: journal1,
      onSubmitted: (_source, dataId) => {
        accepted.push(dataId);
      },
    })) {
      firstRun.push(item);
      // Interrupted once every file handed over was accepted and a few finished.
      if (firstRun.length >= 3 && accepted.length === 12) {
        running = accepted.filter((id) => !env.sim.cluster.file(id)?.state.finished).length;
        break;
      }
    }
    await journal1.close();
    release();
    expect(firstRun.every((item) => item.ok)).toBe(true);
    expect(accepted).toHaveLength(12);
    expect(running).toBeGreaterThan(0);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(12);
    // Accepted but not all finished when interrupted.
    expect(env.sim.state.requestCount("cancelAnalysis")).toBe(0);

    // Run 2, same files, journal reopened.
    await using journal2 = await ScanJournal.open(journalPath);
    const secondRun = await collect(
      scanFiles(env.cluster, paths, { ...options, journal: journal2 }),
    );
    expect(secondRun).toHaveLength(20);
    expect(secondRun.filter((item) => !item.ok)).toEqual([]);
    const results = byName(secondRun);
    for (const path of paths.slice(0, 12)) {
      const item = results.get(path.split("/").pop());
      // Polled from the journal's data_id: nothing sent by this run.
      expect(item?.ok && [item.result.origin, item.result.uploadedBytes]).toEqual(["resumed", 0]);
    }
    for (const path of paths.slice(12)) {
      const item = results.get(path.split("/").pop());
      expect(item?.ok && item.result.origin).toBe("upload");
      expect(item?.ok && item.result.uploadedBytes).toBeGreaterThan(0);
    }
    const eicar = results.get("f05.txt");
    expect(eicar?.ok && eicar.result.verdict).toBe("infected");

    expect(env.sim.state.uploadsByHash.size).toBe(20);
    expect([...env.sim.state.uploadsByHash.values()].every((n) => n === 1)).toBe(true);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(20);
  });

  it("uploads again a file whose content changed between runs, not one merely touched", async () => {
    await using env = setup();
    const paths = await makeFiles(4);
    const journalPath = join(dir.path, "scan.journal");
    {
      await using journal = await ScanJournal.open(journalPath);
      const items = await collect(scanFiles(env.cluster, paths, { hashFirst: false, journal }));
      expect(items.every((item) => item.ok)).toBe(true);
    }
    expect(env.sim.state.requestCount("analyzeFile")).toBe(4);

    const changed = paths[1] as string;
    await writeFile(changed, "new and longer content of file 1");
    const touched = paths[2] as string;
    const later = new Date(Date.now() + 60_000);
    await utimes(touched, later, later); // same bytes, new mtime

    await using journal = await ScanJournal.open(journalPath);
    const items = byName(
      await collect(scanFiles(env.cluster, paths, { hashFirst: false, journal })),
    );
    // Keyed by content: the touched file has the same bytes, so its submission is reused.
    expect(env.sim.state.requestCount("analyzeFile")).toBe(5);
    const fresh = (name: string) => {
      const item = items.get(name);
      return item?.ok ? item.result.origin === "upload" : undefined;
    };
    expect([fresh("f00.txt"), fresh("f01.txt"), fresh("f02.txt"), fresh("f03.txt")]).toEqual([
      false,
      true,
      false,
      false,
    ]);
    const newHash = createHash("sha256")
      .update(await readFile(changed))
      .digest("hex");
    expect(env.sim.state.uploadsByHash.get(newHash)).toBe(1);
  });

  it("ignores a torn last line, and records the next entry intact", async () => {
    await using env = setup();
    const paths = await makeFiles(3);
    const journalPath = join(dir.path, "scan.journal");
    {
      await using journal = await ScanJournal.open(journalPath);
      await collect(scanFiles(env.cluster, paths.slice(0, 2), { hashFirst: false, journal }));
    }
    // A crash while writing: half a line, no newline.
    await appendFile(journalPath, '{"t":"submitted","key":"/gone/half-writ');

    const third = await fromPath(paths[2] as string);
    {
      await using journal = await ScanJournal.open(journalPath);
      expect(await journal.resume(await fromPath(paths[0] as string))).toMatchObject({
        dataId: expect.any(String),
      });
      expect((await journal.resume(third))?.dataId).toBeUndefined();
      await journal.submitted(third, "data-id-of-the-third");
    }
    const text = await readFile(journalPath, "utf8");
    expect(text.endsWith("\n")).toBe(true);

    await using journal = await ScanJournal.open(journalPath);
    expect(await journal.resume(third)).toMatchObject({ dataId: "data-id-of-the-third" });
    const items = await collect(
      scanFiles(env.cluster, paths.slice(0, 2), { hashFirst: false, journal }),
    );
    expect(items.every((item) => item.ok && item.result.origin === "resumed")).toBe(true);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(2);
  });

  it("reads a journal larger than its read chunks line by line, skipping a line of megabytes", async () => {
    const paths = await makeFiles(2);
    const [first, second] = [
      await fromPath(paths[0] as string),
      await fromPath(paths[1] as string),
    ];
    const hashOf = async (path: string) =>
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex");
    const line = (key: string, sha256: string, dataId: string) =>
      `${JSON.stringify({ t: "submitted", key, sha256, dataId })}\n`;
    // 20,000 other entries (several MB, many read chunks), a 3 MiB line of
    // garbage, the second file's entry right after it, then the first file's last.
    const filler = Array.from({ length: 20_000 }, (_, i) =>
      line(`/elsewhere/${i}`, "0".repeat(64), `filler-${i}`),
    ).join("");
    const journalPath = join(dir.path, "big.journal");
    await writeFile(
      journalPath,
      `${filler}${"x".repeat(3 * 1024 * 1024)}\n${line(second.path, await hashOf(second.path), "second-id")}${line(first.path, await hashOf(first.path), "first-id")}`,
    );
    await using journal = await ScanJournal.open(journalPath);
    expect(await journal.resume(first)).toMatchObject({ dataId: "first-id" });
    expect(await journal.resume(second)).toMatchObject({ dataId: "second-id" });
  });

  it("refuses a FIFO, /dev/zero or a folder in the journal's place, at once", async () => {
    const fifo = join(dir.path, "fifo.journal");
    execFileSync("mkfifo", [fifo]);
    const zero = join(dir.path, "zero.journal");
    await symlink("/dev/zero", zero);
    const started = Date.now();
    for (const path of [fifo, zero, dir.path]) {
      const error = await ScanJournal.open(path).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toContain(
        `${path} is not a regular file: a scan journal must be one`,
      );
    }
    // Neither waited on (a FIFO nobody writes to) nor read to its end (an endless device).
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
