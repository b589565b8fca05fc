import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COMMANDS, commandNamesOf } from "../src/commands/registry.js";
import { run, tempFiles } from "./helpers.js";

/** What the bash completion offers for a command line (the last word is being completed). */
async function bashComplete(script: string, words: string[]): Promise<string[]> {
  await using dir = await tempFiles({});
  const file = dir.file("mdkit.bash");
  await writeFile(file, script);
  const line = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _mdkit; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const child = spawn("bash", ["--norc", "-c", line], { cwd: dir.path });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  await new Promise((resolve) => child.on("close", resolve));
  return out.split("\n").filter(Boolean);
}

describe("mdkit completion", () => {
  it("bash completes commands, subcommands, options and their choices", async () => {
    const { code, stdout } = await run(["completion", "bash"]);
    expect(code).toBe(0);
    expect(await bashComplete(stdout, ["mdkit", "sc"])).toEqual(["scan"]);
    expect(await bashComplete(stdout, ["mdkit", "cm", "re"])).toEqual(["reports"]);
    expect(await bashComplete(stdout, ["mdkit", "cm", "reports", "c"])).toEqual(["core"]);
    expect(await bashComplete(stdout, ["mdkit", "scan", "--only-f"])).toEqual(["--only-flagged"]);
    expect((await bashComplete(stdout, ["mdkit", "scan", "--format", ""])).sort()).toEqual([
      "csv",
      "json",
      "jsonl",
      "junit",
      "sarif",
      "table",
      "yaml",
    ]);
  });

  it("zsh and fish scripts name every command", async () => {
    for (const shell of ["zsh", "fish"]) {
      const { code, stdout } = await run(["completion", shell]);
      expect(code).toBe(0);
      for (const command of COMMANDS) expect(stdout).toContain(command.name);
    }
    expect((await run(["completion", "zsh"])).stdout).toMatch(/^#compdef mdkit/);
    expect((await run(["completion", "fish"])).stdout).toMatch(
      /complete -c mdkit -n '__fish_seen_subcommand_from scan' -l only-flagged/,
    );
  });
});

describe("commands loaded on use", () => {
  it("each command is one entry of the registry, listed by --help without being loaded", async () => {
    const help = await run(["--help"]);
    for (const command of COMMANDS) {
      expect(help.stdout).toContain(command.name);
      expect(help.stdout).toContain(command.description.slice(0, 30));
      expect(typeof (await command.load())).toBe("function");
    }
  });

  it("finds the command a command line runs, past the program's options", () => {
    expect(commandNamesOf(["--url", "http://x", "--debug", "scan", "a"])).toEqual(["scan"]);
    expect(commandNamesOf(["--profile", "eu", "cm", "reports"])).toEqual(["cm"]);
    expect(commandNamesOf(["help", "batch"])).toEqual(["help", "batch"]);
    expect(commandNamesOf(["--version"])).toEqual([]);
  });

  it("a misspelled command gets a suggestion", async () => {
    const result = await run(["scna"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean scan\?/);
  });
});
