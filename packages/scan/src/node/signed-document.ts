import { parseAllDocuments } from "yaml";
import { CertificateVerificationError } from "../errors.js";

/** The parts of a signed batch result (`GET /file/batch/{id}/certificate`). */
export interface SignedBatchParts {
  /** The exact text that is signed: from the start up to and including the `...` line. */
  signed: string;
  /** The signed batch result (the first YAML document), parsed. */
  result: Record<string, unknown>;
  /** The second document: `signature` (hex) and `certificate` (PEM), as found. */
  trailer: { signature?: unknown; certificate?: unknown };
}

const END_OF_FIRST_DOCUMENT = "\n...\n";

const fail = (why: string): never => {
  throw new CertificateVerificationError(`batch certificate does not verify: ${why}`);
};

/** The one YAML document of `text` as a plain object; fails on errors, duplicate keys or several documents. */
function onlyDocument(text: string, what: string): Record<string, unknown> {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents)) return fail(`${what} is empty`);
  if (documents.length !== 1)
    return fail(`${what} holds ${documents.length} YAML documents, not one`);
  const [document] = documents;
  const problem = document?.errors[0];
  if (!document || problem)
    return fail(`unreadable YAML in ${what} (${problem?.message ?? "empty"})`);
  const value: unknown = document.toJS();
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail(`${what} is not a mapping`);
  return value as Record<string, unknown>;
}

/**
 * Splits a signed batch result into the signed text, the batch result and
 * the signature/certificate trailer, refusing anything ambiguous: no `...`
 * end marker, several documents on either side, YAML errors or duplicate keys.
 *
 * @throws {CertificateVerificationError} naming what is wrong.
 */
export function splitSignedBatch(yamlText: string): SignedBatchParts {
  const end = yamlText.indexOf(END_OF_FIRST_DOCUMENT);
  if (end < 0) fail("no end marker (`...`) after the batch result");
  const signed = yamlText.slice(0, end + END_OF_FIRST_DOCUMENT.length);
  const rest = yamlText.slice(end + END_OF_FIRST_DOCUMENT.length);
  return {
    signed,
    result: onlyDocument(signed, "the signed batch result"),
    trailer: onlyDocument(rest, "the signature part"),
  };
}

/**
 * The signed batch result (the first YAML document), read without checking
 * its signature: what `scanBatch` uses with `verifyCertificate: false`.
 *
 * @throws {CertificateVerificationError} when the document is ambiguous (see {@link splitSignedBatch}).
 */
export function readSignedBatchResult(yamlText: string): Record<string, unknown> {
  return splitSignedBatch(yamlText).result;
}
