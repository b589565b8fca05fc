import { isBinaryBody, toFetchBody } from "./binary.js";

function contentTypeOf(headers: unknown): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get("content-type") ?? undefined;
  const record = headers as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === "content-type") return String(record[key]);
  }
  return undefined;
}

/**
 * Serialises a request body by its declared media type: binary bodies pass
 * through untouched (no copy, no JSON), form bodies are URL-encoded, text is
 * sent as is and everything else becomes JSON.
 *
 * @example
 * ```ts
 * serializeBody({ a: 1 }); // '{"a":1}'
 * serializeBody({ a: "b c" }, { "Content-Type": "application/x-www-form-urlencoded" }); // "a=b+c"
 * serializeBody(new Uint8Array(3)); // the same Uint8Array, not copied
 * ```
 */
export function serializeBody(
  body: unknown,
  headers?: unknown,
): NonNullable<RequestInit["body"]> | undefined {
  if (body === undefined) return undefined;
  if (isBinaryBody(body)) return toFetchBody(body);
  if (body instanceof FormData || body instanceof URLSearchParams) return body;
  const type = contentTypeOf(headers)?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (value !== undefined && value !== null) form.append(key, String(value));
    }
    return form.toString();
  }
  if (typeof body === "string" && type !== "application/json") return body;
  return JSON.stringify(body);
}
