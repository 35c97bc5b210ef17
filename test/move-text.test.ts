import { describe, expect, it } from 'vitest';
import { appendJobs, EMPTY_JOBS_FILE, jobsText, recordMove } from '../src/core/jobs/edit.js';
import { newJob } from '../src/core/jobs/from-assess.js';
import { flowString, moveByText } from '../src/core/jobs/move-text.js';
import { parseJobs } from '../src/core/jobs/parse.js';
import type { HistoryEntry, Job, JobState } from '../src/core/jobs/schema.js';

/** jobs.yaml as the CLI writes it (assess, add workflow): the empty file with jobs appended. */
function written(n: number): string {
  const { doc } = parseJobs(EMPTY_JOBS_FILE);
  const jobs: Job[] = Array.from({ length: n }, (_, i) =>
    newJob({
      id: `job${i}`,
      title: `Legacy Job${i}`,
      owner: 'Platform Team',
      workflow: `legacy_job${i}`,
      cronjob: `deploy/kubernetes/legacy_job${i}-cronjob.yaml`,
      legacy: { kind: 'cron', schedule: `${i} 2 * * 1-5`, time_zone: null, command: `/opt/app/bin/job${i}.sh`, script: null, found_in: `../legacy/crontab:${i + 1}`, host: null, user: null },
      ...(i % 2 ? { readiness: { class: 'ready_with_conditions', reasons: ['its script is not in the scanned folders: read it'], confidence: 0.5, effort_days: 1 } } : {}),
      at: '2026-12-01T10:00:00Z',
      by: 'Seed 26685e70 maintainers',
      reason: `found by assess in ../legacy/crontab:${i + 1}`,
    } as Parameters<typeof newJob>[0]),
  );
  appendJobs(doc, jobs);
  return jobsText(doc);
}

/** The move through the YAML document: what the text edit must equal. */
function byDocument(text: string, index: number, to: JobState, entry: HistoryEntry): string {
  const { doc } = parseJobs(text);
  recordMove(doc, index, to, entry);
  return jobsText(doc, text);
}

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({ at: '2026-12-07T11:00:00Z', from: 'inventoried', to: 'ported', by: 'Jane Doe', reason: 'moved to ported', ...over });

function move(text: string, id: string, to: JobState, e: HistoryEntry): string | undefined {
  const inv = parseJobs(text).inventory;
  const i = inv.jobs.findIndex((j) => j.id === id);
  return moveByText(text, inv, i, to, e);
}

