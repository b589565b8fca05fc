// A file system that cuts reads short (a network or FUSE mount may): the small-file read goes on
// until the end of the file, so a prefix is never taken for the whole file (and then scanned as it).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";

/** Every read of the callback API returns at most this many bytes. */
const CUT_BYTES = 1000;

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const read = ((
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    done: never,
  ) => fs.read(fd, buffer, offset, Math.min(length, CUT_BYTES), position, done)) as typeof fs.read;
  return { ...fs, default: { ...fs, read }, read };
});

const { readRegularFile, FileChangedError } = await import("../src/index.node.js");
const dir = await mkdtemp(join(tmpdir(), "mdkit-short-reads-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

it("reads the whole file through reads cut short, and still refuses one that holds more", async () => {
  const path = join(dir, "cut.bin");
  const content = randomBytes(10 * CUT_BYTES + 123);
  await writeFile(path, content);
  const looked = await stat(path);
  expect(Buffer.compare(await readRegularFile(path, looked), content)).toBe(0);

  await writeFile(path, Buffer.concat([content, Buffer.from("more")]));
  const error = await readRegularFile(path, looked).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FileChangedError);
});
