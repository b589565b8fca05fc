import { type Clock, systemClock } from "@mdkit/core";

const CLOCK = Symbol("@mdkit/central-management/clock");

/** Records the clock a client was created with, for the helpers that take the client. */
export function attachClock<T extends object>(client: T, clock: Clock): T {
  Object.defineProperty(client, CLOCK, { value: clock });
  return client;
}

/** The clock of a client (the system clock for one created elsewhere). */
export function clockOf(client: object): Clock {
  return (client as { [CLOCK]?: Clock })[CLOCK] ?? systemClock;
}
