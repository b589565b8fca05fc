import { unwrap } from "@mdkit/cluster";
import type { BatchCertificate, BatchResultOptions } from "../batch.js";
import { CertificateVerificationError, InvalidInputError } from "../errors.js";
import type { BatchRun } from "./batch-run.js";

/** The signed result of a batch and what was established about its signer. */
export interface CheckedCertificate {
  certificate: BatchCertificate;
  /** The signed batch result, parsed. */
  result: Record<string, unknown>;
}

/**
 * Refuses options under which the signed result could not be read or
 * checked, before anything is sent: a pin without a verifier, or neither a
 * verifier nor a reader of the signed YAML.
 *
 * @throws {InvalidInputError} naming the option to set.
 */
export function checkCertificateOptions(options: BatchResultOptions): void {
  const { expectedFingerprint, verifyCertificate, readSignedResult } = options;
  if (verifyCertificate) return;
  if (expectedFingerprint !== undefined)
    throw new InvalidInputError("expectedFingerprint needs a verifyCertificate function");
  if (!readSignedResult)
    throw new InvalidInputError(
      "the signed batch result is YAML: pass verifyCertificate, or readSignedResult with verifyCertificate: false (the scanBatch and resumeBatch of @mdkit/scan/node pass both)",
    );
}

/** Reads the signed result without checking it (`verifyCertificate: false`). */
function unverified(text: string, options: BatchResultOptions): CheckedCertificate {
  checkCertificateOptions(options);
  const readSignedResult = options.readSignedResult as (yaml: string) => Record<string, unknown>;
  const certificate = {
    status: "unverified",
    fingerprint: undefined,
    fingerprint256: undefined,
    text,
  } as const;
  return { certificate, result: readSignedResult(text) };
}

/** Checks the signed result as asked, and says what was established. */
export async function checkCertificate(
  text: string,
  options: BatchResultOptions,
): Promise<CheckedCertificate> {
  const { expectedFingerprint, verifyCertificate } = options;
  if (!verifyCertificate) return unverified(text, options);
  const check = await verifyCertificate(text, { expectedFingerprint });
  if (expectedFingerprint !== undefined && !check.pinned)
    throw new CertificateVerificationError("the verifier did not check the expected fingerprint");
  return {
    certificate: {
      status: check.pinned ? "pinned" : "unpinned",
      fingerprint: check.fingerprint,
      fingerprint256: check.fingerprint256,
      text,
    },
    result: check.result,
  };
}

/** Downloads the batch's signed result (`GET /file/batch/{id}/certificate`) and checks it. */
export async function fetchCertificate(run: BatchRun): Promise<CheckedCertificate> {
  const { client, batchId, options, deadline } = run;
  const metadata = options.certificateMetadata
    ? { metadata: encodeURIComponent(JSON.stringify(options.certificateMetadata)) }
    : {};
  const text = await unwrap(
    client.GET("/file/batch/{batchId}/certificate", {
      params: { path: { batchId }, header: metadata },
      parseAs: "text",
      signal: deadline.signal,
    }),
  );
  return checkCertificate(text, options);
}
