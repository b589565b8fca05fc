// Prints vitest's JSON report (written in CI) as one plain closing line.
import { readFileSync } from "node:fs";

const label = process.argv[2] ?? "tests";
const report = JSON.parse(
  readFileSync(new URL("../.tmp/vitest-report.json", import.meta.url), "utf8"),
);
const skipped = report.numPendingTests + report.numTodoTests;
console.log(
  `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
);
if (report.numFailedTests > 0 || report.numPassedTests === 0) process.exitCode = 1;
