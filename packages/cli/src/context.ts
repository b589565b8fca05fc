import type { Command } from "commander";
import { CliError, debugJson, messageOf } from "./errors.js";
import { EXIT } from "./exit-codes.js";
import { type CliIo, scrubbedSink, type Writer, writerOf } from "./io.js";
import { secretScrubber, trimmedEnv } from "./secrets.js";

/** The options every command accepts (`mdkit --help`). */
export interface GlobalOptions {
  /** Base URL of the Cluster gateway, overriding `MDKIT_CLUSTER_URL`. */
  url?: string | undefined;
  /** Print the (redacted) JSON of an error besides its message. */
  debug?: boolean | undefined;
}

/** What a command's action gets: the run's streams, environment and signal. */
export interface Context {
  /**
   * The run's streams and environment: `MDKIT_*` values trimmed, and
   * stdout and stderr scrubbed of secrets (every write, whoever writes).
   */
  readonly io: CliIo;
  /** Writes results to stdout, with back-pressure, secrets scrubbed. */
  readonly out: Writer;
  /** Writes a line (or partial line) to stderr, secrets scrubbed. */
  readonly err: (text: string) => void;
  /** Replaces secrets of the environment and of the process's registry in a text. */
  readonly scrub: (text: string) => string;
  /** Aborted on SIGINT/SIGTERM; never aborted without `io.signal`. */
  readonly signal: AbortSignal;
  /** The exit code the run returns; set by the command that ran. */
  exitCode: number;
  /** `--debug` was given: print the redacted JSON of errors too. Set before the action runs. */
  debug: boolean;
  /** Prints an error: its message on one line, with `--debug` its redacted JSON. */
  reportError(error: unknown, prefix?: string): void;
  /**
   * Wraps a command's action: its resolved number becomes the exit code; an
   * error is printed as one line (with `--debug`, its redacted JSON) and
   * becomes exit code 2 (130 when interrupted).
   */
  // biome-ignore lint/suspicious/noExplicitAny: commander passes arguments, options and the command untyped
  action(run: (...args: any[]) => Promise<number>): (...args: unknown[]) => Promise<void>;
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
  const scrub = secretScrubber(env);
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
    reportError(error, prefix = "mdkit: ") {
      err(`${prefix}${messageOf(error)}\n`);
      if (context.debug && !(error instanceof CliError)) err(`${debugJson(error)}\n`);
    },
    action(run) {
      return async (...args) => {
        const command = args[args.length - 1] as Command;
        context.debug = globalsOf(command).debug === true;
        try {
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
