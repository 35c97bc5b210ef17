import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, snapshot, tempDir } from './helpers/cli.js';

// What a new user trips over on a first run (issue 13), each through the built CLI.

describe('an answers file that is not valid YAML', () => {
  it('names the line it stumbled on, not a dangling colon', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.yaml'), 'owner: Data Team\nsystem_name: a: b\n');
    const before = snapshot(tmp);
    const r = await runCli(['p', '--yes', '--answers', 'a.yaml'], { cwd: tmp });
    expect(r.code).toBe(2);
    const message = r.stderr.trim();
    expect(message).toMatch(/--answers: a\.yaml is not valid YAML or JSON: .*at line 2, column \d+/);
    expect(message).toContain('"system_name: a: b"');
    expect(message).not.toMatch(/:$/);
    expect(snapshot(tmp)).toEqual(before);
  });
});
