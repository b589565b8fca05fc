import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** Where and what to listen on. */
export interface ListenOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Which API the server answers: `all` (default), `cluster` or `cm`. */
  api?: "all" | "cluster" | "cm";
  /**
   * Let the HTTP adapter replace the process's global `Request` and
   * `Response` with its lighter classes, which answer a JSON body without a
   * web stream: about a fifth less CPU per request. Only for a process that
   * runs the simulator alone (a load test, a benchmark): any other code in
   * the process would see those classes. Default `false` (globals untouched).
   */
  replaceGlobals?: boolean;
}

/** A running HTTP server of the simulator. */
export interface SimulatorServer {
  /** Base URL, e.g. `http://127.0.0.1:8899`. */
  url: string;
  /** The bound port. */
  port: number;
  /** Stops accepting connections, drops open ones and resolves when closed. */
  close(): Promise<void>;
}

/** Serves a fetch handler over HTTP/1.1 with Node's `http` module. */
export function serveHttp(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  options: ListenOptions,
): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      // Unless asked, keep the process's global Request/Response untouched: the
      // simulator often runs inside the test process of the code it simulates for.
      {
        fetch,
        port: options.port ?? 0,
        hostname: host,
        overrideGlobalObjects: options.replaceGlobals === true,
      },
      (info: AddressInfo) => {
        const urlHost = host.includes(":") ? `[${host}]` : host;
        resolve({
          url: `http://${urlHost}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              if ("closeAllConnections" in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
