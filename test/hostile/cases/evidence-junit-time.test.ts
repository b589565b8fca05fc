/**
 * The gateway chooses `scan_results.total_time`, which `mdkit scan --format
 * junit` writes as each test case's `time`: 10^300, 1e999 (Infinity once
 * parsed), a negative number, "NaN", and a string of XML metacharacters
 * that would close the attribute and forge a passing case. The report stays
 * well-formed and valid against the Jenkins JUnit schema, every `time` is a
 * plain decimal, and the verdicts are unaffected: EICAR is a failure, the
 * clean file passes, the exit code says a file was infected.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { repoRoot } from "@mdkit/testing";
import { hostileCase, type UpstreamAnswer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { folder, lyingGateway } from "../evidence-setup.js";

const JUNIT_XSD = readFileSync(
  join(repoRoot, "packages/cli/test/fixtures/schemas/junit.xsd"),
  "utf8",
);

/** What the gateway puts in `total_time`: a JSON value, or raw JSON text. */
const times: Array<[string, { json: unknown } | { raw: string }]> = [
  ["10^300", { json: 1e300 }],
  ["1e999 (Infinity once parsed)", { raw: "1e999" }],
  ["-5", { json: -5 }],
  ['"NaN"', { json: "NaN" }],
  ["XML metacharacters", { json: `1"/><testcase name="forged"/><x a="<&>'` }],
];

/** A finished result (poll or lookup) whose `total_time` is `time`. */
function withTime(time: { json: unknown } | { raw: string }) {
  return (answer: UpstreamAnswer) => {
    const body = answer.json as { scan_results?: Record<string, unknown> } | undefined;
    if (answer.method !== "GET" || answer.status !== 200 || !body?.scan_results) return undefined;
    if ("json" in time) {
      return { json: { ...body, scan_results: { ...body.scan_results, total_time: time.json } } };
    }
    const marker = "__total_time__";
    const text = JSON.stringify({
      ...body,
      scan_results: { ...body.scan_results, total_time: marker },
    }).replace(`"${marker}"`, time.raw);
    return { text };
  };
}

async function schemaErrors(xml: string): Promise<readonly unknown[]> {
  const result = await validateXML({
    xml: [{ fileName: "report.xml", contents: xml }],
    schema: [{ fileName: "junit.xsd", contents: JUNIT_XSD }],
  });
  return result.valid ? [] : result.errors;
}

describe("a gateway choosing the scan time JUnit reports", () => {
  for (const cli of CLI_RUNNERS) {
    it.each(times)(`${cli.name}: total_time %s`, async (label, time) => {
      await hostileCase(
        `evidence: JUnit time ${label} (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          await using env = await lyingGateway(withTime(time));
          await using dir = await folder({ "clean.txt": "fine", "eicar.com": EICAR_TEST_STRING });
          const run = await runAndReport(
            cli,
            probe,
            ["scan", dir.path, "--format", "junit", "--no-hash-first"],
            env.env,
          );
          // Exit code 0 says "every file clean": EICAR was not reported as infected.
          probe.infected(run.code === 0 || !/<failure[^>]*type="infected"/.test(run.stdout));
          expect(run.code).toBe(1);
          expect(await schemaErrors(run.stdout)).toEqual([]);
          const cases = [...run.stdout.matchAll(/<testcase [^>]*>/g)].map((m) => m[0]);
          expect(cases).toHaveLength(2);
          expect(run.stdout).not.toContain("forged");
          for (const testCase of cases) {
            const value = /\stime="([^"]*)"/.exec(testCase)?.[1];
            if (value !== undefined) expect(value).toMatch(/^\d+\.\d{3}$/);
          }
          expect(run.stdout).toMatch(/<testsuite [^>]*tests="2" failures="1" errors="0"/);
          expect(run.stdout).toMatch(/<testcase name="[^"]*eicar\.com"[^>]*>\s*<failure/);
          expect(run.stdout).toMatch(/<testcase name="[^"]*clean\.txt"[^>]*\/>/);
        },
      );
    });
  }
});
