// The million-record paging test: runs only with MDKIT_HEAVY=1 (about 15 s).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { cmClient } from "./cm-helpers.js";

const heavy = process.env.MDKIT_HEAVY === "1";
const COUNT = 1_000_000;

/** A full garbage collection, so RSS shows what is retained rather than when V8 last collected. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe.skipIf(!heavy)("Central Management at volume", () => {
  it(
    "pages through 1,000,000 Core reports with memory staying flat",
    async () => {
      await using sim = createSimulator({ cm: { volumes: { coreReports: COUNT } } });
      const cm = await cmClient(sim.fetch);
      let token: string | undefined;
      let seen = 0;
      let last = 0;
      let pages = 0;
      let baseline = 0;
      let peak = 0;
      do {
        const { data } = await cm.POST("/o/core/v1.1/reports", { body: { limit: 100, token } });
        for (const record of data?.data ?? []) {
          if ((record.timestamp as number) < last) throw new Error(`not ascending at ${seen}`);
          last = record.timestamp as number;
        }
        seen += data?.data?.length ?? 0;
        token = data?.token;
        pages++;
        if (pages % 500 === 0) {
          collectGarbage();
          const rss = process.memoryUsage().rss;
          if (pages === 500) baseline = rss;
          peak = Math.max(peak, rss);
        }
      } while (token);
      expect(seen).toBe(COUNT);
      expect(pages).toBe(COUNT / 100);
      const growthMiB = (peak - baseline) / 2 ** 20;
      console.log(`RSS growth paging ${COUNT} records: ${growthMiB.toFixed(1)} MiB`);
      expect(growthMiB).toBeLessThan(100);
    },
    15 * 60_000,
  );
});
