// Spec conformance: Prism in proxy mode with --errors in front of the
// simulator over HTTP. Every operation of specs/cluster.yaml goes through
// the typed client to Prism, which validates the request and the
// simulator's response against the spec and turns any violation into an
// error status.
import { type ClusterClient, createClusterClient, isNotFoundResult } from "@mdkit/cluster";
import { createSpecValidator, type PrismServer, specPaths, startPrism } from "@mdkit/testing";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../src/index.js";
import { EICAR, testClock } from "./cluster-helpers.js";

const clock = testClock();
let sim: Simulator;
let prism: PrismServer;
let cluster: ClusterClient;
/** The same client pointed at the simulator itself, bypassing Prism. */
let direct: ClusterClient;
let apikey = "";

const spec = createSpecValidator("cluster");

/**
 * Asserts a status, printing Prism's log (with its violation list) when it
 * differs. Prism reports an undeclared status only as a warning, so the
 * status (and a JSON or YAML body) is also checked against the spec here.
 */
function expectStatus(
  result: { response: Response; data?: unknown; error?: unknown },
  status: number,
  operationId: string,
) {
  const { response } = result;
  if (response.status !== status) console.error(prism.output());
  expect(response.status).toBe(status);
  const type = response.headers.get("content-type") ?? "";
  const body = response.ok ? result.data : result.error;
  if (type.includes("json")) {
    expect(spec.validateResponse(operationId, status, body)).toEqual([]);
  } else if (type.includes("yaml")) {
    expect(spec.validateResponse(operationId, status, body, "application/yaml")).toEqual([]);
  } else {
    const declared = spec.operation(operationId).operation.responses as Record<string, unknown>;
    expect(Object.keys(declared)).toContain(String(status));
  }
}

beforeAll(async () => {
  sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 1000 } });
  const server = await sim.listen({ api: "cluster" });
  prism = await startPrism(specPaths.cluster, {
    mode: "proxy",
    upstream: server.url,
    errors: true,
  });
  cluster = createClusterClient({ baseUrl: prism.url, auth: () => ({ apikey }) });
  direct = createClusterClient({ baseUrl: server.url, auth: () => ({ apikey }) });
});

afterAll(async () => {
  await prism?.close();
  await sim?.close();
});

