import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** Keep-alive agents for outbound calls; `destroy()` closes their sockets. */
export function outboundAgents() {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

/**
 * POSTs a JSON body with `node:http(s)` (lighter than `fetch` for the many
 * small calls of a busy run) and resolves with the status; redirects are not
 * followed. Rejects when no answer comes (refused, reset, `signal`).
 */
export function postJson(
  url: string,
  body: string,
  agents: ReturnType<typeof outboundAgents>,
  signal: AbortSignal,
): Promise<number> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(target, {
      method: "POST",
      agent: secure ? agents.https : agents.http,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      },
      signal,
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end(body);
  });
}
