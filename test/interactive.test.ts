import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { KEY, runInPty } from './helpers/pty.js';
import { TmuxTerm } from './helpers/tmux.js';
import { localToday, monthEndAfter } from '../src/core/answers/validate.js';

describe('interactive prompts in a real terminal', () => {
  it('types text, picks from lists and checkboxes, and generates the project', () => {
    const tmp = tempDir();
    const { code, failedAt, transcript } = runInPty(tmp, ['billing'], [
      // No "Project name": the folder given on the command line names the project.
      { expect: "Legacy system's display name", send: `R&D "Ops" <legacy>${KEY.enter}` },
      { expect: 'description', send: KEY.enter },
      { expect: 'accountable', send: `Data Team${KEY.enter}` },
      // legacy_stack: cron_shell is pre-checked; also tick "Static reports" (third item).
      { expect: 'consist of', send: `${KEY.down}${KEY.down}${KEY.space}${KEY.enter}` },
      // data_sources: csv pre-checked; add "A database".
      { expect: 'data come from', send: `${KEY.down}${KEY.space}${KEY.enter}` },
      // database_kind is asked because database was chosen: pick the 3rd (oracle).
      { expect: 'Which database', send: `${KEY.down}${KEY.down}${KEY.enter}` },
      { expect: 'Records processed per day', send: `abc${KEY.enter}` },
      { expect: 'not a number', send: `${KEY.backspace.repeat(3)}50000${KEY.enter}` },
      { expect: 'Workflow stubs', send: KEY.enter }, // default follows the stack: etl + reporting
      { expect: 'LLM provider', send: KEY.enter }, // openai, the default
      { expect: 'Compliance', send: `${KEY.space}${KEY.enter}` }, // gdpr
      { expect: 'Cutover strategy', send: KEY.enter },
      { expect: 'Cutover done by', send: KEY.enter },
      { expect: 'Where do the jobs run', send: KEY.enter },
      { expect: 'Python version', send: KEY.enter },
      { expect: 'CI provider', send: `${KEY.down}${KEY.down}${KEY.enter}` }, // none
      { expect: 'Is this OK', send: KEY.enter },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('Created billing');
    expect(transcript).not.toMatch(/\? Project name/);
    const manifest = JSON.parse(readFileSync(path.join(tmp, 'billing/.migration-template.json'), 'utf8'));
    expect(manifest.answers).toMatchObject({
      project_name: 'billing',
      system_name: 'R&D "Ops" <legacy>',
      owner: 'Data Team',
      legacy_stack: ['cron_shell', 'static_reports'],
      data_sources: ['csv', 'database'],
      database_kind: 'oracle',
      daily_volume: 50000,
      patterns: ['etl', 'reporting'],
      llm_provider: 'openai',
      compliance: ['gdpr'],
      ci: 'none',
    });
    expect(existsSync(path.join(tmp, 'billing/src/billing/workflows/report_generation.py'))).toBe(true);
  });

  it('with no folder given, the project name typed at the prompt names the folder and the package', () => {
    const tmp = tempDir();
    const rest = ['display name', 'description', 'accountable', 'consist of', 'data come from', 'Records', 'Workflow stubs', 'Compliance', 'Cutover strategy', 'Cutover done by', 'Where do the jobs run', 'Python version', 'CI provider', 'Is this OK'];
    const { code, failedAt, transcript } = runInPty(tmp, ['--no-git'], [
      { expect: 'Project name', send: `orders-sync${KEY.enter}` },
      ...rest.map((e) => ({ expect: e, send: KEY.enter })),
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('Created orders-sync');
    expect(existsSync(path.join(tmp, 'legacy-migration'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(tmp, 'orders-sync/.migration-template.json'), 'utf8'));
    expect(manifest.answers.project_name).toBe('orders-sync');
    expect(existsSync(path.join(tmp, 'orders-sync/src/orders_sync/__init__.py'))).toBe(true);
  });

  it('a refused answer is explained with the labels on screen, not internal keys and values', () => {
    const tmp = tempDir();
    const { failedAt, transcript } = runInPty(tmp, ['proj'], [
      ...['display name', 'description', 'accountable'].map((e) => ({ expect: e, send: KEY.enter })),
      // legacy_stack needs at least one: untick the pre-ticked first item and submit.
      { expect: 'consist of', send: `${KEY.space}${KEY.enter}` },
      { expect: 'at least 1', send: KEY.ctrlC },
    ]);
    expect(failedAt, transcript).toBeNull();
    const message = transcript.split('\n').find((l) => l.includes('at least 1'))!;
    expect(message).toContain('Cron jobs and shell scripts');
    expect(message).not.toMatch(/legacy_stack|cron_shell|point_to_point/);
  });

  it('add workflow offers its data sources by their labels', () => {
    const tmp = tempDir();
    expect(spawnSync(process.execPath, [CLI, 'proj', '--yes', '--no-git'], { cwd: tmp, env: testEnv() }).status).toBe(0);
    const { failedAt, transcript } = runInPty(path.join(tmp, 'proj'), ['add', 'workflow'], [
      { expect: 'Workflow name', send: `nightly_load${KEY.enter}` },
      { expect: 'Pattern', send: KEY.enter },
      { expect: 'Data sources it reads', send: KEY.ctrlC },
    ]);
    expect(failedAt, transcript).toBeNull();
    for (const label of ['CSV files', 'REST APIs', 'SFTP drops']) expect(transcript).toContain(label);
    expect(transcript).not.toMatch(/\brest_api\b/);
  });

  it('a pasted burst of Enters answers one question per Enter, none lost', () => {
    const tmp = tempDir();
    // 13 questions with these defaults, and the review; all the Enters arrive in one read.
    const { code, failedAt, transcript } = runInPty(tmp, ['proj', '--no-git'], [
      { expect: 'display name', send: KEY.enter.repeat(14) },
      { expect: 'Created proj', send: '' },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers.ci).toBe('github');
  });

  it('a cutover date already past is refused at the prompt and asked again', () => {
    const tmp = tempDir();
    const before = ['display name', 'description', 'accountable', 'consist of', 'data come from', 'Records', 'Workflow stubs', 'Compliance', 'Cutover strategy'];
    const { code, failedAt, transcript } = runInPty(tmp, ['proj', '--no-git'], [
      ...before.map((e) => ({ expect: e, send: KEY.enter })),
      { expect: 'Cutover done by', send: `${KEY.backspace.repeat(12)}2020-01-01${KEY.enter}` },
      { expect: '2020-01-01 is in the past \\(today is \\d{4}-\\d{2}-\\d{2}\\)', send: `${KEY.backspace.repeat(10)}2099-05-01${KEY.enter}` },
      { expect: 'Where do the jobs run', send: KEY.enter },
      { expect: 'Python version', send: KEY.enter },
      { expect: 'CI provider', send: KEY.enter },
      { expect: 'Is this OK', send: KEY.enter },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers.target_date).toBe('2099-05-01');
  });

  it.each([
    ['a text prompt', 'display name'],
    ['a list prompt', 'Cutover strategy'],
  ])('Ctrl-C at %s exits 130 and leaves nothing behind', (_name, prompt) => {
    const tmp = tempDir();
    const before = snapshot(tmp, true);
    const steps =
      prompt === 'display name'
        ? [{ expect: prompt, send: KEY.ctrlC }]
        : [
            ...['display name', 'description', 'accountable', 'consist of', 'data come from', 'Records', 'Workflow stubs', 'Compliance'].map((e) => ({ expect: e, send: KEY.enter })),
            { expect: prompt, send: KEY.ctrlC },
          ];
    const { code, failedAt, transcript } = runInPty(tmp, ['proj'], steps);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(130);
    const after = snapshot(tmp, true);
    delete after['.pty-steps.json'];
    delete before['.pty-steps.json'];
    expect(after).toEqual(before);
  });

  it('shows the answers before writing; going back to one asks again from there, the answers so far as defaults', () => {
    const tmp = tempDir();
    const upTo = ['display name', 'description', 'accountable', 'consist of', 'data come from'];
    const after = ['Workflow stubs', 'Compliance', 'Cutover strategy', 'Cutover done by', 'Where do the jobs run', 'Python version', 'CI provider'];
    const { code, failedAt, transcript } = runInPty(tmp, ['proj', '--no-git'], [
      { expect: 'display name', send: `Billing${KEY.enter}` },
      ...upTo.slice(1).map((e) => ({ expect: e, send: KEY.enter })),
      // Digits grouped as people write them.
      { expect: 'Records processed per day', send: `2,000,000${KEY.enter}` },
      ...after.map((e) => ({ expect: e, send: KEY.enter })),
      { expect: 'Records processed per day: 2000000[\\s\\S]*Is this OK', send: `${KEY.down}${KEY.enter}` },
      // The questions that were asked, in order: the sixth is the daily volume.
      { expect: 'Which answer', send: `${KEY.down.repeat(5)}${KEY.enter}` },
      { expect: 'Records processed per day \\(2000000\\)', send: `${KEY.backspace.repeat(12)}2_500_000${KEY.enter}` },
      ...after.map((e) => ({ expect: e, send: KEY.enter })),
      { expect: 'Is this OK', send: KEY.enter },
      { expect: 'Created proj', send: '' },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    const answers = JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers;
    expect(answers).toMatchObject({ project_name: 'proj', system_name: 'Billing', daily_volume: 2500000 });
    // The default cutover date: the end of the month six months from today, never a fixed date.
    expect(answers.target_date).toBe(monthEndAfter(localToday(), 6));
    expect(answers.target_date > localToday()).toBe(true);
  });

  it('Ctrl-C at a list prompt leaves a clean screen and one message', () => {
    const tmp = tempDir();
    const term = new TmuxTerm(tmp, [process.execPath, CLI, 'proj'], testEnv());
    try {
      for (const q of ['display name', 'description', 'accountable']) {
        term.waitFor(new RegExp(`\\? .*${q}`));
        term.keys('Enter');
      }
      // The list prompt, with an error showing: untick the only answer and submit.
      term.waitFor(/consist of/);
      term.keys('Space');
      term.keys('Enter');
      term.waitFor(/at least 1/);
      term.keys('C-c');
      const screen = term.waitFor(/\[exit \d+\]/);
      expect(screen).toContain('[exit 130]');
      expect(screen).toContain('create-migration: cancelled; nothing was left behind.');
      expect(screen.match(/cancelled|Cancelled/g)).toHaveLength(1);
      // Neither the list nor its error stay on the screen.
      expect(screen).not.toMatch(/Point-to-point integrations|at least 1|consist of/);
      expect(existsSync(path.join(tmp, 'proj'))).toBe(false);
    } finally {
      term.close();
    }
  });

  it('Esc goes back to the question before, its answer so far as the default, also from the review', () => {
    const tmp = tempDir();
    const rest = ['consist of', 'data come from', 'Records', 'Workflow stubs', 'Compliance', 'Cutover strategy', 'Cutover done by', 'Where do the jobs run', 'Python version', 'CI provider'];
    const { code, failedAt, transcript } = runInPty(tmp, ['proj', '--no-git'], [
      { expect: 'Esc goes back', send: '' },
      { expect: 'display name', send: `Billng${KEY.enter}` },
      { expect: 'description', send: KEY.enter },
      // Two steps back: to the description, then to the display name, which offers the typo.
      { expect: 'accountable', send: KEY.esc, delay: 0.3 },
      { expect: '\\? One-paragraph description', send: KEY.esc, delay: 0.3 },
      { expect: "display name \\(Billng\\)", send: `${KEY.backspace.repeat(10)}Billing${KEY.enter}` },
      { expect: 'description', send: KEY.enter },
      { expect: 'accountable', send: `Ops${KEY.enter}` },
      ...rest.map((e) => ({ expect: e, send: KEY.enter })),
      // Esc at the review: back to the last question, then through to the review again.
      { expect: 'Is this OK', send: KEY.esc, delay: 0.3 },
      { expect: 'CI provider', send: `${KEY.down}${KEY.down}${KEY.enter}` },
      { expect: 'Is this OK', send: KEY.enter },
      { expect: 'Created proj', send: '' },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    const answers = JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers;
    expect(answers).toMatchObject({ system_name: 'Billing', owner: 'Ops', ci: 'none' });
  });
});
