/**
 * Login sessions of the simulated gateway. A `session_id` from `/login` is
 * the `apikey` of later calls; it expires after `sessionTtlMs` without use
 * (each authenticated call extends it) and dies with `/logout`. Static API
 * keys from the options never expire. Every protected operation answers a
 * missing, unknown or expired key with 401, so a client can log in again.
 */
import type { SimContext, SimulatorContext } from "../context.js";
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

  /** The caller of `c`, or the 401 answer to send. */
  authenticate(c: SimContext): Principal | Response {
    const apikey = c.req.header("apikey");
    const principal = this.check(apikey);
    if (principal) return principal;
    return gatewayError(
      c,
      401,
      apikey
        ? "Access denied: the apikey is invalid or expired."
        : "Access denied: missing apikey.",
    );
  }
}
