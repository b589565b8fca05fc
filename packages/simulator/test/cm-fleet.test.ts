import type { CoreReport, PmpReport } from "@mdkit/central-management";
import { describe, expect, it } from "vitest";
import { createSimulator, type SimulatorOptions } from "../src/index.js";
import { cmClient, collectPages, expectConforms, fakeClock } from "./cm-helpers.js";

const END = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;

async function setup(options: SimulatorOptions = {}) {
  const sim = createSimulator({ now: () => END, ...options });
  return { sim, cm: await cmClient(sim.fetch) };
}

describe("Central Management Core instances", () => {
  it("pages by page number from 1; a short page is the last", async () => {
    const { sim, cm } = await setup({ cm: { volumes: { coreInstances: 12 } } });
    await using _ = sim;
    const page = async (n: number) => {
      const res = await cm.POST("/o/core/v1/instances", { body: { limit: 5, page: n } });
      expect(res.response.status).toBe(200);
      expectConforms("listCoreInstances", 200, res.data);
      return res.data ?? [];
    };
    const pages = [await page(1), await page(2), await page(3), await page(4)];
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2, 0]);
    const all = pages.flat();
    expect(new Set(all.map((i) => i.id)).size).toBe(12);
    expect(all[0]).toMatchObject({ deployment_id: "MDCORE-SIM-0001", status: "connected" });
    expect(all.every((i) => i.verbose === undefined)).toBe(true);
    const bad = await cm.POST("/o/core/v1/instances", { body: { page: 0 } });
    expect(bad.response.status).toBe(400);
    expectConforms("listCoreInstances", 400, bad.error);
  });

  it("filters by deployment ids, group ids and tags", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const all = (await cm.POST("/o/core/v1/instances", { body: { limit: 100 } })).data ?? [];
    const list = async (filter: object) =>
      (await cm.POST("/o/core/v1/instances", { body: { limit: 100, filter } })).data ?? [];
    const some = [all[2]?.deployment_id as string, all[7]?.deployment_id as string];
    expect(await list({ deployment_ids: some })).toEqual([all[2], all[7]]);
    const group = all[1]?.group_id as string;
    expect(await list({ group_ids: [group] })).toEqual(all.filter((i) => i.group_id === group));
    const tag = all[0]?.tags?.[1] as { key: string; value: string };
    const tagged = await list({ tags: [tag, { key: "env", value: "production" }] });
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged).toEqual(
      all.filter(
        (i) =>
          i.tags?.some((t) => t.key === tag.key && t.value === tag.value) &&
          i.tags?.some((t) => t.key === "env" && t.value === "production"),
      ),
    );
  });

  it("adds verbose statistics that agree with the processing history", async () => {
    const { sim, cm } = await setup({ cm: { volumes: { coreReports: 800 } } });
    await using _ = sim;
    const start = END - 10 * DAY;
    const res = await cm.POST("/o/core/v1/instances", {
      body: { limit: 3, verbose: { enabled: true, start_date: start, end_date: END } },
    });
    expectConforms("listCoreInstances", 200, res.data);
    for (const instance of res.data ?? []) {
      const history = await collectPages<CoreReport>(async (token) => {
        const { data } = await cm.POST("/o/core/v1.1/reports", {
          body: {
            limit: 100,
            token,
            start_time: start,
            end_time: END,
            filter: { deployment_ids: [instance.deployment_id as string] },
          },
        });
        return data ?? {};
      });
      const reports = history.records;
      expect(instance.verbose).toMatchObject({
        total_processed_files: reports.length,
        total_blocked_files: reports.filter((r) => r.status === "Blocked").length,
        total_sanitized_files: reports.filter((r) => r.actions?.includes("sanitize")).length,
        total_quarantined_files: reports.filter((r) => r.actions?.includes("quarantine")).length,
      });
    }
    const tooLong = await cm.POST("/o/core/v1/instances", {
      body: { verbose: { enabled: true, start_date: END - 91 * DAY, end_date: END } },
    });
    expect(tooLong.response.status).toBe(400);
  });
});

