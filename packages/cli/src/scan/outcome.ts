import { EXIT } from "../exit-codes.js";
import { type FailOn, matchesFailOn } from "../options.js";

/** The verdict shown for a file whose scan failed: it is never a verdict of the gateway. */
export const ERROR_VERDICT = "error";
/** The verdict shown for a file that was never scanned (the run stopped or was interrupted first). */
export const NOT_SCANNED = "not scanned";

/**
 * Verdicts that say the file could not be analysed: like an error, they
 * leave the answer unknown, so they are failures whatever `--fail-on` says.
 */
const UNDETERMINED = new Set(["failed", "cancelled", ERROR_VERDICT]);

/** The summary's categories, in the order it prints them; the ones marked `always` even at 0. */
const CATEGORIES = [
  { name: "clean", always: true },
  { name: "infected", always: true },
  { name: "suspicious", always: false },
  { name: "blocked", always: false },
  { name: "incomplete", always: false },
  { name: "failed", always: true },
  { name: NOT_SCANNED, always: true },
] as const;

/** The summary category of a verdict (`undefined` for a failure). */
function categoryOf(verdict: string | undefined): string {
  if (verdict === undefined || UNDETERMINED.has(verdict)) return "failed";
  if (verdict === NOT_SCANNED) return NOT_SCANNED;
  return CATEGORIES.some((c) => c.name === verdict) ? verdict : "failed";
}

/**
 * Tallies the files of a run and decides its exit code, failing closed: 2
 * when any file failed, was not analysed or was not scanned (the answer is
 * unknown), else 1 when any verdict matched `--fail-on`, else 0.
 */
export class Outcome {
  /** Files seen. */
  total = 0;
  /** Files that failed, were not analysed or were not scanned. */
  failed = 0;
  /** Files whose verdict matched `--fail-on`. */
  matched = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly failOn: FailOn) {}

  /** Counts a file by its verdict; `undefined` for a file whose scan failed. */
  add(verdict: string | undefined): void {
    this.total++;
    const category = categoryOf(verdict);
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
    if (category === "failed" || category === NOT_SCANNED) this.failed++;
    else if (verdict !== undefined && matchesFailOn(verdict, this.failOn)) this.matched++;
  }

  /** Files of a category (`clean`, `infected`, ..., `failed`, `not scanned`). */
  count(category: string): number {
    return this.counts.get(category) ?? 0;
  }

  /** `200 files: 197 clean, 2 infected, 1 failed, 0 not scanned` (rarer categories only when present). */
  summary(): string {
    const parts = CATEGORIES.filter((c) => c.always || this.count(c.name) > 0).map(
      (c) => `${this.count(c.name)} ${c.name}`,
    );
    return `${this.total} file${this.total === 1 ? "" : "s"}: ${parts.join(", ")}`;
  }

  /** The exit code of the run. */
  exitCode(): number {
    if (this.failed > 0) return EXIT.failure;
    if (this.matched > 0) return EXIT.verdict;
    return EXIT.ok;
  }
}
