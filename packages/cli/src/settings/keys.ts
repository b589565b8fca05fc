/**
 * The settings a profile can hold: each is the stored form of one `MDKIT_*`
 * environment variable. Secrets are stored with owner-only permissions and
 * never printed.
 */

/** One setting of a profile. */
export interface SettingKey {
  /** Name in the config file and in `mdkit config set <key>`. */
  readonly key: string;
  /** The environment variable it stands for (which wins over the profile). */
  readonly variable: string;
  /** A secret: never printed, read from standard input by `mdkit config set`. */
  readonly secret: boolean;
  /** What it is, for `mdkit config --help`. */
  readonly description: string;
}

/** Every setting, in the order `mdkit config list` shows them. */
export const SETTING_KEYS: readonly SettingKey[] = [
  {
    key: "cluster-url",
    variable: "MDKIT_CLUSTER_URL",
    secret: false,
    description: "base URL of the Cluster gateway",
  },
  {
    key: "cluster-user",
    variable: "MDKIT_CLUSTER_USER",
    secret: false,
    description: "gateway user name",
  },
  {
    key: "cluster-password",
    variable: "MDKIT_CLUSTER_PASSWORD",
    secret: true,
    description: "gateway password",
  },
  {
    key: "cluster-apikey",
    variable: "MDKIT_CLUSTER_APIKEY",
    secret: true,
    description: "gateway API key (instead of a user and password)",
  },
  {
    key: "cm-client-id",
    variable: "MDKIT_CM_CLIENT_ID",
    secret: false,
    description: "Central Management OAuth client id",
  },
  {
    key: "cm-client-secret",
    variable: "MDKIT_CM_CLIENT_SECRET",
    secret: true,
    description: "Central Management OAuth client secret",
  },
  {
    key: "cm-region",
    variable: "MDKIT_CM_REGION",
    secret: false,
    description: "Central Management region: us or eu",
  },
  {
    key: "cm-url",
    variable: "MDKIT_CM_URL",
    secret: false,
    description: "another Central Management host (a proxy, the simulator)",
  },
  {
    key: "core-apikey",
    variable: "MDKIT_CORE_APIKEY",
    secret: true,
    description: "API key of the MetaDefender Core reached through direct connections",
  },
  {
    key: "batch-cert-fingerprint",
    variable: "MDKIT_BATCH_CERT_FINGERPRINT",
    secret: false,
    description: "SHA-1 or SHA-256 fingerprint of the certificate that must sign batch results",
  },
];

/** The setting named `key`, or `undefined`. */
export function settingKey(key: string): SettingKey | undefined {
  return SETTING_KEYS.find((s) => s.key === key);
}

/** The setting stored for the environment variable `variable`, or `undefined`. */
export function settingOfVariable(variable: string): SettingKey | undefined {
  return SETTING_KEYS.find((s) => s.variable === variable);
}
