#!/usr/bin/env node
/**
 * The `mdkit` executable: wires the process's streams, environment and
 * signals into {@link main} and exits with its code. Everything else lives in `main`.
 */
import { EXIT } from "./exit-codes.js";
import { main } from "./main.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // The first signal stops the run gracefully (scans are cancelled); a second one ends it now.
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error(`interrupted by ${signal}`));
  });
}
// A reader that went away (`mdkit scan ./inbox | head`): stop at once, as a process killed by
// SIGPIPE does (128 + 13); never 0, since the rest of the results were never seen.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(EXIT.brokenPipe);
  throw error;
});

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  signal: controller.signal,
});
// Exit once stdout has flushed: idle keep-alive sockets must not keep the process up.
process.stdout.write("", () => process.exit(code));
