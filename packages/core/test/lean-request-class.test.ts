/**
 * The lean stand-in for a `Request`: what it shows the client, its transport
 * and auth strategies must be what a real `Request` would show.
 */
import { describe, expect, it } from "vitest";
import { leanPartsOf, signalOf } from "../src/internal/lean-parts.js";
import { LeanOrRealRequest, LeanRequest } from "../src/node/lean-request.js";

const url = "http://Gateway.Example:80/file/a/../b c?x=1#frag";

describe("LeanRequest", () => {
  it("serialises the URL and normalises the method as Request does", () => {
    const real = new Request(url, { method: "post", body: "x" });
    const lean = new LeanRequest(url, { method: "post", body: "x" });
    expect(lean.url).toBe(real.url);
    expect(lean.method).toBe(real.method);
    for (const method of ["get", "delete", "options", "mkcol"]) {
      expect(new LeanRequest(url, { method }).method).toBe(new Request(url, { method }).method);
    }
  });

  it("refuses what Request refuses: forbidden methods, a GET with a body, credentials in the URL", () => {
    for (const init of [
      { method: "TRACE" },
      { method: "CONNECT" },
      { method: "bad method" },
      { method: "GET", body: "x" },
      { method: "HEAD", body: new Uint8Array(1) },
    ]) {
      expect(() => new Request(url, init)).toThrow(TypeError);
      expect(() => new LeanRequest(url, init)).toThrow(TypeError);
    }
    expect(() => new LeanRequest("http://user:pw@gateway.example/")).toThrow(TypeError);
    expect(() => new LeanRequest("not a url")).toThrow(TypeError);
  });

  it("adds the Content-Type a Request adds for a body without one, and keeps a given one", () => {
    const bodies = [
      "text",
      new Blob(["x"], { type: "image/png" }),
      new Blob(["x"]),
      new Uint8Array(2),
      new ArrayBuffer(2),
      new ReadableStream(),
    ];
    for (const body of bodies) {
      const init = { method: "POST", body, duplex: "half" } as RequestInit;
      expect(new LeanRequest(url, init).headers.get("content-type")).toBe(
        new Request(url, init).headers.get("content-type"),
      );
    }
    const typed = new LeanRequest(url, {
      method: "POST",
      body: "x",
      headers: { "Content-Type": "application/json" },
    });
    expect(typed.headers.get("content-type")).toBe("application/json");
  });

  it("uses the Headers given, so that what the transport adds is what refresh sees", () => {
    const headers = new Headers({ a: "1" });
    const lean = new LeanRequest(url, { headers });
    headers.set("apikey", "k-123456");
    expect(lean.headers.get("apikey")).toBe("k-123456");
  });

  it("keeps the body as given for the transport, and reads it like a Request", async () => {
    const bytes = new Uint8Array([104, 105]);
    const lean = new LeanRequest(url, { method: "POST", body: bytes });
    expect(leanPartsOf(lean as unknown as Request)?.body).toBe(bytes);
    expect(await lean.clone().text()).toBe("hi");
    expect(await lean.text()).toBe("hi");
    expect(lean.bodyUsed).toBe(true);
  });

  it("has no signal for the transport when given none, and a never-aborting one for anyone else", () => {
    const lean = new LeanRequest(url);
    expect(signalOf(lean as unknown as Request)).toBeUndefined();
    expect(lean.signal).toBeInstanceOf(AbortSignal);
    expect(lean.signal.aborted).toBe(false);
    const controller = new AbortController();
    const given = new LeanRequest(url, { signal: controller.signal });
    expect(signalOf(given as unknown as Request)).toBe(controller.signal);
    expect(given.signal).toBe(controller.signal);
    const real = new Request(url, { signal: controller.signal });
    expect(signalOf(real)).toBe(real.signal);
    expect(leanPartsOf(real)).toBeUndefined();
  });
});

describe("LeanOrRealRequest", () => {
  const make = (body: unknown) =>
    new LeanOrRealRequest(url, { method: "POST", body, duplex: "half" } as RequestInit);

  it("makes lean requests for the bodies the Node transport writes itself", () => {
    for (const body of [undefined, "x", new Uint8Array(1), new Blob(["x"]), new ReadableStream()]) {
      expect(make(body)).toBeInstanceOf(LeanRequest);
    }
  });

  it("makes real Requests for the rest, so fetch encodes them (multipart boundary, form type)", () => {
    const form = new FormData();
    form.append("a", "b");
    const multipart = make(form);
    expect(multipart).toBeInstanceOf(Request);
    expect(multipart.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const params = make(new URLSearchParams({ a: "b c" }));
    expect(params).toBeInstanceOf(Request);
    expect(params.headers.get("content-type")).toBe(
      "application/x-www-form-urlencoded;charset=UTF-8",
    );
  });
});
