/**
 * The gateway lies about a batch holding EICAR: its unsigned status says
 * "clean, 0 files" beside a valid signed result saying infected; or it
 * embeds a certificate of its own and signs a "clean" result with it. The
 * verdict comes from the signed result, every file is accounted for, the
 * pinned signer refuses the foreign one, and an unpinned check is never
 * called "verified" (library and built CLI).
 */
import { scanBatch } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  builtCliAvailable,
  createForeignSigner,
  type ForeignSigner,
  hostileCase,
  resignBatchCertificate,
  runBuiltCli,
  type UpstreamAnswer,
} from "@mdkit/testing/hostile";
import { beforeAll, describe, expect, it } from "vitest";
import { errorOfInfectedScan, folder, lyingGateway } from "../evidence-setup.js";

type Json = Record<string, unknown>;

const cli = builtCliAvailable();
const isStatus = (a: UpstreamAnswer) =>
  a.method === "GET" && /^\/file\/batch\/[^/]+$/.test(a.path) && a.status === 200;
const isCertificate = (a: UpstreamAnswer) => a.path.endsWith("/certificate") && a.status === 200;

/** The process_info / scan_results of a clean file or batch. */
const CLEAN = { scan_all_result_i: 0, scan_all_result_a: "No Threat Detected" };
const ALLOWED = { result: "Allowed", blocked_reason: "", blocked_reasons: [], verdicts: [] };

/** The status claiming "clean, 0 files" (kept finished, so that the wait ends). */
function emptyCleanStatus(a: UpstreamAnswer) {
  if (!isStatus(a)) return undefined;
  const body = a.json as Json;
  return {
    json: {
      ...body,
      batch_files: { batch_count: 0, files_in_batch: [], first_index: 0, page_size: 50 },
      process_info: { ...(body.process_info as Json), ...ALLOWED },
      scan_results: { ...(body.scan_results as Json), ...CLEAN },
    },
  };
}

/** The status with every file and the batch turned clean: consistent with the forged certificate. */
function cleanStatus(a: UpstreamAnswer) {
  if (!isStatus(a)) return undefined;
  const body = a.json as Json;
  const files = body.batch_files as { files_in_batch: Json[] };
  for (const file of files.files_in_batch) {
    Object.assign(file, CLEAN);
    Object.assign(file.process_info as Json, ALLOWED);
  }
  return {
    json: {
      ...body,
      process_info: { ...(body.process_info as Json), ...ALLOWED },
      scan_results: { ...(body.scan_results as Json), ...CLEAN },
    },
  };
}

/** The real signed result, turned clean and signed by `signer`. */
const forgedCertificate = (signer: ForeignSigner) => async (a: UpstreamAnswer) => {
  if (!isCertificate(a)) return undefined;
  const text = await resignBatchCertificate(signer, a.text, (result) => {
    const files = (result.batch_files as { files_in_batch: Json[] }).files_in_batch;
    for (const file of files)
      Object.assign(file, { scan_all_result_i: 0, process_info: { result: "Allowed" } });
    Object.assign(result.process_info as Json, { result: "Allowed", blocked_reason: null });
    Object.assign(result.scan_results as Json, CLEAN);
  });
  return { text };
};

const files = {
  "report.txt": "quarterly numbers",
  "eicar.com": EICAR_TEST_STRING,
  "notes.txt": "notes",
};

let signer: ForeignSigner;
beforeAll(async () => {
  signer = await createForeignSigner();
});

describe("a batch whose evidence is forged", () => {
  it("library and CLI: a status saying 'clean, 0 files' beside a signed result saying infected", async () => {
    await hostileCase(
      "evidence: batch status lies, signed result infected",
      { deadlineMs: 20_000 },
      async (probe) => {
        await using env = await lyingGateway(emptyCleanStatus);
        await using dir = await folder(files);
        const paths = Object.keys(files).map((name) => dir.file(name));
        const pin = (await env.sim.cluster.signingFingerprints()).sha256;
        const batch = await scanBatch(env.cluster, paths, { expectedFingerprint: pin });
        probe.output("batch", { verdict: batch.verdict, contradictions: batch.contradictions });
        probe.infected(batch.verdict === "clean");
        probe.infected(batch.files.find((f) => f.name === "eicar.com")?.verdict !== "infected");
        expect(batch.verdict).toBe("infected");
        expect(batch.files).toHaveLength(3);
        expect(batch.certificate.status).toBe("pinned");
        expect(batch.contradictions).not.toEqual([]);
        if (!cli) return;
        const run = await runBuiltCli(
          [
            "batch",
            dir.path,
            "--user-data",
            "forged status",
            "--expect-fingerprint",
            pin,
            "--format",
            "json",
          ],
          { env: env.env },
        );
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        const summary = JSON.parse(run.stdout) as { verdict: string; files: Json[] };
        probe.infected(run.code === 0 || summary.verdict === "clean");
        expect(run.code).toBe(2);
        expect(summary.files).toHaveLength(3);
        expect(summary.files.find((f) => f.name === "eicar.com")?.verdict).toBe("infected");
        expect(run.stderr).toMatch(/the batch status says clean, the signed result infected/);
      },
    );
  });

  it("library and CLI: a result signed by another key, embedded in the same response, is refused by the pin", async () => {
    await hostileCase(
      "evidence: batch signed by a foreign key, pinned",
      { deadlineMs: 20_000 },
      async (probe) => {
        const forge = forgedCertificate(signer);
        await using env = await lyingGateway((a) => cleanStatus(a) ?? forge(a));
        await using dir = await folder(files);
        const paths = Object.keys(files).map((name) => dir.file(name));
        const pin = (await env.sim.cluster.signingFingerprints()).sha1;
        const error = await errorOfInfectedScan(
          probe,
          scanBatch(env.cluster, paths, { expectedFingerprint: pin }).then((batch) => ({
            clean: batch.verdict === "clean",
          })),
        );
        expect((error as Error)?.name).toBe("CertificateVerificationError");
        expect(String(error)).toMatch(/unexpected certificate/);
        if (!cli) return;
        const run = await runBuiltCli(["batch", dir.path, "--user-data", "forged signer"], {
          env: { ...env.env, MDKIT_BATCH_CERT_FINGERPRINT: pin },
        });
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        probe.infected(run.code === 0);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/unexpected certificate/);
      },
    );
  });

  it("library and CLI: without a pin the foreign signer is 'unpinned', never 'verified', and disagrees with the status", async () => {
    await hostileCase(
      "evidence: batch signed by a foreign key, unpinned",
      { deadlineMs: 20_000 },
      async (probe) => {
        await using env = await lyingGateway(forgedCertificate(signer));
        await using dir = await folder(files);
        const paths = Object.keys(files).map((name) => dir.file(name));
        const batch = await scanBatch(env.cluster, paths);
        probe.output("batch", { verdict: batch.verdict, contradictions: batch.contradictions });
        probe.infected(batch.verdict === "clean");
        expect(batch.certificate).toMatchObject({
          status: "unpinned",
          fingerprint: signer.fingerprint,
        });
        expect(batch.verdict).toBe("failed");
        if (!cli) return;
        const run = await runBuiltCli(
          ["batch", dir.path, "--user-data", "unpinned", "--format", "table"],
          {
            env: env.env,
          },
        );
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        probe.infected(run.code === 0);
        expect(run.code).toBe(2);
        expect(`${run.stdout}${run.stderr}`).not.toMatch(/verified/i);
        expect(run.stdout).toMatch(/NOT pinned/);
      },
    );
  });
});
