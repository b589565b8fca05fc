/**
 * `mdkit cm reports` over periods the strict simulator checks: a start at
 * the edge of how far back a list reaches, a period longer than one query,
 * a start further back than the list keeps, with the simulator's rate limit
 * on (over HTTP, in real time: a short window).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonl, run, startServer, type TestServer } from "./helpers.js";

const DAY = 86_400_000;
const CORE_REPORTS = 600;
const RATE_LIMIT = 20;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    cm: {
      rateLimit: { limit: RATE_LIMIT, windowMs: 500 },
      dataSpanMs: 120 * DAY,
      volumes: { coreReports: CORE_REPORTS, pmpReports: 300 },
    },
  });
});
afterAll(() => server.sim.close());

const failed = () => [...server.sim.state.responsesByStatus].filter(([status]) => status >= 400);

describe("mdkit cm reports: the period of a listing", () => {
  it("accepts --since 30d for PMP reports (their age limit) without a refusal", async () => {
    const since = Date.now() - 30 * DAY;
    const { code, stdout, stderr } = await run(["cm", "reports", "pmp", "--since", "30d"], {
      env: server.env,
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const records = jsonl(stdout);
    // 300 reports over 120 days: about a quarter lies in the last 30.
    expect(records.length).toBeGreaterThan(60);
    expect(records.length).toBeLessThan(90);
    for (const r of records) expect(Number(r.timestamp)).toBeGreaterThanOrEqual(since);
    expect(failed()).toEqual([]);
  });

  it("exports 90 days of Core reports in 30-day windows, within the rate limit", async () => {
    const since = Date.now() - 90 * DAY;
    const pages = server.sim.state.requestCount("listCoreReports");
    const { code, stdout, stderr } = await run(
      ["cm", "reports", "core", "--since", "90d", "--page-size", "25", "--format", "jsonl"],
      { env: server.env },
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const records = jsonl(stdout);
    // 600 records over 120 days: about three quarters lie in the last 90.
    expect(records.length).toBeGreaterThan(440);
    expect(records.length).toBeLessThan(460);
    expect(new Set(records.map((r) => r.data_id)).size).toBe(records.length);
    const times = records.map((r) => Number(r.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(since);
    // Three windows, each paged by its own cursor: at most one short page more per window.
    const sent = server.sim.state.requestCount("listCoreReports") - pages;
    expect(sent).toBeGreaterThanOrEqual(Math.ceil(records.length / 25));
    expect(sent).toBeLessThanOrEqual(Math.ceil(records.length / 25) + 3);
    expect(failed()).toEqual([]);
    expect(server.sim.state.peakRequestsPerRateWindow).toBeLessThanOrEqual(RATE_LIMIT);
  });

  it("refuses a start further back than PMP reports are kept, naming the flag to fix, before any request", async () => {
    const pages = server.sim.state.requestCount("listPmpReports");
    const { code, stdout, stderr } = await run(["cm", "reports", "pmp", "--since", "90d"], {
      env: server.env,
    });
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/keeps these reports for 30 days.*--since 30d or later/);
    expect(server.sim.state.requestCount("listPmpReports")).toBe(pages);
  });
});
