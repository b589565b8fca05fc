/**
 * The client's rate limiter and report windows against the simulator's rate
 * limit: a long export keeps to the limit (no request refused, never more
 * requests in a window than it allows, counted at the simulator) and loses
 * no record. The simulator and the client share one manual clock: no real
 * waits.
 */
import { createCentralManagementClient, paginateReports, unwrap } from "@mdkit/central-management";
import { type ManualClock, manualClock } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import { createSimulator, type SimulatorOptions } from "../src/index.js";

const BASE = "http://cm.sim.local";
const DAY = 86_400_000;

async function setup(clock: ManualClock, cm: SimulatorOptions["cm"]) {
  const sim = createSimulator({ now: clock.now, cm });
  const anonymous = createCentralManagementClient({ baseUrl: BASE, fetch: sim.fetch, clock });
  const { access_token } = await unwrap(
    anonymous.POST("/o/oauth2/token", {
      body: {
        client_id: "mdkit-demo",
        client_secret: "mdkit-demo-secret",
        grant_type: "client_credentials",
      },
    }),
  );
  const client = createCentralManagementClient({
    baseUrl: BASE,
    fetch: sim.fetch,
    clock,
    auth: () => ({ authorization: `Bearer ${access_token}` }),
  });
  return { sim, client };
}

describe("paginateReports under the simulator's rate limit", () => {
  it("keeps to the announced limit: every record, in order, no request refused", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 12));
    const { sim, client } = await setup(clock, {
      rateLimit: { limit: 5, windowMs: 60_000 },
      volumes: { coreReports: 230 },
    });
    await using _ = sim;
    const started = clock.now();
    const collect = async () => {
      const ids: string[] = [];
      for await (const report of paginateReports(client, "/o/core/v1.1/reports", { limit: 10 }))
        ids.push(report.data_id ?? "");
      return ids;
    };
    const ids = await clock.run(collect());

    expect(ids).toHaveLength(230);
    expect(new Set(ids).size).toBe(230);
    expect(sim.state.responsesByStatus.get(429) ?? 0).toBe(0);
    expect(sim.state.peakRequestsPerRateWindow).toBe(5);
    // 1 token request + 23 pages at 5 per minute: four windows waited for, no more.
    expect(clock.now() - started).toBeGreaterThanOrEqual(4 * 60_000 - 60_000);
    expect(clock.now() - started).toBeLessThan(5 * 60_000);
  });

  it("exports 90 days of Core reports in 30-day windows with zero failed requests", async () => {
    const clock = manualClock(Date.UTC(2026, 3, 10, 8, 30));
    const limit = 4;
    const { sim, client } = await setup(clock, {
      rateLimit: { limit, windowMs: 1_000 },
      dataSpanMs: 120 * DAY,
      volumes: { coreReports: 4_000 },
    });
    await using _ = sim;
    const from = clock.now() - 90 * DAY;
    const until = clock.now();
    const collect = async () => {
      const times: number[] = [];
      const ids = new Set<string>();
      for await (const report of paginateReports(client, "/o/core/v1.1/reports", {
        start_time: from,
        limit: 100,
      })) {
        times.push(report.timestamp ?? Number.NaN);
        ids.add(report.data_id ?? "");
      }
      return { times, ids };
    };
    const { times, ids } = await clock.run(collect());

    // 4,000 records evenly over 120 days: the last 90 days hold about three quarters.
    expect(times.length).toBeGreaterThan(2_900);
    expect(times.length).toBeLessThan(3_100);
    expect(ids.size).toBe(times.length);
    expect(
      times.every((t, i) => t >= from && t <= until && (i === 0 || t >= (times[i - 1] ?? 0))),
    ).toBe(true);
    // Three windows, each with its own cursor, and no page refused.
    const pages = sim.state.requestCount("listCoreReports");
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(times.length / 100));
    expect(pages).toBeLessThanOrEqual(Math.ceil(times.length / 100) + 3);
    const failed = [...sim.state.responsesByStatus].filter(([status]) => status >= 400);
    expect(failed).toEqual([]);
    expect(sim.state.peakRequestsPerRateWindow).toBeLessThanOrEqual(limit);
    expect(sim.state.peakRequestsPerRateWindow).toBe(limit);
  });
});
