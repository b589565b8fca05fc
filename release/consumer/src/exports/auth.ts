// @mdkit/auth as a consumer sees it.
import {
  type ClientCredentials,
  type ClusterSession,
  clientCredentials,
  clusterApiKey,
  clusterAuthFromEnv,
  clusterSession,
  InvalidCredentialsError,
} from "@mdkit/auth";

export const oauth: ClientCredentials = clientCredentials({
  clientId: "id",
  clientSecret: "secret",
  region: "us",
});
export const session: ClusterSession = clusterSession({
  baseUrl: "http://127.0.0.1:8899",
  user: "u",
  password: "p",
});
export const apiKey = clusterApiKey({ apiKey: "key", baseUrl: "http://127.0.0.1:8899" });
export const fromEnv = () => clusterAuthFromEnv();
export const isInvalid = (error: unknown): boolean => error instanceof InvalidCredentialsError;
export async function scoped(): Promise<string> {
  await using scopedSession = clusterSession({
    baseUrl: "http://127.0.0.1:8899",
    user: "u",
    password: "p",
  });
  return scopedSession.getSessionId();
}
