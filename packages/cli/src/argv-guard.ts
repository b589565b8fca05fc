import { lstatSync } from "node:fs";
import { resolve } from "node:path";

/** Program options that take a value in the next argument (`--url <url>`). */
const PROGRAM_OPTIONS_WITH_VALUE = new Set(["--url"]);

const isUrlOption = (arg: string) => arg === "--url" || arg.startsWith("--url=");

/** Whether an entry named `name` exists in `cwd` (a link counts, even a dangling one). */
function existsIn(cwd: string, name: string): boolean {
  try {
    lstatSync(resolve(cwd, name));
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the command line must not be parsed, or `undefined` when it may be.
 *
 * A shell glob (`mdkit scan *`) expands to the names in a folder, and a file
 * named `--url=http://attacker` or `--fail-on=infected` would then read as an
 * option: the credentials would go to another server, or the gate would be
 * weakened. So, before parsing and before anything is sent:
 * - an argument that looks like an option (starts with `-`, is not `-`) and
 *   names an entry of the working directory is refused: it may come from a glob;
 * - `--url`, which decides where the credentials go, is accepted only before
 *   the command name (`mdkit --url <url> scan ...`), where no glob of the
 *   command's operands can land.
 * Arguments after `--` are operands and never checked: `mdkit scan -- *` and
 * `mdkit scan ./*` scan such files by name.
 */
export function refusedArgument(argv: readonly string[], cwd: string): string | undefined {
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") {
      command ??= arg;
      continue;
    }
    if (existsIn(cwd, arg)) {
      return `"${arg}" names a file in the current directory, so it may come from a shell glob: it was not taken as an option, and nothing was sent. Pass files after "--" (mdkit scan -- *) or as ./* (mdkit scan ./*), or rename the file`;
    }
    if (command !== undefined && isUrlOption(arg)) {
      return `--url goes before the command (mdkit --url <url> ${command} ...), so that a file named "--url=..." matched by a shell glob can never send your credentials elsewhere`;
    }
    if (command === undefined && PROGRAM_OPTIONS_WITH_VALUE.has(arg)) i++;
  }
  return undefined;
}
