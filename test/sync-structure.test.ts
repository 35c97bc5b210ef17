import { describe, expect, it } from 'vitest';
import { planSync, type SyncInputs } from '../src/core/sync/plan.js';
import { asideName } from '../src/core/sync/structure.js';

/** The pure planner on file/folder changes and the executable bit: plain values in, plan out. */

const enc = (s: string) => new TextEncoder().encode(s);
const files = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, enc(v)]));

function plan(over: Partial<SyncInputs> & Pick<SyncInputs, 'base' | 'theirs' | 'ours'>) {
  return planSync({
    recorded: {},
    projectOwned: [],
    renames: [],
    conflictStyle: 'inline',
    labels: { ours: 'yours', base: 'template 1', theirs: 'template 2' },
    ...over,
  });
}
const paths = (w: { path: string }[]) => w.map((x) => x.path).sort();

describe('a file that becomes a folder, and back', () => {
  it('unchanged file -> folder: the file is deleted, the folder files written, nothing moved', () => {
    const p = plan({ base: files({ docs: 'v1' }), theirs: files({ 'docs/index.md': 'v2' }), ours: files({ docs: 'v1' }) });
    expect(p.deletes).toEqual(['docs']);
    expect(paths(p.writes)).toEqual(['docs/index.md']);
    expect(p.conflicts).toEqual([]);
  });

  it('edited file -> folder: moved to docs~yours (its bytes), recorded as unmerged with its base', () => {
    const p = plan({ base: files({ docs: 'v1' }), theirs: files({ 'docs/index.md': 'v2' }), ours: files({ docs: 'mine' }) });
    expect(paths(p.writes)).toEqual(['docs/index.md', 'docs~yours']);
    expect(new TextDecoder().decode(p.writes.find((w) => w.path === 'docs~yours')!.data)).toBe('mine');
    expect(p.deletes).toEqual(['docs']);
    expect(p.outcomes.find((o) => o.path === 'docs')).toMatchObject({ status: 'conflict', movedTo: 'docs~yours' });
    expect(p.conflicts).toEqual([{ path: 'docs', base: enc('v1'), ours: enc('mine') }]);
  });

  it('folder -> file: the folder stays with what the user keeps in it; the template file is written to cfg~template', () => {
    const p = plan({
      base: files({ 'cfg/a': 'a1', 'cfg/b': 'b1' }),
      theirs: files({ cfg: 'all' }),
      ours: files({ 'cfg/a': 'a2', 'cfg/b': 'b1', 'cfg/mine': 'm' }),
      folders: new Map([['cfg', ['cfg/a', 'cfg/b', 'cfg/mine']]]),
      untracked: new Set(['cfg/mine']),
    });
    expect(paths(p.writes)).toEqual(['cfg~template']);
    // only what the template dropped and the user never changed goes
    expect(p.deletes.sort()).toEqual(['cfg/b']);
    expect(p.outcomes.find((o) => o.path === 'cfg')).toMatchObject({ status: 'conflict', writtenTo: 'cfg~template' });
    // recorded as a file only the template added (stage 3 alone)
    expect(p.conflicts).toEqual([{ path: 'cfg~template', theirs: enc('all'), templatePath: 'cfg' }]);
  });

  it("a template file where the user keeps a folder of their own: the folder stays, the file goes aside to the first free name", () => {
    const p = plan({
      base: files({}),
      theirs: files({ config: 'tpl' }),
      ours: files({ 'config/settings': 's', 'config~template': 'theirs already' }),
      folders: new Map([['config', ['config/settings']]]),
    });
    expect(paths(p.writes)).toEqual(['config~template.1']);
    expect(p.deletes).toEqual([]);
  });

  it('folder -> file when the user kept nothing there: no move, no conflict', () => {
    const p = plan({ base: files({ 'cfg/a': 'a1' }), theirs: files({ cfg: 'all' }), ours: files({ 'cfg/a': 'a1' }), folders: new Map([['cfg', ['cfg/a']]]) });
    expect(paths(p.writes)).toEqual(['cfg']);
    expect(p.outcomes.some((o) => o.status === 'conflict')).toBe(false);
  });

  it('the aside name never takes a name already used', () => {
    const taken = new Set(['x~yours', 'x~yours.1']);
    expect(asideName('x', (p) => taken.has(p))).toBe('x~yours.2');
  });
});

describe('the executable bit, three-way', () => {
  const same = files({ s: 'same' });
  const exec = (...p: string[]) => new Set(p);
  const run = (b: string[], t: string[], o: string[]) =>
    plan({ base: same, theirs: same, ours: same, executable: { base: exec(...b), theirs: exec(...t), ours: exec(...o) } });

  it('the template changed it, the user did not: applied (same bytes, new bit), reported', () => {
    const p = run([], ['s'], []);
    expect(p.writes).toEqual([{ path: 's', data: enc('same'), executable: true }]);
    expect(p.outcomes[0]).toMatchObject({ status: 'updated', note: expect.stringContaining('executable') });
    expect(run(['s'], [], ['s']).writes).toEqual([{ path: 's', data: enc('same'), executable: false }]);
  });

  it('the user changed it: kept, whatever the template does', () => {
    expect(run([], [], ['s']).writes).toEqual([]);
    expect(run(['s'], ['s'], []).writes).toEqual([]);
  });

  it('an added file takes the template bit; a content update leaves a user bit alone', () => {
    const added = plan({ base: files({}), theirs: files({ n: 'new' }), ours: files({}), executable: { base: exec(), theirs: exec('n'), ours: exec() } });
    expect(added.writes).toEqual([{ path: 'n', data: enc('new'), executable: true }]);
    const updated = plan({ base: files({ u: '1' }), theirs: files({ u: '2' }), ours: files({ u: '1' }), executable: { base: exec(), theirs: exec(), ours: exec('u') } });
    expect(updated.writes).toEqual([{ path: 'u', data: enc('2') }]);
  });
});

describe('an ignored file where the template now needs a folder', () => {
  it('stays where it is, untouched; the files under it are not written; reported', () => {
    const p = plan({ base: files({}), theirs: files({ 'build/x.md': 'x' }), ours: files({ build: 'SECRET=1' }), ignored: new Set(['build']), untracked: new Set(['build']) });
    expect(p.writes).toEqual([]);
    expect(p.deletes).toEqual([]);
    expect(p.conflicts).toEqual([]);
    expect(p.outcomes).toEqual([expect.objectContaining({ path: 'build', status: 'conflict', note: expect.stringContaining('ignored by git') })]);
  });
});

describe('a project-owned file where the template now needs a folder', () => {
  it('is never moved: kept, the files under it not written, reported', () => {
    const p = plan({ base: files({ NOTES: 'v1' }), theirs: files({ 'NOTES/a.md': 'a' }), ours: files({ NOTES: 'ours' }), projectOwned: ['NOTES'] });
    expect(p.writes).toEqual([]);
    expect(p.deletes).toEqual([]);
    expect(p.outcomes).toEqual([expect.objectContaining({ path: 'NOTES', status: 'conflict', note: expect.stringContaining('project-owned') })]);
  });
});
