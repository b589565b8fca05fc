import { inspect } from "node:util";
import { createCentralManagementClient } from "@mdkit/central-management";
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { clientCredentials, clusterApiKey, clusterSession } from "../src/index.js";
import { SIM_URL, simulator } from "./helpers.js";

const CANARIES = {
  clientSecret: "canary-client-secret-4411",
  password: "canary-password-9982",
  apiKey: "canary-apikey-7310",
};

/** Every way a value can end up in a log. */
function renderings(value: unknown): string[] {
  const out = [String(value), inspect(value, { depth: 10, showHidden: true })];
  try {
    out.push(JSON.stringify(value));
  } catch {}
  if (value instanceof Error) out.push(value.message, value.stack ?? "");
  return out;
}

function expectNoCanary(value: unknown) {
  for (const text of renderings(value)) {
    for (const canary of Object.values(CANARIES)) expect(text).not.toContain(canary);
  }
}

describe("no credential in any error or rendering", () => {
  it("strategies render without their secrets", () => {
    expectNoCanary(
      clientCredentials({ clientId: "id", clientSecret: CANARIES.clientSecret, baseUrl: SIM_URL }),
    );
    expectNoCanary(clusterSession({ user: "u", password: CANARIES.password, baseUrl: SIM_URL }));
    expectNoCanary(clusterApiKey({ apiKey: CANARIES.apiKey, baseUrl: SIM_URL }));
  });

  it("every error type, with canary secrets in play", async () => {
    const errors: unknown[] = [];
    const { sim, fetch } = simulator({
      cm: { clients: { "canary-id": CANARIES.clientSecret } },
      cluster: { users: { canary: CANARIES.password }, apiKeys: [CANARIES.apiKey] },
    });
    await using _ = sim;
    const cmAuth = clientCredentials({
      clientId: "canary-id",
      clientSecret: CANARIES.clientSecret,
      baseUrl: SIM_URL,
      fetch,
      // Each fault must surface as an error here, not be retried away.
      retry: false,
    });
    const cm = createCentralManagementClient({ baseUrl: SIM_URL, fetch, auth: cmAuth });
    const session = clusterSession({
      user: "canary",
      password: CANARIES.password,
      baseUrl: SIM_URL,
      fetch,
    });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth: session });
    const keyed = createClusterClient({
      baseUrl: SIM_URL,
      fetch,
      auth: clusterApiKey({ apiKey: CANARIES.apiKey, baseUrl: SIM_URL }),
    });
    const collect = async (p: Promise<unknown>) =>
      errors.push(
        await p.then(
          () => undefined,
          (e) => e,
        ),
      );

    // Token endpoint: rate limited, server error, network failure, then bad secret.
    for (const rule of [
      { burst: { status: 429 as const, count: 1, retryAfterSeconds: 1 } },
      { burst: { status: 500 as const, count: 1 } },
      { resetRate: 1 },
    ]) {
      sim.faults.set("getOAuthToken", rule);
      await collect(cmAuth.getToken({ forceRefresh: true }));
    }
    sim.faults.clear();
    // Gateway: login server error and network failure, an API error with a live session, a wrong key.
    for (const rule of [{ burst: { status: 500 as const, count: 1 } }, { resetRate: 1 }]) {
      sim.faults.set("login", rule);
      await collect(session.getSessionId());
    }
    sim.faults.clear();
    await collect(
      unwrap(
        cluster.GET("/file/converted/{data_id}", { params: { path: { data_id: "missing" } } }),
      ),
    );
    sim.faults.set("createBatch", { burst: { status: 500, count: 1 } });
    await collect(unwrap(keyed.POST("/file/batch")));
    sim.faults.clear();
    await collect(unwrap(cm.GET("/o/pmp/v1/kiosk/devices")));
    sim.cm.revokeClient("canary-id");
    await collect(cmAuth.getToken({ forceRefresh: true }));

    const real = errors.filter((e) => e instanceof Error);
    // 429, 500 and reset on the token endpoint; 500 and reset on login; 404 and 500 on the
    // gateway; the revoked client. (The kiosk list succeeds and adds no error.)
    expect(real.length).toBe(8);
    for (const error of real) expectNoCanary(error);
  });
});
