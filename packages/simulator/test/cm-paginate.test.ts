// The Central Management paginators and streamed report details of
// @mdkit/central-management, against the simulator's seeded data.
import { paginateCoreInstances, paginateReports, reportDetails } from "@mdkit/central-management";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { cmClient } from "./cm-helpers.js";

/** Every item of an async iterable (Array.fromAsync needs Node 22). */
async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const volumes = {
  pmpReports: 230,
  mddReports: 40,
  coreReports: 345,
  detailsPerReport: 120,
  coreInstances: 27,
};

describe("paginateReports", () => {
  it("yields every Core record exactly once, in report time order, across pages", async () => {
    await using sim = createSimulator({ cm: { volumes } });
    const cm = await cmClient(sim.fetch);
    const ids = new Set<string>();
    let last = 0;
    for await (const record of paginateReports(cm, "/o/core/v1.1/reports", { limit: 100 })) {
      ids.add(record.data_id ?? "");
      expect(record.timestamp ?? 0).toBeGreaterThanOrEqual(last);
      last = record.timestamp ?? 0;
    }
    expect(ids.size).toBe(345);
    expect(sim.state.requestCount("listCoreReports")).toBe(4);
  });

  it("pages with a filter, by page, and stops at maxItems", async () => {
    await using sim = createSimulator({ cm: { volumes } });
    const cm = await cmClient(sim.fetch);
    let blocked = 0;
    for await (const record of paginateReports(cm, "/o/core/v1.1/reports", {
      limit: 50,
      filter: { status: ["Blocked"] },
    })) {
      expect(record.status).toBe("Blocked");
      blocked++;
    }
    let pages = 0;
    for await (const page of paginateReports(cm, "/o/pmp/v1/reports", { limit: 100 }).byPage()) {
      pages++;
      expect(page.data?.length).toBeGreaterThan(0);
    }
    expect(pages).toBe(3);
    const firstFive = [];
    for await (const record of paginateReports(
      cm,
      "/o/mdd/v1/reports",
      { limit: 2 },
      { maxItems: 5 },
    ))
      firstFive.push(record);
    expect(firstFive).toHaveLength(5);
    expect(blocked).toBeGreaterThan(0);
  });
});

describe("paginateCoreInstances", () => {
  it("walks the pages from 1 until a short page", async () => {
    await using sim = createSimulator({ cm: { volumes } });
    const cm = await cmClient(sim.fetch);
    const ids = new Set<string>();
    for await (const instance of paginateCoreInstances(cm, { limit: 10 }))
      ids.add(instance.id ?? "");
    expect(ids.size).toBe(27);
    expect(sim.state.requestCount("listCoreInstances")).toBe(3);
  });
});

describe("reportDetails", () => {
  it("parses a report's streamed records one by one", async () => {
    await using sim = createSimulator({ cm: { volumes } });
    const cm = await cmClient(sim.fetch);
    const [report] = await all(
      paginateReports(cm, "/o/pmp/v1/reports", { limit: 1 }, { maxItems: 1 }),
    );
    const records = await all(
      reportDetails(cm, "/o/pmp/v1/reports/details", { session_id: report?.session_id ?? "" }),
    );
    expect(records).toHaveLength(120);
    expect(records.every((r) => r.session_id === report?.session_id)).toBe(true);
  });

  it("stops the server's stream when the reader stops", async () => {
    await using sim = createSimulator({
      cm: { volumes: { ...volumes, detailsPerReport: 200_000 } },
    });
    const cm = await cmClient(sim.fetch);
    const [report] = await all(
      paginateReports(cm, "/o/mdd/v1/reports", { limit: 1 }, { maxItems: 1 }),
    );
    let read = 0;
    for await (const _ of reportDetails(cm, "/o/mdd/v1/reports/details", {
      device_id: report?.device_id ?? "",
      report_id: report?.report_id ?? "",
    })) {
      if (++read === 10) break;
    }
    expect(read).toBe(10);
    expect(sim.cm.detailRecordsStreamed).toBeLessThan(20_000);
  });
});
