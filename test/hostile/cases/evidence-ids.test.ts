/**
 * The gateway answers about something else than what was asked: an upload
 * answered `{}` or with `..` as its data_id, a poll answered with another
 * submission's clean result, a hash lookup answered with another file's
 * clean result. None of it is read as EICAR being clean, and nothing is
 * requested with a bad id (library and built CLI).
 */
import { createHash } from "node:crypto";
import { scanFile } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  builtCliAvailable,
  hostileCase,
  runBuiltCli,
  type UpstreamAnswer,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import {
  errorOfInfectedScan,
  folder,
  type LyingGateway,
  lyingGateway,
  reportCliRun,
  rowsOf,
} from "../evidence-setup.js";

const cli = builtCliAvailable();
const EICAR = new TextEncoder().encode(EICAR_TEST_STRING);
const EICAR_SHA256 = createHash("sha256").update(EICAR_TEST_STRING).digest("hex");
const isUpload = (a: UpstreamAnswer) => a.method === "POST" && a.path === "/file";
const isPoll = (a: UpstreamAnswer) =>
  a.method === "GET" && /^\/file\/[^/]+$/.test(a.path) && a.path !== "/file/rules";

/** Paths requested after the upload, other than the upload itself. */
const afterUpload = (env: LyingGateway) =>
  env.gateway.requests.map((r) => `${r.method} ${r.url}`).filter((r) => r !== "POST /file");

describe("an upload answered without a usable data_id", () => {
  it.each([
    ["{}", {}],
    ['"data_id": ".."', { data_id: ".." }],
  ])("library and CLI: %s is an error before any poll", async (label, body) => {
    await hostileCase(
      `evidence: upload answered ${label}`,
      { deadlineMs: 15_000 },
      async (probe) => {
        await using env = await lyingGateway((a) => (isUpload(a) ? { json: body } : undefined));
        const error = await errorOfInfectedScan(
          probe,
          scanFile(env.cluster, { data: EICAR, name: "eicar.com" }, { hashFirst: false }),
        );
        expect((error as Error)?.name).toBe("InvalidDataIdError");
        expect(afterUpload(env)).toEqual([]);
        if (!cli) return;
        await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
        const run = await runBuiltCli(["scan", dir.file("eicar.com"), "--no-hash-first"], {
          env: env.env,
        });
        reportCliRun(probe, run, ["eicar.com"]);
        expect(run.code).toBe(2);
        expect(rowsOf(run)[0]?.error).toMatch(/data_id .*nothing was requested with it/);
        expect(afterUpload(env)).toEqual([]);
      },
    );
  });
});

describe("answers about another file", () => {
  it("library and CLI: a poll answered with another submission's clean result", async () => {
    await hostileCase(
      "evidence: poll answered for another data_id",
      { deadlineMs: 15_000 },
      async (probe) => {
        let clean: unknown;
        await using env = await lyingGateway((a) =>
          isPoll(a) && clean ? { json: clean } : undefined,
        );
        clean = (await scanFile(env.cluster, { data: new TextEncoder().encode("harmless") })).raw;
        const error = await errorOfInfectedScan(
          probe,
          scanFile(env.cluster, { data: EICAR, name: "eicar.com" }),
        );
        expect((error as Error)?.name).toBe("ResultMismatchError");
        if (!cli) return;
        await using dir = await folder({ "other-eicar.com": `${EICAR_TEST_STRING} ` });
        const run = await runBuiltCli(["scan", dir.file("other-eicar.com")], { env: env.env });
        reportCliRun(probe, run, ["other-eicar.com"]);
        expect(run.code).toBe(2);
        expect(rowsOf(run)[0]?.error).toMatch(/another/);
      },
    );
  });

  it("library and CLI: a hash lookup answered with another file's clean result is ignored", async () => {
    await hostileCase(
      "evidence: lookup answered for another hash",
      { deadlineMs: 15_000 },
      async (probe) => {
        let clean: unknown;
        const isLookup = (a: UpstreamAnswer) => a.path === `/hash/${EICAR_SHA256}`;
        await using env = await lyingGateway((a) =>
          isLookup(a) && clean ? { json: clean } : undefined,
        );
        clean = (await scanFile(env.cluster, { data: new TextEncoder().encode("harmless too") }))
          .raw;
        const result = await scanFile(env.cluster, { data: EICAR, name: "eicar.com" });
        probe.infected(result.clean);
        expect(result).toMatchObject({ verdict: "infected", origin: "upload", fromCache: false });
        expect(result.lookup.status).toBe("failed");
        if (!cli) return;
        // The CLI sees the same lie for the same content, from a gateway that never saw EICAR.
        await using fresh = await lyingGateway((a) =>
          isLookup(a) && clean ? { json: clean } : undefined,
        );
        await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
        const run = await runBuiltCli(["scan", dir.file("eicar.com")], { env: fresh.env });
        reportCliRun(probe, run, ["eicar.com"]);
        expect(run.code).toBe(1);
        expect(rowsOf(run)[0]).toMatchObject({ verdict: "infected", from_cache: false });
      },
    );
  });
});
