/**
 * fleet's index of managed files found without conflict markers (src/edge/marker-index.ts): a
 * later run reads only what changed, and never takes "no markers" from the index once the file
 * changed, however it was changed (in place with its size and modification time kept, replaced),
 * nor from a damaged index.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markerFiles } from '../src/edge/fleet-read.js';
import { MARGIN_MS } from '../src/edge/parity-index.js';
import { MarkerIndex } from '../src/edge/marker-index.js';
import { ProjectReader } from '../src/edge/project/reader.js';
import { tempDir } from './helpers/cli.js';

const CONFLICT = '<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> template\n';
const FILES = Array.from({ length: 8 }, (_, i) => `docs/part-${i}.md`);

function project(): { root: string; index: string } {
  const root = tempDir();
  mkdirSync(path.join(root, 'docs'));
  for (const f of FILES) writeFileSync(path.join(root, f), `# ${f}\n\nsome text ${'x'.repeat(40)}\n`);
  return { root, index: path.join(tempDir(), 'markers') };
}

/** One fleet look at the files, `later` ms after now (the files' stamps then old enough to record). */
function look(root: string, index: string, later = 2 * MARGIN_MS): { markers: string[]; reads: string[] } {
  const files = ProjectReader.openReadOnly({ dir: root, manifest: 'optional' });
  const reads: string[] = [];
  const counting = { read: ((p: string, from: string, o?: { maxBytes?: number }) => (reads.push(p), files.read(p, from, o))) as ProjectReader['read'] };
  return { markers: markerFiles(counting, FILES, new MarkerIndex(files.root, index, Date.now() + later)), reads };
}

describe("fleet's index of files without conflict markers", () => {
  it('a second look reads no clean file again; a file with markers is read every time', () => {
    const { root, index } = project();
    writeFileSync(path.join(root, FILES[3]!), `text\n${CONFLICT}`);
    const first = look(root, index);
    expect(first.markers).toEqual([FILES[3]]);
    expect(first.reads).toHaveLength(FILES.length);
    const second = look(root, index);
    expect(second.markers).toEqual([FILES[3]]);
    expect(second.reads).toEqual([FILES[3]]);
  });

  it('sees markers written into a file in place, its size and modification time kept', () => {
    const { root, index } = project();
    look(root, index);
    const file = path.join(root, FILES[5]!);
    const before = statSync(file);
    const ref = `${file}.ref`;
    execFileSync('cp', ['-p', file, ref]);
    const text = readFileSync(file, 'utf8');
    const edited = `${CONFLICT}${text}`.slice(0, text.length);
    writeFileSync(file, edited);
    execFileSync('touch', ['-r', ref, file]);
    expect([statSync(file).ino, statSync(file).size, statSync(file).mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    expect(look(root, index).markers).toEqual([FILES[5]]);
  });

  it('sees a file replaced (another inode), and records nothing younger than the margin', () => {
    const { root, index } = project();
    const young = look(root, index, 0);
    expect(young.reads).toHaveLength(FILES.length);
    expect(look(root, index, 0).reads).toHaveLength(FILES.length); // nothing was recorded
    look(root, index);
    const file = path.join(root, FILES[1]!);
    writeFileSync(`${file}.new`, CONFLICT);
    renameSync(`${file}.new`, file);
    const after = look(root, index);
    expect(after.markers).toEqual([FILES[1]]);
    expect(after.reads).toEqual([FILES[1]]);
  });

  it('ignores a damaged index and reads every file', () => {
    const { root, index } = project();
    look(root, index);
    const [name] = readdirSync(index);
    const file = path.join(index, name!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"clean":{', '"clean":{"x":1,'));
    writeFileSync(path.join(root, FILES[0]!), CONFLICT);
    const after = look(root, index);
    expect(after.reads).toHaveLength(FILES.length);
    expect(after.markers).toEqual([FILES[0]]);
  });
});
