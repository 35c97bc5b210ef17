import path from 'node:path';
import { resolveAnswers } from '../core/answers/resolve.js';
import { isPastDate, localToday } from '../core/answers/validate.js';
import { InputError } from '../core/errors.js';
import type { Generator } from './types.js';
import { createRepository, initialCommit, initRepository, isRepo, recordPristineAround, removeRepository, type NewRepository } from '../edge/git/repo.js';
import { addToExisting, checkNewProjectTarget, createFresh, openStage, targetState, writeFiles, type Stage } from '../edge/project/new-project.js';
import { checkpoint } from '../edge/project/checkpoint.js';
import { started } from './started.js';
import { loadFromSource, openSource } from '../edge/template-source.js';
import { MANIFEST_PATH, manifestFor } from '../core/manifest.js';
import { planRender } from '../core/template/plan.js';
import { withSuggestedDefaults } from '../core/assess/defaults.js';
import type { Suggestions } from '../core/assess/suggest.js';
import { describeCondition } from '../core/template/conditions.js';
import type { Answers, Question } from '../core/template/types.js';
import { slugify } from '../core/answers/resolve.js';
import type { Assessment } from '../core/assess/plan.js';
import { removeNewProject } from '../edge/project/new-project.js';
import { parseTemplateSpec } from '../core/template/spec.js';
import { BUILTIN_TEMPLATE_DIR } from '../edge/builtin.js';
import { readText } from '../edge/inputs.js';
import type { AddSpec } from './add.js';

export interface ProjectOptions {
  dir?: string;
  template?: string;
  /** Answers given up front (an answers file, --set, plop's prompts), not yet validated. */
  answers?: Record<string, unknown>;
  /** Where each of `answers` came from (`--set`, `--answers FILE`), for messages. */
  origins?: Record<string, string>;
  yes?: boolean;
  git?: boolean;
  force?: boolean;
  dryRun?: boolean;
  /** Defaults found by `assess` in the legacy code (asked still, or taken with --yes). */
  suggested?: Suggestions;
  /** Shows the answers before anything is written (a terminal): true to go on, or a key to ask again. */
  review?: (answers: Answers, askable: Question[], all: Question[]) => Promise<true | string>;
  /**
   * What assess read: its scheduled jobs become jobs.yaml entries, workflows and CronJobs, each
   * rendered by `workflow` (the `add workflow` spec of generators/, handed in: flows never import it).
   */
  assessed?: { inventory: Assessment; workflow: AddSpec };
  /** Who adds those jobs (default: git user.name, else $USER). */
  by?: string;
}

const DEFAULT_DIR = 'legacy-migration';

/** The built-in template's questions, read now (plop registers its generators synchronously). */
export function builtinQuestions(): Question[] {
  return parseTemplateSpec(readText(`${BUILTIN_TEMPLATE_DIR}template.yaml`, (why) => new Error(`the built-in template cannot be read (${why})`))).questions;
}

