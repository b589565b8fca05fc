import { AuthenticationError, type HttpErrorInit } from "@mdkit/core";

/**
 * The server refused the credentials themselves: an unknown or revoked
 * client id or secret (Central Management), or a wrong user or password
 * (Cluster gateway). Retrying with the same credentials will not help.
 */
export class InvalidCredentialsError extends AuthenticationError {
  /** The OAuth error code (`invalid_client`, ...) when the server sent one. */
  readonly reason: string | undefined;
  constructor(init: HttpErrorInit & { reason?: string | undefined }) {
    super(init);
    this.reason = init.reason;
  }
}
