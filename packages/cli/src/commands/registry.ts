/**
 * The commands of `mdkit`, one entry each: a name and a description for the
 * help listing, and a loader that imports the command's module only when the
 * command runs (or when completion needs every command). Adding a command is
 * adding an entry here; nothing else imports command modules.
 */
import type { Command } from "commander";
import type { Context } from "../context.js";

/** Registers a command (its options, arguments, help and action) on the program. */
export type RegisterCommand = (program: Command, ctx: Context) => void;

/** One command of `mdkit`. */
export interface CommandEntry {
  /** The command's name, as typed (`mdkit <name>`). */
  readonly name: string;
  /** One line for `mdkit --help`, shown without loading the command. */
  readonly description: string;
  /** Imports the command's module and returns its registration function. */
  readonly load: () => Promise<RegisterCommand>;
}

/** Every command, in the order `mdkit --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "scan",
    description: "scan files, directories and standard input with the Cluster gateway",
    load: async () => (await import("./scan.js")).registerScan,
  },
  {
    name: "hash",
    description: "look files up by MD5, SHA-1, SHA-256 or SHA-512 without uploading them",
    load: async () => (await import("./hash.js")).registerHash,
  },
  {
    name: "rules",
    description: "list the gateway's rules and their file size limits",
    load: async () => (await import("./rules.js")).registerRules,
  },
  {
    name: "batch",
    description: "scan files as one batch; its verdict comes from its signed result",
    load: async () => (await import("./batch.js")).registerBatch,
  },
  {
    name: "download",
    description: "download the sanitized version of a scanned file",
    load: async () => (await import("./download.js")).registerDownload,
  },
  {
    name: "cm",
    description: "My OPSWAT Central Management: reports, Kiosk devices, Core instances",
    load: async () => (await import("./cm.js")).registerCm,
  },
  {
    name: "core",
    description:
      "scan with, or list the rules of, an on-premise MetaDefender Core through a direct connection",
    load: async () => (await import("./core.js")).registerCore,
  },
  {
    name: "queue",
    description:
      "a durable scan queue in Redis shared by many workers (queue add|work|status|results; needs @mdkit/queue)",
    load: async () => (await import("./queue.js")).registerQueue,
  },
  {
    name: "login",
    description: "check gateway or Central Management credentials, then save them in a profile",
    load: async () => (await import("./login.js")).registerLogin,
  },
  {
    name: "config",
    description: "show and change the settings of a profile (config set|get|unset|list|path)",
    load: async () => (await import("./config.js")).registerConfig,
  },
  {
    name: "completion",
    description: "print a shell completion script (bash, zsh or fish)",
    load: async () => (await import("./completion.js")).registerCompletion,
  },
  {
    name: "simulator",
    description:
      "run the simulated Cluster gateway and Central Management over HTTP (needs @mdkit/simulator)",
    load: async () => (await import("./simulator.js")).registerSimulator,
  },
];

/** Program options that take a value in the next argument. */
const PROGRAM_OPTIONS_WITH_VALUE = new Set(["--url", "--profile"]);

/**
 * The names of the commands a command line runs: the first operand (program
 * options and their values skipped), and for `mdkit help <name>`, that name.
 */
export function commandNamesOf(argv: readonly string[]): string[] {
  const operands: string[] = [];
  for (let i = 0; i < argv.length && operands.length < 2; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    if (arg.startsWith("-") && arg !== "-") {
      if (PROGRAM_OPTIONS_WITH_VALUE.has(arg)) i++;
      if (operands.length === 1) break;
      continue;
    }
    operands.push(arg);
    if (operands[0] !== "help") break;
  }
  return operands;
}
