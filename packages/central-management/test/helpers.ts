import { createSpecValidator } from "@mdkit/testing";
import { expect, inject } from "vitest";
import { createCentralManagementClient } from "../src/index.js";

/** The Central Management spec, for validating responses and reading its examples. */
export const spec = createSpecValidator("cm");

/** A bearer token Prism accepts (it checks presence, not value). */
export const TOKEN = "mock-access-token-1234";

/** A client of the Prism mock of `specs/central-management.yaml`. */
export function mockClient(withAuth = true) {
  return createCentralManagementClient({
    baseUrl: inject("prismUrl"),
    auth: withAuth ? () => ({ authorization: `Bearer ${TOKEN}` }) : undefined,
  });
}

/** Asserts a 200 JSON body validates against the spec and equals the spec's example. */
export function expectSpecExample(operationId: string, data: unknown, status = 200) {
  expect(spec.validateResponse(operationId, status, data)).toEqual([]);
  expect(data).toEqual(spec.exampleOf(operationId, status));
}
