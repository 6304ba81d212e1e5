import type { Command, Option } from 'commander';

export type Shell = 'bash' | 'zsh' | 'fish';

/** One command of the tree, by its path from the program ("" for the program, "alerts list"). */
interface Node {
  path: string;
  description: string;
  subcommands: { name: string; description: string }[];
  options: Option[];
  /** Whether its arguments are files or directories, so the shell should offer them. */
  takesFiles: boolean;
}

/** Arguments whose names say they are paths; others (ids, SQL) get no file names offered. */
const FILE_ARGUMENT = /file|dir/i;

function walk(cmd: Command, path: string, out: Node[]): Node[] {
  const visible = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  out.push({
    path,
    description: cmd.description(),
    subcommands: visible.map((c) => ({ name: c.name(), description: c.description() })),
    options: cmd.options.filter((o) => !o.hidden && o.long !== undefined),
    takesFiles: cmd.registeredArguments.some((a) => FILE_ARGUMENT.test(a.name()) || FILE_ARGUMENT.test(a.description)),
  });
  for (const c of visible) walk(c, path === '' ? c.name() : `${path} ${c.name()}`, out);
  return out;
}

/** The commands and their options; each option's value kind decides what the shell offers after it. */
export function commandNodes(program: Command): Node[] {
  return walk(program, '', []);
}

function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

/** A flag's value that is a path, as its name or value placeholder says. */
function valueIsFile(o: Option): boolean {
  return /file|dir|python/i.test(o.flags);
}

/** Single-quoted for bash, zsh and fish: ' ends the quote, so it is written as '\'' (bash, zsh) or \' (fish). */
function sq(text: string, shell: Shell): string {
  return shell === 'fish' ? `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The case arms that follow the words typed so far down the tree: "<path so far>/<word>" → the new path. */
function pathArms(nodes: Node[], shell: Shell): string[] {
  return nodes.flatMap((n) =>
    n.subcommands.map((s) => {
      const next = n.path === '' ? s.name : `${n.path} ${s.name}`;
      const key = `${n.path}/${s.name}`;
      return shell === 'fish' ? `            case ${sq(key, shell)}\n                set cmd ${sq(next, shell)}` : `      ${sq(key, shell)}) cmd=${sq(next, shell)} ;;`;
    }),
  );
}

function bash(nodes: Node[]): string {
  const valueArms = nodes.flatMap((n) =>
    n.options.filter(takesValue).map((o) => {
      const key = sq(`${n.path}/${o.long}`, 'bash');
      if (o.argChoices) return `      ${key}) COMPREPLY=($(compgen -W ${sq(o.argChoices.join(' '), 'bash')} -- "$cur")); return ;;`;
      return valueIsFile(o) ? `      ${key}) compopt -o default; COMPREPLY=(); return ;;` : `      ${key}) COMPREPLY=(); return ;;`;
    }),
  );
  const wordArms = nodes.map((n) => {
    const words = [...n.subcommands.map((s) => s.name), ...n.options.map((o) => o.long as string), '--help'];
    return `      ${sq(n.path, 'bash')}) words=${sq(words.join(' '), 'bash')}; files=${n.takesFiles ? 1 : 0} ;;`;
  });
  return `# bash completion for caracal (made by "caracal completion bash").
# Load it in this shell:   source <(caracal completion bash)
# or for every shell:      caracal completion bash > ~/.local/share/bash-completion/completions/caracal
_caracal() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" w i words="" files=0
  # The command path: the words that name a subcommand of the path so far; flag values never do.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$cmd/$w" in
${pathArms(nodes, 'bash').join('\n')}
    esac
  done
  # After a flag that takes a value: its choices, file names, or nothing to offer.
  if [[ $cur != -* ]]; then
    case "$cmd/$prev" in
${valueArms.join('\n')}
    esac
  fi
  case "$cmd" in
${wordArms.join('\n')}
  esac
  if [[ $files == 1 && $cur != -* ]]; then compopt -o default; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _caracal caracal
