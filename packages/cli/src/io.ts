/**
 * What the CLI reads and writes: the process's streams in `bin.ts`,
 * collectors in tests, so that `main()` runs in-process.
 */

/** A text stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface TextSink {
  /** Writes text; `false` asks the writer to wait for `drain` (back-pressure). */
  write(chunk: string): boolean;
  /** Whether this is a terminal: decides the default format and live progress. */
  isTTY?: boolean | undefined;
  /** Width of the terminal, when it is one. */
  columns?: number | undefined;
  /** Waits for `drain` after a `write` returned `false`. */
  once?(event: "drain", listener: () => void): unknown;
}

/** The streams, environment and cancellation of one CLI run. */
export interface CliIo {
  /** Results (tables, JSON, CSV, YAML), nothing else. */
  stdout: TextSink;
  /** Errors, warnings and live progress. */
  stderr: TextSink;
  /** Environment variables (`MDKIT_*`). */
  env: Record<string, string | undefined>;
  /** Standard input, read when a path is `-`. */
  stdin?: NodeJS.ReadableStream | ReadableStream<Uint8Array> | undefined;
  /**
   * Aborts the run (SIGINT/SIGTERM in `bin.ts`): scans are cancelled, the
   * simulator stops. Without it, `mdkit simulator` runs until the process ends.
   */
  signal?: AbortSignal | undefined;
}

/** Writes to a sink, waiting for `drain` when the sink asks for it. */
export type Writer = (text: string) => Promise<void>;

/** A {@link Writer} for `sink` that honours back-pressure, so long outputs never pile up in memory. */
export function writerOf(sink: TextSink): Writer {
  return (text) => {
    if (sink.write(text) !== false || !sink.once) return Promise.resolve();
    return new Promise<void>((resolve) => sink.once?.("drain", resolve));
  };
}

/**
 * A sink that scrubs every chunk with `scrub` before writing it to `sink`
 * (terminal properties and back-pressure pass through). Every writer of the
 * CLI writes whole records or lines per chunk, so a secret is never split
 * across two writes.
 */
export function scrubbedSink(sink: TextSink, scrub: (text: string) => string): TextSink {
  return {
    write: (chunk) => sink.write(scrub(chunk)),
    get isTTY() {
      return sink.isTTY;
    },
    get columns() {
      return sink.columns;
    },
    ...(sink.once ? { once: (event, listener) => sink.once?.(event, listener) } : {}),
  };
}
