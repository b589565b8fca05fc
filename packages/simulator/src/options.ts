import type { AuthFailureMode } from "./cluster/auth-failures.js";
import { DATA_SPAN_MS } from "./cm/data/timeline.js";
import type { FaultRules } from "./faults.js";

export type { AuthFailureMode } from "./cluster/auth-failures.js";

/** A processing rule the simulated gateway offers (`GET /file/rules`). */
export interface SimulatedRule {
  /** Rule name, as sent in the `rule` header. */
  name: string;
  /** Largest file the rule accepts, in bytes. */
  maxFileSize: number;
  /** Whether the rule sanitizes: finished files get a converted file and `post_processing`. */
  sanitize?: boolean;
}

/** Options of the simulated Cluster gateway (and the Core behind direct connections). */
export interface ClusterSimulatorOptions {
  /** Accepted users and their passwords. Default `{ admin: "admin" }`. */
  users?: Record<string, string>;
  /** Static API keys accepted as `apikey` besides login sessions. Default none. */
  apiKeys?: string[];
  /** Lifetime of a login session in ms (extended by use). Default 3,600,000 (1 h). */
  sessionTtlMs?: number;
  /** Files in progress before `POST /file` answers 503. Default 64. */
  capacity?: number;
  /** Simulated processing time of one file in ms. Default 200. */
  scanDurationMs?: number;
  /** Extra processing time per MiB of content, in ms. Default 0. */
  scanMsPerMiB?: number;
  /** Byte string that makes a file "suspicious" (`scan_all_result_i` 2). Default `MDKIT-SUSPICIOUS-TEST-MARKER`. */
  suspiciousMarker?: string;
  /** Rules offered. Default: `multiscan` (default rule), `sanitize` (sanitizes), `strict` (1 MiB limit). */
  rules?: SimulatedRule[];
  /** `Retry-After` sent with 503 "too busy", in seconds. Default 1. */
  busyRetryAfterSeconds?: number;
  /**
   * How a missing, unknown or expired `apikey` is refused. Default
   * `"documented"`: per operation, as the gateway document writes it
   * (403 "Invalid user information" on `POST /file`, `POST /logout`,
   * `GET /hash` and `GET /file/rules`; 400 "apikey is missing or invalid" on
   * cancel and the batch operations; 405 "The user has no rights for this
   * operation" on `GET /file/{data_id}` and the downloads). `"401"`: 401 on
   * every protected operation, for tests written against a plain 401.
   */
  authFailures?: AuthFailureMode;
  /**
   * Serve requests that carry no `apikey` at all, as MetaDefender Core does
   * by default (no user or key required). A key that is sent is still
   * checked: an unknown or expired one is refused. `logout` always needs one.
   * Default `false`.
   */
  anonymous?: boolean;
}

/** Counts of the seeded report data (generated lazily, never held in memory). */
export interface ReportVolumes {
  /** PMP (Kiosk / Endpoint) reports. Default 250. */
  pmpReports?: number;
  /** MetaDefender Drive reports. Default 120. */
  mddReports?: number;
  /** MetaDefender Core processing-history records. Default 1,000. */
  coreReports?: number;
  /** Records in the details of one report. Default 40. */
  detailsPerReport?: number;
  /** MetaDefender Core instances. Default 12. */
  coreInstances?: number;
  /** Kiosk devices. Default 8. */
  kioskDevices?: number;
}

