/**
 * Runs `mdkit` in-process (its `main`, with collecting streams), for the
 * cases that drive the CLI without a build; the built executable is run
 * with `runBuiltCli` from `@mdkit/testing/hostile`.
 */
import { main } from "@mdkit/cli";

/** What one in-process run printed and returned. */
export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mdkit <argv>` with exactly `env`, collecting stdout and stderr. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<InProcessRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: {
      write: (chunk) => {
        stdout += chunk;
        return true;
      },
    },
    stderr: {
      write: (chunk) => {
        stderr += chunk;
        return true;
      },
    },
    env,
  });
  return { code, stdout, stderr };
}
