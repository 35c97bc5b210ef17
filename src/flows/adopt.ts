import path from 'node:path';
import { resolveAnswers, type Asker } from '../core/answers/resolve.js';
import { sameBytes } from '../core/bytes.js';
import { InputError } from '../core/errors.js';
import { MANIFEST_PATH, manifestFor } from '../core/manifest.js';
import { planRender } from '../core/template/plan.js';
import type { TemplateRef } from '../core/manifest.js';
import type { Answers } from '../core/template/types.js';
import { writePristine } from '../edge/git/objects.js';
import { pristineRefs } from '../edge/git/refs.js';
import { ProjectSession } from '../edge/project/session.js';
import { loadFromSource, openSource } from '../edge/template-source.js';

export interface AdoptRequest {
  dir: string;
  template?: string;
  /** Answers given up front (an answers file, --set), with where each came from. */
  answers: Record<string, unknown>;
  origins: Record<string, string>;
  yes?: boolean;
  addMissing?: boolean;
  dryRun?: boolean;
  /** Present when a terminal can be asked. */
  ask?: Asker;
}

export type Comparison = 'identical' | 'edited' | 'missing';

export interface AdoptResult {
  dir: string;
  dryRun: boolean;
  template: TemplateRef;
  answers: Answers;
  files: { path: string; state: Comparison }[];
  /** The template files the repository lacked (written with addMissing). */
  missing: string[];
  /** Where later syncs find their base, in words. */
  base: string;
}

/**
 * Links a repository that was started by hand to the template: renders the template with the
 * team's answers, compares file by file, and records the render as the sync base. Files that
 * differ are the team's edits: they are never written, and later syncs merge into them.
 */
export async function adopt(req: AdoptRequest): Promise<AdoptResult> {
  if (req.template === '') throw new InputError('--template: is empty; give a template folder or git repo, or leave the flag out for the built-in template.', 'template');
  // The lock and the journal guard adopt as they guard sync: it writes the manifest and the branch.
  const session = await ProjectSession.open({ dir: req.dir, write: !req.dryRun, manifest: 'absent' });
  try {
    return await adoptIn(session, req);
  } finally {
    session.close();
  }
}

async function adoptIn(session: ProjectSession, req: AdoptRequest): Promise<AdoptResult> {
  const { root } = session;
  const src = await openSource(req.template);
  try {
    const { template, ref } = await loadFromSource(src);
    const answers = await resolveAnswers(template.spec, {
      provided: req.answers,
      origins: req.origins,
      dirName: path.basename(root),
      useDefaults: req.yes === true,
      ask: req.yes ? undefined : req.ask,
    });
    const planned = planRender(template, answers, {}, { keys: true });
    const files: AdoptResult['files'] = [];
    for (const f of planned) {
      const mine = session.read(f.path, 'adopt');
      files.push({ path: f.path, state: !mine ? 'missing' : sameBytes(mine, f.data) ? 'identical' : 'edited' });
    }
    const manifestData = manifestFor(ref, answers, planned);
    const missing = files.filter((c) => c.state === 'missing').map((c) => c.path);
    const writes = [
      { path: MANIFEST_PATH, data: manifestData },
      ...(req.addMissing ? planned.filter((f) => missing.includes(f.path)).map((f) => ({ path: f.path, data: f.data, executable: f.executable })) : []),
    ];
    const inGit = session.gitDir !== undefined;
    let base = 'none yet: later syncs re-render this version from the template source';
    if (!req.dryRun) {
      const tips = inGit ? await pristineRefs(root, session.gitDir, session.pristineBranch) : undefined;
      await session.apply({
        what: 'adopt',
        writes,
        // A run killed after the branch moved is undone by the next run, the branch with it.
        git: inGit
          ? {
              movesPristine: true,
              after: async () => {
                const pristine = new Map(planned.map((f) => [f.path, f.data] as [string, Uint8Array])).set(MANIFEST_PATH, manifestData);
                const parent = tips?.tips[0];
                const executable = { now: new Set(planned.filter((f) => f.executable).map((f) => f.path)) };
                const { commit } = await writePristine(root, pristine, `Template ${ref.name} ${ref.version}\n\nPristine render recorded by create-migration adopt.\n`, parent, [], undefined, executable, session.pristineBranch);
                base = `${session.pristineBranch} branch (${commit.slice(0, 7)})`;
              },
            }
          : undefined,
      });
    }
    return { dir: root, dryRun: req.dryRun === true, template: ref, answers, files, missing, base };
  } finally {
    await src.cleanup?.();
  }
}
