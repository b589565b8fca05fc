import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configDir } from "../src/settings/config-dir.js";
import { jsonl, run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

const SECRET = "canary-profile-password-8f2e41";

describe("profiles, mdkit config and mdkit login", () => {
  it("login checks the credentials first: a refused password saves nothing", async () => {
    await using dir = await tempFiles({});
    const env = { MDKIT_CONFIG_DIR: dir.path };
    const refused = await run(
      ["--url", server.url, "login", "--user", "admin", "--password-stdin"],
      {
        env,
        stdin: `${SECRET}\n`,
      },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the user name or password/);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(SECRET);
    await expect(readFile(join(dir.path, "config.json"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("login saves accepted credentials owner-only; commands use them; env and flags win", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const configDirectory = join(dir.path, "conf");
    const env = { MDKIT_CONFIG_DIR: configDirectory };
    const login = await run(["--url", server.url, "login", "--user", "admin", "--password-stdin"], {
      env,
      stdin: "admin\n",
    });
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/accepted user admin; saved in profile "default"/);
    const file = join(configDirectory, "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(configDirectory).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, "utf8")).profiles.default).toEqual({
      "cluster-url": server.url,
      "cluster-user": "admin",
      "cluster-password": "admin",
    });

    const scan = await run(["scan", dir.file("a.txt")], { env });
    expect(scan.code).toBe(0);
    expect(jsonl(scan.stdout)[0]).toMatchObject({ verdict: "clean" });

    // An environment variable wins over the profile, and --url over both.
    const envWins = await run(["rules"], {
      env: { ...env, MDKIT_CLUSTER_URL: "http://127.0.0.1:9" },
    });
    expect(envWins.code).toBe(2);
    expect(envWins.stderr).toMatch(/is the gateway running at http:\/\/127\.0\.0\.1:9\?/);
    const flagWins = await run(["--url", server.url, "rules"], {
      env: { ...env, MDKIT_CLUSTER_URL: "http://127.0.0.1:9" },
    });
    expect(flagWins.code).toBe(0);
  });

  it("config set/get/list/unset: secrets from standard input, never printed", async () => {
    await using dir = await tempFiles({});
    const env = { MDKIT_CONFIG_DIR: dir.path };
    expect((await run(["config", "set", "cluster-url", server.url], { env })).code).toBe(0);
    expect(
      (await run(["config", "set", "cluster-password"], { env, stdin: `${SECRET}\n` })).code,
    ).toBe(0);
    expect((await run(["config", "get", "cluster-url"], { env })).stdout).toBe(`${server.url}\n`);
    const secret = await run(["config", "get", "cluster-password"], { env });
    expect(secret.stdout).toBe("(secret, set)\n");
    const list = await run(["config", "list", "--format", "json"], {
      env: { ...env, MDKIT_CLUSTER_USER: "someone" },
    });
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.key === "cluster-url")).toMatchObject({
      value: server.url,
      source: "profile default",
    });
    expect(rows.find((r) => r.key === "cluster-user")).toMatchObject({
      value: "someone",
      source: "env MDKIT_CLUSTER_USER",
    });
    expect(rows.find((r) => r.key === "cluster-password")).toMatchObject({
      value: "(secret, set)",
    });
    expect(list.stdout).not.toContain(SECRET);
    expect((await run(["config", "unset", "cluster-url"], { env })).code).toBe(0);
    expect((await run(["config", "get", "cluster-url"], { env })).code).toBe(2);
    const unknown = await run(["config", "set", "clustr-url", "x"], { env });
    expect(unknown.stderr).toMatch(/unknown setting "clustr-url"; the settings are: cluster-url/);
    const badUrl = await run(["config", "set", "cluster-url", "gateway:8899"], { env });
    expect(badUrl.stderr).toMatch(/cluster-url is not an http\(s\) URL/);
  });

  it("--profile and MDKIT_PROFILE choose the profile; a profile named that does not exist is an error", async () => {
    await using dir = await tempFiles({});
    const env = { MDKIT_CONFIG_DIR: dir.path };
    await run(["--profile", "eu", "config", "set", "cm-region", "eu"], { env });
    expect(
      (await run(["config", "get", "cm-region"], { env: { ...env, MDKIT_PROFILE: "eu" } })).stdout,
    ).toBe("eu\n");
    const missing = await run(["--profile", "nope", "rules"], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no profile "nope" in .*config\.json \(profiles: eu\)/);
  });

  it("login cm checks the client with a token before saving it", async () => {
    await using dir = await tempFiles({});
    const env = { MDKIT_CONFIG_DIR: dir.path };
    const bad = await run(
      ["login", "cm", "--client-id", "mdkit-demo", "--secret-stdin", "--cm-url", server.url],
      {
        env,
        stdin: `${SECRET}\n`,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Central Management refused the client id or secret/);
    expect(bad.stderr).not.toContain(SECRET);
    const good = await run(
      ["login", "cm", "--client-id", "mdkit-demo", "--secret-stdin", "--cm-url", server.url],
      {
        env,
        stdin: "mdkit-demo-secret\n",
      },
    );
    expect(good.code).toBe(0);
    expect((await run(["cm", "kiosks"], { env })).code).toBe(0);
  });

  it("the configuration directory follows the platform", () => {
    const home = () => "/home/u";
    expect(configDir({}, "linux", home)).toBe("/home/u/.config/mdkit");
    expect(configDir({ XDG_CONFIG_HOME: "/x" }, "linux", home)).toBe("/x/mdkit");
    expect(configDir({}, "darwin", home)).toBe("/home/u/Library/Application Support/mdkit");
    expect(configDir({ APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32", home)).toMatch(
      /Roaming.mdkit$/,
    );
    expect(configDir({ MDKIT_CONFIG_DIR: "/override" }, "linux", home)).toBe("/override");
  });
});
