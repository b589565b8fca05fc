import { InvalidArgumentError } from "commander";

/** Where `--callback-listen` asks the callback receiver to listen. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Whether a host listens on every interface (its address is not one the gateway can call). */
export const isWildcard = (host: string) => host === "0.0.0.0" || host === "::";

/**
 * Parses `--callback-listen`: `host:port`, `[v6]:port`, or `:port` (every
 * interface). Port 0 picks a free one.
 */
export function parseListen(value: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new InvalidArgumentError(
      "expected <host:port>, e.g. 0.0.0.0:8081, 127.0.0.1:0 or [::]:8081",
    );
  }
  const host = match[1] ?? (match[2] || "0.0.0.0");
  return { host, port };
}
