/**
 * Signs batch results. One RSA-2048 key pair and one self-signed X.509
 * certificate per simulator, made on first use (key generation takes a
 * moment, and most runs never ask for a certificate).
 *
 * What is signed: the exact UTF-8 bytes of the first YAML document of the
 * certificate response, from its opening `---` line up to and including
 * the newline that ends its `...` line. Algorithm: RSASSA-PKCS1-v1_5 with
 * SHA-256; the signature is hex-encoded (lowercase).
 *
 * `@peculiar/x509` needs a Reflect metadata polyfill (through tsyringe), so
 * it is loaded, after `reflect-metadata`, only when a first certificate is
 * made: runs that never sign do not load either.
 */
import { createHash } from "node:crypto";

const ALGORITHM = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/** The key and certificate of one simulator. */
export interface SigningMaterial {
  privateKey: CryptoKey;
  /** The self-signed certificate, PEM. */
  certificatePem: string;
  /** SHA-1 of the certificate's DER bytes, lowercase hex (`cert_sha1_fingerprint`). */
  fingerprint: string;
  /** SHA-256 of the certificate's DER bytes, lowercase hex (to pin the signer with). */
  fingerprint256: string;
}

async function loadX509() {
  await import("reflect-metadata");
  return import("@peculiar/x509");
}

async function createMaterial(now: number): Promise<SigningMaterial> {
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } =
    await loadX509();
  const crypto = globalThis.crypto;
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: "01",
      name: "CN=mdkit simulator batch signing, O=mdkit",
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 10 * 365 * 86_400_000),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  const der = new Uint8Array(certificate.rawData);
  return {
    privateKey: keys.privateKey,
    certificatePem: `${certificate.toString("pem").trimEnd()}\n`,
    fingerprint: createHash("sha1").update(der).digest("hex"),
    fingerprint256: createHash("sha256").update(der).digest("hex"),
  };
}

/** Signs batch results with the simulator's certificate. */
export class BatchSigner {
  private material: Promise<SigningMaterial> | undefined;

  constructor(private readonly now: () => number) {}

  /** The key and certificate, created on first call. */
  load(): Promise<SigningMaterial> {
    this.material ??= createMaterial(this.now()).catch((error: unknown) => {
      this.material = undefined;
      throw error;
    });
    return this.material;
  }

  /** The hex signature of `data`. */
  async sign(data: BufferSource): Promise<string> {
    const { privateKey } = await this.load();
    const signature = await globalThis.crypto.subtle.sign(ALGORITHM.name, privateKey, data);
    return Buffer.from(signature).toString("hex");
  }
}
