import { nearCommand } from '../core/typo.js';

/** generate's flags as the parser hands them to the command (src/cli/commands/generate.ts takes them). */
export interface GenerateFlags {
  template?: string;
  answers?: string;
  set: string[];
  yes?: boolean;
  git: boolean;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
  assess?: string[];
}

/** What a plain generate was asked, as the parser hands it to the command. */
export interface GenerateArgs {
  dir: string | undefined;
  flags: GenerateFlags;
}

/**
 * Every word the parser (src/cli/main.ts) takes as a command, or keeps for one: a folder named like
 * one of these, or one edit away, is the parser's to refuse. test/generate-args.test.ts holds
 * this to the parser's own list.
 */
export const COMMAND_WORDS: readonly string[] = ['sync', 'recopy', 'status', 'add', 'adopt', 'assess', 'fleet', 'jobs', 'job', 'template', 'completion', 'help'];

const VALUE_FLAGS: Record<string, 'template' | 'answers'> = { '--template': 'template', '--answers': 'answers' };
const SWITCHES: Record<string, 'yes' | 'force' | 'dryRun' | 'json'> = { '-y': 'yes', '--yes': 'yes', '--force': 'force', '--dry-run': 'dryRun', '--json': 'json' };

/**
 * The plain form of a new project, `create-migration [dir] [--yes] [--no-git] [--force]
 * [--dry-run] [--json] [--template <src>] [--answers <file>] [--set <key=value>]...`, read
 * without the argument parser: dist/cli.js sends it to dist/generate.js, which has no parser
 * (see src/boot/launcher.ts). Each flag once but --set, a value after its flag, one folder at
 * most. Anything else (help, --assess, an unknown or repeated flag, `--flag=value`, a value that
 * looks like a flag, a folder named like a command) is undefined: the parser reads it, and says
 * what is wrong. test/generate-args.test.ts holds this to the parser's own reading.
 */
export function quietGenerateArgs(args: readonly string[]): GenerateArgs | undefined {
  const flags: GenerateFlags = { set: [], git: true, assess: [] };
  const seen = new Set<string>();
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--set') {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      flags.set.push(v);
      continue;
    }
    const name = VALUE_FLAGS[a] ?? SWITCHES[a] ?? (a === '--no-git' ? 'git' : undefined);
    if (name) {
      if (seen.has(name)) return undefined;
      seen.add(name);
    }
    const valued = VALUE_FLAGS[a];
    const on = SWITCHES[a];
    if (valued) {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      flags[valued] = v;
    } else if (on) flags[on] = true;
    else if (a === '--no-git') flags.git = false;
    else if (a.startsWith('-') || a === '' || dir !== undefined || nearCommand(a, COMMAND_WORDS)) return undefined;
    else dir = a;
  }
  return { dir, flags };
}
