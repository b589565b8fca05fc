// Shared helpers of the Central Management simulator tests.
import { createCentralManagementClient } from "@mdkit/central-management";
import { createSpecValidator, manualClock } from "@mdkit/testing";
import { expect } from "vitest";

/** Base URL used for in-process calls (never resolved: `fetch` is the simulator's). */
export const BASE = "http://cm.sim.local";

/** The default OAuth client of the simulator. */
export const DEMO = { clientId: "mdkit-demo", clientSecret: "mdkit-demo-secret" } as const;

/** The Central Management spec, to validate answers against. */
export const spec = createSpecValidator("cm");

/** Asserts a JSON body validates against the spec's response of `operationId` / `status`. */
export function expectConforms(operationId: string, status: number, body: unknown) {
  expect(spec.validateResponse(operationId, status, body)).toEqual([]);
}

/** A clock a test moves by hand, starting mid-2025 unless told otherwise. */
export const fakeClock = (start = Date.UTC(2025, 5, 1, 12)) => manualClock(start);

type Fetch = (request: Request) => Promise<Response>;

/** Posts the token form; resolves to the raw response. */
export function requestToken(fetch: Fetch, form: Record<string, string>, baseUrl = BASE) {
  return fetch(
    new Request(`${baseUrl}/o/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    }),
  );
}

/** An access token of a client (the demo client by default). */
export async function getToken(
  fetch: Fetch,
  client: { clientId: string; clientSecret: string } = DEMO,
  baseUrl = BASE,
) {
  const form = {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_type: "client_credentials",
  };
  const res = await requestToken(fetch, form, baseUrl);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A typed client with a fresh token of the demo client, sending through `fetch`. */
export async function cmClient(fetch: Fetch, baseUrl = BASE) {
  const token = await getToken(fetch, DEMO, baseUrl);
  return createCentralManagementClient({
    baseUrl,
    fetch,
    auth: () => ({ authorization: `Bearer ${token}` }),
  });
}

/** Follows a cursor listing to the end; every record once, and the number of pages. */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ token?: string; data?: T[] }>,
  maxPages = 100_000,
): Promise<{ records: T[]; pages: number }> {
  const records: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(token);
    pages++;
    records.push(...(page.data ?? []));
    token = page.token || undefined;
  } while (token && pages < maxPages);
  return { records, pages };
}

/**
 * Parses a JSON array body record by record as its bytes arrive (never the
 * whole body at once): yields each top-level element when it is complete.
 */
export async function* jsonArrayRecords(stream: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = "";
  const reader = stream.getReader();
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    for (const ch of decoder.decode(chunk, { stream: true })) {
      if (depth >= 2 || (depth === 1 && ch !== "," && ch !== "]" && !/\s/.test(ch))) current += ch;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === "\\") escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === "[" || ch === "{") depth++;
      else if (ch === "]" || ch === "}") {
        depth--;
        if (depth === 1 && ch === "}") {
          yield JSON.parse(current) as unknown;
          current = "";
        }
      }
    }
  }
  expect(depth).toBe(0);
}

/** One request of every bearer-protected operation (valid apart from credentials). */
export const SECURED_CALLS: Record<string, { method: string; path: string; body?: unknown }> = {
  initiateConnection: {
    method: "POST",
    path: "/fusion/console/services/connection/request/mdcore",
    body: { deploymentId: "MDCORE-SIM-0001" },
  },
  getConnectionStatus: { method: "GET", path: "/fusion/console/services/connection/c-1" },
  closeConnection: { method: "DELETE", path: "/fusion/console/services/connection/c-1" },
  sendConnectionRequest: { method: "POST", path: "/fusion/console/services/connection/c-1" },
  getPmpReportDetails: {
    method: "POST",
    path: "/o/pmp/v1/reports/details",
    body: { session_id: "6650e8a2c3b1f40012a7d9e1" },
  },
  listPmpReports: { method: "POST", path: "/o/pmp/v1/reports", body: {} },
  updateKioskConfiguration: {
    method: "POST",
    path: "/o/pmp/v1/kiosk/configuration",
    body: { apply_type: "all" },
  },
  listMddReports: { method: "POST", path: "/o/mdd/v1/reports", body: {} },
  getMddReportDetails: {
    method: "POST",
    path: "/o/mdd/v1/reports/details",
    body: { device_id: "d", report_id: "r" },
  },
  listCoreInstances: { method: "POST", path: "/o/core/v1/instances", body: {} },
  listCoreReports: { method: "POST", path: "/o/core/v1.1/reports", body: {} },
  getAccountInventory: { method: "POST", path: "/o/fusion/v1/account/inventory", body: {} },
  getKioskProcessingOverview: {
    method: "POST",
    path: "/o/pmp/v1/scan-report/overview",
    body: { startTime: 1, endTime: 2 },
  },
  getKioskSessionDetail: { method: "GET", path: "/o/pmp/v1/devices/d-1/report/scan/s-1" },
  getKioskDevice: { method: "GET", path: "/o/pmp/v1/kiosk/devices/d-1" },
  listKioskDevices: { method: "GET", path: "/o/pmp/v1/kiosk/devices" },
};

/** Builds the request of one of {@link SECURED_CALLS}, with a bearer token when given. */
export function securedRequest(operationId: string, token?: string): Request {
  const call = SECURED_CALLS[operationId];
  if (!call) throw new Error(`no call for ${operationId}`);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (call.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`${BASE}${call.path}`, {
    method: call.method,
    headers,
    body: call.body === undefined ? null : JSON.stringify(call.body),
  });
}
