// scanBatch: the verdict and the file list come from the signed result; the status only has to agree.
import { describe, expect, it } from "vitest";
import {
  CertificateVerificationError,
  InvalidInputError,
  scanBatch,
  verifyBatchCertificate,
} from "../src/node/index.js";
import { bytes, EICAR, type FetchWrapper, setup } from "./helpers.js";

type Json = Record<string, unknown>;

const isStatus = (r: Request) =>
  r.method === "GET" && /^\/file\/batch\/[^/]+$/.test(new URL(r.url).pathname);

/** Rewrites every batch status answer. */
const lyingStatus =
  (rewrite: (body: Json) => Json): FetchWrapper =>
  (fetch) =>
  async (request) => {
    const response = await fetch(request);
    if (!isStatus(request) || !response.ok) return response;
    return Response.json(rewrite((await response.json()) as Json));
  };

/** The status of a finished batch claiming "clean, 0 files". */
const cleanAndEmpty = (body: Json): Json => ({
  ...body,
  batch_files: { batch_count: 0, files_in_batch: [], first_index: 0, page_size: 50 },
  process_info: { ...(body.process_info as Json), result: "Allowed", verdicts: [] },
  scan_results: {
    ...(body.scan_results as Json),
    scan_all_result_i: 0,
    scan_all_result_a: "No Threat Detected",
  },
});

const files = (...contents: string[]) =>
  contents.map((content, i) => ({ data: bytes(content), name: `f${i}.txt` }));

describe("scanBatch takes its verdict from the signed result", () => {
  it("a status saying 'clean, 0 files' does not hide an infected file: every file is reported", async () => {
    await using env = setup({}, lyingStatus(cleanAndEmpty));
    const batch = await scanBatch(env.cluster, files("one", EICAR, "three"));
    expect(batch.verdict).toBe("infected");
    expect(batch.files.map((f) => [f.name, f.verdict])).toEqual([
      ["f0.txt", "failed"],
      ["f1.txt", "infected"],
      ["f2.txt", "failed"],
    ]);
    expect(
      batch.files.every((f) => f.contradictions.includes("the batch status does not list it")),
    ).toBe(true);
    expect(batch.contradictions).toContain(
      "the batch status says clean, the signed result infected",
    );
    expect(batch.certificate.status).toBe("unpinned");
  });

  it("a status that disagrees with a clean signed result makes the batch failed, never clean", async () => {
    await using env = setup(
      {},
      lyingStatus((body) => ({
        ...body,
        scan_results: {
          ...(body.scan_results as Json),
          scan_all_result_i: 1,
          scan_all_result_a: "Infected",
        },
        process_info: { ...(body.process_info as Json), result: "Blocked", verdicts: ["Infected"] },
      })),
    );
    const batch = await scanBatch(env.cluster, files("a", "b"));
    expect(batch.files.map((f) => f.verdict)).toEqual(["clean", "clean"]);
    expect(batch.verdict).toBe("failed");
    expect(batch.contradictions).toEqual([expect.stringMatching(/status says infected/)]);
  });

  it("a submitted file missing from the signed result is a failed row, and the batch is not clean", async () => {
    await using env = setup();
    let dropped: string | undefined;
    const batch = await scanBatch(env.cluster, files("a", "b", "c"), {
      verifyCertificate: (yaml, options) => {
        const check = verifyBatchCertificate(yaml, options);
        const list = (check.result.batch_files as { files_in_batch: Json[] }).files_in_batch;
        dropped = list.splice(1, 1)[0]?.data_id as string;
        return check;
      },
    });
    expect(batch.verdict).toBe("failed");
    const missing = batch.files.find((f) => f.dataId === dropped);
    expect(missing).toMatchObject({
      name: "f1.txt",
      verdict: "failed",
      contradictions: ["the signed batch result does not list this file"],
    });
    expect(batch.files).toHaveLength(3);
  });

  it("a signed result for another batch is not clean", async () => {
    await using env = setup();
    const batch = await scanBatch(env.cluster, files("a"), {
      verifyCertificate: (yaml, options) => {
        const check = verifyBatchCertificate(yaml, options);
        check.result.batch_id = "another";
        return check;
      },
    });
    expect(batch.verdict).toBe("failed");
    expect(batch.contradictions).toContain("the signed result is for another batch");
  });

  it("a file whose signed sha256 is not that of the content sent is not clean", async () => {
    await using env = setup();
    const batch = await scanBatch(env.cluster, files("a", "b"), {
      verifyCertificate: (yaml, options) => {
        const check = verifyBatchCertificate(yaml, options);
        const [first] = (check.result.batch_files as { files_in_batch: Json[] }).files_in_batch;
        if (first) first.sha256 = "0".repeat(64);
        return check;
      },
    });
    expect(batch.files[0]).toMatchObject({
      verdict: "failed",
      contradictions: ["the signed result names another sha256 than the content sent"],
    });
    expect(batch.verdict).toBe("failed");
  });
});

describe("scanBatch pins the signer", () => {
  it("refuses a signer other than the expected one", async () => {
    await using env = setup();
    const error = await scanBatch(env.cluster, files("a"), {
      expectedFingerprint: "ab".repeat(32),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateVerificationError);
    expect(String(error)).toMatch(/unexpected certificate/);
  });

  it("accepts the SHA-1 fingerprint too, in any case, with colons", async () => {
    await using env = setup();
    const { sha1 } = await env.sim.cluster.signingFingerprints();
    const pin = sha1.toUpperCase().match(/../g)?.join(":");
    const batch = await scanBatch(env.cluster, files("a"), { expectedFingerprint: pin });
    expect(batch.certificate).toMatchObject({ status: "pinned", fingerprint: sha1 });
    expect(batch.verdict).toBe("clean");
  });

  it("cannot pin without verifying, and refuses a verifier that ignores the pin", async () => {
    await using env = setup();
    const { sha256 } = await env.sim.cluster.signingFingerprints();
    await expect(
      scanBatch(env.cluster, files("a"), { expectedFingerprint: sha256, verifyCertificate: false }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      scanBatch(env.cluster, files("b"), {
        expectedFingerprint: sha256,
        verifyCertificate: (yaml) => verifyBatchCertificate(yaml),
      }),
    ).rejects.toBeInstanceOf(CertificateVerificationError);
  });
});
