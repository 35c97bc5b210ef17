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
  const flags: SyncFlags = { conflict: 'inline', set: [] };
  const seen = new Set<string>();
  const dirs: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--set') {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      flags.set.push(v);
      continue;
    }
    const valued = VALUE_FLAGS[a];
    const on = SWITCHES[a];
    if (valued || on) {
      // -y and --yes are one flag: either twice is a repeat.
      const key = valued ?? on!;
      if (seen.has(key)) return undefined;
      seen.add(key);
    }
    if (valued) {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      flags[valued] = v;
    } else if (on) flags[on] = true;
    else if (a.startsWith('-') || a === '') return undefined;
    else dirs.push(a);
  }
  return { dirs, flags };
}
