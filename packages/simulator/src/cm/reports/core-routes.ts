import type { SimApp } from "../../context.js";
import type { CoreReport } from "../data/records.js";
import { DAY_MS } from "../data/timeline.js";
import { badRequest } from "../errors.js";
import { securedOperation } from "../operation.js";
import { optionalObject, optionalStrings, readJsonObject } from "../request-body.js";
import type { CmServices } from "../services.js";
import { cursorPage, readCursorQuery } from "./cursor.js";
import { checkStartAge, START_AGE_LIMITS } from "./start-age.js";

const STATUSES = ["Blocked", "Allowed"];
const REQUEST_TYPES = ["batch", "batched", "extracted", "rest"];

/** `listCoreReports`. */
export function registerCoreReportRoutes(app: SimApp, services: CmServices): void {
  const groupOf = new Map(services.fleet.coreInstances.map((i) => [i.id, i.group_id]));
  securedOperation(app, services, "POST", "/o/core/v1.1/reports", "listCoreReports", async (c) => {
    const body = await readJsonObject(c);
    const query = readCursorQuery(body);
    if (query.token === undefined) {
      checkStartAge("start_time", query.startTime, services.ctx.now(), START_AGE_LIMITS.oneYear);
    }
    if (
      query.startTime !== undefined &&
      query.endTime !== undefined &&
      query.endTime - query.startTime > 30 * DAY_MS
    ) {
      throw badRequest("end_time must be at most 30 days after start_time");
    }
    const raw = optionalObject(body, "filter");
    const filter = {
      deployment_ids: optionalStrings(raw, "deployment_ids"),
      group_ids: optionalStrings(raw, "group_ids"),
      status: optionalStrings(raw, "status", STATUSES),
      request_type: optionalStrings(raw, "request_type", REQUEST_TYPES),
    };
    const page = cursorPage(
      services.ctx.options.seed,
      services.core,
      query,
      filter,
      (r: CoreReport) =>
        (!filter.deployment_ids || filter.deployment_ids.includes(r.deployment_id)) &&
        (!filter.group_ids || filter.group_ids.includes(groupOf.get(r.instance_id) ?? "")) &&
        (!filter.status || filter.status.includes(r.status)) &&
        (!filter.request_type || filter.request_type.includes(r.request_type)),
    );
    return c.json(page);
  });
}