/** Rate limiting of the simulated Central Management API (off by default). */
export interface RateLimitOptions {
  /** Requests allowed per window, per client. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
}

/** Options of the simulated Central Management API. */
export interface CentralManagementSimulatorOptions {
  /** Accepted OAuth clients: client id → secret. Default `{ "mdkit-demo": "mdkit-demo-secret" }`. */
  clients?: Record<string, string>;
  /** Lifetime of an access token in ms. Default 3,600,000 (1 h). */
  tokenTtlMs?: number;
  /** Delay before a direct connection goes from REQUESTING to CONNECTED, in ms. Default 200. */
  connectDelayMs?: number;
  /** Deployment ids of the enrolled Core / ICAP instances. Default `["MDCORE-SIM-0001", "MDICAP-SIM-0001"]`. */
  deployments?: string[];
  /** Sizes of the seeded report data. */
  volumes?: ReportVolumes;
  /** Rate limit; `false` (default) for none. */
  rateLimit?: RateLimitOptions | false;
  /** The time the seeded report data ends at, in ms since the epoch. Default: the simulator's start. */
  dataEndsAt?: number;
  /**
   * How far back the seeded report data reaches before `dataEndsAt`, ms (the
   * records of each kind are spread evenly over it). Default 2,592,000,000
   * (30 days). Core reports may be queried up to a year back, so a longer
   * span gives multi-window exports something to find.
   */
  dataSpanMs?: number;
}

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** Seed of every random choice (ids, report data, fault draws). Default 1. */
  seed?: number;
  /** The Cluster gateway. */
  cluster?: ClusterSimulatorOptions;
  /** Central Management. */
  cm?: CentralManagementSimulatorOptions;
  /** Faults to inject, by operationId (or `"*"` for every operation). */
  faults?: FaultRules;
  /** Clock, in ms since the epoch. Default `Date.now`. Tests may inject a fake one. */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  seed: number;
  now: () => number;
  cluster: Required<ClusterSimulatorOptions>;
  cm: Required<Omit<CentralManagementSimulatorOptions, "volumes">> & {
    volumes: Required<ReportVolumes>;
  };
}

const MiB = 1024 * 1024;

/** The default credentials, documented in the package README. */
export const DEFAULT_CREDENTIALS = {
  cluster: { user: "admin", password: "admin" },
  cm: { clientId: "mdkit-demo", clientSecret: "mdkit-demo-secret" },
} as const;

/** Fills in every default. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const now = options.now ?? Date.now;
  const c = options.cluster ?? {};
  const m = options.cm ?? {};
  const v = m.volumes ?? {};
  return {
    seed: options.seed ?? 1,
    now,
    cluster: {
      users: c.users ?? {
        [DEFAULT_CREDENTIALS.cluster.user]: DEFAULT_CREDENTIALS.cluster.password,
      },
      apiKeys: c.apiKeys ?? [],
      sessionTtlMs: c.sessionTtlMs ?? 3_600_000,
      capacity: c.capacity ?? 64,
      scanDurationMs: c.scanDurationMs ?? 200,
      scanMsPerMiB: c.scanMsPerMiB ?? 0,
      suspiciousMarker: c.suspiciousMarker ?? "MDKIT-SUSPICIOUS-TEST-MARKER",
      rules: c.rules ?? [
        { name: "multiscan", maxFileSize: 1024 * MiB },
        { name: "sanitize", maxFileSize: 1024 * MiB, sanitize: true },
        { name: "strict", maxFileSize: MiB },
      ],
      busyRetryAfterSeconds: c.busyRetryAfterSeconds ?? 1,
      authFailures: c.authFailures ?? "documented",
      anonymous: c.anonymous ?? false,
    },
    cm: {
      clients: m.clients ?? {
        [DEFAULT_CREDENTIALS.cm.clientId]: DEFAULT_CREDENTIALS.cm.clientSecret,
      },
      tokenTtlMs: m.tokenTtlMs ?? 3_600_000,
      connectDelayMs: m.connectDelayMs ?? 200,
      deployments: m.deployments ?? ["MDCORE-SIM-0001", "MDICAP-SIM-0001"],
      rateLimit: m.rateLimit ?? false,
      dataEndsAt: m.dataEndsAt ?? now(),
      dataSpanMs: m.dataSpanMs ?? DATA_SPAN_MS,
      volumes: {
        pmpReports: v.pmpReports ?? 250,
        mddReports: v.mddReports ?? 120,
        coreReports: v.coreReports ?? 1_000,
        detailsPerReport: v.detailsPerReport ?? 40,
        coreInstances: v.coreInstances ?? 12,
        kioskDevices: v.kioskDevices ?? 8,
      },
    },
  };
}
