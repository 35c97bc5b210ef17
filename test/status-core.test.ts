import { describe, expect, it } from 'vitest';
import { parseChecklist, projectStatus } from '../src/core/status/count.js';
import { statusHtml } from '../src/core/status/html.js';
import { updateReadme, updateTasks } from '../src/core/status/write.js';

const phase = (n: number, name: string, items: [string, boolean][]) =>
  `# Phase ${n}: ${name}\n\nIntro text with a [link](x) - not a task.\n\n${items.map(([t, d]) => `- [${d ? 'x' : ' '}] ${t}`).join('\n')}\n`;

const files = new Map([
  ['docs/phases/phase-1-assessment.md', phase(1, 'Assessment & Planning', [['a', true], ['b', true]])],
  ['docs/phases/phase-2-infrastructure.md', phase(2, 'Infrastructure Preparation', [['c', true], ['d', false], ['e', false]])],
  ['docs/phases/phase-3-implementation.md', phase(3, 'Implementation & Testing', [['f', false]])],
  ['docs/phases/phase-4-deployment.md', phase(4, 'Deployment & Cutover', [['g', false]])],
  ['docs/checklists/pre-migration.md', '# Pre-Migration Checklist\n- [X] h\n  - [ ] nested i\n```md\n- [ ] in a code fence\n```\n'],
]);

describe('status counting', () => {
  it('counts boxes per checklist, ignoring code fences, and finds the current phase', () => {
    const s = projectStatus(files);
    // In the order the work is done: the pre-migration gate before phase 1.
    expect(s.checklists.map((c) => [c.title, c.done, c.total])).toEqual([
      ['Pre-Migration Checklist', 1, 2],
      ['Phase 1: Assessment & Planning', 2, 2],
      ['Phase 2: Infrastructure Preparation', 1, 3],
      ['Phase 3: Implementation & Testing', 0, 1],
      ['Phase 4: Deployment & Cutover', 0, 1],
    ]);
    expect([s.done, s.total, s.phasesDone]).toEqual([3, 7, 1]); // overall counts the phases
    expect(s.current?.phase).toBe(2);
    expect(s.current?.items.filter((i) => !i.done).map((i) => i.text)).toEqual(['d', 'e']);
  });

  it('reads bold task text as plain text, and wrapped items whole', () => {
    expect(parseChecklist('x.md', '- [ ] **System Analysis**').items[0]!.text).toBe('System Analysis');
    const wrapped = parseChecklist('x.md', '- [ ] Give the team test data\n  anonymised for tests\n  - [x] sub item\n\nParagraph\n');
    expect(wrapped.items.map((i) => i.text)).toEqual(['Give the team test data anonymised for tests', 'sub item']);
  });
});

