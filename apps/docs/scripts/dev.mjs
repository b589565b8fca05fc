/**
 * `pnpm docs:dev`: generates the reference pages, then serves the site with
 * VitePress's dev server on 127.0.0.1 (guides reload as they are edited; run
 * it again after changing the packages, the CLI or the specs). Port: the
 * first argument, default 5173. Ctrl-C stops it.
 */
import { createServer } from "vitepress";
import { generateReference } from "./generate.mjs";
import { docsRoot } from "./site.mjs";

await generateReference();
const server = await createServer(docsRoot, {
  host: "127.0.0.1",
  port: Number(process.argv[2] ?? 5173),
});
await server.listen();
server.printUrls();
// Vite keeps watchers and sockets open: stop on Ctrl-C or SIGTERM, closing what closes within a second.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    const closing = server.close().catch(() => {});
    const late = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    void Promise.race([closing, late]).then(() => process.exit(0));
  });
}
