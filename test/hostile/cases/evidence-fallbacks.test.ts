/**
 * The paths that exist to survive a failing gateway are paths an attacker
 * can steer: a hash lookup that fails is answered by uploading, and a batch
 * is picked up again by its id. A lookup for EICAR answered 200 with a clean
 * verdict for another hash, with an unreadable body, or with an error
 * carrying a clean-looking body never yields clean: the file is uploaded and
 * its own analysis decides. `resumeBatch` refuses an id with path
 * characters before any request, and a resumed batch whose signed result
 * was re-signed with a key of the gateway's own fails the pin.
 */
import { createHash } from "node:crypto";
import {
  CertificateVerificationError,
  resumeBatch,
  ScanTimeoutError,
  scanBatch,
  scanFile,
} from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  createForeignSigner,
  hostileCase,
  resignBatchCertificate,
  type UpstreamAnswer,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { folder, lyingGateway } from "../evidence-setup.js";

type Json = Record<string, unknown>;

const EICAR = new TextEncoder().encode(EICAR_TEST_STRING);
const EICAR_SHA256 = createHash("sha256").update(EICAR_TEST_STRING).digest("hex");
const isEicarLookup = (a: UpstreamAnswer) => a.path === `/hash/${EICAR_SHA256}`;
const CLEAN = { scan_all_result_i: 0, scan_all_result_a: "No Threat Detected" };

describe("a hash lookup that lies or fails is answered by uploading, never by a verdict", () => {
  it.each([
    ["200, a clean result about another hash", "other-hash"],
    ["200, an unreadable body", "garbage"],
    ["200, a clean result whose data_id is a path", "path-id"],
    ["500 with a clean-looking body", "error-clean"],
    ["404 with a clean-looking body", "not-found-clean"],
  ] as const)("library: a lookup of EICAR answered %s", async (label, lie) => {
    await hostileCase(
      `evidence: lookup fallback, ${label}`,
      { deadlineMs: 15_000 },
      async (probe) => {
        let clean: Json | undefined;
        await using env = await lyingGateway((a) => {
          if (!isEicarLookup(a) || !clean) return undefined;
          const forged = {
            ...clean,
            file_info: { ...(clean.file_info as Json), sha256: EICAR_SHA256 },
          };
          switch (lie) {
            case "other-hash":
              return { json: clean };
            case "garbage":
              return { text: "{ not json" };
            case "path-id":
              return { json: { ...forged, data_id: "../file/rules" } };
            case "error-clean":
              return { status: 500, json: forged };
            default:
              return { status: 404, json: forged };
          }
        });
        const harmless = await scanFile(env.cluster, {
          data: new TextEncoder().encode("harmless"),
        });
        clean = {
          ...(harmless.raw as unknown as Json),
          scan_results: { ...(harmless.raw.scan_results as Json), ...CLEAN },
        };
        const before = env.gateway.requests.length;
        const result = await scanFile(env.cluster, { data: EICAR, name: "eicar.com" });
        probe.output("result", {
          verdict: result.verdict,
          origin: result.origin,
          lookup: result.lookup.status,
        });
        probe.infected(result.clean);
        expect(result).toMatchObject({ verdict: "infected", origin: "upload", clean: false });
        expect(result.lookup.status).toBe("failed");
        expect(result.uploadedBytes).toBe(EICAR.byteLength);
        // Nothing was requested with the lying answer's ids.
        const after = env.gateway.requests.slice(before).map((r) => r.url);
        expect(after.filter((url) => url.includes("..") || url.includes(harmless.dataId))).toEqual(
          [],
        );
      },
    );
  });
});

describe("resumeBatch with a hostile id or a forged signer", () => {
  it("refuses a batch id with path characters before any request", async () => {
    await hostileCase(
      "evidence: resumeBatch id with path characters",
      { deadlineMs: 10_000 },
      async (probe) => {
        await using env = await lyingGateway(() => undefined);
        for (const id of ["../file/rules", "a/b", "%2e%2e", "a b", ""]) {
          const error = await resumeBatch(env.cluster, id).catch((e: unknown) => e);
          probe.output("error", { id, name: (error as Error)?.name });
          expect((error as Error)?.name).toBe("InvalidDataIdError");
        }
        expect(env.gateway.requests).toEqual([]);
      },
    );
  });

  it("a batch resumed after its timeout, re-signed clean by the gateway's own key, fails the pin", async () => {
    await hostileCase(
      "evidence: resumeBatch with a foreign signer",
      { deadlineMs: 30_000 },
      async (probe) => {
        const signer = await createForeignSigner();
        let forge = false;
        await using env = await lyingGateway(
          async (a) => {
            if (!forge || !a.path.endsWith("/certificate") || a.status !== 200) return undefined;
            const text = await resignBatchCertificate(signer, a.text, (result) => {
              Object.assign(result.scan_results as Json, CLEAN);
            });
            return { text };
          },
          { cluster: { scanDurationMs: 1_500 } },
        );
        await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
        const pin = (await env.sim.cluster.signingFingerprints()).sha256;
        const timeout = await scanBatch(env.cluster, [dir.file("eicar.com")], {
          expectedFingerprint: pin,
          timeoutMs: 500,
        }).catch((e: unknown) => e);
        expect(timeout).toBeInstanceOf(ScanTimeoutError);
        const batchId = (timeout as ScanTimeoutError).batchId as string;
        expect(batchId).toBeTruthy();
        forge = true;
        const error = await resumeBatch(env.cluster, batchId, { expectedFingerprint: pin }).catch(
          (e: unknown) => e,
        );
        probe.output("error", { name: (error as Error)?.name });
        probe.infected(!(error instanceof Error));
        expect(error).toBeInstanceOf(CertificateVerificationError);
        expect((error as CertificateVerificationError).batchId).toBe(batchId);
      },
    );
  });
});
