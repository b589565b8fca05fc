// Archives: a verdict from deep inside nested zips, and children paged one by one.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClusterClient } from "@mdkit/cluster";
import { zipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ArchiveChild, archiveChildren, scanFile } from "../src/node/index.js";
import { bytes, collect, EICAR, setup, tempDir, zip } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

/** Every descendant of an archive, depth first, with the path of archive names leading to it. */
async function* descend(
  cluster: ClusterClient,
  dataId: string,
  path: string[] = [],
): AsyncGenerator<{ child: ArchiveChild; path: string[] }> {
  for await (const child of archiveChildren(cluster, dataId)) {
    yield { child, path };
    if (child.dataId && child.name?.endsWith(".zip"))
      yield* descend(cluster, child.dataId, [...path, child.name]);
  }
}

describe("archives", () => {
  it("finds EICAR in a zip inside a zip inside a zip", async () => {
    await using env = setup();
    const inner = zip({ "deep/eicar.com": EICAR, "deep/note.txt": "hi" });
    const middle = zip({ "readme.txt": "clean", "inner.zip": inner });
    const outer = zip({ "a.txt": "clean too", "middle.zip": middle });
    const path = join(dir.path, "outer.zip");
    await writeFile(path, outer);

    const result = await scanFile(env.cluster, path);
    expect(result.verdict).toBe("infected");
    expect(result.clean).toBe(false);
    expect(result.name).toBe("outer.zip");
    expect(result.archive?.files).toBe(2);

    const top = await collect(archiveChildren(env.cluster, result.dataId));
    expect(top.map((c) => [c.name, c.verdict])).toEqual([
      ["a.txt", "clean"],
      ["middle.zip", "infected"],
    ]);
    // Each child has its own submission, distinct from the archive's.
    expect(new Set(top.map((c) => c.dataId)).size).toBe(2);
    expect(top.some((c) => c.dataId === result.dataId)).toBe(false);
    expect(result.archive?.worstDataId).toBe(top[1]?.dataId);

    const all = await collect(descend(env.cluster, result.dataId));
    const infected = all.filter(({ child }) => child.verdict === "infected");
    expect(infected.map(({ child }) => child.name)).toEqual([
      "middle.zip",
      "inner.zip",
      "deep/eicar.com",
    ]);
    const eicar = all.find(({ child }) => child.name === "deep/eicar.com");
    expect(eicar?.path).toEqual(["middle.zip", "inner.zip"]);
    expect(eicar?.child.code).toBe(1);
    expect(eicar?.child.codeName).toBe("Infected");
    // The clean siblings keep their own verdicts: the parent's never leaks into them.
    const clean = all
      .filter(({ child }) => child.verdict === "clean")
      .map(({ child }) => child.name);
    expect(clean.sort()).toEqual(["a.txt", "deep/note.txt", "readme.txt"]);
    expect(env.sim.cluster.file(eicar?.child.dataId ?? "")?.sha256).toBe(
      "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    );
  });

  it("iterates all 10,000 children of a zip, each exactly once", async () => {
    await using env = setup();
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10_000; i++) entries[`f/${String(i).padStart(5, "0")}.txt`] = bytes(`${i}`);
    entries["f/04321.txt"] = bytes(EICAR);
    const path = join(dir.path, "many.zip");
    await writeFile(path, zipSync(entries, { level: 0 }));

    const result = await scanFile(env.cluster, path);
    expect(result.archive?.files).toBe(10_000);
    expect(result.verdict).toBe("infected");

    const before = env.sim.state.requestCount("getAnalysisResult");
    const names = new Set<string>();
    const ids = new Set<string>();
    let count = 0;
    const infected: string[] = [];
    for await (const child of archiveChildren(env.cluster, result.dataId, { pageSize: 250 })) {
      count++;
      names.add(child.name ?? "");
      ids.add(child.dataId ?? "");
      if (child.verdict !== "clean") infected.push(child.name ?? "");
    }
    expect(count).toBe(10_000);
    expect(names.size).toBe(10_000);
    expect(ids.size).toBe(10_000);
    expect(names.has("f/00000.txt") && names.has("f/09999.txt")).toBe(true);
    expect(infected).toEqual(["f/04321.txt"]);
    // Paged: 40 pages of 250, nothing fetched twice or beyond the end.
    expect(env.sim.state.requestCount("getAnalysisResult") - before).toBe(40);
  });

  it("stops paging when the signal aborts", async () => {
    await using env = setup();
    const entries: Record<string, string> = {};
    for (let i = 0; i < 30; i++) entries[`${i}.txt`] = `${i}`;
    const result = await scanFile(env.cluster, { data: zip(entries), name: "thirty.zip" });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const child of archiveChildren(env.cluster, result.dataId, {
        pageSize: 10,
        signal: controller.signal,
      })) {
        seen.push(child.name ?? "");
        if (seen.length === 10) controller.abort();
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("AbortError");
    expect(seen).toHaveLength(10);
  });
});
