// What the gateway answers is checked before it is used: ids are plain tokens, results are for what was asked.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  archiveChildren,
  InvalidDataIdError,
  lookupHash,
  MalformedResultError,
  pollResult,
  ResultMismatchError,
  resumeScan,
  scanBatch,
  scanFile,
} from "../src/index.js";
import { bytes, EICAR, type FetchWrapper, setup, zip } from "./helpers.js";

type Json = Record<string, unknown>;

/** A transport that rewrites the JSON answers of the requests `match` selects. */
const rewriting =
  (
    match: (request: Request) => boolean,
    rewrite: (body: Json, request: Request) => unknown,
  ): FetchWrapper =>
  (fetch) =>
  async (request) => {
    const response = await fetch(request);
    if (!match(request) || !response.ok) return response;
    const body = rewrite((await response.json()) as Json, request);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { "content-type": "application/json" },
    });
  };

const isUpload = (r: Request) => r.method === "POST" && new URL(r.url).pathname === "/file";
const isPoll = (r: Request) =>
  r.method === "GET" && /^\/file\/[^/]+$/.test(new URL(r.url).pathname);
const isLookup = (r: Request) => new URL(r.url).pathname.startsWith("/hash/");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("ids from the gateway", () => {
  it.each([
    ["{}", {}],
    ['"" as data_id', { data_id: "" }],
    ["..", { data_id: ".." }],
    [".", { data_id: "." }],
    ["a slash", { data_id: "a/b" }],
    ["a percent sign", { data_id: "a%2Fb" }],
    ["white space", { data_id: " abc" }],
    ["a number", { data_id: 42 }],
    ["129 characters", { data_id: "a".repeat(129) }],
  ])(
    "an upload answered with %s fails with InvalidDataIdError before any poll",
    async (_, body) => {
      const requests: string[] = [];
      await using env = setup({}, (fetch) => {
        const rewrite = rewriting(isUpload, () => body)(fetch);
        return (request) => {
          requests.push(`${request.method} ${new URL(request.url).pathname}`);
          return rewrite(request);
        };
      });
      const error = await scanFile(env.cluster, { data: bytes(EICAR) }, { hashFirst: false }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidDataIdError);
      expect(error).toBeInstanceOf(MalformedResultError);
      expect(requests).toEqual(["POST /file"]);
    },
  );

  it("a plain id of letters, digits, '-', '_', '.', '~' is used as it is", async () => {
    await using env = setup();
    const result = await scanFile(env.cluster, { data: bytes("plain") }, { hashFirst: false });
    expect(result.dataId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("a batch created with an unusable batch_id uploads nothing", async () => {
    await using env = setup(
      {},
      rewriting(
        (r) => r.method === "POST" && new URL(r.url).pathname === "/file/batch",
        () => ({ batch_id: "../file" }),
      ),
    );
    const error = await scanBatch(env.cluster, [{ data: bytes("x") }], {
      verifyCertificate: false,
      readSignedResult: () => ({}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDataIdError);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });

  it("pollResult and resumeScan refuse an id that is not a plain token", async () => {
    await using env = setup();
    await expect(pollResult(env.cluster, "..")).rejects.toBeInstanceOf(InvalidDataIdError);
    await expect(resumeScan(env.cluster, "a/../b")).rejects.toBeInstanceOf(InvalidDataIdError);
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(0);
  });
});

describe("results for something else", () => {
  it("a poll answered with another data_id's result is a ResultMismatchError, never a verdict", async () => {
    await using env = setup(
      {},
      rewriting(isPoll, (body) => ({ ...body, data_id: "0123456789abcdef0123456789abcdef" })),
    );
    const error = await scanFile(env.cluster, { data: bytes(EICAR) }, { hashFirst: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResultMismatchError);
    expect((error as ResultMismatchError).field).toBe("data_id");
  });

  it("so is a result whose scan_results.data_id is another", async () => {
    await using env = setup(
      {},
      rewriting(isPoll, (body) => ({
        ...body,
        scan_results: { ...(body.scan_results as Json), data_id: "another" },
      })),
    );
    const error = await scanFile(env.cluster, { data: bytes("x") }, { hashFirst: false }).catch(
      (e: unknown) => e,
    );
    expect((error as ResultMismatchError).field).toBe("scan_results.data_id");
  });

  it("a result about other content (file_info.sha256) is refused", async () => {
    await using env = setup(
      {},
      rewriting(isPoll, (body) => ({
        ...body,
        file_info: { ...(body.file_info as Json), sha256: sha256("something else") },
      })),
    );
    const error = await scanFile(env.cluster, { data: bytes(EICAR) }).catch((e: unknown) => e);
    expect((error as ResultMismatchError).field).toBe("file_info.sha256");
  });

  it("a lookup answered with another hash's clean result is ignored: the file is uploaded and found infected", async () => {
    let cleanResult: Json | undefined;
    await using env = setup(
      {},
      rewriting(isLookup, (body) => cleanResult ?? body),
    );
    const clean = await scanFile(env.cluster, { data: bytes("harmless") });
    cleanResult = clean.raw as unknown as Json;
    await expect(lookupHash(env.cluster, sha256(EICAR))).rejects.toBeInstanceOf(
      ResultMismatchError,
    );
    const result = await scanFile(env.cluster, { data: bytes(EICAR) });
    expect(result.verdict).toBe("infected");
    expect(result.fromCache).toBe(false);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(2);
  });

  it("a lookup result without the hash asked in its file_info is not used", async () => {
    await using env = setup(
      {},
      rewriting(isLookup, (body) => ({ ...body, file_info: {} })),
    );
    await scanFile(env.cluster, { data: bytes("known") });
    const hash = sha256("known");
    await expect(lookupHash(env.cluster, hash)).rejects.toThrow(/file_info.sha256 is absent/);
  });

  it("an archive child without a usable data_id is failed and cannot be followed", async () => {
    await using env = setup(
      {},
      rewriting(
        (r) => isPoll(r) && new URL(r.url).searchParams.has("first"),
        (body) => {
          const extracted = body.extracted_files as { files_in_archive: Json[] };
          for (const child of extracted.files_in_archive) child.data_id = "../../file/rules";
          return body;
        },
      ),
    );
    const result = await scanFile(env.cluster, { data: zip({ "a.txt": "a" }), name: "a.zip" });
    const children = [];
    for await (const child of archiveChildren(env.cluster, result.dataId)) children.push(child);
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ dataId: undefined, verdict: "failed" });
  });
});
