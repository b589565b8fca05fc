// A file tree that changes between mdkit's look at a path (its `stat`) and the read of its bytes:
// the file grows, is replaced, or the path is re-pointed at a FIFO or a device. Memory stays
// bounded, nothing hangs, and the hash always describes the bytes uploaded, or the input fails
// with a typed InvalidInputError naming the path. The attacker acts right after the look.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fromPath, InvalidInputError, ScanTimeoutError, scanFile } from "../src/node/index.js";
import { setup, tempDir } from "./helpers.js";

/** What the attacker does right after the next `stat` of a path, before mdkit reads it. */
const afterLook = vi.hoisted(() => ({
  action: undefined as ((path: string) => Promise<void>) | undefined,
}));

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const stat = async (...args: Parameters<typeof real.stat>) => {
    const info = await real.stat(...args);
    const action = afterLook.action;
    afterLook.action = undefined;
    await action?.(String(args[0]));
    return info;
  };
  return { ...real, stat, default: { ...real, stat } };
});

const dir = await tempDir();
afterAll(() => dir.remove());
beforeEach(() => {
  afterLook.action = undefined;
});

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
let serial = 0;

/** A file holding `content`, reached through a symbolic link that `repoint` swaps atomically. */
async function linked(content: Uint8Array | string) {
  const id = ++serial;
  const target = join(dir.path, `target-${id}`);
  const link = join(dir.path, `link-${id}`);
  await writeFile(target, content);
  await symlink(target, link);
  const repoint = async (to: string) => {
    const next = join(dir.path, `next-${id}`);
    await symlink(to, next);
    await rename(next, link);
  };
  return { target, link, repoint };
}

/** A FIFO nobody writes to: opening it to read the usual way waits forever. */
function fifo(): string {
  const path = join(dir.path, `pipe-${++serial}`);
  execFileSync("mkfifo", [path]);
  return path;
}

/** The error of `fromPath(path)` (with `after` run right after its look), checked as typed. */
async function refused(path: string, after: () => Promise<void>): Promise<InvalidInputError> {
  afterLook.action = after;
  const error = await fromPath(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toMatch(/changed while it was being read/);
  return error as InvalidInputError;
}

const SMALL = "ten bytes!";
const LARGE = randomBytes(200 * 1024);

describe("a small file (read once) that changes after the look", () => {
  it("one that grew is refused, not read to its end", async () => {
    const { target } = await linked(SMALL);
    const error = await refused(target, () => appendFile(target, randomBytes(1024 * 1024)));
    expect(error.message).toMatch(/holds more than the 10 bytes it had/);
  });

  it("one that grew by a single byte is refused", async () => {
    const { target } = await linked(SMALL);
    const error = await refused(target, () => appendFile(target, "!"));
    expect(error.message).toMatch(/holds more than the 10 bytes it had/);
  });

  it("one replaced by a larger file is refused", async () => {
    const { target } = await linked(SMALL);
    const error = await refused(target, async () => {
      await writeFile(`${target}.new`, randomBytes(1024 * 1024));
      await rename(`${target}.new`, target);
    });
    expect(error.message).toMatch(/another file took its place/);
  });

  it.each([
    ["a FIFO (refused at once, no writer needed)", fifo],
    ["/dev/zero", () => "/dev/zero"],
  ])("a link re-pointed at %s is refused", async (_label, target) => {
    const { link, repoint } = await linked(SMALL);
    const error = await refused(link, () => repoint(target()));
    expect(error.message).toMatch(/no longer a regular file/);
  });

  it.skipIf(!existsSync("/proc/self/status"))(
    "a file whose size says 0 but that holds more (/proc/self/status) is refused",
    async () => {
      const { link, repoint } = await linked(SMALL);
      await repoint("/proc/self/status");
      const error = await refused(link, async () => {});
      expect(error.message).toMatch(/holds more than the 0 bytes it had/);
    },
  );

  it("scanFile gives the typed error and sends nothing", async () => {
    await using env = setup();
    const { target } = await linked(SMALL);
    afterLook.action = () => appendFile(target, "more");
    await expect(scanFile(env.cluster, target)).rejects.toBeInstanceOf(InvalidInputError);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });
});

describe("a large file (streamed) that changes after the look", () => {
  it("one that grows is scanned as the bytes it had: the hash and the upload are that prefix", async () => {
    await using env = setup();
    const { target } = await linked(LARGE);
    const source = await fromPath(target);
    await appendFile(target, "appended after the look");
    const result = await scanFile(env.cluster, source);
    expect(result.verdict).toBe("clean");
    expect(result.sha256).toBe(sha256(LARGE));
    expect(result.uploadedBytes).toBe(LARGE.byteLength);
    expect(env.sim.state.uploadsByHash.get(sha256(LARGE))).toBe(1);
  });

  it("one replaced by another file fails its hash with the typed error, and nothing is sent", async () => {
    await using env = setup();
    const { target } = await linked(LARGE);
    const source = await fromPath(target);
    await writeFile(`${target}.new`, randomBytes(LARGE.byteLength));
    await rename(`${target}.new`, target);
    const error = await scanFile(env.cluster, source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(String(error)).toMatch(/another file took its place/);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });

  it("a link re-pointed at a FIFO fails the hash and the upload at once, never a verdict", async () => {
    await using env = setup();
    const { link, repoint } = await linked(LARGE);
    const source = await fromPath(link);
    await repoint(fifo());
    await expect(scanFile(env.cluster, source)).rejects.toBeInstanceOf(InvalidInputError);
    const upload = await scanFile(env.cluster, source, { hashFirst: false, timeoutMs: 10_000 })
      .then((result) => result.verdict)
      .catch((e: unknown) => e);
    // The body fails as it starts: the gateway never receives a whole file (here: it answers 500).
    expect(upload).toBeInstanceOf(Error);
    expect(upload).not.toBeInstanceOf(ScanTimeoutError);
  });
});
