import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinVersion } from '../src/edge/fleet-builtin.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { tempDir } from './helpers/cli.js';

describe('fleet reads the built-in version from the head of its bundle', () => {
  it('gives the template spec name and version of the bundle the build wrote', async () => {
    const spec = (await loadTemplateDir(BUILTIN_TEMPLATE_DIR)).spec;
    expect(builtinVersion(path.resolve('dist/builtin.json'))).toEqual({ name: spec.name, version: spec.version });
  });

  it('is undefined (the template is loaded instead) for no bundle or a bundle laid out otherwise', () => {
    const dir = tempDir();
    expect(builtinVersion(path.join(dir, 'none.json'))).toBeUndefined();
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ files: [], spec: { name: 'x', version: '9.9.9' } }));
    expect(builtinVersion(other)).toBeUndefined();
    writeFileSync(other, JSON.stringify({ spec: { version: '9.9.9', name: 'x' } }));
    expect(builtinVersion(other)).toBeUndefined();
    writeFileSync(other, JSON.stringify({ spec: { name: 'x\\"y', version: '2.0.0-rc.1' }, files: [] }));
    expect(builtinVersion(other)).toEqual({ name: 'x\\"y', version: '2.0.0-rc.1' });
  });
});
