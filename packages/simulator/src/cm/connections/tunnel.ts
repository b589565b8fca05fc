import type { SimContext } from "../../context.js";
import { badRequest, CmHttpError } from "../errors.js";
import type { CmServices } from "../services.js";

/** The methods `X-App-Method` may name (the spec's enum). */
const METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);

/** Prefix of the headers forwarded to the product, stripped on the way. */
const HEADER_PREFIX = "x-app-header-";

/** Headers that describe one hop, never forwarded either way. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-authorization",
  "proxy-authenticate",
  "host",
]);

/** Where the embedded product is addressed (never resolved: `coreFetch` is in-process). */
const PRODUCT_ORIGIN = "http://product.internal";

/**
 * `sendConnectionRequest`: rebuilds the product request from `X-App-Method`,
 * `X-App-URL` and the `X-App-Header-*` family (prefix stripped; an
 * `Authorization` is never forwarded, so the Central Management bearer
 * token cannot reach the product), streams the body through unread, and
 * answers with the product's status, headers and body as they come.
 * Refuses with 400 for an unknown or closed connection and malformed
 * `X-App-*` headers, and with 409 while the connection is not `CONNECTED`.
 */
export async function tunnel(c: SimContext, services: CmServices): Promise<Response> {
  const connection = services.connections.require(c.req.param("connectionId") ?? "");
  if (connection.status !== "CONNECTED") {
    throw new CmHttpError(
      409,
      "conflict",
      `The connection is not established (status ${connection.status}); wait for CONNECTED`,
    );
  }
  const method = (c.req.header("x-app-method") ?? "").toUpperCase();
  if (!METHODS.has(method))
    throw badRequest(`X-App-Method must be one of ${[...METHODS].join(", ")}`);
  const path = c.req.header("x-app-url") ?? "";
  if (!path.startsWith("/") || path.startsWith("//")) {
    throw badRequest("X-App-URL must be the path of the product request, e.g. /file/rules");
  }

  const outer = c.req.raw;
  const headers = new Headers();
  for (const [name, value] of outer.headers) {
    if (!name.startsWith(HEADER_PREFIX)) continue;
    const target = name.slice(HEADER_PREFIX.length);
    if (!target || target === "authorization" || HOP_BY_HOP.has(target)) continue;
    headers.append(target, value);
  }
  const hasBody = method !== "GET" && method !== "HEAD" && outer.body !== null;
  if (hasBody) {
    // The body is the product's as it is: its media type and length describe it.
    for (const name of ["content-type", "content-length"]) {
      const value = outer.headers.get(name);
      if (value !== null && !headers.has(name)) headers.set(name, value);
    }
  }
  const request = new Request(new URL(path, PRODUCT_ORIGIN), {
    method,
    headers,
    body: hasBody ? outer.body : null,
    duplex: "half",
  } as RequestInit);
  services.connections.countRequest(connection.connId);
  const answer = await services.coreFetch(request);
  const out = new Headers();
  for (const [name, value] of answer.headers) if (!HOP_BY_HOP.has(name)) out.append(name, value);
  return new Response(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: out,
  });
}
