import type { CoreReport, components, MddReport, PmpReport } from "@mdkit/central-management";
import { describe, expect, it } from "vitest";
import { createSimulator, type SimulatorOptions } from "../src/index.js";
import { BASE, cmClient, collectPages, expectConforms, getToken } from "./cm-helpers.js";

const END = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const volumes = { pmpReports: 157, mddReports: 61, coreReports: 433 };

async function setup(options: SimulatorOptions = {}) {
  const sim = createSimulator({ now: () => END, cm: { volumes }, ...options });
  return { sim, cm: await cmClient(sim.fetch) };
}
type Cm = Awaited<ReturnType<typeof setup>>["cm"];

type Schemas = components["schemas"];
type Query<T> = Partial<Omit<T, "token">>;

/** Every record of one kind for a query, by following tokens (20 a page unless given). */
function lister(cm: Cm) {
  return {
    pmp: (body: Query<Schemas["PmpReportsRequest"]> = {}) =>
      collectPages<PmpReport>(async (token) => {
        const { data, response } = await cm.POST("/o/pmp/v1/reports", {
          body: { limit: 20, ...body, token },
        });
        expect(response.status).toBe(200);
        expectConforms("listPmpReports", 200, data);
        return data ?? {};
      }),
    mdd: (body: Query<Schemas["MddReportsRequest"]> = {}) =>
      collectPages<MddReport>(async (token) => {
        const { data, response } = await cm.POST("/o/mdd/v1/reports", {
          body: { limit: 20, ...body, token },
        });
        expect(response.status).toBe(200);
        expectConforms("listMddReports", 200, data);
        return data ?? {};
      }),
    core: (
      body: { limit?: number; start_time?: number; end_time?: number; filter?: object } = {},
    ) =>
      collectPages<CoreReport>(async (token) => {
        const { data, response } = await cm.POST("/o/core/v1.1/reports", {
          body: { limit: 20, ...body, token },
        });
        expect(response.status).toBe(200);
        expectConforms("listCoreReports", 200, data);
        return data ?? {};
      }),
  };
}

function expectAscendingUnique<T extends { timestamp?: number }>(
  records: T[],
  key: (r: T) => unknown,
) {
  expect(new Set(records.map(key)).size).toBe(records.length);
  for (let i = 1; i < records.length; i++) {
    expect(records[i]?.timestamp).toBeGreaterThanOrEqual(records[i - 1]?.timestamp ?? 0);
  }
}

