import { deriveSeed } from "../../internal/random.js";
import type { ReportSet } from "../data/report-set.js";
import { badRequest } from "../errors.js";
import { type JsonObject, optionalInteger, optionalString } from "../request-body.js";

/**
 * Most records one request examines. A selective filter over millions of
 * records would otherwise scan them all in one request; instead a page may
 * come back short (even empty) with a `token` to continue, as cursor APIs do.
 */
export const SCAN_BUDGET = 10_000;

/** The paging part of a cursor query (`limit`, `token`, time window). */
export interface CursorQuery {
  limit: number;
  token: string | undefined;
  startTime: number | undefined;
  endTime: number | undefined;
}

/** Reads `limit` (1–100, default 20), `token`, `start_time` and `end_time`, or 400. */
export function readCursorQuery(body: JsonObject): CursorQuery {
  const limit = optionalInteger(body, "limit", 1, 100) ?? 20;
  const token = optionalString(body, "token") || undefined;
  const startTime = optionalInteger(body, "start_time", 1);
  const endTime = optionalInteger(body, "end_time", 1);
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw badRequest("end_time must not be before start_time");
  }
  return { limit, token, startTime, endTime };
}

/** One page of a cursor-paginated list. */
export interface CursorPage<R> {
  /** Continues the listing; absent on the last page. */
  token?: string;
  data: R[];
}

/** JSON with sorted keys and sorted arrays, so equal queries hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Serves one page of `set` for a query: the records with timestamps in the
 * window that `matches` accepts, ascending, at most `limit`. The token
 * encodes the next position and a hash of the query (window and filter;
 * `limit` may change between pages), sealed with a check derived from the
 * seed: a token altered, of another kind or used with another query is
 * refused with 400.
 */
export function cursorPage<R>(
  seed: number,
  set: ReportSet<R>,
  query: CursorQuery,
  filter: object,
  matches: (record: R) => boolean,
): CursorPage<R> {
  const [lo, hi] = set.timeline.range(query.startTime, query.endTime);
  const hash = deriveSeed(
    seed,
    "query",
    set.kind,
    canonical({ start_time: query.startTime, end_time: query.endTime, filter }),
  ).toString(36);
  const seal = (position: number) =>
    deriveSeed(seed, "cursor", set.kind, position, hash).toString(36);

  let position = lo;
  if (query.token !== undefined) {
    const [kind, at, tokenHash, check] = Buffer.from(query.token, "base64url")
      .toString("utf8")
      .split(".");
    const decoded = Number(at);
    if (kind !== set.kind || !Number.isSafeInteger(decoded) || check !== seal(decoded)) {
      throw badRequest("token is invalid");
    }
    if (tokenHash !== hash || decoded < lo || decoded > hi) {
      throw badRequest(
        "token does not belong to this query: send the same start_time, end_time and filter as for the first page",
      );
    }
    position = decoded;
  }

  const data: R[] = [];
  let next: number | undefined;
  let i = position;
  for (let examined = 0; i < hi && examined < SCAN_BUDGET; i++, examined++) {
    const record = set.at(i);
    if (!matches(record)) continue;
    if (data.length === query.limit) {
      next = i;
      break;
    }
    data.push(record);
  }
  if (next === undefined && i < hi) next = i;
  if (next === undefined) return { data };
  const token = Buffer.from(`${set.kind}.${next}.${hash}.${seal(next)}`).toString("base64url");
  return { token, data };
}
