import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashContent } from '../src/core/manifest.js';
import { matchesAny } from '../src/core/template/glob.js';
import { planSync, type SyncInputs, type SyncPlan } from '../src/core/sync/plan.js';

/**
 * The pure sync planner, with plain maps of bytes and no file system: one row per rule of
 * DESIGN.md's "Sync: never lose a user's line", then a property test over random file sets.
 */

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });
type Content = string | Uint8Array;
type FileSet = Record<string, Content>;

const toBytes = (c: Content) => (typeof c === 'string' ? enc.encode(c) : c);
const toMap = (set: FileSet) => new Map(Object.entries(set).map(([p, c]) => [p, toBytes(c)]));
const lines = (...ls: string[]) => ls.map((l) => `${l}\n`).join('');
const crlf = (...ls: string[]) => ls.map((l) => `${l}\r\n`).join('');
const bin = (...b: number[]) => Uint8Array.from(b);
const labels = { ours: 'yours', base: 'template 1.0.0', theirs: 'template 2.0.0' };

interface Input {
  /** null: no base could be had (two-way mode). */
  base: FileSet | null;
  theirs: FileSet;
  ours: FileSet;
  /** Defaults to the hashes of base (what the manifest records for the last render). */
  recorded?: Record<string, string>;
  projectOwned?: string[];
  renames?: { from: string; to: string }[];
  conflictStyle?: 'inline' | 'rej';
}

function plan(i: Input): SyncPlan {
  const recorded = i.recorded ?? Object.fromEntries(Object.entries(i.base ?? {}).map(([p, c]) => [p, hashContent(toBytes(c))]));
  const inputs: SyncInputs = {
    base: i.base ? toMap(i.base) : null,
    theirs: toMap(i.theirs),
    ours: toMap(i.ours),
    recorded,
    projectOwned: i.projectOwned ?? [],
    renames: i.renames ?? [],
    conflictStyle: i.conflictStyle ?? 'inline',
    labels,
  };
  return planSync(inputs);
}

interface Expected {
  /** Status per path (outcomes with status 'unchanged' and no note may be left out). */
  status: Record<string, string>;
  /** Every write, as text (or bytes for binary). */
  writes: Record<string, Content>;
  deletes: string[];
  /** Paths recorded as conflicted (for git's index). */
  conflicts: string[];
  /** Renamed outcomes: new path -> old path. */
  from?: Record<string, string>;
}

function summary(p: SyncPlan): Expected {
  const isText = (d: Uint8Array) => !d.includes(0);
  return {
    status: Object.fromEntries(p.outcomes.filter((o) => o.status !== 'unchanged' || o.note).map((o) => [o.path, o.status])),
    writes: Object.fromEntries(p.writes.map((w) => [w.path, isText(w.data) ? dec.decode(w.data) : w.data])),
    deletes: [...p.deletes].sort(),
    conflicts: p.conflicts.map((c) => c.path).sort(),
    from: Object.fromEntries(p.outcomes.filter((o) => o.from).map((o) => [o.path, o.from!])),
  };
}

const README1 = lines('# Title', 'one', 'two', 'three', 'four', 'five');
const README2 = lines('# Title', 'one', 'two', 'three', 'four', 'five (v2)');
const README_OURS = lines('# Title (ours)', 'one', 'two', 'three', 'four', 'five');
const SETTINGS1 = lines('# Settings', 'owner', 'a', 'b', 'c', 'size = 1', 'd');
const SETTINGS2 = lines('# Settings', 'owner team', 'a', 'b', 'c', 'size = 2', 'd');
const SETTINGS_OURS = lines('# Settings', 'owner', 'a', 'b', 'c', 'size = 3', 'd');

