// Node inputs: paths, streams of unknown length, directory walks.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { dirname, join, relative } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fromPath,
  fromStream,
  InvalidInputError,
  type SkippedEntry,
  SkippedEntryError,
  scanDirectory,
  scanFile,
  scanFiles,
  walkEntries,
  walkFiles,
} from "../src/node/index.js";
import { collect, EICAR, setup, tempDir } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let root: string;
const small = randomBytes(100);
const large = randomBytes(200 * 1024);
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir.path, "small.bin"), small);
  await writeFile(join(dir.path, "large.bin"), large);
  // A tree to walk, with dot-files and symbolic links leading out of it.
  root = join(dir.path, "tree");
  const files: Record<string, string> = {
    "a.txt": "a",
    "b.pdf": "b",
    ".hidden.txt": "hidden",
    ".dotdir/c.txt": "c",
    "sub/d.txt": "d",
    "sub/e.pdf": "e",
    "sub/eicar.com": EICAR,
    "sub/tmp/f.txt": "f",
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
  const outside = join(dir.path, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), "not yours");
  await symlink(outside, join(root, "link-to-dir"));
  await symlink(join(outside, "secret.txt"), join(root, "sub", "link-to-file.txt"));
});
afterAll(async () => {
  await dir.remove();
});

const walk = async (options: Parameters<typeof walkFiles>[1] = {}) =>
  (await collect(walkFiles(root, options))).map((path) => relative(root, path)).sort();