`;
}

/** zsh's _describe takes "name:description"; a colon in the name or description must be escaped. */
function described(name: string, description: string): string {
  return sq(`${name.replace(/:/g, '\\:')}:${description.replace(/\s+/g, ' ')}`, 'zsh');
}

function zsh(nodes: Node[]): string {
  const valueArms = nodes.flatMap((n) =>
    n.options.filter(takesValue).map((o) => {
      const key = sq(`${n.path}/${o.long}`, 'zsh');
      if (o.argChoices) return `    ${key}) compadd -- ${o.argChoices.map((c) => sq(c, 'zsh')).join(' ')}; return ;;`;
      return valueIsFile(o) ? `    ${key}) _files; return ;;` : `    ${key}) _message ${sq(o.flags.replace(/^[^<[]*/, '') || 'value', 'zsh')}; return ;;`;
    }),
  );
  const wordArms = nodes.map((n) => {
    const subs = n.subcommands.map((s) => described(s.name, s.description));
    const opts = [...n.options.map((o) => described(o.long as string, o.description)), described('--help', 'show help')];
    return [
      `    ${sq(n.path, 'zsh')})`,
      `      subs=(${subs.join(' ')})`,
      `      opts=(${opts.join(' ')})`,
      `      files=${n.takesFiles ? 1 : 0} ;;`,
    ].join('\n');
  });
  return `#compdef caracal
# zsh completion for caracal (made by "caracal completion zsh").
# Install: caracal completion zsh > "\${fpath[1]}/_caracal", then start a new shell
# (or, in this shell: source <(caracal completion zsh)).
_caracal() {
  local cmd="" w prev="\${words[CURRENT-1]}" cur="\${words[CURRENT]}" files=0
  local -a subs opts
  # The command path: the words that name a subcommand of the path so far; flag values never do.
  for w in "\${(@)words[2,CURRENT-1]}"; do
    case "$cmd/$w" in
${pathArms(nodes, 'zsh').map((l) => l.slice(2)).join('\n')}
    esac
  done
  # After a flag that takes a value: its choices, file names, or a hint of what to type.
  if [[ $cur != -* ]]; then
    case "$cmd/$prev" in
${valueArms.join('\n')}
    esac
  fi
  case "$cmd" in
${wordArms.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    _describe -t options 'option' opts
  else
    (( \${#subs} )) && _describe -t commands 'command' subs
    (( files )) && _files
  fi
  return 0
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _caracal "$@"
else
  compdef _caracal caracal
fi
`;
}

function fish(nodes: Node[]): string {
  const lines: string[] = [];
  for (const n of nodes) {
    const when = `-n ${sq(`__caracal_is ${sq(n.path, 'fish')}`, 'fish')}`;
    for (const s of n.subcommands) lines.push(`complete -c caracal ${when} -a ${sq(s.name, 'fish')} -d ${sq(s.description, 'fish')}`);
    for (const o of n.options) {
      const flag = `-l ${(o.long as string).replace(/^--/, '')}`;
      const value = !takesValue(o) ? '' : o.argChoices ? ` -x -a ${sq(o.argChoices.join(' '), 'fish')}` : valueIsFile(o) ? ' -r -F' : ' -x';
      lines.push(`complete -c caracal ${when} ${flag}${value} -d ${sq(o.description, 'fish')}`);
    }
    if (n.takesFiles) lines.push(`complete -c caracal ${when} -F`);
  }
  return `# fish completion for caracal (made by "caracal completion fish").
# Install: caracal completion fish > ~/.config/fish/completions/caracal.fish
# The command path: the words that name a subcommand of the path so far; flag values never do.
function __caracal_path
    set -l cmd ''
    for w in (commandline -opc)[2..-1]
        switch "$cmd/$w"
${pathArms(nodes, 'fish').join('\n')}
        end
    end
    echo $cmd
end
function __caracal_is
    set -l p (__caracal_path)
    test "$p" = "$argv[1]"
end
complete -c caracal -f
complete -c caracal -l help -d 'show help'
${lines.join('\n')}
`;
}

/** A static completion script for `shell`, from the command tree (decision 0031: no run of the CLI per key). */
export function completionScript(program: Command, shell: Shell): string {
  const nodes = commandNodes(program);
  return shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes);
}
