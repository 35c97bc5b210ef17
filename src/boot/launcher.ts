/**
 * dist/cli.js, the command users run. It answers `--help` and `--version` from text captured at
 * build time, and otherwise loads a bundled CLI with the V8 code cache the build made for it, so
 * that the CLI is not parsed and compiled again on every start: dist/jobs.js when the first
 * argument is `jobs` or `job` (a third of the code: no sync, rendering, assess or prompts),
 * dist/sync.js when it is `sync` or `recopy` (no assess, jobs, fleet, generate or status),
 * dist/generate.js for a new project in its plain form made without questions
 * (`create-migration <dir> --yes`: no argument parser, no other command), dist/fleet.js for
 * `fleet` in its plain form (likewise), else dist/main.js, which has every command.
 *
 * A cache only fits the V8 it was made by, so its name carries that version. Any other node
 * compiles the bundle as usual (node 22+ through its own module compile cache).
 * CREATE_MIGRATION_WRITE_CODE_CACHE=<file> writes the cache this run ends with, for the bundle
 * this run loaded (the build uses it).
 */
import { isAscii } from 'node:buffer';
import { fstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../core/version.js';
import { quietGenerateArgs } from './generate-args.js';
import { quietFleetArgs } from './fleet-args.js';

/** A bundle; dist/generate.js and dist/fleet.js are given dist/main.js too, to hand what they do not carry to. */
type Entry = { run(argv: string[], full?: () => Entry): Promise<void> };

function answerWithoutParser(args: string[]): boolean {
  if (args.length !== 1) return false;
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return true;
  }
  if (args[0] !== '--help' && args[0] !== '-h') return false;
  try {
    process.stdout.write(readFileSync(path.join(__dirname, 'help.txt')));
    return true;
  } catch {
    return false; // no captured help (a partial build): the parser answers
  }
}

/**
 * Whether the arguments are a new project made without a question: its plain form
 * (./generate-args.ts: one folder at most, not named like a command, and only the flags
 * generate needs, --assess aside), with --yes or no terminal to ask on.
 */
function isQuietGenerate(args: string[]): boolean {
  const quiet = quietGenerateArgs(args);
  return quiet !== undefined && (quiet.flags.yes === true || !(terminal(0) && terminal(2)));
}

/** Whether a descriptor is a character device (what a terminal is; the CLI itself asks the tty module). */
function terminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/** The bundle that answers these arguments. */
function bundleFor(args: string[]): string {
  if (args[0] === 'jobs' || args[0] === 'job') return 'jobs';
  if (args[0] === 'sync' || args[0] === 'recopy') return 'sync';
  if (args[0] === 'fleet') return quietFleetArgs(args) ? 'fleet' : 'main';
  return isQuietGenerate(args) ? 'generate' : 'main';
}

/** Where to write the code cache of the first bundle loaded (the one the launcher picked), if anywhere. */
let recordTo = process.env.CREATE_MIGRATION_WRITE_CODE_CACHE;

/** Loads a bundle (dist/<name>.js) as node would, but compiled with the cached code when there is one that fits. */
function load(name: string): Entry {
  const file = path.join(__dirname, `${name}.js`);
  const cacheFile = path.join(__dirname, `${name}.${process.versions.v8}.cache`);
  const writeTo = recordTo;
  recordTo = undefined;
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    // none for this node
  }
  if (!cached && !writeTo) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('node:module') as { enableCompileCache?: () => unknown };
    mod.enableCompileCache?.();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Entry;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vm = require('node:vm') as typeof import('node:vm');
  // The build makes the bundles ASCII: read as Latin-1 (a copy), which is the same text, without decoding UTF-8.
  const bytes = readFileSync(file);
  const source = typeof isAscii === 'function' && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData: cached });
  if (writeTo) {
    // On exit the isolate holds every function this run compiled: cache them all, for the next run.
    process.on('exit', () => {
      const tmp = `${writeTo}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, writeTo);
    });
  }
  const module = { exports: {} as Entry };
  script.runInThisContext()(module.exports, require, module, file, __dirname);
  return module.exports;
}

const args = process.argv.slice(2);
if (!answerWithoutParser(args)) {
  void load(bundleFor(args)).run(process.argv, () => load('main'));
}
