/**
 * What a command talks to and with which settings, so that an error message
 * can name the setting to fix. Set by the functions that build clients.
 */
export interface Target {
  /** The Cluster gateway, Central Management, or a Core reached through a direct connection. */
  readonly service: "cluster" | "cm" | "core";
  /** The base URL, when one was given. */
  readonly url: string | undefined;
  /** How messages name the URL's setting (`--url`, `MDKIT_CLUSTER_URL`, a profile key). */
  readonly urlSetting: string;
  /** How messages name the credentials' settings (e.g. `MDKIT_CLUSTER_USER / MDKIT_CLUSTER_PASSWORD`). */
  readonly credentialSettings: string;
  /** The kind of credentials: a static API key, a login session, OAuth client credentials. */
  readonly credentials: "apikey" | "session" | "oauth";
  /** The rule files are scanned with, when one was asked for. */
  readonly rule?: string | undefined;
  /** The command that saves credentials in a profile (`mdkit login`), when there is one. */
  readonly loginCommand?: string | undefined;
  /** The deployment reached through a direct connection. */
  readonly deployment?: string | undefined;
}