describe("Central Management inventory", () => {
  it("counts the same instances and devices the other operations list", async () => {
    const { sim, cm } = await setup({
      cm: {
        volumes: { coreInstances: 9, kioskDevices: 7 },
        deployments: ["MDCORE-X", "MDICAP-Y", "MDICAP-Z"],
      },
    });
    await using _ = sim;
    const inventory = await cm.POST("/o/fusion/v1/account/inventory", { body: {} });
    expectConforms("getAccountInventory", 200, inventory.data);
    const byType = new Map(inventory.data?.map((p) => [p.productType, p]));
    expect([...byType.keys()]).toEqual(["MDCORE", "MDICAP", "KIOSK", "MK5", "MDD"]);
    const instances = (await cm.POST("/o/core/v1/instances", { body: { limit: 100 } })).data ?? [];
    const core = byType.get("MDCORE");
    expect(core?.totalInstances).toBe(instances.length);
    expect(core?.connectivity).toEqual({
      connected: instances.filter((i) => i.status === "connected").length,
      nolicense: instances.filter((i) => i.status === "nolicense").length,
      disconnected: instances.filter((i) => i.status === "disconnected").length,
    });
    const sum = (o: object | undefined) =>
      Object.values(o ?? {}).reduce((a: number, b) => a + (b as number), 0);
    expect(sum(core?.health)).toBe(instances.length);
    expect(sum(core?.license)).toBe(instances.length);
    expect(core?.version?.reduce((a, v) => a + (v.total ?? 0), 0)).toBe(instances.length);
    expect(core?.version?.filter((v) => v.status === "latest")).toHaveLength(1);
    expect(byType.get("MDICAP")?.totalInstances).toBe(2);

    const kiosks = (await cm.GET("/o/pmp/v1/kiosk/devices")).data;
    expect(kiosks?.total).toBe(7);
    for (const type of ["KIOSK", "MK5"] as const) {
      const count = kiosks?.items?.filter((k) => k.productType === type).length;
      expect(byType.get(type)?.totalInstances).toBe(count);
    }
    const only = await cm.POST("/o/fusion/v1/account/inventory", {
      body: { filters: { productTypes: ["MK5", "MDD"] } },
    });
    expect(only.data?.map((p) => p.productType)).toEqual(["MK5", "MDD"]);
  });
});

