import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodePlop from 'node-plop';
import { describe, expect, it } from 'vitest';
import plopfile from '../plopfile.js';
import { listFiles, runCli, tempDir } from './helpers/cli.js';

describe('plopfile.ts', () => {
  it('registers the generators with node-plop, and plop makes the same project the CLI makes', async () => {
    const viaPlop = tempDir();
    const plop = await nodePlop(undefined, { destBasePath: viaPlop, force: false });
    plopfile(plop);
    expect(plop.getGeneratorList().map((g) => g.name)).toContain('project');
    const answers = { project_name: 'same', system_name: 'Same System', patterns: ['etl', 'api'], ci: 'gitlab' };
    const { changes, failures } = await plop.getGenerator('project').runActions(answers);
    expect(failures).toEqual([]);
    expect(changes).toHaveLength(1);

    const viaCli = tempDir();
    const sets = Object.entries(answers).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
    const r = await runCli(['same', '--yes', ...sets.flatMap((s) => ['--set', s])], { cwd: viaCli });
    expect(r.code).toBe(0);

    const a = path.join(viaPlop, 'same');
    const b = path.join(viaCli, 'same');
    expect(listFiles(a)).toEqual(listFiles(b));
    for (const f of listFiles(a)) {
      if (f === '.migration-template.json') continue; // records the generator's version
      expect(readFileSync(path.join(a, f), 'utf8'), f).toBe(readFileSync(path.join(b, f), 'utf8'));
    }
  });
});

describe('plop and `create-migration add` run the same generators', () => {
  it('registers each `add` generator from generators/, and plop adds a workflow as the CLI does', async () => {
    // One project, copied: plop adds to one, the CLI to the other.
    const base = tempDir();
    expect((await runCli(['proj', '--yes', '--no-git', '--set', 'patterns=etl'], { cwd: base })).code).toBe(0);
    const viaPlop = path.join(base, 'proj');
    const viaCli = path.join(tempDir(), 'proj');
    cpSync(viaPlop, viaCli, { recursive: true });

    const plop = await nodePlop(undefined, { destBasePath: viaPlop, force: false });
    plopfile(plop);
    expect(plop.getGeneratorList().map((g) => g.name).sort()).toEqual(['checklist', 'node', 'project', 'workflow']);
    const answers = { name: 'billing_sync', pattern: 'api', sources: ['rest_api'], schedule: '0 3 * * *', time_zone: 'Europe/Berlin' };
    const { failures } = await plop.getGenerator('workflow').runActions(answers);
    expect(failures).toEqual([]);

    const r = await runCli(['add', 'workflow', 'billing_sync', '--pattern', 'api', '--source', 'rest_api', '--schedule', '0 3 * * *', '--time-zone', 'Europe/Berlin', '--yes'], { cwd: viaCli });
    expect(r.code, r.stderr).toBe(0);

    expect(listFiles(viaPlop)).toEqual(listFiles(viaCli));
    expect(listFiles(viaPlop)).toContain('deploy/kubernetes/billing_sync-cronjob.yaml');
    for (const f of listFiles(viaPlop)) {
      // jobs.yaml records when the job was added (to the second).
      const strip = (t: string) => (f === 'jobs.yaml' ? t.replace(/\bat: "[0-9T:-]+Z"/g, 'at: "<when>"') : t);
      expect(strip(readFileSync(path.join(viaPlop, f), 'utf8')), f).toBe(strip(readFileSync(path.join(viaCli, f), 'utf8')));
    }
  });
});
