import { readPlain } from '../boot/plain-args.js';
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
  const read = readPlain(args, 1, { values: VALUE_FLAGS[command], switches: SWITCHES[command] });
  if (!read) return undefined;
  const flags: Record<string, string | boolean> = { ...read.values };
  for (const on of read.switches) flags[on] = true;
  if (command === 'jobs') return read.words.length ? undefined : { command, flags: flags as JobsFlags };
  if (read.words.length !== 1 || typeof flags.to !== 'string') return undefined;
  return { command, id: read.words[0]!, flags: flags as unknown as JobFlags };
}
