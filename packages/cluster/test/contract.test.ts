// Contract tests: every Cluster gateway operation through the typed client
// against Prism's mock of specs/cluster.yaml. Prism rejects (422) any request
// that breaks the spec; each response is checked against the spec's schema
// and example.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AnalysisResult,
  AuthenticationError,
  isNotFoundResult,
  NotFoundError,
  ServiceUnavailableError,
  unwrap,
} from "../src/index.js";
import { expectSpecExample, mockClient, spec } from "./helpers.js";

const cluster = mockClient();
const DATA_ID = "55acf8ef69654ba79788490143734ce7";
const BATCH_ID = "064d04de3ee446b4bf3d891c37687d4e";
const EICAR_SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";

describe("Auth", () => {
  it("login: user and password give a session", async () => {
    const session = await unwrap(
      mockClient(false).POST("/login", { body: { user: "admin", password: "admin" } }),
    );
    expect(session.session_id).toEqual(expect.any(String));
    expectSpecExample("login", session);
  });

  it("logout: destroys the session", async () => {
    const result = await unwrap(cluster.POST("/logout"));
    expectSpecExample("logout", result);
  });
});

describe("Analysis", () => {
  it("analyzeFile: raw bytes with Content-Length and a UTF-8 file name", async () => {
    const bytes = new TextEncoder().encode(
      "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
    );
    const submission = await unwrap(
      cluster.POST("/file", {
        body: new Blob([bytes]),
        params: {
          header: {
            "Content-Length": bytes.byteLength,
            filename: encodeURIComponent("отчёт 2024 ✓.txt"),
            rule: encodeURIComponent("multiscan"),
            archivepwd: "infected",
            metadata: encodeURIComponent(JSON.stringify({ source: "contract-test" })),
            callbackurl: "https://hooks.example.test/mdkit",
            user_agent: "mdkit",
          },
        },
      }),
    );
    expectTypeOf(submission.data_id).toEqualTypeOf<string>();
    expectSpecExample("analyzeFile", submission);
  });

  it("getAnalysisResult: a finished report with typed verdict fields", async () => {
    const result = await unwrap(
      cluster.GET("/file/{data_id}", { params: { path: { data_id: DATA_ID } } }),
    );
    expect(isNotFoundResult(result)).toBe(false);
    const report = result as AnalysisResult;
    expect(report.scan_results?.progress_percentage).toBe(100);
    expect(report.scan_results?.scan_all_result_i).toBe(0);
    expectSpecExample("getAnalysisResult", result);
  });

  it("getAnalysisResult: an in-progress report and an archive page", async () => {
    const { data: inProgress } = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: DATA_ID } },
      headers: { Prefer: "example=inProgress" },
    });
    expect((inProgress as AnalysisResult).scan_results?.progress_percentage).toBeLessThan(100);
    expect(spec.validateResponse("getAnalysisResult", 200, inProgress)).toEqual([]);

    const { data: archive } = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: DATA_ID }, query: { first: 0, size: 50 } },
      headers: { Prefer: "example=archive" },
    });
    const files = (archive as AnalysisResult).extracted_files;
    expect(files?.files_in_archive?.length).toBeGreaterThan(0);
    expect(spec.validateResponse("getAnalysisResult", 200, archive)).toEqual([]);
  });

  it("getAnalysisResult: an unknown id is 200 with a Not Found object", async () => {
    const { data, response } = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: "deadbeef" } },
      headers: { Prefer: "example=notFound" },
    });
    expect(response.status).toBe(200);
    expect(isNotFoundResult(data)).toBe(true);
  });

  it("lookupHash: every documented header", async () => {
    const result = await unwrap(
      cluster.GET("/hash/{hash}", {
        params: {
          path: { hash: EICAR_SHA256 },
          header: { rule: "multiscan", selfonly: true, timerange: 24, "include-inprogress": false },
          query: { first: 0, size: 10 },
        },
      }),
    );
    expect(isNotFoundResult(result)).toBe(false);
    expect((result as AnalysisResult).scan_results?.scan_all_result_i).toBe(1);
    expectSpecExample("lookupHash", result);
  });

  it("listRules: names and size limits", async () => {
    const rules = await unwrap(
      cluster.GET("/file/rules", { params: { header: { user_agent: "mdkit" } } }),
    );
    expect(rules[0]?.name).toEqual(expect.any(String));
    expect(rules[0]?.max_file_size).toEqual(expect.any(Number));
    expectSpecExample("listRules", rules);
  });

  it("downloadConvertedFile: a byte stream with Content-Disposition", async () => {
    const { data, response } = await cluster.GET("/file/converted/{data_id}", {
      params: { path: { data_id: DATA_ID } },
      parseAs: "stream",
    });
    expect(response.headers.get("content-disposition")).toContain("filename");
    expect(data).toBeInstanceOf(ReadableStream);
    const bytes = new Uint8Array(await new Response(data).arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it("downloadProcessedFile: a byte stream", async () => {
    const { data, response } = await cluster.GET("/file/download/{data_id}", {
      params: { path: { data_id: DATA_ID } },
    });
    expect(response.status).toBe(200);
    expect(data).toBeInstanceOf(ReadableStream);
    await new Response(data as ReadableStream).arrayBuffer();
  });

  it("cancelAnalysis: cancels a running analysis", async () => {
    const { response } = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: DATA_ID } },
    });
    expect(response.status).toBe(200);
  });
});

