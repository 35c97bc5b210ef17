import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configMatches, someLineStarts, words, type LineStart } from '../src/edge/git/config-scan.js';

// The quick look in front of each config check must never say "cannot match" where the check's
// regular expression matches: a repository git must be asked about would then be read here.
const checks: [LineStart[], RegExp][] = [
  [[['worktree'], ['bare', '=', 'true']], /^\s*(worktree|bare\s*=\s*true)/im],
  [[['refstorage', '=']], /^\s*refstorage\s*=/im],
  [words(['objectformat', 'splitindex', 'sparseindex'], '='), /^\s*(objectformat|splitindex|sparseindex)\s*=/im],
  [[['[', 'extensions', '\\b']], /^\s*\[\s*extensions\b/im],
  [[['objectformat'], ['repositoryformatversion', '=', '[^0\\s]']], /^\s*(objectformat|repositoryformatversion\s*=\s*[^0\s])/im],
  [
    [
      ...words(['autocrlf', 'eol', 'safecrlf', 'attributesfile', 'fsmonitor', 'sparsecheckout', 'splitindex', 'worktree'], '\\b'),
      ['bare', '=', 'true', '\\b'],
      ['objectformat', '\\b'],
      ...['include', 'includeif', 'extensions'].map((w) => ['[', w, '\\b']),
    ],
    /^\s*(autocrlf|eol|safecrlf|attributesfile|fsmonitor|sparsecheckout|splitindex|worktree|bare\s*=\s*true|objectformat)\b|^\s*\[\s*(include|includeif|extensions)\b/im,
  ],
];

// Pieces a config file is made of, and the characters where a hand-written matcher goes wrong:
// every line terminator, blanks beyond space and tab, letters whose case maps outside ASCII.
const pieces = [
  'bare', 'BaRe', 'true', 'TRUE', 'false', 'worktree', 'WorkTree', 'refstorage', 'objectFormat', 'splitindex', 'sparseIndex',
  'extensions', 'Extensions', 'include', 'includeIf', 'autocrlf', 'eol', 'EOL', 'safecrlf', 'attributesfile', 'fsmonitor', 'sparsecheckout',
  'repositoryformatversion', '[core]', '[', ']', '=', ' = ', '0', '1', 'x', '_', '-', '.', '"', '#', ';',
  ' ', '\t', '\n', '\r', '\r\n', '\v', '\f', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u3000', '\u212a', '\u0130', '\u017f', 'ſ', 'é',
];
const configText = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(''));

describe('config quick look', () => {
  it('answers as each check does, on generated config texts', () => {
    fc.assert(
      fc.property(configText, (text) => {
        for (const [starts, re] of checks) {
          expect(someLineStarts(text, starts)).toBe(re.test(text));
          expect(configMatches(text, starts, re)).toBe(re.test(text));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the settings that make git the one to ask, in the forms git writes them', () => {
    const [worktree, refstorage, , extensions, format, settings] = checks;
    expect(someLineStarts('[core]\n\tbare = true\n', worktree![0])).toBe(true);
    expect(someLineStarts('[core]\n\tbare = false\n\tfilemode = true\n', worktree![0])).toBe(false);
    expect(someLineStarts('[core]\r\n\tBARE=TRUE\r\n', worktree![0])).toBe(true);
    expect(someLineStarts('[core]\n\tworktree = ../w\n', worktree![0])).toBe(true);
    expect(someLineStarts('[extensions]\n\trefStorage = reftable\n', refstorage![0])).toBe(true);
    expect(someLineStarts('[Extensions]\n\tobjectformat = sha256\n', extensions![0])).toBe(true);
    expect(someLineStarts('[core]\n\trepositoryformatversion = 1\n', format![0])).toBe(true);
    expect(someLineStarts('[core]\n\trepositoryformatversion = 0\n', format![0])).toBe(false);
    expect(someLineStarts('[core]\n\tautocrlf = input\n', settings![0])).toBe(true);
    expect(someLineStarts('[include]\n\tpath = x\n', settings![0])).toBe(true);
    // A plain repository's config and a user's usual one: nothing to hand to git.
    const plain = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n[user]\n\tname = A\n\temail = a@b\n';
    for (const [starts, re] of checks) {
      expect(someLineStarts(plain, starts)).toBe(false);
      expect(re.test(plain)).toBe(false);
    }
  });
});

describe('environment that moves git config', () => {
  const re = /^GIT_(CONFIG(?!_NOSYSTEM$).*|DIR|WORK_TREE|COMMON_DIR|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)$/;
  it('is told apart by plain comparisons exactly as the expression does', async () => {
    const { movesConfig } = await import('../src/edge/git/git-config.js');
    const parts = ['GIT_', 'CONFIG', '_NOSYSTEM', '_GLOBAL', '_COUNT', 'DIR', 'WORK_TREE', 'COMMON_DIR', 'CEILING_DIRECTORIES', 'DISCOVERY_ACROSS_FILESYSTEM', 'AUTHOR_NAME', '\n', '\r', '\u2028', 'x', '_', 'git_'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 5 }), (p) => {
        expect(movesConfig(p.join(''))).toBe(re.test(p.join('')));
      }), { numRuns: 3000 });
    for (const k of ['GIT_CONFIG', 'GIT_CONFIG_GLOBAL', 'GIT_DIR', 'GIT_CONFIG_COUNT']) expect(movesConfig(k), k).toBe(true);
    for (const k of ['GIT_CONFIG_NOSYSTEM', 'GIT_AUTHOR_NAME', 'GIT_DIRX', 'HOME']) expect(movesConfig(k), k).toBe(false);
  });
});
