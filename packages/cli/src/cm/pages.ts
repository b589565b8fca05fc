import { type CentralManagementClient, unwrap } from "@mdkit/central-management";
import { CliError } from "../errors.js";

/** The report kinds of `mdkit cm reports`. */
export const REPORT_KINDS = ["pmp", "mdd", "core"] as const;

/** PMP (Kiosk / Endpoint), MetaDefender Drive, or MetaDefender Core processing history. */
export type ReportKind = (typeof REPORT_KINDS)[number];

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

interface Page {
  token?: string | undefined;
  data?: readonly object[] | undefined;
}

type Body = { limit: number; start_time?: number; end_time?: number; token?: string };

function fetchPage(
  cm: CentralManagementClient,
  kind: ReportKind,
  body: Body,
  signal: AbortSignal | undefined,
): Promise<Page> {
  switch (kind) {
    case "pmp":
      return unwrap(cm.POST("/o/pmp/v1/reports", { body, signal }));
    case "mdd":
      return unwrap(cm.POST("/o/mdd/v1/reports", { body, signal }));
    case "core":
      return unwrap(cm.POST("/o/core/v1.1/reports", { body, signal }));
  }
}

/**
 * Every report record of the query, page after page (cursor tokens), one
 * record at a time: only one page is in memory, however long the listing.
 * Stop early by leaving the loop.
 *
 * @throws {CliError} when the server hands back the token it was given (it would never end).
 */
export async function* reportRecords(
  cm: CentralManagementClient,
  kind: ReportKind,
  query: ReportQuery,
): AsyncGenerator<Record<string, unknown>> {
  const filter = {
    limit: query.pageSize,
    ...(query.startTime !== undefined ? { start_time: query.startTime } : {}),
    ...(query.endTime !== undefined ? { end_time: query.endTime } : {}),
  };
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(
      cm,
      kind,
      { ...filter, ...(token ? { token } : {}) },
      query.signal,
    );
    for (const record of page.data ?? []) yield record as Record<string, unknown>;
    const next = page.token || undefined;
    if (!next) return;
    if (next === token) throw new CliError(`the ${kind} report listing repeated its page token`);
    token = next;
  }
}

/** Instances per page of `listCoreInstances`. */
const INSTANCE_PAGE = 100;

/** Every MetaDefender Core instance, page by page (pages start at 1; a short page is the last). */
export async function* coreInstances(
  cm: CentralManagementClient,
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  for (let page = 1; ; page++) {
    const instances = await unwrap(
      cm.POST("/o/core/v1/instances", { body: { limit: INSTANCE_PAGE, page }, signal }),
    );
    for (const instance of instances) yield instance as Record<string, unknown>;
    if (instances.length < INSTANCE_PAGE) return;
  }
}
