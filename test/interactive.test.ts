import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot, tempDir } from './helpers/cli.js';
import { KEY, runInPty } from './helpers/pty.js';

describe('interactive prompts in a real terminal', () => {
  it('types text, picks from lists and checkboxes, and generates the project', () => {
    const tmp = tempDir();
    const { code, failedAt, transcript } = runInPty(tmp, ['billing'], [
      { expect: 'Project name', send: KEY.enter }, // default from the folder name
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
      { expect: 'Python version', send: KEY.enter },
      { expect: 'CI provider', send: `${KEY.down}${KEY.down}${KEY.enter}` }, // none
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('Created billing');
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

  it.each([
    ['a text prompt', 'Project name'],
    ['a list prompt', 'Cutover strategy'],
  ])('Ctrl-C at %s exits 130 and leaves nothing behind', (_name, prompt) => {
    const tmp = tempDir();
    const before = snapshot(tmp, true);
    const steps =
      prompt === 'Project name'
        ? [{ expect: prompt, send: KEY.ctrlC }]
        : [
            { expect: 'Project name', send: KEY.enter },
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
});
