import type { SimApp } from "../../context.js";
import { countsOf, hasIssue, ISSUE_TYPES } from "../data/issues.js";
import type { MddReport } from "../data/records.js";
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

/** `listMddReports` and `getMddReportDetails`. */
export function registerMddReportRoutes(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/mdd/v1/reports/details",
    "getMddReportDetails",
    async (c) => {
      const body = await readJsonObject(c);
      const deviceId = requiredString(body, "device_id");
      const reportId = requiredString(body, "report_id");
      const types = optionalStrings(optionalObject(body, "filter"), "issue_type", ISSUE_TYPES);
      const index = services.mdd.indexOfReport(reportId, deviceId);
      if (index === undefined) throw notFound("Report not found");
      const stream = jsonArrayStream(services.mdd.details(index, types), () => {
        services.stats.detailRecordsStreamed++;
      });
      return new Response(stream, { headers: { "content-type": "application/json" } });
    },
  );

  securedOperation(app, services, "POST", "/o/mdd/v1/reports", "listMddReports", async (c) => {
    const body = await readJsonObject(c);
    const query = readCursorQuery(body);
    if (query.token === undefined) {
      checkStartAge("start_time", query.startTime, services.ctx.now(), START_AGE_LIMITS.thirtyDays);
    }
    const raw = optionalObject(body, "filter");
    const filter = {
      scanned_host: optionalStrings(raw, "scanned_host"),
      scanned_by: optionalStrings(raw, "scanned_by"),
      issue_type: optionalStrings(raw, "issue_type", ISSUE_TYPES),
    };
    const page = cursorPage(
      services.ctx.options.seed,
      services.mdd,
      query,
      filter,
      (r: MddReport) =>
        (!filter.scanned_host || filter.scanned_host.includes(r.scanned_host)) &&
        (!filter.scanned_by || filter.scanned_by.includes(r.scanned_by)) &&
        hasIssue(countsOf(r), filter.issue_type),
    );
    return c.json(page);
  });
}
