import { EXIT } from "../exit-codes.js";
import { type FailOn, matchesFailOn } from "../options.js";

/**
 * Verdicts that say the gateway could not analyse the file: like an error,
 * they leave the answer unknown, so they are failures whatever `--fail-on` says.
 */
const UNDETERMINED = new Set(["failed", "cancelled"]);

/**
 * Tallies the files of a run and decides its exit code, failing closed: 2
 * when any file failed or was not analysed (the answer is unknown), else 1
 * when any verdict matched `--fail-on`, else 0.
 */
export class Outcome {
  /** Files seen. */
  total = 0;
  /** Files that failed or were not analysed. */
  failed = 0;
  /** Files whose verdict matched `--fail-on`. */
  matched = 0;

  constructor(private readonly failOn: FailOn) {}

  /** Counts a file by its verdict; `undefined` for a file whose scan failed. */
  add(verdict: string | undefined): void {
    this.total++;
    if (verdict === undefined || UNDETERMINED.has(verdict)) this.failed++;
    else if (matchesFailOn(verdict, this.failOn)) this.matched++;
  }

  /** The exit code of the run. */
  exitCode(): number {
    if (this.failed > 0) return EXIT.failure;
    if (this.matched > 0) return EXIT.verdict;
    return EXIT.ok;
  }
}
