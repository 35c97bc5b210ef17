import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Words a flag or argument takes, where there is a fixed list of them. */
const VALUES: Record<string, string[]> = {
  '--conflict': ['inline', 'rej'],
  '--pattern': ['etl', 'api', 'reporting'],
  '--source': ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet', 'other'],
};
/** First arguments of commands that take one of a few words. */
const FIRST_ARGUMENT: Record<string, string[]> = {
  add: ['workflow', 'node', 'checklist'],
  completion: [...SHELLS],
  template: ['check'],
};

interface Shape {
  commands: { name: string; about: string }[];
  /** Long flags per command ('' is the default command, generate), with their help text. */
  flags: Record<string, { flag: string; about: string; takesValue: boolean }[]>;
}

function shapeOf(cli: Command): Shape {
  const flagsOf = (c: Command) =>
    c.options.filter((o) => o.long && !o.hidden).map((o) => ({ flag: o.long!, about: o.description, takesValue: o.required || o.optional }));
  const flags: Shape['flags'] = { '': [...flagsOf(cli), { flag: '--help', about: 'display help', takesValue: false }, { flag: '--version', about: 'print the version', takesValue: false }] };
  const commands = cli.commands.map((c) => ({ name: c.name(), about: c.description() }));
  for (const c of cli.commands) {
    flags[c.name()] = [...flagsOf(c), ...c.commands.flatMap(flagsOf), { flag: '--help', about: 'display help', takesValue: false }];
  }
  return { commands, flags };
}

const words = (list: string[]) => list.join(' ');
const fishQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function bash(shape: Shape): string {
  const cases = Object.entries(shape.flags)
    .filter(([name]) => name !== '')
    .map(([name, fl]) => `      ${name}) flags="${words(fl.map((f) => f.flag))}" ;;`)
    .join('\n');
  const valueCases = Object.entries(VALUES).map(([flag, vals]) => `    ${flag}) COMPREPLY=($(compgen -W "${words(vals)}" -- "$cur")); return ;;`).join('\n');
  const argCases = Object.entries(FIRST_ARGUMENT).map(([cmd, vals]) => `      ${cmd}) COMPREPLY=($(compgen -W "${words(vals)}" -- "$cur")); return ;;`).join('\n');
  const takesValue = [...new Set(Object.values(shape.flags).flat().filter((f) => f.takesValue).map((f) => f.flag))];
  return `# bash completion for create-migration (create-migration completion bash)
_create_migration() {
  local cur prev cmd i w nargs flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${valueCases}
    ${takesValue.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  cmd=""
  nargs=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -*) ;;
      *)
        case "\${COMP_WORDS[i-1]}" in ${takesValue.join('|')}) continue ;; esac
        if [[ -z "$cmd" ]]; then cmd="$w"; else nargs=$((nargs + 1)); fi ;;
    esac
  done
  case " ${words(shape.commands.map((c) => c.name))} " in *" $cmd "*) ;; *) [[ -n "$cmd" ]] && nargs=$((nargs + 1)); cmd="" ;; esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${cases}
      *) flags="${words(shape.flags['']!.map((f) => f.flag))}" ;;
    esac
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  if [[ -z "$cmd" && $nargs -eq 0 ]]; then
    COMPREPLY=($(compgen -W "${words(shape.commands.map((c) => c.name))}" -- "$cur") $(compgen -d -- "$cur"))
    return
  fi
  if [[ $nargs -eq 0 ]]; then
    case "$cmd" in
${argCases}
    esac
  fi
  COMPREPLY=($(compgen -d -- "$cur"))
}
complete -F _create_migration create-migration create-kailash-migration
`;
}

function zsh(shape: Shape): string {
  // zsh runs the bash function through its bash-completion layer: one definition for both.
  return `#compdef create-migration create-kailash-migration
# zsh completion for create-migration (create-migration completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(shape).split('\n').slice(1).join('\n')}`;
}

function fish(shape: Shape): string {
  const lines = ['# fish completion for create-migration (create-migration completion fish)'];
  const names = shape.commands.map((c) => c.name);
  for (const bin of ['create-migration', 'create-kailash-migration']) {
    lines.push(`complete -c ${bin} -f`);
    for (const c of shape.commands) lines.push(`complete -c ${bin} -n '__fish_use_subcommand' -a ${c.name} -d ${fishQuote(c.about)}`);
    for (const [cmd, vals] of Object.entries(FIRST_ARGUMENT)) {
      lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from ${cmd}' -a ${fishQuote(words(vals))}`);
    }
    for (const [cmd, fl] of Object.entries(shape.flags)) {
      const when = cmd === '' ? `not __fish_seen_subcommand_from ${words(names)}` : `__fish_seen_subcommand_from ${cmd}`;
      for (const f of fl) {
        const values = VALUES[f.flag];
        const arg = values ? ` -x -a ${fishQuote(words(values))}` : f.takesValue ? ' -r -F' : '';
        lines.push(`complete -c ${bin} -n ${fishQuote(when)} -l ${f.flag.slice(2)}${arg} -d ${fishQuote(f.about)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The completion script for a shell, read from the parser's own commands and flags. */
export function completionScript(shell: Shell, cli: Command): string {
  const shape = shapeOf(cli);
  return shell === 'bash' ? bash(shape) : shell === 'zsh' ? zsh(shape) : fish(shape);
}
