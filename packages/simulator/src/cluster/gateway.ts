/** The state of one simulated gateway, shared by its routes. */
import type { SimulatorContext } from "../context.js";
import type { SimulatedRule } from "../options.js";
import type { BatchSigner } from "./batch-signer.js";
import type { BatchStore } from "./batch-store.js";
import type { CallbackSender } from "./callback-sender.js";
import type { ScanEnv } from "./content-scanner.js";
import type { FileStore } from "./file-store.js";
import type { RecordedCallback } from "./recorded-callback.js";
import type { ResultCache } from "./result-cache.js";
import type { SessionStore } from "./sessions.js";

/** Everything the gateway's routes share. */
export interface Gateway {
  ctx: SimulatorContext;
  sessions: SessionStore;
  files: FileStore;
  /** Finished results as JSON text, reused by every poll. */
  results: ResultCache;
  batches: BatchStore;
  signer: BatchSigner;
  callbacks: RecordedCallback[];
  callbackSender: CallbackSender;
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
