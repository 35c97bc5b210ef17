import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinVersion } from '../src/edge/fleet-builtin.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { tempDir } from './helpers/cli.js';

describe('fleet reads the built-in version from the head of its pack', () => {
  it('gives the template spec name and version of the pack the build wrote', async () => {
    const spec = (await loadTemplateDir(BUILTIN_TEMPLATE_DIR)).spec;
    expect(builtinVersion(path.resolve('dist/builtin.pack'))).toEqual({ name: spec.name, version: spec.version });
  });

  it('is undefined (the template is loaded instead) for no pack or a pack laid out otherwise', () => {
    const dir = tempDir();
    expect(builtinVersion(path.join(dir, 'none.pack'))).toBeUndefined();
    const other = path.join(dir, 'other.pack');
    /** A pack's head: the header's length (4 bytes, big-endian), the header, then file bytes. */
    const pack = (header: unknown, claimed?: number) => {
      const json = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(claimed ?? json.length);
      writeFileSync(other, Buffer.concat([length, json, Buffer.from('file bytes')]));
    };
    pack({ files: [], spec: { name: 'x', version: '9.9.9' } });
    expect(builtinVersion(other)).toBeUndefined();
    pack({ spec: { version: '9.9.9', name: 'x' } });
    expect(builtinVersion(other)).toBeUndefined();
    // A header that ends before the version (its length says so) is not read past.
    pack({ spec: { name: 'x', version: '9.9.9' } }, 20);
    expect(builtinVersion(other)).toBeUndefined();
    writeFileSync(other, JSON.stringify({ spec: { name: 'x', version: '9.9.9' } }));
    expect(builtinVersion(other)).toBeUndefined();
    pack({ spec: { name: 'x\\"y', version: '2.0.0-rc.1' }, files: [] });
    expect(builtinVersion(other)).toEqual({ name: 'x\\"y', version: '2.0.0-rc.1' });
  });
});
