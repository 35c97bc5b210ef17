import type { JobFlags, JobsFlags } from './commands/jobs.js';

/** What `jobs` or `job` was asked, as the parser hands it to the command. */
export type JobArgs = { command: 'jobs'; flags: JobsFlags } | { command: 'job'; id: string; flags: JobFlags };

const VALUE_FLAGS: Record<'jobs' | 'job', Record<string, keyof JobFlags>> = {
  jobs: { '--project': 'project' },
  job: { '--project': 'project', '--to': 'to', '--reason': 'reason', '--by': 'by' },
};
const SWITCHES: Record<'jobs' | 'job', Record<string, keyof JobFlags>> = {
  jobs: { '--json': 'json' },
  job: { '--json': 'json', '--force': 'force' },
};

/**
 * The plain forms of `jobs` and `job <id> --to <state>` (each flag once, a value after its flag,
 * one id), read without the argument parser so that a look or a move does not start it. Anything
 * else (help, an unknown or repeated flag, `--flag=value`, a value that looks like a flag, a
 * missing --to) is undefined: the parser (./jobs-program.ts) reads it, and says what is wrong.
 * test/jobs-args.test.ts holds this to the parser's own reading.
 */
export function quickJobArgs(args: readonly string[]): JobArgs | undefined {
  const command = args[0];
  if (command !== 'jobs' && command !== 'job') return undefined;
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const valued = VALUE_FLAGS[command][a];
    const on = SWITCHES[command][a];
    if (valued) {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-') || valued in flags) return undefined;
      flags[valued] = v;
    } else if (on) {
      if (on in flags) return undefined;
      flags[on] = true;
    } else if (a.startsWith('-') || a === '') return undefined;
    else positional.push(a);
  }
  if (command === 'jobs') return positional.length ? undefined : { command, flags: flags as JobsFlags };
  if (positional.length !== 1 || typeof flags.to !== 'string') return undefined;
  return { command, id: positional[0]!, flags: flags as unknown as JobFlags };
}
