import { execFileSync } from "node:child_process";
import { symlink, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusedArgument } from "../src/argv-guard.js";
import { EICAR, jsonl, run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

describe("arguments a shell glob may have made", () => {
  it("refuses an option-looking argument that names a file of the working directory", async () => {
    await using dir = await tempFiles({ "a.txt": "a" });
    await writeFile(dir.file("--url=http:attacker.example"), "x");
    await writeFile(dir.file("--fail-on=infected"), "x");
    const refused = (...argv: string[]) => refusedArgument(argv, dir.path);
    expect(refused("scan", "--url=http:attacker.example", "a.txt")).toMatch(
      /"--url=http:attacker\.example" names a file in the current directory.*nothing was sent.*mdkit scan -- \*/,
    );
    expect(refused("scan", "a.txt", "--fail-on=infected")).toMatch(/names a file/);
    // After "--" every argument is an operand; options that name no file are options.
    expect(refused("scan", "--", "--url=http:attacker.example", "a.txt")).toBeUndefined();
    expect(refused("scan", "a.txt", "--fail-on", "infected", "--format", "json")).toBeUndefined();
    expect(refused("scan", "-", "--rule", "multiscan")).toBeUndefined();
  });

  it("accepts --url only before the command name", () => {
    const cwd = "/nonexistent-mdkit-dir";
    expect(refusedArgument(["--url", "http://gw", "scan", "a"], cwd)).toBeUndefined();
    expect(refusedArgument(["--url=http://gw", "--debug", "scan", "a"], cwd)).toBeUndefined();
    expect(refusedArgument(["scan", "a", "--url", "http://elsewhere"], cwd)).toMatch(
      /--url goes before the command \(mdkit --url <url> scan/,
    );
    expect(refusedArgument(["rules", "--url=http://elsewhere"], cwd)).toMatch(/goes before/);
  });

  it("the refusal happens before anything is sent: exit 2, the gateway sees no request", async () => {
    const before = server.sim.state.requestCount("login");
    const { code, stderr, stdout } = await run(["scan", "x.txt", "--url", server.url], {
      env: server.env,
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/--url goes before the command/);
    expect(server.sim.state.requestCount("login")).toBe(before);
  });
});

describe("entries of a folder that are not scanned", () => {
  it("a symbolic link and a FIFO are rows that fail the run (exit 2)", async () => {
    await using dir = await tempFiles({ "ok.txt": unique("ok"), "eicar.com": EICAR });
    await symlink(dir.file("ok.txt"), dir.file("link.txt"));
    execFileSync("mkfifo", [dir.file("pipe")]);
    const { code, stdout, stderr } = await run(["scan", dir.path], { env: server.env });
    expect(code).toBe(2);
    const rows = Object.fromEntries(
      jsonl(stdout).map((r) => [String(r.path).slice(dir.path.length + 1), r]),
    );
    expect(Object.keys(rows).sort()).toEqual(["eicar.com", "link.txt", "ok.txt", "pipe"]);
    expect(rows["eicar.com"]?.verdict).toBe("infected");
    expect(rows["link.txt"]).toMatchObject({
      verdict: "error",
      error: expect.stringMatching(/not scanned: it is a symbolic link.*--allow-skipped/),
    });
    expect(rows.pipe).toMatchObject({ verdict: "error", error: expect.stringMatching(/a FIFO/) });
    expect(stderr).toMatch(/link\.txt was not scanned/);
  });

  it("--allow-skipped lists them on stderr and judges the rest", async () => {
    await using dir = await tempFiles({ "ok.txt": unique("ok") });
    await symlink(dir.file("ok.txt"), dir.file("link.txt"));
    const { code, stdout, stderr } = await run(["scan", dir.path, "--allow-skipped"], {
      env: server.env,
    });
    expect(code).toBe(0);
    expect(jsonl(stdout).map((r) => r.verdict)).toEqual(["clean"]);
    expect(stderr).toMatch(/link\.txt was not scanned: it is a symbolic link/);
  });
});
