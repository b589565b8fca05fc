// Type tests of the Central Management paginators and client: the record type
// follows the report path, pages keep the server's shape, bodies are checked.
import { describe, expectTypeOf, test } from "vitest";
import {
  type CoreInstance,
  type CoreReport,
  createCentralManagementClient,
  type MddReport,
  type MddReportDetail,
  type PagedIterable,
  type PmpReport,
  type PmpReportDetail,
  paginateCoreInstances,
  paginateReports,
  reportDetails,
  unwrap,
} from "../src/index.js";

const cm = createCentralManagementClient({ region: "eu" });

describe("paginateReports", () => {
  test("yields the record type of the report path", () => {
    expectTypeOf(paginateReports(cm, "/o/core/v1.1/reports", { limit: 10 })).toExtend<
      AsyncIterable<CoreReport>
    >();
    expectTypeOf(paginateReports(cm, "/o/pmp/v1/reports", { limit: 10 })).toExtend<
      AsyncIterable<PmpReport>
    >();
    expectTypeOf(paginateReports(cm, "/o/mdd/v1/reports", { limit: 10 })).toExtend<
      AsyncIterable<MddReport>
    >();
  });

  test("iterates records, and pages through byPage()", async () => {
    const reports = paginateReports(cm, "/o/core/v1.1/reports", { limit: 10 }, { maxItems: 20 });
    for await (const report of reports) expectTypeOf(report).toEqualTypeOf<CoreReport>();
    for await (const page of reports.byPage()) {
      expectTypeOf(page.data).toEqualTypeOf<CoreReport[] | undefined>();
      expectTypeOf(page.token).toEqualTypeOf<string | undefined>();
    }
  });

  test("only cursor-paged paths, and no token in the body (the paginator sends it)", () => {
    // @ts-expect-error Core instances are paged by page number: paginateCoreInstances
    void paginateReports(cm, "/o/core/v1/instances", {});
    // @ts-expect-error the token belongs to the paginator
    void paginateReports(cm, "/o/core/v1.1/reports", { limit: 10, token: "t" });
  });
});

describe("paginateCoreInstances and reportDetails", () => {
  test("yield instances and detail records", async () => {
    const instances = paginateCoreInstances(cm, { limit: 50 });
    expectTypeOf(instances).toEqualTypeOf<PagedIterable<CoreInstance, CoreInstance[]>>();
    const pmp = reportDetails(cm, "/o/pmp/v1/reports/details", { session_id: "s" });
    for await (const file of pmp) expectTypeOf(file).toEqualTypeOf<PmpReportDetail>();
    const mdd = reportDetails(cm, "/o/mdd/v1/reports/details", { device_id: "d", report_id: "r" });
    for await (const file of mdd) expectTypeOf(file).toEqualTypeOf<MddReportDetail>();
  });

  test("a details call needs its session", () => {
    // @ts-expect-error session_id is required
    void reportDetails(cm, "/o/pmp/v1/reports/details", {});
  });
});

describe("the client", () => {
  test("checks request bodies against the spec", async () => {
    const page = await unwrap(cm.POST("/o/core/v1.1/reports", { body: { limit: 100 } }));
    expectTypeOf(page.data).toEqualTypeOf<CoreReport[] | undefined>();
    // @ts-expect-error limit is a number
    void cm.POST("/o/core/v1.1/reports", { body: { limit: "100" } });
  });
});