describe("cluster: every operation conforms to specs/cluster.yaml (Prism proxy --errors)", () => {
  const ids = { eicar: "", archive: "", child: "", batch: "" };

  it("login", async () => {
    const anonymous = createClusterClient({ baseUrl: prism.url });
    const bad = await anonymous.POST("/login", { body: { user: "admin", password: "wrong" } });
    expectStatus(bad, 403, "login");
    const { data, response } = await anonymous.POST("/login", {
      body: { user: "admin", password: "admin" },
    });
    expectStatus({ response, data }, 200, "login");
    apikey = data?.session_id ?? "";
  });

  it("an invalid apikey is refused per operation as the document says (403, 400, 405)", async () => {
    const stranger = createClusterClient({ baseUrl: prism.url, auth: () => ({ apikey: "nope" }) });
    const rules = await stranger.GET("/file/rules");
    expectStatus(rules, 403, "listRules");
    const bytes = strToU8("refused");
    const upload = await stranger.POST("/file", {
      body: new Blob([bytes]),
      params: { header: { "Content-Length": bytes.byteLength } },
    });
    expectStatus(upload, 403, "analyzeFile");
    expect(upload.error).toEqual({ err: "Invalid user information." });
    const batch = await stranger.POST("/file/batch");
    expectStatus(batch, 400, "createBatch");
    expect(batch.error).toEqual({ err: "Bad Request: apikey is missing or invalid." });
    const result = await stranger.GET("/file/{data_id}", { params: { path: { data_id: "f00d" } } });
    expectStatus(result, 405, "getAnalysisResult");
  });

  it("listRules", async () => {
    const { data, response } = await cluster.GET("/file/rules", {
      params: { header: { user_agent: "mdkit" } },
    });
    expectStatus({ response, data }, 200, "listRules");
    expect(data?.map((r) => r.name)).toContain("sanitize");
  });

  it("createBatch", async () => {
    const { data, response } = await cluster.POST("/file/batch", {
      params: {
        header: {
          rule: "multiscan",
          user_agent: "mdkit",
          "user-data": encodeURIComponent("run ✓"),
        },
      },
    });
    expectStatus({ response, data }, 200, "createBatch");
    ids.batch = data?.batch_id ?? "";
  });

  it("analyzeFile (every header) and a sanitized archive", async () => {
    const eicar = strToU8(EICAR);
    const first = await cluster.POST("/file", {
      body: new Blob([eicar]),
      params: {
        header: {
          "Content-Length": eicar.byteLength,
          filename: encodeURIComponent("eicar ✓.com"),
          rule: "multiscan",
          batch: ids.batch,
          user_agent: "mdkit",
          archivepwd: "infected",
          metadata: encodeURIComponent(JSON.stringify({ source: "conformance" })),
          "engines-metadata": "{}",
          callbackurl: "http://10.0.1.100:8081/listenback",
        },
      },
    });
    expectStatus(first, 200, "analyzeFile");
    ids.eicar = first.data?.data_id ?? "";
    // Prism's proxy re-encodes a binary request body as UTF-8 text before
    // forwarding it (stoplightio/prism#1321), which corrupts a ZIP: the
    // archive goes to the simulator directly; its results go through Prism.
    const zip = zipSync({ "docs/readme.txt": strToU8("hello"), "docs/eicar.com": strToU8(EICAR) });
    const second = await direct.POST("/file", {
      body: new Blob([zip]),
      params: {
        header: { "Content-Length": zip.byteLength, filename: "bundle.zip", rule: "sanitize" },
      },
    });
    expectStatus(second, 200, "analyzeFile");
    ids.archive = second.data?.data_id ?? "";
  });

  it("getAnalysisResult: in progress, finished, a page of an archive, an unknown id", async () => {
    const running = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: ids.eicar } },
    });
    expectStatus(running, 200, "getAnalysisResult");
    clock.advance(1000);
    const finished = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: ids.archive }, query: { first: 1, size: 1 } },
    });
    expectStatus(finished, 200, "getAnalysisResult");
    const data = finished.data;
    if (!data || isNotFoundResult(data)) throw new Error("expected a result");
    expect(data.extracted_files?.files_in_archive?.length).toBe(1);
    ids.child = data.extracted_files?.worst_data_id ?? "";
    const child = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: ids.child } },
    });
    expectStatus(child, 200, "getAnalysisResult");
    const unknown = await cluster.GET("/file/{data_id}", { params: { path: { data_id: "f00d" } } });
    expectStatus(unknown, 200, "getAnalysisResult");
    expect(unknown.data).toEqual({ f00d: "Not Found" });
  });

  it("lookupHash: found with every header, not found, malformed", async () => {
    const found = await cluster.GET("/hash/{hash}", {
      params: {
        path: { hash: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f" },
        header: { rule: "multiscan", selfonly: true, timerange: 24, "include-inprogress": true },
        query: { first: 0, size: 10 },
      },
    });
    expectStatus(found, 200, "lookupHash");
    expect((found.data as { data_id?: string }).data_id).toBe(ids.eicar);
    const missing = await cluster.GET("/hash/{hash}", {
      params: { path: { hash: "a".repeat(40) } },
    });
    expectStatus(missing, 200, "lookupHash");
  });

  it("downloadConvertedFile and downloadProcessedFile", async () => {
    const operationOf = {
      "/file/converted/{data_id}": "downloadConvertedFile",
      "/file/download/{data_id}": "downloadProcessedFile",
    } as const;
    for (const path of ["/file/converted/{data_id}", "/file/download/{data_id}"] as const) {
      const { data, response } = await cluster.GET(path, {
        params: { path: { data_id: ids.archive } },
        parseAs: "stream",
      });
      expectStatus({ response, data }, 200, operationOf[path]);
      expect(response.headers.get("content-disposition")).toContain("bundle_sanitized");
      expect((await new Response(data).arrayBuffer()).byteLength).toBeGreaterThan(0);
      const missing = await cluster.GET(path, { params: { path: { data_id: ids.eicar } } });
      expectStatus(missing, 404, operationOf[path]);
    }
  });

  it("cancelAnalysis", async () => {
    const bytes = strToU8("to be cancelled");
    const posted = await cluster.POST("/file", {
      body: new Blob([bytes]),
      params: { header: { "Content-Length": bytes.byteLength } },
    });
    const dataId = posted.data?.data_id ?? "";
    const { data, response } = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: dataId } },
    });
    expectStatus({ response, data }, 200, "cancelAnalysis");
    expect(data).toEqual({ [dataId]: "cancelled" });
    const cancelled = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: dataId } },
    });
    expectStatus(cancelled, 200, "getAnalysisResult");
    const unknown = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: "f00d" } },
    });
    expectStatus(unknown, 404, "cancelAnalysis");
  });

  it("closeBatch, getBatchStatus and getBatchCertificate", async () => {
    const open = await cluster.GET("/file/batch/{batchId}/certificate", {
      params: { path: { batchId: ids.batch } },
    });
    expectStatus(open, 400, "getBatchCertificate");
    const closed = await cluster.POST("/file/batch/{batchId}/close", {
      params: { path: { batchId: ids.batch } },
    });
    expectStatus(closed, 200, "closeBatch");
    const status = await cluster.GET("/file/batch/{batchId}", {
      params: { path: { batchId: ids.batch }, query: { first: 0, size: 10 } },
    });
    expectStatus(status, 200, "getBatchStatus");
    expect(status.data?.scan_results?.scan_all_result_i).toBe(1);
    const certificate = await cluster.GET("/file/batch/{batchId}/certificate", {
      params: {
        path: { batchId: ids.batch },
        header: { metadata: encodeURIComponent('{"include_vul_info":true}') },
      },
    });
    expectStatus(certificate, 200, "getBatchCertificate");
    expect(certificate.data).toContain("-----BEGIN CERTIFICATE-----");
    const unknown = await cluster.GET("/file/batch/{batchId}", {
      params: { path: { batchId: "f00d" } },
    });
    expectStatus(unknown, 404, "getBatchStatus");
  });

  it("cancelBatch", async () => {
    const created = await cluster.POST("/file/batch");
    const batchId = created.data?.batch_id ?? "";
    const { data, response } = await cluster.POST("/file/batch/{batchId}/cancel", {
      params: { path: { batchId } },
    });
    expectStatus({ response, data }, 200, "cancelBatch");
    const unknown = await cluster.POST("/file/batch/{batchId}/cancel", {
      params: { path: { batchId: "f00d" } },
    });
    expectStatus(unknown, 404, "cancelBatch");
  });

  it("logout", async () => {
    const { data, response } = await cluster.POST("/logout");
    expectStatus({ response, data }, 200, "logout");
    expect(data).toEqual({ response: "Logout success" });
    const after = await cluster.GET("/file/rules");
    expectStatus(after, 403, "listRules");
    const again = await cluster.POST("/logout");
    expectStatus(again, 403, "logout");
  });
});
