/**
 * The layering of src/, checked on the sources themselves: the pure core (src/core) does no IO,
 * knows no terminal and no exit code; the use cases (src/flows) never read argv, print or exit,
 * and reach files and processes only through src/edge;
 * nothing reaches up a layer. Each rule names the file and the import or call that breaks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every module a source imports: static imports and re-exports, import() and require(). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

/** The modules imported for their types alone (`import type ... from`, `export type ... from`): erased when built. */
function typeOnlyImports(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(?:import|export)\s+type\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!));
}

/**
 * The floor of a source file (its path from the repository root, with / separators): src/<layer>/,
 * the top-level generators/, the library entry and plopfile.ts; anything else is outside them.
 */
function layerOf(file: string): string {
  if (file === 'plopfile.ts') return 'plopfile';
  if (file === 'src/index.ts') return 'index';
  const [top, second] = file.split('/');
  if (top === 'generators') return 'generators';
  if (top === 'src' && second && file.split('/').length > 2) return second;
  return 'outside';
}

/** The floor a relative import of `file` lands in, or undefined for a package. */
function targetLayer(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return layerOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
}

/**
 * The floors, top first: a file may import its own floor and those below it, never one above.
 * `boot/` is only how the process starts (the launcher, the prompts bundle's entry): it stands on
 * top beside cli/, and nothing below imports it. `generators/` (plop's generators, at the
 * repository's top as plop projects keep them) stands on the flows that run them: the CLI and
 * plopfile.ts import it, no flow does (a flow that needs a generator is handed its spec).
 */
const FLOOR: Record<string, number> = { plopfile: 5, index: 5, boot: 5, cli: 5, generators: 4, flows: 3, edge: 2, core: 1 };

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|readline|tty|net|http|https)$/;
const TERMINAL_MODULES = /^(@inquirer\/|inquirer$|commander$|simple-git$)/;

/** What is wrong with one source file (its path from the repository root, with / separators). */
export function violations(file: string, text: string): string[] {
  const layer = layerOf(file);
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
  const typesOnly = typeOnlyImports(text);
  for (const spec of importsOf(text)) {
    const to = targetLayer(file, spec);
    if (to === 'outside') out.push(`${file}: imports ${spec}, outside src/ and generators/`);
    if (layer === 'generators') {
      // A generator declares; the flows do the work. Of edge, it may name types only.
      if (IO_MODULES.test(spec)) out.push(`${file}: a generator imports ${spec} (files and processes are reached through src/flows)`);
      if (TERMINAL_MODULES.test(spec)) out.push(`${file}: a generator imports ${spec} (the terminal belongs in src/cli)`);
      if (to === 'edge' && !typesOnly.has(spec)) out.push(`${file}: a generator imports ${spec} from src/edge for more than its types (run IO through a flow)`);
    }
    if (layer === 'core') {
      if (IO_MODULES.test(spec)) out.push(`${file}: the core imports ${spec} (IO belongs in src/edge)`);
      if (TERMINAL_MODULES.test(spec)) out.push(`${file}: the core imports ${spec} (the terminal belongs in src/cli)`);
      if (to && to !== 'core' && to !== 'outside') out.push(`${file}: the core imports ${spec} from ${floorName(to)}`);
    }
    if (layer === 'flows') {
      if (IO_MODULES.test(spec)) out.push(`${file}: a flow imports ${spec} (files and processes are reached through src/edge)`);
      if (TERMINAL_MODULES.test(spec)) out.push(`${file}: a flow imports ${spec} (the terminal belongs in src/cli)`);
      if (to === 'cli' || to === 'boot') out.push(`${file}: a flow imports ${spec} from src/${to}`);
    }
    if ((layer === 'edge' || layer === 'boot') && to === 'cli') out.push(`${file}: imports ${spec} from src/cli`);
    else if (to && FLOOR[to] !== undefined && FLOOR[layer] !== undefined && FLOOR[to]! > FLOOR[layer]! && !(layer === 'core' || (layer === 'flows' && (to === 'cli' || to === 'boot')))) {
      out.push(`${file}: imports ${spec}, which climbs from ${floorName(layer)} to ${floorName(to)}`);
    }
    if (layer !== 'cli' && spec.endsWith('/exit.js')) out.push(`${file}: imports the exit codes (${spec}); only src/cli maps errors to them`);
  }
  if (layer === 'core') {
    if (/\bexitCode\b/.test(code)) out.push(`${file}: the core speaks of exit codes`);
    if (/\bprocess\./.test(code)) out.push(`${file}: the core reads the process (${/\bprocess\.\w+/.exec(code)![0]})`);
    if (/\bconsole\./.test(code)) out.push(`${file}: the core prints`);
  }
  if (layer === 'flows' || layer === 'generators') {
    for (const m of code.matchAll(/\b(console\.\w+|process\.(?:argv|exit|exitCode|stdout|stderr|stdin))\b/g)) out.push(`${file}: ${layer === 'flows' ? 'a flow' : 'a generator'} uses ${m[1]} (argv, printing and exiting are the CLI's)`);
  }
  return out;
}

const floorName = (layer: string) => (layer === 'generators' ? 'generators/' : layer === 'plopfile' ? 'plopfile.ts' : layer === 'index' ? 'src/index.ts' : `src/${layer}`);