const rows: [string, Input, Expected][] = [
  [
    'unchanged by the user: takes theirs',
    { base: { 'README.md': README1 }, theirs: { 'README.md': README2 }, ours: { 'README.md': README1 } },
    { status: { 'README.md': 'updated' }, writes: { 'README.md': README2 }, deletes: [], conflicts: [] },
  ],
  [
    'changed only by the user: keeps ours, writes nothing',
    { base: { 'README.md': README1 }, theirs: { 'README.md': README1 }, ours: { 'README.md': README_OURS } },
    { status: { 'README.md': 'unchanged' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'the same change on both sides: nothing to write',
    { base: { 'README.md': README1 }, theirs: { 'README.md': README2 }, ours: { 'README.md': README2 } },
    { status: {}, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'changed by both, apart: merged with both edits',
    { base: { 'README.md': README1 }, theirs: { 'README.md': README2 }, ours: { 'README.md': README_OURS } },
    { status: { 'README.md': 'merged' }, writes: { 'README.md': lines('# Title (ours)', 'one', 'two', 'three', 'four', 'five (v2)') }, deletes: [], conflicts: [] },
  ],
  [
    'changed by both, overlapping: inline markers with the three labels, recorded as a conflict',
    { base: { 's.md': SETTINGS1 }, theirs: { 's.md': SETTINGS2 }, ours: { 's.md': SETTINGS_OURS } },
    {
      status: { 's.md': 'conflict' },
      writes: {
        's.md': lines('# Settings', 'owner team', 'a', 'b', 'c', '<<<<<<< yours', 'size = 3', '||||||| template 1.0.0', 'size = 1', '=======', 'size = 2', '>>>>>>> template 2.0.0', 'd'),
      },
      deletes: [],
      conflicts: ['s.md'],
    },
  ],
  [
    'changed by both, overlapping, --conflict rej: ours in the conflict, clean hunks applied, template hunk in .rej',
    { base: { 's.md': SETTINGS1 }, theirs: { 's.md': SETTINGS2 }, ours: { 's.md': SETTINGS_OURS }, conflictStyle: 'rej' },
    {
      status: { 's.md': 'conflict' },
      writes: {
        's.md.rej': `--- a/s.md (template 1.0.0)\n+++ b/s.md (template 2.0.0)\n@@ -3,5 +3,5 @@\n a\n b\n c\n-size = 1\n+size = 2\n d\n`,
        's.md': lines('# Settings', 'owner team', 'a', 'b', 'c', 'size = 3', 'd'),
      },
      deletes: [],
      conflicts: ['s.md'],
    },
  ],
  [
    '--conflict rej never overwrites a user file named like the .rej',
    { base: { 's.md': SETTINGS1 }, theirs: { 's.md': SETTINGS2 }, ours: { 's.md': SETTINGS_OURS, 's.md.rej': 'mine\n' }, conflictStyle: 'rej' },
    {
      status: { 's.md': 'conflict' },
      writes: {
        's.md.1.rej': `--- a/s.md (template 1.0.0)\n+++ b/s.md (template 2.0.0)\n@@ -3,5 +3,5 @@\n a\n b\n c\n-size = 1\n+size = 2\n d\n`,
        's.md': lines('# Settings', 'owner team', 'a', 'b', 'c', 'size = 3', 'd'),
      },
      deletes: [],
      conflicts: ['s.md'],
    },
  ],
  [
    'added by the template',
    { base: {}, theirs: { 'new.md': 'new\n' }, ours: {} },
    { status: { 'new.md': 'added' }, writes: { 'new.md': 'new\n' }, deletes: [], conflicts: [] },
  ],
  [
    'added by the template where a user file stands: conflict, the user text inside it, no base stage',
    { base: {}, theirs: { 'new.md': 'template\n' }, ours: { 'new.md': 'mine\n' } },
    {
      status: { 'new.md': 'conflict' },
      writes: { 'new.md': lines('<<<<<<< yours', 'mine', '||||||| no common version', '=======', 'template', '>>>>>>> template 2.0.0') },
      deletes: [],
      conflicts: ['new.md'],
    },
  ],
  [
    'added by the template where the same user file stands: nothing to do',
    { base: {}, theirs: { 'new.md': 'same\n' }, ours: { 'new.md': 'same\n' } },
    { status: {}, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'removed by the template, unchanged by the user: removed',
    { base: { 'old.md': 'old\n' }, theirs: {}, ours: { 'old.md': 'old\n' } },
    { status: { 'old.md': 'removed' }, writes: {}, deletes: ['old.md'], conflicts: [] },
  ],
  [
    'removed by the template, changed by the user: kept',
    { base: { 'old.md': 'old\n' }, theirs: {}, ours: { 'old.md': 'old and mine\n' } },
    { status: { 'old.md': 'kept' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'removed by both: nothing to do',
    { base: { 'old.md': 'old\n' }, theirs: {}, ours: {} },
    { status: {}, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'deleted by the user, changed by the template: stays deleted',
    { base: { 'x.md': 'v1\n' }, theirs: { 'x.md': 'v2\n' }, ours: {} },
    { status: { 'x.md': 'kept' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'deleted by the user, unchanged by the template: stays deleted',
    { base: { 'x.md': 'v1\n' }, theirs: { 'x.md': 'v1\n' }, ours: {} },
    { status: { 'x.md': 'kept' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'files the template never generated are never touched',
    { base: { 'a.md': 'a\n' }, theirs: { 'a.md': 'a2\n' }, ours: { 'a.md': 'a\n', 'mine.md': 'mine\n' } },
    { status: { 'a.md': 'updated' }, writes: { 'a.md': 'a2\n' }, deletes: [], conflicts: [] },
  ],
  [
    'project-owned, changed by the template: skipped',
    { base: { 'NOTES.md': 'v1\n' }, theirs: { 'NOTES.md': 'v2\n' }, ours: { 'NOTES.md': 'v1\n' }, projectOwned: ['NOTES.md'] },
    { status: { 'NOTES.md': 'skipped' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'project-owned, dropped by the template: skipped, not removed',
    { base: { 'own/a.md': 'v1\n' }, theirs: {}, ours: { 'own/a.md': 'v1\n' }, projectOwned: ['own/**'] },
    { status: { 'own/a.md': 'skipped' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'project-owned, deleted by the user: not brought back',
    { base: { 'own/a.md': 'v1\n' }, theirs: { 'own/a.md': 'v2\n' }, ours: {}, projectOwned: ['own/**'] },
    { status: { 'own/a.md': 'skipped' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'project-owned, new in the template: added once',
    { base: {}, theirs: { 'own/new.md': 'v2\n' }, ours: {}, projectOwned: ['own/**'] },
    { status: { 'own/new.md': 'added' }, writes: { 'own/new.md': 'v2\n' }, deletes: [], conflicts: [] },
  ],
  [
    'declared rename with user edits: the edits move to the new path, merged with the template change',
    {
      base: { 'guides/setup.md': lines('# Setup', 's1', 's2', 's3', 's4', 's5') },
      theirs: { 'handbook/setup.md': lines('# Setup', 's1', 's2', 'T3', 'T4', 'T5') },
      ours: { 'guides/setup.md': lines('# Setup (mine)', 's1', 's2', 's3', 's4', 's5') },
      renames: [{ from: 'guides/setup.md', to: 'handbook/setup.md' }],
    },
    {
      status: { 'handbook/setup.md': 'renamed' },
      from: { 'handbook/setup.md': 'guides/setup.md' },
      writes: { 'handbook/setup.md': lines('# Setup (mine)', 's1', 's2', 'T3', 'T4', 'T5') },
      deletes: ['guides/setup.md'],
      conflicts: [],
    },
  ],
  [
    'detected rename (similar content) with user edits',
    {
      base: { 'docs/howto.md': lines('# How', '1', '2', '3', '4', '5', '6', '7', '8', '9') },
      theirs: { 'docs/how-to.md': lines('# How', '1', '2', '3', '4', '5', '6', '7', '8', '9 (v2)') },
      ours: { 'docs/howto.md': lines('# How', '1', '2 (mine)', '3', '4', '5', '6', '7', '8', '9') },
    },
    {
      status: { 'docs/how-to.md': 'renamed' },
      from: { 'docs/how-to.md': 'docs/howto.md' },
      writes: { 'docs/how-to.md': lines('# How', '1', '2 (mine)', '3', '4', '5', '6', '7', '8', '9 (v2)') },
      deletes: ['docs/howto.md'],
      conflicts: [],
    },
  ],
  [
    'pure rename (identical content) with user edits: the user file moves as it is',
    { base: { 'a/x.md': lines('x', 'y') }, theirs: { 'b/x.md': lines('x', 'y') }, ours: { 'a/x.md': lines('x', 'y', 'mine') } },
    { status: { 'b/x.md': 'renamed' }, from: { 'b/x.md': 'a/x.md' }, writes: { 'b/x.md': lines('x', 'y', 'mine') }, deletes: ['a/x.md'], conflicts: [] },
  ],
  [
    'rename of a file the user deleted: stays deleted, nothing added',
    { base: { 'a/x.md': lines('x', 'y') }, theirs: { 'b/x.md': lines('x', 'y') }, ours: {} },
    { status: { 'b/x.md': 'kept' }, from: { 'b/x.md': 'a/x.md' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'rename onto a path where a user file stands: conflict there, the old file kept',
    { base: { 'a/x.md': lines('x', 'y') }, theirs: { 'b/x.md': lines('x', 'y') }, ours: { 'a/x.md': lines('x', 'y'), 'b/x.md': 'mine\n' } },
    {
      status: { 'b/x.md': 'conflict' },
      writes: { 'b/x.md': lines('<<<<<<< yours', 'mine', '||||||| no common version', '=======', 'x', 'y', '>>>>>>> template 2.0.0') },
      deletes: [],
      conflicts: ['b/x.md'],
    },
  ],
  [
    'a rename out of a project-owned path does not move the project\'s file',
    {
      base: { 'own/notes.md': lines('n1', 'n2', 'n3') },
      theirs: { 'docs/notes.md': lines('n1', 'n2', 'n3') },
      ours: { 'own/notes.md': lines('n1', 'n2', 'n3', 'ours') },
      projectOwned: ['own/**'],
    },
    { status: { 'own/notes.md': 'skipped', 'docs/notes.md': 'added' }, writes: { 'docs/notes.md': lines('n1', 'n2', 'n3') }, deletes: [], conflicts: [] },
  ],
  [
    'binary changed only by the template: theirs',
    { base: { 'logo.bin': bin(0, 1) }, theirs: { 'logo.bin': bin(0, 2) }, ours: { 'logo.bin': bin(0, 1) } },
    { status: { 'logo.bin': 'updated' }, writes: { 'logo.bin': bin(0, 2) }, deletes: [], conflicts: [] },
  ],
  [
    'binary changed only by the user: ours',
    { base: { 'logo.bin': bin(0, 1) }, theirs: { 'logo.bin': bin(0, 1) }, ours: { 'logo.bin': bin(0, 3) } },
    { status: { 'logo.bin': 'unchanged' }, writes: {}, deletes: [], conflicts: [] },
  ],
  [
    'binary changed by both: ours kept, reported, never merged',
    { base: { 'logo.bin': bin(0, 1) }, theirs: { 'logo.bin': bin(0, 2) }, ours: { 'logo.bin': bin(0, 3) } },
    { status: { 'logo.bin': 'conflict' }, writes: {}, deletes: [], conflicts: ['logo.bin'] },
  ],
  [
    'a file the user converted to CRLF: the template change arrives in CRLF',
    { base: { 'n.md': lines('a', 'b', 'c') }, theirs: { 'n.md': lines('a', 'B', 'c') }, ours: { 'n.md': crlf('a', 'b', 'c') } },
    { status: { 'n.md': 'updated' }, writes: { 'n.md': crlf('a', 'B', 'c') }, deletes: [], conflicts: [] },
  ],
  [
    'a CRLF file changed by both: merged in CRLF',
    { base: { 'r.bat': crlf('a', 'b', 'c', 'd') }, theirs: { 'r.bat': crlf('a', 'b', 'c', 'D') }, ours: { 'r.bat': crlf('A', 'b', 'c', 'd') } },
    { status: { 'r.bat': 'merged' }, writes: { 'r.bat': crlf('A', 'b', 'c', 'D') }, deletes: [], conflicts: [] },
  ],
  [
    'a missing final newline stays missing',
    { base: { 'n.txt': 'a\nb\nc\nd' }, theirs: { 'n.txt': 'A\nb\nc\nd' }, ours: { 'n.txt': 'a\nb\nc\nD' } },
    { status: { 'n.txt': 'merged' }, writes: { 'n.txt': 'A\nb\nc\nD' }, deletes: [], conflicts: [] },
  ],
  [
    'two-way (no base): a file still as last rendered is updated, a changed one is a conflict left as it is',
    { base: null, recorded: { 'a.md': hashContent(enc.encode('a1\n')), 'b.md': hashContent(enc.encode('b1\n')) }, theirs: { 'a.md': 'a2\n', 'b.md': 'b2\n' }, ours: { 'a.md': 'a1\n', 'b.md': 'b1 mine\n' } },
    { status: { 'a.md': 'updated', 'b.md': 'conflict' }, writes: { 'a.md': 'a2\n' }, deletes: [], conflicts: ['b.md'] },
  ],
  [
    'two-way, --conflict rej: the template version goes to .rej as a diff from ours',
    { base: null, recorded: { 'b.md': hashContent(enc.encode('b1\n')) }, theirs: { 'b.md': 'b2\n' }, ours: { 'b.md': 'b1 mine\n' }, conflictStyle: 'rej' },
    { status: { 'b.md': 'conflict' }, writes: { 'b.md.rej': '--- a/b.md (yours)\n+++ b/b.md (template 2.0.0)\n@@ -1 +1 @@\n-b1 mine\n+b2\n' }, deletes: [], conflicts: ['b.md'] },
  ],
  [
    'two-way: removals, user deletions, additions, clashes and project-owned paths',
    {
      base: null,
      recorded: Object.fromEntries(['gone.md', 'gone-mine.md', 'deleted.md', 'own/x.md'].map((p) => [p, hashContent(enc.encode(`${p}\n`))])),
      theirs: { 'deleted.md': 'v2\n', 'new.md': 'new\n', 'clash.md': 'template\n', 'own/x.md': 'v2\n' },
      ours: { 'gone.md': 'gone.md\n', 'gone-mine.md': 'mine\n', 'clash.md': 'mine\n', 'own/x.md': 'own/x.md\n' },
      projectOwned: ['own/**'],
    },
    {
      status: { 'gone.md': 'removed', 'gone-mine.md': 'kept', 'deleted.md': 'kept', 'new.md': 'added', 'clash.md': 'conflict', 'own/x.md': 'skipped' },
      writes: { 'new.md': 'new\n' },
      deletes: ['gone.md'],
      conflicts: ['clash.md'],
    },
  ],
];

describe('planSync: one row per rule', () => {
  it.each(rows)('%s', (_name, input, expected) => {
    const got = summary(plan(input));
    expect(got).toEqual({ from: {}, ...expected });
  });

  it('records the three versions of a conflicted file for the index, without a base stage for an add/add', () => {
    const p = plan({ base: { 's.md': SETTINGS1 }, theirs: { 's.md': SETTINGS2, 'n.md': 't\n' }, ours: { 's.md': SETTINGS_OURS, 'n.md': 'o\n' } });
    const byPath = Object.fromEntries(p.conflicts.map((c) => [c.path, c]));
    expect(dec.decode(byPath['s.md']!.base)).toBe(SETTINGS1);
    expect(dec.decode(byPath['s.md']!.ours)).toBe(SETTINGS_OURS);
    expect(dec.decode(byPath['s.md']!.theirs)).toBe(SETTINGS2);
    expect(byPath['n.md']!.base).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random base / ours / theirs file sets.

const POOL = ['a.md', 'b.md', 'c.md', 'd/e.md', 'd/f.md', 'g.txt', 'own/x.md', 'own/y.md', 'z/moved.md'];
const OWNED = ['own/**'];
const baseLine = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'epsilon', '');
const text = fc.array(baseLine, { minLength: 0, maxLength: 10 });

type Edit = { op: 'insert' | 'delete' | 'replace'; at: number; line: string };
const editsWith = (line: fc.Arbitrary<string>) =>
  fc.array(fc.record({ op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const), at: fc.nat(), line }), { minLength: 1, maxLength: 3 });

function applyEdits(ls: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...ls];
  for (const e of edits) {
    if (e.op === 'insert') out.splice(e.at % (out.length + 1), 0, e.line);
    else if (out.length) out.splice(e.at % out.length, 1, ...(e.op === 'replace' ? [e.line] : []));
  }
  return out;
}

const join = (ls: readonly string[], eol = '\n', finalNewline = true) => {
  const t = ls.map((l) => l + eol).join('');
  return finalNewline || !ls.length ? t : t.slice(0, -eol.length);
};

/** What each side does to one path. */
const sideAction = (userSide: boolean) =>
  fc.record({
    kind: fc.constantFrom('keep', 'keep', 'edit', 'edit', 'remove', ...(userSide ? (['crlf'] as const) : (['move'] as const))),
    edits: editsWith(userSide ? fc.constantFrom('USER 1', 'USER 2', 'user: alpha', 'alpha', '') : fc.constantFrom('TPL 1', 'TPL 2', 'beta', '')),
    finalNewline: fc.boolean(),
  });

const scenario = fc.record({
  base: fc.dictionary(fc.constantFrom(...POOL), text, { maxKeys: 7 }),
  theirs: fc.dictionary(fc.constantFrom(...POOL), sideAction(false)),
  ours: fc.dictionary(fc.constantFrom(...POOL), sideAction(true)),
  theirsAdds: fc.dictionary(fc.constantFrom(...POOL), text, { maxKeys: 3 }),
  oursAdds: fc.dictionary(fc.constantFrom(...POOL), fc.array(fc.constantFrom('USER NEW', 'alpha', 'beta'), { minLength: 1, maxLength: 4 }), { maxKeys: 3 }),
  declare: fc.boolean(),
  twoWay: fc.boolean(),
  conflictStyle: fc.constantFrom('inline' as const, 'rej' as const),
});

interface Built {
  base: Map<string, Uint8Array>;
  theirs: Map<string, Uint8Array>;
  ours: Map<string, Uint8Array>;
  renames: { from: string; to: string }[];
}

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario): Built {
  const base = new Map<string, Uint8Array>();
  const theirs = new Map<string, Uint8Array>();
  const ours = new Map<string, Uint8Array>();
  const renames: { from: string; to: string }[] = [];
  for (const [p, ls] of Object.entries(s.base)) base.set(p, enc.encode(join(ls)));
  for (const [p, ls] of Object.entries(s.base)) {
    const t = s.theirs[p] ?? { kind: 'keep', edits: [], finalNewline: true };
    if (t.kind === 'keep') theirs.set(p, enc.encode(join(ls)));
    else if (t.kind === 'edit') theirs.set(p, enc.encode(join(applyEdits(ls, t.edits), '\n', t.finalNewline)));
    else if (t.kind === 'move') {
      // Moved to a path the base does not have, with a small change: a rename to follow.
      const to = POOL.find((q) => !s.base[q] && !theirs.has(q) && q !== p);
      if (to) {
        theirs.set(to, enc.encode(join([...ls, 'TPL moved'])));
        if (s.declare) renames.push({ from: p, to });
      }
    }
    const o = s.ours[p] ?? { kind: 'keep', edits: [], finalNewline: true };
    if (o.kind === 'keep') ours.set(p, enc.encode(join(ls)));
    else if (o.kind === 'edit') ours.set(p, enc.encode(join(applyEdits(ls, o.edits), '\n', o.finalNewline)));
    else if (o.kind === 'crlf') ours.set(p, enc.encode(join(applyEdits(ls, o.edits), '\r\n')));
  }
  for (const [p, ls] of Object.entries(s.theirsAdds)) if (!base.has(p) && !theirs.has(p)) theirs.set(p, enc.encode(join(ls)));
  for (const [p, ls] of Object.entries(s.oursAdds)) if (!base.has(p)) ours.set(p, enc.encode(join(ls)));
  return { base, theirs, ours, renames };
}

const splitText = (d: Uint8Array) => dec.decode(d).split(/\r?\n/);

describe('planSync: property over random file sets', () => {
  it('never loses a user line, never deletes a user-changed file, never touches files outside base and theirs', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { base, theirs, ours, renames } = build(s);
        const recorded = Object.fromEntries([...base].map(([p, d]) => [p, hashContent(d)]));
        const p = planSync({
          base: s.twoWay ? null : base,
          theirs,
          ours,
          recorded,
          projectOwned: OWNED,
          renames,
          conflictStyle: s.conflictStyle,
          labels,
        });
        const writes = new Map(p.writes.map((w) => [w.path, w.data]));
        const deletes = new Set(p.deletes);
        expect(writes.size).toBe(p.writes.length); // one write per path
        const rejs = new Set(p.outcomes.map((o) => o.rej).filter(Boolean));
        const known = new Set([...base.keys(), ...theirs.keys()]);

        // Only paths of the template's two renders (and free .rej names beside conflicts) change.
        for (const w of writes.keys()) {
          if (!known.has(w)) {
            expect(rejs.has(w), `write outside base/theirs: ${w}`).toBe(true);
            expect(ours.has(w), `a .rej over a user file: ${w}`).toBe(false);
          }
        }
        for (const d of deletes) expect(known.has(d), `delete outside base/theirs: ${d}`).toBe(true);

        // Project-owned paths: never written or deleted, except a brand-new file the project lacks.
        for (const w of writes.keys()) if (matchesAny(w, OWNED)) expect(!base.has(w) && !ours.has(w), `project-owned write: ${w}`).toBe(true);
        for (const d of deletes) expect(matchesAny(d, OWNED), `project-owned delete: ${d}`).toBe(false);

        for (const [path, mine] of ours) {
          const pristine = base.get(path);
          // Line endings alone are not an edit (autocrlf checkouts): such a file counts as unchanged.
          if (pristine && dec.decode(pristine) === dec.decode(mine).replace(/\r\n/g, '\n')) continue;
          // A file the user changed or added. Where does its content live after the plan?
          let out: Uint8Array | undefined;
          if (deletes.has(path)) {
            const moved = p.outcomes.find((o) => o.from === path);
            expect(moved, `user-changed file deleted: ${path}`).toBeDefined();
            out = writes.get(moved!.path);
          } else out = writes.get(path) ?? mine;
          expect(out, `no output for ${path}`).toBeDefined();
          const outLines = new Set(splitText(out!));
          const baseLines = new Set(pristine ? splitText(pristine) : []);
          for (const line of splitText(mine)) {
            if (baseLines.has(line)) continue; // not a line the user added or changed
            expect(outLines.has(line), `line "${line}" of ${path} lost`).toBe(true);
          }
        }
      }),
      { seed: 20240611, numRuns: 1500 },
    );
  });
});
