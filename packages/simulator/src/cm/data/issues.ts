import type { Random } from "../../internal/random.js";

/** Issue categories of PMP and Drive reports, in the order details are laid out. */
export const ISSUE_TYPES = ["INFECTED", "VUL", "SENSITIVE", "COO", "SKIPPED"] as const;

/** An issue category (`IssueType` of the spec). */
export type IssueType = (typeof ISSUE_TYPES)[number];

/** Number of detail records of each issue type in one report. */
export type IssueCounts = Record<IssueType, number>;

/** How likely each type is to occur at all in a report (most reports have skipped files only). */
const PRESENCE: Record<IssueType, number> = {
  INFECTED: 0.15,
  VUL: 0.45,
  SENSITIVE: 0.3,
  COO: 0.2,
  SKIPPED: 0.8,
};

/**
 * Splits a report's `total` detail records over the issue types: a seeded
 * subset of types occurs, each present type at least once. The report's
 * counters are these numbers, so they always agree with its details.
 */
export function drawIssueCounts(r: Random, total: number): IssueCounts {
  const counts: IssueCounts = { INFECTED: 0, VUL: 0, SENSITIVE: 0, COO: 0, SKIPPED: 0 };
  let present = ISSUE_TYPES.filter((type) => r.next() < PRESENCE[type]);
  if (present.length === 0) present = ["SKIPPED"];
  present = present.slice(0, total);
  if (present.length === 0) return counts;
  const weights = present.map(() => 0.05 + r.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const rest = total - present.length;
  let given = 0;
  present.forEach((type, k) => {
    const share = Math.floor((rest * (weights[k] ?? 0)) / sum);
    counts[type] = 1 + share;
    given += 1 + share;
  });
  counts[present[0] as IssueType] += total - given;
  return counts;
}

/** Files with a threat (every issue except skipped files). */
export function threatsOf(counts: IssueCounts): number {
  return counts.INFECTED + counts.VUL + counts.SENSITIVE + counts.COO;
}

/** The issue counts a report's counters state. */
export function countsOf(report: {
  total_infected: number;
  total_vulnerability: number;
  total_sensitive: number;
  total_coo: number;
  total_skipped: number;
}): IssueCounts {
  return {
    INFECTED: report.total_infected,
    VUL: report.total_vulnerability,
    SENSITIVE: report.total_sensitive,
    COO: report.total_coo,
    SKIPPED: report.total_skipped,
  };
}

/** Whether a report has at least one detail of one of `types` (no filter: always). */
export function hasIssue(counts: IssueCounts, types: readonly string[] | undefined): boolean {
  if (!types?.length) return true;
  return types.some((type) => (counts[type as IssueType] ?? 0) > 0);
}

const MULTIPLIERS = [7919, 104_729, 1_299_709, 15_485_863];

/**
 * The issue type of detail `j` of a report with these counts: details are
 * a seeded permutation of the type blocks, so types are interleaved in
 * time while their numbers stay exactly `counts`, and detail `j` needs no
 * other detail generated.
 */
export function issueTypeAt(counts: IssueCounts, total: number, j: number, key: number): IssueType {
  const a = MULTIPLIERS.find((m) => total % m !== 0) ?? 1;
  const position = ((((a % total) * j) % total) + (key % total)) % total;
  let cumulative = 0;
  for (const type of ISSUE_TYPES) {
    cumulative += counts[type];
    if (position < cumulative) return type;
  }
  return "SKIPPED";
}

/**
 * The issue type of each detail record of a report, in order (`j`, type),
 * keeping only `types` when given: the shared walk of PMP and Drive details.
 */
export function* detailIssueTypes(
  counts: IssueCounts,
  total: number,
  key: number,
  types?: readonly string[],
): Generator<[number, IssueType]> {
  for (let j = 0; j < total; j++) {
    const type = issueTypeAt(counts, total, j, key);
    if (types?.length && !types.includes(type)) continue;
    yield [j, type];
  }
}
