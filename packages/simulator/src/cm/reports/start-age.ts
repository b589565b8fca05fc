import { DAY_MS } from "../data/timeline.js";
import { badRequest } from "../errors.js";

/**
 * How far back a query may start, as the document writes it per operation:
 * PMP and MetaDefender Drive report lists 30 days, Core report lists and
 * the Core instance statistics one year.
 */
export const START_AGE_LIMITS = {
  thirtyDays: { ms: 30 * DAY_MS, words: "30 days" },
  oneYear: { ms: 365 * DAY_MS, words: "one year" },
} as const;

/** One entry of {@link START_AGE_LIMITS}. */
export type StartAgeLimit = (typeof START_AGE_LIMITS)[keyof typeof START_AGE_LIMITS];

/**
 * Refuses with 400 a query starting further back than `limit` from `now`.
 * A report listing checks its first page only: the pages after it carry the
 * query (and the window) that page was accepted with.
 */
export function checkStartAge(
  field: string,
  start: number | undefined,
  now: number,
  limit: StartAgeLimit,
): void {
  if (start !== undefined && start < now - limit.ms) {
    throw badRequest(`${field} must not be more than ${limit.words} before the current date`);
  }
}
