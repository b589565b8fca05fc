/**
 * Report periods fitted to what Central Management accepts: split into
 * 30-day windows, the start checked against the age limit. Against a
 * scripted report list on a manual clock.
 */
import { type ManualClock, manualClock } from "@mdkit/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type CursorReportPath,
  createCentralManagementClient,
  paginateReports,
  ReportPeriodError,
} from "../src/index.js";

const DAY = 86_400_000;
let clock: ManualClock;
beforeEach(() => {
  clock = manualClock(Date.UTC(2026, 5, 1, 12));
});

interface Query {
  start_time?: number;
  end_time?: number;
  token?: string;
  limit?: number;
}

/**
 * A report list over `records` (sorted by timestamp) with cursor tokens,
 * refusing (400) a start older than `maxAgeMs` and a period over 30 days;
 * `end_time` inclusive or exclusive, as the document leaves open.
 */
function reportList(
  records: Array<{ id: string; timestamp: number }>,
  endInclusive: boolean,
  maxAgeMs: number,
) {
  const queries: Query[] = [];
  const fetch = async (request: Request) => {
    const q = (await request.json()) as Query;
    queries.push(q);
    const refuse = (message: string) =>
      Response.json({ error: "bad_request", message }, { status: 400 });
    if (q.start_time !== undefined && q.start_time < clock.now() - maxAgeMs && !q.token) {
      return refuse("start_time is too old");
    }
    if (
      q.start_time !== undefined &&
      q.end_time !== undefined &&
      q.end_time - q.start_time > 30 * DAY
    ) {
      return refuse("period over 30 days");
    }
    const inPeriod = records.filter(
      (r) =>
        (q.start_time === undefined || r.timestamp >= q.start_time) &&
        (q.end_time === undefined ||
          (endInclusive ? r.timestamp <= q.end_time : r.timestamp < q.end_time)),
    );
    const from = q.token ? Number(q.token.split(":")[1]) : 0;
    const limit = q.limit ?? 20;
    const data = inPeriod.slice(from, from + limit);
    const next = from + limit < inPeriod.length ? `${q.start_time}:${from + limit}` : undefined;
    return Response.json({ data, ...(next ? { token: next } : {}) });
  };
  const cm = createCentralManagementClient({ baseUrl: "http://cm.test", fetch, clock });
  return { cm, queries };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Records every 5 hours over 100 days, plus records exactly at the given instants (two at each). */
function history(end: number, edges: number[]) {
  const records: Array<{ id: string; timestamp: number }> = [];
  for (let t = end - 100 * DAY; t <= end; t += 5 * 3_600_000)
    records.push({ id: `r${t}`, timestamp: t });
  for (const t of edges) records.push({ id: `a${t}`, timestamp: t }, { id: `b${t}`, timestamp: t });
  return records.sort((a, b) => a.timestamp - b.timestamp || a.id.localeCompare(b.id));
}

describe("paginateReports over a period longer than one query", () => {
  it.each([
    ["inclusive", true],
    ["exclusive", false],
  ])(
    "splits 90 days of Core reports into 30-day windows, every record once, in order (end_time %s)",
    async (_, inclusive) => {
      const now = clock.now();
      const start = now - 90 * DAY;
      const edges = [start + 30 * DAY, start + 60 * DAY];
      const records = history(now, edges);
      const { cm, queries } = reportList(records, inclusive, 365 * DAY);
      const got = await all(
        paginateReports(cm, "/o/core/v1.1/reports", { start_time: start, end_time: now, limit: 7 }),
      );
      const expected = records.filter((r) => r.timestamp >= start && r.timestamp <= now);
      // The last instant of the period itself is only given by a server reading end_time inclusively.
      expect(got.map((r) => r.data_id ?? (r as unknown as { id: string }).id)).toEqual(
        expected.filter((r) => inclusive || r.timestamp < now).map((r) => r.id),
      );
      const windows = queries
        .filter((q) => !q.token)
        .map((q) => [q.start_time, q.end_time] as [number, number]);
      expect(windows).toEqual([
        [start, start + 30 * DAY],
        [start + 30 * DAY, start + 60 * DAY],
        [start + 60 * DAY, now],
      ]);
      // Each window is paged by its own cursor: a token is only sent with its own window.
      for (const q of queries.filter((q) => q.token)) {
        expect(q.token?.startsWith(`${q.start_time}:`)).toBe(true);
      }
    },
  );

  it("without end_time: a period needing several windows ends when the listing starts; a short one stays open", async () => {
    const now = clock.now();
    const { cm, queries } = reportList(history(now, []), true, 365 * DAY);
    await all(
      paginateReports(cm, "/o/core/v1.1/reports", { start_time: now - 45 * DAY, limit: 100 }),
    );
    expect(queries.filter((q) => !q.token).map((q) => [q.start_time, q.end_time])).toEqual([
      [now - 45 * DAY, now - 15 * DAY],
      [now - 15 * DAY, now],
    ]);
    queries.length = 0;
    await all(
      paginateReports(cm, "/o/core/v1.1/reports", { start_time: now - 7 * DAY, limit: 100 }),
    );
    expect(queries[0]).toEqual({ start_time: now - 7 * DAY, limit: 100 });
  });

  it("gives pages without the records an earlier window gave (byPage)", async () => {
    const now = clock.now();
    const start = now - 60 * DAY;
    const records = history(now, [start + 30 * DAY]);
    const { cm } = reportList(records, true, 365 * DAY);
    const pages = await all(
      paginateReports(cm, "/o/core/v1.1/reports", {
        start_time: start,
        end_time: now,
        limit: 50,
      }).byPage(),
    );
    const ids = pages.flatMap((p) =>
      (p.data ?? []).map((r) => (r as unknown as { id: string }).id),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(`a${start + 30 * DAY}`);
  });
});

describe("paginateReports and how far back a list may start", () => {
  const pmp: CursorReportPath = "/o/pmp/v1/reports";

  it('moves a start at the edge ("30 days ago", computed a moment earlier) just inside', async () => {
    const { cm, queries } = reportList(history(clock.now(), []), true, 30 * DAY);
    const thirtyDaysAgo = clock.now() - 30 * DAY;
    clock.advance(1_500);
    const got = await all(paginateReports(cm, pmp, { start_time: thirtyDaysAgo, limit: 100 }));
    expect(got.length).toBeGreaterThan(100);
    expect(queries[0]?.start_time).toBe(clock.now() - 30 * DAY + 60_000);
  });

  it("refuses a start further back than the list keeps, before any request, naming the limit", async () => {
    const { cm, queries } = reportList(history(clock.now(), []), true, 30 * DAY);
    const error = await all(
      paginateReports(cm, pmp, { limit: 20, start_time: clock.now() - 90 * DAY }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportPeriodError);
    expect(error).toMatchObject({ path: pmp, maxAgeMs: 30 * DAY });
    expect((error as Error).message).toMatch(
      /^\[@mdkit\/central-management\] .*30 days.*startTooOld/,
    );
    expect(queries).toHaveLength(0);
  });

  it("starts at the earliest start instead when told to clamp, and says so", async () => {
    const now = clock.now();
    const { cm, queries } = reportList(history(now, []), true, 30 * DAY);
    const clamped: Array<{ requested: number; used: number }> = [];
    const got = await all(
      paginateReports(
        cm,
        pmp,
        { start_time: now - 90 * DAY, limit: 100 },
        {
          startTooOld: "clamp",
          onStartClamped: (c) => clamped.push(c),
        },
      ),
    );
    expect(clamped).toEqual([{ requested: now - 90 * DAY, used: now - 30 * DAY + 60_000 }]);
    expect(queries[0]?.start_time).toBe(now - 30 * DAY + 60_000);
    expect(got.length).toBeGreaterThan(0);
    // A period wholly older than what is kept has nothing, and sends nothing.
    queries.length = 0;
    const none = await all(
      paginateReports(
        cm,
        pmp,
        { limit: 20, start_time: now - 90 * DAY, end_time: now - 60 * DAY },
        { startTooOld: "clamp" },
      ),
    );
    expect(none).toEqual([]);
    expect(queries).toHaveLength(0);
  });
});
