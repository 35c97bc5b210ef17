import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from './cli.js';

/**
 * A small but complete template, as a git repo with three tagged versions (v0.9.0, v1.0.0,
 * v2.0.0), built in code so every sync scenario knows exactly what each version renders.
 *
 * Each file exercises one sync rule between v1.0.0 and v2.0.0; the comments say which.
 */

export type Tree = Record<string, string | Uint8Array>;

/** Runs git with the test identity; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeTree(root: string, tree: Tree): void {
  for (const [rel, data] of Object.entries(tree)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, data);
  }
}

export const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'utf8');
export const readBytes = (root: string, rel: string) => readFileSync(path.join(root, rel));

/** Copies a folder (with its .git unless told not to). */
export function copyDir(from: string, to: string, opts: { withGit?: boolean } = {}): string {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => opts.withGit !== false || path.basename(src) !== '.git',
  });
  return to;
}

const SPEC_QUESTIONS = `questions:
  - key: project_name
    type: slug
    message: Project name
    default: "{{dir_name}}"
  - key: title
    type: text
    message: Title
    default: Demo Project
`;

function spec(version: string, extra = ''): string {
  return `name: demo
version: ${version}
description: A small template for sync scenarios
${SPEC_QUESTIONS}files:
  project_owned:
    - NOTES.md
    - docs/decisions.md
${extra}`;
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const lf = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

/** Template sources (under files/), v1.0.0. */
export const V1: Tree = {
  // 1: unchanged by the user -> theirs. Also uses {{title}} for --set.
  'README.md': lf('# {{title}}', '', 'Project {{project_name}}.', '', 'Intro line.', 'Middle line.', 'Footer v1.'),
  // 3: both change, apart: the user ticks a box, the template adds an item.
  'CHECKLIST.md': lf('# Checklist', '', '- [ ] Inventory the cron jobs', '- [ ] Map data flows', '- [ ] Write the plan', '', '## Cutover', '', '- [ ] Parallel run', '- [ ] Switch traffic'),
  // 2: only the user changes it.
  'docs/user-only.md': lf('# Team notes', '', 'fill me in'),
  // 4/5: overlapping change at batch_size; a clean template change at Owner.
  'docs/conflict.md': lf('# Settings', 'Owner: platform', 'a', 'b', 'c', 'd', 'batch_size = 100', 'e', 'f', 'g', 'h', 'End.'),
  'docs/guide.md': lf('# Guide', '', 'Nothing changes here.'),
  // 8, 9, 10
  'docs/removed-clean.md': lf('# Old runbook', 'run the cron job by hand'),
  'docs/removed-edited.md': lf('# Old FAQ', 'Q: why?', 'A: because.'),
  'docs/user-deleted.md': lf('# Optional page', 'template text v1'),
  // 12: project-owned
  'NOTES.md': lf('# Notes', '', 'Template note v1.'),
  'docs/decisions.md': lf('# Decisions', '', 'Template decision v1.'),
  // 13: declared rename guides/setup.md -> handbook/setup.md (too different to be detected)
  'guides/setup.md': lf('# Setup', 'Step 1: clone', 'Step 2: install', 'Step 3: configure', 'Step 4: run old tool', 'Step 5: check logs', 'Step 6: report', 'Step 7: archive'),
  // 14: detected rename docs/howto.md -> docs/how-to.md
  'docs/howto.md': lf('# How to', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'),
  // 15: binaries
  'assets/logo.bin': bytes(0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3),
  'assets/both.bin': bytes(0, 1, 2, 3),
  // 16: LF in the template (the user converts it to CRLF) and a CRLF file in the template
  'notes/crlf-user.md': lf('alpha', 'beta', 'gamma', 'delta', 'epsilon'),
  'scripts/run.bat': crlf('@echo off', 'rem step one', 'rem step two', 'rem step three', 'rem step four'),
  // 17: no final newline
  'nonl.txt': 'first\nsecond\nthird\nfourth',
  // 18: a path expression
  'src/{{package_name}}/mod.py': lf('"""The {{package_name}} package."""', '', '', 'def run():', '    return 1', '', '', 'def stop():', '    return 0'),
  // 25: a script the user makes executable
  'scripts/run.sh': lf('#!/bin/sh', 'echo v1'),
};

/** v2.0.0: every rule's template-side change. */
export const V2: Tree = (() => {
  const t: Tree = { ...V1 };
  t['README.md'] = (V1['README.md'] as string).replace('Footer v1.', 'Footer v2.');
  t['CHECKLIST.md'] = (V1['CHECKLIST.md'] as string) + '- [ ] Decommission the legacy host\n';
  t['docs/conflict.md'] = (V1['docs/conflict.md'] as string).replace('Owner: platform', 'Owner: platform team').replace('batch_size = 100', 'batch_size = 500');
  delete t['docs/removed-clean.md'];
  delete t['docs/removed-edited.md'];
  t['docs/user-deleted.md'] = lf('# Optional page', 'template text v2');
  t['NOTES.md'] = lf('# Notes', '', 'Template note v2.');
  t['docs/decisions.md'] = lf('# Decisions', '', 'Template decision v2.');
  delete t['guides/setup.md'];
  t['handbook/setup.md'] = lf('# Setup', 'Step 1: clone', 'Step 2: install', 'Step 3: configure', 'Step 4: run the new workflow', 'Step 5: watch the dashboard', 'Step 6: file the report', 'Step 7: archive the legacy output');
  delete t['docs/howto.md'];
  t['docs/how-to.md'] = lf('# How to', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine (v2)');
  t['assets/logo.bin'] = bytes(0x89, 0x50, 0x4e, 0x47, 0, 4, 5, 6);
  t['assets/both.bin'] = bytes(0, 1, 2, 3, 9);
  t['notes/crlf-user.md'] = lf('alpha', 'beta', 'gamma v2', 'delta', 'epsilon');
  t['scripts/run.bat'] = crlf('@echo off', 'rem step one', 'rem step two', 'rem step three', 'rem step four v2');
  t['nonl.txt'] = 'first v2\nsecond\nthird\nfourth';
  t['src/{{package_name}}/mod.py'] = (V1['src/{{package_name}}/mod.py'] as string).replace('return 1', 'return 2');
  t['scripts/run.sh'] = lf('#!/bin/sh', 'echo v2');
  // 6 and 7: new files
  t['docs/new.md'] = lf('# New in 2.0', 'A page the template added.');
  t['docs/clash.md'] = lf('# Clash', 'template text');
  return t;
})();

export const V2_SPEC_EXTRA = `  renames:
    - from: guides/setup.md
      to: handbook/setup.md
`;

function commitVersion(repo: string, version: string, tree: Tree, specExtra = ''): void {
  rmSync(path.join(repo, 'files'), { recursive: true, force: true });
  writeFileSync(path.join(repo, 'template.yaml'), spec(version, specExtra));
  writeTree(path.join(repo, 'files'), tree);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', `Template ${version}`);
  git(repo, 'tag', `v${version}`);
}

/** Creates the template repo at `repo` with tags v0.9.0, v1.0.0 and v2.0.0. */
export function buildTemplateRepo(repo: string): string {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  commitVersion(repo, '0.9.0', { 'README.md': lf('# {{title}}', 'early days') });
  commitVersion(repo, '1.0.0', V1);
  commitVersion(repo, '2.0.0', V2, V2_SPEC_EXTRA);
  return repo;
}

/** A repo that holds only v2.0.0: a template whose history lost v1 (rewritten or re-created). */
export function buildV2OnlyRepo(repo: string): string {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  commitVersion(repo, '2.0.0', V2, V2_SPEC_EXTRA);
  return repo;
}

/** What v1 renders for project "proj" (package "proj"), by output path. */
export function renderedV1(name = 'proj'): Tree {
  return render(V1, name);
}

export function renderedV2(name = 'proj'): Tree {
  return render(V2, name);
}

function render(tree: Tree, name: string, title = 'Demo Project'): Tree {
  const out: Tree = {};
  for (const [p, data] of Object.entries(tree)) {
    const outPath = p.replace('{{package_name}}', name.replace(/-/g, '_'));
    out[outPath] =
      typeof data === 'string'
        ? data.replaceAll('{{title}}', title).replaceAll('{{project_name}}', name).replaceAll('{{package_name}}', name.replace(/-/g, '_'))
        : data;
  }
  return out;
}

export const crlfLines = crlf;
export const lfLines = lf;
