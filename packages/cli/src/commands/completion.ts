import { Argument, type Command } from "commander";
import { completionScript, SHELLS, type Shell } from "../completion/scripts.js";
import { commandTree } from "../completion/tree.js";
import type { Context } from "../context.js";
import { EXIT } from "../exit-codes.js";

const EXAMPLES = `
Examples:
  $ mdkit completion bash > ~/.local/share/bash-completion/completions/mdkit
  $ mdkit completion zsh > "\${fpath[1]}/_mdkit"
  $ mdkit completion fish > ~/.config/fish/completions/mdkit.fish
  $ source <(mdkit completion bash)        # this shell only

The script completes commands, subcommands, options and their choices (e.g. --format),
and file names elsewhere. It is generated from mdkit itself: regenerate it after an upgrade.
`;

/** `mdkit completion bash|zsh|fish`: prints a completion script for the shell. */
export function registerCompletion(program: Command, ctx: Context): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (shell: Shell) => {
        // Every command is loaded here, and only here: the script lists them all.
        const { addCommands, createProgram } = await import("../program.js");
        const full = createProgram(ctx);
        await addCommands(full, ctx, () => true);
        await ctx.out(completionScript(shell, commandTree(full)));
        return EXIT.ok;
      }),
    );
}
