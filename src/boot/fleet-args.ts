import { readPlain } from './plain-args.js';

/** fleet's flags as the parser hands them to the command (src/cli/commands/fleet.ts takes them). */
export interface FleetFlags {
  repos?: string;
  json?: boolean;
  html?: string;
  /** --no-requests: do not ask the forges about update requests. */
  requests?: boolean;
  sort?: string;
}

/** What a plain fleet was asked, as the parser hands it to the command. */
export interface FleetArgs {
  dirs: string[];
  flags: FleetFlags;
}

const VALUE_FLAGS: Record<string, 'repos' | 'html' | 'sort'> = { '--repos': 'repos', '--html': 'html', '--sort': 'sort' };
const SWITCHES: Record<string, 'json' | 'noRequests'> = { '--json': 'json', '--no-requests': 'noRequests' };

/**
 * The plain form of `fleet [dir...] [--repos <file>] [--html <file>] [--sort <order>]
 * [--no-requests] [--json]`, read without the argument parser: dist/cli.js sends it to
 * dist/fleet.js, which has no parser (see src/boot/launcher.ts). Each flag once, a value after its
 * flag. Anything else (help, an unknown or repeated flag, `--flag=value`, a value or folder that
 * looks like a flag) is undefined: the parser reads it, and says what is wrong.
 * test/fleet-args.test.ts holds this to the parser's own reading.
 */
export function quietFleetArgs(args: readonly string[]): FleetArgs | undefined {
  if (args[0] !== 'fleet') return undefined;
  const read = readPlain(args, 1, { values: VALUE_FLAGS, switches: SWITCHES });
  if (!read) return undefined;
  const flags: FleetFlags = { sort: 'given', ...read.values, requests: !read.switches.has('noRequests') };
  if (read.switches.has('json')) flags.json = true;
  return { dirs: read.words, flags };
}
