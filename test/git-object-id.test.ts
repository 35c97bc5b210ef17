import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetId, objectId } from '../src/edge/git/object-id.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// Every id the CLI computes in-process (the index proof, the pristine write, the template cache's
// check) must be git's own: a wrong one would make sync trust a changed file or write a broken
// object. Small bodies go through node's one-shot hash, bodies over 1 MiB are streamed.

describe('git object ids computed in-process', () => {
  it('equal git hash-object for blobs on both sides of the one-shot limit, empty and binary ones too', () => {
    const dir = tempDir();
    gitIn(dir, 'init', '-q');
    const bodies: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['text', Buffer.from('# p\nnon-ASCII: é → ✓\n')],
      ['binary', Buffer.from([0, 255, 1, 254, 0, 0, 10])],
      ['at the limit', Buffer.alloc(1 << 20, 'a')],
      ['over the limit', Buffer.alloc((1 << 20) + 1, 'b')],
    ];
    for (const [name, body] of bodies) {
      const file = path.join(dir, name.replace(/ /g, '-'));
      writeFileSync(file, body);
      expect(objectId('blob', body), name).toBe(gitIn(dir, 'hash-object', '--no-filters', file).trim());
      // A view into a bigger buffer hashes only its own bytes.
      const framed = Buffer.concat([Buffer.from('xx'), body, Buffer.from('yy')]);
      expect(objectId('blob', framed.subarray(2, 2 + body.length)), `${name} as a view`).toBe(objectId('blob', body));
    }
  });

  it('a big blob hashed again is given its own id: a remembered id is for that bytes object only, and forgotten on request', () => {
    const dir = tempDir();
    gitIn(dir, 'init', '-q');
    const gitId = (body: Buffer) => {
      const file = path.join(dir, 'big');
      writeFileSync(file, body);
      return gitIn(dir, 'hash-object', '--no-filters', file).trim();
    };
    const body = Buffer.alloc(300_000, 'a');
    const first = objectId('blob', body);
    expect(objectId('blob', body)).toBe(first);
    // Equal bytes in another buffer, and another view of the same memory, are hashed for themselves.
    const twin = Buffer.from(body);
    twin[5] = 0x62;
    expect(objectId('blob', twin)).toBe(gitId(twin));
    expect(objectId('blob', body.subarray(1))).toBe(gitId(body.subarray(1)));
    // SHA-1 and SHA-256 are remembered apart.
    expect(objectId('blob', body, 'sha256')).not.toBe(first);
    forgetId(body);
    body[0] = 0x62;
    expect(objectId('blob', body)).toBe(gitId(body));
    expect(objectId('blob', body)).not.toBe(first);
  });

  it('equal git hash-object -t for other object types, and its SHA-256 ids', () => {
    const dir = tempDir();
    gitIn(dir, 'init', '-q');
    const file = path.join(dir, 'c');
    const commit = Buffer.from(`tree ${'4b825dc642cb6eb9a060e54bf8d69288fbee4904'}\nauthor a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\nm\n`);
    writeFileSync(file, commit);
    expect(objectId('commit', commit)).toBe(gitIn(dir, 'hash-object', '-t', 'commit', '--no-filters', file).trim());
    const sha256 = tempDir();
    gitIn(sha256, 'init', '-q', '--object-format=sha256');
    writeFileSync(path.join(sha256, 'f'), 'x\n');
    expect(objectId('blob', Buffer.from('x\n'), 'sha256')).toBe(gitIn(sha256, 'hash-object', '--no-filters', 'f').trim());
  });
});
