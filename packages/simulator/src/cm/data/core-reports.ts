import { type Random, randomFor } from "../../internal/random.js";
import type { Fleet } from "./fleet.js";
import type { CoreInstance, CoreReport } from "./records.js";
import type { ReportSet } from "./report-set.js";
import { Timeline } from "./timeline.js";
import { CORE_USERS, CORE_WORKFLOWS, FILE_TYPES, FILE_WORDS } from "./vocabulary.js";

/** Why Core blocks a file: the incident category and the verdict it reports. */
const BLOCKING = [
  { incident: "Infected", verdict: "Infected", weight: 0.35 },
  { incident: "Suspicious", verdict: "Suspicious", weight: 0.15 },
  { incident: "Sensitive Data", verdict: "Sensitive Data Found", weight: 0.15 },
  { incident: "Vulnerability", verdict: "Vulnerability Found", weight: 0.12 },
  { incident: "Country of Origin", verdict: "Country of Origin Detected", weight: 0.08 },
  { incident: "Spoofing", verdict: "Spoofing Detected", weight: 0.05 },
  { incident: "Zero-day", verdict: "Zero-day Threat", weight: 0.05 },
  { incident: "Known Bad", verdict: "Known Bad", weight: 0.05 },
];

/** Findings that do not block a file. */
const NON_BLOCKING = ["OSS Vulnerability", "Threat Intelligence", "Threat Analysis"];

const REQUEST_TYPES: Array<[CoreReport["request_type"], number]> = [
  ["rest", 0.55],
  ["extracted", 0.25],
  ["batched", 0.15],
  ["batch", 0.05],
];

function requestType(r: Random): CoreReport["request_type"] {
  let x = r.next();
  for (const [type, weight] of REQUEST_TYPES) {
    if (x < weight) return type;
    x -= weight;
  }
  return "rest";
}

function blocking(r: Random) {
  let x = r.next();
  for (const reason of BLOCKING) {
    if (x < reason.weight) return reason;
    x -= reason.weight;
  }
  return BLOCKING[0] as (typeof BLOCKING)[number];
}

/** MetaDefender Core processing history, one record per processed file, generated lazily. */
export class CoreReports implements ReportSet<CoreReport> {
  readonly kind = "core";
  readonly timeline: Timeline;

  constructor(
    private readonly seed: number,
    private readonly fleet: Fleet,
    count: number,
    dataEndsAt: number,
    /** How far back the data reaches before `dataEndsAt`, ms. */
    dataSpanMs?: number,
  ) {
    const usable = fleet.coreInstances.length > 0 ? count : 0;
    this.timeline = new Timeline(seed, "core-time", usable, dataEndsAt, dataSpanMs);
  }

  at(i: number): CoreReport {
    const r = randomFor(this.seed, "core", i);
    const timestamp = this.timeline.at(i);
    const instance = r.pick(this.fleet.coreInstances) as CoreInstance;
    const type = requestType(r);
    const blocked = r.next() < 0.12;
    const reason = blocked ? blocking(r) : undefined;
    const extra = r.next() < 0.1 ? [r.pick(NON_BLOCKING)] : [];
    const sanitized = !blocked && r.next() < 0.15;
    const extension = r.pick(Object.keys(FILE_TYPES));
    const fileType = FILE_TYPES[extension] as (typeof FILE_TYPES)[string];
    const fileSize = Math.floor(2 ** (10 + r.next() * 19));
    const uploadMs = Math.floor(fileSize / 50_000) + r.int(50);
    const processingMs = 150 + r.int(20_000);
    const startTime = timestamp - processingMs;
    const user = r.pick(CORE_USERS);
    const parents =
      type === "extracted" ? Array.from({ length: 1 + r.int(2) }, () => r.hex(32)) : [];
    if (type === "batched") parents.push(r.hex(32));
    return {
      timestamp,
      user,
      file_name: `${r.pick(FILE_WORDS)}-${2024 + r.int(2)}.${String(1 + r.int(12)).padStart(2, "0")}.${extension}`,
      status: blocked ? "Blocked" : "Allowed",
      result: blocked ? "Blocked" : "Allowed",
      data_id: r.hex(32),
      parent_data_id: parents[parents.length - 1] ?? "",
      workflow: sanitized ? "Sanitize all" : r.pick(CORE_WORKFLOWS),
      sha256: r.hex(64),
      deployment_id: instance.deployment_id,
      request_type: type,
      progress_percent: 100,
      start_time: startTime,
      file_size: fileSize,
      upload_time_ms: uploadMs,
      processing_time_ms: processingMs,
      incident_types: [...(reason ? [reason.incident] : []), ...extra],
      verdicts: [reason ? reason.verdict : "No Threat Detected"],
      actions: blocked ? (r.next() < 0.5 ? ["quarantine"] : []) : sanitized ? ["sanitize"] : [],
      parent_session_ids: parents,
      instance_id: instance.id,
      clients: [
        {
          user_name: user,
          deployment_id: instance.deployment_id,
          product_type: "mdcore",
          timestamp: startTime - uploadMs,
        },
      ],
      file_type: { ...fileType, extension },
    };
  }
}
