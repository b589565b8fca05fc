/** Bytes of randomness in a callback token: 256 bits (at least 128 are needed to be unguessable). */
const TOKEN_BYTES = 32;

/** What a token looks like in a callback URL: 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A fresh callback token from the platform's cryptographic generator
 * (`crypto.getRandomValues`), base64url-encoded. It names one submission and
 * grants nothing else: a leaked token can at most make a scan confirm its
 * result one request early.
 */
export function newCallbackToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
