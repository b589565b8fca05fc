import { describe, expect, it, vi } from "vitest";
import {
  createApiClient,
  MAX_REGISTERED_SECRETS,
  MdkitError,
  REDACTED,
  redactText,
  registeredSecrets,
  registerSecret,
} from "../src/index.js";
import { json, operations, scriptedFetch, type TestPaths } from "./helpers.js";

/** A value no other test registers. */
let counter = 0;
const fresh = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}-registry`;

describe("the process-wide secret registry", () => {
  it("redacts a registered secret everywhere, without it being passed again", () => {
    const secret = fresh("reg");
    expect(redactText(`x ${secret} y`)).toBe(`x ${secret} y`);
    registerSecret(secret);
    expect(redactText(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
    expect(new MdkitError(`refused ${secret}`).message).toBe(`[@mdkit/core] refused ${REDACTED}`);
  });

  it("registers the trimmed value, which also covers the untrimmed one", () => {
    const secret = fresh("trim");
    registerSecret(`  ${secret}\n`);
    expect(registeredSecrets()).toContain(secret);
    expect(registeredSecrets()).not.toContain(`  ${secret}\n`);
    expect(redactText(`key="${secret}\n"`)).toBe(`key="${REDACTED}\n"`);
  });

  it("ignores values too short to redact safely, and non-strings", () => {
    const before = registeredSecrets().length;
    registerSecret("admin");
    registerSecret("   abc   ");
    registerSecret(undefined);
    registerSecret(null);
    expect(registeredSecrets()).toHaveLength(before);
    expect(redactText("user admin")).toBe("user admin");
  });

  it("keeps only the most recent values, a value registered again counting as recent", () => {
    const first = fresh("first");
    const kept = fresh("kept");
    registerSecret(first);
    registerSecret(kept);
    for (let i = 0; i < MAX_REGISTERED_SECRETS; i++) {
      registerSecret(fresh("filler"));
      if (i === 0) registerSecret(kept);
    }
    const secrets = registeredSecrets();
    expect(secrets).toHaveLength(MAX_REGISTERED_SECRETS);
    expect(secrets).not.toContain(first);
    expect(secrets).toContain(kept);
    expect(redactText(first)).toBe(first);
    expect(redactText(kept)).toBe(REDACTED);
  });

  it("is shared by every copy of core loaded in the process", async () => {
    // A second instance of the module, as a bundled copy of core next to an installed one would be.
    vi.resetModules();
    const copy = await import("../src/secret-registry.js");
    expect(copy.registerSecret).not.toBe(registerSecret);
    const secret = fresh("copy");
    copy.registerSecret(secret);
    expect(registeredSecrets()).toContain(secret);
    expect(redactText(`token ${secret}`)).toBe(`token ${REDACTED}`);
  });

  it("learns every credential header the transport sends", async () => {
    const apikey = fresh("header-key");
    const token = fresh("header-token");
    const { fetch } = scriptedFetch(json({ id: "1", name: "x" }));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl: "https://gw.example.test",
      operations,
      fetch,
      auth: () => ({ apikey, authorization: `Bearer ${token}` }),
    });
    await client.GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(registeredSecrets()).toEqual(expect.arrayContaining([apikey, token]));
    // An error built anywhere else, knowing nothing of the call, redacts them.
    const unrelated = new MdkitError(`echo: ${encodeURIComponent(apikey)} ${btoa(`u:${token}`)}`);
    expect(unrelated.message).not.toContain(apikey);
    expect(unrelated.message).not.toContain(btoa(`u:${token}`).slice(2, -2));
  });
});
