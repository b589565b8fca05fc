/**
 * A stand-in npm registry on 127.0.0.1 (a free port) for publish dry runs:
 * npm and pnpm ask the registry whether a version exists even with
 * `--dry-run`; this one answers that nothing was ever published, and records
 * what it was asked, so a rehearsal never reaches the real registry.
 */
import { createServer } from "node:http";

/**
 * @returns {Promise<{ url: string, requests: string[], close(): Promise<void> }>}
 * @example
 * const registry = await startLoopbackRegistry();
 * // ... pnpm publish --dry-run --registry registry.url
 * await registry.close();
 */
export function startLoopbackRegistry() {
  /** @type {string[]} */
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${decodeURIComponent(request.url ?? "")}`);
    request.resume();
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":"Not found"}');
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done(undefined));
          }),
      });
    });
  });
}
