/**
 * The file system answers reads short, as a network or FUSE mount may
 * (`fixtures/short-read-hook.mjs` cuts every read of the scanned file to
 * 1000 bytes): the file is clean at its start and ends with EICAR. A reader
 * that takes a short read for the end of the file would hash, upload and
 * judge a clean prefix: a false clean. The library (in a child process) and
 * the built CLI must judge the whole file — infected — and upload exactly
 * its bytes, for a small file (read at once) and a 200 KiB one (streamed).
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { builtCliAvailable, hostileCase, runBuiltCli } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { folder, lyingGateway, reportCliRun, rowsOf } from "../evidence-setup.js";
import { scanInChild } from "../transport-setup.js";

const cli = builtCliAvailable("hostile short reads");
const HOOK = pathToFileURL(join(import.meta.dirname, "../fixtures/short-read-hook.mjs")).href;
/** Every read of the scanned file brings at most this many bytes. */
const CHUNK = 1000;
const honest = () => undefined;

/** Clean bytes (`prefixBytes` of them, several reads' worth), then EICAR. */
const infectedAtTheEnd = (prefixBytes: number) =>
  Buffer.concat([
    Buffer.from(randomBytes(prefixBytes).toString("hex").slice(0, prefixBytes)),
    Buffer.from(EICAR_TEST_STRING),
  ]);

/** The files, by the size of their clean start. */
const files: Array<[string, number]> = [
  ["a 3 KiB file (read at once)", 3 * 1024],
  ["a 200 KiB file (streamed)", 200 * 1024],
];

/**
 * A fresh folder holding a fresh file as `tail.bin` (new content each time,
 * so that no hash lookup answers for it and its bytes are read and sent),
 * and the environment that arms the hook.
 */
async function stage(prefixBytes: number) {
  const content = infectedAtTheEnd(prefixBytes);
  const dir = await folder({});
  const path = dir.file("tail.bin");
  await writeFile(path, content);
  return {
    path,
    content,
    env: {
      NODE_OPTIONS: `--import ${HOOK}`,
      MDKIT_HOSTILE_SHORT_READS: JSON.stringify({ path, chunk: CHUNK }),
    },
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
}

describe.skipIf(!cli)("reads come back short", () => {
  it.each(files)(
    "library (child process) and CLI: %s ending with EICAR",
    {
      timeout: 90_000,
    },
    async (label, prefixBytes) => {
      await hostileCase(
        `evidence: short reads, ${label}`,
        { deadlineMs: 20_000 },
        async (probe) => {
          await using gateway = await lyingGateway(honest);
          for (const hashFirst of [true, false]) {
            await using staged = await stage(prefixBytes);
            gateway.sim.state.reset();
            const outcome = await scanInChild(probe, gateway.gateway, 10_000, {
              path: staged.path,
              env: staged.env,
              hashFirst,
            });
            probe.infected(outcome.verdict === "clean");
            probe.peakRss(outcome.peakRssMb);
            expect(outcome).toMatchObject({ verdict: "infected" });
            // The whole file went up, once: not a prefix, not a read repeated.
            expect(gateway.sim.state.bytesReceived).toBe(staged.content.byteLength);
          }
          await using staged = await stage(prefixBytes);
          gateway.sim.state.reset();
          const run = await runBuiltCli(["scan", "--format", "jsonl", staged.path], {
            env: { ...gateway.env, ...staged.env },
          });
          reportCliRun(probe, run, ["tail.bin"]);
          expect(run.killed).toBe(false);
          expect(rowsOf(run)).toMatchObject([{ name: "tail.bin", verdict: "infected" }]);
          expect(run.code).not.toBe(0);
          expect(gateway.sim.state.bytesReceived).toBe(staged.content.byteLength);
        },
      );
    },
  );
});
