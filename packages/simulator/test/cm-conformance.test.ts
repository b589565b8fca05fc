// Spec conformance: Prism in proxy mode with --errors in front of the
// simulator over HTTP. Every operation of specs/central-management.yaml
// (the tunnel included) goes through the typed client to Prism, which
// validates the request and the simulator's response against the spec and
// turns a violation into an error status. Prism reports an undeclared
// status only as a warning, so statuses and JSON bodies are also checked
// against the spec here.
import {
  type CentralManagementClient,
  createCentralManagementClient,
} from "@mdkit/central-management";
import { type PrismServer, specPaths, startPrism } from "@mdkit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../src/index.js";
import { DEMO, fakeClock, spec } from "./cm-helpers.js";

const clock = fakeClock();
const WINDOW_MS = 60_000;
const CORE_KEY = "conformance-core-key";
let sim: Simulator;
let prism: PrismServer;
let cm: CentralManagementClient;
let token = "";

function expectStatus(
  result: { response: Response; data?: unknown; error?: unknown },
  status: number,
  operationId: string,
) {
  const { response } = result;
  if (response.status !== status) console.error(prism.output());
  expect(response.status).toBe(status);
  const declared = spec.operation(operationId).operation.responses as Record<string, unknown>;
  expect(Object.keys(declared)).toContain(String(status));
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    const body = response.ok ? result.data : result.error;
    expect(spec.validateResponse(operationId, status, body)).toEqual([]);
  }
}

beforeAll(async () => {
  sim = createSimulator({
    now: clock.now,
    cm: {
      connectDelayMs: 1_000,
      rateLimit: { limit: 40, windowMs: WINDOW_MS },
      clients: { [DEMO.clientId]: DEMO.clientSecret, throttled: "throttled-secret" },
      volumes: { pmpReports: 60, mddReports: 30, coreReports: 150, detailsPerReport: 25 },
    },
    cluster: { apiKeys: [CORE_KEY] },
  });
  const server = await sim.listen({ api: "cm" });
  prism = await startPrism(specPaths.cm, { mode: "proxy", upstream: server.url, errors: true });
  cm = createCentralManagementClient({
    baseUrl: prism.url,
    auth: () => ({ authorization: `Bearer ${token}` }),
  });
});

afterAll(async () => {
  await prism?.close();
  await sim?.close();
});

// Each test starts in a fresh rate-limit window.
beforeEach(() => clock.advance(WINDOW_MS));

