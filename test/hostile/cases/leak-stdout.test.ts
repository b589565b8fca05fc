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
  builtCliAvailable,
  CANARIES,
  type HostileServer,
  hostileCase,
  type RecordedRequest,
  rewriteFields,
  runBuiltCli,
  startRewritingProxy,
} from "@mdkit/testing/hostile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../in-process-cli.js";

const { apikey } = CANARIES;
const FORMATS = ["table", "json", "jsonl", "csv", "yaml"] as const;

let sim: ReturnType<typeof createSimulator>;
let proxy: HostileServer;
let dir: string;
let eicar: string;

/** The credential of a request, written into every rule and threat name of its answer. */
function echoCredential(body: unknown, request: RecordedRequest): unknown {
  const credential = String(request.headers.apikey ?? "");
  const name = () => `${credential} (rule)`;
  const threat = (old: string) => (old ? `Threat.${credential}` : old);
  return request.url.startsWith("/file/rules")
    ? rewriteFields(body, { name })
    : rewriteFields(body, { threat_found: threat });
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

describe("a gateway writing the apikey into rule and threat names", () => {
  it.each(FORMATS)(
    "CLI in-process: rules and scan --format %s print it redacted",
    async (format) => {
      await hostileCase(
        `apikey in rule and threat names, --format ${format} (CLI)`,
        { deadlineMs: 10_000 },
        async (probe) => {
          const rules = await runCli(["rules", "--format", format], keyEnv());
          probe.output("rules.stdout", rules.stdout);
          probe.output("rules.stderr", rules.stderr);
          expect(rules.code).toBe(0);
          expect(rules.stdout).toContain("[REDACTED] (rule)");

          const scan = await runCli(["scan", eicar, "--format", format], keyEnv());
          probe.output("scan.stdout", scan.stdout);
          probe.output("scan.stderr", scan.stderr);
          probe.infected(!/infected/.test(scan.stdout));
          expect(scan.code).toBe(1);
          expect(scan.stdout).toContain("Threat.[REDACTED]");
        },
      );
    },
  );

  it("CLI in-process: a session id the CLI obtained by login is scrubbed too", async () => {
    const secrets: Record<string, string> = { ...CANARIES };
    await hostileCase(
      "session id in rule names (CLI)",
      { deadlineMs: 10_000, secrets },
      async (probe) => {
        const run = await runCli(["rules", "--format", "json"], {
          MDKIT_CLUSTER_URL: proxy.url,
          MDKIT_CLUSTER_USER: DEFAULT_CREDENTIALS.cluster.user,
          MDKIT_CLUSTER_PASSWORD: DEFAULT_CREDENTIALS.cluster.password,
        });
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        const session = proxy.requests.findLast((r) => r.url.startsWith("/file/rules"))?.headers
          .apikey;
        expect(typeof session).toBe("string");
        // The detector looks for the session id too, although it only became known during the run.
        secrets.session = String(session);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("[REDACTED] (rule)");
      },
    );
  });

  it.skipIf(!builtCliAvailable("leak-stdout"))(
    "built CLI: rules (table) and scan (JSON Lines)",
    async () => {
      await hostileCase(
        "apikey in rule and threat names (built CLI)",
        { deadlineMs: 15_000 },
        async (probe) => {
          const rules = await runBuiltCli(["rules", "--format", "table"], keyEnv());
          probe.output("rules.stdout", rules.stdout);
          probe.output("rules.stderr", rules.stderr);
          expect(rules.code).toBe(0);
          expect(rules.stdout).toContain("[REDACTED] (rule)");
          const scan = await runBuiltCli(["scan", eicar], keyEnv());
          probe.output("scan.stdout", scan.stdout);
          probe.output("scan.stderr", scan.stderr);
          probe.infected(!/infected/.test(scan.stdout));
          expect(scan.code).toBe(1);
          expect(scan.stdout).toContain("Threat.[REDACTED]");
        },
      );
    },
  );
});
