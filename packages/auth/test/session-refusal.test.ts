// Which gateway refusals make clusterSession log in again: the document's
// answers for an invalid apikey, and MetaDefender Core's own wording of them.
import { describe, expect, it } from "vitest";
import { signalsExpiredSession } from "../src/internal/session-refusal.js";

describe("signalsExpiredSession", () => {
  it.each([
    [401, { err: "Access denied: the apikey is invalid or expired." }],
    [403, { err: "Invalid user information." }],
    [403, { err: "Access denied" }],
    [403, undefined],
    [405, { err: "The user has no rights for this operation." }],
    [400, { err: "Bad Request: apikey is missing or invalid." }],
    [400, { err: "Access denied" }],
    [400, { error: "invalid_session", message: "Session expired" }],
    [400, "Invalid API key"],
  ])("%i %j renews", (status, body) => {
    expect(signalsExpiredSession(status, body)).toBe(true);
  });

  it.each([
    [400, { err: "Batch is not closed." }],
    [400, { err: "Rule not found." }],
    [400, { err: "Callback url is invalid." }],
    [400, { err: "Multipart upload is not supported: send the file itself as the request body." }],
    [400, undefined],
    [404, { err: "Invalid user information." }],
    [411, { err: "Missing Content-Length header." }],
    [503, { err: "Server is too busy. Try again later." }],
  ])("%i %j does not", (status, body) => {
    expect(signalsExpiredSession(status, body)).toBe(false);
  });
});
