import { sameBytes } from '../bytes.js';
import path from 'node:path';
import { resolveAnswers } from '../answers/resolve.js';
import { UsageError } from '../errors.js';
import { readProvidedAnswers } from '../io/answers-input.js';
import { pristineRefs, writePristine } from '../io/git.js';
import { ProjectSession } from '../project/session.js';
import { loadFromSource, openSource } from '../io/template-source.js';
import { MANIFEST_PATH, buildManifest, serializeManifest } from '../manifest.js';
import { dim, out, print, printJson, say } from '../output.js';
import { planRender } from '../template/plan.js';
import { VERSION } from '../version.js';
import { canPrompt } from './generate.js';
import { selfCommand } from '../invocation.js';

export interface AdoptFlags {
  template?: string;
  answers?: string;
  set: string[];
  yes?: boolean;
  addMissing?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

type Comparison = 'identical' | 'edited' | 'missing';


/**
 * Links a repository that was started by hand to the template: renders the template with the
 * team's answers, compares file by file, and records the render as the sync base. Files that
 * differ are the team's edits: they are never written, and later syncs merge into them.
 */
export async function adoptCommand(dir: string | undefined, flags: AdoptFlags): Promise<number> {
  if (flags.template === '') throw new UsageError('--template: is empty; give a template folder or git repo, or leave the flag out for the built-in template.');
  // The lock and the journal guard adopt as they guard sync: it writes the manifest and the branch.
  const session = await ProjectSession.open({ dir: dir ?? '.', write: !flags.dryRun, manifest: 'absent' });
  try {
    return await adoptIn(session, flags);
  } finally {
    session.close();
  }
}

async function adoptIn(session: ProjectSession, flags: AdoptFlags): Promise<number> {
  const { root } = session;
  const provided = await readProvidedAnswers(flags.answers, flags.set);
  const src = await openSource(flags.template);
  try {
    const { template, ref } = await loadFromSource(src);
    const answers = await resolveAnswers(template.spec, {
      provided: provided.values,
      origins: provided.origins,
      dirName: path.basename(root),
      useDefaults: flags.yes === true,
      ask: canPrompt(flags.yes) ? (await import('../io/prompt.js')).terminalAsker : undefined,
    });
    const planned = planRender(template, answers);
    const comparison: { path: string; state: Comparison }[] = [];
    for (const f of planned) {
      const mine = session.read(f.path, 'adopt');
      comparison.push({ path: f.path, state: !mine ? 'missing' : sameBytes(mine, f.data) ? 'identical' : 'edited' });
    }
    const manifest = buildManifest(`create-migration@${VERSION}`, ref, answers, planned);
    const manifestData = new TextEncoder().encode(serializeManifest(manifest));
    const missing = comparison.filter((c) => c.state === 'missing').map((c) => c.path);
    const writes = [
      { path: MANIFEST_PATH, data: manifestData },
      ...(flags.addMissing ? planned.filter((f) => missing.includes(f.path)).map((f) => ({ path: f.path, data: f.data, executable: f.executable })) : []),
    ];
    const inGit = session.gitDir !== undefined;
    let base = 'none yet: later syncs re-render this version from the template source';
    if (!flags.dryRun) {
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
    const counts = (s: Comparison) => comparison.filter((c) => c.state === s).length;
    if (flags.json) {
      printJson({ ok: true, command: 'adopt', dir: root, dryRun: flags.dryRun === true, template: ref, files: comparison, added: flags.addMissing ? missing : [], base });
      return 0;
    }
    for (const c of comparison) {
      if (c.state === 'identical') continue;
      print(`  ${c.state === 'edited' ? 'edited ' : flags.addMissing && !flags.dryRun ? 'added  ' : 'missing'} ${c.path}`);
    }
    print(`${out().bold(flags.dryRun ? 'Would adopt' : 'Adopted')} ${path.relative(process.cwd(), root) || '.'} to ${ref.name} ${ref.version}: ${counts('identical')} identical, ${counts('edited')} edited (kept as your changes), ${counts('missing')} missing${flags.addMissing ? ' (added)' : ''}.`);
    if (!flags.dryRun) {
      say(dim(`  sync base: ${base}`));
      if (missing.length && !flags.addMissing) say(dim('  Missing template files stay missing; rerun adopt elsewhere or add them with --add-missing.'));
      say(dim(`  Commit ${MANIFEST_PATH}${flags.addMissing && missing.length ? ' and the added files' : ''}; from then on \`${selfCommand()} sync\` works.`));
    }
    return 0;
  } finally {
    await src.cleanup?.();
  }
}
