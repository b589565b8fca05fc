// File bodies read the file they looked at, or fail: a path re-pointed at a FIFO, a device or
// another file, and a file that shrank, are refused at once (never a hang, never other bytes).
import { execFileSync } from "node:child_process";
import { appendFile, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileChangedError, openFileBlob, openRegularFile } from "../src/index.node.js";
import { linkedFileIn } from "./linked-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdkit-file-body-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (blob: Blob) => blob.text();

/** A symbolic link `link` to a file holding `content`; `repoint(target)` swaps it atomically. */
const linkedFile = (content: string) => linkedFileIn(dir, content);

describe("FileBlob", () => {
  it("reads exactly its range, afresh for every stream", async () => {
    const { link } = await linkedFile("0123456789");
    const blob = await openFileBlob(link);
    expect(blob.size).toBe(10);
    expect(await text(blob)).toBe("0123456789");
    expect(await text(blob)).toBe("0123456789");
    expect(await text(blob.slice(2, 5))).toBe("234");
  });

  it("a file that grew is read up to the size it had when it was looked at", async () => {
    const { target } = await linkedFile("0123456789");
    const blob = await openFileBlob(target);
    await appendFile(target, "appended later");
    expect(await text(blob)).toBe("0123456789");
  });

  it("a file that shrank fails the read instead of ending early", async () => {
    const { target } = await linkedFile("0123456789");
    const blob = await openFileBlob(target);
    await truncate(target, 4);
    const error = await text(blob).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toMatchObject({ path: target });
    expect(String(error)).toMatch(/ended after 4 of the 10 bytes it had/);
  });

  it("a path re-pointed at a FIFO fails at once, with nobody writing to it", async () => {
    const { link, repoint } = await linkedFile("0123456789");
    const blob = await openFileBlob(link);
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    await repoint(fifo);
    const error = await text(blob).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect(String(error)).toMatch(/no longer a regular file/);
  });

  it("a path re-pointed at a device, or at another file of the same size, is refused", async () => {
    const { link, repoint } = await linkedFile("0123456789");
    const blob = await openFileBlob(link);
    await repoint("/dev/zero");
    await expect(text(blob)).rejects.toThrow(/no longer a regular file/);
    const other = join(dir, "other.txt");
    await writeFile(other, "abcdefghij");
    await repoint(other);
    await expect(text(blob)).rejects.toThrow(/another file took its place/);
    await expect(text(blob.slice(1))).rejects.toBeInstanceOf(FileChangedError);
  });
});

describe("openRegularFile", () => {
  it("opens a regular file, and refuses a FIFO without waiting for a writer", async () => {
    const { target } = await linkedFile("abc");
    const handle = await openRegularFile(target);
    await handle.close();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    await expect(openRegularFile(fifo)).rejects.toBeInstanceOf(FileChangedError);
    await expect(openRegularFile(dir)).rejects.toBeInstanceOf(FileChangedError);
  });
});

describe("a file body that changes while a client sends it", () => {
  it("fails the call with FileChangedError, sent once: about the input, not the network", async () => {
    const { createServer } = await import("node:http");
    const { createApiClient } = await import("../src/index.node.js");
    let attempts = 0;
    const server = createServer((request, response) => {
      attempts++;
      request.resume();
      request.on("end", () =>
        response.writeHead(200, { "content-type": "application/json" }).end("{}"),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      const client = createApiClient<Record<string, never>>({
        source: "@mdkit/core",
        baseUrl: `http://127.0.0.1:${port}`,
        operations: {},
        // Retries on: a replayable body that failed for a network reason would be sent again.
        retry: { maxRetries: 3, idempotent: true },
      });
      const { target } = await linkedFile("x".repeat(100_000));
      const blob = await openFileBlob(target);
      await truncate(target, 10);
      const error = await client
        .request("post", "/upload", {
          body: blob,
          headers: { "content-type": "application/octet-stream" },
        } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileChangedError);
      expect(error).toMatchObject({ path: target });
      expect(attempts).toBeLessThanOrEqual(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
