// A clean code is believed only without contradiction; texts are compared trimmed and case-insensitively.
import type { AnalysisResult } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { contradictionsOf, isFinished, verdictOf, worstVerdict } from "../src/index.js";

type Extra = {
  scan?: Record<string, unknown>;
  process?: Record<string, unknown>;
};

const result = (code: number, extra: Extra = {}): AnalysisResult =>
  ({
    data_id: "d",
    scan_results: { scan_all_result_i: code, progress_percentage: 100, ...extra.scan },
    process_info: { progress_percentage: 100, ...extra.process },
  }) as AnalysisResult;

const engines = (...codes: Array<[number, string]>) => ({
  scan_details: Object.fromEntries(
    codes.map(([code, threat], i) => [`engine${i}`, { scan_result_i: code, threat_found: threat }]),
  ),
});

describe("contradictions: a clean code is never believed against the rest of the result", () => {
  it("an engine reporting a threat under an overall 0 or 7 is failed, the threat kept", () => {
    for (const code of [0, 7]) {
      const raw = result(code, { scan: engines([0, ""], [1, "EICAR-Test-File"], [0, ""]) });
      expect(verdictOf(raw)).toBe("failed");
      expect(contradictionsOf(raw)).toEqual([expect.stringMatching(/engine1.*code 1.*EICAR/)]);
    }
  });

  it("an engine with any non-clean code, no code, or a threat name under a clean code", () => {
    for (const code of [2, 3, 10, 19, 23, 255]) {
      expect(verdictOf(result(0, { scan: engines([0, ""], [code, ""]) }))).toBe("failed");
    }
    const noCode = result(0, { scan: { scan_details: { x: { threat_found: "" } } } });
    expect(verdictOf(noCode)).toBe("failed");
    expect(verdictOf(result(0, { scan: engines([0, "Trojan.Gen"]) }))).toBe("failed");
    expect(verdictOf(result(0, { scan: { scan_details: { x: "clean" } } }))).toBe("failed");
    // Engines agreeing with the clean code leave it clean.
    expect(verdictOf(result(0, { scan: engines([0, ""], [7, ""]) }))).toBe("clean");
  });

  it("a code with an unknown or contradicting text is not clean", () => {
    const text = (t: unknown) => verdictOf(result(0, { scan: { scan_all_result_a: t } }));
    expect(text("No Threat Detected")).toBe("clean");
    expect(text("  no threat   DETECTED ")).toBe("clean");
    expect(text("Infected")).toBe("failed");
    expect(text("Clean as a whistle")).toBe("failed");
    expect(text(0)).toBe("failed");
    expect(verdictOf(result(7, { scan: { scan_all_result_a: "Allowlisted" } }))).toBe("clean");
    expect(verdictOf(result(7, { scan: { scan_all_result_a: "No Threat Detected" } }))).toBe(
      "failed",
    );
    // process_info.verdicts must agree too.
    const verdicts = (v: unknown) => verdictOf(result(0, { process: { verdicts: v } }));
    expect(verdicts(["No Threat Detected"])).toBe("clean");
    expect(verdicts([])).toBe("clean");
    expect(verdicts(["Infected"])).toBe("failed");
  });

  it("a code-0 result whose text says In Progress is not finished", () => {
    const raw = result(0, { scan: { scan_all_result_a: "In Progress" } });
    expect(isFinished(raw)).toBe(false);
    expect(verdictOf(raw)).toBe("failed");
    expect(isFinished(result(0, { scan: { scan_all_result_a: " in queue" } }))).toBe(false);
    expect(isFinished(result(0, { process: { result: "PROCESSING " } }))).toBe(false);
    expect(isFinished(result(0, { scan: { progress_percentage: "100" } }))).toBe(false);
  });

  it("process_info.result is compared trimmed and case-insensitively; unknown values are not clean", () => {
    const processed = (value: unknown, code = 0) =>
      verdictOf(result(code, { process: { result: value } }));
    expect(processed("Allowed")).toBe("clean");
    expect(processed(" allowed\t")).toBe("clean");
    expect(processed("Blocked ")).toBe("blocked");
    expect(processed("bLoCkEd")).toBe("blocked");
    expect(processed(" BLOCKED ", 12)).toBe("blocked");
    expect(processed("Quarantined")).toBe("failed");
    expect(processed("")).toBe("failed");
    expect(processed(true)).toBe("failed");
    expect(processed("Allowed", 1)).toBe("infected");
  });

  it("is empty for a result whose code is not clean (it is not clean anyway)", () => {
    expect(contradictionsOf(result(1, { scan: engines([0, ""]) }))).toEqual([]);
    expect(contradictionsOf(result(0))).toEqual([]);
  });
});

describe("worstVerdict", () => {
  it("puts a threat first, an unknown answer next, and clean only when all are", () => {
    expect(worstVerdict(["clean", "clean"])).toBe("clean");
    expect(worstVerdict(["clean", "failed", "suspicious"])).toBe("suspicious");
    expect(worstVerdict(["infected", "failed"])).toBe("infected");
    expect(worstVerdict(["blocked", "cancelled", "clean"])).toBe("cancelled");
    expect(worstVerdict([])).toBe("failed");
  });
});

describe("contradictions: a clean archive with a child that is not", () => {
  const archive = (children: unknown) =>
    ({
      ...result(0),
      extracted_files: { files_extracted_count: 2, files_in_archive: children },
    }) as AnalysisResult;

  it("a listed child with a threat code or detections under an overall clean is failed", () => {
    const infectedChild = archive([
      { display_name: "a.txt", scan_all_result_i: 0, detected_by: 0 },
      { display_name: "docs/eicar.com", scan_all_result_i: 1, detected_by: 2 },
    ]);
    expect(verdictOf(infectedChild)).toBe("failed");
    expect(contradictionsOf(infectedChild)).toEqual([
      expect.stringMatching(/docs\/eicar\.com.*code 1/),
    ]);
    const detectedOnly = archive([{ display_name: "b.bin", detected_by: 1 }]);
    expect(verdictOf(detectedOnly)).toBe("failed");
    expect(verdictOf(archive("not a list"))).toBe("failed");
    expect(verdictOf(archive([null]))).toBe("failed");
  });

  it("clean children leave a clean archive clean", () => {
    expect(
      verdictOf(archive([{ display_name: "a.txt", scan_all_result_i: 0, detected_by: 0 }])),
    ).toBe("clean");
    expect(verdictOf(archive([]))).toBe("clean");
  });
});
