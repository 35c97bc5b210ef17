// Bundles the CLI into dist/ so that `npx create-migration` installs one package with no
// runtime dependencies. Commands stay in lazily loaded chunks, so `--help` loads only the core.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a CLI running from dist/ (a test, another build) never
// finds it half-written.
const out = `dist.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/bin.ts', index: 'src/index.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  chunkNames: '[name]-[hash]',
  define: { __CM_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (handlebars) call require(); give the ESM bundle one.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cmCreateRequire } from 'node:module';\nconst require = __cmCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The built-in template as data: its validated spec and each text file's parse tree (locations
// dropped), so the CLI neither parses YAML nor Handlebars for it. See src/io/builtin-bundle.ts.
{
  const lib = await import(new URL(`../${out}/index.js`, import.meta.url).href);
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  const tpl = await lib.loadTemplateDir(lib.BUILTIN_TEMPLATE_DIR);
  // Locations and whitespace-control flags are spent once parsed: leave them out.
  const drop = new Set(['loc', 'strip', 'openStrip', 'closeStrip', 'inverseStrip', 'original', 'escaped']);
  const strip = (k, v) => (drop.has(k) ? undefined : v);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const entries = [];
  const pathTrees = [];
  for (const [tree, map] of [['files', tpl.files], ['generators', tpl.generators ?? new Map()]]) {
    for (const [p, data] of map) {
      if (p.includes('{{')) pathTrees.push([p, JSON.parse(JSON.stringify(hb.parse(p), strip))]);
      let text;
      try {
        text = data.includes(0) ? undefined : utf8.decode(data);
      } catch {
        text = undefined;
      }
      if (text === undefined) entries.push([tree, p, null, Buffer.from(data).toString('base64')]);
      else entries.push([tree, p, text, text.includes('{{') ? JSON.parse(JSON.stringify(hb.parse(text), strip)) : null]);
    }
  }
  writeFileSync(`${out}/builtin.json`, JSON.stringify({ spec: tpl.spec, files: entries, paths: pathTrees }));
}

// The top-level help as the argument parser prints it, for bin.ts to answer --help quickly.
{
  const { execFileSync } = await import('node:child_process');
  const help = execFileSync(process.execPath, [`${out}/cli.js`, '--json', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
  writeFileSync(`${out}/help.txt`, help);
}

rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });
try {
  renameSync('dist', `dist.old-${process.pid}`);
} catch {
  // no dist/ yet
}
renameSync(out, 'dist');
rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });
