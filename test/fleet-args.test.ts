/**
 * `fleet` in its plain form is read without the argument parser (dist/fleet.js has none):
 * whatever that reading accepts, the parser reads the same way, and everything else is left to
 * the parser (dist/main.js).
 */
import { describe } from 'vitest';
import { heldToParser, parsedBy } from './helpers/plain-args.js';
import { quietFleetArgs, type FleetArgs } from '../src/boot/fleet-args.js';
import { program } from '../src/cli/main.js';

/** What the parser hands fleet for these arguments, or the error code it stops with. */
async function parsed(args: string[]): Promise<FleetArgs | string> {
  let got: FleetArgs | undefined;
  const cli = program(
    () => {},
    async () => 0,
    async (dirs, flags) => ((got = { dirs: [...dirs], flags: { ...flags } }), 0),
  );
  return parsedBy(cli, args, () => got);
}

const accepted: string[][] = [
  ['fleet'],
  ['fleet', '--json'],
  ['fleet', 'a', 'b', 'c'],
  ['fleet', 'toString', 'constructor'],
  ['fleet', 'a', '--json', 'b'],
  ['fleet', '--repos', 'repos.txt', '--html', 'fleet.html'],
  ['fleet', '--sort', 'attention', '--no-requests', '--json', '../a b'],
  ['fleet', '--sort', 'nonsense'],
  ['fleet', 'a', 'a'],
  ['fleet', 'status'],
];

const leftToParser: string[][] = [
  ['fleet', '--help'],
  ['fleet', '-h'],
  ['fleet', '--bogus'],
  ['fleet', '--json', '--json'],
  ['fleet', '--no-requests', '--no-requests'],
  ['fleet', '--repos'],
  ['fleet', '--repos', ''],
  ['fleet', '--repos', '--json'],
  ['fleet', '--repos=r.txt'],
  ['fleet', '--sort', 'given', '--sort', 'attention'],
  ['fleet', '--requests'],
  ['fleet', '--'],
  ['fleet', '-'],
  ['fleet', ''],
  ['fleet', '--version'],
  ['status'],
  ['--json', 'fleet'],
  [],
];

describe('fleet without the parser', () => {
  heldToParser(quietFleetArgs, parsed, accepted, leftToParser);
});
