import type { SimApp } from "../../context.js";
import { badRequest, notFound } from "../errors.js";
import { securedOperation } from "../operation.js";
import { optionalString, readJsonObject, requiredString } from "../request-body.js";
import type { CmServices } from "../services.js";
import { productTypeOf } from "./store.js";
import { tunnel } from "./tunnel.js";

const BASE = "/fusion/console/services/connection";

/** Direct connections: open, status, close and the tunnel. */
export function registerConnectionRoutes(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    `${BASE}/request/:productType`,
    "initiateConnection",
    async (c, caller) => {
      const productType = c.req.param("productType") ?? "";
      if (productType !== "mdcore" && productType !== "mdicap") {
        throw badRequest("productType must be mdcore or mdicap");
      }
      const body = await readJsonObject(c);
      const deploymentId = requiredString(body, "deploymentId");
      const purpose = optionalString(body, "Purpose");
      const enrolled = services.ctx.options.cm.deployments.includes(deploymentId);
      if (!enrolled || productTypeOf(deploymentId) !== productType) {
        throw notFound("Incorrect DeploymentId");
      }
      const connection = services.connections.open(
        productType,
        deploymentId,
        purpose,
        caller.clientId,
      );
      return c.json({ connId: connection.connId, status: connection.status });
    },
  );

  securedOperation(app, services, "GET", `${BASE}/:connectionId`, "getConnectionStatus", (c) => {
    const connection = services.connections.require(c.req.param("connectionId") ?? "");
    return c.json({ connId: connection.connId, status: connection.status });
  });

  securedOperation(app, services, "DELETE", `${BASE}/:connectionId`, "closeConnection", (c) => {
    if (!services.connections.close(c.req.param("connectionId") ?? "")) {
      throw badRequest("Invalid ConnectionId");
    }
    // An explicit length, so clients reading in-process see "no body" too.
    return new Response(null, { status: 200, headers: { "content-length": "0" } });
  });

  securedOperation(app, services, "POST", `${BASE}/:connectionId`, "sendConnectionRequest", (c) =>
    tunnel(c, services),
  );
}
