// The merge's passes over whole files as WebAssembly (src/core/merge/merge.wat), assembled with wabt into a
// TypeScript module holding its bytes in base64 (src/core/merge/merge-wasm.ts). That file is
// committed, so that tests and the library run from the sources without a build; the build
// (scripts/build.mjs) rewrites it when the .wat changed, and test/merge/merge-wasm.test.ts checks
// that the committed bytes are the .wat's.
import { readFileSync, writeFileSync } from 'node:fs';

export const WAT = new URL('../src/core/merge/merge.wat', import.meta.url);
export const MODULE = new URL('../src/core/merge/merge-wasm.ts', import.meta.url);

/** The TypeScript source holding the assembled .wat (wabt's output is the same for the same text). */
export async function wasmModuleSource() {
  const { default: wabtInit } = await import('wabt');
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('merge.wat', readFileSync(WAT, 'utf8'));
  try {
    parsed.validate();
    const { buffer } = parsed.toBinary({});
    const b64 = Buffer.from(buffer).toString('base64');
    return `// Generated from merge.wat by scripts/wasm.mjs (run by the build): do not edit.\nexport const MERGE_WASM =\n  '${b64}';\n`;
  } finally {
    parsed.destroy();
  }
}

/** Rewrites merge-wasm.ts if the .wat changed; returns whether it did. */
export async function assembleWasm() {
  const text = await wasmModuleSource();
  let old = '';
  try {
    old = readFileSync(MODULE, 'utf8');
  } catch {
    // not there yet
  }
  if (old === text) return false;
  writeFileSync(MODULE, text);
  return true;
}
