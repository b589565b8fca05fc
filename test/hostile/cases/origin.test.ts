/**
 * The gateway tries to send credentials elsewhere: redirects to a host of
 * its own. mdkit never follows a redirect, so the apikey stays home.
 */
import { createClusterClient, unwrap } from "@mdkit/cluster";
import {
  CANARIES,
  type HostileServer,
  hostileCase,
  startHostileServer,
} from "@mdkit/testing/hostile";
import { afterEach, describe, expect, it } from "vitest";

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("a gateway that redirects", () => {
  it("never carries the apikey to the host it redirects to", async () => {
    await hostileCase("redirect to a foreign origin", { deadlineMs: 5_000 }, async (probe) => {
      const attacker = await startHostileServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" }).end("[]");
      });
      const gateway = await startHostileServer((_request, response) => {
        response.writeHead(307, { location: `${attacker.url}/file/rules` }).end();
      });
      servers.push(attacker, gateway);
      const cluster = createClusterClient({
        baseUrl: gateway.url,
        auth: () => ({ apikey: CANARIES.apikey }),
      });
      const error = await unwrap(cluster.GET("/file/rules")).catch((e: unknown) => e);
      probe.error("error", error);
      expect(attacker.requests).toHaveLength(0);
      expect(gateway.requests[0]?.headers.apikey).toBe(CANARIES.apikey);
    });
  });
});
