import { existsSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../src/core/answers/resolve.js';
import { fileMatches, planRender, type PlannedFile } from '../src/core/template/plan.js';
import { isBinary } from '../src/core/merge/binary.js';
import type { LoadedTemplate } from '../src/core/template/types.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { prepareTemplate } from '../src/edge/parse-trees.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { packHeader, packTemplate, unpackTemplate } from '../src/edge/template-pack.js';
import { HOSTILE_STRINGS } from './fixtures.js';

// The built-in template ships as one pack (dist/builtin.pack): the files' bytes, and a header
// with the spec, parse trees, which files are binary or render to themselves, and which file
// rules each path matches. Rendering the unpacked template must give exactly what rendering the
// template folder gives, file for file and byte for byte.

const hb = Handlebars.create();
const answerSets = [
  {},
  { patterns: ['etl', 'api', 'reporting'], data_sources: ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet'], database_kind: 'oracle', llm_provider: 'anthropic', compliance: ['gdpr', 'hipaa'], ci: 'gitlab' },
  { system_name: HOSTILE_STRINGS[0], owner: HOSTILE_STRINGS[4], description: HOSTILE_STRINGS[6], legacy_stack: ['static_reports'], patterns: ['reporting'], ci: 'none' },
];

const renderAll = async (t: LoadedTemplate) => {
  const out: PlannedFile[][] = [];
  for (const provided of answerSets) out.push(planRender(t, await resolveAnswers(t.spec, { provided, dirName: 'pack-test', useDefaults: true })));
  return out.map((files) => files.map((f) => ({ ...f, data: Buffer.from(f.data).toString('base64') })));
};

describe('template pack', async () => {
  const dir = await prepareTemplate(await loadTemplateDir(BUILTIN_TEMPLATE_DIR));
  // Rendered before any pack is unpacked: the trees then are Handlebars' own.
  const expected = await renderAll(dir);

  it('renders the built-in template exactly as its folder does, binary and executable files included', async () => {
    const packed = packTemplate(dir, (text) => hb.parse(text));
    const t = unpackTemplate(packed)!;
    expect(t).toBeDefined();
    expect(t.spec).toEqual(dir.spec);
    expect([...t.executable!].sort()).toEqual([...dir.executable!].sort());
    expect([...t.files.keys()].sort()).toEqual([...dir.files.keys()].sort());
    expect([...(t.generators ?? new Map()).keys()].sort()).toEqual([...(dir.generators ?? new Map()).keys()].sort());
    const got = await renderAll(t);
    expect(got).toEqual(expected);
  });

  it('keeps binary files, invalid UTF-8 and text without {{ byte for byte; only text with {{ renders', async () => {
    const bytes = new Map<string, Uint8Array>([
      ['logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0x7b, 0x7b, 0xff])],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x7b, 0x7b, 0x78, 0x7d, 0x7d])],
      ['plain.md', new TextEncoder().encode('no braces here, ünïcödé\n')],
      ['{{system_name}}.md', new TextEncoder().encode('# {{system_name}} ✓\n')],
    ]);
    const small: LoadedTemplate = { ...dir, files: bytes, generators: new Map(), executable: new Set(['plain.md']) };
    const t = unpackTemplate(packTemplate(small, (text) => hb.parse(text)))!;
    for (const [p, data] of bytes) expect(Buffer.from(t.files.get(p)!).equals(Buffer.from(data)), p).toBe(true);
    const answers = await resolveAnswers(t.spec, { provided: { system_name: 'Ledger' }, dirName: 'pack-test', useDefaults: true });
    const out = new Map(planRender(t, answers).map((f) => [f.path, f]));
    expect(out.get('logo.png')!.binary).toBe(true);
    expect(out.get('latin1.txt')!.binary).toBe(true);
    expect(Buffer.from(out.get('latin1.txt')!.data).equals(Buffer.from(bytes.get('latin1.txt')!))).toBe(true);
    expect(out.get('plain.md')!.executable).toBe(true);
    expect(new TextDecoder().decode(out.get('Ledger.md')!.data)).toBe('# Ledger ✓\n');
  });

  it('the pack the build ships (dist/builtin.pack) renders as the template folder does', async () => {
    const file = new URL('../dist/builtin.pack', import.meta.url);
    expect(existsSync(file), 'run npm run build first').toBe(true);
    const t = unpackTemplate(readFileSync(file))!;
    expect(t).toBeDefined();
    expect(await renderAll(t)).toEqual(expected);
  });

  it('a pack cut short, with a damaged header, or a file outside its bytes is no pack', () => {
    const packed = packTemplate(dir, (text) => hb.parse(text));
    const size = packed.readUInt32BE(0);
    expect(packHeader(packed.subarray(0, 3))).toBeUndefined();
    expect(unpackTemplate(packed.subarray(0, 4 + size - 1))).toBeUndefined();
    const bad = Buffer.from(packed);
    bad[4] = 0x5b; // the header's "{" made "[": still JSON, not a header
    expect(unpackTemplate(bad)).toBeUndefined();
    const garbled = Buffer.from(packed);
    garbled[4 + Math.floor(size / 2)] = 0x01;
    expect(unpackTemplate(garbled)).toBeUndefined();
    // The last file's bytes cut off: its end lies past the buffer.
    expect(unpackTemplate(packed.subarray(0, packed.length - 1))).toBeUndefined();
    // A check that refuses a file's bytes refuses the pack.
    expect(unpackTemplate(packed, undefined, (_tree, p) => p !== 'README.md')).toBeUndefined();
  });

  it('rule matches worked out ahead are used only for the very rules they were made for', async () => {
    const t = unpackTemplate(packTemplate(dir, (text) => hb.parse(text)))!;
    const cond = t.spec.files.conditional;
    expect(cond.length).toBeGreaterThan(0);
    // A spec whose first conditional rule now names every file under a false condition: the
    // matches made ahead no longer fit, and the render follows the rules as they are now.
    const changed: LoadedTemplate = { ...t, spec: { ...t.spec, files: { ...t.spec.files, conditional: [{ ...cond[0]!, path: '**', when: { ci: 'no-such-ci' } }, ...cond.slice(1)] } } };
    const answers = await resolveAnswers(t.spec, { provided: {}, dirName: 'pack-test', useDefaults: true });
    expect(planRender(t, answers).length).toBeGreaterThan(10);
    expect(planRender(changed, answers)).toEqual([]);
  });

  it("carries each files/ path's rule matches and each rendering text's deps in its row; malformed, they are not used", async () => {
    const packed = packTemplate(dir, (text) => hb.parse(text));
    const t = unpackTemplate(packed)!;
    const paths = [...dir.files.keys()].sort();
    expect([...t.matches!.files.keys()].sort()).toEqual(paths);
    for (const p of paths) expect(t.matches!.files.get(p), p).toEqual(fileMatches(dir.spec, p));
    const rendering = paths.filter((p) => !isBinary(dir.files.get(p)!) && Buffer.from(dir.files.get(p)!).toString('utf8').includes('{{'));
    expect(rendering.length).toBeGreaterThan(10);
    expect([...t.deps!.keys()].sort()).toEqual(rendering);
    // One text's digest garbled, and one plain file's matches cut off: neither is trusted, and
    // the render comes out the same, worked out from the rules and trees.
    const size = packed.readUInt32BE(0);
    const header = JSON.parse(packed.toString('latin1', 4, 4 + size)) as { files: unknown[][] };
    header.files.find((f) => f[0] === 'files' && f[4] === 2)![9] = 'not a digest';
    header.files.find((f) => f[0] === 'files' && f[4] !== 2)!.length = 7;
    const json = Buffer.from(JSON.stringify(header), 'latin1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const broken = unpackTemplate(Buffer.concat([length, json, packed.subarray(4 + size)]))!;
    expect(broken.deps).toBeUndefined();
    expect(broken.matches).toBeUndefined();
    expect(await renderAll(broken)).toEqual(expected);
  });

  it('a packed tree that does not unpack is parsed from its text instead, when first rendered', async () => {
    const packed = packTemplate(dir, (text) => hb.parse(text));
    const size = packed.readUInt32BE(0);
    const header = JSON.parse(packed.toString('latin1', 4, 4 + size)) as { files: [string, string, number, number, unknown, number?, number?][]; trees: number };
    const broken = header.files.filter((f) => f[4] === 2);
    expect(broken.length).toBeGreaterThan(10);
    // Every tree replaced: half by one that names no statement, half by bytes that are not JSON.
    const trees = '[["no such statement"]]{';
    broken.forEach((f, i) => {
      [f[5], f[6]] = i % 2 ? [0, trees.length - 1] : [trees.length - 1, trees.length];
    });
    const files = packed.subarray(4 + size + header.trees);
    header.trees = trees.length;
    const json = Buffer.from(JSON.stringify(header), 'latin1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const t = unpackTemplate(Buffer.concat([length, json, Buffer.from(trees, 'latin1'), files]))!;
    expect(await renderAll(t)).toEqual(expected);
  });
});
