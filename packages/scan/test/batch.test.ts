// scanBatch (Node entry): files by path, every verdict, and a signed certificate that is verified.
import { X509Certificate } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InternalServerError } from "@mdkit/cluster";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BatchError,
  CertificateVerificationError,
  FileTooLargeError,
  ScanAbortedError,
  scanBatch,
  verifyBatchCertificate,
} from "../src/node/index.js";
import { EICAR, setup, tempDir } from "./helpers.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let paths: string[];
beforeEach(async () => {
  dir = await tempDir();
  const files: Record<string, string> = {
    "report.txt": "quarterly numbers",
    "eicar.com": EICAR,
    "résumé ✓.txt": "hostile but harmless name",
  };
  paths = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir.path, name);
    await writeFile(path, content);
    paths.push(path);
  }
});
afterEach(async () => {
  await dir.remove();
});

const sha1Of = (pem: string) =>
  new X509Certificate(pem).fingerprint.replaceAll(":", "").toLowerCase();

describe("scanBatch", () => {
  it("scans files by path as one batch: worst verdict, every file, pinned certificate", async () => {
    await using env = setup();
    const phases: string[] = [];
    const { sha256 } = await env.sim.cluster.signingFingerprints();
    const batch = await scanBatch(env.cluster, paths, {
      userData: "release 1.4 ✓",
      expectedFingerprint: sha256.toUpperCase().match(/../g)?.join(":"),
      onProgress: (p) => phases.push(p.phase),
    });
    expect(batch.verdict).toBe("infected");
    expect(Object.fromEntries(batch.files.map((f) => [f.name, f.verdict]))).toEqual({
      "report.txt": "clean",
      "eicar.com": "infected",
      "résumé ✓.txt": "clean",
    });
    expect(batch.files.every((f) => f.dataId && f.contradictions.length === 0)).toBe(true);
    expect(batch.contradictions).toEqual([]);
    expect(batch.certificate).toMatchObject({
      status: "pinned",
      fingerprint: sha1Of(await env.sim.cluster.signingCertificate()),
      fingerprint256: sha256,
    });
    expect(batch.certificate.text).toContain(batch.batchId);
    expect(phases.filter((p) => p === "upload")).toHaveLength(3);
    expect(phases.at(-1)).toBe("analysis");

    const info = env.sim.cluster.batch(batch.batchId);
    expect(info?.closed).toBe(true);
    expect(info?.userData).toBe("release 1.4 ✓");
    expect(info?.dataIds.sort()).toEqual(batch.files.map((f) => f.dataId).sort());
  });

  it("refuses a tampered certificate", async () => {
    await using env = setup();
    const error = await scanBatch(env.cluster, paths, {
      verifyCertificate: (yaml, options) =>
        verifyBatchCertificate(
          yaml.replace("scan_all_result_i: 1", "scan_all_result_i: 0"),
          options,
        ),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(CertificateVerificationError);
    expect(error.message).toMatch(/signature/);
  });

  it("verifyBatchCertificate: any change to the signed part fails; the fingerprint can be pinned", async () => {
    await using env = setup();
    const { certificate, batchId } = await scanBatch(env.cluster, paths, {
      verifyCertificate: false,
    });
    expect(certificate.status).toBe("unverified");
    const yaml = certificate.text;
    const pem = await env.sim.cluster.signingCertificate();
    const sha1 = sha1Of(pem);
    expect(verifyBatchCertificate(yaml)).toMatchObject({ fingerprint: sha1, pinned: false });
    expect(verifyBatchCertificate(yaml).result.batch_id).toBe(batchId);

    // One byte of the batch id, inside the signed first document.
    const at = yaml.indexOf(batchId);
    const flipped = `${yaml.slice(0, at)}${yaml[at] === "a" ? "b" : "a"}${yaml.slice(at + 1)}`;
    expect(flipped).toHaveLength(yaml.length);
    expect(() => verifyBatchCertificate(flipped)).toThrow(CertificateVerificationError);
    // A byte of the signature itself.
    const sig = yaml.indexOf("signature: ") + "signature: ".length;
    const badSignature = `${yaml.slice(0, sig)}${yaml[sig] === "0" ? "1" : "0"}${yaml.slice(sig + 1)}`;
    expect(() => verifyBatchCertificate(badSignature)).toThrow(CertificateVerificationError);
    // No end of the signed document.
    expect(() => verifyBatchCertificate(yaml.replace("\n...\n", "\n"))).toThrow(
      CertificateVerificationError,
    );

    expect(() => verifyBatchCertificate(yaml, { expectedFingerprint: "ab".repeat(20) })).toThrow(
      /unexpected certificate/,
    );
    const colons = sha1.toUpperCase().match(/../g)?.join(":") ?? "";
    expect(verifyBatchCertificate(yaml, { expectedFingerprint: colons }).fingerprint).toBe(sha1);
    const sha256 = new X509Certificate(pem).fingerprint256;
    expect(verifyBatchCertificate(yaml, { expectedFingerprint: sha256 })).toMatchObject({
      fingerprint: sha1,
      pinned: true,
    });
    expect(() => verifyBatchCertificate(yaml, { expectedFingerprint: "not hex" })).toThrow(
      /SHA-1 \(40 hex digits\) or SHA-256/,
    );
  });

  it("abort while the batch is analysed cancels the batch on the gateway", async () => {
    await using env = setup({ cluster: { scanDurationMs: 60_000 } });
    const controller = new AbortController();
    const error = await scanBatch(env.cluster, paths, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "analysis") controller.abort();
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ScanAbortedError);
    expect(env.sim.state.requestCount("cancelBatch")).toBe(1);
    const [batch] = env.sim.cluster.batches;
    expect(batch?.cancelled).toBe(true);
    expect(batch?.dataIds).toHaveLength(3);
    for (const dataId of batch?.dataIds ?? [])
      expect(env.sim.cluster.file(dataId)?.state.cancelled).toBe(true);
    expect(env.sim.state.requestCount("getBatchCertificate")).toBe(0);
  });

  it("checks every file against the rule's size limit before creating the batch", async () => {
    await using env = setup();
    const inputs = [
      { data: new Uint8Array(2 * 1024 * 1024), name: "too-big.bin" },
      { data: new Uint8Array(10), name: "ok.bin" },
    ];
    const error = await scanBatch(env.cluster, inputs, { rule: "strict" }).catch((e) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(env.sim.state.requestCount("createBatch")).toBe(0);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });

  it("a failed upload stops the others and cancels the incomplete batch", async () => {
    await using env = setup({ faults: { analyzeFile: { burst: { status: 500, count: 1 } } } });
    const inputs = Array.from({ length: 12 }, (_, i) => ({
      data: new TextEncoder().encode(`small ${i}`),
      name: `s${i}.txt`,
    }));
    const error = await scanBatch(env.cluster, inputs, { concurrency: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(BatchError);
    expect(error.cause).toBeInstanceOf(InternalServerError);
    expect(error.batchId).toBe(env.sim.cluster.batches[0]?.batchId);
    expect(env.sim.state.requestCount("cancelBatch")).toBe(1);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(1);
    expect(env.sim.state.requestCount("closeBatch")).toBe(0);
    expect(env.sim.cluster.batches[0]?.cancelled).toBe(true);
  });
});
