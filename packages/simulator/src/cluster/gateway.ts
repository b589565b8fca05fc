/** The state of one simulated gateway, shared by its routes. */
import type { SimulatorContext } from "../context.js";
import type { SimulatedRule } from "../options.js";
import type { BatchSigner } from "./batch-signer.js";
import type { BatchStore } from "./batch-store.js";
import type { ScanEnv } from "./content-scanner.js";
import type { FileStore } from "./file-store.js";
import type { SessionStore } from "./sessions.js";

/** A `callbackurl` the gateway was given. The simulator records it and never calls it. */
export interface RecordedCallback {
  /** The upload it belongs to. */
  dataId: string;
  /** The URL as sent. */
  url: string;
  /** When the upload completed (ms). */
  recordedAt: number;
}

/** Everything the gateway's routes share. */
export interface Gateway {
  ctx: SimulatorContext;
  sessions: SessionStore;
  files: FileStore;
  batches: BatchStore;
  signer: BatchSigner;
  callbacks: RecordedCallback[];
  scanEnv: ScanEnv;
  /** Dates the simulated engine definitions (the simulator's start). */
  epoch: number;
}

/** A configured rule by name (`undefined` when unknown). */
export function findRule(gateway: Gateway, name: string): SimulatedRule | undefined {
  return gateway.ctx.options.cluster.rules.find((rule) => rule.name === name);
}

/** The rule used when a request names none: the first configured. */
export function defaultRule(gateway: Gateway): SimulatedRule {
  const rule = gateway.ctx.options.cluster.rules[0];
  if (!rule) throw new Error("the simulated gateway needs at least one rule");
  return rule;
}
