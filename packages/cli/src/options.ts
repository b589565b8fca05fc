/** Option parsers and option definitions shared by several commands. */
import { InvalidArgumentError, Option } from "commander";
import { FORMATS } from "./output/index.js";

/** Parses a whole number ≥ `min` (commander reports the error as a usage error, exit 2). */
export function integerParser(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    }
    return n;
  };
}

/** Collects a repeatable option's values (`--include a --include b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--format`, with the formats a command supports. */
export function formatOption(formats: readonly string[] = FORMATS): Option {
  return new Option(
    "--format <format>",
    "output format (default: table on a terminal, jsonl otherwise)",
  ).choices(formats);
}

/** Which verdicts make the exit code 1. */
export const FAIL_ON = ["infected", "suspicious", "not-clean"] as const;

/** One of {@link FAIL_ON}. */
export type FailOn = (typeof FAIL_ON)[number];

/** `--fail-on`. */
export function failOnOption(): Option {
  return new Option("--fail-on <verdicts>", "which verdicts make the exit code 1")
    .choices(FAIL_ON)
    .default("not-clean");
}

/** Whether a verdict matches `--fail-on`. */
export function matchesFailOn(verdict: string, failOn: FailOn): boolean {
  switch (failOn) {
    case "infected":
      return verdict === "infected";
    case "suspicious":
      return verdict === "infected" || verdict === "suspicious";
    case "not-clean":
      return verdict !== "clean";
  }
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a point in time: milliseconds since the epoch (`1748736000000`), an
 * ISO 8601 date or date-time (`2025-06-01`, `2025-06-01T08:00:00Z`), or a
 * duration before `now` (`30m`, `24h`, `7d`). Returns ms since the epoch.
 */
export function parseTime(value: string, now: () => number = Date.now): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) return now() - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) {
    throw new InvalidArgumentError(
      "expected an ISO date, milliseconds since the epoch, or e.g. 7d",
    );
  }
  return parsed;
}
