import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, type Tree } from './template-repo.js';

/**
 * A template git repo built from a list of versions, each tagged v<version>: for scenarios that
 * need their own template shapes (a file that becomes a folder, a new question, a mode change).
 * `exec` lists the files (under files/) committed with the executable bit.
 */
export interface Version {
  version: string;
  tree: Tree;
  /** Extra question entries, YAML, indented as list items under `questions:`. */
  questions?: string;
  /** Extra YAML under `files:`. */
  files?: string;
  exec?: string[];
}

const BASE_QUESTIONS = `  - key: project_name
    type: slug
    message: Project name
    default: "{{dir_name}}"
`;

export function versionsRepo(repo: string, versions: Version[]): string {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  for (const v of versions) {
    rmSync(path.join(repo, 'files'), { recursive: true, force: true });
    writeFileSync(
      path.join(repo, 'template.yaml'),
      `name: real\nversion: ${v.version}\ndescription: sync on real shapes\nquestions:\n${BASE_QUESTIONS}${v.questions ?? ''}files:\n  project_owned: []\n${v.files ?? ''}`,
    );
    for (const [rel, data] of Object.entries(v.tree)) {
      const full = path.join(repo, 'files', rel);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, data);
      chmodSync(full, v.exec?.includes(rel) ? 0o755 : 0o644);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `Template ${v.version}`);
    git(repo, 'tag', `v${v.version}`);
  }
  return repo;
}
