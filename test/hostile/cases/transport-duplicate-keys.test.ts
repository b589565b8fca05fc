/**
 * A gateway (or something between) that repeats a key: the overall result
 * says "infected" and then "clean" in the same object. `JSON.parse` keeps the
 * last one; mdkit refuses the body, so the file is never reported clean.
 */
import { MalformedResponseError } from "@mdkit/cluster";
import { type ScanResult, scanFile } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  finishedResult,
  HOSTILE_DATA_ID,
  type HostileHandler,
  hostileCase,
  sendJson,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_SKIP, clientOf, cliScan, gatewayWith } from "../transport-setup.js";

/** A finished result whose overall code is 1 (infected), then 0 (clean), in one object. */
const twoAnswers = (dataId: string) =>
  `{"data_id":"${dataId}","scan_results":{"data_id":"${dataId}","scan_all_result_i":1,"scan_all_result_a":"Infected","progress_percentage":100,"scan_details":{"E1":{"threat_found":"EICAR-Test-File","scan_result_i":1}},"scan_all_result_i":0,"scan_all_result_a":"No Threat Detected"},"process_info":{"progress_percentage":100,"result":"Blocked","result":"Allowed"}}`;

const sendTwoAnswers =
  (dataId: string): HostileHandler =>
  (_request, response) => {
    const body = twoAnswers(dataId);
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  };

describe("duplicate keys in a result", () => {
  it("are never read as clean when polled (library)", async () => {
    await hostileCase(
      "transport: duplicate keys in the polled result (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await gatewayWith({ result: sendTwoAnswers(HOSTILE_DATA_ID) });
        const outcome = await scanFile(clientOf(gateway), new Blob([EICAR_TEST_STRING]), {
          hashFirst: false,
          timeoutMs: 5_000,
          maxTransientErrors: 2,
        }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        if ("error" in outcome) probe.error("scanFile", outcome.error);
        probe.infected("result" in outcome && outcome.result.clean);
        expect((outcome as { error?: unknown }).error).toBeInstanceOf(MalformedResponseError);
        expect(String((outcome as { error?: Error }).error?.message)).toMatch(
          /duplicate key "scan_all_result_i"/,
        );
      },
    );
  });

  it("are never read as clean from a hash lookup (library)", async () => {
    await hostileCase(
      "transport: duplicate keys in a hash lookup (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        // The lookup's answer is refused; the file is uploaded and its own analysis (infected) decides.
        const gateway = await gatewayWith({
          hash: sendTwoAnswers("cached-1"),
          result: (_request, response) =>
            sendJson(response, 200, finishedResult(HOSTILE_DATA_ID, 1)),
        });
        const outcome = await scanFile(clientOf(gateway), new Blob([EICAR_TEST_STRING]), {
          timeoutMs: 5_000,
        }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        if ("error" in outcome) probe.error("scanFile", outcome.error);
        probe.infected("result" in outcome && outcome.result.clean);
        expect("result" in outcome && outcome.result.clean).toBe(false);
        const result = (outcome as { result: ScanResult }).result;
        expect(result).toMatchObject({ verdict: "infected", origin: "upload" });
        const { lookup } = result as { lookup: { status: string; error?: Error } };
        expect(lookup.status).toBe("failed");
        expect(lookup.error).toBeInstanceOf(MalformedResponseError);
        expect(String(lookup.error?.message)).toMatch(/duplicate key "scan_all_result_i"/);
      },
    );
  });

  it.skipIf(CLI_SKIP)("are never reported clean by the built CLI", async () => {
    await hostileCase(
      "transport: duplicate keys in the polled result (cli)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await gatewayWith({ result: sendTwoAnswers(HOSTILE_DATA_ID) });
        const run = await cliScan(
          probe,
          gateway,
          ["--no-hash-first", "--timeout", "5000"],
          EICAR_TEST_STRING,
        );
        probe.infected(/"verdict":\s*"clean"/.test(run.stdout) || run.code === 0);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/duplicate key "scan_all_result_i"/);
      },
    );
  });
});
