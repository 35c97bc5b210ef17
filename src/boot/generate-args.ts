import { nearCommand } from '../core/typo.js';
import { readPlain } from './plain-args.js';

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
const SWITCHES: Record<string, 'yes' | 'force' | 'dryRun' | 'json' | 'noGit'> = { '-y': 'yes', '--yes': 'yes', '--force': 'force', '--dry-run': 'dryRun', '--json': 'json', '--no-git': 'noGit' };

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
  const read = readPlain(args, 0, { values: VALUE_FLAGS, switches: SWITCHES, repeatable: '--set' });
  if (!read || read.words.length > 1) return undefined;
  const dir = read.words[0];
  if (dir !== undefined && nearCommand(dir, COMMAND_WORDS)) return undefined;
  const flags: GenerateFlags = { ...read.values, set: read.repeated, git: !read.switches.has('noGit'), assess: [] };
  for (const on of read.switches) if (on !== 'noGit') flags[on] = true;
  return { dir, flags };
}