describe('status --write', () => {
  const readme = [
    '# Billing',
    '',
    'Intro | with a pipe 0/0 (0%)',
    '<!-- status:begin -->',
    '| Phase | Progress | Status |',
    '|---|---|---|',
    '| [1. Assessment & Planning](docs/phases/phase-1-assessment.md) | 0/2 (0%) | Not started |',
    '| [2. Infrastructure](docs/phases/phase-2-infrastructure.md) | 0/3 (0%) | Not started |',
    '| [Pre-migration](docs/checklists/pre-migration.md) | 0/2 (0%) | Not started |',
    '| [Unknown](docs/other.md) | 9/9 (100%) | Done |',
    '<!-- status:end -->',
    '| [1. Assessment](docs/phases/phase-1-assessment.md) | 0/2 (0%) | outside the markers |',
    '',
  ].join('\r\n');

  it('changes only the progress cells inside the markers, keeping CRLF', () => {
    const out = updateReadme(readme, projectStatus(files));
    const before = readme.split('\r\n');
    const after = out.split('\r\n');
    expect(after).toHaveLength(before.length);
    const changed = after.map((l, i) => (l !== before[i] ? i : -1)).filter((i) => i >= 0);
    expect(changed).toEqual([6, 7, 8]);
    expect(after[6]).toBe('| [1. Assessment & Planning](docs/phases/phase-1-assessment.md) | 2/2 (100%) | Done |');
    expect(after[7]).toBe('| [2. Infrastructure](docs/phases/phase-2-infrastructure.md) | 1/3 (33%) | In progress |');
    expect(after[8]).toBe('| [Pre-migration](docs/checklists/pre-migration.md) | 1/2 (50%) | In progress |');
  });

  it('updates the task file progress lines and nothing else', () => {
    const tasks = '# Tasks\n- Phase 1: kept — 0/0 (0%)\n<!-- progress:begin -->\n- Phase 1: Assessment & Planning — 0/2 (0%)\n- Phase 2: Infrastructure Preparation — 0/3 (0%)\n- Overall — 0/9 (0%), 0/4 phases done\n- a note\n<!-- progress:end -->\n';
    expect(updateTasks(tasks, projectStatus(files))).toBe(
      '# Tasks\n- Phase 1: kept — 0/0 (0%)\n<!-- progress:begin -->\n- Phase 1: Assessment & Planning — 2/2 (100%)\n- Phase 2: Infrastructure Preparation — 1/3 (33%)\n- Overall — 3/7 (43%), 1/4 phases done\n- a note\n<!-- progress:end -->\n',
    );
  });

  it('leaves a file without markers as it is', () => {
    expect(updateReadme('# no markers\n', projectStatus(files))).toBe('# no markers\n');
  });
});

describe('status --html', () => {
  it('escapes every text it shows', () => {
    const html = statusHtml(projectStatus(new Map([['docs/phases/phase-1-x.md', '# Phase 1: <script>alert(1)</script>\n- [ ] a & b\n']])), {
      systemName: 'R&D "Ops" <legacy>',
      template: 't 1.0.0',
      generatedAt: 'now',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('R&#38;D &#34;Ops&#34; &#60;legacy&#62;');
  });
});

describe('item text', () => {
  it('does not take the lines of a sub-list under an item as its text', () => {
    const c = parseChecklist('x.md', '- [ ] Identify integration points\n  - Every system that sends data\n    Include the people too.\n- [ ] Next item\n  wrapped on\n');
    expect(c.items.map((i) => i.text)).toEqual(['Identify integration points', 'Next item wrapped on']);
  });
});

describe('percent and phase dates', () => {
  it('rounds to the nearest whole percent, never 100% before the last item nor 0% after the first', async () => {
    const { percent } = await import('../src/core/status/count.js');
    expect(percent(5, 12)).toBe(42);
    expect(percent(3, 7)).toBe(43);
    expect(percent(199, 200)).toBe(99);
    expect(percent(1, 1000)).toBe(1);
    expect(percent(0, 10)).toBe(0);
    expect(percent(10, 10)).toBe(100);
  });

  it('phase target dates count back from the cutover date, and an open phase past its date is overdue', async () => {
    const { overdue, phaseDue } = await import('../src/core/status/due.js');
    expect([1, 2, 3, 4].map((p) => phaseDue(p, '2027-06-30'))).toEqual(['2027-02-10', '2027-03-10', '2027-05-19', '2027-06-30']);
    expect(overdue('2027-02-10', '2027-02-13', false)).toBe('overdue by 3 days');
    expect(overdue('2027-02-10', '2027-02-13', true)).toBeUndefined();
    expect(overdue('2027-02-10', '2027-02-10', false)).toBeUndefined();
  });

  it('a stamp in UTC says UTC once', async () => {
    const { localStamp } = await import('../src/core/status/stamp.js');
    const d = new Date();
    const s = localStamp(d, 'UTC');
    if (d.getTimezoneOffset() === 0) expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(localStamp(d, 'Etc/UTC').match(/UTC/g)!.length).toBeLessThanOrEqual(d.getTimezoneOffset() === 0 ? 1 : 2);
  });
});
