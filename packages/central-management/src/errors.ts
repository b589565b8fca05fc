import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

/** Fields of a {@link ReportPeriodError}. */
export interface ReportPeriodErrorInit extends MdkitErrorOptions {
  /** The report list asked for, e.g. `/o/pmp/v1/reports`. */
  path: string;
  /** The `start_time` asked for, ms since the epoch. */
  startTime: number;
  /** How far back the list may start, ms (30 days for PMP and Drive reports, 365 days for Core's). */
  maxAgeMs: number;
  /** The earliest start the paginator would send now, ms since the epoch. */
  earliestStartTime: number;
}

/**
 * A report query starts further back than Central Management keeps that
 * report list (30 days for PMP and MetaDefender Drive reports, one year for
 * Core reports): the service would refuse it, so no request was sent. Start
 * later, or let the paginator start at the earliest time it can
 * (`startTooOld: "clamp"`).
 */
export class ReportPeriodError extends MdkitError {
  /** The report list asked for. */
  readonly path: string;
  /** The `start_time` asked for, ms since the epoch. */
  readonly startTime: number;
  /** How far back the list may start, ms. */
  readonly maxAgeMs: number;
  /** The earliest start the paginator would have sent, ms since the epoch. */
  readonly earliestStartTime: number;
  constructor(message: string, init: ReportPeriodErrorInit) {
    super(message, { source: "@mdkit/central-management", cause: init.cause });
    this.path = init.path;
    this.startTime = init.startTime;
    this.maxAgeMs = init.maxAgeMs;
    this.earliestStartTime = init.earliestStartTime;
  }
}
