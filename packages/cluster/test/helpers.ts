import { createSpecValidator } from "@mdkit/testing";
import { expect, inject } from "vitest";
import { createClusterClient } from "../src/index.js";

/** The Cluster spec, for validating responses and reading its examples. */
export const spec = createSpecValidator("cluster");

/** An apikey Prism accepts (it checks presence, not value). */
export const APIKEY = "mock-session-apikey-1234";

/** A client of the Prism mock of `specs/cluster.yaml`. */
export function mockClient(withAuth = true) {
  return createClusterClient({
    baseUrl: inject("prismUrl"),
    auth: withAuth ? () => ({ apikey: APIKEY }) : undefined,
  });
}

/** Asserts a JSON body validates against the spec and equals the spec's example. */
export function expectSpecExample(operationId: string, data: unknown, status = 200) {
  expect(spec.validateResponse(operationId, status, data)).toEqual([]);
  expect(data).toEqual(spec.exampleOf(operationId, status));
}
