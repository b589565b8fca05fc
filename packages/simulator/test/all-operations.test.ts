// Every one of the 31 operations, through the typed clients, against the
// simulator both in-process (its `fetch`) and over loopback HTTP: each must
// succeed, and the simulator must have counted every operationId of both
// generated operation tables.
import {
  operationTable as cmOperations,
  createCentralManagementClient,
  unwrap as unwrapCm,
} from "@mdkit/central-management";
import { operationTable as clusterOperations, createClusterClient, unwrap } from "@mdkit/cluster";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createSimulator, EICAR_TEST_STRING, type Simulator } from "../src/index.js";

const text = (s: string) => new TextEncoder().encode(s);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function driveEverything(
  sim: Simulator,
  baseUrl: string,
  fetch?: (r: Request) => Promise<Response>,
) {
  const transport = fetch ? { fetch } : {};
  // Cluster gateway: 14 operations.
  const anonymous = createClusterClient({ baseUrl, ...transport });
  const { session_id } = await unwrap(
    anonymous.POST("/login", { body: { user: "admin", password: "admin" } }),
  );
  const cluster = createClusterClient({
    baseUrl,
    ...transport,
    auth: () => ({ apikey: session_id }),
  });
  await unwrap(cluster.GET("/file/rules"));
  const zip = zipSync({ "a.txt": text("a"), "eicar.com": text(EICAR_TEST_STRING) });
  const { data_id } = await unwrap(
    cluster.POST("/file", {
      body: zip,
      params: { header: { "Content-Length": zip.byteLength, filename: "x.zip", rule: "sanitize" } },
    }),
  );
  await wait(80);
  const result = await unwrap(
    cluster.GET("/file/{data_id}", {
      params: { path: { data_id }, query: { first: 0, size: 10 } },
    }),
  );
  expect(JSON.stringify(result)).toContain("progress_percentage");
  const sha256 = sim.cluster.file(data_id)?.sha256 ?? "";
  await unwrap(
    cluster.GET("/hash/{hash}", {
      params: { path: { hash: sha256 }, header: { "include-inprogress": true } },
    }),
  );
  for (const path of ["/file/converted/{data_id}", "/file/download/{data_id}"] as const) {
    const { data, response } = await cluster.GET(path, {
      params: { path: { data_id } },
      parseAs: "stream",
    });
    expect(response.status).toBe(200);
    await new Response(data).arrayBuffer();
  }
  const slow = text("slow file");
  const second = await unwrap(
    cluster.POST("/file", {
      body: slow,
      params: { header: { "Content-Length": slow.byteLength } },
    }),
  );
  await unwrap(
    cluster.POST("/file/{data_id}/cancel", { params: { path: { data_id: second.data_id } } }),
  );
  const { batch_id } = await unwrap(
    cluster.POST("/file/batch", { params: { header: { "user-data": "all%20operations" } } }),
  );
  const member = text("batch member");
  await unwrap(
    cluster.POST("/file", {
      body: member,
      params: { header: { "Content-Length": member.byteLength, batch: batch_id } },
    }),
  );
  await unwrap(
    cluster.POST("/file/batch/{batchId}/close", { params: { path: { batchId: batch_id } } }),
  );
  await wait(80);
  await unwrap(cluster.GET("/file/batch/{batchId}", { params: { path: { batchId: batch_id } } }));
  const certificate = await unwrap(
    cluster.GET("/file/batch/{batchId}/certificate", { params: { path: { batchId: batch_id } } }),
  );
  expect(certificate).toContain("BEGIN CERTIFICATE");
  const { batch_id: other } = await unwrap(cluster.POST("/file/batch"));
  await unwrap(
    cluster.POST("/file/batch/{batchId}/cancel", { params: { path: { batchId: other } } }),
  );

  // Central Management: 17 operations.
  const token = await unwrapCm(
    createCentralManagementClient({ baseUrl, ...transport }).POST("/o/oauth2/token", {
      body: {
        client_id: "mdkit-demo",
        client_secret: "mdkit-demo-secret",
        grant_type: "client_credentials",
      },
    }),
  );
  const cm = createCentralManagementClient({
    baseUrl,
    ...transport,
    auth: () => ({ authorization: `Bearer ${token.access_token}` }),
  });
  const now = sim.options.cm.dataEndsAt;
  const pmp = await unwrapCm(cm.POST("/o/pmp/v1/reports", { body: { limit: 5 } }));
  const pmpReport = pmp.data?.[0];
  await unwrapCm(
    cm.POST("/o/pmp/v1/reports/details", { body: { session_id: pmpReport?.session_id ?? "" } }),
  );
  await unwrapCm(
    cm.POST("/o/pmp/v1/kiosk/configuration", {
      body: { apply_type: "all", yara_sources: { type: "append" } },
    }),
  );
  const mdd = await unwrapCm(cm.POST("/o/mdd/v1/reports", { body: { limit: 5 } }));
  const mddReport = mdd.data?.[0];
  await unwrapCm(
    cm.POST("/o/mdd/v1/reports/details", {
      body: { device_id: mddReport?.device_id ?? "", report_id: mddReport?.report_id ?? "" },
    }),
  );
  await unwrapCm(cm.POST("/o/core/v1/instances", { body: { limit: 5, page: 1 } }));
  await unwrapCm(cm.POST("/o/core/v1.1/reports", { body: { limit: 5 } }));
  await unwrapCm(
    cm.POST("/o/fusion/v1/account/inventory", { body: { filters: { productTypes: ["MDCORE"] } } }),
  );
  await unwrapCm(
    cm.POST("/o/pmp/v1/scan-report/overview", {
      body: { startTime: now - 86_400_000, endTime: now, groupBy: "instances" },
    }),
  );
  const kiosks = await unwrapCm(cm.GET("/o/pmp/v1/kiosk/devices"));
  const deviceId = kiosks.items?.[0]?.deviceID ?? "";
  await unwrapCm(cm.GET("/o/pmp/v1/kiosk/devices/{deviceId}", { params: { path: { deviceId } } }));
  await unwrapCm(
    cm.GET("/o/pmp/v1/devices/{deviceId}/report/scan/{sessionId}", {
      params: {
        path: { deviceId: pmpReport?.device_id ?? "", sessionId: pmpReport?.session_id ?? "" },
      },
    }),
  );
  const deploymentId = sim.options.cm.deployments[0] ?? "";
  const connection = await unwrapCm(
    cm.POST("/fusion/console/services/connection/request/{productType}", {
      params: { path: { productType: "mdcore" } },
      body: { deploymentId },
    }),
  );
  const connectionId = connection.connId ?? "";
  await wait(sim.options.cm.connectDelayMs + 20);
  const status = await unwrapCm(
    cm.GET("/fusion/console/services/connection/{connectionId}", {
      params: { path: { connectionId } },
    }),
  );
  expect(status.status).toBe("CONNECTED");
  const tunnelled = await cm.POST("/fusion/console/services/connection/{connectionId}", {
    params: {
      path: { connectionId },
      header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
    },
    headers: { "X-App-Header-apikey": session_id },
    parseAs: "json",
  });
  expect(tunnelled.response.status).toBe(200);
  await unwrap(cluster.POST("/logout"));
  const closed = await cm.DELETE("/fusion/console/services/connection/{connectionId}", {
    params: { path: { connectionId } },
  });
  expect(closed.response.status).toBe(200);
}

function expectEveryOperationCounted(sim: Simulator) {
  const expected = [...Object.values(clusterOperations), ...Object.values(cmOperations)].map(
    (op) => op.operationId,
  );
  expect(expected).toHaveLength(31);
  const missing = expected.filter((id) => sim.state.requestCount(id) === 0);
  expect(missing).toEqual([]);
}

describe("all 31 operations against the simulator", () => {
  const options = {
    cluster: { scanDurationMs: 20 },
    cm: { connectDelayMs: 30, volumes: { pmpReports: 20, mddReports: 20, coreReports: 20 } },
  };

  it("in-process, through the simulator's fetch", async () => {
    await using sim = createSimulator(options);
    await driveEverything(sim, "http://simulator.test", (request) => sim.fetch(request));
    expectEveryOperationCounted(sim);
  });

  it("over HTTP on loopback", async () => {
    await using sim = createSimulator(options);
    const server = await sim.listen();
    await driveEverything(sim, server.url);
    expectEveryOperationCounted(sim);
  });
});