describe("Central Management cursor-paginated reports", () => {
  it("pages through every record of each kind once, ascending, the last page without a token", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const list = lister(cm);
    const pmp = await list.pmp({ limit: 10 });
    expect(pmp.records).toHaveLength(volumes.pmpReports);
    expect(pmp.pages).toBe(16);
    expectAscendingUnique(pmp.records, (r) => r.session_id);
    const mdd = await list.mdd({ limit: 100 });
    expect(mdd.records).toHaveLength(volumes.mddReports);
    expect(mdd.pages).toBe(1);
    expectAscendingUnique(mdd.records, (r) => r.report_id);
    const core = await list.core({});
    expect(core.records).toHaveLength(volumes.coreReports);
    expect(core.pages).toBe(Math.ceil(volumes.coreReports / 20));
    expectAscendingUnique(core.records, (r) => r.data_id);
    for (const r of [...pmp.records, ...mdd.records, ...core.records]) {
      expect(r.timestamp).toBeGreaterThanOrEqual(END - 30 * DAY);
      expect(r.timestamp).toBeLessThan(END);
    }
  });

  it("returns exactly the records that match the filters, in order", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const list = lister(cm);
    const allPmp = (await list.pmp({ limit: 100 })).records;
    const pmpFilter: Schemas["PmpReportsFilter"] = {
      device_type: ["KIOSK", "EM"],
      media_type: ["USB"],
      issue_type: ["INFECTED", "COO"],
    };
    const pmp = await list.pmp({ limit: 3, filter: pmpFilter });
    const expected = allPmp.filter(
      (r) =>
        ["KIOSK", "EM"].includes(r.device_type as string) &&
        r.media_type === "USB" &&
        ((r.total_infected ?? 0) > 0 || (r.total_coo ?? 0) > 0),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(pmp.records).toEqual(expected);

    const allMdd = (await list.mdd({ limit: 100 })).records;
    const host = allMdd[0]?.scanned_host as string;
    const mdd = await list.mdd({ limit: 2, filter: { scanned_host: [host], issue_type: ["VUL"] } });
    expect(mdd.records).toEqual(
      allMdd.filter((r) => r.scanned_host === host && (r.total_vulnerability ?? 0) > 0),
    );

    const allCore = (await list.core({ limit: 100 })).records;
    const instances = await cm.POST("/o/core/v1/instances", { body: { limit: 100 } });
    const group = instances.data?.[1]?.group_id as string;
    const inGroup = new Set(
      instances.data?.filter((i) => i.group_id === group).map((i) => i.deployment_id),
    );
    const core = await list.core({
      limit: 7,
      filter: { status: ["Blocked"], request_type: ["rest", "extracted"], group_ids: [group] },
    });
    const expectedCore = allCore.filter(
      (r) =>
        r.status === "Blocked" &&
        (r.request_type === "rest" || r.request_type === "extracted") &&
        inGroup.has(r.deployment_id as string),
    );
    expect(expectedCore.length).toBeGreaterThan(0);
    expect(core.records).toEqual(expectedCore);
    const deployment = allCore[5]?.deployment_id as string;
    const byDeployment = await list.core({ filter: { deployment_ids: [deployment] } });
    expect(byDeployment.records).toEqual(allCore.filter((r) => r.deployment_id === deployment));
    for (const r of core.records) expect(r.verdicts?.[0]).not.toBe("No Threat Detected");
  });

  it("maps start_time / end_time windows (both inclusive) to exactly the records inside", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const list = lister(cm);
    const all = (await list.core({ limit: 100 })).records;
    const start = all[100]?.timestamp as number;
    const end = all[250]?.timestamp as number;
    const window = await list.core({ limit: 100, start_time: start, end_time: end });
    expect(window.records).toEqual(all.slice(100, 251));
    const since = await list.core({ limit: 100, start_time: start + 1 });
    expect(since.records).toEqual(all.slice(101));
    const until = await list.pmp({ limit: 100, end_time: END - 20 * DAY });
    expect(until.records.every((r) => (r.timestamp as number) <= END - 20 * DAY)).toBe(true);
    expect(until.records.length).toBeGreaterThan(30);
    const empty = await list.mdd({ start_time: END + 1 });
    expect(empty).toEqual({ records: [], pages: 1 });
  });

  it("refuses a token used with another query, a forged token and a bad limit with 400", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const first = await cm.POST("/o/core/v1.1/reports", {
      body: { limit: 5, filter: { status: ["Allowed"] } },
    });
    const token = first.data?.token as string;
    expect(token).toBeTruthy();
    const sameQuery = await cm.POST("/o/core/v1.1/reports", {
      body: { limit: 50, token, filter: { status: ["Allowed"] } },
    });
    expect(sameQuery.response.status).toBe(200);
    expect(sameQuery.data?.data?.[0]).not.toEqual(first.data?.data?.[0]);
    for (const body of [
      { limit: 5, token, filter: { status: ["Blocked" as const] } },
      { limit: 5, token, filter: { status: ["Allowed" as const] }, start_time: 5 },
      { limit: 5, token },
    ]) {
      const res = await cm.POST("/o/core/v1.1/reports", { body });
      expect(res.response.status).toBe(400);
      expectConforms("listCoreReports", 400, res.error);
    }
    const forged = Buffer.from(
      Buffer.from(token, "base64url")
        .toString()
        .replace(/\.(\d+)\./, ".0."),
    ).toString("base64url");
    const wrong = await cm.POST("/o/core/v1.1/reports", {
      body: { limit: 5, token: forged, filter: { status: ["Allowed"] } },
    });
    expect(wrong.response.status).toBe(400);
    const otherKind = await cm.POST("/o/pmp/v1/reports", {
      body: { limit: 5, token, filter: { issue_type: ["VUL"] } },
    });
    expect(otherKind.response.status).toBe(400);
    const bearer = `Bearer ${await getToken(sim.fetch)}`;
    const defaults = await sim.fetch(
      new Request(`${BASE}/o/core/v1.1/reports`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: bearer },
        body: "{}",
      }),
    );
    expect(((await defaults.json()) as { data: unknown[] }).data).toHaveLength(20);
    for (const limit of [0, 101, 2.5]) {
      const res = await sim.fetch(
        new Request(`${BASE}/o/pmp/v1/reports`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: bearer },
          body: JSON.stringify({ limit }),
        }),
      );
      expect(res.status).toBe(400);
    }
  });

  it("keeps each request's work bounded: a rare match across many records comes in short pages", async () => {
    const { sim, cm } = await setup({
      now: () => END,
      cm: { volumes: { coreReports: 25_000, coreInstances: 12 } },
    });
    await using _ = sim;
    const filter = { request_type: ["batch"], status: ["Blocked"] };
    const filtered = await lister(cm).core({ limit: 100, filter });
    // 25,000 records examined at most 10,000 per request: at least three requests.
    expect(filtered.pages).toBeGreaterThanOrEqual(3);
    const everything = await lister(cm).core({ limit: 100 });
    expect(everything.records).toHaveLength(25_000);
    expect(filtered.records).toEqual(
      everything.records.filter((r) => r.request_type === "batch" && r.status === "Blocked"),
    );
  });

  it("is deterministic per seed", async () => {
    const firstPage = async (seed: number) => {
      const { sim, cm } = await setup({ seed });
      await using _ = sim;
      const { data } = await cm.POST("/o/pmp/v1/reports", { body: { limit: 5 } });
      return data;
    };
    expect(await firstPage(7)).toEqual(await firstPage(7));
    expect(await firstPage(7)).not.toEqual(await firstPage(8));
  });
});
