/**
 * The gateway contradicts itself about EICAR: an overall "clean" code while
 * an engine reports the threat, a `process_info.result` padded or oddly
 * cased, a code 0 whose text says "In Progress" or "Infected". mdkit reads
 * none of them as clean (library and built CLI).
 */

import { scanFile } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  builtCliAvailable,
  hostileCase,
  runBuiltCli,
  type UpstreamAnswer,
} from "@mdkit/testing/hostile";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  errorOfInfectedScan,
  folder,
  lyingGateway,
  reportCliRun,
  rowsOf,
} from "../evidence-setup.js";

type Json = Record<string, unknown>;

const isPoll = (a: UpstreamAnswer) => a.method === "GET" && /^\/file\/[^/]+$/.test(a.path);

/** The real result of EICAR turned "clean" in its overall code, with `changes` on top. */
function claimClean(changes: {
  text?: string;
  processResult?: string;
  enginesClean?: boolean;
}): (answer: UpstreamAnswer) => { json: Json } | undefined {
  return (answer) => {
    if (!isPoll(answer) || answer.status !== 200) return undefined;
    const result = answer.json as Json;
    const scan = result?.scan_results as Json | undefined;
    if (scan?.progress_percentage !== 100) return undefined;
    const details = scan.scan_details as Record<string, Json>;
    if (changes.enginesClean) {
      for (const engine of Object.values(details))
        Object.assign(engine, { scan_result_i: 0, threat_found: "" });
    }
    Object.assign(scan, {
      scan_all_result_i: 0,
      scan_all_result_a: changes.text ?? "No Threat Detected",
    });
    Object.assign(result.process_info as Json, {
      result: changes.processResult ?? "Allowed",
      blocked_reason: "",
      blocked_reasons: [],
      verdicts: [],
    });
    return { json: result };
  };
}

const CASES = [
  {
    name: "an engine reports EICAR under an overall scan_all_result_i 0",
    lie: claimClean({}),
    verdict: "failed",
  },
  {
    name: 'process_info.result "Blocked " (trailing space) under code 0',
    lie: claimClean({ enginesClean: true, processResult: "Blocked " }),
    verdict: "blocked",
  },
  {
    name: 'process_info.result "bLoCkEd\\t" (odd case) under code 0',
    lie: claimClean({ enginesClean: true, processResult: "bLoCkEd\t" }),
    verdict: "blocked",
  },
  {
    name: 'an unknown process_info.result ("Quarantined") under code 0',
    lie: claimClean({ enginesClean: true, processResult: "Quarantined" }),
    verdict: "failed",
  },
  {
    name: 'scan_all_result_a "Infected" with code 0',
    lie: claimClean({ enginesClean: true, text: "Infected" }),
    verdict: "failed",
  },
] as const;

const cli = builtCliAvailable();

describe("a gateway contradicting itself about EICAR", () => {
  it.each(CASES)("library: $name → $verdict", async ({ name, lie, verdict }) => {
    await hostileCase(`evidence: ${name} (library)`, { deadlineMs: 10_000 }, async (probe) => {
      await using env = await lyingGateway(lie);
      const result = await scanFile(env.cluster, {
        data: new TextEncoder().encode(EICAR_TEST_STRING),
        name: "eicar.com",
      });
      probe.output("result", { verdict: result.verdict, contradictions: result.contradictions });
      probe.infected(result.clean);
      expect(result.verdict).toBe(verdict);
    });
  });

  it.skipIf(!cli).each(CASES)("built CLI: $name → not clean", async ({ name, lie, verdict }) => {
    await hostileCase(`evidence: ${name} (CLI)`, { deadlineMs: 15_000 }, async (probe) => {
      await using env = await lyingGateway(lie);
      await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
      const run = await runBuiltCli(["scan", dir.file("eicar.com")], { env: env.env });
      reportCliRun(probe, run, ["eicar.com"]);
      expect(rowsOf(run)[0]?.verdict).toBe(verdict);
      expect(run.code).not.toBe(0);
    });
  });

  it('library and CLI: code 0 whose text says "In Progress" is never finished: a timeout, not clean', async () => {
    await hostileCase(
      "evidence: code 0 with In Progress",
      { deadlineMs: 15_000 },
      async (probe) => {
        const lie = claimClean({ enginesClean: true, text: "In Progress" });
        await using env = await lyingGateway(lie);
        const error = await errorOfInfectedScan(
          probe,
          scanFile(
            env.cluster,
            { data: new TextEncoder().encode(EICAR_TEST_STRING), name: "eicar.com" },
            { timeoutMs: 1_500 },
          ),
        );
        expect((error as Error)?.name).toBe("ScanTimeoutError");
        if (!cli) return;
        // A gateway of its own: the first one knows EICAR's hash by now, and would say so.
        await using fresh = await lyingGateway(lie);
        await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
        const run = await runBuiltCli(["scan", dir.file("eicar.com"), "--timeout", "1500"], {
          env: fresh.env,
        });
        reportCliRun(probe, run, ["eicar.com"]);
        expect(run.code).toBe(2);
        expect(rowsOf(run)[0]?.verdict).toBe("error");
      },
    );
  });

  it("library: an archive called clean (engines and overall code) while its listed child is EICAR", async () => {
    await hostileCase(
      "evidence: clean archive over an infected child (library)",
      { deadlineMs: 10_000 },
      async (probe) => {
        await using env = await lyingGateway(claimClean({ enginesClean: true }));
        const bundle = zipSync({
          "readme.txt": new TextEncoder().encode("nothing to see"),
          "docs/eicar.com": new TextEncoder().encode(EICAR_TEST_STRING),
        });
        const result = await scanFile(env.cluster, { data: bundle, name: "bundle.zip" });
        probe.output("result", { verdict: result.verdict, contradictions: result.contradictions });
        probe.infected(result.clean);
        expect(result.verdict).toBe("failed");
        expect(result.contradictions.join("\n")).toMatch(/eicar\.com/);
      },
    );
  });
});
