import type { CentralManagementClient } from "@mdkit/central-management";

/** Headers that describe a hop, not the product request; never tunnelled. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
  "proxy-authorization",
  "proxy-connection",
]);

/**
 * Turns a product request (`GET http://mdcore.tunnel/file/rules`) into the
 * Central Management tunnel call: `X-App-Method`, `X-App-URL` (path and
 * query), every header as `X-App-Header-{name}`, the body streamed as it is,
 * and gives the product's answer back as an ordinary `Response`.
 * `openDirectConnection` builds one for you; use this to put the tunnel
 * under a client of your own.
 *
 * @example
 * ```ts
 * import type { CentralManagementClient } from "@mdkit/central-management";
 * import { createTunnelFetch } from "@mdkit/direct-connection";
 *
 * declare const cm: CentralManagementClient;
 * declare const connectionId: string; // a ready connection (POST /fusion/console/services/connection/request/mdcore)
 * const tunnelFetch = createTunnelFetch(cm, () => connectionId);
 * const rules = await tunnelFetch("http://mdcore.tunnel/file/rules");
 * ```
 */
export function createTunnelFetch(
  cm: CentralManagementClient,
  connectionId: () => string,
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers[`X-App-Header-${name}`] = value;
    });
    // The outer request carries the product body's media type and length, so
    // it is streamed with a Content-Length all the way to the product.
    if (request.body) {
      const length = request.headers.get("content-length");
      if (length !== null) headers["content-length"] = length;
      headers["content-type"] = request.headers.get("content-type") ?? "application/octet-stream";
    }
    const method = request.method.toUpperCase() as
      | "GET"
      | "POST"
      | "PUT"
      | "DELETE"
      | "PATCH"
      | "HEAD"
      | "OPTIONS";
    const { response, error } = await cm.POST(
      "/fusion/console/services/connection/{connectionId}",
      {
        params: {
          path: { connectionId: connectionId() },
          header: { "X-App-Method": method, "X-App-URL": `${url.pathname}${url.search}` },
        },
        headers,
        ...(request.body ? { body: request.body } : {}),
        parseAs: "stream",
        signal: request.signal,
      },
    );
    if (response.ok || response.bodyUsed === false) return response;
    // The typed client read the error body; hand the product's answer back whole.
    const body =
      error === undefined ? null : typeof error === "string" ? error : JSON.stringify(error);
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
