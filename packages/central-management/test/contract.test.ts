// Contract tests: every Central Management operation through the typed
// client against Prism's mock of specs/central-management.yaml. Prism
// rejects (422) any request that breaks the spec; each response is checked
// against the spec's schema and example.
import { describe, expect, expectTypeOf, it } from "vitest";
import { AuthenticationError, type CoreReport, NotFoundError, unwrap } from "../src/index.js";
import { expectSpecExample, mockClient, spec } from "./helpers.js";

const cm = mockClient();
const now = Date.UTC(2024, 4, 14);
const day = 86_400_000;

describe("OAuth", () => {
  it("getOAuthToken: form-encoded client credentials, no bearer required", async () => {
    const anonymous = mockClient(false);
    const token = await unwrap(
      anonymous.POST("/o/oauth2/token", {
        body: {
          client_id: "mdkit-demo",
          client_secret: "mdkit-demo-secret",
          grant_type: "client_credentials",
        },
      }),
    );
    expectTypeOf(token.access_token).toEqualTypeOf<string>();
    expect(token.token_type.toLowerCase()).toBe("bearer");
    expect(token.expires_in).toBeGreaterThan(0);
    expectSpecExample("getOAuthToken", token);
  });
});

describe("Direct Connection", () => {
  it("initiateConnection: opens a connection for a Core deployment", async () => {
    const status = await unwrap(
      cm.POST("/fusion/console/services/connection/request/{productType}", {
        params: { path: { productType: "mdcore" } },
        body: { deploymentId: "MDCORE-5f1d2c", Purpose: "scan files" },
      }),
    );
    expect(status.connId).toEqual(expect.any(String));
    expectSpecExample("initiateConnection", status);
  });

  it("getConnectionStatus: reports the connection state", async () => {
    const status = await unwrap(
      cm.GET("/fusion/console/services/connection/{connectionId}", {
        params: { path: { connectionId: "c-1" } },
      }),
    );
    expect(status.status).toEqual(expect.any(String));
    expectSpecExample("getConnectionStatus", status);
  });

  it("sendConnectionRequest: tunnels a product request with X-App-* headers", async () => {
    const { data, response } = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: "c-1" },
        header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
      },
      headers: { "X-App-Header-user_agent": "mdkit" },
      parseAs: "json",
    });
    expect(response.status).toBe(200);
    expectSpecExample("sendConnectionRequest", data);
  });

  it("sendConnectionRequest: streams a binary body through the tunnel", async () => {
    const body = new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff])]);
    const { data, response } = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      params: {
        path: { connectionId: "c-1" },
        header: { "X-App-Method": "POST", "X-App-URL": "/file" },
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(data).toBeInstanceOf(ReadableStream);
    await new Response(data as ReadableStream).arrayBuffer();
  });

  it("closeConnection: 200 with no body", async () => {
    const { data, response } = await cm.DELETE(
      "/fusion/console/services/connection/{connectionId}",
      {
        params: { path: { connectionId: "c-1" } },
      },
    );
    expect(response.status).toBe(200);
    expect(data).toBeUndefined();
  });
});

describe("PMP", () => {
  it("listPmpReports: a cursor page of Kiosk / Endpoint reports", async () => {
    const page = await unwrap(
      cm.POST("/o/pmp/v1/reports", {
        body: {
          limit: 20,
          start_time: now - day,
          end_time: now,
          filter: {
            device_type: ["KIOSK", "MK5"],
            media_type: ["USB"],
            issue_type: ["INFECTED", "VUL"],
          },
        },
      }),
    );
    expect(page.data?.length).toBeGreaterThan(0);
    expect(page.data?.[0]?.total_files_scanned).toEqual(expect.any(Number));
    expectSpecExample("listPmpReports", page);
  });

  it("getPmpReportDetails: the records of one report", async () => {
    const records = await unwrap(
      cm.POST("/o/pmp/v1/reports/details", {
        body: { session_id: "6650e8a2c3b1f40012a7d9e1", filter: { issue_type: ["INFECTED"] } },
      }),
    );
    expect(Array.isArray(records)).toBe(true);
    expect(records[0]?.sha256).toMatch(/^[0-9a-f]{64}$/i);
    expectSpecExample("getPmpReportDetails", records);
  });

  it("updateKioskConfiguration: YARA rules and hashes", async () => {
    const result = await unwrap(
      cm.POST("/o/pmp/v1/kiosk/configuration", {
        body: {
          apply_type: "instances",
          apply_to: ["kiosk-01"],
          yara_sources: { type: "append" },
          skip_by_hash: { type: "overwrite" },
        },
      }),
    );
    expect(result.total_applied).toEqual(expect.any(Number));
    expectSpecExample("updateKioskConfiguration", result);
  });

  it("getKioskProcessingOverview: counters over a period", async () => {
    const overview = await unwrap(
      cm.POST("/o/pmp/v1/scan-report/overview", {
        body: {
          startTime: now - 30 * day,
          endTime: now,
          groupBy: "instances",
          filters: { instanceIds: ["k-1"] },
        },
      }),
    );
    expect(overview.numberOfFilesProcessed).toEqual(expect.any(Number));
    expectSpecExample("getKioskProcessingOverview", overview);
  });

  it("getKioskSessionDetail: counters of one session", async () => {
    const detail = await unwrap(
      cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
        params: { path: { deviceId: "kiosk-01", sessionId: "s-1" } },
      }),
    );
    expect(detail.malwareInfected).toEqual(expect.any(Number));
    expectSpecExample("getKioskSessionDetail", detail);
  });
});

