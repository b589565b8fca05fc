/**
 * Login sessions of the simulated gateway. A `session_id` from `/login` is
 * the `apikey` of later calls; it expires after `sessionTtlMs` without use
 * (each authenticated call extends it) and dies with `/logout`. Static API
 * keys from the options never expire. A missing, unknown or expired key is
 * refused as `authFailures` says (by default per operation, as the gateway
 * document writes it); with `anonymous`, a request without any key is served.
 */
import type { SimContext, SimulatorContext } from "../context.js";
import { authRefusal } from "./auth-failures.js";
import { gatewayError } from "./http.js";

/** Who made a request. */
export interface Principal {
  /** `process_info.username`, e.g. `LOCAL/admin`. */
  username: string;
  /** The session used, when it came from `/login`. */
  session: string | undefined;
}

interface Session {
  user: string;
  lastUsedAt: number;
}

/** The sessions of one simulator. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ctx: SimulatorContext) {}

  /** A new session for valid credentials, else `undefined`. */
  login(user: unknown, password: unknown): string | undefined {
    const users = this.ctx.options.cluster.users;
    if (typeof user !== "string" || typeof password !== "string") return undefined;
    if (!Object.hasOwn(users, user) || users[user] !== password) return undefined;
    const id = this.ctx.random.hex(32);
    this.sessions.set(id, { user, lastUsedAt: this.ctx.now() });
    return id;
  }

  /** Ends a session. */
  logout(session: string): void {
    this.sessions.delete(session);
  }

  /** The principal of an `apikey`, extending its session; `undefined` when not valid. */
  check(apikey: string | undefined): Principal | undefined {
    if (!apikey) return undefined;
    if (this.ctx.options.cluster.apiKeys.includes(apikey)) {
      return { username: "apikey", session: undefined };
    }
    const session = this.sessions.get(apikey);
    if (!session) return undefined;
    const now = this.ctx.now();
    if (now - session.lastUsedAt >= this.ctx.options.cluster.sessionTtlMs) {
      this.sessions.delete(apikey);
      return undefined;
    }
    session.lastUsedAt = now;
    return { username: `LOCAL/${session.user}`, session: apikey };
  }

  /** Ends every session. */
  clear(): void {
    this.sessions.clear();
  }

  /** Live sessions (expired ones may still be counted until next used). */
  get size(): number {
    return this.sessions.size;
  }

  /** The caller of `c`, or the refusal to send. */
  authenticate(c: SimContext): Principal | Response {
    const options = this.ctx.options.cluster;
    const apikey = c.req.header("apikey");
    const principal = this.check(apikey);
    if (principal) return principal;
    // Anonymous access covers requests without a key; a key that is sent is
    // still checked, so an expired session is refused rather than ignored.
    if (!apikey && options.anonymous && c.get("operationId") !== "logout") {
      return { username: "anonymous", session: undefined };
    }
    const refusal = authRefusal(
      options.authFailures,
      c.get("operationId"),
      apikey ? "invalid" : "missing",
    );
    return gatewayError(c, refusal.status, refusal.message);
  }
}
