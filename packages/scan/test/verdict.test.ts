// Verdicts fail closed: only codes the server uses for "nothing found" are clean.
import type { AnalysisResult } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import {
  IN_PROGRESS_CODES,
  isFinished,
  progressOf,
  SCAN_RESULT_NAMES,
  type Verdict,
  verdictOf,
} from "../src/index.js";

const result = (
  code: number | undefined,
  extra: Partial<Omit<AnalysisResult, "data_id">> = {},
): AnalysisResult =>
  ({
    data_id: "d",
    ...extra,
    scan_results: {
      ...(code === undefined ? {} : { scan_all_result_i: code }),
      progress_percentage: 100,
      ...extra.scan_results,
    },
  }) as AnalysisResult;

const EXPECTED: Record<number, Verdict> = {
  0: "clean",
  1: "infected",
  2: "suspicious",
  3: "failed",
  4: "infected",
  5: "failed",
  6: "infected",
  7: "clean",
  8: "infected",
  9: "incomplete",
  10: "failed",
  11: "failed",
  12: "incomplete",
  13: "incomplete",
  14: "incomplete",
  15: "incomplete",
  16: "incomplete",
  17: "suspicious",
  18: "suspicious",
  19: "cancelled",
  20: "suspicious",
  21: "suspicious",
  22: "suspicious",
  23: "incomplete",
  // Not finished: never a verdict that could pass for clean.
  254: "failed",
  255: "failed",
};

describe("verdictOf", () => {
  it.each(Object.entries(EXPECTED))("code %s is %s", (code, verdict) => {
    expect(verdictOf(result(Number(code)))).toBe(verdict);
    expect(SCAN_RESULT_NAMES[Number(code)]).toEqual(expect.any(String));
  });

  it("only 0 and 7 are clean", () => {
    const clean = Object.keys(EXPECTED)
      .map(Number)
      .filter((code) => verdictOf(result(code)) === "clean");
    expect(clean).toEqual([0, 7]);
  });

  it("an unknown code is failed, never clean", () => {
    for (const code of [24, 99, 253, 256, -1, 1.5]) expect(verdictOf(result(code))).toBe("failed");
  });

  it("a missing or mistyped scan_all_result_i is failed", () => {
    expect(verdictOf(result(undefined))).toBe("failed");
    expect(verdictOf({ data_id: "d" } as AnalysisResult)).toBe("failed");
    expect(
      verdictOf({
        data_id: "d",
        scan_results: { scan_all_result_i: "0" },
      } as never as AnalysisResult),
    ).toBe("failed");
  });

  it("a clean scan of a file the rule blocked is blocked", () => {
    const blocked = { process_info: { result: "Blocked", blocked_reason: "Encrypted archive" } };
    expect(verdictOf(result(0, blocked))).toBe("blocked");
    expect(verdictOf(result(12, blocked))).toBe("blocked");
    expect(verdictOf(result(0, { process_info: { result: "blocked" } }))).toBe("blocked");
    // A worse verdict is kept: the block does not hide the threat.
    expect(verdictOf(result(1, blocked))).toBe("infected");
    expect(verdictOf(result(2, blocked))).toBe("suspicious");
    expect(verdictOf(result(0, { process_info: { result: "Allowed" } }))).toBe("clean");
  });
});

describe("isFinished", () => {
  const at = (scan?: number, process?: number, code = 0) =>
    ({
      data_id: "d",
      scan_results: {
        scan_all_result_i: code,
        ...(scan === undefined ? {} : { progress_percentage: scan }),
      },
      ...(process === undefined ? {} : { process_info: { progress_percentage: process } }),
    }) as AnalysisResult;

  it("requires every progress field the result carries at 100", () => {
    expect(isFinished(at(100, 100))).toBe(true);
    expect(isFinished(at(100))).toBe(true);
    expect(isFinished(at(undefined, 100))).toBe(true);
    expect(isFinished(at(100, 99))).toBe(false);
    expect(isFinished(at(99, 100))).toBe(false);
    expect(isFinished(at(0, 0))).toBe(false);
  });

  it("is not finished without any progress field, or with an in-progress code", () => {
    expect(isFinished(at())).toBe(false);
    expect(isFinished({ data_id: "d" } as AnalysisResult)).toBe(false);
    for (const code of IN_PROGRESS_CODES) expect(isFinished(at(100, 100, code))).toBe(false);
  });

  it("progressOf is the least advanced field", () => {
    expect(progressOf(at(100, 40))).toBe(40);
    expect(progressOf(at(30, 100))).toBe(30);
    expect(progressOf(at())).toBe(0);
  });
});
