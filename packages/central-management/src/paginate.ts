import { MdkitError, unwrap } from "@mdkit/core";
import type { CentralManagementClient } from "./client.js";
import type { components } from "./generated/schema.js";
import { clockOf } from "./internal/client-clock.js";
import { EdgeRecords, type ReportWindow, splitPeriod } from "./internal/report-windows.js";
import {
  REPORT_PERIOD_LIMITS,
  type ReportPeriodOptions,
  resolveReportStart,
} from "./report-periods.js";

type Schemas = components["schemas"];

/** The cursor-paged report lists and their request bodies, records and pages. */
interface CursorReports {
  "/o/pmp/v1/reports": {
    body: Schemas["PmpReportsRequest"];
    item: Schemas["PmpReport"];
    page: Schemas["PmpReportsPage"];
  };
  "/o/mdd/v1/reports": {
    body: Schemas["MddReportsRequest"];
    item: Schemas["MddReport"];
    page: Schemas["MddReportsPage"];
  };
  "/o/core/v1.1/reports": {
    body: Schemas["CoreReportsRequest"];
    item: Schemas["CoreReport"];
    page: Schemas["CoreReportsPage"];
  };
}

/** A report list paged by cursor tokens. */
export type CursorReportPath = keyof CursorReports;

/** Records of a paged list, one by one; `byPage()` gives whole pages instead. */
export interface PagedIterable<Item, Page> extends AsyncIterable<Item> {
  /** The pages as the server sent them (for reports: without a record repeated at a window's edge). */
  byPage(): AsyncIterable<Page>;
}

/** Options of the paginators. */
export interface PaginateOptions {
  /** Stops the iteration (the request in flight is aborted). */
  signal?: AbortSignal;
  /** Stop after this many records. Default: all. */
  maxItems?: number;
}

/** Options of {@link paginateReports}: paging, and what to do with a period's start. */
export interface ReportPaginateOptions extends PaginateOptions, ReportPeriodOptions {}

function paged<Item, Page>(
  pages: () => AsyncGenerator<Page>,
  items: (page: Page) => Item[],
  options: PaginateOptions,
): PagedIterable<Item, Page> {
  return {
    byPage: pages,
    async *[Symbol.asyncIterator]() {
      let count = 0;
      for await (const page of pages()) {
        for (const item of items(page)) {
          if (options.maxItems !== undefined && count >= options.maxItems) return;
          count++;
          yield item;
        }
      }
    },
  };
}

type Post<Page> = (
  path: string,
  init: { body: unknown; signal?: AbortSignal },
) => Promise<{ data?: Page; error?: unknown; response: Response }>;

/** The pages of one window, following the cursor tokens until a page comes without one. */
async function* windowPages<Page extends { token?: string; data?: unknown[] }>(
  post: Post<Page>,
  path: string,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Page> {
  let token: string | undefined;
  do {
    const page = await unwrap(
      post(path, { body: { ...body, ...(token ? { token } : {}) }, ...(signal ? { signal } : {}) }),
    );
    yield page;
    const next = page.token || undefined;
    // A server handing back the token it was given would page forever.
    if (next && next === token) {
      throw new MdkitError(`${path} returned the page token it was given; stopping`, {
        source: "@mdkit/central-management",
      });
    }
    token = next;
  } while (token);
}

/** The windows of a report query: its start checked against the list's age limit, its period split. */
function windowsOf(
  cm: CentralManagementClient,
  path: CursorReportPath,
  body: { start_time?: number | undefined; end_time?: number | undefined },
  options: ReportPeriodOptions,
): ReportWindow[] {
  const now = clockOf(cm).now();
  const requested = body.start_time;
  const start =
    requested === undefined ? undefined : resolveReportStart(path, requested, now, options);
  const end = body.end_time;
  // A period that lies wholly before what is kept (start clamped past its end) has nothing.
  if (start !== requested && end !== undefined && end < (start as number)) return [];
  return splitPeriod(start, end, REPORT_PERIOD_LIMITS[path].maxWindowMs, now);
}

/**
 * Every record of a cursor-paged report list (PMP, MetaDefender Drive or
 * Core processing history) over the period of `start_time` / `end_time`,
 * requesting the next page with the previous page's `token` until a page
 * comes without one. Records arrive in report time order; stop early by
 * breaking out of the loop.
 *
 * The period is fitted to what the service accepts, transparently:
 * - a period longer than one query may cover (30 days) is split into
 *   consecutive windows, each paged by its own cursor, giving every record
 *   once, in order (adjacent windows share their boundary millisecond;
 *   what the earlier window gave there is not repeated). Without
 *   `end_time`, a period that needs several windows ends when the listing
 *   starts;
 * - a `start_time` at the edge of how far back the list may start (30 days
 *   for PMP and Drive, one year for Core), such as "30 days ago", is moved
 *   `startMarginMs` inside it, so the request is not refused for arriving a
 *   moment later;
 * - a `start_time` further back than that is refused with a
 *   `ReportPeriodError` before any request (or, with `startTooOld: "clamp"`,
 *   moved to the earliest start, `onStartClamped` being told).
 *
 * @example
 * ```ts
 * const day = 86_400_000;
 * // The last 90 days of blocked files: three 30-day windows, one listing.
 * for await (const report of paginateReports(cm, "/o/core/v1.1/reports", {
 *   start_time: Date.now() - 90 * day,
 *   limit: 100,
 *   filter: { status: ["Blocked"] },
 * })) {
 *   console.log(report.file_name, report.result);
 * }
 * ```
 */
export function paginateReports<P extends CursorReportPath>(
  cm: CentralManagementClient,
  path: P,
  body: Omit<CursorReports[P]["body"], "token"> = {} as Omit<CursorReports[P]["body"], "token">,
  options: ReportPaginateOptions = {},
): PagedIterable<CursorReports[P]["item"], CursorReports[P]["page"]> {
  type Page = CursorReports[P]["page"];
  const post = cm.POST as unknown as Post<Page>;
  async function* pages(): AsyncGenerator<Page> {
    const edge = new EdgeRecords();
    for (const window of windowsOf(cm, path, body, options)) {
      edge.enter(window);
      const query: Record<string, unknown> = { ...body };
      delete query.start_time;
      delete query.end_time;
      if (window.from !== undefined) query.start_time = window.from;
      if (window.to !== undefined) query.end_time = window.to;
      for await (const page of windowPages(post, path, query, options.signal)) {
        const data = page.data ?? [];
        const kept = data.filter((record) => edge.keep(record));
        yield kept.length === data.length ? page : { ...page, data: kept };
      }
    }
  }
  return paged(pages, (page: Page) => (page.data ?? []) as CursorReports[P]["item"][], options);
}

/**
 * Every MetaDefender Core instance, page by page (`page` from 1) until a
 * page shorter than `limit`.
 *
 * @example
 * ```ts
 * for await (const instance of paginateCoreInstances(cm, { limit: 50 })) console.log(instance.name);
 * ```
 */
export function paginateCoreInstances(
  cm: CentralManagementClient,
  body: Omit<Schemas["CoreInstancesRequest"], "page"> = {},
  options: PaginateOptions = {},
): PagedIterable<Schemas["CoreInstance"], Schemas["CoreInstance"][]> {
  const limit = body.limit ?? 20;
  async function* pages(): AsyncGenerator<Schemas["CoreInstance"][]> {
    for (let page = 1; ; page++) {
      const instances = await unwrap(
        cm.POST("/o/core/v1/instances", {
          body: { ...body, limit, page },
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
      yield instances;
      if (instances.length < limit) return;
    }
  }
  return paged(pages, (page) => page, options);
}
