import { createHash } from "node:crypto";

/** Where a worker finds the bytes of a job: never the bytes themselves (they stay out of Redis). */
export type JobSource =
  | {
      /** A file on a filesystem every worker sees at the same absolute path. */
      kind: "path";
      /** Absolute path. */
      path: string;
    }
  | {
      /** An `http:` or `https:` URL every worker can download. */
      kind: "url";
      /** The URL, as stored in Redis (do not put credentials in it). */
      url: string;
    };

/** What a scan job holds in Redis. */
export interface ScanJobData {
  /** Format version. */
  v: 1;
  /** Where the bytes are. */
  source: JobSource;
  /** Name sent to the gateway as `filename`. */
  name: string;
  /** SHA-256 of the content when it was queued (hex, lower case): the job's identity with `rule`. */
  sha256: string;
  /** Size in bytes when it was queued, when known. */
  size: number | undefined;
  /** Rule to scan with; `undefined` for the gateway's default rule. */
  rule: string | undefined;
  /** Who added the job first (fairness is per producer). */
  producer: string;
  /** When it was added, ms since the epoch. */
  addedAt: number;
  /** The submission the gateway accepted, recorded before polling: a resumed job polls it instead of uploading. */
  dataId?: string | undefined;
}

/**
 * The job id of a content and rule: the same bytes scanned with the same
 * rule are one job, however many producers add them, under whatever name.
 * Hex SHA-256 of a versioned text of both, so any rule name is safe in an id.
 *
 * @example
 * ```ts
 * scanJobId("e3b0c442...b855", "multiscan"); // 64 hex characters
 * ```
 */
export function scanJobId(sha256: string, rule: string | undefined): string {
  return createHash("sha256")
    .update(`mdkit-queue/1\n${sha256.toLowerCase()}\n${rule ?? ""}`)
    .digest("hex");
}
