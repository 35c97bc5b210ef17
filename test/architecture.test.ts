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

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module a source imports: static imports and re-exports, import() and require(). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

const layerOf = (file: string) => file.split('/')[0]!;

/** The layer a relative import of `file` (a path under src/) lands in, or undefined for a package. */
function targetLayer(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  return to.startsWith('..') ? 'outside src' : layerOf(to);
}

/**
 * The floors, top first: a file may import its own floor and those below it, never one above.
 * `boot/` is only how the process starts (the launcher, the prompts bundle's entry): it stands on
 * top beside cli/, and nothing below imports it.
 */
const FLOOR: Record<string, number> = { boot: 4, cli: 4, flows: 3, edge: 2, core: 1 };

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|readline|tty|net|http|https)$/;
const TERMINAL_MODULES = /^(@inquirer\/|inquirer$|commander$|simple-git$)/;

/** What is wrong with one source file of src/ (its path relative to src/, with / separators). */
export function violations(file: string, text: string): string[] {
  const layer = layerOf(file);
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const spec of importsOf(text)) {
    const to = targetLayer(file, spec);
    if (to === 'outside src') out.push(`${file}: imports ${spec}, outside src/`);
    if (layer === 'core') {
      if (IO_MODULES.test(spec)) out.push(`${file}: the core imports ${spec} (IO belongs in src/edge)`);
      if (TERMINAL_MODULES.test(spec)) out.push(`${file}: the core imports ${spec} (the terminal belongs in src/cli)`);
      if (to && to !== 'core') out.push(`${file}: the core imports ${spec} from src/${to}`);
    }
    if (layer === 'flows') {
      if (IO_MODULES.test(spec)) out.push(`${file}: a flow imports ${spec} (files and processes are reached through src/edge)`);
      if (TERMINAL_MODULES.test(spec)) out.push(`${file}: a flow imports ${spec} (the terminal belongs in src/cli)`);
      if (to === 'cli' || to === 'boot') out.push(`${file}: a flow imports ${spec} from src/${to}`);
    }
    if ((layer === 'edge' || layer === 'boot') && to === 'cli') out.push(`${file}: imports ${spec} from src/cli`);
    else if (to && FLOOR[to] !== undefined && FLOOR[layer] !== undefined && FLOOR[to]! > FLOOR[layer]! && !(layer === 'core' || (layer === 'flows' && (to === 'cli' || to === 'boot')))) {
      out.push(`${file}: imports ${spec}, which climbs from src/${layer} to src/${to}`);
    }
    if (layer !== 'cli' && spec.endsWith('/exit.js')) out.push(`${file}: imports the exit codes (${spec}); only src/cli maps errors to them`);
  }
  if (layer === 'core') {
    if (/\bexitCode\b/.test(code)) out.push(`${file}: the core speaks of exit codes`);
    if (/\bprocess\./.test(code)) out.push(`${file}: the core reads the process (${/\bprocess\.\w+/.exec(code)![0]})`);
    if (/\bconsole\./.test(code)) out.push(`${file}: the core prints`);
  }
  if (layer === 'flows') {
    for (const m of code.matchAll(/\b(console\.\w+|process\.(?:argv|exit|exitCode|stdout|stderr|stdin))\b/g)) out.push(`${file}: a flow uses ${m[1]} (argv, printing and exiting are the CLI's)`);
  }
  return out;
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.ts$/.test(e.name) ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

describe('the layers of src/', () => {
  const files = sources();

  it('has the five layers, and nothing else beside the library entry', () => {
    const top = new Set(files.map((f) => (f.includes('/') ? layerOf(f) : f)));
    expect([...top].sort()).toEqual(['boot', 'cli', 'core', 'edge', 'flows', 'index.ts']);
  });

  it('no file breaks a rule of its layer', () => {
    const broken = files.flatMap((f) => violations(f, readFileSync(path.join(SRC, f), 'utf8')));
    expect(broken).toEqual([]);
  });

  // The rules find what they are meant to: each planted fault is reported.
  it.each([
    ['core/x.ts', "import { readFileSync } from 'node:fs';", /imports node:fs/],
    ['core/x.ts', "import { spawn } from 'child_process';", /imports child_process/],
    ['core/x.ts', "const { select } = await import('@inquirer/prompts');", /@inquirer\/prompts/],
    ['core/x.ts', "import { Command } from 'commander';", /commander/],
    ['core/x.ts', "import { ProjectSession } from '../edge/project/session.js';", /from src\/edge/],
    ['core/x.ts', "import { exitCodeOf } from '../cli/exit.js';", /exit codes/],
    ['core/x.ts', 'export class E extends Error { readonly exitCode = 2; }', /speaks of exit codes/],
    ['core/x.ts', 'export const tty = process.stdout.isTTY;', /reads the process/],
    ['core/a/x.ts', "export { y } from '../../../generators/y.js';", /outside src/],
    ['flows/x.ts', 'console.log("done");', /uses console\.log/],
    ['flows/x.ts', 'const dir = process.argv[2];', /uses process\.argv/],
    ['flows/x.ts', 'process.exit(2);', /uses process\.exit/],
    ['flows/x.ts', "process.stdout.write('x');", /uses process\.stdout/],
    ['flows/x.ts', "import { say } from '../cli/output.js';", /from src\/cli/],
    ['flows/x.ts', "import { writeFileSync } from 'node:fs';", /through src\/edge/],
    ['edge/x.ts', "import { say } from '../cli/output.js';", /from src\/cli/],
    ['edge/x.ts', "import { loadBuiltin } from '../boot/builtin-bundle.js';", /climbs from src\/edge to src\/boot/],
    ['edge/project/x.ts', "import { run } from '../../flows/sync.js';", /climbs from src\/edge to src\/flows/],
  ])('%s with `%s` is refused', (file, text, message) => {
    expect(violations(file, text).join('\n')).toMatch(message);
  });

  it.each([
    ['core/x.ts', "import path from 'node:path';\nimport { createHash } from 'node:crypto';"],
    ['core/x.ts', '// process.exit is the CLI\'s, never called here\nexport const a = 1;'],
    ['flows/x.ts', "import { readProvided } from '../edge/x.js';\nimport { plan } from '../core/y.js';"],
    ['cli/x.ts', "import { exitCodeOf } from './exit.js';\nprocess.exitCode = 2;"],
  ])('%s with `%s` is allowed', (file, text) => {
    expect(violations(file, text)).toEqual([]);
  });
});