describe("cm: every operation conforms to specs/central-management.yaml (Prism proxy --errors)", () => {
  const ids = { conn: "", session: "", pmpDevice: "", mddReport: "", mddDevice: "", kiosk: "" };

  it("getOAuthToken: 200 and 401 invalid_client", async () => {
    // (Prism itself refuses malformed token requests with 422, so the 400s are tested in-process.)
    const anonymous = createCentralManagementClient({ baseUrl: prism.url });
    const credentials = { client_id: DEMO.clientId, client_secret: DEMO.clientSecret };
    const ok = await anonymous.POST("/o/oauth2/token", {
      body: { ...credentials, grant_type: "client_credentials" },
    });
    expectStatus(ok, 200, "getOAuthToken");
    token = ok.data?.access_token ?? "";
    const bad = await anonymous.POST("/o/oauth2/token", {
      body: { ...credentials, client_secret: "wrong", grant_type: "client_credentials" },
    });
    expectStatus(bad, 401, "getOAuthToken");
  });

  it("401 on a protected operation with an unknown token", async () => {
    const stranger = createCentralManagementClient({
      baseUrl: prism.url,
      auth: () => ({ authorization: "Bearer not-a-token" }),
    });
    const res = await stranger.GET("/o/pmp/v1/kiosk/devices");
    expectStatus(res, 401, "listKioskDevices");
  });

  it("initiateConnection and getConnectionStatus: REQUESTING, CONNECTED, 404, 400", async () => {
    const opened = await cm.POST("/fusion/console/services/connection/request/{productType}", {
      params: { path: { productType: "mdcore" } },
      body: { deploymentId: "MDCORE-SIM-0001", Purpose: "conformance" },
    });
    expectStatus(opened, 200, "initiateConnection");
    expect(opened.data?.status).toBe("REQUESTING");
    ids.conn = opened.data?.connId ?? "";
    const wrong = await cm.POST("/fusion/console/services/connection/request/{productType}", {
      params: { path: { productType: "mdicap" } },
      body: { deploymentId: "MDCORE-SIM-0001" },
    });
    expectStatus(wrong, 404, "initiateConnection");

    const status = (connectionId: string) =>
      cm.GET("/fusion/console/services/connection/{connectionId}", {
        params: { path: { connectionId } },
      });
    expectStatus(await status(ids.conn), 200, "getConnectionStatus");
    clock.advance(1_000);
    const connected = await status(ids.conn);
    expectStatus(connected, 200, "getConnectionStatus");
    expect(connected.data?.status).toBe("CONNECTED");
    expectStatus(await status("unknown"), 400, "getConnectionStatus");
  });

  it("sendConnectionRequest: GET /file/rules and POST /file through the tunnel, 400", async () => {
    const rules = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: ids.conn },
        header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
      },
      headers: { "X-App-Header-apikey": CORE_KEY },
      parseAs: "json",
    });
    expectStatus(rules, 200, "sendConnectionRequest");
    expect(rules.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "multiscan" })]),
    );

    const upload = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: ids.conn },
        header: { "X-App-Method": "POST", "X-App-URL": "/file" },
      },
      headers: { "X-App-Header-apikey": CORE_KEY, "X-App-Header-filename": "note.txt" },
      body: "a text file sent through a direct connection\n",
      parseAs: "json",
    });
    expectStatus(upload, 200, "sendConnectionRequest");
    const dataId = (upload.data as { data_id: string }).data_id;
    expect(sim.cluster.file(dataId)?.displayName).toBe("note.txt");

    const unknown = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: "unknown" },
        header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
      },
      parseAs: "json",
    });
    expectStatus(unknown, 400, "sendConnectionRequest");
  });

  it("sendConnectionRequest: 409 while the connection is still REQUESTING", async () => {
    const opened = await cm.POST("/fusion/console/services/connection/request/{productType}", {
      params: { path: { productType: "mdcore" } },
      body: { deploymentId: "MDCORE-SIM-0001" },
    });
    const early = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: opened.data?.connId ?? "" },
        header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
      },
      parseAs: "json",
    });
    expectStatus(early, 409, "sendConnectionRequest");
  });

  it("closeConnection: 200 without a body, 400 for an unknown id", async () => {
    const closed = await cm.DELETE("/fusion/console/services/connection/{connectionId}", {
      params: { path: { connectionId: ids.conn } },
    });
    expectStatus(closed, 200, "closeConnection");
    const unknown = await cm.DELETE("/fusion/console/services/connection/{connectionId}", {
      params: { path: { connectionId: "never-opened" } },
    });
    expectStatus(unknown, 400, "closeConnection");
  });

  it("listPmpReports: two pages, a filter, a mismatched token", async () => {
    const first = await cm.POST("/o/pmp/v1/reports", { body: { limit: 40 } });
    expectStatus(first, 200, "listPmpReports");
    const second = await cm.POST("/o/pmp/v1/reports", {
      body: { limit: 40, token: first.data?.token ?? "" },
    });
    expectStatus(second, 200, "listPmpReports");
    expect(second.data?.token).toBeUndefined();
    expect((first.data?.data?.length ?? 0) + (second.data?.data?.length ?? 0)).toBe(60);
    const report = first.data?.data?.find((r) => r.device_type !== "EM");
    ids.session = report?.session_id ?? "";
    ids.pmpDevice = report?.device_id ?? "";
    const filtered = await cm.POST("/o/pmp/v1/reports", {
      body: {
        limit: 5,
        start_time: clock.now() - 20 * 86_400_000,
        end_time: clock.now(),
        filter: { device_type: ["KIOSK", "MK5"], media_type: ["USB"], issue_type: ["SKIPPED"] },
      },
    });
    expectStatus(filtered, 200, "listPmpReports");
    const mismatch = await cm.POST("/o/pmp/v1/reports", {
      body: { limit: 40, token: first.data?.token ?? "", filter: { issue_type: ["VUL"] } },
    });
    expectStatus(mismatch, 400, "listPmpReports");
  });

  it("getPmpReportDetails: the streamed array, 404", async () => {
    const details = await cm.POST("/o/pmp/v1/reports/details", {
      body: { session_id: ids.session, filter: { issue_type: ["SKIPPED", "VUL", "INFECTED"] } },
    });
    expectStatus(details, 200, "getPmpReportDetails");
    const unknown = await cm.POST("/o/pmp/v1/reports/details", {
      body: { session_id: "0123456789abcdef01234567" },
    });
    expectStatus(unknown, 404, "getPmpReportDetails");
  });

  it("listMddReports and getMddReportDetails", async () => {
    const page = await cm.POST("/o/mdd/v1/reports", {
      body: { limit: 3, filter: { issue_type: ["VUL", "SKIPPED"] } },
    });
    expectStatus(page, 200, "listMddReports");
    const report = page.data?.data?.[0];
    const details = await cm.POST("/o/mdd/v1/reports/details", {
      body: {
        report_id: report?.report_id ?? "",
        device_id: report?.device_id ?? "",
        filter: { issue_type: ["VUL"] },
      },
    });
    expectStatus(details, 200, "getMddReportDetails");
    const unknown = await cm.POST("/o/mdd/v1/reports/details", {
      body: { report_id: report?.report_id ?? "", device_id: "other" },
    });
    expectStatus(unknown, 404, "getMddReportDetails");
  });

  it("listCoreInstances: verbose statistics, a filter, a bad page", async () => {
    const instances = await cm.POST("/o/core/v1/instances", {
      body: {
        limit: 5,
        page: 1,
        verbose: { enabled: true, start_date: clock.now() - 7 * 86_400_000, end_date: clock.now() },
        filter: { tags: [{ key: "env", value: "production" }] },
      },
    });
    expectStatus(instances, 200, "listCoreInstances");
    const tooLong = await cm.POST("/o/core/v1/instances", {
      body: { verbose: { enabled: true, start_date: 1, end_date: clock.now() } },
    });
    expectStatus(tooLong, 400, "listCoreInstances");
  });

  it("listCoreReports: pages and filters", async () => {
    const page = await cm.POST("/o/core/v1.1/reports", {
      body: {
        limit: 100,
        filter: { status: ["Blocked", "Allowed"], request_type: ["rest", "extracted"] },
      },
    });
    expectStatus(page, 200, "listCoreReports");
    const next = await cm.POST("/o/core/v1.1/reports", {
      body: {
        limit: 100,
        token: page.data?.token ?? "",
        filter: { request_type: ["extracted", "rest"], status: ["Allowed", "Blocked"] },
      },
    });
    expectStatus(next, 200, "listCoreReports");
  });

  it("getAccountInventory", async () => {
    expectStatus(
      await cm.POST("/o/fusion/v1/account/inventory", { body: {} }),
      200,
      "getAccountInventory",
    );
    const some = await cm.POST("/o/fusion/v1/account/inventory", {
      body: { filters: { productTypes: ["MDCORE", "KIOSK"] } },
    });
    expectStatus(some, 200, "getAccountInventory");
  });

  it("listKioskDevices, getKioskDevice (and 404)", async () => {
    const list = await cm.GET("/o/pmp/v1/kiosk/devices");
    expectStatus(list, 200, "listKioskDevices");
    ids.kiosk = list.data?.items?.[0]?.deviceID ?? "";
    const device = await cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
      params: { path: { deviceId: ids.kiosk } },
    });
    expectStatus(device, 200, "getKioskDevice");
    const missing = await cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
      params: { path: { deviceId: "missing" } },
    });
    expectStatus(missing, 404, "getKioskDevice");
  });

  it("getKioskSessionDetail (and 404)", async () => {
    const detail = await cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
      params: { path: { deviceId: ids.pmpDevice, sessionId: ids.session } },
    });
    expectStatus(detail, 200, "getKioskSessionDetail");
    const missing = await cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
      params: { path: { deviceId: ids.kiosk, sessionId: "nope" } },
    });
    expectStatus(missing, 404, "getKioskSessionDetail");
  });

  it("getKioskProcessingOverview: per instance and per group", async () => {
    for (const groupBy of ["instances", "groups"] as const) {
      const overview = await cm.POST("/o/pmp/v1/scan-report/overview", {
        body: {
          startTime: clock.now() - 30 * 86_400_000,
          endTime: clock.now(),
          filters: { instanceIds: [], groupIds: [] },
          groupBy,
        },
      });
      expectStatus(overview, 200, "getKioskProcessingOverview");
    }
  });

  it("updateKioskConfiguration: all, some, invalid", async () => {
    const all = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: {
        apply_type: "all",
        yara_sources: { type: "append" },
        skip_by_hash: { type: "overwrite" },
      },
    });
    expectStatus(all, 200, "updateKioskConfiguration");
    const some = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: { apply_type: "instances", apply_to: [ids.kiosk] },
    });
    expectStatus(some, 200, "updateKioskConfiguration");
    expect(some.data?.total_applied).toBe(1);
    const invalid = await cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: { apply_type: "instances" },
    });
    expectStatus(invalid, 400, "updateKioskConfiguration");
  });

  it("429 with Retry-After and X-RateLimit-* once a client's window is used up", async () => {
    const anonymous = createCentralManagementClient({ baseUrl: prism.url });
    const issued = await anonymous.POST("/o/oauth2/token", {
      body: {
        client_id: "throttled",
        client_secret: "throttled-secret",
        grant_type: "client_credentials",
      },
    });
    const throttled = createCentralManagementClient({
      baseUrl: prism.url,
      auth: () => ({ authorization: `Bearer ${issued.data?.access_token}` }),
      // The 429 itself is under test, so it must not be waited out.
      retry: false,
    });
    let remaining: string | null = null;
    // The token request was the first of the client's 40 requests in this window.
    for (let i = 0; i < 39; i++) {
      const ok = await throttled.GET("/o/pmp/v1/kiosk/devices");
      expect(ok.response.status).toBe(200);
      remaining = ok.response.headers.get("x-ratelimit-remaining");
    }
    expect(remaining).toBe("0");
    const refused = await throttled.GET("/o/pmp/v1/kiosk/devices");
    expectStatus(refused, 429, "listKioskDevices");
    expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.response.headers.get("x-ratelimit-limit")).toBe("40");
  });
});
