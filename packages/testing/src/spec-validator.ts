import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { type SpecName, specPaths } from "./paths.js";

type Json = Record<string, unknown>;

const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** Validates response bodies against the response schemas of a spec (JSON Schema 2020-12). */
export interface SpecValidator {
  /** The parsed spec document. */
  document: Json;
  /** Finds an operation by operationId. */
  operation(operationId: string): { path: string; method: string; operation: Json };
  /**
   * Validates `body` against the schema of `operationId`'s response `status`
   * and media type; returns the list of violations (empty when valid).
   * Throws when the spec declares no such response.
   */
  validateResponse(
    operationId: string,
    status: number,
    body: unknown,
    mediaType?: string,
  ): string[];
  /** The example the spec gives for a response (media-type `example`, or the first of `examples`). */
  exampleOf(operationId: string, status: number, mediaType?: string): unknown;
}

/** Loads a spec and returns a validator for its responses. */
export function createSpecValidator(name: SpecName): SpecValidator {
  const document = parse(readFileSync(specPaths[name], "utf8")) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(document, "spec");
  const paths = document.paths as Record<string, Record<string, Json>>;

  function operation(operationId: string) {
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op && typeof op === "object" && op.operationId === operationId) {
          return { path, method, operation: op };
        }
      }
    }
    throw new Error(`no operation ${operationId} in ${name} spec`);
  }

  /** The media-type object of a response and its JSON pointer, following a `$ref` to components. */
  function mediaTypeOf(operationId: string, status: number, mediaType: string) {
    const { path, method, operation: op } = operation(operationId);
    let pointer = ["paths", path, method, "responses", String(status)];
    let response = (op.responses as Record<string, Json>)[String(status)];
    if (response && typeof response.$ref === "string") {
      const refName = response.$ref.replace("#/components/responses/", "");
      pointer = ["components", "responses", refName];
      response = ((document.components as Json).responses as Record<string, Json>)[refName];
    }
    if (!response) throw new Error(`${operationId} declares no ${status} response`);
    const content = (response.content as Record<string, Json> | undefined)?.[mediaType];
    if (!content) throw new Error(`${operationId} ${status} declares no ${mediaType} content`);
    return { content, pointer: [...pointer, "content", mediaType].map(escapePointer).join("/") };
  }

  return {
    document,
    operation,
    validateResponse(operationId, status, body, mediaType = "application/json") {
      const { pointer } = mediaTypeOf(operationId, status, mediaType);
      const schemaRef = `spec#/${pointer}/schema`;
      const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
      if (validate(body)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
    },
    exampleOf(operationId, status, mediaType = "application/json") {
      const { content } = mediaTypeOf(operationId, status, mediaType);
      if ("example" in content) return content.example;
      const examples = content.examples as Record<string, Json> | undefined;
      const first = examples ? Object.values(examples)[0] : undefined;
      if (!first) throw new Error(`${operationId} ${status} ${mediaType} has no example`);
      return first.value;
    },
  };
}
