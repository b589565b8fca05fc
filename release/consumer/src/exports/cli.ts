// @mdkit/cli as a consumer sees it: `main()` runs the command line in-process.
import { type CliIo, EXIT, type ExitCode, main } from "@mdkit/cli";

export function version(io: CliIo): Promise<number> {
  return main(["--version"], io);
}
export const ok: ExitCode = EXIT.ok;
