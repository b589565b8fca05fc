import { deriveSeed, randomFor } from "../../internal/random.js";
import type { Fleet } from "./fleet.js";
import { indexedId, indexOfId, objectId } from "./ids.js";
import {
  detailIssueTypes,
  drawIssueCounts,
  type IssueCounts,
  type IssueType,
  threatsOf,
} from "./issues.js";
import type { MddReport, MddReportDetail, ReportingDevice } from "./records.js";
import { detailTime, type ReportSet } from "./report-set.js";
import { Timeline } from "./timeline.js";
import { DRIVE_PROFILES, DRIVE_USERS, documentFileName, FOLDERS } from "./vocabulary.js";

/** MetaDefender Drive reports and their details, generated lazily. */
export class MddReports implements ReportSet<MddReport> {
  readonly kind = "mdd";
  readonly timeline: Timeline;

  constructor(
    private readonly seed: number,
    private readonly fleet: Fleet,
    count: number,
    /** Detail records of every report. */
    readonly detailsPerReport: number,
    dataEndsAt: number,
    /** How far back the data reaches before `dataEndsAt`, ms. */
    dataSpanMs?: number,
  ) {
    this.timeline = new Timeline(seed, "mdd-time", count, dataEndsAt, dataSpanMs);
  }

  at(i: number): MddReport {
    return this.build(i).report;
  }

  /** Issue counts of report `i` (what its details contain). */
  issueCounts(i: number): IssueCounts {
    return this.build(i).counts;
  }

  /** The index of the report with this `report_id` made by `deviceId`, if any. */
  indexOfReport(reportId: string, deviceId: string): number | undefined {
    const i = indexOfId(this.seed, "mdd-report", reportId);
    if (i === undefined || i >= this.timeline.count) return undefined;
    const report = this.at(i);
    return report.report_id === reportId && report.device_id === deviceId ? i : undefined;
  }

  /** The details of report `i`, one at a time, only those of `types` when given. */
  *details(i: number, types?: readonly string[]): Generator<MddReportDetail> {
    const { report, counts } = this.build(i);
    const key = deriveSeed(this.seed, "mdd-order", i);
    for (const [j, type] of detailIssueTypes(counts, this.detailsPerReport, key, types)) {
      yield this.detail(report, i, j, type);
    }
  }

  private detail(report: MddReport, i: number, j: number, type: IssueType): MddReportDetail {
    const r = randomFor(this.seed, "mdd-detail", i, j);
    const timestamp = detailTime(report.timestamp, j, this.detailsPerReport);
    const fileName = documentFileName(r);
    return {
      id: objectId(r, timestamp),
      timestamp,
      sync_time: report.sync_time,
      session_id: report.session_id,
      file_path: `${r.pick(FOLDERS).replace(/^[A-Z]:/, "C:")}${fileName}`,
      threat_type: type,
      device_id: report.device_id,
      device_group: report.device_group,
      sha256: r.hex(64),
    };
  }

  private build(i: number): { report: MddReport; counts: IssueCounts } {
    const r = randomFor(this.seed, "mdd", i);
    const timestamp = this.timeline.at(i);
    const drive = r.pick(this.fleet.drives) as ReportingDevice;
    const counts = drawIssueCounts(r, this.detailsPerReport);
    const scanned = this.detailsPerReport + r.int(30_000);
    const report: MddReport = {
      timestamp,
      sync_time: timestamp + 30_000 + r.int(3_600_000),
      session_id: indexedId(this.seed, "mdd-session", i, timestamp),
      report_id: indexedId(this.seed, "mdd-report", i, timestamp),
      device_id: drive.id,
      hardware_model: drive.model,
      scan_profile: r.pick(DRIVE_PROFILES),
      scanned_host: r.pick(this.fleet.scannedHosts),
      scanned_by: r.pick(DRIVE_USERS),
      device_group: drive.group,
      total_infected: counts.INFECTED,
      total_vulnerability: counts.VUL,
      total_sensitive: counts.SENSITIVE,
      total_coo: counts.COO,
      total_skipped: counts.SKIPPED,
      total_files_scanned: scanned,
      total_sanitized: r.int(Math.floor(scanned / 20) + 1),
      total_threat: threatsOf(counts),
    };
    return { report, counts };
  }
}
