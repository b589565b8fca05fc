// Test helpers of the simulated Cluster gateway: a clock, logged-in typed
// clients, upload/result shortcuts, and a verifier of signed batch results.
// The verifier belongs to the tests only; `@mdkit/scan` will own verification.
import { verify, X509Certificate } from "node:crypto";
import {
  type AnalysisResult,
  type AnalyzeFileHeaders,
  type ClusterClient,
  createClusterClient,
  isNotFoundResult,
  unwrap,
} from "@mdkit/cluster";
import { parseAllDocuments } from "yaml";
import { EICAR_TEST_STRING, type Simulator } from "../src/index.js";

/** The EICAR test string. */
export const EICAR = EICAR_TEST_STRING;
/** The simulator's default suspicious marker. */
export const MARKER = "MDKIT-SUSPICIOUS-TEST-MARKER";

/** A clock the test moves by hand. */
export { manualClock as testClock } from "@mdkit/testing";

/** Logs in as admin/admin and returns the session id. */
export async function login(sim: Simulator, baseUrl = "http://sim.local"): Promise<string> {
  const anonymous = createClusterClient({ baseUrl, fetch: sim.fetch });
  const { session_id } = await unwrap(
    anonymous.POST("/login", { body: { user: "admin", password: "admin" } }),
  );
  return session_id;
}

/**
 * A typed client with a fresh session: in-process through `sim.fetch`, or
 * over HTTP when `baseUrl` is a listening server's URL.
 */
export async function clusterClient(sim: Simulator, baseUrl?: string): Promise<ClusterClient> {
  const apikey = await login(sim);
  return createClusterClient({
    baseUrl: baseUrl ?? "http://sim.local",
    ...(baseUrl ? {} : { fetch: sim.fetch }),
    auth: () => ({ apikey }),
  });
}

/** Uploads bytes or text and returns the `data_id`. */
export async function upload(
  cluster: ClusterClient,
  content: Uint8Array | string,
  header: Partial<NonNullable<AnalyzeFileHeaders>> = {},
): Promise<string> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const { data_id } = await unwrap(
    cluster.POST("/file", {
      body: bytes,
      params: { header: { ...header, "Content-Length": bytes.byteLength } },
    }),
  );
  return data_id;
}

/** The analysis result of a `data_id` (fails the test on "Not Found"). */
export async function result(
  cluster: ClusterClient,
  dataId: string,
  query: { first?: number; size?: number } = {},
): Promise<AnalysisResult> {
  const data = await unwrap(
    cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId }, query } }),
  );
  if (isNotFoundResult(data)) throw new Error(`${dataId} not found`);
  return data;
}

/** What {@link verifyBatchCertificate} found. */
export interface CertificateCheck {
  /** Whether the signature over the first document verifies with the included certificate. */
  valid: boolean;
  /** The signed first document, as text. */
  signedText: string;
  /** The first document, parsed. */
  result: Record<string, unknown>;
  /** The signing certificate. */
  certificate: X509Certificate;
}

/**
 * Verifies a signed batch result: the first YAML document's exact bytes
 * (from its `---` through the newline after `...`) against the hex
 * `signature` of the second, with the PEM `certificate` it carries
 * (RSASSA-PKCS1-v1_5, SHA-256), and its `cert_sha1_fingerprint`.
 */
export function verifyBatchCertificate(body: Uint8Array | string): CertificateCheck {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const text = new TextDecoder().decode(bytes);
  const end = text.indexOf("\n...\n");
  if (end < 0) throw new Error("no end of the first YAML document");
  const signedText = text.slice(0, end + 5);
  const signedBytes = bytes.subarray(0, new TextEncoder().encode(signedText).byteLength);
  const [first, second] = parseAllDocuments(text).map(
    (doc) => doc.toJS() as Record<string, unknown>,
  );
  if (!first || !second) throw new Error("expected two YAML documents");
  const certificate = new X509Certificate(String(second.certificate));
  const signature = Buffer.from(String(second.signature), "hex");
  const fingerprint = certificate.fingerprint.replaceAll(":", "").toLowerCase();
  const valid =
    fingerprint === first.cert_sha1_fingerprint &&
    verify("sha256", signedBytes, certificate.publicKey, signature);
  return { valid, signedText, result: first, certificate };
}
