// downloadSanitized: atomic writes, names from Content-Disposition kept inside the destination.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { unwrap } from "@mdkit/cluster";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  downloadSanitized,
  filenameFromContentDisposition,
  InvalidInputError,
  type ScanResult,
  safeFileName,
  scanFile,
} from "../src/node/index.js";
import { bytes, type FetchWrapper, setup, tempDir } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

/** Every file under `root`, as paths relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const isDownload = (request: Request) =>
  new URL(request.url).pathname.startsWith("/file/converted/");

type Rewrite = (response: Response) => Response | Promise<Response>;

/** A transport that rewrites sanitized downloads once `rewrite` is set (after the scan). */
function downloadRewriter() {
  const state: { rewrite?: Rewrite } = {};
  const wrap: FetchWrapper = (fetch) => async (request) => {
    const response = await fetch(request);
    return state.rewrite && isDownload(request) && response.ok ? state.rewrite(response) : response;
  };
  return { state, wrap };
}

const withDisposition =
  (disposition: string): Rewrite =>
  (response) => {
    const headers = new Headers(response.headers);
    headers.set("content-disposition", disposition);
    return new Response(response.body, { status: response.status, headers });
  };

/** Scans `content` with the sanitizing rule; returns the result and the bytes the gateway serves. */
async function sanitized(env: ReturnType<typeof setup>, name: string, content: string) {
  const source = join(dir.path, name);
  await writeFile(source, content);
  const result: ScanResult = await scanFile(env.cluster, source, { rule: "sanitize" });
  expect(result.sanitized?.dataId).toBe(result.dataId);
  const served = await unwrap(
    env.cluster.GET("/file/converted/{data_id}", {
      params: { path: { data_id: result.dataId } },
      parseAs: "arrayBuffer",
    }),
  );
  return { result, served: new Uint8Array(served as ArrayBuffer) };
}

describe("downloadSanitized", () => {
  it("writes into a directory under the server's name, byte for byte, leaving no .part file", async () => {
    await using env = setup();
    const { result, served } = await sanitized(env, "invoice.pdf", "%PDF-1.7 pretend");
    const dest = join(dir.path, "out");
    await mkdir(dest);
    const written = await downloadSanitized(env.cluster, result.dataId, dest);
    const expectedName = `invoice_sanitized_by_OPSWAT_MetaDefender_${result.dataId}.pdf`;
    expect(written.path).toBe(join(dest, expectedName));
    expect(written.bytes).toBe(served.byteLength);
    expect(new Uint8Array(await readFile(written.path))).toEqual(served);
    expect(new TextDecoder().decode(served)).toContain("%PDF-1.7 pretend");
    expect(await filesUnder(dest)).toEqual([expectedName]);
  });

  it("writes to an explicit path; refuses to overwrite unless asked", async () => {
    await using env = setup();
    const { result, served } = await sanitized(env, "a.txt", "some text");
    const target = join(dir.path, "clean.txt");
    await downloadSanitized(env.cluster, result.dataId, target);
    expect(new Uint8Array(await readFile(target))).toEqual(served);

    await writeFile(target, "keep me");
    const error = await downloadSanitized(env.cluster, result.dataId, target).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(await readFile(target, "utf8")).toBe("keep me");
    await downloadSanitized(env.cluster, result.dataId, target, { overwrite: true });
    expect(new Uint8Array(await readFile(target))).toEqual(served);
    expect(await filesUnder(dir.path)).toEqual(["a.txt", "clean.txt"]);
  });

  it.each([
    'attachment; filename="../../evil.txt"',
    "attachment; filename*=UTF-8''..%2F..%2Fevil.txt",
    "attachment; filename=\"ok.txt\"; filename*=UTF-8''%2E%2E%2F%2E%2E%2Fevil.txt",
    'attachment; filename="/tmp/evil.txt"',
    "attachment; filename*=UTF-8''..%5C..%5Cevil.txt",
  ])("keeps a hostile server name inside the destination: %s", async (disposition) => {
    const rewriter = downloadRewriter();
    await using env = setup({}, rewriter.wrap);
    const { result, served } = await sanitized(env, "x.txt", "content");
    rewriter.state.rewrite = withDisposition(disposition);
    const dest = join(dir.path, "a", "b", "dest");
    await mkdir(dest, { recursive: true });
    const written = await downloadSanitized(env.cluster, result.dataId, dest);
    expect(written.path).toBe(join(dest, "evil.txt"));
    expect(new Uint8Array(await readFile(written.path))).toEqual(served);
    expect(await filesUnder(dir.path)).toEqual(["a/b/dest/evil.txt", "x.txt"]);
  });

  it("falls back to a name of its own when the server's reduces to nothing", async () => {
    const rewriter = downloadRewriter();
    await using env = setup({}, rewriter.wrap);
    const { result } = await sanitized(env, "y.txt", "content");
    rewriter.state.rewrite = withDisposition('attachment; filename=".."');
    const written = await downloadSanitized(env.cluster, result.dataId, `${dir.path}/`);
    expect(written.path).toBe(join(dir.path, `${result.dataId}.sanitized`));
  });

  it("an aborted download leaves no file at all", async () => {
    let delivered = false;
    const rewriter = downloadRewriter();
    await using env = setup({}, rewriter.wrap);
    const { result } = await sanitized(env, "z.txt", "content to abort");
    rewriter.state.rewrite = (response) => {
      const reader = response.body?.getReader();
      // The first bytes arrive, then the body stalls until cancelled.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (delivered) return new Promise(() => {});
          const { value } = (await reader?.read()) ?? {};
          controller.enqueue((value ?? new Uint8Array(1)).subarray(0, 8));
          delivered = true;
        },
        cancel: (reason) => reader?.cancel(reason),
      });
      return new Response(body, { status: 200, headers: response.headers });
    };
    const dest = join(dir.path, "dest");
    await mkdir(dest);
    const controller = new AbortController();
    const pending = downloadSanitized(env.cluster, result.dataId, dest, {
      signal: controller.signal,
    });
    // Abort mid-write: the first bytes are in the temporary file.
    while (!delivered || !(await filesUnder(dest)).some((name) => name.endsWith(".part")))
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AbortError");
    expect(await filesUnder(dest)).toEqual([]);
  });

  it("a truncated download (body shorter than Content-Length) leaves no file at all", async () => {
    const rewriter = downloadRewriter();
    await using env = setup({}, rewriter.wrap);
    const { result } = await sanitized(env, "t.txt", "content to be cut short");
    rewriter.state.rewrite = async (response) => {
      const full = new Uint8Array(await response.arrayBuffer());
      const headers = new Headers(response.headers);
      expect(headers.get("content-length")).toBe(String(full.byteLength));
      return new Response(full.subarray(0, full.byteLength - 5), { status: 200, headers });
    };
    const dest = join(dir.path, "dest");
    await mkdir(dest);
    const error = await downloadSanitized(env.cluster, result.dataId, dest).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/ended after \d+ of \d+ bytes/);
    expect(await filesUnder(dest)).toEqual([]);
  });

  it("a body that fails midway leaves no file at all", async () => {
    const rewriter = downloadRewriter();
    await using env = setup({}, rewriter.wrap);
    const { result } = await sanitized(env, "e.txt", "content that breaks");
    rewriter.state.rewrite = (response) => {
      const reader = response.body?.getReader();
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) return controller.error(new TypeError("terminated"));
          const { value } = (await reader?.read()) ?? {};
          controller.enqueue(value ?? new Uint8Array(1));
          sent = true;
        },
      });
      return new Response(body, { status: 200, headers: response.headers });
    };
    const target = join(dir.path, "dest.txt");
    const error = await downloadSanitized(env.cluster, result.dataId, target).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await filesUnder(dir.path)).toEqual(["e.txt"]);
  });

  it("creates a missing destination directory written with a trailing slash", async () => {
    await using env = setup();
    const { result } = await sanitized(env, "n.txt", "into a new folder");
    const saved = await downloadSanitized(
      env.cluster,
      result.dataId,
      `${join(dir.path, "new", "deeper")}/`,
    );
    expect(saved.path.startsWith(join(dir.path, "new", "deeper"))).toBe(true);
    expect(saved.bytes).toBeGreaterThan(0);
  });

  it("a file without a sanitized copy is an HTTP error, and writes nothing", async () => {
    await using env = setup();
    const result = await scanFile(env.cluster, { data: bytes("plain"), name: "p.txt" });
    const error = await downloadSanitized(env.cluster, result.dataId, dir.path).catch((e) => e);
    expect(error).toMatchObject({ status: 404 });
    expect(await filesUnder(dir.path)).toEqual([]);
  });
});

