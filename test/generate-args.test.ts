/**
 * A new project in its plain form is read without the argument parser (dist/generate.js has
 * none): whatever that reading accepts, the parser reads the same way, and everything else is
 * left to the parser (dist/main.js).
 */
import { describe, expect, it } from 'vitest';
import { heldToParser, parsedBy } from './helpers/plain-args.js';
import { COMMAND_WORDS, quietGenerateArgs, type GenerateArgs } from '../src/boot/generate-args.js';
import { program } from '../src/cli/main.js';

/** What the parser hands generate for these arguments, or the error code it stops with. */
async function parsed(args: string[]): Promise<GenerateArgs | string> {
  let got: GenerateArgs | undefined;
  const cli = program(
    () => {},
    async (dir, flags) => ((got = { dir, flags: { ...flags } }), 0),
  );
  return parsedBy(cli, args, () => got);
}

const accepted: string[][] = [
  [],
  ['--yes'],
  ['toString', '--yes'],
  ['constructor'],
  ['p', '--yes'],
  ['--yes', 'p'],
  ['-y', '../a b'],
  ['p', '--yes', '--no-git'],
  ['p', '--yes', '--json', '--dry-run', '--force'],
  ['p', '--template', 'tpl#v1.0.0', '--yes'],
  ['p', '--answers', 'answers.yaml'],
  ['p', '--yes', '--set', 'owner=Billing team', '--set', 'data_sources=csv,database'],
  ['p', '--set', 'owner=-x', '--set', 'nokey', '-y'],
  ['p', '--set', 'a=1', '--set', 'a=2'],
  ['billing-migration', '--yes'],
  ['stat', '--yes'],
  ['p', '--template', '#ref', '--answers', 'a b.json', '--set', 'k=v', '-y', '--no-git', '--force', '--dry-run', '--json'],
];

const leftToParser: string[][] = [
  ['--help'],
  ['p', '-h'],
  ['p', '--yes', '--help'],
  ['--version'],
  ['-v'],
  ['p', 'q', '--yes'],
  ['p', '--bogus'],
  ['p', '--yes', '--yes'],
  ['p', '-y', '--yes'],
  ['p', '--no-git', '--no-git'],
  ['p', '--template'],
  ['p', '--template', ''],
  ['p', '--template', '--yes'],
  ['p', '--template=tpl'],
  ['p', '--template', 'a', '--template', 'b'],
  ['p', '--answers', 'a', '--answers', 'b'],
  ['p', '--set'],
  ['p', '--set', ''],
  ['p', '--set', '-x'],
  ['p', '--set=a=1'],
  ['p', '--assess', 'legacy'],
  ['p', '--git'],
  ['p', '-yf'],
  ['p', '--'],
  ['--', 'p'],
  ['-'],
  [''],
  ['status'],
  ['stauts', '--yes'],
  ['Status', '--yes'],
  ['help'],
  ['halp', '--yes'],
  ['sync'],
  ['job', '--yes'],
  ['asess', '--yes'],
  ['completion', 'bash'],
];

describe('a new project without the parser', () => {
  heldToParser(quietGenerateArgs, parsed, accepted, leftToParser);

  it("knows every word the parser takes as a command (a folder named like one is the parser's to refuse)", () => {
    const commands = program(() => {}).commands.map((c) => c.name());
    expect([...COMMAND_WORDS].sort()).toEqual([...commands, 'help'].sort());
  });
});
