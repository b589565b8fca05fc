import {
  type CentralManagementClient,
  type CursorReportPath,
  paginateCoreInstances,
  paginateReports,
} from "@mdkit/central-management";

/** The report kinds of `mdkit cm reports`. */
export const REPORT_KINDS = ["pmp", "mdd", "core"] as const;

/** PMP (Kiosk / Endpoint), MetaDefender Drive, or MetaDefender Core processing history. */
export type ReportKind = (typeof REPORT_KINDS)[number];

const PATHS: Record<ReportKind, CursorReportPath> = {
  pmp: "/o/pmp/v1/reports",
  mdd: "/o/mdd/v1/reports",
  core: "/o/core/v1.1/reports",
};

/** The query of a report listing; every page repeats it. */
export interface ReportQuery {
  /** Start of the period, ms since the epoch. */
  startTime?: number | undefined;
  /** End of the period, ms since the epoch. */
  endTime?: number | undefined;
  /** Records per page, 1–100. */
  pageSize: number;
  /** Cancels the listing. */
  signal?: AbortSignal | undefined;
}

/**
 * Every report record of the query, page after page (cursor tokens, through
 * `paginateReports`), one record at a time: only one page is in memory,
 * however long the listing. Stop early by leaving the loop.
 */
export async function* reportRecords(
  cm: CentralManagementClient,
  kind: ReportKind,
  query: ReportQuery,
): AsyncGenerator<Record<string, unknown>> {
  const body = {
    limit: query.pageSize,
    ...(query.startTime !== undefined ? { start_time: query.startTime } : {}),
    ...(query.endTime !== undefined ? { end_time: query.endTime } : {}),
  };
  const records = paginateReports(
    cm,
    PATHS[kind],
    body,
    query.signal ? { signal: query.signal } : {},
  );
  for await (const record of records) yield record as Record<string, unknown>;
}

/** Instances per page of `listCoreInstances`. */
const INSTANCE_PAGE = 100;

/** Every MetaDefender Core instance, page by page (pages start at 1; a short page is the last). */
export async function* coreInstances(
  cm: CentralManagementClient,
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  const instances = paginateCoreInstances(cm, { limit: INSTANCE_PAGE }, signal ? { signal } : {});
  for await (const instance of instances) yield instance as Record<string, unknown>;
}
