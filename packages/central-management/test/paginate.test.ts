import { describe, expect, it } from "vitest";
import { createCentralManagementClient, MdkitError, paginateReports } from "../src/index.js";

/** A Central Management stand-in answering every report page with `pages[i]`. */
function scripted(pages: Array<{ token?: string; data: Array<{ data_id: string }> }>) {
  const seenTokens: Array<string | undefined> = [];
  let i = 0;
  const cm = createCentralManagementClient({
    baseUrl: "http://cm.test",
    fetch: async (request) => {
      seenTokens.push(((await request.json()) as { token?: string }).token);
      const page = pages[Math.min(i++, pages.length - 1)];
      return new Response(JSON.stringify(page), {
        headers: { "content-type": "application/json" },
      });
    },
  });
  return { cm, seenTokens };
}

describe("paginateReports (scripted server)", () => {
  it("sends each page's token with the next request and stops at a page without one", async () => {
    const { cm, seenTokens } = scripted([
      { token: "t1", data: [{ data_id: "a" }] },
      { token: "t2", data: [{ data_id: "b" }, { data_id: "c" }] },
      { token: "", data: [{ data_id: "d" }] },
    ]);
    const ids: string[] = [];
    for await (const record of paginateReports(cm, "/o/core/v1.1/reports", { limit: 2 }))
      ids.push(record.data_id ?? "");
    expect(ids).toEqual(["a", "b", "c", "d"]);
    expect(seenTokens).toEqual([undefined, "t1", "t2"]);
  });

  it("stops with an error when the server hands back the token it was given", async () => {
    const { cm } = scripted([{ token: "loop", data: [{ data_id: "x" }] }]);
    const run = async () => {
      for await (const _ of paginateReports(cm, "/o/core/v1.1/reports")) {
        // keep reading
      }
    };
    await expect(run()).rejects.toBeInstanceOf(MdkitError);
  });
});