describe("MetaDefender Drive", () => {
  it("listMddReports: a cursor page of Drive reports", async () => {
    const page = await unwrap(
      cm.POST("/o/mdd/v1/reports", {
        body: {
          limit: 5,
          start_time: now - day,
          filter: { scanned_host: ["host-1"], scanned_by: ["alice"], issue_type: ["COO"] },
        },
      }),
    );
    expect(page.data?.[0]?.session_id).toEqual(expect.any(String));
    expectSpecExample("listMddReports", page);
  });

  it("getMddReportDetails: the records of one Drive report", async () => {
    const records = await unwrap(
      cm.POST("/o/mdd/v1/reports/details", {
        body: {
          device_id: "mdd-1",
          report_id: "r-1",
          filter: { issue_type: ["SENSITIVE", "SKIPPED"] },
        },
      }),
    );
    expect(records[0]?.file_path).toEqual(expect.any(String));
    expectSpecExample("getMddReportDetails", records);
  });
});

describe("MetaDefender Core", () => {
  it("listCoreInstances: a page of instances with statistics", async () => {
    const instances = await unwrap(
      cm.POST("/o/core/v1/instances", {
        body: {
          limit: 10,
          page: 1,
          verbose: { enabled: true, start_date: now - 7 * day, end_date: now },
          filter: {
            deployment_ids: ["MDCORE-5f1d2c"],
            group_ids: ["g-1"],
            tags: [{ key: "env", value: "prod" }],
          },
        },
      }),
    );
    expect(instances[0]?.deployment_id).toEqual(expect.any(String));
    expectSpecExample("listCoreInstances", instances);
  });

  it("listCoreReports: a cursor page of processing history", async () => {
    const page = await unwrap(
      cm.POST("/o/core/v1.1/reports", {
        body: {
          limit: 100,
          start_time: now - day,
          end_time: now,
          filter: {
            status: ["Blocked"],
            request_type: ["rest", "batch"],
            deployment_ids: ["MDCORE-5f1d2c"],
          },
        },
      }),
    );
    expectTypeOf(page.data).toEqualTypeOf<CoreReport[] | undefined>();
    expect(page.data?.[0]?.data_id).toEqual(expect.any(String));
    expectSpecExample("listCoreReports", page);
  });
});

describe("Inventory", () => {
  it("getAccountInventory: per-product inventory", async () => {
    const products = await unwrap(
      cm.POST("/o/fusion/v1/account/inventory", {
        body: { filters: { productTypes: ["MDCORE", "KIOSK"] } },
      }),
    );
    expect(products[0]?.totalInstances).toEqual(expect.any(Number));
    expectSpecExample("getAccountInventory", products);
  });
});

describe("Kiosk", () => {
  it("getKioskDevice: full detail of one device", async () => {
    const device = await unwrap(
      cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", { params: { path: { deviceId: "kiosk-01" } } }),
    );
    expect(device.deviceId).toEqual(expect.any(String));
    expectSpecExample("getKioskDevice", device);
  });

  it("listKioskDevices: the device list with its total", async () => {
    const list = await unwrap(cm.GET("/o/pmp/v1/kiosk/devices"));
    expect(list.total).toEqual(expect.any(Number));
    expectSpecExample("listKioskDevices", list);
  });
});

// Prism answers an invalid request with the operation's declared 400 (its
// example body) where the spec has one, else 422; the violations are in the
// `sl-violations` header either way.
describe("Prism rejects requests that break the spec", () => {
  it("a tunnel request without X-App-URL", async () => {
    const { response } = await cm.POST("/fusion/console/services/connection/{connectionId}", {
      // @ts-expect-error X-App-URL is required by the spec
      params: { path: { connectionId: "c-1" }, header: { "X-App-Method": "GET" } },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("x-app-url");
  });

  it("a connection request without deploymentId", async () => {
    const { response } = await cm.POST(
      "/fusion/console/services/connection/request/{productType}",
      {
        params: { path: { productType: "mdcore" } },
        // @ts-expect-error deploymentId is required by the spec
        body: { Purpose: "nothing" },
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("deploymentId");
  });

  it("a page size over 100", async () => {
    const { response } = await cm.POST("/o/core/v1.1/reports", { body: { limit: 101 } });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("limit");
  });

  it("a call without a bearer token is refused with a typed error", async () => {
    const error = await unwrap(mockClient(false).GET("/o/pmp/v1/kiosk/devices")).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.operation).toBe("listKioskDevices");
  });

  it("a forced 404 becomes NotFoundError", async () => {
    const error = await unwrap(
      cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", {
        params: { path: { deviceId: "missing" } },
        headers: { Prefer: "code=404" },
      }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(spec.validateResponse("getKioskDevice", 404, error.body)).toEqual([]);
  });
});
