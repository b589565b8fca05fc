import { timingSafeEqual } from "node:crypto";
import type { SimulatorContext } from "../../context.js";
import { CmHttpError } from "../errors.js";

/** Who made an authenticated request. */
export interface Caller {
  /** OAuth client the bearer token was issued to. */
  clientId: string;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

/** Above this many tokens, issuing one first drops the expired ones. */
const PRUNE_ABOVE = 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The OAuth clients and the access tokens issued to them. Tokens are
 * opaque random strings that expire on the simulator's clock, so a test
 * with an injected clock can watch a token run out.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly revoked = new Set<string>();

  constructor(private readonly ctx: SimulatorContext) {}

  /** Whether `clientId` exists, `secret` is its secret and it is not revoked. */
  verifyClient(clientId: string, secret: string): boolean {
    const { clients } = this.ctx.options.cm;
    if (!Object.hasOwn(clients, clientId)) return false;
    return sameSecret(secret, clients[clientId] as string) && !this.revoked.has(clientId);
  }

  /** Issues a token to a verified client. */
  issue(clientId: string): { accessToken: string; expiresInSeconds: number } {
    const now = this.ctx.now();
    if (this.tokens.size > PRUNE_ABOVE) {
      for (const [token, issued] of this.tokens)
        if (issued.expiresAt <= now) this.tokens.delete(token);
    }
    const accessToken = `mocm_${this.ctx.random.hex(48)}`;
    const ttl = this.ctx.options.cm.tokenTtlMs;
    this.tokens.set(accessToken, { clientId, expiresAt: now + ttl });
    return { accessToken, expiresInSeconds: Math.floor(ttl / 1000) };
  }

  /**
   * The caller of a request with this `Authorization` header, or a 401
   * (missing, unknown, expired or revoked token alike, as `@mdkit/auth`
   * renews its token on any 401).
   */
  authenticate(authorization: string | undefined): Caller {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw unauthorized("Access token is missing");
    const token = match[1] as string;
    const issued = this.tokens.get(token);
    if (!issued || this.revoked.has(issued.clientId)) {
      throw unauthorized("Access token is invalid or has expired");
    }
    if (issued.expiresAt <= this.ctx.now()) {
      this.tokens.delete(token);
      throw unauthorized("Access token is invalid or has expired");
    }
    return { clientId: issued.clientId };
  }

  /** Expires every token issued so far. */
  expireAll(): void {
    this.tokens.clear();
  }

  /** Refuses the client's tokens and token requests until {@link restore}. */
  revoke(clientId: string): void {
    this.revoked.add(clientId);
    for (const [token, issued] of this.tokens) {
      if (issued.clientId === clientId) this.tokens.delete(token);
    }
  }

  /** Lets a revoked client in again. */
  restore(clientId: string): void {
    this.revoked.delete(clientId);
  }

  /** Tokens that are still valid. */
  activeCount(): number {
    const now = this.ctx.now();
    let n = 0;
    for (const issued of this.tokens.values()) {
      if (issued.expiresAt > now && !this.revoked.has(issued.clientId)) n++;
    }
    return n;
  }
}

function unauthorized(message: string): CmHttpError {
  return new CmHttpError(401, "unauthorized", message, {
    "WWW-Authenticate": 'Bearer realm="mocm", error="invalid_token"',
  });
}
