import { type HostileServer, type RecordedRequest, startHostileServer } from "./server.js";

/** Headers that describe one hop; not forwarded. */
const HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/**
 * A hostile party in front of an honest one (the simulator, say): forwards
 * every request as it came and rewrites each JSON answer with `rewrite`,
 * which also sees the request (to echo its credentials back, for instance).
 * Other answers pass through unchanged.
 */
export function startRewritingProxy(
  target: string,
  rewrite: (body: unknown, request: RecordedRequest) => unknown,
): Promise<HostileServer> {
  return startHostileServer(async (request, response, context) => {
    const body = await context.body();
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP.has(name)) {
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
    }
    const upstream = await fetch(new URL(context.record.url, target), {
      method: context.record.method,
      headers,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
      redirect: "manual",
    });
    const type = upstream.headers.get("content-type") ?? "application/octet-stream";
    let answer = Buffer.from(await upstream.arrayBuffer());
    if (type.includes("json") && answer.length) {
      const rewritten = rewrite(JSON.parse(answer.toString("utf8")), context.record);
      answer = Buffer.from(JSON.stringify(rewritten));
    }
    response.writeHead(upstream.status, { "content-type": type, "content-length": answer.length });
    response.end(answer);
  });
}

/**
 * A deep copy of `value` in which the string at every key named in
 * `fields` is replaced by what its function returns (given the old value).
 */
export function rewriteFields(
  value: unknown,
  fields: Record<string, (old: string) => string>,
): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteFields(item, fields));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const replace = fields[key];
    out[key] = replace && typeof item === "string" ? replace(item) : rewriteFields(item, fields);
  }
  return out;
}
