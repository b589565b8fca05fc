/**
 * A tiny static file server for the built site (`pnpm --filter @mdkit/docs
 * serve` and the browser test): GET and HEAD only, directories answer with
 * their `index.html`, nothing outside the root is ever served.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

/** @type {Record<string, string>} */
const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * Serves `root` over HTTP until `close()` is called.
 *
 * @param {string} root absolute directory to serve.
 * @param {{ host?: string, port?: number }} [options] defaults: 127.0.0.1 and a free port.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} the base URL (ending with `/`).
 * @example
 * const site = await serveDirectory("/srv/site");
 * await fetch(new URL("index.html", site.url));
 * await site.close();
 */
export async function serveDirectory(root, options = {}) {
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const file = await resolveFile(root, req.url ?? "/");
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": contentTypes[extname(file.path)] ?? "application/octet-stream",
      "content-length": file.size,
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file.path).pipe(res);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => done(undefined));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * The file a request path names inside `root`, or `undefined`.
 *
 * @param {string} root
 * @param {string} url
 */
async function resolveFile(root, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, "http://localhost").pathname);
  } catch {
    return undefined;
  }
  let path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      path = join(path, "index.html");
      info = await stat(path);
    }
    return info.isFile() ? { path, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
