import { callContextOf, MalformedResponseError, unwrap } from "@mdkit/core";
import type { CentralManagementClient } from "./client.js";
import type { components } from "./generated/schema.js";
import { parseJsonArrayStream } from "./internal/json-array-stream.js";

type Schemas = components["schemas"];

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

type StreamResult = {
  data?: ReadableStream<Uint8Array> | null;
  error?: unknown;
  response: Response;
};

/** A body that cannot be read as the JSON array of records, as a typed error of the call. */
function malformed(result: StreamResult, records: number, cause: unknown): MalformedResponseError {
  const context = callContextOf(result);
  return new MalformedResponseError({
    status: result.response.status,
    source: "@mdkit/central-management",
    operation: context?.operation,
    request: context?.request ?? { method: "POST", url: result.response.url },
    response: result.response,
    secrets: context?.secrets ?? [],
    cause,
    hint: `its JSON array of records could not be read after ${records} record(s): ${cause instanceof Error ? cause.message : String(cause)}; the list is incomplete`,
  });
}

/**
 * The records of one PMP or MetaDefender Drive report, parsed one by one as
 * the server streams its JSON array: memory stays flat however long the
 * report. Breaking out of the loop cancels the download.
 *
 * A 429 or 503 before the body starts is waited out and the request sent
 * again, like every call (the client's retry policy and rate limiter). Once
 * records have started to arrive, the list is never cut short silently: a
 * connection that breaks is a `NetworkError`, a body that ends before its
 * closing `]` (or is not a JSON array, or has no body) a
 * `MalformedResponseError`.
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
  ) => Promise<StreamResult>;
  const result = await post(path, {
    body,
    parseAs: "stream",
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stream = await unwrap(result);
  if (!stream) throw malformed(result, 0, new SyntaxError("the answer has no body"));
  let records = 0;
  try {
    for await (const record of parseJsonArrayStream<DetailReports[P]["item"]>(stream)) {
      records++;
      yield record;
    }
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RangeError) {
      throw malformed(result, records, error);
    }
    throw error;
  }
}
