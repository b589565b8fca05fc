import { format, inspect } from "node:util";
import { clientCredentials } from "@mdkit/auth";
import { createCentralManagementClient } from "@mdkit/central-management";
import { createClusterClient, PermissionDeniedError, unwrap } from "@mdkit/cluster";
import { createSimulator, DEFAULT_CREDENTIALS } from "@mdkit/simulator";
import { describe, expect, it } from "vitest";
import { openDirectConnection } from "../src/index.js";

const CORE_KEY = "core-apikey-redaction-0001";
const BASE = "http://cm.test";

/** Every rendering of an error, its causes included. */
function renderings(error: unknown): string {
  const texts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    texts.push(e.message, String(e), e.stack ?? "", JSON.stringify(e), inspect(e), format("%o", e));
  }
  return texts.join("\n");
}

describe("the Central Management token echoed through a tunnel", () => {
  it("is redacted from the inner Core error, built by a client that never saw it", async () => {
    await using sim = createSimulator({
      cluster: { apiKeys: [CORE_KEY] },
      cm: { connectDelayMs: 0 },
    });
    let outerToken = "";
    // Central Management as the simulator plays it, except that the product behind the
    // tunnel answers 403 quoting every header it received, the outer bearer token included.
    const fetch = async (request: Request) => {
      const tunnelled = request.headers.get("x-app-method");
      if (!tunnelled) return sim.fetch(request);
      outerToken = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      const headers = Object.fromEntries(request.headers.entries());
      return new Response(JSON.stringify({ err: `denied; you sent ${JSON.stringify(headers)}` }), {
        status: 403,
        headers: {
          "content-type": "application/json",
          "x-seen": Buffer.from(`bearer:${outerToken}`).toString("base64"),
        },
      });
    };
    const auth = clientCredentials({ baseUrl: BASE, ...DEFAULT_CREDENTIALS.cm, fetch });
    const cm = createCentralManagementClient({ baseUrl: BASE, auth, fetch });
    const deploymentId = sim.options.cm.deployments.find((d) => d.startsWith("MDCORE")) ?? "";
    await using connection = await openDirectConnection(cm, {
      productType: "mdcore",
      deploymentId,
      pollIntervalMs: 1,
    });
    const core = createClusterClient({
      baseUrl: connection.baseUrl,
      fetch: connection.fetch,
      auth: () => ({ apikey: CORE_KEY }),
    });
    const error = await unwrap(core.GET("/file/rules")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(outerToken.length).toBeGreaterThan(8);
    const text = renderings(error);
    expect(text).toContain("denied; you sent");
    for (const form of [
      outerToken,
      JSON.stringify(outerToken).slice(1, -1),
      Buffer.from(`bearer:${outerToken}`).toString("base64").slice(10, -4),
      CORE_KEY,
    ]) {
      expect(text).not.toContain(form);
    }
  });
});
