import type { ScanResult } from "@mdkit/scan/node";
import type { Row } from "../output/index.js";
import type { Outcome } from "./outcome.js";

/** One file of a run, as the report writers get it. */
export interface FileReport {
  /** The output row (path, name, verdict, threats, found_in, sha256, data_id, ...). */
  readonly row: Row;
  /** The gateway's result, when there is one. */
  readonly result: ScanResult | undefined;
}

/** The run as a whole, once it is over. */
export interface RunReport {
  /** The tally of verdicts. */
  readonly outcome: Outcome;
  /** Wall time of the run, in ms. */
  readonly elapsedMs: number;
  /** When the run started, in ms since the epoch. */
  readonly startedAt: number;
  /** The run was interrupted (SIGINT / SIGTERM). */
  readonly interrupted: boolean;
  /** Why the run stopped early, when it did. */
  readonly stoppedBy: string | undefined;
  /** The rule files were scanned with, when one was given. */
  readonly rule: string | undefined;
}

/** Writes a scan's files in one format; `end()` completes the document. */
export interface ScanReportWriter {
  /** Writes one file. */
  write(file: FileReport): Promise<void>;
  /** Completes the output. */
  end(run: RunReport): Promise<void>;
}

/** The text of one row's threats and where they were found, for messages. */
export function findingText(row: Row): string {
  const threats = (row.threats as string[] | undefined) ?? [];
  const foundIn = (row.found_in as string[] | undefined) ?? [];
  return [
    String(row.verdict),
    threats.length ? `: ${threats.join(", ")}` : "",
    foundIn.length ? ` (found in ${foundIn.join("; ")})` : "",
  ].join("");
}
