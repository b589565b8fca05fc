// Where Redis is: URLs and socket paths become ioredis options; a password in them never shows.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { QueueError, QueueInputError, redisOptionsOf } from "../src/index.js";

describe("redisOptionsOf", () => {
  it("reads host, port, user, password, database and TLS from a URL", () => {
    expect(redisOptionsOf("rediss://worker:p%40ss-w0rd-1@redis.internal:6380/3")).toEqual({
      host: "redis.internal",
      port: 6380,
      username: "worker",
      password: "p@ss-w0rd-1",
      db: 3,
      tls: {},
    });
    expect(redisOptionsOf("redis://127.0.0.1")).toEqual({ host: "127.0.0.1", port: 6379 });
  });

  it("takes socket paths, bare or as unix:// URLs", () => {
    expect(redisOptionsOf("/run/redis/redis.sock")).toEqual({ path: "/run/redis/redis.sock" });
    expect(redisOptionsOf("unix:///run/redis.sock")).toEqual({ path: "/run/redis.sock" });
  });

  it("refuses what is not Redis, naming the forms it takes", () => {
    expect(() => redisOptionsOf("http://127.0.0.1:6379")).toThrow(QueueInputError);
    expect(() => redisOptionsOf("localhost 6379")).toThrow(/redis:\/\/127\.0\.0\.1:6379/);
  });

  it("registers the password, so an error that quotes it (in any encoding) shows it redacted", () => {
    const password = "queue-canary-7f3a9c";
    redisOptionsOf(`redis://:${password}@127.0.0.1:6379`);
    redisOptionsOf({ host: "127.0.0.1", password: "queue-canary-options-51d2" });
    const error = new QueueError(
      `NOAUTH for ${password}, ${encodeURIComponent(`${password} `)}, ${Buffer.from(password).toString("base64")} and queue-canary-options-51d2`,
    );
    for (const shown of [error.message, String(error), inspect(error), JSON.stringify(error)]) {
      expect(shown).not.toContain(password);
      expect(shown).not.toContain(Buffer.from(password).toString("base64"));
      expect(shown).not.toContain("queue-canary-options-51d2");
    }
  });
});
