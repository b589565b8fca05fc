import { verify, X509Certificate } from "node:crypto";
import type { CertificateCheck } from "../batch.js";
import { CertificateVerificationError, InvalidInputError } from "../errors.js";
import { splitSignedBatch } from "./signed-document.js";

/** A verified batch certificate. */
export interface VerifiedBatchCertificate extends CertificateCheck {
  /** The signed batch result (the first YAML document), parsed. */
  result: Record<string, unknown>;
  /** The signing certificate, PEM. */
  certificatePem: string;
  /** SHA-1 fingerprint of the certificate, lower-case hex without separators. */
  fingerprint: string;
  /** SHA-256 fingerprint of the certificate, lower-case hex without separators. */
  fingerprint256: string;
  /** Whether the signer was checked against `expectedFingerprint` (and matched). */
  pinned: boolean;
}

/** Options of {@link verifyBatchCertificate}. */
export interface VerifyOptions {
  /**
   * Accept only this signing certificate: its SHA-1 or SHA-256 fingerprint,
   * hex in any case, with or without colons. Without it the signature is
   * only checked against the certificate the same response embeds, which a
   * hostile gateway chooses: the result is then `pinned: false`.
   */
  expectedFingerprint?: string | undefined;
}

/**
 * A fingerprint as compared: lower-case hex, colons and white space removed.
 *
 * @example
 * ```ts
 * import { normalizeFingerprint } from "@mdkit/scan/node";
 *
 * normalizeFingerprint("5F:1C:0A:9E"); // "5f1c0a9e"
 * ```
 */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[:\s]/g, "").toLowerCase();
}

/** `expectedFingerprint`, normalised, or an error saying what a fingerprint looks like. */
function expected(fingerprint: string | undefined): string | undefined {
  if (fingerprint === undefined) return undefined;
  const wanted = normalizeFingerprint(fingerprint);
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(wanted)) {
    throw new InvalidInputError(
      "expectedFingerprint must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) fingerprint, colons allowed",
    );
  }
  return wanted;
}

/**
 * Verifies the signed batch result returned by `GET /file/batch/{id}/certificate`:
 * the signature (hex, second YAML document) must verify over the exact bytes
 * of the first YAML document (from its start up to and including its `...`
 * line) with the public key of the embedded PEM certificate, and the result's
 * `cert_sha1_fingerprint`, when present, must name that certificate. With
 * `expectedFingerprint`, the certificate must also be that one (`pinned:
 * true`); without it, the check only shows the response is consistent with
 * itself (`pinned: false`).
 *
 * @throws {CertificateVerificationError} naming what did not verify.
 * @throws {InvalidInputError} when `expectedFingerprint` is not a SHA-1 or SHA-256 fingerprint.
 * @example
 * ```ts
 * const check = verifyBatchCertificate(yaml, { expectedFingerprint: "AB:CD:…" });
 * console.log(check.pinned, check.result.batch_id);
 * ```
 */
export function verifyBatchCertificate(
  yamlText: string,
  options: VerifyOptions = {},
): VerifiedBatchCertificate {
  const wanted = expected(options.expectedFingerprint);
  const fail = (why: string): never => {
    throw new CertificateVerificationError(`batch certificate does not verify: ${why}`);
  };
  const { signed, result, trailer } = splitSignedBatch(yamlText);
  if (typeof trailer.signature !== "string" || !/^[0-9a-f]+$/i.test(trailer.signature))
    fail("missing or malformed signature");
  if (typeof trailer.certificate !== "string" || !trailer.certificate.includes("BEGIN CERTIFICATE"))
    fail("missing certificate");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(trailer.certificate as string);
  } catch {
    return fail("the embedded certificate cannot be parsed");
  }
  const ok = verify(
    "sha256",
    Buffer.from(signed, "utf8"),
    certificate.publicKey,
    Buffer.from(trailer.signature as string, "hex"),
  );
  if (!ok) fail("the signature does not match the batch result");
  const sha1 = normalizeFingerprint(certificate.fingerprint);
  const sha256 = normalizeFingerprint(certificate.fingerprint256);
  const declared = result.cert_sha1_fingerprint;
  if (declared !== undefined && declared !== null && declared !== "") {
    if (typeof declared !== "string" || normalizeFingerprint(declared) !== sha1)
      fail("cert_sha1_fingerprint does not match the embedded certificate");
  }
  if (wanted !== undefined && wanted !== sha1 && wanted !== sha256)
    fail(`signed by an unexpected certificate (SHA-256 ${sha256}), not the pinned one`);
  return {
    result,
    certificatePem: trailer.certificate as string,
    fingerprint: sha1,
    fingerprint256: sha256,
    pinned: wanted !== undefined,
  };
}
