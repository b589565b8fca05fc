/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `run.js --cpu-prof`):
 * self time by package (our packages by name, other dependencies, Node's
 * internals, the garbage collector, idle) and the functions with the most
 * self time, each with its file and line.
 *
 *   node bench/dist/profile-summary.js <file.cpuprofile> [top functions, default 30]
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: one of our packages, a dependency, Node itself, or V8's pseudo-frames. */
function ownerOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const ours = /packages\/([^/]+)\//.exec(url);
  if (ours && !url.includes("node_modules/.pnpm")) return `@mdkit/${ours[1]}`;
  if (url.includes("/bench/")) return "bench";
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
    url,
  );
  if (dependency) return dependency[1] as string;
  if (url.startsWith("node:")) return "node:internal";
  return url;
}

const [file, topText] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [top]");
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i] ?? 0;
  const id = profile.samples[i] as number;
  self.set(id, (self.get(id) ?? 0) + us);
  totalUs += us;
}
const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  const owner = ownerOf(url, functionName);
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  const where = url
    ? `${url.replace(/^.*\/(packages|node_modules)\//, "$1/")}:${lineNumber + 1}`
    : "";
  const key = `${functionName || "(anonymous)"} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const idle = byOwner.get("(idle)") ?? 0;
const busy = totalUs - idle;
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
console.log(
  `${file}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy (percentages of busy time)`,
);
console.log("\nself time by owner");
for (const [owner, us] of [...byOwner].sort((a, b) => b[1] - a[1])) {
  if (owner !== "(idle)")
    console.log(`  ${pct(us)}  ${(us / 1000).toFixed(1).padStart(8)} ms  ${owner}`);
}
console.log("\nfunctions by self time");
for (const [key, us] of [...byFunction]
  .filter(([key]) => !key.startsWith("(idle)"))
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(topText ?? 30))) {
  console.log(`  ${pct(us)}  ${key}`);
}
