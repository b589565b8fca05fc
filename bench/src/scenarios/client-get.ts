import { type BenchContext, runWorker, type Scenario, startSimulatorProcess } from "../harness.js";

interface Totals {
  wallMs: number;
  cpuMs: number;
  wrong: number;
}

/**
 * The SDK's own cost per request: the same `GET /file/{data_id}` 20,000
 * times (2,000 in quick mode) through the typed Cluster client with auth,
 * and by hand over the same keep-alive connection to the simulator (in its
 * own process). The target (≤ 1.10×) applies to the typed client against a
 * plain loop over the same `createNodeFetch` transport the Node entry uses:
 * that ratio is what the typed layer (paths, auth, retry loop, deadline,
 * strict JSON, body limits, redaction) adds; the global `fetch` is another
 * transport, compared for reference. The plain loop builds a real `Request`
 * per call, as hand-written code does; the typed client hands the transport
 * its lighter request object. Both read the answer with `text()`, straight
 * from the socket on a `createNodeFetch` answer.
 */
export const clientGetScenario: Scenario = {
  name: "client-get",
  async run({ quick, nodeFlags }: BenchContext) {
    const count = quick ? 2_000 : 20_000;
    const apikey = "bench-apikey";
    const sim = await startSimulatorProcess({ cluster: { apiKeys: [apikey] } });
    try {
      const { totals } = await runWorker<{ totals: Record<string, Totals> }>(
        "client-get-worker.js",
        [sim.url, apikey, String(count)],
        nodeFlags,
      );
      const of = (name: string) => totals[name] as Totals;
      const typed = of("typed");
      const rawNode = of("raw-node");
      const rawFetch = of("raw-fetch");
      const typedFetch = of("typed-fetch");
      const us = (ms: number) => `${((ms * 1000) / count).toFixed(0)} µs`;
      const line = (name: string, t: Totals) =>
        `${name}: wall ${us(t.wallMs)}, client CPU ${us(t.cpuMs)} per request`;
      return {
        scenario: "client-get",
        figures: [
          {
            name: "typed client / raw loop, same transport (wall)",
            value: typed.wallMs / rawNode.wallMs,
            unit: "x",
            target: 1.1,
            better: "<=",
          },
          {
            name: "typed client / raw loop, same transport (client CPU)",
            value: typed.cpuMs / rawNode.cpuMs,
            unit: "x",
            target: 1.25,
            better: "<=",
          },
          {
            name: "typed client / raw global fetch (wall)",
            value: typed.wallMs / rawFetch.wallMs,
            unit: "x",
            target: 1.1,
            better: "<=",
          },
          {
            name: "wrong answers",
            value: typed.wrong + rawNode.wrong + rawFetch.wrong + typedFetch.wrong,
            unit: "requests",
            target: 0,
            better: "<=",
            gate: true,
          },
        ],
        notes: [
          `${count} requests per client, sequential, in turns of up to 500`,
          line("typed client (createNodeFetch)", typed),
          line("raw loop (same createNodeFetch)", rawNode),
          line("raw loop (global fetch)", rawFetch),
          line("typed client (global fetch)", typedFetch),
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};
