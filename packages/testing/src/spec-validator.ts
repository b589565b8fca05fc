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

  return {
    document,
    operation,
    validateResponse(operationId, status, body, mediaType = "application/json") {
      const { path, method, operation: op } = operation(operationId);
      const responses = op.responses as Record<string, Json>;
      let response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
      if (response && typeof response.$ref === "string") {
        const ref = (response.$ref as string).replace("#/components/responses/", "");
        response = ((document.components as Json).responses as Record<string, Json>)[ref];
      }
      if (!response) throw new Error(`${operationId} declares no ${status} response`);
      const content = response.content as Record<string, Json> | undefined;
      if (!content?.[mediaType]) {
        throw new Error(`${operationId} ${status} declares no ${mediaType} content`);
      }
      const pointer = [
        "paths",
        path,
        method,
        "responses",
        String(status),
        "content",
        mediaType,
        "schema",
      ]
        .map(escapePointer)
        .join("/");
      const schemaRef =
        responses[String(status)] === response
          ? `spec#/${pointer}`
          : `spec#/components/responses/${escapePointer(String((responses[String(status)] as Json).$ref).replace("#/components/responses/", ""))}/content/${escapePointer(mediaType)}/schema`;
      const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (e: { instancePath: string; message?: string }) =>
          `${e.instancePath || "(root)"} ${e.message}`,
      );
    },
  };
}
