import { startRewritingGateway } from "./proxy.js";
import type { HostileServer, RecordedRequest } from "./server.js";

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
  return startRewritingGateway(target, (answer) =>
    answer.json === undefined
      ? undefined
      : { status: answer.status, json: rewrite(answer.json, answer.request) },
  );
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
