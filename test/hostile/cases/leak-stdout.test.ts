/**
 * A gateway that writes the credential it received into the data it
 * returns: rule names and threat names. The CLI prints that data on stdout,
 * in every format; stdout is scrubbed like stderr, of the environment's
 * secrets and of every secret registered in the process (the session id a
 * login obtained, for instance).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulator, DEFAULT_CREDENTIALS, EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  CANARIES,
  type HostileServer,
  hostileCase,
  type RecordedRequest,
  rewriteFields,
  startRewritingProxy,
} from "@mdkit/testing/hostile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";

const { apikey } = CANARIES;
const FORMATS = ["table", "json", "jsonl", "csv", "yaml"] as const;

let sim: ReturnType<typeof createSimulator>;
let proxy: HostileServer;
let dir: string;
let eicar: string;

/** The credential of a request, written into every rule and threat name of its answer. */
function echoCredential(body: unknown, request: RecordedRequest): unknown {
  const credential = String(request.headers.apikey ?? "");
  if (request.url.startsWith("/file/rules")) {
    return rewriteFields(body, { name: () => `${credential} (rule)` });
  }
  return rewriteFields(body, { threat_found: (old) => (old ? `Threat.${credential}` : old) });
}

beforeAll(async () => {
  sim = createSimulator({ cluster: { apiKeys: [apikey], scanDurationMs: 10 } });
  const { url } = await sim.listen();
  proxy = await startRewritingProxy(url, echoCredential);
  dir = await mkdtemp(join(tmpdir(), "mdkit-hostile-stdout-"));
  eicar = join(dir, "eicar.com");
  await writeFile(eicar, EICAR_TEST_STRING);
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const keyEnv = () => ({ MDKIT_CLUSTER_URL: proxy.url, MDKIT_CLUSTER_APIKEY: apikey });
const runnersAndFormats = CLI_RUNNERS.flatMap((cli) => FORMATS.map((format) => ({ cli, format })));

describe("a gateway writing the apikey into rule and threat names", () => {
  it.each(runnersAndFormats)(
    "$cli.name: rules and scan --format $format print it redacted",
    async ({ cli, format }) => {
      const name = `apikey in rule and threat names, --format ${format} (${cli.name})`;
      await hostileCase(name, { deadlineMs: cli.deadlineMs }, async (probe) => {
        const rules = await runAndReport(cli, probe, ["rules", "--format", format], keyEnv());
        expect(rules.code).toBe(0);
        expect(rules.stdout).toContain("[REDACTED] (rule)");

        const scan = await runAndReport(cli, probe, ["scan", eicar, "--format", format], keyEnv());
        probe.infected(!/infected/.test(scan.stdout));
        expect(scan.code).toBe(1);
        expect(scan.stdout).toContain("Threat.[REDACTED]");
      });
    },
  );

  it.each(CLI_RUNNERS)(
    "$name: a session id the CLI obtained by login is scrubbed too",
    async (cli) => {
      const secrets: Record<string, string> = { ...CANARIES };
      await hostileCase(
        `session id in rule names (${cli.name})`,
        { deadlineMs: cli.deadlineMs, secrets },
        async (probe) => {
          const run = await runAndReport(cli, probe, ["rules", "--format", "json"], {
            MDKIT_CLUSTER_URL: proxy.url,
            MDKIT_CLUSTER_USER: DEFAULT_CREDENTIALS.cluster.user,
            MDKIT_CLUSTER_PASSWORD: DEFAULT_CREDENTIALS.cluster.password,
          });
          const rulesRequest = proxy.requests.findLast((r) => r.url.startsWith("/file/rules"));
          const session = rulesRequest?.headers.apikey;
          expect(typeof session).toBe("string");
          // The detector looks for the session id too, although it only became known during the run.
          secrets.session = String(session);
          expect(run.code).toBe(0);
          expect(run.stdout).toContain("[REDACTED] (rule)");
        },
      );
    },
  );
});
