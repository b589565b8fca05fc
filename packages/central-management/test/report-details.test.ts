/**
 * reportDetails: a refusal before the body starts is waited out; a body
 * that fails once records have arrived is a typed error, never a short list.
 */
import { type ManualClock, manualClock } from "@mdkit/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createCentralManagementClient,
  MalformedResponseError,
  NetworkError,
  reportDetails,
} from "../src/index.js";

let clock: ManualClock;
beforeEach(() => {
  clock = manualClock();
});

const records = Array.from({ length: 250 }, (_, i) => ({ id: `d${i}`, file_name: `f${i}.txt` }));

/** A body of `text` in small chunks, optionally failing after it. */
function body(text: string, failAtEnd = false): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        if (failAtEnd) controller.error(new TypeError("terminated"));
        else controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + 1_000));
      offset += 1_000;
    },
  });
}

function server(...answers: Array<() => Response>) {
  let sent = 0;
  const fetch = async () => (answers[Math.min(sent++, answers.length - 1)] as () => Response)();
  const cm = createCentralManagementClient({
    baseUrl: "http://cm.test",
    fetch,
    clock,
    retry: { random: () => 0 },
  });
  return { cm, sent: () => sent };
}

const refused = (status: 429 | 503) => () =>
  Response.json({ error: "busy" }, { status, headers: { "retry-after": "2" } });
const ok =
  (text: string, failAtEnd = false) =>
  () =>
    new Response(body(text, failAtEnd), { headers: { "content-type": "application/json" } });

async function read(cm: ReturnType<typeof server>["cm"]) {
  const out: unknown[] = [];
  for await (const r of reportDetails(cm, "/o/pmp/v1/reports/details", { session_id: "s1" }))
    out.push(r);
  return out;
}

describe("reportDetails", () => {
  it.each([429, 503] as const)(
    "waits out a %i before the body starts and yields every record",
    async (status) => {
      const { cm, sent } = server(refused(status), ok(JSON.stringify(records)));
      const started = clock.now();
      const got = await clock.run(read(cm));
      expect(got).toEqual(records);
      expect(sent()).toBe(2);
      expect(clock.now() - started).toBe(2_000);
    },
  );

  it("is a MalformedResponseError, not a short list, when the array ends early", async () => {
    const cut = JSON.stringify(records).slice(0, 5_000);
    const { cm } = server(ok(cut));
    const seen: unknown[] = [];
    const error = await clock
      .run(
        (async () => {
          for await (const r of reportDetails(cm, "/o/pmp/v1/reports/details", {
            session_id: "s1",
          }))
            seen.push(r);
        })(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/getPmpReportDetails.*incomplete/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(records.length);
  });

  it("is a NetworkError when the connection breaks mid-body", async () => {
    const { cm } = server(ok(JSON.stringify(records).slice(0, 3_000), true));
    const error = await clock.run(read(cm)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it("is a MalformedResponseError for a 200 without a body or with something else than an array", async () => {
    for (const answer of [() => new Response(null), ok('{"records": []}')]) {
      const { cm } = server(answer);
      expect(await clock.run(read(cm)).catch((e: unknown) => e)).toBeInstanceOf(
        MalformedResponseError,
      );
    }
  });
});
