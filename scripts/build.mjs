// Bundles the CLI into dist/ so that `npx create-migration` installs one package with no
// runtime dependencies. Commands stay in lazily loaded chunks, so `--help` loads only the core.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';

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

rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });
try {
  renameSync('dist', `dist.old-${process.pid}`);
} catch {
  // no dist/ yet
}
renameSync(out, 'dist');
rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });
