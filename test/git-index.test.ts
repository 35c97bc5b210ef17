import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobId, writeIndex } from '../src/edge/git/index-file.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// Generate writes the index of a new project itself (where `git reset --hard` was a git process
// of its own): git must read it as its own, with the same entries and stat data it would record.

const FILES: [string, string, boolean?][] = [
  ['README.md', '# p\n'],
  ['docs/a b.md', 'spaces\n'],
  ['docs/deep/é.md', 'non-ASCII name\n'],
  ['docs-x.md', 'sorts between docs and docs/ as bytes\n'],
  ['run.sh', '#!/bin/sh\n', true],
  ['empty', ''],
];

function files(dir: string): void {
  for (const [p, text, exec] of FILES) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
    if (exec) chmodSync(path.join(dir, p), 0o755);
  }
}

describe('writing the index of a new project', () => {
  it('gives the ids git computes, and an index git reads as its own: same entries, same stat data, nothing to refresh', () => {
    const dir = tempDir();
    files(dir);
    gitIn(dir, 'init', '-q', '-b', 'main');
    for (const [p, text] of FILES) expect(blobId(Buffer.from(text))).toBe(gitIn(dir, 'hash-object', '--', p).trim());
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'first');
    const gits = gitIn(dir, 'ls-files', '-s', '--debug');
    rmSync(path.join(dir, '.git/index'));
    writeIndex(path.join(dir, '.git'), dir, FILES.map(([p, text, exec]) => ({ path: p, id: blobId(Buffer.from(text)), executable: exec })));
    expect(gitIn(dir, 'ls-files', '-s', '--debug')).toBe(gits);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
    expect(gitIn(dir, 'diff-files', '--name-only')).toBe('');
  });

  it('writes nothing while another git holds the index lock', () => {
    const dir = tempDir();
    files(dir);
    gitIn(dir, 'init', '-q');
    writeFileSync(path.join(dir, '.git/index.lock'), '');
    expect(() => writeIndex(path.join(dir, '.git'), dir, [{ path: 'README.md', id: blobId(Buffer.from('# p\n')) }])).toThrow(/EEXIST/);
    expect(gitIn(dir, 'ls-files')).toBe('');
  });
});
