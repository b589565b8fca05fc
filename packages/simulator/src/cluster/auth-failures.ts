/**
 * How the gateway refuses a request whose `apikey` is missing, unknown or
 * expired. By default each operation answers as the gateway document
 * (`001_b253ef56415d0f8a.txt`) writes it for that operation; `specs/README.md`
 * gives the line of the document behind each entry. The `"401"` mode answers
 * 401 everywhere, as the simulator did before it followed the document.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** How refusals are answered: as the document says, or 401 on every operation. */
export type AuthFailureMode = "documented" | "401";

/** Why the request carries no usable credential. */
export type AuthProblem = "missing" | "invalid";

/** One refusal: a status and the `err` text of the `GatewayError` body. */
export interface AuthRefusal {
  status: ContentfulStatusCode;
  message: string;
}

/** 403 "Invalid user information" (`POST /file`, `POST /logout`). */
const INVALID_USER: AuthRefusal = { status: 403, message: "Invalid user information." };
/** 400 "apikey is missing or invalid" (cancel and every batch operation). */
const BAD_APIKEY: AuthRefusal = {
  status: 400,
  message: "Bad Request: apikey is missing or invalid.",
};
/** 405 "The user has no rights for this operation" (the result and download reads). */
const NO_RIGHTS: AuthRefusal = {
  status: 405,
  message: "The user has no rights for this operation.",
};

/**
 * The document's refusal per operation. `lookupHash` and `listRules` list no
 * refusal in the document; they answer like the gateway's own session
 * operation (`logout`): 403 "Invalid user information".
 */
const DOCUMENTED: Readonly<Record<string, AuthRefusal>> = {
  logout: INVALID_USER,
  analyzeFile: INVALID_USER,
  lookupHash: INVALID_USER,
  listRules: INVALID_USER,
  getAnalysisResult: NO_RIGHTS,
  downloadConvertedFile: NO_RIGHTS,
  downloadProcessedFile: NO_RIGHTS,
  cancelAnalysis: BAD_APIKEY,
  createBatch: BAD_APIKEY,
  closeBatch: BAD_APIKEY,
  getBatchStatus: BAD_APIKEY,
  getBatchCertificate: BAD_APIKEY,
  cancelBatch: BAD_APIKEY,
};

/** `logout` without any `apikey`: the document's 400 "Bad Request." */
const LOGOUT_WITHOUT_KEY: AuthRefusal = { status: 400, message: "Bad Request: apikey is missing." };

/** The answer to a request of `operationId` refused for `problem`. */
export function authRefusal(
  mode: AuthFailureMode,
  operationId: string,
  problem: AuthProblem,
): AuthRefusal {
  if (mode === "401") {
    return {
      status: 401,
      message:
        problem === "missing"
          ? "Access denied: missing apikey."
          : "Access denied: the apikey is invalid or expired.",
    };
  }
  if (operationId === "logout" && problem === "missing") return LOGOUT_WITHOUT_KEY;
  return DOCUMENTED[operationId] ?? INVALID_USER;
}
