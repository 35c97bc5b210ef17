import { readFileSync } from 'node:fs';
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
