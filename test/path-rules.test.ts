import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullPathProblem, isDotGit, pathProblem, LIMITS } from '../src/core/path-rules.js';
import { toOutputPath } from '../src/core/template/paths.js';

describe('the one path rule', () => {
  it.each([
    // [path, kind refused as]
    ['sub/.git/config', 'git'],
    ['.GIT/config', 'git'],
    ['.Git/hooks/post-checkout', 'git'],
    ['a/b/c/.gIt/x', 'git'],
    ['.git', 'git'],
    ['x/.git.', 'git'], // NTFS drops trailing dots
    ['x/.git ', 'git'], // and spaces
    ['x/.git::$INDEX_ALLOCATION/hooks/y', 'git'], // an NTFS stream name
    ['x/GIT~1/config', 'git'], // the 8.3 short name
    ['x/.g\u200cit/config', 'git'], // HFS+ ignores zero-width joiners
    ['x/.\ufeffgit/config', 'git'],
    ['.migration-template.json', 'reserved'],
    ['sub/.migration-template.json', 'reserved'],
    ['.Migration-Template.JSON', 'reserved'],
    ['.migration-template.journal', 'reserved'],
    ['.migration-template.lock', 'reserved'],
    ['.migration-template.lock.123', 'reserved'],
    ['docs/.notes.deadbeefdeadbeef.cm-tmp', 'reserved'],
    ['X.CM-TMP', 'reserved'],
    ['../x', 'parent'],
    ['a/../../x', 'parent'],
    ['a/..', 'parent'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['c:x', 'absolute'],
    ['a\\..\\x', 'character'],
    ['a\u0000b', 'character'],
    ['a\nb', 'character'],
    ['a\u007fb', 'character'],
    ['a/\ud800/b', 'character'],
    ['', 'empty'],
    ['a//b', 'segment'],
    ['./a', 'segment'],
    ['a/', 'segment'],
    [`${'x'.repeat(256)}`, 'length'],
    [`a/${'é'.repeat(128)}`, 'length'], // 256 bytes in UTF-8
    [`${'abcdefgh/'.repeat(114)}x`, 'length'], // 1027 bytes
  ])('refuses %j (%s)', (p, kind) => {
    expect(pathProblem(p)?.kind).toBe(kind);
  });

  it.each(['README.md', 'docs/phases/phase-1.md', '.gitignore', '.github/workflows/ci.yml', '.gitkeep', 'a/git/b', 'a/.gits', 'x.git', '中文/ü.md', `${'x'.repeat(255)}`, '...', 'a/.../b'])('accepts %j', (p) => {
    expect(pathProblem(p)).toBeUndefined();
  });

  it('lets the tool, and only the tool, name its manifest', () => {
    expect(pathProblem('.migration-template.json', { manifest: true })).toBeUndefined();
    expect(pathProblem('sub/.migration-template.json', { manifest: true })?.kind).toBe('reserved');
    expect(pathProblem('.migration-template.journal', { manifest: true })?.kind).toBe('reserved');
  });

  it('dot_ names that render to .git are caught after rendering', () => {
    expect(pathProblem(toOutputPath('sub/dot_git/config'))?.kind).toBe('git');
    expect(pathProblem(toOutputPath('dot_GIT/hooks/x'))?.kind).toBe('git');
    expect(pathProblem(toOutputPath('dot_migration-template.journal'))?.kind).toBe('reserved');
  });

  const PIECES = ['.', '..', '/', '\\', '\u0000', '.git', '.GIT', '.gIt', 'git~1', 'dot_git', 'a', 'b', 'é', '中', '\u200c', ' ', ':', '~', 'x'.repeat(300), '.migration-template.', '.cm-tmp'];
  const pathString = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 4 }) }), { maxLength: 12 }).map((xs) => xs.join(''));

  it('property: every path it accepts stays inside the root and names no git folder, in any case', () => {
    fc.assert(
      fc.property(pathString, (raw) => {
        const p = toOutputPath(raw);
        if (pathProblem(p)) return;
        const full = path.posix.resolve('/root/project', p);
        expect(full.startsWith('/root/project/')).toBe(true);
        expect(path.posix.normalize(p)).toBe(p);
        for (const s of p.split('/')) {
          expect(s.toLowerCase().replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '').replace(/[. ]+$/, '')).not.toBe('.git');
          expect(isDotGit(s)).toBe(false);
          expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
        }
      }),
      { seed: 10, numRuns: 3000 },
    );
  });

  it('property: every case and disguise of .git is refused at any depth', () => {
    const disguise = fc
      .tuple(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.constantFrom('', '.', ' ', '. ', '\u200c', '::$INDEX_ALLOCATION'), fc.array(fc.constantFrom('a', 'b', 'docs'), { maxLength: 4 }), fc.boolean())
      .map(([upper, tail, parents, viaDot]) => {
        const name = ['g', 'i', 't'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        return [...parents, `${viaDot ? 'dot_' : '.'}${name}${tail}`, 'config'].join('/');
      });
    fc.assert(
      fc.property(disguise, (p) => {
        expect(pathProblem(toOutputPath(p))?.kind).toBe('git');
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('property: the shortcut for plain paths answers as the whole rule does', () => {
    const plainPiece = fc.constantFrom('a', 'B', '0', '_', '-', '.', '/', 'git', 'GIT', '~1', '.cm-tmp', '.CM-TMP', 'reports', '2026-01-01.json', 'x'.repeat(250), 'y'.repeat(260));
    const plainish = fc.array(plainPiece, { maxLength: 10 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.oneof(plainish, pathString), (rel) => {
        expect(pathProblem(rel)).toEqual(fullPathProblem(rel));
        expect(pathProblem(rel, { manifest: true })).toEqual(fullPathProblem(rel, { manifest: true }));
      }),
      { seed: 26, numRuns: 3000 },
    );
    // At the limits: a path of exactly the byte limit, and one over it.
    const at = Array.from({ length: 5 }, () => 'z'.repeat(200)).join('/').padEnd(LIMITS.pathBytes, 'z');
    expect(pathProblem(at)).toEqual(fullPathProblem(at));
    expect(pathProblem(`${at}z`)?.kind).toBe('length');
  });
});

