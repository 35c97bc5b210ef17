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
});
