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
import type { PmpReport, PmpReportDetail } from "./records.js";
import { detailTime, type ReportSet } from "./report-set.js";
import { Timeline } from "./timeline.js";
import { documentFileName, FOLDERS, PMP_MEDIA, PMP_USERS } from "./vocabulary.js";

interface Device {
  id: string;
  name: string;
  type: string;
  group: string;
}

/** PMP (Kiosk / Endpoint) reports and their details, generated lazily. */
export class PmpReports implements ReportSet<PmpReport> {
  readonly kind = "pmp";
  readonly timeline: Timeline;
  private readonly devices: Device[];
  private readonly kioskCount: number;

  constructor(
    private readonly seed: number,
    fleet: Fleet,
    count: number,
    /** Detail records of every report. */
    readonly detailsPerReport: number,
    dataEndsAt: number,
    /** How far back the data reaches before `dataEndsAt`, ms. */
    dataSpanMs?: number,
  ) {
    this.timeline = new Timeline(seed, "pmp-time", count, dataEndsAt, dataSpanMs);
    const kiosks = fleet.kiosks.map((k) => ({
      id: k.deviceId,
      name: k.deviceName,
      type: k.productType,
      group: k.groupName,
    }));
    this.kioskCount = kiosks.length;
    this.devices = [...kiosks, ...fleet.endpoints];
  }

  at(i: number): PmpReport {
    return this.build(i).report;
  }

  /** Issue counts of report `i` (what its details contain). */
  issueCounts(i: number): IssueCounts {
    return this.build(i).counts;
  }

  /** The index of the report with this `session_id`, if any. */
  indexOfSession(sessionId: string): number | undefined {
    const i = indexOfId(this.seed, "pmp-session", sessionId);
    if (i === undefined || i >= this.timeline.count) return undefined;
    return this.at(i).session_id === sessionId ? i : undefined;
  }

  /** The details of report `i`, one at a time, only those of `types` when given. */
  *details(i: number, types?: readonly string[]): Generator<PmpReportDetail> {
    const { report, counts } = this.build(i);
    const key = deriveSeed(this.seed, "pmp-order", i);
    for (const [j, type] of detailIssueTypes(counts, this.detailsPerReport, key, types)) {
      yield this.detail(report, i, j, type);
    }
  }

  private detail(report: PmpReport, i: number, j: number, type: IssueType): PmpReportDetail {
    const r = randomFor(this.seed, "pmp-detail", i, j);
    const timestamp = detailTime(report.timestamp, j, this.detailsPerReport);
    const fileName = documentFileName(r);
    return {
      id: objectId(r, timestamp),
      timestamp,
      sync_time: report.sync_time,
      session_id: report.session_id,
      file_name: fileName,
      file_path: `${r.pick(FOLDERS)}${fileName}`,
      pmp_type: type,
      device_id: report.device_id,
      device_type: report.device_type,
      device_name: report.device_name,
      md5: r.hex(32),
      sha1: r.hex(40),
      sha256: r.hex(64),
    };
  }

  private build(i: number): { report: PmpReport; counts: IssueCounts } {
    const r = randomFor(this.seed, "pmp", i);
    const timestamp = this.timeline.at(i);
    const useKiosk = this.kioskCount > 0 && r.next() < 0.7;
    const device = (
      useKiosk
        ? this.devices[r.int(this.kioskCount)]
        : this.devices[this.kioskCount + r.int(this.devices.length - this.kioskCount)]
    ) as Device;
    const counts = drawIssueCounts(r, this.detailsPerReport);
    const scanned = this.detailsPerReport + r.int(400);
    const report: PmpReport = {
      timestamp,
      sync_time: timestamp + 5_000 + r.int(300_000),
      session_id: indexedId(this.seed, "pmp-session", i, timestamp),
      report_id: indexedId(this.seed, "pmp-report", i, timestamp),
      user_name: r.pick(PMP_USERS),
      device_name: device.name,
      device_id: device.id,
      device_type: device.type,
      device_group: device.group,
      media_type: device.type === "EM" ? r.pick(["USB", "Network Share"]) : r.pick(PMP_MEDIA),
      total_infected: counts.INFECTED,
      total_vulnerability: counts.VUL,
      total_sensitive: counts.SENSITIVE,
      total_coo: counts.COO,
      total_skipped: counts.SKIPPED,
      total_files_scanned: scanned,
      total_sanitized: r.int(Math.floor(scanned / 10) + 1),
      total_threat: threatsOf(counts),
    };
    return { report, counts };
  }
}
