// Type tests of scan results: the verdict is a closed union, and every union a
// caller branches on (hash lookups, scanFiles items) narrows on its tag.
import type { AnalysisResult, ClusterClient } from "@mdkit/cluster";
import { describe, expectTypeOf, test } from "vitest";
import {
  type BatchResult,
  type HashLookup,
  lookupHash,
  type ScanFilesItem,
  type ScanResult,
  scanBatch,
  scanFile,
  scanFiles,
  type Verdict,
  verdictOf,
} from "../src/index.js";
import { scanDirectory, scanFile as scanPath } from "../src/node/index.js";

declare const cluster: ClusterClient;

describe("verdicts", () => {
  test("are the seven normalised outcomes, nothing else", () => {
    expectTypeOf<Verdict>().toEqualTypeOf<
      "clean" | "infected" | "suspicious" | "blocked" | "incomplete" | "failed" | "cancelled"
    >();
    expectTypeOf(verdictOf).parameter(0).toEqualTypeOf<AnalysisResult>();
    expectTypeOf(verdictOf).returns.toEqualTypeOf<Verdict>();
    // @ts-expect-error "unknown" is not a verdict: unknown codes are "failed"
    const unknown: Verdict = "unknown";
    void unknown;
  });

  test("scanFile resolves to a ScanResult with a Verdict and a boolean clean", () => {
    expectTypeOf(scanFile(cluster, new Blob(["x"]))).toEqualTypeOf<Promise<ScanResult>>();
    expectTypeOf(scanPath(cluster, "./invoice.pdf")).toEqualTypeOf<Promise<ScanResult>>();
    expectTypeOf<ScanResult["verdict"]>().toEqualTypeOf<Verdict>();
    expectTypeOf<ScanResult["clean"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ScanResult["raw"]>().toEqualTypeOf<AnalysisResult>();
    // @ts-expect-error the portable entry takes no paths: use @mdkit/scan/node
    void scanFile(cluster, "./invoice.pdf");
  });
});

describe("unions narrow on their tag", () => {
  test("a hash lookup is found, in progress or not found", async () => {
    const lookup = await lookupHash(cluster, "00");
    expectTypeOf(lookup).toEqualTypeOf<HashLookup>();
    if (lookup.status === "found") expectTypeOf(lookup.result).toEqualTypeOf<ScanResult>();
    else if (lookup.status === "in-progress") expectTypeOf(lookup.dataId).toEqualTypeOf<string>();
    else {
      expectTypeOf(lookup).toEqualTypeOf<{ status: "not-found" }>();
      // @ts-expect-error a miss has no result
      void lookup.result;
    }
  });

  test("a scanFiles item is a result or an error, never both", async () => {
    for await (const item of scanFiles(cluster, [new Blob(["x"])])) {
      expectTypeOf(item).toEqualTypeOf<ScanFilesItem>();
      if (item.ok) expectTypeOf(item.result).toEqualTypeOf<ScanResult>();
      else {
        expectTypeOf(item.error).toEqualTypeOf<unknown>();
        // @ts-expect-error a failed item has no result
        void item.result;
      }
    }
    for await (const item of scanDirectory(cluster, "./inbox")) {
      if (item.ok) expectTypeOf(item.result.verdict).toEqualTypeOf<Verdict>();
    }
  });

  test("a batch has one verdict, its files theirs, and what its certificate established", () => {
    expectTypeOf(scanBatch(cluster, [new Blob(["x"])])).toEqualTypeOf<Promise<BatchResult>>();
    expectTypeOf<BatchResult["verdict"]>().toEqualTypeOf<Verdict>();
    expectTypeOf<BatchResult["files"][number]["verdict"]>().toEqualTypeOf<Verdict>();
    expectTypeOf<BatchResult["certificate"]["status"]>().toEqualTypeOf<
      "pinned" | "unpinned" | "unverified"
    >();
    expectTypeOf<BatchResult["contradictions"]>().toEqualTypeOf<string[]>();
  });
});
