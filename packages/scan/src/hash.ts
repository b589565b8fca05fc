import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** Computes a hex SHA-256 of a byte stream. Pluggable: the Node entry uses `node:crypto`. */
export type Sha256Hasher = (stream: ReadableStream<Uint8Array>) => Promise<string>;

/** An incremental SHA-256 (update per chunk, digest once). */
export interface IncrementalHash {
  update(chunk: Uint8Array): void;
  digestHex(): string;
}

/**
 * Portable incremental SHA-256 (`@noble/hashes`, audited pure JS).
 *
 * @example
 * ```ts
 * const hash = createSha256();
 * hash.update(new TextEncoder().encode("abc"));
 * hash.digestHex(); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function createSha256(): IncrementalHash {
  const hash = sha256.create();
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digestHex: () => bytesToHex(hash.digest()),
  };
}

/** Portable streaming SHA-256 of a stream. */
export const portableSha256: Sha256Hasher = async (stream) => {
  const hash = createSha256();
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.digestHex();
};
