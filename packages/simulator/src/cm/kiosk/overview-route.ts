import type { SimApp } from "../../context.js";
import { forEachSampled } from "../data/sample.js";
import { badRequest } from "../errors.js";
import { securedOperation } from "../operation.js";
import {
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStrings,
  readJsonObject,
} from "../request-body.js";
import type { CmServices } from "../services.js";

interface Totals {
  numberOfSessions: number;
  numberOfFilesProcessed: number;
  numberOfSessionsWithThreatsDetected: number;
  numberOfThreatsFound: number;
  numberOfFilesSanitized: number;
}

const zero = (): Totals => ({
  numberOfSessions: 0,
  numberOfFilesProcessed: 0,
  numberOfSessionsWithThreatsDetected: 0,
  numberOfThreatsFound: 0,
  numberOfFilesSanitized: 0,
});

function add(into: Totals, from: Totals) {
  into.numberOfSessions += from.numberOfSessions;
  into.numberOfFilesProcessed += from.numberOfFilesProcessed;
  into.numberOfSessionsWithThreatsDetected += from.numberOfSessionsWithThreatsDetected;
  into.numberOfThreatsFound += from.numberOfThreatsFound;
  into.numberOfFilesSanitized += from.numberOfFilesSanitized;
}

/**
 * `getKioskProcessingOverview`: totals of the Kiosks' PMP reports (their
 * scan sessions) between `startTime` and `endTime` (inclusive), restricted
 * to `filters.instanceIds` / `groupIds`, broken down per instance or group.
 */
export function registerKioskOverviewRoute(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/pmp/v1/scan-report/overview",
    "getKioskProcessingOverview",
    async (c) => {
      const body = await readJsonObject(c);
      const startTime = optionalInteger(body, "startTime", 0);
      const endTime = optionalInteger(body, "endTime", 0);
      if (startTime === undefined || endTime === undefined) {
        throw badRequest("startTime and endTime are required");
      }
      if (endTime < startTime) throw badRequest("endTime must not be before startTime");
      const filters = optionalObject(body, "filters");
      const instanceIds = optionalStrings(filters, "instanceIds");
      const groupIds = optionalStrings(filters, "groupIds");
      const groupBy = optionalString(body, "groupBy");
      if (groupBy !== undefined && groupBy !== "groups" && groupBy !== "instances") {
        throw badRequest("groupBy must be groups or instances");
      }

      const devices = services.fleet.kiosks.filter(
        (d) =>
          (!instanceIds || instanceIds.includes(d.deviceId)) &&
          (!groupIds || groupIds.includes(d.groupId)),
      );
      const perDevice = new Map(devices.map((d) => [d.deviceId, zero()]));
      const [lo, hi] = services.pmp.timeline.range(startTime, endTime);
      forEachSampled(lo, hi, (i, weight) => {
        const report = services.pmp.at(i);
        const totals = perDevice.get(report.device_id);
        if (!totals) return;
        totals.numberOfSessions += weight;
        totals.numberOfFilesProcessed += report.total_files_scanned * weight;
        if (report.total_threat > 0) totals.numberOfSessionsWithThreatsDetected += weight;
        totals.numberOfThreatsFound += report.total_threat * weight;
        totals.numberOfFilesSanitized += report.total_sanitized * weight;
      });

      const overall = zero();
      for (const totals of perDevice.values()) add(overall, totals);
      if (groupBy === "instances") {
        const instances = devices.map((d) => ({
          id: d.deviceId,
          name: d.deviceName,
          ...(perDevice.get(d.deviceId) as Totals),
        }));
        return c.json({ ...overall, instances });
      }
      if (groupBy === "groups") {
        const groups = services.fleet.kioskGroups
          .filter((g) => devices.some((d) => d.groupId === g.id))
          .map((g) => {
            const totals = zero();
            for (const d of devices) {
              if (d.groupId === g.id) add(totals, perDevice.get(d.deviceId) as Totals);
            }
            return { id: g.id, name: g.name, ...totals };
          });
        return c.json({ ...overall, groups });
      }
      return c.json(overall);
    },
  );
}
