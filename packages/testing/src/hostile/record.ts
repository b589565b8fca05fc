import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { repoRoot } from "../paths.js";
import { CANARIES, findLeaks, type Leak } from "./canary.js";

/** Where the hostile cases record their outcomes (JSON Lines), for the CI summary. */
export const HOSTILE_RESULTS = join(repoRoot, ".tmp/hostile/results.jsonl");

/** The outcome of one hostile case, as recorded. */
export interface HostileOutcome {
  /** The case's name. */
  name: string;
  /** Wall time of the case, ms. */
  elapsedMs: number;
  /** The deadline the case promised to end within, ms (undefined: no deadline claim). */
  deadlineMs: number | undefined;
  /** Whether it ended later than its deadline plus the 5 s grace. */
  overrun: boolean;
  /** How many files known to be infected were reported clean. */
  infectedReportedClean: number;
  /** Secrets found in the outputs. */
  leaks: Leak[];
  /** Peak RSS of a measured child process, MB, when the case measured one. */
  peakRssMb?: number | undefined;
}

/** Grace beyond a case's deadline before it counts as an overrun. */
export const DEADLINE_GRACE_MS = 5_000;

/** What a hostile case reports to its probe while it runs. */
export interface HostileProbe {
  /** Adds text the user could see (a message, stack, inspected error, stdout, stderr). */
  output(where: string, text: unknown): void;
  /** Adds every rendering of an error: message, String, JSON, inspect, %o-like, stack, causes. */
  error(where: string, error: unknown): void;
  /** Records a verdict about content the test knows is infected. */
  infected(reportedClean: boolean): void;
  /** Records the peak RSS of a child process (MB). */
  peakRss(mb: number): void;
}

/** Every way an error is commonly rendered, causes included. */
export function renderingsOf(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const prefix = depth === 0 ? "" : `cause${depth}.`;
    out[`${prefix}String`] = String(current);
    out[`${prefix}inspect`] = inspect(current, { depth: 8 });
    out[`${prefix}inspect-hidden`] = inspect(current, { depth: 8, showHidden: true });
    try {
      out[`${prefix}JSON`] = JSON.stringify(current) ?? "";
    } catch {
      out[`${prefix}JSON`] = "";
    }
    if (current instanceof Error) {
      out[`${prefix}message`] = current.message;
      out[`${prefix}stack`] = current.stack ?? "";
      current = current.cause;
    } else break;
  }
  return out;
}

/**
 * Runs one hostile case: `body` exercises mdkit against a hostile party and
 * reports what a user would see through the probe. The case then fails if a
 * canary secret appears in any output (in any encoding), if infected content
 * was reported clean, or if it ran past `deadlineMs` + 5 s; and its outcome is
 * recorded for the CI summary.
 */
export async function hostileCase(
  name: string,
  options: { deadlineMs?: number; secrets?: Record<string, string> },
  body: (probe: HostileProbe) => Promise<void>,
): Promise<HostileOutcome> {
  const texts: Record<string, string> = {};
  let infectedReportedClean = 0;
  let peakRssMb: number | undefined;
  let count = 0;
  const probe: HostileProbe = {
    output(where, text) {
      texts[`${where}#${count++}`] = typeof text === "string" ? text : inspect(text, { depth: 8 });
    },
    error(where, error) {
      for (const [form, text] of Object.entries(renderingsOf(error)))
        texts[`${where}.${form}#${count++}`] = text;
    },
    infected(reportedClean) {
      if (reportedClean) infectedReportedClean++;
    },
    peakRss(mb) {
      peakRssMb = Math.max(peakRssMb ?? 0, mb);
    },
  };
  const started = performance.now();
  let failure: unknown;
  try {
    await body(probe);
  } catch (error) {
    failure = error;
  }
  const elapsedMs = Math.round(performance.now() - started);
  const leaks = findLeaks(texts, options.secrets ?? CANARIES);
  const outcome: HostileOutcome = {
    name,
    elapsedMs,
    deadlineMs: options.deadlineMs,
    overrun: options.deadlineMs !== undefined && elapsedMs > options.deadlineMs + DEADLINE_GRACE_MS,
    infectedReportedClean,
    leaks,
    ...(peakRssMb !== undefined ? { peakRssMb } : {}),
  };
  mkdirSync(join(HOSTILE_RESULTS, ".."), { recursive: true });
  appendFileSync(HOSTILE_RESULTS, `${JSON.stringify({ ...outcome, failed: !!failure })}\n`);
  if (failure) throw failure;
  const problems = [
    ...leaks.map((l) => `secret ${l.secret} leaked (${l.encoding}) in ${l.where}`),
    ...(infectedReportedClean ? [`${infectedReportedClean} infected file(s) reported clean`] : []),
    ...(outcome.overrun
      ? [`ran ${elapsedMs} ms, past its deadline of ${options.deadlineMs} ms + 5 s`]
      : []),
  ];
  if (problems.length) throw new Error(`hostile case "${name}": ${problems.join("; ")}`);
  return outcome;
}

/** Empties the results file (the hostile project's global setup calls it once per run). */
export function resetHostileResults(): void {
  rmSync(HOSTILE_RESULTS, { force: true });
}

/** Reads the recorded outcomes. */
export function readHostileResults(): HostileOutcome[] {
  try {
    return readFileSync(HOSTILE_RESULTS, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as HostileOutcome);
  } catch {
    return [];
  }
}
