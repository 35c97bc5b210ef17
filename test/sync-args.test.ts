/**
 * `sync` in its plain form is read without the argument parser (dist/sync.js then starts neither
 * the parser nor its share of the code cache): whatever that reading accepts, the parser reads
 * the same way, and everything else is left to the parser.
 */
import { describe } from 'vitest';
import { heldToParser, parsedBy } from './helpers/plain-args.js';
import { quietSyncArgs, type SyncArgs } from '../src/cli/sync-args.js';
import { syncCommands } from '../src/cli/sync-program.js';
import { rootCommand } from '../src/cli/root-command.js';

/** What the parser hands sync for these arguments, or the error code it stops with. */
async function parsed(args: string[]): Promise<SyncArgs | string> {
  let got: SyncArgs | undefined;
  const cli = rootCommand();
  syncCommands(
    cli,
    () => {},
    async (dirs, flags) => ((got = { dirs: [...dirs], flags: { ...flags, set: [...flags.set] } }), 0),
  );
  return parsedBy(cli, args, () => got);
}

const accepted: string[][] = [
  ['sync'],
  ['sync', '.'],
  ['sync', 'a', 'b', '../c d'],
  ['sync', '--check'],
  ['sync', '--check', 'a', '--json', 'b'],
  ['sync', '--dry-run', '--to', '1.2.0'],
  ['sync', '--branch', 'template-update', '--summary', 'pr-body.md'],
  ['sync', '--set', 'database_kind=mysql'],
  ['sync', '--set', 'a=1', 'p', '--set', 'b=2'],
  ['sync', '-y'],
  ['sync', '--yes', '--allow-dirty', '--prereleases'],
  ['sync', '--conflict', 'merge', '--template', '../tpl#v1'],
  ['sync', '--conflict', 'nonsense'],
  ['sync', '--skip', '1.1.0'],
  ['sync', '--check', '--dry-run'],
  ['sync', 'status'],
  ['sync', 'recopy'],
  // Words that name an object's own properties are folders like any other.
  ['sync', 'toString', 'constructor', '__proto__'],
];

const leftToParser: string[][] = [
  ['sync', '--help'],
  ['sync', '-h'],
  ['sync', '--bogus'],
  ['sync', '--check', '--check'],
  ['sync', '-y', '--yes'],
  ['sync', '--to'],
  ['sync', '--to', ''],
  ['sync', '--to', '--check'],
  ['sync', '--to=1.2.0'],
  ['sync', '--to', '1', '--to', '2'],
  ['sync', '--set'],
  ['sync', '--set', '-x'],
  ['sync', '--no-check'],
  ['sync', '-yv'],
  ['sync', '--'],
  ['sync', '-'],
  ['sync', ''],
  ['sync', '--version'],
  ['recopy'],
  ['recopy', '.'],
  ['status'],
  ['--json', 'sync'],
  [],
];

describe('sync without the parser', () => {
  heldToParser(quietSyncArgs, parsed, accepted, leftToParser);
});
