import type { ParseAs } from "../operations.js";
import type { CallContext } from "../transport.js";
import { MalformedResponseError } from "../transport-errors.js";
import { parseStrictJson } from "./strict-json.js";

/**
 * Reads a successful response's body as the operation wants it. The body is
 * already bounded by the transport (size, idle time, deadline); here JSON is
 * parsed — strictly when asked — and a body that is not JSON fails with a
 * typed {@link MalformedResponseError}, never a bare `SyntaxError`.
 */
export async function readBody(
  response: Response,
  parseAs: Exclude<ParseAs, "stream"> | "blob" | "arrayBuffer",
  strict: boolean,
  context: CallContext,
): Promise<unknown> {
  if (parseAs === "blob") return response.blob();
  if (parseAs === "arrayBuffer") return response.arrayBuffer();
  const text = await response.text();
  if (parseAs === "text") return text;
  if (text === "") return undefined;
  try {
    return strict ? parseStrictJson(text) : JSON.parse(text);
  } catch (error) {
    throw new MalformedResponseError({
      status: response.status,
      source: context.source,
      operation: context.operation,
      request: context.request ?? { method: "?", url: "" },
      response,
      cause: error,
      secrets: context.secrets,
      hint: `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