/** The .ts files under a folder of the repository, by their path from its root. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return /\.ts$/.test(e.name) ? [rel] : [];
  });
}

describe('the floors of src/ and generators/', () => {
  const files = [...sources('src'), ...sources('generators'), 'plopfile.ts'];

  it('src/ has the five layers, and nothing else beside the library entry', () => {
    const top = new Set(sources('src').map((f) => (f.split('/').length > 2 ? layerOf(f) : f)));
    expect([...top].sort()).toEqual(['boot', 'cli', 'core', 'edge', 'flows', 'src/index.ts']);
  });

  it('the generators are at the top level, where plop projects keep them, and src/ holds none', () => {
    expect(sources('generators')).toContain('generators/index.ts');
    expect(sources('src').filter((f) => f.includes('/generators/'))).toEqual([]);
  });

  it('no file breaks a rule of its floor', () => {
    const broken = files.flatMap((f) => violations(f, readFileSync(path.join(ROOT, f), 'utf8')));
    expect(broken).toEqual([]);
  });

  // The rules find what they are meant to: each planted fault is reported.
  it.each([
    ['src/core/x.ts', "import { readFileSync } from 'node:fs';", /imports node:fs/],
    ['src/core/x.ts', "import { spawn } from 'child_process';", /imports child_process/],
    ['src/core/x.ts', "const { select } = await import('@inquirer/prompts');", /@inquirer\/prompts/],
    ['src/core/x.ts', "import { Command } from 'commander';", /commander/],
    ['src/core/x.ts', "import { ProjectSession } from '../edge/project/session.js';", /from src\/edge/],
    ['src/core/x.ts', "import { exitCodeOf } from '../cli/exit.js';", /exit codes/],
    ['src/core/x.ts', 'export class E extends Error { readonly exitCode = 2; }', /speaks of exit codes/],
    ['src/core/x.ts', 'export const tty = process.stdout.isTTY;', /reads the process/],
    ['src/core/a/x.ts', "export { y } from '../../../scripts/y.js';", /outside src/],
    ['src/core/x.ts', "import { workflowSpec } from '../../generators/workflow.js';", /the core imports .* from generators\//],
    ['src/edge/x.ts', "import { addGenerators } from '../../generators/index.js';", /climbs from src\/edge to generators\//],
    ['src/flows/x.ts', "import { workflowSpec } from '../../generators/workflow.js';", /climbs from src\/flows to generators\//],
    ['src/flows/a/x.ts', "const { nodeSpec } = await import('../../../generators/node.js');", /climbs from src\/flows to generators\//],
    ['generators/x.ts', "import { say } from '../src/cli/output.js';", /climbs from generators\/ to src\/cli/],
    ['generators/x.ts', "import { started } from '../src/boot/launcher.js';", /climbs from generators\/ to src\/boot/],
    ['generators/x.ts', "import { ProjectSession } from '../src/edge/project/session.js';", /from src\/edge for more than its types/],
    ['generators/x.ts', "import { readFileSync } from 'node:fs';", /a generator imports node:fs/],
    ['generators/x.ts', "import { input } from '@inquirer/prompts';", /a generator imports @inquirer/],
    ['generators/x.ts', 'console.log("added");', /a generator uses console\.log/],
    ['generators/x.ts', "import { z } from '../test/helpers/cli.js';", /outside src\/ and generators\//],
    ['src/flows/x.ts', 'console.log("done");', /uses console\.log/],
    ['src/flows/x.ts', 'const dir = process.argv[2];', /uses process\.argv/],
    ['src/flows/x.ts', 'process.exit(2);', /uses process\.exit/],
    ['src/flows/x.ts', "process.stdout.write('x');", /uses process\.stdout/],
    ['src/flows/x.ts', "import { say } from '../cli/output.js';", /from src\/cli/],
    ['src/flows/x.ts', "import { writeFileSync } from 'node:fs';", /through src\/edge/],
    ['src/edge/x.ts', "import { say } from '../cli/output.js';", /from src\/cli/],
    ['src/edge/x.ts', "import { loadBuiltin } from '../boot/builtin-bundle.js';", /climbs from src\/edge to src\/boot/],
    ['src/edge/project/x.ts', "import { run } from '../../flows/sync.js';", /climbs from src\/edge to src\/flows/],
  ])('%s with `%s` is refused', (file, text, message) => {
    expect(violations(file, text).join('\n')).toMatch(message);
  });

  it.each([
    ['src/core/x.ts', "import path from 'node:path';\nimport { createHash } from 'node:crypto';"],
    ['src/core/x.ts', '// process.exit is the CLI\'s, never called here\nexport const a = 1;'],
    ['src/flows/x.ts', "import { readProvided } from '../edge/x.js';\nimport { plan } from '../core/y.js';"],
    ['generators/x.ts', "import { runAdd, type AddSpec } from '../src/flows/add.js';\nimport { question } from '../src/core/names.js';\nimport type { Sessionish } from '../src/edge/project/session.js';"],
    ['src/cli/commands/x.ts', "import { addGenerators } from '../../../generators/index.js';"],
    ['plopfile.ts', "import { addGenerators } from './generators/index.js';\nimport { checkAnswer } from './src/core/answers/validate.js';"],
    ['src/cli/x.ts', "import { exitCodeOf } from './exit.js';\nprocess.exitCode = 2;"],
  ])('%s with `%s` is allowed', (file, text) => {
    expect(violations(file, text)).toEqual([]);
  });
});
