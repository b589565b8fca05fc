import { createCentralManagementClient, unwrap } from "@mdkit/central-management";
import { describe, expect, it } from "vitest";
import { clientCredentials, InvalidCredentialsError } from "../src/index.js";
import { fakeClock, SIM_URL, simulator } from "./helpers.js";

const credentials = { clientId: "mdkit-demo", clientSecret: "mdkit-demo-secret" };

describe("clientCredentials against the simulator", () => {
  it("fetches a token once and reuses it", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clientCredentials({ ...credentials, baseUrl: SIM_URL, fetch });
    const cm = createCentralManagementClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cm.GET("/o/pmp/v1/kiosk/devices"));
    await unwrap(cm.GET("/o/pmp/v1/kiosk/devices"));
    expect(sim.state.requestCount("getOAuthToken")).toBe(1);
    expect(sim.state.requestCount("listKioskDevices")).toBe(2);
  });

  it("1,000 concurrent calls with a token past its expiry make exactly one token request", async () => {
    const clock = fakeClock();
    const { sim, fetch } = simulator({ now: clock.now, cm: { tokenTtlMs: 3_600_000 } });
    await using _ = sim;
    const auth = clientCredentials({ ...credentials, baseUrl: SIM_URL, fetch, now: clock.now });
    const cm = createCentralManagementClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cm.GET("/o/pmp/v1/kiosk/devices"));
    clock.advance(3_600_000 + 1);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => cm.GET("/o/pmp/v1/kiosk/devices")),
    );
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(sim.state.requestCount("getOAuthToken")).toBe(2);
  });

  it("renews before expiry by the skew", async () => {
    const clock = fakeClock();
    const { sim, fetch } = simulator({ now: clock.now, cm: { tokenTtlMs: 600_000 } });
    await using _ = sim;
    const auth = clientCredentials({
      ...credentials,
      baseUrl: SIM_URL,
      fetch,
      now: clock.now,
      refreshSkewMs: 60_000,
    });
    const first = await auth.getToken();
    clock.advance(600_000 - 60_001);
    expect((await auth.getToken()).value).toBe(first.value);
    clock.advance(2);
    expect((await auth.getToken()).value).not.toBe(first.value);
    expect(sim.state.requestCount("getOAuthToken")).toBe(2);
  });

  it("1,000 concurrent calls rejected with 401 (token revoked server-side) renew once and all succeed", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clientCredentials({ ...credentials, baseUrl: SIM_URL, fetch });
    const cm = createCentralManagementClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cm.GET("/o/pmp/v1/kiosk/devices"));
    sim.cm.expireTokens();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => cm.GET("/o/pmp/v1/kiosk/devices")),
    );
    expect(results.filter((r) => r.response.status !== 200)).toEqual([]);
    expect(sim.state.requestCount("getOAuthToken")).toBe(2);
  });

  it("a revoked client gets a typed error naming the cause, without the secret", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    sim.cm.revokeClient("mdkit-demo");
    const auth = clientCredentials({ ...credentials, baseUrl: SIM_URL, fetch });
    const cm = createCentralManagementClient({ baseUrl: SIM_URL, fetch, auth });
    const error = await cm.GET("/o/pmp/v1/kiosk/devices").catch((e) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.status).toBe(401);
    expect(error.operation).toBe("getOAuthToken");
    expect(error.message).toMatch(/^\[@mdkit\/auth\] getOAuthToken .* refused/);
    expect(error.message).not.toContain("mdkit-demo-secret");
  });

  it("a wrong secret is a typed error too", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clientCredentials({
      clientId: "mdkit-demo",
      clientSecret: "wrong-secret-value",
      baseUrl: SIM_URL,
      fetch,
    });
    await expect(auth.getToken()).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it("refuses to attach a token to another origin", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clientCredentials({ ...credentials, baseUrl: SIM_URL, fetch });
    await expect(
      auth.getHeaders(new Request("https://elsewhere.test/o/pmp/v1/kiosk/devices")),
    ).rejects.toThrow(/refusing to send a Central Management token/);
    expect(sim.state.requestCount("getOAuthToken")).toBe(0);
  });
});
