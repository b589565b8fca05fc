/**
 * The shared retry policy against the simulator's rate limit: a long export
 * waits out every 429 (its Retry-After, on the client's clock) and loses no
 * page. The simulator and the client share one manual clock: no real waits.
 */
import { createCentralManagementClient, paginateReports, unwrap } from "@mdkit/central-management";
import { manualClock } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";

const BASE = "http://cm.sim.local";

describe("paginateReports under the simulator's rate limit", () => {
  it("waits out every 429 and returns every record, in order", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 12));
    await using sim = createSimulator({
      now: clock.now,
      cm: { rateLimit: { limit: 5, windowMs: 60_000 }, volumes: { coreReports: 230 } },
    });
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
    const cm = createCentralManagementClient({
      baseUrl: BASE,
      fetch: sim.fetch,
      clock,
      auth: () => ({ authorization: `Bearer ${access_token}` }),
    });
    const started = clock.now();
    const collect = async () => {
      const ids: string[] = [];
      for await (const report of paginateReports(cm, "/o/core/v1.1/reports", { limit: 10 }))
        ids.push(report.data_id ?? "");
      return ids;
    };
    const ids = await clock.run(collect());

    expect(ids).toHaveLength(230);
    expect(new Set(ids).size).toBe(230);
    const refused = sim.state.responsesByStatus.get(429) ?? 0;
    expect(refused).toBeGreaterThan(0);
    // 24 pages at 5 per minute: the export spans windows, waiting only as asked.
    expect(clock.now() - started).toBeGreaterThanOrEqual(4 * 60_000);
    expect(clock.now() - started).toBeLessThan(6 * 60_000);
  });
});
