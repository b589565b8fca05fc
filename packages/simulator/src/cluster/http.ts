/** Small helpers shared by the gateway's routes: error bodies and header parsing. */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SimContext } from "../context.js";

/** A `{"err": message}` answer, the gateway's error body. */
export function gatewayError(
  c: SimContext,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
): Response {
  return c.json({ err: message }, status, headers);
}

/** A JSON answer from its text: the answer `c.json` gives for the value it stands for. */
export function jsonText(c: SimContext, json: string): Response {
  return c.body(json, undefined, { "Content-Type": "application/json" });
}

/** `{"<id>": "Not Found"}` with HTTP 200, as the gateway answers unknown ids and hashes. */
export function notFoundResult(c: SimContext, id: string): Response {
  return c.json({ [id]: "Not Found" }, 200);
}

/** Percent-decodes a header value; a value that is not valid percent-encoding is kept as sent. */
export function decodeHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A boolean header (`true`/`1` are true); `undefined` gives `fallback`. */
export function booleanHeader(value: string | undefined, fallback = false): boolean {
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  return v === "true" || v === "1";
}

/** A non-negative integer from a header or query value, else `fallback`. */
export function nonNegativeInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

/** The `first` / `size` query of a paged listing (defaults 0 and 50). */
export function pageQuery(c: SimContext): { first: number; size: number } {
  const size = nonNegativeInt(c.req.query("size"), 50);
  return { first: nonNegativeInt(c.req.query("first"), 0), size: size > 0 ? size : 50 };
}

/**
 * A JSON object sent in a header, plain or percent-encoded; `undefined`
 * when absent, `null` when it is not a JSON object.
 */
export function jsonObjectHeader(
  value: string | undefined,
): Record<string, unknown> | null | undefined {
  if (value === undefined) return undefined;
  for (const text of [value, decodeHeader(value) ?? value]) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // try the decoded form
    }
  }
  return null;
}
