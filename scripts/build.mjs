// Bundles the CLI into dist/ so that `npx create-migration` installs one package with no
// runtime dependencies. Commands stay in lazily loaded chunks, so `--help` loads only the core.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
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
