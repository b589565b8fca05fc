/** The exit codes of `mdkit`, the same for every command. */
export const EXIT = {
  /** Everything succeeded and every file is clean. */
  ok: 0,
  /** A verdict matched `--fail-on` (by default: a file is not clean). */
  verdict: 1,
  /** A usage or configuration error, or a file or request failed: the answer is unknown. */
  failure: 2,
  /** Interrupted by SIGINT/SIGTERM. */
  interrupted: 130,
  /** Stdout was closed by its reader (128 + SIGPIPE): the rest of the output was never seen. */
  brokenPipe: 141,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
