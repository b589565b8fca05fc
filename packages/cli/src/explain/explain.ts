import { EXPLANATIONS, type Explanation } from "./rules.js";
import type { Target } from "./target.js";

/** What an error means for the user: one line, and whether the whole run must stop. */
export interface Explained {
  /** One line that says what was wrong and what to do (or the error's own message). */
  readonly message: string;
  /**
   * Every further request would fail the same way (credentials refused,
   * nothing listening, no such rule): the run stops at once, and files not
   * attempted are reported as not scanned.
   */
  readonly stopsRun: boolean;
}

/** The error and its causes (and the errors of an `AggregateError`), outermost first; at most 16. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length && chain.length < 16) {
    const link = queue.shift();
    if (link === undefined || link === null || chain.includes(link)) continue;
    chain.push(link);
    const { cause, errors } = link as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors.slice(0, 4));
  }
  return chain;
}

/** The message of an error that no explanation knows: its own (mdkit's are redacted already). */
function ownMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Explains an error with the first entry of the explanation table that
 * matches it or one of its causes (see `rules.ts`), knowing what the command
 * talked to. An error no entry matches keeps its own message and does not
 * stop the run.
 */
export function explain(error: unknown, target: Target | undefined): Explained {
  const chain = causeChain(error);
  for (const entry of EXPLANATIONS as readonly Explanation[]) {
    for (const link of chain) {
      const message = entry.explain(link, target, error);
      if (message !== undefined) return { message, stopsRun: entry.stopsRun };
    }
  }
  return { message: ownMessage(error), stopsRun: false };
}
