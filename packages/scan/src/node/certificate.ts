import { verify, X509Certificate } from "node:crypto";
import { parse, parseAllDocuments } from "yaml";
import { CertificateVerificationError } from "../errors.js";

/** A verified batch certificate. */
export interface VerifiedBatchCertificate {
  /** The signed batch result (the first YAML document), parsed. */
  result: Record<string, unknown>;
  /** The signing certificate, PEM. */
  certificatePem: string;
  /** SHA-1 fingerprint of the certificate, lower-case hex without separators. */
  fingerprint: string;
}

/** Options of {@link verifyBatchCertificate}. */
export interface VerifyOptions {
  /** Accept only this signing certificate (SHA-1 or SHA-256 fingerprint, any case, with or without colons). */
  expectedFingerprint?: string;
}

const END_OF_FIRST_DOCUMENT = "\n...\n";
const normalize = (fingerprint: string) => fingerprint.replace(/:/g, "").toLowerCase();

/**
 * Verifies the signed batch result returned by `GET /file/batch/{id}/certificate`:
 * the signature (hex, second YAML document) must verify over the exact bytes
 * of the first YAML document (from its start up to and including its `...`
 * line) with the public key of the embedded PEM certificate, and the result's
 * `cert_sha1_fingerprint`, when present, must name that certificate.
 *
 * @throws {CertificateVerificationError} naming what did not verify.
 */
export function verifyBatchCertificate(
  yamlText: string,
  options: VerifyOptions = {},
): VerifiedBatchCertificate {
  const fail = (why: string): never => {
    throw new CertificateVerificationError(`batch certificate does not verify: ${why}`);
  };
  const end = yamlText.indexOf(END_OF_FIRST_DOCUMENT);
  if (end < 0) fail("no end marker (`...`) after the batch result");
  const signed = yamlText.slice(0, end + END_OF_FIRST_DOCUMENT.length);
  const rest = yamlText.slice(end + END_OF_FIRST_DOCUMENT.length);
  let trailer: { signature?: unknown; certificate?: unknown };
  let result: Record<string, unknown>;
  try {
    trailer = (parse(rest) ?? {}) as typeof trailer;
    result = (parseAllDocuments(signed)[0]?.toJS() ?? {}) as Record<string, unknown>;
  } catch (error) {
    return fail(`unreadable YAML (${error instanceof Error ? error.message : String(error)})`);
  }
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
  const sha1 = normalize(certificate.fingerprint);
  const declared = result.cert_sha1_fingerprint;
  if (typeof declared === "string" && declared && normalize(declared) !== sha1) {
    fail("cert_sha1_fingerprint does not match the embedded certificate");
  }
  if (options.expectedFingerprint) {
    const wanted = normalize(options.expectedFingerprint);
    if (wanted !== sha1 && wanted !== normalize(certificate.fingerprint256))
      fail("signed by an unexpected certificate");
  }
  return { result, certificatePem: trailer.certificate as string, fingerprint: sha1 };
}
