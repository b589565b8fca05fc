// ScanJournal trusts content, not names: a swapped file is scanned again, a vanished record is recovered by hash.
import { createHash } from "node:crypto";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromPath, ScanJournal, scanFiles, uploadFile } from "../src/node/index.js";
import { collect, EICAR, setup, tempDir } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** Clean text of exactly the EICAR string's length. */
const SAME_SIZE_CLEAN = "c".repeat(EICAR.length);

/** An EICAR file on disk, and the submission of a clean file of the same size. */
async function eicarAndCleanSubmission(env: ReturnType<typeof setup>) {
  const eicar = join(dir.path, "eicar.com");
  const clean = join(dir.path, "clean.txt");
  await writeFile(eicar, EICAR);
  await writeFile(clean, SAME_SIZE_CLEAN);
  return { eicar, cleanId: await uploadFile(env.cluster, await fromPath(clean)) };
}

async function scanWithJournal(
  env: ReturnType<typeof setup>,
  paths: string[],
  journalPath: string,
) {
  await using journal = await ScanJournal.open(journalPath);
  return await collect(scanFiles(env.cluster, paths, { journal }));
}

describe("ScanJournal, keyed by content", () => {
  it("scans again a clean file replaced by EICAR with the same size and mtime: infected", async () => {
    await using env = setup();
    const path = join(dir.path, "invoice.txt");
    const journalPath = join(dir.path, "scan.journal");
    const when = Math.floor(Date.now() / 1000) - 3600;
    await writeFile(path, SAME_SIZE_CLEAN);
    await utimes(path, when, when);
    const [first] = await scanWithJournal(env, [path], journalPath);
    expect(first?.ok && first.result.verdict).toBe("clean");

    const before = await stat(path);
    await writeFile(path, EICAR);
    await utimes(path, when, when);
    const after = await stat(path);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);

    const [second] = await scanWithJournal(env, [path], journalPath);
    expect(second?.ok && second.result.verdict).toBe("infected");
    expect(second?.ok && second.result.sha256).toBe(sha256(EICAR));
  });

  it("does not trust a journal line without a hash (older versions): the file is scanned again", async () => {
    await using env = setup();
    const { eicar, cleanId } = await eicarAndCleanSubmission(env);
    // The clean file's submission, recorded under the EICAR file's path without a hash.
    const { size, mtimeMs } = await stat(eicar);
    const journalPath = join(dir.path, "old.journal");
    const line = { t: "finished", key: eicar, size, mtimeMs, dataId: cleanId, verdict: "clean" };
    await writeFile(journalPath, `${JSON.stringify(line)}\n`);

    const [item] = await scanWithJournal(env, [eicar], journalPath);
    expect(item?.ok && item.result.verdict).toBe("infected");
    expect(item?.ok && item.result.dataId).not.toBe(cleanId);
  });

  it("refuses a resumed result for other content (file_info.sha256) and scans afresh", async () => {
    await using env = setup();
    const { eicar, cleanId } = await eicarAndCleanSubmission(env);
    // A forged line: the EICAR file's hash, the clean file's submission.
    const journalPath = join(dir.path, "forged.journal");
    const line = { t: "submitted", key: eicar, sha256: sha256(EICAR), dataId: cleanId };
    await writeFile(journalPath, `${JSON.stringify(line)}\n`);

    const [item] = await scanWithJournal(env, [eicar], journalPath);
    expect(item?.ok && item.result.verdict).toBe("infected");
    expect(item?.ok && item.result.dataId).not.toBe(cleanId);
  });

  it("finds by hash, in progress, a file an interrupted run uploaded without recording it", async () => {
    await using env = setup({ cluster: { scanDurationMs: 300 } });
    const path = join(dir.path, "eicar.com");
    await writeFile(path, EICAR);
    const journalPath = join(dir.path, "scan.journal");
    {
      // The run records its intent, uploads, and dies before recording the data_id.
      await using journal = await ScanJournal.open(journalPath);
      expect(await journal.resume(await fromPath(path))).toEqual({ sha256: sha256(EICAR) });
      await journal.uploading(await fromPath(path));
      await uploadFile(env.cluster, await fromPath(path));
    }
    {
      await using journal = await ScanJournal.open(journalPath);
      expect(await journal.resume(await fromPath(path))).toEqual({
        sha256: sha256(EICAR),
        maybeSubmitted: true,
      });
    }
    expect(env.sim.state.requestCount("analyzeFile")).toBe(1);

    const [item] = await scanWithJournal(env, [path], journalPath);
    expect(item?.ok && item.result.verdict).toBe("infected");
    expect(env.sim.state.requestCount("analyzeFile")).toBe(1);
    expect(env.sim.state.duplicateUploads()).toBe(0);
    // Its data_id is recorded now: a third run polls it without looking anything up.
    const lookups = env.sim.state.requestCount("lookupHash");
    const [third] = await scanWithJournal(env, [path], journalPath);
    expect(third?.ok && third.result.verdict).toBe("infected");
    expect(env.sim.state.requestCount("lookupHash")).toBe(lookups);
    const text = await readFile(journalPath, "utf8");
    expect(text).toContain(`"sha256":"${sha256(EICAR)}"`);
  });
});