describe("Batch", () => {
  it("createBatch: rule, user agent and URL-encoded user data", async () => {
    const batch = await unwrap(
      cluster.POST("/file/batch", {
        params: {
          header: {
            rule: "multiscan",
            user_agent: "mdkit",
            "user-data": encodeURIComponent("nightly build ✓"),
          },
        },
      }),
    );
    expect(batch.batch_id).toEqual(expect.any(String));
    expectSpecExample("createBatch", batch);
  });

  it("closeBatch: closes the batch", async () => {
    const { response } = await cluster.POST("/file/batch/{batchId}/close", {
      params: { path: { batchId: BATCH_ID } },
    });
    expect(response.status).toBe(200);
  });

  it("getBatchStatus: a page of the batch's files", async () => {
    const status = await unwrap(
      cluster.GET("/file/batch/{batchId}", {
        params: { path: { batchId: BATCH_ID }, query: { first: 0, size: 50 } },
      }),
    );
    expect(status.batch_files?.files_in_batch?.length).toBeGreaterThan(0);
    expectSpecExample("getBatchStatus", status);
  });

  it("getBatchCertificate: the signed YAML with the metadata header", async () => {
    const yaml = await unwrap(
      cluster.GET("/file/batch/{batchId}/certificate", {
        params: {
          path: { batchId: BATCH_ID },
          header: { metadata: encodeURIComponent('{"include_vul_info":true}') },
        },
      }),
    );
    expectTypeOf(yaml).toEqualTypeOf<string>();
    expect(yaml).toContain("-----BEGIN CERTIFICATE-----");
    expect(yaml).toBe(spec.exampleOf("getBatchCertificate", 200, "application/yaml"));
  });

  it("cancelBatch: cancels the batch", async () => {
    const { response } = await cluster.POST("/file/batch/{batchId}/cancel", {
      params: { path: { batchId: BATCH_ID } },
    });
    expect(response.status).toBe(200);
  });
});

describe("Prism rejects requests that break the spec", () => {
  it("an upload without a body", async () => {
    // @ts-expect-error the body is required by the spec
    const { response } = await cluster.POST("/file", {
      params: { header: { "Content-Length": 1 } },
    });
    expect(response.status).toBe(422);
  });

  it("a login without password", async () => {
    const { response } = await mockClient(false).POST("/login", {
      // @ts-expect-error password is required by the spec
      body: { user: "admin" },
    });
    expect(response.status).toBe(422);
  });

  it("a malformed hash", async () => {
    const { response } = await cluster.GET("/hash/{hash}", {
      params: { path: { hash: "not-a-hash" } },
    });
    expect(response.status).toBe(422);
  });

  it("a call without apikey is refused with a typed error", async () => {
    const error = await unwrap(mockClient(false).GET("/file/rules")).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.operation).toBe("listRules");
  });

  it("forced 404 and 503 become NotFoundError and ServiceUnavailableError", async () => {
    const notFound = (await unwrap(
      cluster.GET("/file/converted/{data_id}", {
        params: { path: { data_id: "x" } },
        headers: { Prefer: "code=404" },
      }),
    ).catch((e) => e)) as NotFoundError;
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(spec.validateResponse("downloadConvertedFile", 404, notFound.body)).toEqual([]);

    const busy = await unwrap(
      cluster.POST("/file", {
        body: new Uint8Array([1, 2, 3]),
        params: { header: { "Content-Length": 3 } },
        headers: { Prefer: "code=503" },
      }),
    ).catch((e) => e);
    expect(busy).toBeInstanceOf(ServiceUnavailableError);
    expect(busy.operation).toBe("analyzeFile");
  });
});
