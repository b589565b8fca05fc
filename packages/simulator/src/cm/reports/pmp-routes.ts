import type { SimApp } from "../../context.js";
import { countsOf, hasIssue, ISSUE_TYPES } from "../data/issues.js";
import type { PmpReport } from "../data/records.js";
import { notFound } from "../errors.js";
import { securedOperation } from "../operation.js";
import {
  optionalObject,
  optionalStrings,
  readJsonObject,
  requiredString,
} from "../request-body.js";
import type { CmServices } from "../services.js";
import { cursorPage, readCursorQuery } from "./cursor.js";
import { jsonArrayStream } from "./json-array-stream.js";
import { checkStartAge, START_AGE_LIMITS } from "./start-age.js";

/** PMP device types of the spec's `PmpDeviceType`. */
const DEVICE_TYPES = ["EM", "KIOSK", "MK5"];

/** `listPmpReports` and `getPmpReportDetails`. */
export function registerPmpReportRoutes(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/pmp/v1/reports/details",
    "getPmpReportDetails",
    async (c) => {
      const body = await readJsonObject(c);
      const sessionId = requiredString(body, "session_id");
      const types = optionalStrings(optionalObject(body, "filter"), "issue_type", ISSUE_TYPES);
      const index = services.pmp.indexOfSession(sessionId);
      if (index === undefined) throw notFound("Report not found");
      const stream = jsonArrayStream(services.pmp.details(index, types), () => {
        services.stats.detailRecordsStreamed++;
      });
      return new Response(stream, { headers: { "content-type": "application/json" } });
    },
  );

  securedOperation(app, services, "POST", "/o/pmp/v1/reports", "listPmpReports", async (c) => {
    const body = await readJsonObject(c);
    const query = readCursorQuery(body);
    if (query.token === undefined) {
      checkStartAge("start_time", query.startTime, services.ctx.now(), START_AGE_LIMITS.thirtyDays);
    }
    const raw = optionalObject(body, "filter");
    const filter = {
      device_type: optionalStrings(raw, "device_type", DEVICE_TYPES),
      media_type: optionalStrings(raw, "media_type"),
      issue_type: optionalStrings(raw, "issue_type", ISSUE_TYPES),
    };
    const page = cursorPage(
      services.ctx.options.seed,
      services.pmp,
      query,
      filter,
      (r: PmpReport) =>
        (!filter.device_type || filter.device_type.includes(r.device_type)) &&
        (!filter.media_type || filter.media_type.includes(r.media_type)) &&
        hasIssue(countsOf(r), filter.issue_type),
    );
    return c.json(page);
  });
}
