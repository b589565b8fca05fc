import type { SimContext } from "../context.js";
import { discardBody, forEachChunk } from "../internal/body-chunks.js";
import { badRequest } from "./errors.js";

/** Largest JSON request body accepted, in bytes (queries are small; this bounds memory). */
const MAX_JSON_BYTES = 1024 * 1024;

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

/** Reads the request body as a JSON object, or throws 400. */
export async function readJsonObject(c: SimContext): Promise<JsonObject> {
  const text = await readText(c, MAX_JSON_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
  if (!isObject(body)) throw badRequest("The request body must be a JSON object");
  return body;
}

const TOO_LARGE = Symbol("too large");

/** Reads a small text body, refusing (400) one longer than `limit` bytes before reading it all. */
export async function readText(c: SimContext, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    await forEachChunk(c, (chunk) => {
      size += chunk.byteLength;
      if (size > limit) throw TOO_LARGE;
      chunks.push(chunk);
    });
  } catch (error) {
    if (error !== TOO_LARGE) throw error;
    await discardBody(c);
    throw badRequest("The request body is too large");
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether a value is a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional object field (absent → undefined), or 400. */
export function optionalObject(body: JsonObject, name: string): JsonObject | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest(`${name} must be an object`);
  return value;
}

/** An optional integer field within `[min, max]`, or 400. */
export function optionalInteger(
  body: JsonObject,
  name: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** An optional string field, or 400. */
export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${name} must be a string`);
  return value;
}

/** A required non-empty string field, or 400. */
export function requiredString(body: JsonObject, name: string): string {
  const value = optionalString(body, name);
  if (!value) throw badRequest(`${name} is required`);
  return value;
}

/** An optional boolean field, or 400. */
export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${name} must be a boolean`);
  return value;
}

/**
 * An optional array of strings (each one of `allowed` when given), or 400.
 * An empty array counts as absent: a filter with no values does not filter.
 */
export function optionalStrings(
  body: JsonObject | undefined,
  name: string,
  allowed?: readonly string[],
): string[] | undefined {
  const value = body?.[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badRequest(`${name} must be an array of strings`);
  }
  if (allowed) {
    const wrong = value.find((v) => !allowed.includes(v));
    if (wrong !== undefined) {
      throw badRequest(`${name}: ${JSON.stringify(wrong)} is not one of ${allowed.join(", ")}`);
    }
  }
  return value.length ? (value as string[]) : undefined;
}
