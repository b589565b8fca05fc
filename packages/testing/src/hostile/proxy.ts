import type { IncomingHttpHeaders } from "node:http";
import { type HostileServer, type RecordedRequest, startHostileServer } from "./server.js";

/** An answer of the real gateway, as the rewriting gateway sees it. */
export interface UpstreamAnswer {
  /** Request method. */
  method: string;
  /** Request path, without the query. */
  path: string;
  /** Request query parameters. */
  query: URLSearchParams;
  /** HTTP status of the real answer. */
  status: number;
  /** The real answer's body, as text (decompressed). */
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  /** The request as it arrived (headers with their credentials, body). */
  request: RecordedRequest;
}

/** What the rewriting gateway sends instead: a status and a JSON body, or a text body. */
export type Rewritten = { status?: number; json: unknown } | { status?: number; text: string };

/** Decides, per answer, what to send instead (`undefined`: the real answer, untouched). */
export type Rewrite = (
  answer: UpstreamAnswer,
) => Rewritten | undefined | Promise<Rewritten | undefined>;

/** Request headers that belong to one hop, never forwarded. */
const HOP_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "accept-encoding",
]);

function forwardedHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_HEADERS.has(name) || value === undefined) continue;
    out.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return out;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * A gateway that lies selectively: every request is forwarded to the real
 * one at `target` (the simulator, say), and `rewrite` may replace its answer
 * (a status saying clean, a result for another `data_id`, a certificate
 * signed by another key). The requests it received are in `requests`.
 */
export async function startRewritingGateway(
  target: string,
  rewrite: Rewrite,
): Promise<HostileServer> {
  return startHostileServer(async (request, response, context) => {
    const method = request.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await context.body();
    const url = new URL(request.url ?? "/", target);
    const upstream = await fetch(url, {
      method,
      headers: forwardedHeaders(request.headers),
      ...(body ? { body: new Uint8Array(body) } : {}),
      redirect: "manual",
    });
    const bytes = Buffer.from(await upstream.arrayBuffer());
    const text = bytes.toString("utf8");
    const answer: UpstreamAnswer = {
      method,
      path: url.pathname,
      query: url.searchParams,
      status: upstream.status,
      text,
      json: parse(text),
      request: context.record,
    };
    const replaced = await rewrite(answer);
    const status = replaced?.status ?? upstream.status;
    // An answer left alone goes back byte for byte (downloads are binary).
    const out = replaced
      ? Buffer.from("json" in replaced ? JSON.stringify(replaced.json) : replaced.text)
      : bytes;
    const headers: Record<string, string> = {
      "content-type":
        replaced && "json" in replaced
          ? "application/json"
          : (upstream.headers.get("content-type") ?? "text/plain"),
      "content-length": String(out.length),
    };
    const retryAfter = upstream.headers.get("retry-after");
    if (retryAfter) headers["retry-after"] = retryAfter;
    response.writeHead(status, headers).end(out);
  });
}