describe("filenameFromContentDisposition", () => {
  it.each([
    ['attachment; filename="a b.txt"', "a b.txt"],
    ["attachment; filename=plain.txt", "plain.txt"],
    ["attachment; FILENAME=Upper.TXT", "Upper.TXT"],
    ['attachment; filename="q\\"uote.txt"', 'q"uote.txt'],
    ['attachment; filename="semi;colon.txt"', "semi;colon.txt"],
    ["attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt", "résumé.txt"],
    ["attachment; filename*=utf-8'en'%E2%9C%93%20ok.txt", "✓ ok.txt"],
    // The extended form wins, wherever it is.
    ["attachment; filename=\"fallback.txt\"; filename*=UTF-8''real.txt", "real.txt"],
    ["attachment; filename*=UTF-8''real.txt; filename=\"fallback.txt\"", "real.txt"],
    // An undecodable extended form falls back to the plain one.
    ["attachment; filename*=UTF-8''%E2%ZZ; filename=\"fallback.txt\"", "fallback.txt"],
  ])("%s → %s", (header, name) => {
    expect(filenameFromContentDisposition(header)).toBe(name);
  });

  it("is undefined without a file name", () => {
    expect(filenameFromContentDisposition(null)).toBeUndefined();
    expect(filenameFromContentDisposition("")).toBeUndefined();
    expect(filenameFromContentDisposition("inline")).toBeUndefined();
    expect(filenameFromContentDisposition("attachment; name=field")).toBeUndefined();
  });
});

describe("safeFileName", () => {
  it.each([
    ["../../evil.txt", "evil.txt"],
    ["..\\..\\evil.txt", "evil.txt"],
    ["/etc/passwd", "passwd"],
    ["a\u0000b\r\n\u007f.txt", "ab.txt"],
    ["  spaced.txt  ", "spaced.txt"],
    ["résumé ✓.pdf", "résumé ✓.pdf"],
    ["..", "fallback"],
    [".", "fallback"],
    ["dir/", "fallback"],
    ["dir/..", "fallback"],
    ["", "fallback"],
    ["\r\n", "fallback"],
    [undefined, "fallback"],
  ])("%j → %s", (suggested, name) => {
    expect(safeFileName(suggested, "fallback")).toBe(name);
  });
});
