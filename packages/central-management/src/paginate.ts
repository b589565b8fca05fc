import { MdkitError, unwrap } from "@mdkit/core";
import type { CentralManagementClient } from "./client.js";
import type { components } from "./generated/schema.js";
import { parseJsonArrayStream } from "./internal/json-array-stream.js";

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
  /** The pages as the server sent them. */
  byPage(): AsyncIterable<Page>;
}

/** Options of the paginators. */
export interface PaginateOptions {
  /** Stops the iteration (the request in flight is aborted). */
  signal?: AbortSignal;
  /** Stop after this many records. Default: all. */
  maxItems?: number;
}

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

/**
 * Every record of a cursor-paged report list (PMP, MetaDefender Drive or
 * Core processing history), requesting the next page with the previous
 * page's `token` until a page comes without one. Records arrive in report
 * time order; stop early by breaking out of the loop.
 *
 * @example
 * ```ts
 * for await (const report of paginateReports(cm, "/o/core/v1.1/reports", { limit: 100, filter: { status: ["Blocked"] } })) {
 *   console.log(report.file_name, report.result);
 * }
 * ```
 */
export function paginateReports<P extends CursorReportPath>(
  cm: CentralManagementClient,
  path: P,
  body: Omit<CursorReports[P]["body"], "token"> = {} as Omit<CursorReports[P]["body"], "token">,
  options: PaginateOptions = {},
): PagedIterable<CursorReports[P]["item"], CursorReports[P]["page"]> {
  type Page = CursorReports[P]["page"];
  const post = cm.POST as unknown as (
    path: string,
    init: { body: unknown; signal?: AbortSignal },
  ) => Promise<{ data?: Page; error?: unknown; response: Response }>;
  async function* pages(): AsyncGenerator<Page> {
    let token: string | undefined;
    do {
      const page = await unwrap(
        post(path, {
          body: { ...body, ...(token ? { token } : {}) },
          ...(options.signal ? { signal: options.signal } : {}),
        }),
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
  return paged(pages, (page: Page) => (page.data ?? []) as CursorReports[P]["item"][], options);
}

/**
 * Every MetaDefender Core instance, page by page (`page` from 1) until a
 * page shorter than `limit`.
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

/** The streamed report-details operations and their record types. */
interface DetailReports {
  "/o/pmp/v1/reports/details": {
    body: Schemas["PmpReportDetailsRequest"];
    item: Schemas["PmpReportDetail"];
  };
  "/o/mdd/v1/reports/details": {
    body: Schemas["MddReportDetailsRequest"];
    item: Schemas["MddReportDetail"];
  };
}

/**
 * The records of one PMP or MetaDefender Drive report, parsed one by one as
 * the server streams its JSON array: memory stays flat however long the
 * report. Breaking out of the loop cancels the download.
 *
 * @example
 * ```ts
 * for await (const file of reportDetails(cm, "/o/pmp/v1/reports/details", { session_id })) console.log(file.file_name);
 * ```
 */
export async function* reportDetails<P extends keyof DetailReports>(
  cm: CentralManagementClient,
  path: P,
  body: DetailReports[P]["body"],
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<DetailReports[P]["item"]> {
  const post = cm.POST as unknown as (
    path: string,
    init: { body: unknown; parseAs: "stream"; signal?: AbortSignal },
  ) => Promise<{ data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response }>;
  const stream = await unwrap(
    post(path, { body, parseAs: "stream", ...(options.signal ? { signal: options.signal } : {}) }),
  );
  if (!stream) return;
  yield* parseJsonArrayStream<DetailReports[P]["item"]>(stream);
}
