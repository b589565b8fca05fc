import { CLI_BIN, cpuPerRun } from "../cli.js";
import type { BenchContext, Scenario } from "../harness.js";

/**
 * `mdkit --version` against a bare `node -e 0`, CPU time per run (user +
 * system), measured in the same run: the CLI loads no command, no client and
 * no simulator for it, so it may cost at most 1.5× a bare Node start.
 */
export const cliStartupScenario: Scenario = {
  name: "cli-startup",
  async run({ quick }: BenchContext) {
    const runs = quick ? 10 : 30;
    const node = JSON.stringify(process.execPath);
    // Interleaved, so that a busy moment of the machine weighs on both.
    let bare = 0;
    let version = 0;
    for (let round = 0; round < 2; round++) {
      bare += await cpuPerRun(`${node} -e 0`, runs / 2);
      version += await cpuPerRun(`${node} ${JSON.stringify(CLI_BIN)} --version`, runs / 2);
    }
    bare /= 2;
    version /= 2;
    const help = await cpuPerRun(`${node} ${JSON.stringify(CLI_BIN)} --help`, quick ? 4 : 10);
    return {
      scenario: "cli-startup",
      figures: [
        {
          name: "mdkit --version CPU vs node -e 0",
          value: version / bare,
          unit: "x",
          target: 1.5,
          better: "<=",
        },
      ],
      notes: [
        `CPU per run over ${runs} runs each: node -e 0 ${bare.toFixed(0)} ms, mdkit --version ${version.toFixed(0)} ms; mdkit --help (loads the parser, no command) ${help.toFixed(0)} ms`,
      ],
    };
  },
};
