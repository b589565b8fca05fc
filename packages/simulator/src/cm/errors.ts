/**
 * An error answer of the simulated Central Management. Handlers throw it
 * wherever they find a problem; the operation wrapper (`secured`) turns it
 * into the spec's `CmError` body, so every error has the same shape.
 */
export class CmHttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 429,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The `CmError` response. */
  toResponse(): Response {
    return Response.json(
      { error: this.code, message: this.message },
      { status: this.status, headers: this.headers },
    );
  }
}

/** 400 with `CmError` `bad_request`. */
export const badRequest = (message: string) => new CmHttpError(400, "bad_request", message);

/** 404 with `CmError` `not_found`. */
export const notFound = (message: string) => new CmHttpError(404, "not_found", message);
