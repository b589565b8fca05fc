import { describe, expect, it } from "vitest";
import { parseQueueResult } from "../src/result.js";

const recorded = (result: Record<string, unknown>) =>
  JSON.stringify({ ok: true, jobId: "j", sha256: "s", name: "a.txt", result });

describe("results recorded before origin existed", () => {
  it("get origin from fromCache and the bytes uploaded", () => {
    const origin = (fromCache: boolean, uploadedBytes: number) => {
      const parsed = parseQueueResult(recorded({ fromCache, uploadedBytes }));
      return parsed.ok ? parsed.result.origin : undefined;
    };
    expect(origin(true, 0)).toBe("lookup");
    expect(origin(false, 12)).toBe("upload");
    expect(origin(false, 0)).toBe("resumed");
  });

  it("keep the origin they were recorded with", () => {
    const parsed = parseQueueResult(
      recorded({ origin: "resumed", fromCache: false, uploadedBytes: 0 }),
    );
    expect(parsed.ok && parsed.result.origin).toBe("resumed");
  });
});
