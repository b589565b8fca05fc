import { sendJson } from "./behaviours.js";
import { type HostileHandler, type HostileServer, startHostileServer } from "./server.js";

/** How a hostile Central Management behaves; every part has an honest default. */
export interface HostileCentralManagementOptions {
  /** The bearer token its token endpoint hands out. */
  accessToken: string;
  /** Answers `POST /o/oauth2/token`. Default: `accessToken`, valid for an hour. */
  token?: HostileHandler;
  /** Answers a tunnelled product request (`POST /fusion/console/services/connection/{id}` with `X-App-Method`). Default: 200 `[]`. */
  tunnel?: HostileHandler;
}

const CONNECTION = /^\/fusion\/console\/services\/connection\/([^/?]+)/;

/**
 * A Central Management that opens direct connections at once (`CONNECTED`
 * on request) and lets the test decide how its token endpoint and the
 * product behind a tunnel answer: echoing credentials, lying, stalling.
 */
export function startHostileCentralManagement(
  options: HostileCentralManagementOptions,
): Promise<HostileServer> {
  return startHostileServer(async (request, response, context) => {
    const path = new URL(request.url ?? "/", "http://cm").pathname;
    if (path === "/o/oauth2/token") {
      if (options.token) return options.token(request, response, context);
      await context.body();
      return sendJson(response, 200, {
        access_token: options.accessToken,
        token_type: "Bearer",
        expires_in: 3600,
      });
    }
    if (path.startsWith("/fusion/console/services/connection/request/")) {
      await context.body();
      return sendJson(response, 200, { connId: "conn-hostile-1", status: "CONNECTED" });
    }
    const id = CONNECTION.exec(path)?.[1];
    if (id && request.headers["x-app-method"]) {
      if (options.tunnel) return options.tunnel(request, response, context);
      await context.body();
      return sendJson(response, 200, []);
    }
    if (id && request.method === "DELETE") return sendJson(response, 200, {});
    if (id) return sendJson(response, 200, { connId: id, status: "CONNECTED" });
    return sendJson(response, 404, { error: "not_found" });
  });
}