describe('a move edits jobs.yaml on its lines, exactly as the YAML document would', () => {
  it('gives byte for byte the document edit on the files the CLI writes, for every job and state', () => {
    let checked = 0;
    for (const n of [1, 3, 12]) {
      const text = written(n);
      for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 4))) {
        for (const to of ['ported', 'parallel', 'decommissioned'] as JobState[]) {
          const e = entry({ to, forced: to === 'decommissioned' ? true : undefined });
          if (e.forced === undefined) delete e.forced;
          const fast = move(text, `job${i}`, to, e);
          expect(fast).toBeDefined();
          expect(fast).toBe(byDocument(text, i, to, e));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('moves twice in a row (the second on the output of the first) as the document does', () => {
    const text = written(3);
    const once = move(text, 'job1', 'ported', entry())!;
    const twice = move(once, 'job1', 'parallel', entry({ from: 'ported', to: 'parallel', reason: 'running beside the legacy job, from today' }));
    expect(twice).toBe(byDocument(once, 1, 'parallel', entry({ from: 'ported', to: 'parallel', reason: 'running beside the legacy job, from today' })));
    expect(parseJobs(twice!).inventory.jobs[1]!.history).toHaveLength(3);
  });

  it('prints who and why as the YAML library does, or leaves them to it', () => {
    const text = written(2);
    const strings = ['Jane Doe', "Jane O'Neil", 'a, b', 'x: y', 'a #b', 'a#b', 'true', 'True', 'yes', 'null', 'NULL', '', ' lead', 'trail ', '123', '1.5', 'a"b', 'a\\b', '[x]', '{x}', '- x', '-x', '?x', ':x', 'x:', 'x:y', '@x', '&x', '*x', '!x', '|x', '>x', "'x", '"x', '#x', 'José', 'a\tb', 'a\nb', 'ok (forced past: no; yes)', '2026-01-01', 'found by assess in ../legacy/crontab:1', 'moved to switched', 'a;b', 'a=b', 'a+b', 'a/b', 'a  b', 'a (b)', 'a - b', 'a -b', 'x:y:z', 'a.', 'A', 'a/', "a'", 'a=', 'a(b', 'a --force', 'build', 'Seed 26685e70 maintainers', 'moved to legacy_off', 'on', 'off', 'y', 'n', 'No', '~x', 'a~', 'a:', 'a: b, c', 'a\\b, c'];
    let fast = 0;
    for (const s of strings) {
      const e = entry({ by: s, reason: s });
      const out = move(text, 'job0', 'ported', e);
      if (out === undefined) {
        expect(flowString(s)).toBeUndefined();
        continue;
      }
      fast++;
      expect(out, JSON.stringify(s)).toBe(byDocument(text, 0, 'ported', e));
      expect(parseJobs(out).inventory.jobs[0]!.history.at(-1)).toMatchObject({ by: s, reason: s });
    }
    expect(fast).toBeGreaterThan(20);
  });

  it('writes the first entry of an empty history as the document does', () => {
    const text = written(2).replace(/ {4}history:\n {6}- \{[^\n]*\}\n(?= {2}- id: job1)/, '    history: []\n');
    const inv = parseJobs(text).inventory;
    expect(inv.jobs[0]!.history).toEqual([]);
    const out = moveByText(text, inv, 0, 'ported', entry());
    expect(out).toBe(byDocument(text, 0, 'ported', entry()));
  });

  it('keeps a hand-edited file in the subset as it is, changing the state line and adding one line', () => {
    const text = parseJobsFixture();
    const out = move(text, 'billing-extract', 'switched', entry({ from: 'parallel', to: 'switched' }))!;
    expect(out).toBeDefined();
    const before = text.split('\n');
    const after = out.split('\n');
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((l) => !before.includes(l))).toEqual(['    state: switched', '      - {at: "2026-12-07T11:00:00Z", from: parallel, to: switched, by: Jane Doe, reason: moved to ported}']);
    // The same values as the document's edit.
    expect(parseJobs(out).inventory).toEqual(parseJobs(byDocument(text, 0, 'switched', entry({ from: 'parallel', to: 'switched' }))).inventory);
  });

  it('leaves to the document any file outside the subset, or an inventory that is not of this text', () => {
    const text = written(3);
    const inv = parseJobs(text).inventory;
    const outside = [
      text.replace(/\n/g, '\r\n'),
      `\uFEFF${text}`,
      text.replace('    title: Legacy Job0\n', '    title: >\n      Legacy Job0\n'),
      // A plain scalar going on over the next line.
      text.replace('    title: Legacy Job0\n', '    title: Legacy\n      Job0\n'),
      text.replace('    owner: Platform Team\n', '    owner: "Platform\n      Team"\n'),
      text.replace('    parity:\n      criterion_days: 10\n', '    parity: {\n      criterion_days: 10}\n'),
      text.replace('  - id: job0\n', '  - &a\n    id: job0\n'),
      text.replace('    state: inventoried\n', '    state: inventoried # for now\n'),
      text.replace('version: 1\n', '%YAML 1.2\n---\nversion: 1\n'),
      text.replace('\t', '').replace('version: 1\n', 'version:\t1\n'),
      text.replace('    owner: Platform Team\n', '    owner: Platform\u2028Team\n'),
      text.replace('    owner: Platform Team\n', '    owner: Platform Team\n\u00a0   # odd\n'),
    ];
    for (const t of outside) {
      expect(t).not.toBe(text);
      const parsed = (() => {
        try {
          return parseJobs(t).inventory;
        } catch {
          return inv;
        }
      })();
      expect(moveByText(t, parsed, 0, 'ported', entry()), t.slice(0, 400)).toBeUndefined();
    }
    // A block scalar holding lines that look like a job: never edited as one.
    const hidden = text.replace('    title: Legacy Job2\n', '    title: |\n      fake\n  - id: job0\n    state: inventoried\n    history:\n      - {at: x}\n');
    expect(moveByText(hidden, inv, 0, 'ported', entry())).toBeUndefined();
    // A stale inventory (another file's, or this file's before an edit): undefined, whatever the text.
    const other = parseJobs(written(2)).inventory;
    expect(moveByText(text, other, 0, 'ported', entry())).toBeUndefined();
    const moved = move(text, 'job0', 'ported', entry())!;
    expect(moveByText(moved, inv, 0, 'parallel', entry({ from: 'ported', to: 'parallel' }))).toBeUndefined();
  });
});

function parseJobsFixture(): string {
  return `# team comment at the top
version: 1
calendar:
  holidays: [2026-12-25]

jobs:
  # the billing extract, moved first
  - id: billing-extract
    title: Nightly billing extract   # the name finance uses
    owner: 'Billing team'
    state: parallel
    legacy:
      kind: cron
      schedule: "0 2 * * 1-5"
      time_zone: Europe/Berlin
      command: /opt/billing/bin/extract.sh --full
      script: bin/extract.sh
      found_in: crontab:3
      host: null
      user: billing
    workflow: billing_extract
    cronjob: deploy/kubernetes/billing_extract-cronjob.yaml
    time_limit_seconds: 1200
    parity:
      key: [invoice_id, "line, item"]
      criterion_days: 3
    history:
      - {at: "2026-12-01T10:00:00Z", from: null, to: inventoried, by: "Jane", reason: "found by assess"}
      # moved by hand, see the ticket
      - {at: "2026-12-02T10:00:00Z", from: inventoried, to: parallel, by: Jane, reason: 'ported, and running'}
`;
}
