// How far back a Central Management query may start, as the document says:
// PMP and MetaDefender Drive report lists 30 days before the current date,
// Core report lists and the Core instance statistics one year. Refused with
// 400 and the spec's CmError body; checked on the first page of a listing.
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { cmClient, expectConforms, fakeClock } from "./cm-helpers.js";

const DAY = 86_400_000;
const YEAR = 365 * DAY;

async function setup() {
  const clock = fakeClock();
  const sim = createSimulator({ now: clock.now, cm: { volumes: { pmpReports: 60 } } });
  return { sim, clock, cm: await cmClient(sim.fetch) };
}

describe("cm: the documented start of a query", () => {
  it("refuses a PMP or Drive report list starting more than 30 days back; exactly 30 days is accepted", async () => {
    const { sim, clock, cm } = await setup();
    await using _ = sim;
    for (const [path, operationId] of [
      ["/o/pmp/v1/reports", "listPmpReports"],
      ["/o/mdd/v1/reports", "listMddReports"],
    ] as const) {
      const edge = await cm.POST(path, { body: { limit: 20, start_time: clock.now() - 30 * DAY } });
      expect(edge.response.status, path).toBe(200);
      const tooOld = await cm.POST(path, {
        body: { limit: 20, start_time: clock.now() - 30 * DAY - 1 },
      });
      expect(tooOld.response.status, path).toBe(400);
      expect(tooOld.error).toEqual({
        error: "bad_request",
        message: "start_time must not be more than 30 days before the current date",
      });
      expectConforms(operationId, 400, tooOld.error);
    }
  });

  it("refuses a Core report list starting more than one year back (its window stays 30 days)", async () => {
    const { sim, clock, cm } = await setup();
    await using _ = sim;
    const list = (start: number) =>
      cm.POST("/o/core/v1.1/reports", {
        body: { limit: 20, start_time: start, end_time: start + DAY },
      });
    expect((await list(clock.now() - 200 * DAY)).response.status).toBe(200);
    expect((await list(clock.now() - YEAR)).response.status).toBe(200);
    const tooOld = await list(clock.now() - YEAR - 1);
    expect(tooOld.response.status).toBe(400);
    expect(tooOld.error).toMatchObject({ message: expect.stringMatching(/one year/) });
    expectConforms("listCoreReports", 400, tooOld.error);
  });

  it("refuses Core instance statistics starting more than one year back", async () => {
    const { sim, clock, cm } = await setup();
    await using _ = sim;
    const instances = (start: number) =>
      cm.POST("/o/core/v1/instances", {
        body: { verbose: { enabled: true, start_date: start, end_date: start + DAY } },
      });
    expect((await instances(clock.now() - 300 * DAY)).response.status).toBe(200);
    const tooOld = await instances(clock.now() - YEAR - 1);
    expect(tooOld.response.status).toBe(400);
    expect(tooOld.error).toMatchObject({ message: expect.stringMatching(/start_date.*one year/) });
    expectConforms("listCoreInstances", 400, tooOld.error);
  });

  it("checks the first page only: the pages after it keep the window it was accepted with", async () => {
    const { sim, clock, cm } = await setup();
    await using _ = sim;
    const start = clock.now() - 30 * DAY + 1000;
    const first = await cm.POST("/o/pmp/v1/reports", { body: { limit: 5, start_time: start } });
    expect(first.response.status).toBe(200);
    clock.advance(60_000);
    const next = await cm.POST("/o/pmp/v1/reports", {
      body: { limit: 5, start_time: start, token: first.data?.token as string },
    });
    expect(next.response.status).toBe(200);
    expect(next.data?.data?.length).toBeGreaterThan(0);
    const restarted = await cm.POST("/o/pmp/v1/reports", { body: { limit: 5, start_time: start } });
    expect(restarted.response.status).toBe(400);
  });
});
