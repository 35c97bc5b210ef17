// A move edits a CronJob as the template wrote it on its lines, without the YAML library
// (src/core/jobs/cronjob-text.ts). That edit must give exactly the text the parse-and-print path
// gives, or step aside: compared here on the template's own CronJobs (made by the real CLI), in
// every state, and on many variants of their layout and values.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cronJobByDocument, cronJobForState, deploymentOf, DEADLINE_MARGIN } from '../src/core/jobs/cronjob.js';
import { cronJobTextEdit } from '../src/core/jobs/cronjob-text.js';
import { STATES, type Job, type JobState } from '../src/core/jobs/schema.js';
import { runCli, tempDir } from './helpers/cli.js';

interface Case {
  name: string;
  text: string;
  job: Job;
  project: string;
}

const cases: Case[] = [];

function jobFor(text: string): Job {
  const o = parse(text);
  const c = o.spec.jobTemplate.spec.template.spec.containers[0];
  const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  return {
    id: env.JOB_ID,
    workflow: String(c.command.at(-1)).split('.').at(-1)!,
    time_limit_seconds: Number(env.RUN_TIME_LIMIT_SECONDS),
    state: 'inventoried',
  } as Job;
}

beforeAll(async () => {
  const tmp = tempDir();
  mkdirSync(path.join(tmp, 'legacy'));
  writeFileSync(path.join(tmp, 'legacy/crontab'), '0 2 * * 1-5 /opt/app/bin/extract.sh\n30 6 * * * /opt/app/bin/ledger.sh\n');
  for (const args of [['plain', '--yes', '--no-git'], ['assessed', '--assess', 'legacy', '--yes', '--no-git']]) {
    const r = await runCli(args, { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    if (args[0] === 'plain')
      for (const [name, pattern] of [['feed', 'api'], ['monthly', 'reporting']]) {
        const a = await runCli(['add', 'workflow', name, '--pattern', pattern, '--yes'], { cwd: path.join(tmp, 'plain') });
        expect(a.code, a.stderr).toBe(0);
      }
    const dir = path.join(tmp, args[0]!, 'deploy/kubernetes');
    // The assessed project's CronJobs differ in their names only: one of them is enough.
    for (const f of readdirSync(dir).filter((n) => n.endsWith('-cronjob.yaml')).slice(0, args[0] === 'plain' ? undefined : 1)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      cases.push({ name: `${args[0]}/${f}`, text, job: jobFor(text), project: parse(text).metadata.labels['app.kubernetes.io/part-of'] });
    }
  }
}, 120_000);

const quick = (c: Case, text: string, state: JobState, job = c.job, project = c.project) => {
  const d = deploymentOf(state)!;
  return cronJobTextEdit(text, { id: job.id, workflow: job.workflow, timeLimit: job.time_limit_seconds, deadline: job.time_limit_seconds + DEADLINE_MARGIN, project, ...d });
};
const full = (c: Case, text: string, state: JobState, job = c.job, project = c.project) => {
  try {
    return cronJobByDocument(text, 'x.yaml', job, project, state);
  } catch (e) {
    return `threw: ${(e as Error).message}`;
  }
};
const moving = STATES.filter((s) => s !== 'decommissioned');

/** Where the line edit gave text, it is the full path's text. Returns how often it gave one. */
function agree(c: Case, text: string, job = c.job, project = c.project, states: readonly JobState[] = moving): number {
  let taken = 0;
  for (const state of states) {
    const q = quick(c, text, state, job, project);
    if (q === undefined) continue;
    taken++;
    expect(q, `${c.name} -> ${state}\n${text}`).toBe(full(c, text, state, job, project));
  }
  return taken;
}

describe('a move edits a template-made CronJob on its lines, as the YAML document would', () => {
  it('takes the template CronJobs in every state, moving both ways, with the very text of the full path', () => {
    expect(cases.length).toBe(4);
    for (const c of cases) {
      for (const from of moving) {
        const start = full(c, c.text, from);
        expect(agree(c, start), `${c.name} from ${from}`).toBe(moving.length);
      }
      // Through cronJobForState: the states a move goes through, the manifest as parsed says.
      let text = c.text;
      for (const to of moving) {
        text = cronJobForState(text, 'x.yaml', c.job, c.project, to);
        const o = parse(text);
        const env = Object.fromEntries(o.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
        expect([o.spec.suspend, env.JOB_MODE], `${c.name} ${to}`).toEqual([deploymentOf(to)!.suspend, deploymentOf(to)!.mode]);
      }
    }
  });

  it('steps aside (or agrees) for another job, time limit or project, and for edited layouts and values', () => {
    const lineEdits: ((lines: string[], i: number) => string[])[] = [
      (l, i) => l.filter((_, k) => k !== i),
      (l, i) => [...l.slice(0, i + 1), l[i]!, ...l.slice(i + 1)],
      (l, i) => l.map((s, k) => (k === i ? `  ${s}` : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/^ {2}/, '') : s)),
      (l, i) => l.map((s, k) => (k === i ? `${s} # note` : s)),
      (l, i) => l.map((s, k) => (k === i ? `${s} ` : s)),
      (l, i) => [...l.slice(0, i), '', ...l.slice(i)],
      (l, i) => [...l.slice(0, i), `${l[i]!.match(/^ */)![0]}# a note`, ...l.slice(i)],
      (l, i) => [...l.slice(0, i), `${l[i]!.match(/^ */)![0]}  # a note off by two`, ...l.slice(i)],
      (l, i) => [...l.slice(0, i), '# a note at the margin', ...l.slice(i)],
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: (\S+)$/, ': "$1"') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: "([^"]*)"$/, ': $1') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': 010') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': True') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': null') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': 0x1F') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': &a x') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': 1.50') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': 12Mi') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/: \S+$/, ': yes') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/^( *)- /, '$1-  ') : s)),
      (l, i) => l.map((s, k) => (k === i ? s.replace(/^( *)([A-Za-z])/, '$1- $2') : s)),
    ];
    let taken = 0;
    let tried = 0;
    for (const c of cases) {
      const lines = c.text.slice(0, -1).split('\n');
      for (const edit of lineEdits)
        for (let i = 0; i < lines.length; i++) {
          tried++;
          taken += agree(c, `${edit(lines, i).join('\n')}\n`, c.job, c.project, ['ported', 'parallel', 'switched']) ? 1 : 0;
        }
      for (const text of [c.text.replace(/\n/g, '\r\n'), c.text.slice(0, -1), `---\n${c.text}`, c.text.replace(/ {2}/g, '\t'), `${c.text}# the end\n`, c.text.replace('value: shadow', 'valueFrom: {}\n                  value: shadow')])
        expect(quick(c, text, 'parallel'), c.name).toBeUndefined();
      agree(c, c.text, { ...c.job, id: 'other' });
      agree(c, c.text, { ...c.job, time_limit_seconds: 60 });
      agree(c, c.text, c.job, 'another');
      agree(c, c.text, c.job, '');
    }
    // The variants are not all refused: many keep to the layout and are edited on their lines.
    expect(taken).toBeGreaterThan(tried / 4);
  });
});
