import { readPlain } from '../boot/plain-args.js';
import type { SyncFlags } from './commands/sync.js';

/** What `sync` was asked, as the parser hands it to the command. */
export interface SyncArgs {
  dirs: string[];
  flags: SyncFlags;
}

type ValueFlag = 'to' | 'template' | 'skip' | 'branch' | 'summary' | 'conflict';
type Switch = 'check' | 'dryRun' | 'allowDirty' | 'prereleases' | 'yes' | 'json';

const VALUE_FLAGS: Record<string, ValueFlag> = { '--to': 'to', '--template': 'template', '--skip': 'skip', '--branch': 'branch', '--summary': 'summary', '--conflict': 'conflict' };
const SWITCHES: Record<string, Switch> = { '--check': 'check', '--dry-run': 'dryRun', '--allow-dirty': 'allowDirty', '--prereleases': 'prereleases', '--yes': 'yes', '-y': 'yes', '--json': 'json' };

/**
 * The plain form of `sync [dir...]` with its flags (each once, --set as often as wanted, a value
 * after its flag), read without the argument parser: dist/sync.js then starts neither the parser
 * nor its code cache (./sync-main.ts). The values are handed on as the parser hands them
 * (--conflict defaults to inline, --set to none); what they mean is the command's to check, as it
 * is after the parser. Anything else (help, `recopy`, an unknown or repeated flag, `--flag=value`,
 * a value or folder that looks like a flag, an empty one) is undefined: the parser reads it, and
 * says what is wrong. test/sync-args.test.ts holds this to the parser's own reading.
 */
export function quietSyncArgs(args: readonly string[]): SyncArgs | undefined {
  if (args[0] !== 'sync') return undefined;
  const read = readPlain(args, 1, { values: VALUE_FLAGS, switches: SWITCHES, repeatable: '--set' });
  if (!read) return undefined;
  const flags: SyncFlags = { conflict: 'inline', ...read.values, set: read.repeated };
  for (const on of read.switches) flags[on] = true;
  return { dirs: read.words, flags };
}
