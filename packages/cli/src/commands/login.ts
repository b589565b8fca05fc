import { clientCredentials, clusterApiKey, clusterSession, ENV } from "@mdkit/auth";
import { type AuthOption, createClusterClient, unwrap } from "@mdkit/cluster";
import { Argument, type Command } from "commander";
import { checkUrl } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { ask, readFirstLine } from "../prompt.js";
import { editProfile } from "../settings/edit.js";
import { DEFAULT_PROFILE } from "../settings/profile-store.js";

const EXAMPLES = `
Examples:
  $ mdkit --url http://127.0.0.1:8899 login                 # asks for the user and password
  $ printf '%s\\n' "$PASSWORD" | mdkit --url https://gw.example login --user scanner --password-stdin
  $ printf '%s\\n' "$APIKEY" | mdkit --url https://gw.example login --apikey-stdin
  $ printf '%s\\n' "$SECRET" | mdkit --profile eu login cm --client-id my-app --secret-stdin --region eu

The credentials are checked first (a gateway login and its rules; a Central Management
token), and saved only when accepted, in the profile (--profile before the command, else
MDKIT_PROFILE, else "default"), in a file only its owner can read. Values not given as flags
come from the MDKIT_* variables, then from the terminal (the secret is not echoed).
`;

interface LoginOptions {
  user?: string;
  passwordStdin?: boolean;
  apikeyStdin?: boolean;
  clientId?: string;
  secretStdin?: boolean;
  region?: "us" | "eu";
  cmUrl?: string;
}

/** A value from its flag, else the environment (or profile), else the terminal. */
async function settingValue(
  ctx: Context,
  given: string | undefined,
  variable: string,
  question: string,
  hidden: boolean,
): Promise<string> {
  return given ?? ctx.io.env[variable] ?? (await ask(ctx.io, question, hidden));
}

/** The profile being written to. */
const profileOf = (ctx: Context, cmd: Command) =>
  globalsOf(cmd).profile ?? ctx.profile?.name ?? DEFAULT_PROFILE;

async function loginCluster(ctx: Context, options: LoginOptions, cmd: Command): Promise<number> {
  const url = globalsOf(cmd).url ?? ctx.io.env[ENV.clusterUrl];
  if (!url) {
    throw new CliError(
      "the gateway URL is needed: mdkit --url <url> login (the URL goes before the command)",
    );
  }
  checkUrl(url, globalsOf(cmd).url ? "--url" : ctx.settingName(ENV.clusterUrl));
  let apiKey: string | undefined;
  let user: string | undefined;
  let password: string | undefined;
  if (options.apikeyStdin) apiKey = await readFirstLine(ctx.io.stdin, "--apikey-stdin");
  else {
    user = await settingValue(ctx, options.user, ENV.clusterUser, "gateway user: ", false);
    password = options.passwordStdin
      ? await readFirstLine(ctx.io.stdin, "--password-stdin")
      : await settingValue(ctx, undefined, ENV.clusterPassword, `password of ${user}: `, true);
  }
  ctx.target = {
    service: "cluster",
    url,
    urlSetting: globalsOf(cmd).url ? "--url" : ctx.settingName(ENV.clusterUrl),
    credentials: apiKey ? "apikey" : "session",
    credentialSettings: apiKey ? "the API key given" : "the user name and password given",
  };
  const auth: AuthOption & { logout?: () => Promise<void> } = apiKey
    ? clusterApiKey({ apiKey, baseUrl: url })
    : clusterSession({ baseUrl: url, user: user as string, password: password as string });
  try {
    // A login alone proves little for an API key: the rules need valid credentials either way.
    await unwrap(
      createClusterClient({ baseUrl: url, auth }).GET("/file/rules", { signal: ctx.signal }),
    );
  } finally {
    await auth.logout?.().catch(() => {});
  }
  const file = await editProfile(ctx.io.env, profileOf(ctx, cmd), (settings) => {
    settings["cluster-url"] = url;
    for (const key of ["cluster-user", "cluster-password", "cluster-apikey"]) delete settings[key];
    if (apiKey) settings["cluster-apikey"] = apiKey;
    else Object.assign(settings, { "cluster-user": user, "cluster-password": password });
  });
  ctx.err(
    `mdkit: the gateway at ${new URL(url).origin} accepted ${apiKey ? "the API key" : `user ${user}`}; saved in profile "${profileOf(ctx, cmd)}" (${file})\n`,
  );
  return EXIT.ok;
}

async function loginCentralManagement(
  ctx: Context,
  options: LoginOptions,
  cmd: Command,
): Promise<number> {
  const clientId = await settingValue(ctx, options.clientId, ENV.cmClientId, "client id: ", false);
  const clientSecret = options.secretStdin
    ? await readFirstLine(ctx.io.stdin, "--secret-stdin")
    : await settingValue(ctx, undefined, ENV.cmClientSecret, "client secret: ", true);
  const baseUrl = options.cmUrl ?? ctx.io.env[ENV.cmUrl];
  if (baseUrl) checkUrl(baseUrl, options.cmUrl ? "--cm-url" : ctx.settingName(ENV.cmUrl));
  const region = options.region ?? (ctx.io.env[ENV.cmRegion] as "us" | "eu" | undefined);
  if (region && region !== "us" && region !== "eu")
    throw new CliError('the region must be "us" or "eu"');
  ctx.target = {
    service: "cm",
    url: baseUrl,
    urlSetting: options.cmUrl ? "--cm-url" : ctx.settingName(ENV.cmUrl),
    credentials: "oauth",
    credentialSettings: "the client id and secret given",
  };
  const auth = clientCredentials({
    clientId,
    clientSecret,
    ...(baseUrl ? { baseUrl } : {}),
    ...(region ? { region } : {}),
  });
  try {
    await auth.getToken();
  } finally {
    auth.dispose();
  }
  const file = await editProfile(ctx.io.env, profileOf(ctx, cmd), (settings) => {
    Object.assign(settings, { "cm-client-id": clientId, "cm-client-secret": clientSecret });
    if (baseUrl) settings["cm-url"] = baseUrl;
    if (region) settings["cm-region"] = region;
  });
  ctx.err(
    `mdkit: Central Management accepted client ${clientId}; saved in profile "${profileOf(ctx, cmd)}" (${file})\n`,
  );
  return EXIT.ok;
}

/** `mdkit login [cluster|cm]`: checks credentials, then saves them in the profile. */
export function registerLogin(program: Command, ctx: Context): void {
  program
    .command("login")
    .description("check gateway or Central Management credentials, then save them in a profile")
    .addArgument(
      new Argument("[service]", "what to log in to").choices(["cluster", "cm"]).default("cluster"),
    )
    .option("--user <name>", "gateway user (default: MDKIT_CLUSTER_USER, else asked)")
    .option("--password-stdin", "read the gateway password from standard input")
    .option(
      "--apikey-stdin",
      "read a gateway API key from standard input (instead of a user and password)",
    )
    .option(
      "--client-id <id>",
      "Central Management client id (default: MDKIT_CM_CLIENT_ID, else asked)",
    )
    .option("--secret-stdin", "read the Central Management client secret from standard input")
    .option("--region <region>", "Central Management region: us or eu")
    .option("--cm-url <url>", "another Central Management host (a proxy, the simulator)")
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(
        async (service: "cluster" | "cm", options: LoginOptions, cmd: Command) =>
          service === "cm"
            ? loginCentralManagement(ctx, options, cmd)
            : loginCluster(ctx, options, cmd),
        { createsProfile: true },
      ),
    );
}