describe("fromPath", () => {
  it.each([
    ["small.bin", small],
    ["large.bin", large],
  ])("%s: size, name and SHA-256 as node:crypto computes it; re-readable", async (name, data) => {
    const source = await fromPath(join(dir.path, name));
    expect(source.size).toBe(data.byteLength);
    expect(source.name).toBe(name);
    expect(source.path).toBe(join(dir.path, name));
    expect(source.replayable).toBe(true);
    expect(source.mtimeMs).toBe((await stat(join(dir.path, name))).mtimeMs);
    expect(await source.sha256?.(async () => "unused")).toBe(sha256(data));
    for (let i = 0; i < 2; i++) {
      const read = new Uint8Array(await new Response(source.open() as BodyInit).arrayBuffer());
      expect(sha256(read)).toBe(sha256(data));
    }
  });

  it("takes a display name, and refuses what is not a regular file", async () => {
    expect((await fromPath(join(dir.path, "small.bin"), { name: "shown.bin" })).name).toBe(
      "shown.bin",
    );
    await expect(fromPath(dir.path)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(fromPath(join(dir.path, "missing"))).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("fromStream", () => {
  it("spools a Node stream of unknown length, scans it, and dispose() deletes the spool", async () => {
    await using env = setup();
    const data = randomBytes(100 * 1024);
    async function* chunks() {
      for (let at = 0; at < data.byteLength; at += 7_000) yield data.subarray(at, at + 7_000);
    }
    const source = await fromStream(Readable.from(chunks()), { name: "piped.bin" });
    expect(source.size).toBe(data.byteLength);
    expect(source.key).toBeUndefined(); // not a file of the caller's: never journaled
    const result = await scanFile(env.cluster, source);
    expect(result.verdict).toBe("clean");
    expect(result.name).toBe("piped.bin");
    expect(result.uploadedBytes).toBe(data.byteLength);
    expect(result.sha256).toBe(sha256(data));
    expect(env.sim.state.uploadsByHash.get(sha256(data))).toBe(1);

    await stat(source.path);
    await source.dispose();
    await expect(stat(source.path)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(stat(dirname(source.path))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("spools a web ReadableStream; `await using` disposes of it", async () => {
    await using env = setup();
    let spool = "";
    {
      await using source = await fromStream(new Blob([EICAR]).stream());
      spool = source.path;
      expect(source.name).toBe("stdin");
      const result = await scanFile(env.cluster, source);
      expect(result.verdict).toBe("infected");
    }
    await expect(stat(spool)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("leaves no spool behind when the stream fails or the signal aborts while spooling", async () => {
    // The spool goes to the temporary directory: point it at a private one to see what is left.
    const previous = process.env.TMPDIR;
    const privateTmp = join(dir.path, "spool-tmp");
    await mkdir(privateTmp);
    process.env.TMPDIR = privateTmp;
    try {
      const failing = new Readable({ read() {} });
      failing.push("partial");
      setTimeout(() => failing.destroy(new Error("the pipe broke")), 20);
      await expect(fromStream(failing)).rejects.toThrow(/the pipe broke/);

      const hanging = new Readable({ read() {} });
      hanging.push("partial");
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 20);
      await expect(fromStream(hanging, { signal: stop.signal })).rejects.toMatchObject({
        name: "AbortError",
      });
      expect(hanging.destroyed).toBe(true);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});

describe("walkFiles", () => {
  it("lists regular files, skipping dot-files and never following symbolic links", async () => {
    expect(await walk()).toEqual([
      "a.txt",
      "b.pdf",
      "sub/d.txt",
      "sub/e.pdf",
      "sub/eicar.com",
      "sub/tmp/f.txt",
    ]);
  });

  it("filters with include and exclude globs", async () => {
    expect(await walk({ include: ["**/*.pdf"] })).toEqual(["b.pdf", "sub/e.pdf"]);
    expect(await walk({ include: ["*.txt"] })).toEqual(["a.txt"]);
    expect(await walk({ exclude: ["**/tmp/**"] })).toEqual([
      "a.txt",
      "b.pdf",
      "sub/d.txt",
      "sub/e.pdf",
      "sub/eicar.com",
    ]);
    expect(await walk({ exclude: ["sub"] })).toEqual(["a.txt", "b.pdf"]);
    expect(await walk({ include: ["**/*.txt"], exclude: ["sub/tmp/**"] })).toEqual([
      "a.txt",
      "sub/d.txt",
    ]);
  });

  it("includes dot-files with dot: true", async () => {
    expect(await walk({ dot: true, include: ["**/*.txt"] })).toEqual([
      ".dotdir/c.txt",
      ".hidden.txt",
      "a.txt",
      "sub/d.txt",
      "sub/tmp/f.txt",
    ]);
    const all = await walk({ dot: true });
    expect(all).toContain(".hidden.txt");
    expect(all.some((path) => path.includes("link") || path.includes("secret"))).toBe(false);
  });

  it("yields a single file given as the root", async () => {
    const file = join(root, "a.txt");
    expect(await collect(walkFiles(file))).toEqual([file]);
  });

  it("reports every entry it does not scan: links, FIFOs, sockets (filters apply)", async () => {
    const special = join(dir.path, "special");
    await mkdir(join(special, "sub"), { recursive: true });
    await writeFile(join(special, "ok.txt"), "ok");
    await symlink(join(special, "ok.txt"), join(special, "link.txt"));
    execFileSync("mkfifo", [join(special, "sub", "pipe.txt")]);
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(join(special, "sock.txt"), resolve));
    try {
      const skipped: SkippedEntry[] = [];
      const files = await collect(walkFiles(special, { onSkipped: (e) => skipped.push(e) }));
      expect(files.map((path) => relative(special, path))).toEqual(["ok.txt"]);
      expect(skipped.map((e) => [relative(special, e.path), e.reason]).sort()).toEqual([
        ["link.txt", "symlink"],
        ["sock.txt", "socket"],
        ["sub/pipe.txt", "fifo"],
      ]);
      // In order, with the files; excluded entries are not reported.
      const entries = await collect(walkEntries(special, { exclude: ["sub/**"] }));
      expect(entries.map((e) => [e.kind, relative(special, e.path)])).toEqual([
        ["skipped", "link.txt"],
        ["file", "ok.txt"],
        ["skipped", "sock.txt"],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.skipIf(process.getuid?.() === 0)(
    "reports a directory it cannot read, and goes on",
    async () => {
      const tree = join(dir.path, "locked-tree");
      await mkdir(join(tree, "locked"), { recursive: true });
      await writeFile(join(tree, "ok.txt"), "ok");
      await chmod(join(tree, "locked"), 0o000);
      try {
        const entries = await collect(walkEntries(tree));
        expect(entries.map((e) => [e.kind, relative(tree, e.path)])).toEqual([
          ["file", "ok.txt"],
          ["skipped", "locked"],
        ]);
      } finally {
        await chmod(join(tree, "locked"), 0o755);
      }
    },
  );
});

describe("Node scanFile and scanDirectory", () => {
  it("scanFile takes a path", async () => {
    await using env = setup();
    const clean = await scanFile(env.cluster, join(dir.path, "large.bin"));
    expect(clean.verdict).toBe("clean");
    expect(clean.name).toBe("large.bin");
    expect(clean.sha256).toBe(sha256(large));
    expect(clean.uploadedBytes).toBe(large.byteLength);
    const infected = await scanFile(env.cluster, join(root, "sub", "eicar.com"));
    expect(infected.verdict).toBe("infected");
    await expect(scanFile(env.cluster, join(root, "nope"))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it("scanFiles reports a path it cannot read as that input's item, and scans the others", async () => {
    await using env = setup();
    const paths = [join(root, "a.txt"), join(root, "missing.txt"), join(root, "sub", "d.txt")];
    const items = await collect(scanFiles(env.cluster, paths));
    expect(items.map((item) => item.index).sort()).toEqual([0, 1, 2]);
    const missing = items.find((item) => item.index === 1);
    expect(missing?.ok).toBe(false);
    expect(!missing?.ok && missing?.error).toBeInstanceOf(InvalidInputError);
    expect(items.filter((item) => item.ok)).toHaveLength(2);
  });

  it("scanDirectory scans what the globs select, one item per file, and fails what it skips", async () => {
    await using env = setup();
    const items = await collect(scanDirectory(env.cluster, root, { exclude: ["**/*.pdf"] }));
    const verdicts = Object.fromEntries(
      items.filter((item) => item.ok).map((item) => [item.source?.name, item.result.verdict]),
    );
    expect(verdicts).toEqual({
      "a.txt": "clean",
      "d.txt": "clean",
      "eicar.com": "infected",
      "f.txt": "clean",
    });
    // The two symbolic links are failed items: the folder was not seen whole.
    const failed = items.flatMap((item) => (item.ok ? [] : [item.error]));
    expect(failed).toHaveLength(2);
    for (const error of failed) {
      expect(error).toBeInstanceOf(SkippedEntryError);
      expect((error as SkippedEntryError).reason).toBe("symlink");
    }
    expect(env.sim.state.requestCount("analyzeFile")).toBe(4);

    const skipped: string[] = [];
    const handled = await collect(
      scanDirectory(env.cluster, root, {
        exclude: ["**/*.pdf"],
        onSkipped: (entry) => skipped.push(relative(root, entry.path)),
      }),
    );
    expect(handled.every((item) => item.ok)).toBe(true);
    expect(skipped.sort()).toEqual(["link-to-dir", "sub/link-to-file.txt"]);
  });
});