/** `create-migration [dir]`: a whole new migration project, or nothing at all. */
export const projectGenerator: Generator<ProjectOptions> = {
  name: 'project',
  description: 'Generate a new Kailash migration project',
  async run(opts, ctx) {
    const values = opts.answers ?? {};
    const dirArg = opts.dir ?? (typeof values.project_name === 'string' ? values.project_name : undefined);
    if (opts.template === '') throw new InputError('--template: is empty; give a template folder or git repo, or leave the flag out for the built-in template.');
    const checkTarget = async (dir: string) => {
      // Checked before any folder is made: a name the file system refuses would fail half-way.
      checkNewProjectTarget(dir, '[dir]');
      const found = await targetState(dir);
      if (found === 'not-a-dir') throw new InputError(`[dir]: ${dir} exists and is not a folder.`);
      if (found === 'non-empty' && !opts.force) {
        throw new InputError(`[dir]: ${dir} is not empty. Pick a new folder, or pass --force to add the project beside what is there (no file is ever replaced).`);
      }
      return found;
    };
    let target = path.resolve(ctx.cwd, dirArg ?? DEFAULT_DIR);
    // With no folder given, the project name answered at the prompt names the folder: checked then.
    let state = dirArg === undefined ? undefined : await checkTarget(target);
    const withGit = opts.git !== false;
    // A new folder with git: its repository is made while the template loads and renders. It is
    // stopped (git killed, the staging folder removed) if anything after fails or is interrupted.
    let stage: Stage | undefined;
    let repository: (() => Promise<NewRepository>) | undefined;
    const cancelRepository = new AbortController();
    const openRepository = async () => {
      if (stage || opts.dryRun || !withGit || state === 'non-empty') return;
      stage = await openStage(target);
      repository = started(initRepository(stage.dir, cancelRepository.signal));
    };
    try {
      // Nothing to ask and the folder known: git starts before the template is even read.
      if (state !== undefined && opts.yes) await openRepository();
      const src = await openSource(opts.template);
      try {
        const { template, ref } = await loadFromSource(src);
        const provided = { ...values };
        const origins = { ...opts.origins };
        // The folder given on the command line names the project: not asked again.
        if (opts.dir !== undefined && !Object.hasOwn(provided, 'project_name') && template.spec.questions.some((q) => q.key === 'project_name')) {
          provided.project_name = slugify(path.basename(target));
          origins.project_name = '[dir]';
        }
        const skipped: string[] = [];
        const answers = await resolveAnswers(opts.suggested ? withSuggestedDefaults(template.spec, opts.suggested) : template.spec, {
          provided,
          origins,
          dirName: path.basename(target),
          useDefaults: opts.yes === true,
          ask: opts.yes ? undefined : ctx.ask,
          review: opts.yes ? undefined : opts.review,
          // An answer given for a question that does not apply would otherwise vanish without a word.
          onSkipped: (q, origin, so) => skipped.push(`${origin} ${q.key}: has no effect: it is asked only when ${describeCondition(q.when, so)}, which does not hold here.`),
        });
        if (state === undefined) {
          target = path.resolve(ctx.cwd, typeof answers.project_name === 'string' ? answers.project_name : DEFAULT_DIR);
          state = await checkTarget(target);
        }
        await openRepository();
        // Every rendered path has passed the one path rule (the manifest's name among the refused).
        const planned = planRender(template, answers, {}, { keys: true });
        await checkpoint('generate:rendered');
        const files = [...planned, { path: MANIFEST_PATH, data: manifestFor(ref, answers, planned) }];
        const changes = files.map((f) => ({ type: 'add' as const, path: f.path, bytes: f.data.length }));
        const details: Record<string, unknown> = { template: ref, answers };
        if (skipped.length) details.warnings = skipped;
        // A deadline already gone (from --set, a file or a default): taken, and reported.
        const today = localToday();
        const pastDates = template.spec.questions.filter((q) => q.type === 'date' && typeof answers[q.key] === 'string' && isPastDate(answers[q.key] as string, today)).map((q) => q.key);
        if (pastDates.length) details.pastDates = pastDates;
        if (!opts.dryRun) {
          const message = `Generate migration project from ${ref.name} ${ref.version}\n\nMigration-Template: ${ref.name}@${ref.version}`;
          // Beside files already in a folder (--force): commit only what was generated, and not
          // at all inside a repository the user already has.
          const addToFolder = async (dir: string) => {
            if (!withGit) return;
            if (await isRepo(dir)) {
              details.git = 'existing repository: files left uncommitted';
              await aroundRepo(dir);
              return;
            }
            try {
              details.commit = await initialCommit(dir, message, files.map((f) => f.path));
            } catch (e) {
              removeRepository(dir);
              throw e;
            }
          };
          // A project in a subfolder of a repository (a monorepo) gets its own pristine branch
          // there, as a top-level project gets migration-template: the base of its first sync.
          const aroundRepo = async (dir: string) => {
            try {
              const branch = await recordPristineAround(dir, files, `Template ${ref.name} ${ref.version}\n\nPristine render for create-migration generate.\n`);
              if (branch) details.pristineBranch = branch;
            } catch (e) {
              details.git = `the pristine branch could not be recorded (${(e as Error).message.split('\n')[0]}); the first sync renders the template again`;
            }
          };
          if (state === 'non-empty') await addToExisting(target, files, async (dir) => (withGit ? addToFolder(dir) : aroundRepo(dir)));
          else if (!withGit) {
            await createFresh(target, files);
            await aroundRepo(target);
          }
          else {
            await stage!.finish(files, async (dir, all) => {
              details.commit = await createRepository(dir, all, message, repository!(), () => writeFiles(dir, all));
              await checkpoint('generate:committed');
            });
          }
        }
        if (!opts.dryRun && opts.assessed) {
          try {
            const { addLegacyJobs } = await import('./legacy-jobs.js');
            details.jobs = await addLegacyJobs(target, opts.assessed.inventory, opts.assessed.workflow, ctx.cwd, { commit: typeof details.commit === 'string', by: opts.by });
          } catch (e) {
            // The project is made whole or not at all: a fresh folder goes again.
            if (state !== 'non-empty') removeNewProject(target, state === 'empty');
            throw e;
          }
        }
        return { dir: target, changes, dryRun: opts.dryRun === true, details };
      } finally {
        await src.cleanup?.();
      }
    } catch (e) {
      // git may still be making the repository: stop it, and wait until it has exited before the
      // folder is removed (a project already renamed into place is left: abort does nothing then).
      cancelRepository.abort();
      await repository?.().catch(() => undefined);
      stage?.abort();
      throw e;
    }
  },
};
