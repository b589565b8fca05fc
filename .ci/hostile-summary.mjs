// Prints the hostile suite's summary from the outcomes its cases recorded
// (.tmp/hostile/results.jsonl) and fails when any promise was broken:
// a false clean, a leaked secret, a deadline overrun, a JSON-bomb case over
// its memory bound, or no case run at all.
import { readFileSync } from "node:fs";

const RSS_LIMIT_MB = 256;
const file = new URL("../.tmp/hostile/results.jsonl", import.meta.url);
let outcomes = [];
try {
  outcomes = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {}

const sum = (pick) => outcomes.reduce((total, o) => total + pick(o), 0);
const falseClean = sum((o) => o.infectedReportedClean);
const leaks = sum((o) => o.leaks.length);
const overruns = outcomes.filter((o) => o.overrun);
const failed = outcomes.filter((o) => o.failed);
const rss = outcomes.filter((o) => typeof o.peakRssMb === "number");
const peak = rss.length ? Math.max(...rss.map((o) => o.peakRssMb)) : undefined;
const worst = outcomes.reduce(
  (w, o) =>
    o.deadlineMs !== undefined && o.elapsedMs - o.deadlineMs > (w?.over ?? -Infinity)
      ? { name: o.name, over: o.elapsedMs - o.deadlineMs }
      : w,
  undefined,
);

console.log(
  `hostile: ${outcomes.length} cases run, ${failed.length} failed, infected-reported-clean ${falseClean}, ` +
    `secret leaks ${leaks}, deadline overruns ${overruns.length}, ` +
    `peak RSS under the JSON-bomb cases ${peak === undefined ? "not measured" : `${peak} MB`} (limit ${RSS_LIMIT_MB} MB)` +
    (worst ? `; closest to its deadline: "${worst.name}" (${worst.over} ms relative)` : ""),
);
for (const o of [
  ...overruns,
  ...outcomes.filter((o) => o.leaks.length || o.infectedReportedClean),
]) {
  console.log(`  - ${o.name}: ${JSON.stringify(o)}`);
}
const broken =
  outcomes.length === 0 ||
  failed.length > 0 ||
  falseClean > 0 ||
  leaks > 0 ||
  overruns.length > 0 ||
  (peak !== undefined && peak > RSS_LIMIT_MB);
process.exit(broken ? 1 : 0);
