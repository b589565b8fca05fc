import { sendJson } from "./behaviours.js";
import type { HostileHandler } from "./server.js";

/** The gateway routes a hostile case may replace; every other answer is an honest one. */
export interface GatewayRoutes {
  /** `GET /hash/{hash}`. Default: "Not Found" (so the file is uploaded). */
  hash?: HostileHandler;
  /** `POST /file`. Default: reads the upload, answers `{ data_id: "hostile-1" }`. */
  upload?: HostileHandler;
  /** `GET /file/{data_id}`. Default: a finished, clean result for that id. */
  result?: HostileHandler;
  /** `POST /login`. Default: a session id. */
  login?: HostileHandler;
  /** Anything else (`/file/rules`, cancel, logout). Default: 200 with `{}` (rules: `[]`). */
  other?: HostileHandler;
}

/** The data id the default upload route hands out. */
export const HOSTILE_DATA_ID = "hostile-1";

/** A finished analysis of `dataId` with the given overall code (0 = no threat). */
export function finishedResult(dataId: string, code = 0): Record<string, unknown> {
  return {
    data_id: dataId,
    file_info: { display_name: "file" },
    scan_results: {
      data_id: dataId,
      scan_all_result_i: code,
      scan_all_result_a: code === 0 ? "No Threat Detected" : "Infected",
      progress_percentage: 100,
      scan_details: {},
    },
    process_info: { progress_percentage: 100, result: code === 0 ? "Allowed" : "Blocked" },
  };
}

/**
 * A gateway handler for hostile cases: honest by default, with the routes a
 * case attacks replaced. Pass it to `startHostileServer`.
 *
 * @example
 * ```ts
 * const gateway = await startHostileServer(hostileGateway({ result: () => hang() }));
 * ```
 */
export function hostileGateway(routes: GatewayRoutes = {}): HostileHandler {
  return async (request, response, context) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const method = request.method ?? "GET";
    if (method === "GET" && path.startsWith("/hash/")) {
      if (routes.hash) return routes.hash(request, response, context);
      return sendJson(response, 200, { [path.slice(6)]: "Not Found" });
    }
    if (method === "POST" && path === "/file") {
      if (routes.upload) return routes.upload(request, response, context);
      await context.body(512 * 1024 * 1024);
      return sendJson(response, 200, { data_id: HOSTILE_DATA_ID, status: "inqueue" });
    }
    if (method === "POST" && path === "/login") {
      if (routes.login) return routes.login(request, response, context);
      return sendJson(response, 200, { session_id: "hostile-session-0001" });
    }
    if (method === "GET" && path.startsWith("/file/") && path !== "/file/rules") {
      if (routes.result) return routes.result(request, response, context);
      return sendJson(response, 200, finishedResult(decodeURIComponent(path.slice(6))));
    }
    if (routes.other) return routes.other(request, response, context);
    return sendJson(response, 200, path === "/file/rules" ? [] : {});
  };
}
