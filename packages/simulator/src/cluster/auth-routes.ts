/** `POST /login` and `POST /logout`. */
import { route, type SimApp, type SimulatorContext } from "../context.js";
import { gatewayError } from "./http.js";
import type { SessionStore } from "./sessions.js";

/** Registers the Auth operations. */
export function registerAuthRoutes(app: SimApp, ctx: SimulatorContext, sessions: SessionStore) {
  route(app, ctx, "POST", "/login", "login", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    const { user, password } = (body ?? {}) as { user?: unknown; password?: unknown };
    const session = sessions.login(user, password);
    if (!session) return gatewayError(c, 403, "Failed to login");
    return c.json({ "oms-csrf-token": ctx.random.hex(32), session_id: session });
  });

  route(app, ctx, "POST", "/logout", "logout", (c) => {
    const principal = sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    if (principal.session) sessions.logout(principal.session);
    return c.json({ response: "Logout success" });
  });
}
