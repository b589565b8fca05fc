/**
 * `mdkit batch --resume <batch_id>` against a gateway that lies about a
 * finished batch holding EICAR: its status says clean (overall and for every
 * file), or lists no files, or leaves the EICAR file out. The verdict and the
 * file list come from the signed result (pinned): EICAR stays infected, every
 * file is listed, the contradiction fails the run. A batch id with path or
 * URL characters (`../file/rules`, `?`, `#`, `%2f`, ...) is refused before
 * any request: it never reaches another path. And a gateway that re-signs the
 * result with a key of its own (nothing pinned), leaving EICAR out of it and
 * out of the status: with the list `--submitted-out` wrote while sending,
 * `--resume --submitted` finds EICAR missing and fails. In-process and built CLI.
 */
import { scanBatch } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  createForeignSigner,
  type HostileProbe,
  hostileCase,
  resignBatchCertificate,
  type UpstreamAnswer,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { folder, lyingGateway } from "../evidence-setup.js";

type Json = Record<string, unknown>;

const CLEAN = { scan_all_result_i: 0, scan_all_result_a: "No Threat Detected" };
const ALLOWED = { result: "Allowed", blocked_reason: "", blocked_reasons: [], verdicts: [] };
const isStatus = (a: UpstreamAnswer) =>
  a.method === "GET" && /^\/file\/batch\/[^/]+$/.test(a.path) && a.status === 200;

/** The status of the batch with its file list passed through `files`, the batch called clean. */
const lyingStatus = (files: (entries: Json[]) => Json[]) => (a: UpstreamAnswer) => {
  if (!isStatus(a)) return undefined;
  const body = a.json as Json & { batch_files: { files_in_batch: Json[] } };
  const entries = files(body.batch_files.files_in_batch);
  return {
    json: {
      ...body,
      batch_files: { ...body.batch_files, files_in_batch: entries, batch_count: entries.length },
      process_info: { ...(body.process_info as Json), ...ALLOWED },
      scan_results: { ...(body.scan_results as Json), ...CLEAN },
    },
  };
};

const lies: Array<[string, (entries: Json[]) => Json[]]> = [
  [
    "says clean for every file",
    (entries) =>
      entries.map((entry) => ({
        ...entry,
        ...CLEAN,
        process_info: { ...(entry.process_info as Json), ...ALLOWED },
      })),
  ],
  ["lists no files", () => []],
  ["leaves the EICAR file out", (entries) => entries.filter((e) => e.display_name !== "eicar.com")],
];

const files = { "report.txt": "quarterly numbers", "eicar.com": EICAR_TEST_STRING };

/** A resumed run's JSON summary and its EICAR row, reported to the probe as a false clean if anything says clean. */
function judged(run: { code: number | null; stdout: string }, probe: HostileProbe) {
  const summary = JSON.parse(run.stdout) as { verdict: string; files: Json[] };
  const eicar = summary.files.find((f) => f.name === "eicar.com");
  probe.infected(run.code === 0 || summary.verdict === "clean" || eicar?.verdict === "clean");
  return { summary, eicar };
}

describe("mdkit batch --resume against a lying gateway", () => {
  for (const cli of CLI_RUNNERS) {
    it.each(lies)(`${cli.name}: a finished batch whose status %s`, async (label, files_) => {
      await hostileCase(
        `evidence: batch --resume, status ${label} (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          let lying = false;
          const lie = lyingStatus(files_);
          await using env = await lyingGateway((a) => (lying ? lie(a) : undefined));
          await using dir = await folder(files);
          const pin = (await env.sim.cluster.signingFingerprints()).sha256;
          const sent = await scanBatch(
            env.cluster,
            Object.keys(files).map((name) => dir.file(name)),
            { expectedFingerprint: pin },
          );
          lying = true;
          const run = await runAndReport(
            cli,
            probe,
            ["batch", "--resume", sent.batchId, "--expect-fingerprint", pin, "--format", "json"],
            env.env,
          );
          const { summary, eicar } = judged(run, probe);
          expect(run.code).toBe(2);
          expect(summary.verdict).toBe("infected");
          expect(summary.files).toHaveLength(2);
          expect(eicar?.verdict).toBe("infected");
          expect(run.stderr).toMatch(/the batch status says clean, the signed result infected/);
        },
      );
    });

    it(`${cli.name}: a batch id with path or URL characters is refused before any request`, async () => {
      await hostileCase(
        `evidence: batch --resume with a hostile id (${cli.name})`,
        { deadlineMs: cli.deadlineMs * 2 },
        async (probe) => {
          await using env = await lyingGateway(() => undefined);
          for (const id of [
            "../file/rules",
            "..",
            "a?b=c",
            "a#b",
            "a%2fb",
            "%2e%2e",
            "a/b",
            "a b",
          ]) {
            const run = await runAndReport(cli, probe, ["batch", "--resume", id], env.env);
            expect(run.code, id).toBe(2);
            expect(run.stderr, id).toMatch(/batch_id (holds characters|is "\.\.")/);
            expect(run.stdout, id).toBe("");
          }
          expect(env.gateway.requests).toEqual([]);
        },
      );
    });
  }

  for (const cli of CLI_RUNNERS) {
    it(`${cli.name}: a result re-signed by the gateway's own key, EICAR left out, against --submitted`, async () => {
      await hostileCase(
        `evidence: batch --resume --submitted, EICAR left out of a re-signed result (${cli.name})`,
        { deadlineMs: cli.deadlineMs * 2 },
        async (probe) => {
          const signer = await createForeignSigner();
          const withoutEicar = (entries: Json[]) =>
            entries.filter((e) => e.display_name !== "eicar.com");
          const lie = lyingStatus(withoutEicar);
          let lying = false;
          await using env = await lyingGateway(
            async (a) => {
              if (!lying) return undefined;
              if (a.path.endsWith("/certificate") && a.status === 200) {
                const text = await resignBatchCertificate(signer, a.text, (result) => {
                  const files = result.batch_files as { files_in_batch: Json[] };
                  files.files_in_batch = withoutEicar(files.files_in_batch);
                  Object.assign(result.scan_results as Json, CLEAN);
                  Object.assign(result.process_info as Json, ALLOWED);
                });
                return { text };
              }
              return lie(a);
            },
            { cluster: { scanDurationMs: 1_500 } },
          );
          await using dir = await folder(files);
          const list = dir.file("sent.jsonl");
          const sent = await runAndReport(
            cli,
            probe,
            [
              "batch",
              dir.file("report.txt"),
              dir.file("eicar.com"),
              "--user-data",
              "nightly",
            ].concat(["--timeout", "500", "--submitted-out", list]),
            env.env,
          );
          expect(sent.code).toBe(2);
          const batchId = String(env.sim.cluster.batches.at(-1)?.batchId);
          lying = true;
          const run = await runAndReport(
            cli,
            probe,
            ["batch", "--resume", batchId, "--submitted", list, "--format", "json"],
            env.env,
          );
          const { summary, eicar } = judged(run, probe);
          expect(run.code).toBe(2);
          expect(summary.verdict).not.toBe("clean");
          expect(eicar?.verdict).toBe("failed");
        },
      );
    });
  }
});
