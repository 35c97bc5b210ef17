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
  const flags: FleetFlags = { sort: 'given', requests: true };
  const seen = new Set<string>();
  const dirs: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-') && seen.has(a)) return undefined;
    seen.add(a);
    const valued = VALUE_FLAGS[a];
    if (valued) {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      flags[valued] = v;
    } else if (a === '--json') flags.json = true;
    else if (a === '--no-requests') flags.requests = false;
    else if (a.startsWith('-') || a === '') return undefined;
    else dirs.push(a);
  }
  return { dirs, flags };
}
