import { allNodes, type CompletionNode } from "./tree.js";

/** The shells `mdkit completion` writes scripts for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** One of {@link SHELLS}. */
export type Shell = (typeof SHELLS)[number];

/** A word list quoted for a shell script (words are command, option and choice names). */
const words = (list: readonly string[]) => list.filter((w) => /^[\w./:-]+$/.test(w)).join(" ");

/** The bash completion function (also used by zsh through bashcompinit). */
function bashScript(tree: CompletionNode): string {
  const nodes = allNodes(tree);
  const key = (node: CompletionNode) => ["mdkit", ...node.path].join(" ");
  const descend = nodes
    .filter((n) => n.path.length > 0)
    .map((n) => `"${key(n)}"`)
    .join("|");
  const wordCases = nodes
    .map((n) => {
      const list = [
        ...n.children.map((c) => c.path[c.path.length - 1] as string),
        ...n.argumentChoices,
        ...n.options.flatMap((o) => [o.long, ...(o.short ? [o.short] : [])]),
      ];
      return `    "${key(n)}") words="${words(list)}" ;;`;
    })
    .join("\n");
  const valueCases = nodes
    .flatMap((n) =>
      n.options
        .filter((o) => o.takesValue)
        .map((o) =>
          o.choices.length
            ? `    "${key(n)} ${o.long}") COMPREPLY=($(compgen -W "${words(o.choices)}" -- "$cur")); return ;;`
            : `    "${key(n)} ${o.long}") COMPREPLY=($(compgen -f -- "$cur")); return ;;`,
        ),
    )
    .join("\n");
  return `# mdkit completion for bash (mdkit completion bash)
_mdkit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" key="mdkit" word i words
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$key $word" in
${descend ? `      ${descend}) key="$key $word" ;;` : ""}
    esac
  done
  case "$key $prev" in
${valueCases}
  esac
  case "$key" in
${wordCases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [[ "$cur" != -* ]]; then COMPREPLY+=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _mdkit mdkit
`;
}

/** fish: one `complete` line per command, option and choice. */
function fishScript(tree: CompletionNode): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const lines = ["# mdkit completion for fish (mdkit completion fish)", "complete -c mdkit -f"];
  for (const node of allNodes(tree)) {
    const inNode =
      node.path.length === 0
        ? "__fish_use_subcommand"
        : node.path.map((w) => `__fish_seen_subcommand_from ${w}`).join("; and ");
    const leaf = node.children.length === 0;
    for (const child of node.children) {
      const name = child.path[child.path.length - 1] as string;
      const condition =
        node.path.length === 0
          ? "__fish_use_subcommand"
          : `${inNode}; and not __fish_seen_subcommand_from ${words(node.children.map((c) => c.path[c.path.length - 1] as string))}`;
      lines.push(
        `complete -c mdkit -n ${quote(condition)} -a ${name} -d ${quote(child.description)}`,
      );
    }
    if (node.argumentChoices.length) {
      lines.push(`complete -c mdkit -n ${quote(inNode)} -a ${quote(words(node.argumentChoices))}`);
    }
    for (const option of node.options) {
      const flags = [
        `-l ${option.long.replace(/^--/, "")}`,
        option.short ? `-s ${option.short.replace(/^-/, "")}` : "",
      ]
        .filter(Boolean)
        .join(" ");
      const value = option.takesValue
        ? option.choices.length
          ? ` -x -a ${quote(words(option.choices))}`
          : " -r -F"
        : "";
      lines.push(
        `complete -c mdkit -n ${quote(inNode)} ${flags}${value} -d ${quote(option.description)}`,
      );
    }
    if (leaf && node.path.length > 0) lines.push(`complete -c mdkit -n ${quote(inNode)} -F`);
  }
  return `${lines.join("\n")}\n`;
}

/** The completion script of `shell` for the command tree. */
export function completionScript(shell: Shell, tree: CompletionNode): string {
  switch (shell) {
    case "bash":
      return bashScript(tree);
    case "zsh":
      return `#compdef mdkit\n# mdkit completion for zsh (mdkit completion zsh): the bash completion through bashcompinit\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(tree)}`;
    case "fish":
      return fishScript(tree);
  }
}
