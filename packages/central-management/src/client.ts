import {
  type BaseClientOptions,
  ConfigurationError,
  createApiClient,
  systemClock,
} from "@mdkit/core";
import type { Client } from "openapi-fetch";
import { operationTable } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import { attachClock } from "./internal/client-clock.js";
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from "./rate-limit.js";

/** The My OPSWAT Central Management tenants and their API hosts. */
export const REGIONS = {
  us: "https://product.my.us.opswat.com",
  eu: "https://product.my.eu.opswat.com",
} as const;

/** A Central Management tenant region. */
export type Region = keyof typeof REGIONS;

/** Options of {@link createCentralManagementClient}. */
export interface CentralManagementClientOptions extends BaseClientOptions {
  /** The tenant: `us` or `eu`. Default `us`. Ignored when `baseUrl` is given. */
  region?: Region | undefined;
  /** Overrides the region's host, e.g. for the simulator or a proxy. */
  baseUrl?: string | undefined;
  /**
   * Keeps every call (but the direct-connection tunnel's) within Central
   * Management's rate limit, learnt from the `X-RateLimit-*` headers: see
   * {@link createRateLimiter}. Options give the client a limiter of its own;
   * a `RateLimiter` is shared with the other clients given it; `false` turns
   * pacing off (429s are still waited out by the retry policy). Default: a
   * limiter of its own with the {@link RateLimitOptions} defaults.
   */
  rateLimit?: RateLimitOptions | RateLimiter | false | undefined;
}

function isRateLimiter(value: unknown): value is RateLimiter {
  return typeof (value as Partial<RateLimiter> | undefined)?.acquire === "function";
}

/**
 * Operations sent as POST that only read (queries with a body, token
 * requests): asking twice does no harm, so they are retried after a network
 * failure like a GET. Opening connections, tunnelled requests and kiosk
 * configuration changes are not.
 */
const READ_ONLY_POSTS = [
  "getOAuthToken",
  "getPmpReportDetails",
  "listPmpReports",
  "listMddReports",
  "getMddReportDetails",
  "listCoreInstances",
  "listCoreReports",
  "getAccountInventory",
  "getKioskProcessingOverview",
];

/** A typed, non-throwing client of Central Management: `{ data, error, response }` per call. */
export type CentralManagementClient = Client<paths>;

/**
 * Creates a typed client of the My OPSWAT Central Management API. Every
 * path, parameter and body is typed from `specs/central-management.yaml`.
 * Every call goes through the shared retry policy of `@mdkit/core` (429 and
 * 503 waited out, within the call's deadline) and, unless `rateLimit` is
 * `false`, through a limiter that paces the client to the rate limit the
 * server announces, so that long exports are not refused in the first place.
 *
 * @example
 * ```ts
 * import { createCentralManagementClient, unwrap } from "@mdkit/central-management";
 *
 * const cm = createCentralManagementClient({
 *   region: "eu",
 *   auth: () => ({ authorization: `Bearer ${token}` }),
 * });
 * const page = await unwrap(cm.POST("/o/core/v1.1/reports", { body: { limit: 100 } }));
 * ```
 */
export function createCentralManagementClient(
  options: CentralManagementClientOptions = {},
): CentralManagementClient {
  const region = options.region ?? "us";
  if (!options.baseUrl && !(region in REGIONS)) {
    throw new ConfigurationError(
      `region must be one of ${Object.keys(REGIONS).join(", ")}, got ${String(region)}`,
      {
        source: "@mdkit/central-management",
      },
    );
  }
  const clock = options.clock ?? systemClock;
  const { rateLimit } = options;
  const throttle =
    rateLimit === false
      ? undefined
      : isRateLimiter(rateLimit)
        ? rateLimit
        : createRateLimiter({ clock, ...rateLimit });
  const client = createApiClient<paths>({
    ...options,
    baseUrl: options.baseUrl ?? REGIONS[region],
    source: "@mdkit/central-management",
    operations: operationTable,
    idempotentOperations: READ_ONLY_POSTS,
    throttle,
  });
  return attachClock(client, clock);
}
