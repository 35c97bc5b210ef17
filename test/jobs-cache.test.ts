/**
 * The views read jobs.yaml's inventory from the user's cache when the file's bytes are ones they
 * have parsed before: an edit is always seen, a damaged or foreign entry never answers.
 */
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedInventory } from '../src/edge/jobs-cache.js';
import { parseJobs } from '../src/core/jobs/parse.js';
import { runCli, tempDir } from './helpers/cli.js';

const yamlOf = (owner: string) =>
  `version: 1\ncalendar:\n  holidays: []\njobs:\n  - id: nightly\n    title: Nightly\n    owner: ${owner}\n    state: inventoried\n    legacy: {kind: cron, schedule: "0 2 * * *", time_zone: null, command: /opt/x.sh, script: null, found_in: crontab:1, host: null, user: null}\n    workflow: nightly\n    cronjob: deploy/kubernetes/nightly-cronjob.yaml\n    parity: {criterion_days: 10}\n    history:\n      - {at: "2026-12-01T00:00:00Z", from: null, to: inventoried, by: t, reason: found}\n`;

describe('the jobs inventory cache', () => {
  it('answers for the same bytes only, without parsing again; an edit is parsed', () => {
    const dir = path.join(tempDir(), 'cache');
    const a = new TextEncoder().encode(yamlOf('Team A'));
    let parses = 0;
    const parse = (data: Uint8Array) => () => {
      parses++;
      return parseJobs(new TextDecoder().decode(data)).inventory;
    };
    const first = cachedInventory(a, parse(a), dir);
    expect(first.jobs[0]!.owner).toBe('Team A');
    expect(cachedInventory(a, parse(a), dir)).toEqual(first);
    expect(parses).toBe(1);
    const b = new TextEncoder().encode(yamlOf('Team B'));
    expect(cachedInventory(b, parse(b), dir).jobs[0]!.owner).toBe('Team B');
    expect(parses).toBe(2);
  });

  it('a damaged entry, or one others may write, is not used', () => {
    const dir = path.join(tempDir(), 'cache');
    const a = new TextEncoder().encode(yamlOf('Team A'));
    const parse = () => parseJobs(yamlOf('Team A')).inventory;
    cachedInventory(a, parse, dir);
    const [name] = readdirSync(dir);
    const file = path.join(dir, name!);
    // Edited without its checksum: parsed again (and the entry rewritten).
    writeFileSync(file, readFileSync(file, 'utf8').replace('Team A', 'Mallory'));
    expect(cachedInventory(a, parse, dir).jobs[0]!.owner).toBe('Team A');
    // With a good checksum, but writable by others: not trusted.
    const body = readFileSync(file, 'utf8').split('\n').slice(1).join('\n').replace('Team A', 'Mallory');
    writeFileSync(file, `${createHash('sha256').update(body).digest('hex')}\n${body}`);
    chmodSync(file, 0o666);
    expect(cachedInventory(a, parse, dir).jobs[0]!.owner).toBe('Team A');
  });

  it('status and jobs show an edit of jobs.yaml made after an earlier run', async () => {
    const tmp = tempDir();
    const g = await runCli(['proj', '--yes', '--no-git'], { cwd: tmp });
    expect(g.code, g.stderr).toBe(0);
    const proj = path.join(tmp, 'proj');
    writeFileSync(path.join(proj, 'jobs.yaml'), yamlOf('Team A'));
    expect((await runCli(['jobs', '--json'], { cwd: proj })).stdout).toContain('Team A');
    expect((await runCli(['status', '--json'], { cwd: proj })).stdout).toContain('Team A');
    writeFileSync(path.join(proj, 'jobs.yaml'), yamlOf('Team B'));
    const jobs = await runCli(['jobs', '--json'], { cwd: proj });
    expect(jobs.stdout).toContain('Team B');
    expect(jobs.stdout).not.toContain('Team A');
    // A broken edit is reported as before, not hidden by the cache.
    writeFileSync(path.join(proj, 'jobs.yaml'), yamlOf('Team B').replace('state: inventoried', 'state: nowhere'));
    const bad = await runCli(['jobs'], { cwd: proj });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/jobs\.yaml/);
  });

  it('a move acts on the file as it is now: after a cached read, after a hand edit, and on a file the text edit leaves to the document', async () => {
    const tmp = tempDir();
    const g = await runCli(['proj', '--yes', '--no-git'], { cwd: tmp });
    expect(g.code, g.stderr).toBe(0);
    const proj = path.join(tmp, 'proj');
    const file = path.join(proj, 'jobs.yaml');
    const two = yamlOf('Team A').replace(/\n$/, '\n') + yamlOf('Team A').split('jobs:\n')[1]!.replaceAll('nightly', 'weekly');
    writeFileSync(file, two);
    expect((await runCli(['jobs', '--json'], { cwd: proj })).code).toBe(0); // fills the cache
    const m1 = await runCli(['job', 'nightly', '--to', 'ported', '--by', 'Ann', '--force', '--reason', 'porting now'], { cwd: proj });
    expect(m1.code, m1.stderr).toBe(0);
    const after1 = parseJobs(readFileSync(file, 'utf8')).inventory;
    expect(after1.jobs.map((j) => j.state)).toEqual(['ported', 'inventoried']);
    expect(after1.jobs[0]!.history.at(-1)).toMatchObject({ from: 'inventoried', to: 'ported', by: 'Ann' });
    // Only the state line changed and one history line was added: the rest is the team's text.
    expect(readFileSync(file, 'utf8').split('\n').filter((l) => !two.split('\n').includes(l))).toHaveLength(2);
    // A hand edit the cache has never seen (weekly made ported by hand): the move sees it.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(id: weekly[\s\S]*?state: )inventoried/, '$1ported'));
    const m2 = await runCli(['job', 'weekly', '--to', 'parallel', '--by', 'Ann', '--force', '--reason', 'running'], { cwd: proj });
    expect(m2.code, m2.stderr).toBe(0);
    const after2 = parseJobs(readFileSync(file, 'utf8')).inventory;
    expect(after2.jobs.map((j) => j.state)).toEqual(['ported', 'parallel']);
    expect(after2.jobs[1]!.history.at(-1)).toMatchObject({ from: 'ported', to: 'parallel' });
    // Outside the subset (CRLF line ends): moved through the document, CRLF kept.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect((await runCli(['jobs', '--json'], { cwd: proj })).code).toBe(0);
    const m3 = await runCli(['job', 'nightly', '--to', 'parallel', '--by', 'Ann', '--force', '--reason', 'on, for now'], { cwd: proj });
    expect(m3.code, m3.stderr).toBe(0);
    const text3 = readFileSync(file, 'utf8');
    expect(text3.split('\n').every((l) => l === '' || l.endsWith('\r'))).toBe(true);
    expect(parseJobs(text3).inventory.jobs[0]).toMatchObject({ state: 'parallel' });
    expect(parseJobs(text3).inventory.jobs[0]!.history.at(-1)).toMatchObject({ to: 'parallel', by: 'Ann' });
  });
});
