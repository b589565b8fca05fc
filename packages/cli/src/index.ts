/**
 * `mdkit`, the command line of mdkit: scan files, directories and standard
 * input with the MetaDefender Cluster gateway, look hashes up, run batches
 * with verified certificates, download sanitized files, stream Central
 * Management reports, reach an on-premise Core through a direct connection,
 * and run the simulator. Scriptable: results on stdout in table, JSON, JSON
 * Lines, CSV or YAML; errors and progress on stderr; honest exit codes.
 * `main()` runs the command line in-process (it never calls `process.exit`).
 *
 * @module @mdkit/cli
 */
export { EXIT, type ExitCode } from "./exit-codes.js";
export type { CliIo, TextSink } from "./io.js";
export { main } from "./main.js";
