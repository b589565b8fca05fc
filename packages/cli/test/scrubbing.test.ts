import { registerSecret } from "@mdkit/core";
import { describe, expect, it } from "vitest";
import { createContext } from "../src/context.js";
import { createRecordWriter, FORMATS } from "../src/output/index.js";
import { collector, run, startServer } from "./helpers.js";

const KEY = "env-apikey-3f9a1c77";
const PASSWORD = 'env pass "q\\uote" ~!é';

/** A value in the forms a server could write it in. */
const echoes = (secret: string) => [
  secret,
  JSON.stringify(secret).slice(1, -1),
  encodeURIComponent(secret),
  new URLSearchParams({ v: secret }).toString().slice(2),
  Buffer.from(`user:${secret}`).toString("base64"),
];

function contextWith(env: Record<string, string>) {
  const stdout = collector();
  const stderr = collector();
  const ctx = createContext({ stdout, stderr, env });
  return { ctx, stdout, stderr };
}

describe("the CLI's output is scrubbed, stdout as well as stderr", () => {
  it.each(FORMATS)("every format (%s) goes through the scrubbed writer", async (format) => {
    const { ctx, stdout } = contextWith({
      MDKIT_CLUSTER_APIKEY: `${KEY}\n`,
      MDKIT_CLUSTER_PASSWORD: PASSWORD,
    });
    const writer = createRecordWriter(format, ctx.out, { columns: ["name", "threats"] });
    for (const secret of [KEY, PASSWORD]) {
      for (const echo of echoes(secret))
        await writer.write({ name: `rule ${echo}`, threats: [echo] });
    }
    await writer.end();
    expect(stdout.text).toContain("[REDACTED]");
    for (const secret of [KEY, PASSWORD]) {
      for (const echo of echoes(secret).slice(0, 4)) expect(stdout.text).not.toContain(echo);
      expect(stdout.text).not.toContain(
        Buffer.from(`user:${secret}`).toString("base64").slice(8, -4),
      );
    }
  });

  it("scrubs secrets registered in the process (a session id a login obtained), not only the environment's", async () => {
    const { ctx, stdout, stderr } = contextWith({});
    const session = `session-${Date.now()}-7c1d`;
    registerSecret(session);
    await ctx.out(`{"name":"${session}"}\n`);
    ctx.err(`failed for ${encodeURIComponent(session)}\n`);
    ctx.io.stdout.write(`help mentioning ${session}\n`);
    expect(stdout.text).toBe('{"name":"[REDACTED]"}\nhelp mentioning [REDACTED]\n');
    expect(stderr.text).toBe("failed for [REDACTED]\n");
  });

  it("a table never shows part of a secret cut at the cell width", async () => {
    const { ctx, stdout } = contextWith({ MDKIT_CLUSTER_APIKEY: KEY });
    const writer = createRecordWriter("table", ctx.out, { columns: ["name"] });
    await writer.write({ name: `${"x".repeat(70)}${KEY}` });
    await writer.end();
    expect(stdout.text).not.toContain(KEY.slice(0, 6));
    expect(stdout.text).toContain("[REDACT");
  });

  it("trims every MDKIT_* value: a key read from a file with its newline works", async () => {
    await using server = await startServer();
    const result = await run(["rules", "--format", "json"], {
      env: {
        MDKIT_CLUSTER_URL: `${server.url}\n`,
        MDKIT_CLUSTER_APIKEY: "core-apikey-for-cli-tests\n",
      },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).length).toBeGreaterThan(0);
  });
});
