/**
 * The path half of a template migration, on a sync plan: project files under a moved path go to
 * the new one (bytes and executable bit as they are), and files under a removed path go only if
 * they are exactly as the template last rendered them. The team's ignore list is honoured; a
 * move never lands on a file that is there, and a removal never loses an edit. Pure.
 */
import { hashContent } from '../manifest.js';
import { movedPath, removedBy, type PathMigration } from '../template/migrations.js';

export type { PathMigration };

interface Plan {
  outcomes: { path: string; status: string; from?: string; note?: string }[];
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes: string[];
}

export interface PathMigrationInputs {
  theirs: ReadonlyMap<string, Uint8Array>;
  ours: ReadonlyMap<string, Uint8Array>;
  recorded: Readonly<Record<string, string>>;
  /** Paths sync leaves alone (the team's ignore list): migrations too. */
  leftAlone: (p: string) => boolean;
  /** Project-owned paths: the template's new file there gives way to the team's moved one. */
  owned: (p: string) => boolean;
  executable?: ReadonlySet<string>;
  migration: PathMigration;
}

export function applyPathMigrations(plan: Plan, inputs: PathMigrationInputs): void {
  const { theirs, ours, recorded, migration } = inputs;
  const deleted = () => new Set(plan.deletes);
  const setOutcome = (o: Plan['outcomes'][number]) => {
    plan.outcomes = plan.outcomes.filter((x) => x.path !== o.path);
    plan.outcomes.push(o);
  };
  for (const f of [...ours.keys()].sort()) {
    if (inputs.leftAlone(f) || theirs.has(f) || deleted().has(f)) continue;
    const mv = movedPath(f, migration.moves);
    if (!mv) continue;
    const target = mv.to;
    const planned = plan.writes.find((w) => w.path === target);
    const templateAdds = planned && inputs.owned(target) && plan.outcomes.some((o) => o.path === target && o.status === 'added');
    if (inputs.leftAlone(target) || ours.has(target) || (planned && !templateAdds)) {
      setOutcome({ path: f, status: 'kept', note: `the ${mv.version} migration moves it to ${target}, but something stands there: move it by hand` });
      continue;
    }
    plan.writes = plan.writes.filter((w) => w.path !== target);
    plan.writes.push({ path: target, data: ours.get(f)!, executable: inputs.executable?.has(f) });
    plan.deletes.push(f);
    plan.outcomes = plan.outcomes.filter((o) => o.path !== f);
    setOutcome({ path: target, from: f, status: 'renamed', note: `moved by the ${mv.version} migration` });
  }
  for (const f of [...ours.keys()].sort()) {
    if (inputs.leftAlone(f) || theirs.has(f) || deleted().has(f)) continue;
    const version = removedBy(f, migration.removes);
    if (!version) continue;
    if (recorded[f] !== undefined && hashContent(ours.get(f)!) === recorded[f]) {
      plan.deletes.push(f);
      setOutcome({ path: f, status: 'removed', note: `by the ${version} migration` });
    } else {
      const why = recorded[f] === undefined ? 'it is yours (the template never made it)' : 'you changed it';
      setOutcome({ path: f, status: 'kept', note: `the ${version} migration removes it, but ${why}: remove it yourself if you agree` });
    }
  }
}
