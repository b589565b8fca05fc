/**
 * The two ways the hostile cases drive `mdkit`: in-process (its `main`,
 * with collecting streams; no build needed) and the built executable
 * (`runBuiltCli`; left out, with a printed reason, when it is not built).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@mdkit/cli";
import { builtCliAvailable, type HostileProbe, runBuiltCli } from "@mdkit/testing/hostile";

/** What one run printed and returned. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One way of running the CLI. */
export interface CliRunner {
  /** Named in the case's title and record. */
  name: string;
  /** How long a case running it may take (a child process starts slower). */
  deadlineMs: number;
  /** Runs `mdkit <argv>` with `env` (and no user profile). */
  run(argv: readonly string[], env: Record<string, string | undefined>): Promise<CliOutcome>;
}

/**
 * `env` with a configuration directory that does not exist, unless the case
 * gives one: a run never reads the profiles of the machine's user, so what a
 * case sees comes from the case alone.
 */
function isolated(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { MDKIT_CONFIG_DIR: join(tmpdir(), "mdkit-hostile-no-config-dir"), ...env };
}

/** Runs `mdkit <argv>` in-process with `env` (and no user profile), collecting stdout and stderr. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<CliOutcome> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (chunk: string) => void) => ({
    write: (chunk: string) => {
      append(chunk);
      return true;
    },
  });
  const code = await main(argv, {
    stdout: sink((chunk) => {
      stdout += chunk;
    }),
    stderr: sink((chunk) => {
      stderr += chunk;
    }),
    env: isolated(env),
  });
  return { code, stdout, stderr };
}

/** The in-process CLI, and the built one when it exists. */
export const CLI_RUNNERS: readonly CliRunner[] = [
  { name: "CLI in-process", deadlineMs: 10_000, run: runCli },
  ...(builtCliAvailable("hostile")
    ? [
        {
          name: "built CLI",
          deadlineMs: 15_000,
          run: (argv: readonly string[], env: Record<string, string | undefined>) =>
            runBuiltCli(argv, { env: isolated(env) }),
        },
      ]
    : []),
];

/** Runs the CLI and reports both of its streams to the probe. */
export async function runAndReport(
  cli: CliRunner,
  probe: HostileProbe,
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<CliOutcome> {
  const outcome = await cli.run(argv, env);
  probe.output(`${argv[0]}.stdout`, outcome.stdout);
  probe.output(`${argv[0]}.stderr`, outcome.stderr);
  return outcome;
}
