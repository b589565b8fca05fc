import type { Writer } from "../io.js";
import { type FileReport, findingText, type RunReport, type ScanReportWriter } from "./report.js";

/** Verdicts that are test failures; every other verdict but clean is an error. */
const FAILURES = new Set(["infected", "suspicious", "blocked", "incomplete"]);

/**
 * Text safe in XML 1.0 content and attribute values: markup characters
 * escaped, characters XML cannot carry (most control characters, lone
 * surrogates) replaced by U+FFFD.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const attrs = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
    .join("");

/** The details of a file, as the body of its failure or error element. */
function details(row: FileReport["row"]): string {
  return ["path", "name", "verdict", "threats", "found_in", "sha256", "data_id", "error"]
    .map((key) => [key, row[key]] as const)
    .filter(
      ([, value]) =>
        value !== null && value !== undefined && !(Array.isArray(value) && !value.length),
    )
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join("; ") : String(value)}`)
    .join("\n");
}

/**
 * The gateway's own scan time of a file (`scan_results.total_time`, ms) in
 * seconds, as a case's `time`: always a plain decimal (`12.345`), as JUnit
 * readers that type it `xs:decimal` require. Absent when the answer has no
 * sensible figure — missing, not a number, negative, or beyond 2^53 ms,
 * where `toFixed` would switch to exponent notation (`1e+297`): the value
 * comes from the server.
 */
function caseTime(result: FileReport["result"]): { time: string } | Record<string, never> {
  const ms: unknown = result?.raw.scan_results?.total_time;
  return typeof ms === "number" && ms >= 0 && ms <= Number.MAX_SAFE_INTEGER
    ? { time: (ms / 1000).toFixed(3) }
    : {};
}

/**
 * JUnit XML (the common Jenkins/Ant form): one test case per file, named
 * by its path; infected, suspicious, blocked and incomplete files are
 * failures, files whose scan failed (or that were not scanned) are errors.
 * A case's `time` is the gateway's scan time of the file, when it reports one.
 * The suite's counts come first in the document, so the cases are kept
 * until the end (a few hundred bytes each).
 */
export function junitWriter(out: Writer): ScanReportWriter {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  return {
    async write({ row, result }) {
      const verdict = String(row.verdict);
      const name = { name: String(row.path), classname: "mdkit.scan", ...caseTime(result) };
      if (verdict === "clean") {
        cases.push(`    <testcase${attrs(name)}/>\n`);
        return;
      }
      const failure = FAILURES.has(verdict);
      if (failure) failures++;
      else errors++;
      const element = failure ? "failure" : "error";
      const message = failure ? findingText(row) : String(row.error ?? verdict);
      cases.push(
        `    <testcase${attrs(name)}>\n      <${element}${attrs({ type: verdict, message })}>${xmlText(details(row))}</${element}>\n    </testcase>\n`,
      );
    },
    async end(run: RunReport) {
      const counts = {
        tests: cases.length,
        failures,
        errors,
        time: (run.elapsedMs / 1000).toFixed(3),
      };
      await out(
        `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: "mdkit scan", ...counts })}>\n  <testsuite${attrs({ name: "mdkit scan", ...counts, skipped: 0, timestamp: new Date(run.startedAt).toISOString().replace(/\.\d+Z$/, "") })}>\n`,
      );
      for (const testCase of cases) await out(testCase);
      await out(`  </testsuite>\n</testsuites>\n`);
    },
  };
}
