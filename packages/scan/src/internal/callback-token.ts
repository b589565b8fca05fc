/** Bytes of randomness in a callback token: 256 bits (at least 128 are needed to be unguessable). */
const TOKEN_BYTES = 32;

/** Tokens drawn per refill of a source's pool: one call to the generator per 128 tokens. */
const TOKENS_PER_REFILL = 128;

/** What a token looks like in a callback URL: 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Fresh callback tokens from the platform's cryptographic generator
 * (`crypto.getRandomValues`), base64url-encoded. The random bytes are drawn
 * a pool at a time (one generator call costs far more than the bytes) and
 * each byte serves one token only: it is wiped once encoded, and the pool is
 * refilled when used up. A token names one submission and grants nothing
 * else: a leaked token can at most make a scan confirm its result one
 * request early.
 */
export class TokenSource {
  readonly #pool = new Uint8Array(TOKEN_BYTES * TOKENS_PER_REFILL);
  #offset = this.#pool.length;

  /** A new token: 43 base64url characters carrying 256 random bits. */
  next(): string {
    const pool = this.#pool;
    if (this.#offset + TOKEN_BYTES > pool.length) {
      crypto.getRandomValues(pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += TOKEN_BYTES;
    const token = base64url(pool, start);
    pool.fill(0, start, start + TOKEN_BYTES);
    return token;
  }
}

/** The 32 bytes of `bytes` from `start`, base64url-encoded without padding (43 characters). */
function base64url(bytes: Uint8Array, start: number): string {
  let text = "";
  const end = start + TOKEN_BYTES - 2;
  let i = start;
  for (; i < end; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    text +=
      (BASE64URL[n >>> 18] as string) +
      BASE64URL[(n >>> 12) & 63] +
      BASE64URL[(n >>> 6) & 63] +
      BASE64URL[n & 63];
  }
  // The last 2 bytes: 16 bits in 3 characters.
  const n = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  return text + BASE64URL[n >>> 10] + BASE64URL[(n >>> 4) & 63] + BASE64URL[(n << 2) & 63];
}
