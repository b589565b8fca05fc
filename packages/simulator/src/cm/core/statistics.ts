import type { CoreReports } from "../data/core-reports.js";
import type { CoreInstanceStatistics } from "../data/records.js";
import { forEachSampled } from "../data/sample.js";

/** Which statistic each incident type counts towards. */
const BY_INCIDENT: Record<string, keyof CoreInstanceStatistics> = {
  Infected: "threat_detection",
  Suspicious: "threat_detection",
  "Country of Origin": "coo_detection",
  Spoofing: "spoofing",
  Vulnerability: "vulnerabilities",
  "Sensitive Data": "sensitive_data",
  "Zero-day": "zero_day_protection",
  "Threat Analysis": "threat_analysis",
  "OSS Vulnerability": "oss_vulnerabilities",
  "Threat Intelligence": "insights_threat_intelligence",
  "Known Bad": "known_good_bad",
};

function zero(): CoreInstanceStatistics {
  return {
    total_processed_files: 0,
    total_blocked_files: 0,
    total_sanitized_files: 0,
    total_quarantined_files: 0,
    coo_detection: 0,
    spoofing: 0,
    vulnerabilities: 0,
    sensitive_data: 0,
    zero_day_protection: 0,
    threat_analysis: 0,
    oss_vulnerabilities: 0,
    insights_threat_intelligence: 0,
    known_good_bad: 0,
    threat_detection: 0,
  };
}

/**
 * Processing statistics of the given instances over a time window, counted
 * from the same processing history `listCoreReports` pages through (so the
 * figures agree with the reports; sampled beyond the aggregate limit).
 */
export function instanceStatistics(
  reports: CoreReports,
  instanceIds: readonly string[],
  from: number | undefined,
  to: number | undefined,
): Map<string, CoreInstanceStatistics> {
  const stats = new Map(instanceIds.map((id) => [id, zero()]));
  const [lo, hi] = reports.timeline.range(from, to);
  forEachSampled(lo, hi, (i, weight) => {
    const report = reports.at(i);
    const s = stats.get(report.instance_id);
    if (!s) return;
    s.total_processed_files += weight;
    if (report.status === "Blocked") s.total_blocked_files += weight;
    if (report.actions.includes("sanitize")) s.total_sanitized_files += weight;
    if (report.actions.includes("quarantine")) s.total_quarantined_files += weight;
    for (const incident of report.incident_types) {
      const key = BY_INCIDENT[incident];
      if (key) s[key] += weight;
    }
  });
  return stats;
}
