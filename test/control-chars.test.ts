import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSafe, terminalSafe } from '../src/core/terminal-text.js';
import { runCli, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

// Text from outside (a checklist any pull request can change, a template's changelog and file
// names, git's messages) reaches the terminal. Its control characters must not: ESC starts
// sequences that retitle the window or clear the screen, C1 codes do the same on some
// terminals, a lone CR rewrites a line, bidi overrides reorder it.

const ATTACKS = {
  title: '\x1b]0;pwned\x07',
  clear: '\x1b[2J\x1b[H',
  hide: '\x1b[8mhidden\x1b[0m',
  c1: '\u009b2J\u009d0;c1\u009c',
  bell: '\x07\x08\x00',
  cr: 'shown\rhidden',
  bidi: 'abc\u202edcba\u2066x\u2069',
  del: 'a\x7fb',
  lines: 'one\u2028two\u2029three',
};
const ALL = Object.values(ATTACKS).join(' ');

/** What a terminal would act on: anything left is a finding. Our own colour codes are allowed. */
const RAW = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
const withoutOwnStyles = (s: string) => s.replace(/\x1b\[(?:1|2|22|31|32|33|36|39)m/g, '');

describe('terminalSafe (core)', () => {
  it.each(Object.entries(ATTACKS))('%s: every control character shown as an escape, the rest kept', (_name, text) => {
    const safe = terminalSafe(text);
    expect(safe).not.toMatch(RAW);
    // Nothing is lost: the escapes read back as the original.
    expect(safe.replace(/\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\r/g, (m, x, u) => (m === '\\r' ? '\r' : String.fromCharCode(parseInt(x ?? u, 16))))).toBe(text);
  });

  it('keeps newlines, tabs, CRLF, RTL text and marks; keeps only our own styles, and only when asked', () => {
    expect(terminalSafe('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
    expect(terminalSafe('עברית\u200f RTL — 中文 🚀')).toBe('עברית\u200f RTL — 中文 🚀');
    expect(terminalSafe('\x1b[1mbold\x1b[22m')).toBe('\\x1b[1mbold\\x1b[22m');
    expect(terminalSafe('\x1b[1mbold\x1b[22m \x1b]0;t\x07 \x1b[2J', { styles: true })).toBe('\x1b[1mbold\x1b[22m \\x1b]0;t\\x07 \\x1b[2J');
  });

  it('jsonSafe: the same value once parsed, with no C1, DEL or bidi control left raw', () => {
    const json = JSON.stringify({ a: ALL });
    expect(jsonSafe(json)).not.toMatch(RAW);
    expect(JSON.parse(jsonSafe(json))).toEqual({ a: ALL });
  });
});

describe('what the CLI prints', () => {
  it('status: checklist titles and items from a pull request are shown escaped, in text, with colour and in JSON', async () => {
    const parent = tempDir('cm-ctl-');
    expect((await runCli(['p', '--yes'], { cwd: parent })).code).toBe(0);
    const dir = path.join(parent, 'p');
    const phase1 = readdirSync(path.join(dir, 'docs/phases')).sort()[0]!;
    edit(path.join(dir, 'docs/phases', phase1), (t) => t.replace(/^# (.*)$/m, `# $1 ${ATTACKS.title}${ATTACKS.bidi}`).replace(/- \[ \] (.*)/, `- [ ] $1 ${ALL}`));
    writeFileSync(path.join(dir, `docs/phases/phase-9-${'\x1b[2J'}.md`), `# Extra ${ATTACKS.clear}\n\n- [ ] ${ATTACKS.c1}\n`);
    for (const env of [{}, { FORCE_COLOR: '1' }] as Record<string, string>[]) {
      const r = await runCli(['status'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(withoutOwnStyles(r.stdout)).not.toMatch(RAW);
      expect(withoutOwnStyles(r.stderr)).not.toMatch(RAW);
      expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    }
    const json = await runCli(['status', '--json'], { cwd: dir });
    expect(json.stdout).not.toMatch(RAW);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(ATTACKS.title).slice(1, -1));
  }, 60_000);

  it('sync: a template\'s changelog is shown escaped', async () => {
    const tmp = tempDir('cm-ctl-sync-');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      edit(path.join(repo, 'template.yaml'), (t) => t.replace('changelog:\n', `changelog:\n  "1.1.0": ${JSON.stringify(`Better docs ${ALL}\nsecond line ${ATTACKS.title}`)}\n`));
    });
    expect((await runCli(['p', '--yes', '--template', `${tpl}#v1.0.0`], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    for (const args of [['sync', '--dry-run'], ['sync']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(`${r.stdout}${r.stderr}`).toContain('Better docs');
      expect(r.stderr).toContain('\\x1b]0;pwned\\x07');
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stderr).not.toMatch(RAW);
    }
    gitIn(dir, 'status', '--porcelain');
  }, 120_000);

  it('errors that name outside text: a file name with escapes in a template is named escaped', async () => {
    const tmp = tempDir('cm-ctl-err-');
    const tpl = path.join(tmp, 'tpl');
    const { cpSync } = await import('node:fs');
    cpSync(path.join(process.cwd(), 'templates/kailash-migration'), tpl, { recursive: true });
    writeFileSync(path.join(tpl, 'files', `bad-${'\x1b[2J'}{{nope}}.md`), 'x\n');
    writeFileSync(path.join(tpl, 'files', 'README.md'), `{{#if}}${ATTACKS.title}\n`);
    const r = await runCli(['p', '--yes', '--template', tpl], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    const check = await runCli(['template', 'check', tpl], { cwd: tmp });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('\\x1b[2J');
    expect(check.stderr).not.toMatch(RAW);
    expect(check.stdout).not.toMatch(RAW);
  }, 120_000);
});

describe('prompts', () => {
  it('a template\'s question text and choice labels reach the terminal escaped', async () => {
    const { runInPty, KEY } = await import('./helpers/pty.js');
    const tmp = tempDir('cm-ctl-pty-');
    const tpl = path.join(tmp, 'tpl');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(tpl, 'files'), { recursive: true });
    writeFileSync(path.join(tpl, 'template.yaml'), [
      'name: hostile',
      'version: 1.0.0',
      'questions:',
      '  - { key: project_name, type: slug, message: Project name, default: "{{dir_name}}" }',
      `  - { key: mode, type: choice, message: ${JSON.stringify(`Pick a mode ${ATTACKS.title}`)}, choices: [{ value: a, label: ${JSON.stringify(`Alpha ${ATTACKS.clear}`)} }, { value: b, label: Beta }], default: a }`,
      '',
    ].join('\n'));
    writeFileSync(path.join(tpl, 'files/README.md'), '# {{project_name}} {{mode}}\n');
    // The folder on the command line names the project: the first question asked is the mode.
    const { code, failedAt, transcript } = runInPty(tmp, ['proj', '--no-git', '--template', tpl], [
      { expect: 'Pick a mode', send: KEY.enter },
      { expect: 'Is this OK', send: KEY.enter },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('\\x1b]0;pwned\\x07');
    expect(transcript).toContain('\\x1b[2J');
    expect(transcript).not.toContain('\x1b]0;pwned');
    expect(transcript).not.toContain('\x1b[2J');
  }, 60_000);
});
