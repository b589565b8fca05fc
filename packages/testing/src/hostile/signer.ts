import { createHash } from "node:crypto";
import { parseAllDocuments, stringify } from "yaml";

const ALGORITHM = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/** A key pair and self-signed certificate of an attacker, to sign batch results with. */
export interface ForeignSigner {
  /** The certificate, PEM. */
  certificatePem: string;
  /** Its SHA-1 fingerprint, lower-case hex. */
  fingerprint: string;
  /** Signs text (RSASSA-PKCS1-v1_5, SHA-256), hex: as a gateway signs its batch result. */
  sign(text: string): Promise<string>;
}

/**
 * A signer that is not the gateway's: its own RSA key and self-signed
 * certificate, made as the simulator makes its own (`@peculiar/x509`).
 */
export async function createForeignSigner(): Promise<ForeignSigner> {
  await import("reflect-metadata");
  const { X509CertificateGenerator } = await import("@peculiar/x509");
  const crypto = globalThis.crypto;
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const now = Date.now();
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: "02",
      name: "CN=not the gateway, O=attacker",
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 86_400_000),
      keys,
      signingAlgorithm: ALGORITHM,
    },
    crypto,
  );
  return {
    certificatePem: `${certificate.toString("pem").trimEnd()}\n`,
    fingerprint: createHash("sha1").update(new Uint8Array(certificate.rawData)).digest("hex"),
    async sign(text) {
      const data = new TextEncoder().encode(text);
      const signature = await crypto.subtle.sign(ALGORITHM.name, keys.privateKey, data);
      return Buffer.from(signature).toString("hex");
    },
  };
}

/**
 * A certificate response (`GET /file/batch/{id}/certificate`) for `result`
 * (the batch result to claim), signed by `signer` and embedding its
 * certificate: self-consistent, but not signed by the gateway.
 */
export async function signBatchResult(
  signer: ForeignSigner,
  result: Record<string, unknown>,
): Promise<string> {
  const document = `---\n${stringify({ ...result, cert_sha1_fingerprint: signer.fingerprint })}...\n`;
  const signature = await signer.sign(document);
  return `${document}---\n${stringify({ signature, certificate: signer.certificatePem })}`;
}

/**
 * A gateway's certificate response rewritten by an attacker: its first
 * document (the batch result) parsed, changed by `edit`, and signed again by
 * `signer`, whose certificate replaces the gateway's.
 */
export async function resignBatchCertificate(
  signer: ForeignSigner,
  certificateText: string,
  edit: (result: Record<string, unknown>) => void,
): Promise<string> {
  const [first] = parseAllDocuments(certificateText) as ReturnType<typeof parseAllDocuments> &
    unknown[];
  const result = (first?.toJS() ?? {}) as Record<string, unknown>;
  edit(result);
  return signBatchResult(signer, result);
}
