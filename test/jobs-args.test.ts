/**
 * `jobs` and `job` in their plain forms are read without the argument parser (for a faster
 * start): whatever that reading accepts, the parser reads the same way, and everything else is
 * left to the parser.
 */
import { describe } from 'vitest';
import { heldToParser, parsedBy } from './helpers/plain-args.js';
import { quickJobArgs, type JobArgs } from '../src/cli/jobs-args.js';
import { jobCommands } from '../src/cli/jobs-program.js';
import { rootCommand } from '../src/cli/root-command.js';

/** What the parser hands the command for these arguments, or the error code it stops with. */
async function parsed(args: string[]): Promise<JobArgs | string> {
  let got: JobArgs | undefined;
  const cli = rootCommand();
  jobCommands(cli, () => {}, {
    jobs: async (flags) => ((got = { command: 'jobs', flags: { ...flags } }), 0),
    job: async (id, flags) => ((got = { command: 'job', id, flags: { ...flags } }), 0),
  });
  return parsedBy(cli, args, () => got);
}

const accepted: string[][] = [
  ['jobs'],
  ['jobs', '--json'],
  ['job', 'toString', '--to', 'ported'],
  ['job', 'constructor', '--to', 'ported'],
  ['jobs', '--project', 'p'],
  ['jobs', '--json', '--project', '../a b'],
  ['jobs', '--project', 'p', '--json'],
  ['job', 'nightly', '--to', 'ported'],
  ['job', '--to', 'ported', 'nightly'],
  ['job', 'nightly', '--to', 'switched', '--reason', 'totals off', '--force', '--by', 'Ann', '--project', 'p', '--json'],
  ['job', 'x', '--json', '--to', 'parallel'],
  ['job', 'x', '--to', 'nonsense'],
  ['job', 'x', '--to', 'ported', '--reason', 'why: "quoted" and 😀'],
];

const leftToParser: string[][] = [
  ['jobs', '--help'],
  ['jobs', '-h'],
  ['jobs', 'extra'],
  ['jobs', '--bogus'],
  ['jobs', '--project'],
  ['jobs', '--project', '--json'],
  ['jobs', '--project=p'],
  ['jobs', '--project', 'a', '--project', 'b'],
  ['jobs', '--json', '--json'],
  ['jobs', '--'],
  ['jobs', '--project', ''],
  ['job'],
  ['job', 'x'],
  ['job', 'x', '--to'],
  ['job', 'x', '--to', '-1'],
  ['job', 'x', 'y', '--to', 'ported'],
  ['job', 'x', '--to', 'ported', '--to', 'parallel'],
  ['job', 'x', '--to', 'ported', '--force', '--force'],
  ['job', 'x', '--to=ported'],
  ['job', '--to', 'ported'],
  ['job', 'x', '--to', 'ported', '--help'],
  ['job', 'x', '--to', 'ported', '--version'],
  ['job', '-x', '--to', 'ported'],
  ['job', 'x', '--to', 'ported', '--'],
  ['job', 'x', '--to', 'ported', '--project'],
  ['status'],
  [],
];

describe('jobs and job without the parser', () => {
  heldToParser(quickJobArgs, parsed, accepted, leftToParser);
});