describe("Central Management Kiosks", () => {
  it("lists devices, details one, and answers an unknown one with 404", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const list = await cm.GET("/o/pmp/v1/kiosk/devices");
    expectConforms("listKioskDevices", 200, list.data);
    expect(list.data?.total).toBe(sim.options.cm.volumes.kioskDevices);
    const summary = list.data?.items?.[0];
    const device = await cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
      params: { path: { deviceId: summary?.deviceID as string } },
    });
    expectConforms("getKioskDevice", 200, device.data);
    expect(device.data).toMatchObject({
      deviceId: summary?.deviceID,
      deviceName: summary?.deviceName,
      groupName: summary?.groupName,
      lastSeen: summary?.lastSeen,
    });
    expect(device.data).not.toHaveProperty("connectivity");
    const missing = await cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
      params: { path: { deviceId: "nope" } },
    });
    expect(missing.response.status).toBe(404);
    expectConforms("getKioskDevice", 404, missing.error);
  });

  it("reports a session's counters from the PMP report of that device", async () => {
    const { sim, cm } = await setup();
    await using _ = sim;
    const reports =
      (
        await cm.POST("/o/pmp/v1/reports", {
          body: { limit: 50, filter: { device_type: ["KIOSK", "MK5"] } },
        })
      ).data?.data ?? [];
    const report = reports.find((r) => (r.total_threat ?? 0) > 0) as PmpReport;
    const detail = await cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
      params: {
        path: { deviceId: report.device_id as string, sessionId: report.session_id as string },
      },
    });
    expectConforms("getKioskSessionDetail", 200, detail.data);
    expect(detail.data).toMatchObject({
      deviceId: report.device_id,
      sessionId: report.session_id,
      malwareInfected: report.total_infected,
      vulnerableApp: report.total_vulnerability,
      cooViolation: report.total_coo,
      privacyViolation: report.total_sensitive,
      skippedFile: report.total_skipped,
    });
    const wrongDevice = await cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
      params: { path: { deviceId: "other", sessionId: report.session_id as string } },
    });
    expect(wrongDevice.response.status).toBe(404);
    expectConforms("getKioskSessionDetail", 404, wrongDevice.error);
  });

  it("sums the Kiosks' sessions over a period, per instance or per group", async () => {
    const { sim, cm } = await setup({ cm: { volumes: { pmpReports: 400 } } });
    await using _ = sim;
    const startTime = END - 14 * DAY;
    const reports = await collectPages<PmpReport>(async (token) => {
      const { data } = await cm.POST("/o/pmp/v1/reports", {
        body: { limit: 100, token, start_time: startTime, end_time: END },
      });
      return data ?? {};
    });
    const kiosks = (await cm.GET("/o/pmp/v1/kiosk/devices")).data?.items ?? [];
    const chosen = kiosks.slice(0, 3).map((k) => k.deviceID as string);
    const mine = reports.records.filter((r) => chosen.includes(r.device_id as string));
    const byInstance = await cm.POST("/o/pmp/v1/scan-report/overview", {
      body: {
        startTime,
        endTime: END,
        filters: { instanceIds: chosen, groupIds: [] },
        groupBy: "instances",
      },
    });
    expectConforms("getKioskProcessingOverview", 200, byInstance.data);
    expect(byInstance.data).toMatchObject({
      numberOfSessions: mine.length,
      numberOfFilesProcessed: mine.reduce((a, r) => a + (r.total_files_scanned ?? 0), 0),
      numberOfSessionsWithThreatsDetected: mine.filter((r) => (r.total_threat ?? 0) > 0).length,
      numberOfThreatsFound: mine.reduce((a, r) => a + (r.total_threat ?? 0), 0),
      numberOfFilesSanitized: mine.reduce((a, r) => a + (r.total_sanitized ?? 0), 0),
    });
    expect(byInstance.data?.instances?.map((i) => i.id)).toEqual(chosen);
    expect(byInstance.data?.instances?.[0]?.numberOfSessions).toBe(
      mine.filter((r) => r.device_id === chosen[0]).length,
    );
    const byGroup = await cm.POST("/o/pmp/v1/scan-report/overview", {
      body: { startTime, endTime: END, groupBy: "groups" },
    });
    expectConforms("getKioskProcessingOverview", 200, byGroup.data);
    const groups = byGroup.data?.groups ?? [];
    expect(groups.reduce((a, g) => a + (g.numberOfSessions ?? 0), 0)).toBe(
      byGroup.data?.numberOfSessions,
    );
    expect(byGroup.data?.numberOfSessions).toBe(
      reports.records.filter((r) => r.device_type !== "EM").length,
    );
  });

  it("applies a configuration to the targeted Kiosks, pending until they check in", async () => {
    const clock = fakeClock(END);
    await using sim = createSimulator({ now: clock.now });
    const cm = await cmClient(sim.fetch);
    const ids = ((await cm.GET("/o/pmp/v1/kiosk/devices")).data?.items ?? []).map(
      (k) => k.deviceID as string,
    );
    const all = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: { apply_type: "all", yara_sources: { type: "overwrite" } },
    });
    expectConforms("updateKioskConfiguration", 200, all.data);
    expect(all.data).toEqual({ total_applied: ids.length });
    const some = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: {
        apply_type: "instances",
        apply_to: [ids[0] as string, ids[1] as string, "unknown-kiosk"],
        skip_by_hash: { type: "append" },
      },
    });
    expect(some.data).toEqual({ total_applied: 2 });
    const status = async () =>
      (
        await cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
          params: { path: { deviceId: ids[0] as string } },
        })
      ).data?.configurationStatus;
    expect((await status())?.status).toBe("pending");
    clock.advance(60_000);
    expect(await status()).toEqual({ status: "applied", lastFetched: END + 60_000 });
    expect(sim.cm.kioskConfigurationUpdates.map((u) => u.deviceIds.length)).toEqual([
      ids.length,
      2,
    ]);
    const invalid = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: { apply_type: "instances" },
    });
    expect(invalid.response.status).toBe(400);
    expectConforms("updateKioskConfiguration", 400, invalid.error);
  });
});
