import type { HostileServer } from "@mdkit/testing/hostile";
import { afterEach } from "vitest";

/**
 * Keeps the servers a test file starts and closes them after each case
 * (hanging answers included). Returns the function that registers one.
 */
export function closedAfterEach(): <S extends HostileServer>(server: S) => S {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return (server) => {
    servers.push(server);
    return server;
  };
}
