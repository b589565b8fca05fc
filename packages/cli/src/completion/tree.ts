import type { Command, Option } from "commander";

/** An option as completion sees it. */
export interface CompletionOption {
  /** `--format`. */
  readonly long: string;
  /** `-V`, when it has a short form. */
  readonly short: string | undefined;
  /** Its description. */
  readonly description: string;
  /** Whether it takes a value. */
  readonly takesValue: boolean;
  /** The values it accepts, when they are a fixed list. */
  readonly choices: readonly string[];
}

/** A command as completion sees it. */
export interface CompletionNode {
  /** The words leading to it (`[]` for the program, `["cm", "reports"]`). */
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly CompletionOption[];
  /** Choices of its first argument (`mdkit cm reports <pmp|mdd|core>`). */
  readonly argumentChoices: readonly string[];
  readonly children: readonly CompletionNode[];
}

function optionOf(option: Option): CompletionOption | undefined {
  if (!option.long || option.hidden) return undefined;
  return {
    long: option.long,
    short: option.short,
    description: option.description,
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
  };
}

/** The program's commands, options and choices, for the completion scripts. */
export function commandTree(command: Command, path: readonly string[] = []): CompletionNode {
  const options = [
    ...command.options.map(optionOf),
    { long: "--help", short: "-h", description: "display help", takesValue: false, choices: [] },
  ].filter((o): o is CompletionOption => o !== undefined);
  const first = (command.registeredArguments ?? [])[0];
  return {
    path,
    description: command.description(),
    options,
    argumentChoices: first?.argChoices ?? [],
    children: command.commands
      .filter((c) => c.name() !== "help")
      .map((c) => commandTree(c, [...path, c.name()])),
  };
}

/** Every node of the tree, the program first. */
export function allNodes(node: CompletionNode): CompletionNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}
