import type { Command } from "commander";
import { CliError, debugJson } from "./errors.js";
import { EXIT } from "./exit-codes.js";
import { explain } from "./explain/explain.js";
import type { Target } from "./explain/target.js";
import { type CliIo, scrubbedSink, type Writer, writerOf } from "./io.js";
import { secretScrubber, trimmedEnv } from "./secrets.js";
import { type AppliedProfile, applyProfile, settingName } from "./settings/profile.js";

/** The options every command accepts (`mdkit --help`). */
export interface GlobalOptions {
  /** Base URL of the Cluster gateway, overriding `MDKIT_CLUSTER_URL`. */
  url?: string | undefined;
  /** The settings profile, overriding `MDKIT_PROFILE`. */
  profile?: string | undefined;
  /** Print the (redacted) JSON of an error besides its message. */
  debug?: boolean | undefined;
}

/** How a command uses the profile. */
export interface ActionOptions {
  /** The command writes the profile (`config set`, `login`): a profile named that does not exist yet is not an error. */
  createsProfile?: boolean | undefined;
}

/** What a command's action gets: the run's streams, environment and signal. */
export interface Context {
  /**
   * The run's streams and environment: `MDKIT_*` values trimmed (and, once
   * the action runs, completed from the profile), and stdout and stderr
   * scrubbed of secrets (every write, whoever writes).
   */
  readonly io: CliIo;
  /** Writes results to stdout, with back-pressure, secrets scrubbed. */
  readonly out: Writer;
  /** Writes a line (or partial line) to stderr, secrets scrubbed. */
  readonly err: (text: string) => void;
  /** Replaces secrets of the environment, the profile and the process's registry in a text. */
  readonly scrub: (text: string) => string;
  /** Aborted on SIGINT/SIGTERM; never aborted without `io.signal`. */
  readonly signal: AbortSignal;
  /** The exit code the run returns; set by the command that ran. */
  exitCode: number;
  /** `--debug` was given: print the redacted JSON of errors too. Set before the action runs. */
  debug: boolean;
  /** The profile applied to the environment (set before the action runs). */
  profile: AppliedProfile | undefined;
  /** What the command talks to, for error messages that name the setting to fix. */
  target: Target | undefined;
  /** How a message names the setting of an `MDKIT_*` variable (the variable, or its profile key). */
  settingName(variable: string): string;
  /** The one-line message of an error, naming the fix where one is known. */
  messageOf(error: unknown): string;
  /** Prints an error: its message on one line, with `--debug` its redacted JSON. */
  reportError(error: unknown, prefix?: string): void;
  /**
   * Wraps a command's action: the profile is applied first; its resolved
   * number becomes the exit code; an error is printed as one line (with
   * `--debug`, its redacted JSON) and becomes exit code 2 (130 when interrupted).
   */
  action(
    // biome-ignore lint/suspicious/noExplicitAny: commander passes arguments, options and the command untyped
    run: (...args: any[]) => Promise<number>,
    options?: ActionOptions,
  ): (...args: unknown[]) => Promise<void>;
}

/** The global options as seen from any (sub)command. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/**
 * Creates the context of one run of `main`. Every byte the run writes goes
 * through the scrubbed sinks made here: the one place where output of any
 * format (and of formats added later) is scrubbed.
 */
export function createContext(given: CliIo): Context {
  const env = trimmedEnv(given.env);
  // Rebuilt once the profile is applied: its secrets are scrubbed too, however short.
  let redact = secretScrubber(env);
  const scrub = (text: string) => redact(text);
  const io: CliIo = {
    ...given,
    env,
    stdout: scrubbedSink(given.stdout, scrub),
    stderr: scrubbedSink(given.stderr, scrub),
  };
  const err = (text: string) => {
    io.stderr.write(text);
  };
  const signal = io.signal ?? new AbortController().signal;
  const context: Context = {
    io,
    out: writerOf(io.stdout),
    err,
    scrub,
    signal,
    exitCode: EXIT.ok,
    debug: false,
    profile: undefined,
    target: undefined,
    settingName: (variable) => settingName(variable, context.profile),
    messageOf(error) {
      if (error instanceof CliError) return error.message;
      return explain(error, context.target).message;
    },
    reportError(error, prefix = "mdkit: ") {
      err(`${prefix}${context.messageOf(error)}\n`);
      if (context.debug && !(error instanceof CliError)) err(`${debugJson(error)}\n`);
    },
    action(run, options = {}) {
      return async (...args) => {
        const command = args[args.length - 1] as Command;
        const globals = globalsOf(command);
        context.debug = globals.debug === true;
        try {
          context.profile = await applyProfile(
            env,
            globals.profile,
            (warning) => err(`mdkit: ${warning}\n`),
            options.createsProfile === true,
          );
          redact = secretScrubber(env);
          context.exitCode = await run(...args);
        } catch (error) {
          context.reportError(error);
          context.exitCode = signal.aborted ? EXIT.interrupted : EXIT.failure;
        }
      };
    },
  };
  return context;
}
