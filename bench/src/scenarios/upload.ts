import { open } from "node:fs/promises";
import { join } from "node:path";
import {
  type BenchContext,
  runWorker,
  type Scenario,
  startSimulatorProcess,
  timeCommand,
} from "../harness.js";

const MiB = 1024 * 1024;

/** Writes `size` bytes of a cheap pseudo-random pattern, 1 MiB at a time (shared by the file scenarios). */
export async function makeFile(path: string, size: number): Promise<void> {
  const handle = await open(path, "w");
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  try {
    for (let written = 0; written < size; written += MiB) {
      block.writeUInt32LE(written / MiB, 0);
      await handle.write(block, 0, Math.min(MiB, size - written));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Uploads one large file to the simulator over loopback with mdkit, then with
 * `curl -T`, and compares: the uploading process may grow by at most 32 MB,
 * and mdkit's throughput must be at least 0.9× curl's.
 */
export const uploadScenario: Scenario = {
  name: "upload",
  async run({ quick, workDir }: BenchContext) {
    const size = quick ? 64 * MiB : 1024 * MiB;
    const file = join(workDir, "upload.bin");
    await makeFile(file, size);
    const apikey = "bench-apikey";
    const sim = await startSimulatorProcess({ cluster: { scanDurationMs: 1, apiKeys: [apikey] } });
    try {
      const mdkit = await runWorker<{ ms: number; baseline: number; peak: number }>(
        "upload-worker.js",
        [sim.url, apikey, file],
      );
      const curlMs = await timeCommand("curl", [
        "-sS",
        "--fail",
        "-o",
        "/dev/null",
        "-X",
        "POST",
        "-T",
        file,
        "-H",
        `apikey: ${apikey}`,
        "-H",
        "Content-Type: application/octet-stream",
        "-H",
        "Expect:",
        `${sim.url}/file`,
      ]);
      const growthMb = (mdkit.peak - mdkit.baseline) / 1e6;
      const mibPerSecond = (ms: number) => size / MiB / (ms / 1000);
      return {
        scenario: "upload",
        figures: [
          {
            name: "uploader RSS growth",
            value: growthMb,
            unit: "MB",
            target: 32,
            better: "<=",
            gate: true,
          },
          {
            name: "throughput vs curl",
            value: curlMs / mdkit.ms,
            unit: "x",
            target: 0.9,
            better: ">=",
          },
        ],
        notes: [
          `${size / MiB} MiB file; mdkit ${mdkit.ms.toFixed(0)} ms (${mibPerSecond(mdkit.ms).toFixed(0)} MiB/s), curl ${curlMs.toFixed(0)} ms (${mibPerSecond(curlMs).toFixed(0)} MiB/s); uploader RSS ${(mdkit.baseline / 1e6).toFixed(0)} → ${(mdkit.peak / 1e6).toFixed(0)} MB`,
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};
