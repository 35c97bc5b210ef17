import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerChanges, code, crossedNotes, summaryMarkdown } from '../src/core/sync/summary.js';
import { runCli, snapshot, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

describe('sync summary (pure)', () => {
  it('takes the notes of the versions after from up to to, oldest first', () => {
    const log = { '1.0.0': 'one', '1.2.0': 'three', '1.1.0': 'two', '2.0.0': 'four' };
    expect(crossedNotes(log, '1.0.0', '1.2.0').map((n) => n.version)).toEqual(['1.1.0', '1.2.0']);
    expect(crossedNotes(log, '1.2.0', '1.2.0')).toEqual([]);
    expect(crossedNotes(undefined, '1.0.0', '2.0.0')).toEqual([]);
  });

  it('tells defaulted, --set and dropped answers apart', () => {
    const changes = answerChanges({ a: 'x', gone: 1 }, { a: 'y', fresh: 'd' }, { a: 'y' });
    expect(changes).toEqual([
      { key: 'a', value: 'y', how: 'set' },
      { key: 'fresh', value: 'd', how: 'default' },
      { key: 'gone', value: 1, how: 'dropped' },
    ]);
  });

  it('a hostile path cannot leave its code span or add a line', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('x\n# heading')).toBe('`x\\x0a# heading`');
    const md = summaryMarkdown({
      project: 'p', template: 't', from: '1.0.0', to: '1.1.0', mode: 'sync', behind: true, notes: [], answers: [],
      outcomes: [{ path: 'docs/a\n## injected.md', status: 'conflict', note: '1 marked inline' }],
    });
    expect(md).not.toMatch(/^## injected/m);
    expect(md).toContain('- [ ] `docs/a\\x0a## injected.md` (1 marked inline)');
  });
});

describe('sync --summary', () => {
  it('writes the PR body: versions, release notes, files by change, conflicts, answers; --json carries the same; notes printed', async () => {
    const tmp = tempDir();
    const template = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      edit(path.join(repo, 'template.yaml'), (t) =>
        t
          .replace('changelog:\n', 'changelog:\n  "1.1.0": |\n    - The README explains **template updates**.\n')
          .replace('questions:\n', 'questions:\n  - key: team_channel\n    type: text\n    message: Chat channel\n    default: "#migration"\n'),
      );
      edit(path.join(repo, 'files/README.md'), (t) => `${t}\nTemplate updates arrive as pull requests.\n`);
      edit(path.join(repo, 'files/docs/risk-register.md'), (t) => t.replace(/^# .*$/m, '# Risk register (template 1.1.0)'));
    });
    const r0 = await runCli(['proj', '--yes', '--template', `${template}#v1.0.0`], { cwd: tmp });
    expect(r0.code, r0.stderr).toBe(0);
    const dir = path.join(tmp, 'proj');
    edit(path.join(dir, 'docs/risk-register.md'), (t) => t.replace(/^# .*$/m, '# Our risks'));
    gitIn(dir, 'commit', '-qam', 'team edit');

    const before = snapshot(dir);
    const dry = await runCli(['sync', '--dry-run', '--template', template, '--summary', path.join(tmp, 'body.md'), '--json'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const md = readFileSync(path.join(tmp, 'body.md'), 'utf8');
    expect(md).toMatch(/## Template update: `kailash-migration` 1\.0\.0 → 1\.1\.0/);
    expect(md).toContain('would bring');
    expect(md).toMatch(/#### 1\.1\.0\n\n- The README explains \*\*template updates\*\*\./);
    expect(md).toContain('1 file(s) in conflict');
    expect(md).toContain('- [ ] `docs/risk-register.md`');
    expect(md).toMatch(/Updated \(\d+\)<\/summary>\n\n(- .*\n)*- `README.md`/);
    expect(md).toContain('| `team_channel` | `#migration` | new question: default taken |');
    const json = JSON.parse(dry.stdout).projects[0];
    expect(json.notes).toEqual([{ version: '1.1.0', notes: '- The README explains **template updates**.\n' }]);
    expect(json.answerChanges).toEqual([{ key: 'team_channel', value: '#migration', how: 'default' }]);
    expect(json.template).toBe('kailash-migration');

    // No terminal: the new question takes its default only with --yes.
    const real = await runCli(['sync', '--yes', '--template', template, '--summary', path.join(tmp, 'real.md')], { cwd: dir });
    expect(real.code).toBe(1); // a conflict is left for the reviewer
    expect(real.stderr).toContain('Release notes 1.1.0:');
    expect(real.stderr).toContain('The README explains **template updates**.');
    const done = readFileSync(path.join(tmp, 'real.md'), 'utf8');
    expect(done).toContain('brought');
    expect(done).toContain('the files carry conflict markers');
    expect(existsSync(path.join(dir, 'real.md'))).toBe(false);
  });
});
