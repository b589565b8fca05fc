/**
 * Serves the built site on 127.0.0.1 for reading it in a browser:
 * `pnpm --filter @mdkit/docs serve [port]` (default 8080). Ctrl-C stops it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { distDir } from "./site.mjs";
import { serveDirectory } from "./static-server.mjs";

if (!existsSync(join(distDir, "index.html"))) {
  console.error("[@mdkit/docs] apps/docs/dist is missing: run `pnpm run docs` first");
  process.exit(1);
}
const site = await serveDirectory(distDir, { port: Number(process.argv[2] ?? 8080) });
console.log(`[@mdkit/docs] serving apps/docs/dist at ${site.url} (Ctrl-C to stop)`);
process.once("SIGINT", () => site.close().then(() => process.exit(0)));
