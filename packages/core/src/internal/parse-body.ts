import type { CallContext } from "../transport.js";
import { MalformedResponseError } from "../transport-errors.js";
import { parseStrictJson } from "./strict-json.js";

/**
 * Parses the text of a successful JSON response. The body was read under
 * the transport's limits (size, idle time, deadline); here it is parsed —
 * strictly when asked — and a body that is not JSON fails with a typed
 * {@link MalformedResponseError}, never a bare `SyntaxError`. An empty body
 * is `undefined`.
 */
export function parseBody(
  text: string,
  response: Response,
  strict: boolean,
  context: CallContext,
): unknown {
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
