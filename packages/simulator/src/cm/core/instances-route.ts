import type { SimApp } from "../../context.js";
import type { CoreInstance } from "../data/records.js";
import { DAY_MS } from "../data/timeline.js";
import { badRequest } from "../errors.js";
import { securedOperation } from "../operation.js";
import { checkStartAge, START_AGE_LIMITS } from "../reports/start-age.js";
import {
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalStrings,
  readJsonObject,
} from "../request-body.js";
import type { CmServices } from "../services.js";
import { instanceStatistics } from "./statistics.js";

type Tag = { key: string; value: string };

function readTags(filter: Record<string, unknown> | undefined): Tag[] | undefined {
  const tags = filter?.tags;
  if (tags === undefined || tags === null) return undefined;
  if (!Array.isArray(tags) || !tags.every(isObject)) {
    throw badRequest("filter.tags must be an array of { key, value } objects");
  }
  return tags.length ? (tags as Tag[]) : undefined;
}

/**
 * `listCoreInstances`: page-based (pages from 1, a short page is the last);
 * filters by deployment ids and group ids (any of) and tags (all of them);
 * `verbose` adds statistics counted from the processing history.
 */
export function registerCoreInstanceRoutes(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/core/v1/instances",
    "listCoreInstances",
    async (c) => {
      const body = await readJsonObject(c);
      const limit = optionalInteger(body, "limit", 1, 100) ?? 20;
      const page = optionalInteger(body, "page", 1) ?? 1;
      const raw = optionalObject(body, "filter");
      const deploymentIds = optionalStrings(raw, "deployment_ids");
      const groupIds = optionalStrings(raw, "group_ids");
      const tags = readTags(raw);
      const verbose = optionalObject(body, "verbose");
      const enabled = verbose ? optionalBoolean(verbose, "enabled") : false;
      const startDate = verbose ? optionalInteger(verbose, "start_date", 1) : undefined;
      const endDate = verbose ? optionalInteger(verbose, "end_date", 1) : undefined;
      checkStartAge("verbose.start_date", startDate, services.ctx.now(), START_AGE_LIMITS.oneYear);
      if (startDate !== undefined && endDate !== undefined) {
        if (endDate < startDate) throw badRequest("verbose.end_date must not be before start_date");
        if (endDate - startDate > 90 * DAY_MS) {
          throw badRequest("verbose.end_date must be at most 90 days after start_date");
        }
      }

      const matching = services.fleet.coreInstances.filter(
        (i: CoreInstance) =>
          (!deploymentIds || deploymentIds.includes(i.deployment_id)) &&
          (!groupIds || groupIds.includes(i.group_id)) &&
          (!tags || tags.every((t) => i.tags.some((u) => u.key === t.key && u.value === t.value))),
      );
      const items = matching.slice((page - 1) * limit, page * limit);
      if (!enabled) return c.json(items);
      const stats = instanceStatistics(
        services.core,
        items.map((i) => i.id),
        startDate,
        endDate,
      );
      return c.json(items.map((i) => ({ ...i, verbose: stats.get(i.id) })));
    },
  );
}
