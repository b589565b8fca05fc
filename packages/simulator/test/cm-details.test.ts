import { describe, expect, it } from "vitest";
import { createSimulator, type SimulatorOptions } from "../src/index.js";
import { BASE, cmClient, expectConforms, getToken, jsonArrayRecords } from "./cm-helpers.js";

const ISSUE_TOTALS = {
  INFECTED: "total_infected",
  VUL: "total_vulnerability",
  SENSITIVE: "total_sensitive",
  COO: "total_coo",
  SKIPPED: "total_skipped",
} as const;

async function setup(options: SimulatorOptions = {}) {
  const sim = createSimulator({ now: () => Date.UTC(2025, 5, 1), ...options });
  const token = await getToken(sim.fetch);
  const cm = await cmClient(sim.fetch);
  const post = (path: string, body: unknown, base = BASE, send = sim.fetch) =>
    send(
      new Request(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  return { sim, cm, post };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Central Management streamed report details", () => {
  it("streams a PMP report's details as one JSON array, consistent with the report's totals", async () => {
    const { sim, cm, post } = await setup({ cm: { volumes: { detailsPerReport: 2_000 } } });
    await using _ = sim;
    const reports = (await cm.POST("/o/pmp/v1/reports", { body: { limit: 30 } })).data?.data ?? [];
    const report = reports.find((r) => (r.total_threat ?? 0) > 0 && (r.total_skipped ?? 0) > 0);
    if (!report) throw new Error("no report with threats and skipped files");
    const res = await post("/o/pmp/v1/reports/details", { session_id: report.session_id });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const counts: Record<string, number> = {};
    const records: Array<Record<string, unknown>> = [];
    for await (const record of jsonArrayRecords(res.body as ReadableStream<Uint8Array>)) {
      const detail = record as Record<string, unknown>;
      counts[detail.pmp_type as string] = (counts[detail.pmp_type as string] ?? 0) + 1;
      records.push(detail);
    }
    expect(records).toHaveLength(2_000);
    expectConforms("getPmpReportDetails", 200, records.slice(0, 50));
    for (const [type, field] of Object.entries(ISSUE_TOTALS)) {
      expect(counts[type] ?? 0, type).toBe(report[field]);
    }
    expect(records.every((r) => r.session_id === report.session_id)).toBe(true);
    expect(records.every((r) => r.device_id === report.device_id)).toBe(true);
    expect(records.every((r) => /^[0-9a-f]{64}$/.test(r.sha256 as string))).toBe(true);
    for (let i = 1; i < records.length; i++) {
      expect(records[i]?.timestamp as number).toBeGreaterThanOrEqual(
        records[i - 1]?.timestamp as number,
      );
    }
    expect(records.at(-1)?.timestamp as number).toBeLessThanOrEqual(report.timestamp as number);

    // The typed client reads the same array; issue_type filters it.
    const filtered = await cm.POST("/o/pmp/v1/reports/details", {
      body: { session_id: report.session_id as string, filter: { issue_type: ["SKIPPED", "VUL"] } },
    });
    expect(filtered.data).toHaveLength(
      (report.total_skipped ?? 0) + (report.total_vulnerability ?? 0),
    );
    expect(new Set(filtered.data?.map((d) => d.pmp_type))).toEqual(
      new Set(["SKIPPED", ...((report.total_vulnerability ?? 0) > 0 ? ["VUL"] : [])]),
    );
    expect(filtered.data).toEqual(
      records.filter((r) => r.pmp_type === "SKIPPED" || r.pmp_type === "VUL"),
    );
  });

  it("streams a Drive report's details by report_id and device_id", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const report = (await cm.POST("/o/mdd/v1/reports", { body: { limit: 1 } })).data?.data?.[0];
    expect(report?.report_id).toBeTruthy();
    const details = await cm.POST("/o/mdd/v1/reports/details", {
      body: { report_id: report?.report_id as string, device_id: report?.device_id as string },
    });
    expect(details.response.status).toBe(200);
    expectConforms("getMddReportDetails", 200, details.data);
    expect(details.data).toHaveLength(sim.options.cm.volumes.detailsPerReport);
    const infected = details.data?.filter((d) => d.threat_type === "INFECTED").length;
    expect(infected).toBe(report?.total_infected);
    expect(details.data?.every((d) => d.session_id === report?.session_id)).toBe(true);
    const otherDevice = await cm.POST("/o/mdd/v1/reports/details", {
      body: { report_id: report?.report_id as string, device_id: "someone-else" },
    });
    expect(otherDevice.response.status).toBe(404);
    expectConforms("getMddReportDetails", 404, otherDevice.error);
  });

  it("answers an unknown session with 404 and a malformed body with 400", async () => {
    const { sim, cm, post } = await setup();
    await using _ = sim;
    const unknown = await cm.POST("/o/pmp/v1/reports/details", {
      body: { session_id: "6650e8a2c3b1f40012a7d9e1" },
    });
    expect(unknown.response.status).toBe(404);
    expectConforms("getPmpReportDetails", 404, unknown.error);
    const missing = await post("/o/pmp/v1/reports/details", { filter: {} });
    expect(missing.status).toBe(400);
    expectConforms("getPmpReportDetails", 400, await missing.json());
    const badType = await post("/o/mdd/v1/reports/details", {
      device_id: "d",
      report_id: "r",
      filter: { issue_type: ["MALWARE"] },
    });
    expect(badType.status).toBe(400);
  });

  it("writes only what the reader pulls (back-pressure), in-process and over HTTP", async () => {
    const { sim, cm, post } = await setup({ cm: { volumes: { detailsPerReport: 300_000 } } });
    await using _ = sim;
    const session = (await cm.POST("/o/pmp/v1/reports", { body: { limit: 1 } })).data?.data?.[0]
      ?.session_id;
    const res = await post("/o/pmp/v1/reports/details", { session_id: session });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('[{"id":"')).toBe(true);
    await sleep(20);
    const inProcess = sim.cm.detailRecordsStreamed;
    expect(inProcess).toBeLessThan(1_000);
    await reader.cancel();

    const server = await sim.listen();
    const overHttp = await post(
      "/o/pmp/v1/reports/details",
      { session_id: session },
      server.url,
      (r) => fetch(r),
    );
    const httpReader = (overHttp.body as ReadableStream<Uint8Array>).getReader();
    await httpReader.read();
    await sleep(200);
    const written = sim.cm.detailRecordsStreamed - inProcess;
    // Socket buffers hold some; the other ~100 MB of the array is never produced.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(100_000);
    await httpReader.cancel();
  });
});
