// A small file read whole on a raw descriptor: the bytes of the very file looked at, at most one
// byte past the size it had, or a typed refusal; the descriptor closed whatever happens.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import {
  appendFile,
  mkdtemp,
  readdir,
  readlink,
  realpath,
  rm,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileChangedError, openRegularFile, readRegularFile } from "../src/index.node.js";
import { linkedFileIn } from "./linked-file.js";

const procFds = existsSync("/proc/self/fd");

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "mdkit-read-file-")));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What this process's open descriptors name (Linux: `/proc/self/fd`), among `targets`. */
async function descriptorsOn(targets: readonly string[]): Promise<string[]> {
  const named: string[] = [];
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
    if (target !== undefined && targets.includes(target)) named.push(target);
  }
  return named;
}

/** A file holding `content`, looked at now, reached through a link that `repoint` swaps. */
async function looked(content: string) {
  const file = await linkedFileIn(dir, content);
  return { ...file, info: await stat(file.link) };
}

describe("readRegularFile", () => {
  it("reads the file's bytes into a buffer of their own", async () => {
    const { link, info } = await looked("0123456789");
    const bytes = await readRegularFile(link, info);
    expect(bytes.toString()).toBe("0123456789");
    expect(bytes.buffer.byteLength).toBe(11);
    const empty = join(dir, "empty");
    await writeFile(empty, "");
    expect((await readRegularFile(empty, await stat(empty))).byteLength).toBe(0);
  });

  it("a file grown by a single byte after the look is refused", async () => {
    const { target, info } = await looked("0123456789");
    await appendFile(target, "!");
    const error = await readRegularFile(target, info).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toMatchObject({ path: target, reason: "it holds more than the 10 bytes it had" });
  });

  it("a file that shrank after the look is read as it is now", async () => {
    const { target, info } = await looked("0123456789");
    await truncate(target, 4);
    expect((await readRegularFile(target, info)).toString()).toBe("0123");
  });

  it.skipIf(!procFds)("leaves no descriptor open, whether it reads or refuses", async () => {
    const { target, link, info, repoint } = await looked("0123456789");
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const other = join(dir, "other.txt");
    await writeFile(other, "abcdefghij");
    const watched = [target, fifo, other, dir, "/dev/zero"];
    // The probe sees a descriptor that is open.
    const handle = await openRegularFile(link);
    expect(await descriptorsOn(watched)).toEqual([target]);
    await handle.close();
    expect(await descriptorsOn(watched)).toEqual([]);

    await readRegularFile(link, info);
    await appendFile(target, "grown");
    await expect(readRegularFile(link, info)).rejects.toThrow(/holds more than the 10 bytes/);
    for (const [to, reason] of [
      [fifo, /no longer a regular file/],
      ["/dev/zero", /no longer a regular file/],
      [dir, /no longer a regular file/],
      [other, /another file took its place/],
    ] as const) {
      await repoint(to);
      await expect(readRegularFile(link, info)).rejects.toThrow(reason);
    }
    await expect(readRegularFile(join(dir, "missing"), info)).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(await descriptorsOn(watched)).toEqual([]);
  });

  it.skipIf(!existsSync("/proc/self/status"))(
    "a file whose size says 0 but that holds more (/proc/self/status) is refused",
    async () => {
      const info = await stat("/proc/self/status");
      await expect(readRegularFile("/proc/self/status", info)).rejects.toThrow(
        /holds more than the 0 bytes it had/,
      );
    },
  );
});
