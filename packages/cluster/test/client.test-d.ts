// Type tests of the typed Cluster client, as a user's editor sees it: run by
// `vitest --project types` (tsc) and by the package's typecheck.
import { describe, expectTypeOf, test } from "vitest";
import {
  type AnalysisResult,
  type BatchStatus,
  createClusterClient,
  type FileSubmission,
  isNotFoundResult,
  type NotFoundResult,
  type Rule,
  unwrap,
} from "../src/index.js";

const cluster = createClusterClient({ baseUrl: "http://127.0.0.1:8899" });

describe("path parameters", () => {
  test("are required, with their names and types", () => {
    // @ts-expect-error the path needs its data_id
    void cluster.GET("/file/{data_id}");
    // @ts-expect-error an empty path object misses data_id
    void cluster.GET("/file/{data_id}", { params: { path: {} } });
    // @ts-expect-error data_id is a string
    void cluster.GET("/file/{data_id}", { params: { path: { data_id: 42 } } });
    expectTypeOf(cluster.GET)
      .parameter(0)
      .extract<"/file/{data_id}">()
      .toEqualTypeOf<"/file/{data_id}">();
  });

  test("an unknown path or method is refused", () => {
    // @ts-expect-error no such path in the spec
    void cluster.GET("/files");
    // @ts-expect-error /file/rules is read-only
    void cluster.POST("/file/rules");
  });
});

describe("responses narrow on data and error", () => {
  test("the analysis result is the report or the gateway's Not Found object", async () => {
    const result = await cluster.GET("/file/{data_id}", { params: { path: { data_id: "id" } } });
    expectTypeOf(result.response).toEqualTypeOf<Response>();
    if (result.error) {
      expectTypeOf(result.data).toEqualTypeOf<undefined>();
      return;
    }
    expectTypeOf(result.data).toExtend<AnalysisResult | NotFoundResult>();
    if (isNotFoundResult(result.data)) expectTypeOf(result.data).toExtend<NotFoundResult>();
    else {
      // openapi-fetch's Readable<> view of the schema: assignable both ways.
      expectTypeOf(result.data).toExtend<AnalysisResult>();
      expectTypeOf<AnalysisResult>().toExtend<typeof result.data>();
    }
  });

  test("without narrowing, data may be undefined", async () => {
    const { data } = await cluster.GET("/file/rules");
    expectTypeOf(data).toEqualTypeOf<Rule[] | undefined>();
  });

  test("an upload answers with its data_id", async () => {
    const result = await cluster.POST("/file", {
      body: new Blob(["x"]),
      params: { header: { "Content-Length": 1 } },
    });
    if (!result.error) expectTypeOf(result.data).toEqualTypeOf<FileSubmission>();
  });
});

describe("request bodies and headers", () => {
  test("an upload takes any binary body and needs its Content-Length", () => {
    const header = { "Content-Length": 3 };
    void cluster.POST("/file", { body: new Uint8Array(3), params: { header } });
    void cluster.POST("/file", { body: new ArrayBuffer(3), params: { header } });
    void cluster.POST("/file", { body: new Blob(["abc"]).stream(), params: { header } });
    async function* chunks() {
      yield new Uint8Array(3);
    }
    void cluster.POST("/file", { body: chunks(), params: { header } });
    // @ts-expect-error the gateway refuses chunked uploads: Content-Length is required
    void cluster.POST("/file", { body: new Blob(["abc"]), params: { header: {} } });
    // @ts-expect-error a plain object is not a file
    void cluster.POST("/file", { body: { name: "x" }, params: { header } });
  });
});

describe("binary responses", () => {
  test("are untyped unless read as a stream, then a ReadableStream", async () => {
    const path = { data_id: "id" };
    const plain = await cluster.GET("/file/converted/{data_id}", { params: { path } });
    expectTypeOf(plain.data).toEqualTypeOf<unknown>();
    const streamed = await cluster.GET("/file/converted/{data_id}", {
      params: { path },
      parseAs: "stream",
    });
    // Response["body"]: ReadableStream<Uint8Array> (its buffer type as the TypeScript lib has it) or null.
    if (!streamed.error) expectTypeOf(streamed.data).toEqualTypeOf<Response["body"]>();
  });
});

describe("unwrap", () => {
  test("resolves to the data of the success response", async () => {
    expectTypeOf(await unwrap(cluster.GET("/file/rules"))).toEqualTypeOf<Rule[]>();
    const batch = await unwrap(
      cluster.GET("/file/batch/{batchId}", { params: { path: { batchId: "b" } } }),
    );
    expectTypeOf(batch).toExtend<BatchStatus>();
    expectTypeOf<BatchStatus>().toExtend<typeof batch>();
  });

  test("takes a result or its promise", async () => {
    const result = await cluster.GET("/file/rules");
    expectTypeOf(unwrap(result)).toEqualTypeOf<Promise<Rule[]>>();
  });
});
