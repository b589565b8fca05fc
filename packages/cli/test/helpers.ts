import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import {
  createSimulator,
  DEFAULT_CREDENTIALS,
  EICAR_TEST_STRING,
  type Simulator,
  type SimulatorOptions,
} from "@mdkit/simulator";
import { main } from "../src/index.js";

export { EICAR_TEST_STRING as EICAR };

/** The API key of the simulated Core reached through direct connections. */
export const CORE_KEY = "core-apikey-for-cli-tests";

type Env = Record<string, string | undefined>;

/** A running simulator over HTTP and the environment pointing the CLI at it. */
export interface TestServer extends AsyncDisposable {
  sim: Simulator;
  url: string;
  /** Cluster (user/password login) and Central Management settings. */
  env: Env;
}

/** Starts the simulator on a free loopback port with quick scans. */
export async function startServer(options: SimulatorOptions = {}): Promise<TestServer> {
  const sim = createSimulator({
    ...options,
    cluster: { scanDurationMs: 15, apiKeys: [CORE_KEY], ...options.cluster },
    cm: { connectDelayMs: 20, ...options.cm },
  });
  const { url } = await sim.listen();
  const env: Env = {
    MDKIT_CLUSTER_URL: url,
    MDKIT_CLUSTER_USER: DEFAULT_CREDENTIALS.cluster.user,
    MDKIT_CLUSTER_PASSWORD: DEFAULT_CREDENTIALS.cluster.password,
    MDKIT_CM_URL: url,
    MDKIT_CM_CLIENT_ID: DEFAULT_CREDENTIALS.cm.clientId,
    MDKIT_CM_CLIENT_SECRET: DEFAULT_CREDENTIALS.cm.clientSecret,
  };
  return { sim, url, env, [Symbol.asyncDispose]: () => sim.close() };
}

/**
 * A configuration directory that does not exist: runs read no profile of the
 * machine's user unless a test gives `MDKIT_CONFIG_DIR` itself.
 */
export const NO_CONFIG = join(tmpdir(), "mdkit-cli-test-no-config-dir");

/** A text sink collecting what the CLI writes. */
export function collector(isTTY = false) {
  let text = "";
  return {
    isTTY,
    columns: 120,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

/** What one run of `main` produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mdkit <argv>` in-process. */
export async function run(
  argv: string[],
  options: { env?: Env; stdin?: string; tty?: boolean; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const stdout = collector(options.tty);
  const stderr = collector(options.tty);
  const code = await main(argv, {
    stdout,
    stderr,
    env: { MDKIT_CONFIG_DIR: NO_CONFIG, ...options.env },
    ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin)]) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** JSON Lines output as objects. */
export function jsonl(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF), to check the CSV output. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || record.length) records.push([...record, field]);
  const [header = [], ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""])));
}

/** A temporary directory with files (relative path → content); removed on dispose. */
export async function tempFiles(
  files: Record<string, string> = {},
): Promise<{ path: string; file(name: string): string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), "mdkit-cli-test-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(path, name)), { recursive: true });
    await writeFile(join(path, name), content);
  }
  return {
    path,
    file: (name) => join(path, name),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

/** Content no other test uses, so that hash lookups never find it. */
export const unique = (label: string) => `${label} ${process.hrtime.bigint()} ${Math.random()}`;
