import { registerSecret, secretRedactor } from "@mdkit/core";
import type { BenchContext, Figure, Scenario } from "../harness.js";

/** How many secrets a CLI process typically holds: environment, tokens, session ids, header values. */
const TYPICAL_SECRETS = 16;
/** The registry's bound: a long-running process that rotated many tokens. */
const FULL_REGISTRY = 256;
/** Every this many lines, one echoes a secret (in some encoding). */
const ECHO_EVERY = 100;

/** A secret with the characters that change under some encoding. */
const secretNumber = (i: number) => `bench-secret-${i}-${(i * 2654435761).toString(36)} "~!'()*+/é`;

/** The encodings a server might echo a secret in. */
const ENCODINGS: ReadonlyArray<(s: string) => string> = [
  (s) => s,
  (s) => JSON.stringify(s).slice(1, -1),
  (s) => encodeURIComponent(s),
  (s) => new URLSearchParams({ v: s }).toString().slice(2),
  (s) => Buffer.from(`user:${s}`).toString("base64"),
];

/** One line of an export, as the CLI writes it in JSON Lines (about 250 bytes). */
function exportLine(i: number, echo: string | undefined): string {
  return `${JSON.stringify({
    id: `rec-${i}`,
    timestamp: 1_700_000_000_000 + i * 1_000,
    device: `KIOSK-${i % 97}`,
    file: `/data/inbox/batch-${i % 13}/document-${i}.pdf`,
    sha256: (i * 7919).toString(16).padStart(64, "0"),
    verdict: i % 50 === 0 ? "infected" : "clean",
    threat: echo ?? (i % 50 === 0 ? "EICAR-Test-File" : ""),
  })}\n`;
}

/** Scrubs every line; returns µs per line and how many planted echoes were missed. */
function scrubAll(lines: readonly string[], secrets: readonly string[]) {
  const scrub = secretRedactor();
  scrub("warm-up");
  const started = performance.now();
  let missed = 0;
  let altered = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const out = scrub(line);
    const planted = i % ECHO_EVERY === 0;
    if (planted && !out.includes("[REDACTED]")) missed++;
    if (!planted && out !== line) altered++;
  }
  const usPerLine = ((performance.now() - started) * 1000) / lines.length;
  return { usPerLine, missed, altered, secrets: secrets.length };
}

/**
 * The CLI scrubs every line it prints. Figures: scrubbing cost per
 * JSON Lines record with a typical and a full registry, compared with the
 * JSON.stringify the CLI pays for the same record anyway; no planted echo
 * missed, no clean line altered (gated).
 */
export const redactScenario: Scenario = {
  name: "redact",
  async run({ quick }: BenchContext) {
    const count = quick ? 100_000 : 1_000_000;
    const secrets = Array.from({ length: FULL_REGISTRY }, (_, i) => secretNumber(i));
    /** The export, one line in ECHO_EVERY echoing one of the first `known` secrets. */
    const build = (known: number) =>
      Array.from({ length: count }, (_, i) => {
        if (i % ECHO_EVERY !== 0) return exportLine(i, undefined);
        const n = i / ECHO_EVERY;
        const encode = ENCODINGS[n % ENCODINGS.length] ?? String;
        return exportLine(i, `Threat ${encode(secrets[n % known] ?? "")}`);
      });

    const startedJson = performance.now();
    const typicalLines = build(TYPICAL_SECRETS);
    const jsonUs = ((performance.now() - startedJson) * 1000) / count;

    for (const secret of secrets.slice(0, TYPICAL_SECRETS)) registerSecret(secret);
    const typical = scrubAll(typicalLines, secrets.slice(0, TYPICAL_SECRETS));
    for (const secret of secrets) registerSecret(secret);
    const full = scrubAll(build(FULL_REGISTRY), secrets);

    const figures: Figure[] = [
      {
        name: `scrub per line, ${TYPICAL_SECRETS} secrets`,
        value: typical.usPerLine,
        unit: "µs",
        target: 2,
        better: "<=",
      },
      {
        name: `scrub per line, ${FULL_REGISTRY} secrets`,
        value: full.usPerLine,
        unit: "µs",
        target: 10,
        better: "<=",
      },
      {
        name: "scrub / building the line (16 secrets)",
        value: typical.usPerLine / jsonUs,
        unit: "x",
        target: 1,
        better: "<=",
      },
      {
        name: "planted echoes missed",
        value: typical.missed + full.missed,
        unit: "lines",
        target: 0,
        better: "<=",
        gate: true,
      },
      {
        name: "clean lines altered",
        value: typical.altered + full.altered,
        unit: "lines",
        target: 0,
        better: "<=",
        gate: true,
      },
    ];
    return {
      scenario: "redact",
      figures,
      notes: [
        `${count.toLocaleString("en")} JSON Lines records of ~${typicalLines[1]?.length ?? 0} bytes, one in ${ECHO_EVERY} echoing a secret (raw, JSON, percent, form or base64)`,
        `building a line (object + JSON.stringify) took ${jsonUs.toFixed(2)} µs`,
      ],
    };
  },
};
